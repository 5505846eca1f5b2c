// Process-wide heap tuning for commands that load a large input into memory
// and keep it until exit (analyze, validate).
#pragma once

#include <cstddef>

namespace meshctl::core {

// Grows the malloc heap once by `bytes` of address space, and keeps blocks up to
// 32 MB in it (glibc would otherwise give each large vector fresh pages from
// mmap, and raise its threshold as they are freed), so a load that keeps what it
// builds until exit grows the heap once instead of a little at a time. Only address
// space is reserved: memory is used as it is touched. The heap is not advised
// for transparent huge pages: since the tree's lists moved to NodeArena's
// mapped chunks, huge pages saved no measurable time, and each one is resident
// whole, 1-3 MB of analyze's peak (bench/README.md). A hint: where the C library does
// not allow it, nothing changes. Calls after the first, and sizes under 8 MB, do
// nothing.
void ReserveHeap(size_t bytes);

}  // namespace meshctl::core
