#include "lib/core/heap.h"

#include <cstdint>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <unistd.h>
#endif

namespace meshctl::core {

#if defined(__GLIBC__) && defined(__linux__)

namespace {

constexpr size_t kMinBytes = size_t{8} << 20;
constexpr size_t kMaxBytes = size_t{8} << 30;
// glibc's own default for M_TOP_PAD, restored once the heap has grown.
constexpr int kDefaultTopPad = 128 * 1024;
// Blocks small enough to come from the heap (under the mmap threshold)
// whatever the threshold has adapted to.
constexpr size_t kProbeBlock = 64 * 1024;
constexpr int kMaxProbes = 64;
constexpr int kMmapThreshold = 32 << 20;

bool reserved = false;

}  // namespace

void ReserveHeap(size_t bytes) {
  if (reserved || bytes < kMinBytes) return;
  reserved = true;
  if (bytes > kMaxBytes) bytes = kMaxBytes;
  // The next time malloc extends the heap it takes `bytes` more than it
  // needs, and frees never hand that back.
  mallopt(M_TRIM_THRESHOLD, static_cast<int>(bytes > INT32_MAX / 2 ? INT32_MAX : 2 * bytes));
  mallopt(M_TOP_PAD, static_cast<int>(bytes > INT32_MAX ? INT32_MAX : bytes));
  // Setting the pad stops glibc from raising its mmap threshold as large
  // blocks are freed; large vectors would then each get fresh 4 KB pages
  // from mmap. Keep blocks up to glibc's ceiling in the heap.
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
  // Make it extend now: take small blocks until the break moves (the free
  // space at the top of a fresh heap is well under a megabyte).
  void* probes[kMaxProbes];
  int taken = 0;
  void* before = sbrk(0);
  while (taken < kMaxProbes && sbrk(0) == before) {
    void* p = malloc(kProbeBlock);
    if (p == nullptr) break;
    probes[taken++] = p;
  }
  for (int i = 0; i < taken; ++i) free(probes[i]);
  mallopt(M_TOP_PAD, kDefaultTopPad);
}

#else

void ReserveHeap(size_t) {}

#endif

}  // namespace meshctl::core
