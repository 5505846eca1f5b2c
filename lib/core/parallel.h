// Running independent pieces of one command on the CPUs the process may use.
// Callers keep results per task and merge them in task order afterwards, so
// output never depends on how many threads ran or which finished first.
#pragma once

#include <cstddef>
#include <functional>

namespace meshctl::core {

// CPUs this process may run on (its affinity mask, so `taskset` and a
// container's cpuset are respected); at least 1.
size_t UsableCpus();

// Threads a command uses for work that is worth splitting: MESHCTL_THREADS
// when it is set to a number >= 1 (1 runs everything on the calling thread,
// for comparisons and benchmarks), else UsableCpus(); at most `max`.
size_t DefaultThreads(size_t max = 8);

// Calls task(0) ... task(count - 1), each exactly once, on up to `threads`
// threads, the caller's included; tasks are started in index order, so put
// the longest first. Returns when all are done. The first exception a task
// throws is rethrown here after every thread has finished (the other tasks
// still run). If no thread can be created, the caller runs them all.
void RunTasks(size_t count, size_t threads, const std::function<void(size_t)>& task);

}  // namespace meshctl::core
