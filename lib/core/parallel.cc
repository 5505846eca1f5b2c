#include "lib/core/parallel.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <vector>

#include <sched.h>

namespace meshctl::core {

size_t UsableCpus() {
  size_t cpus = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cpus = static_cast<size_t>(CPU_COUNT(&set));
  if (cpus == 0) cpus = std::thread::hardware_concurrency();
  return std::max<size_t>(cpus, 1);
}

size_t DefaultThreads(size_t max) {
  max = std::max<size_t>(max, 1);
  if (const char* env = std::getenv("MESHCTL_THREADS"); env != nullptr && *env != '\0') {
    char* end = nullptr;
    unsigned long n = std::strtoul(env, &end, 10);
    if (end != nullptr && *end == '\0' && n >= 1) return std::min<size_t>(n, max);
  }
  return std::min(UsableCpus(), max);
}

void RunTasks(size_t count, size_t threads, const std::function<void(size_t)>& task) {
  threads = std::min(threads, count);
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mu;
  auto work = [&] {
    for (size_t i; (i = next.fetch_add(1, std::memory_order_relaxed)) < count;) {
      try {
        task(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mu);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  if (threads > 1) pool.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) {
    try {
      pool.emplace_back(work);
    } catch (const std::system_error&) {
      break;  // no more threads to be had: the ones running share the rest
    }
  }
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace meshctl::core
