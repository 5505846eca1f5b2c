// Process-wide heap tuning for commands that load a large input into memory
// and keep it until exit (analyze, validate).
#pragma once

#include <cstddef>

namespace meshctl::core {

// Grows the malloc heap once by `bytes` of address space and asks the kernel
// to back it with transparent huge pages (THP "madvise" mode, Debian's
// default), so the document tree a load builds costs one page fault per
// 2 MB instead of one per 4 KB and far fewer TLB misses when analyzers walk
// it. Only address space is reserved: memory is used as it is touched.
// A hint: where the C library or the kernel does not allow it, nothing
// changes. Calls after the first, and sizes under 8 MB, do nothing.
void ReserveHugePageHeap(size_t bytes);

}  // namespace meshctl::core
