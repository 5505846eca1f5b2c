// libFuzzer entry point of one fuzz binary: build-asan/fuzz/fuzz_<name> is
// this file plus tests/fuzz/<name>_fuzz.cc (MESHCTL_FUZZ_TARGET_NAME names it).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "tests/fuzz/fuzz_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const meshctl::fuzz::Target* target = meshctl::fuzz::FindTarget(MESHCTL_FUZZ_TARGET_NAME);
  if (target == nullptr) {
    std::fprintf(stderr, "fuzz: target %s is not linked in\n", MESHCTL_FUZZ_TARGET_NAME);
    std::abort();
  }
  try {
    target->fn(std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const std::exception& e) {
    // A broken invariant, or an exception lib/ let escape (lib/ returns
    // Status, it never throws to its callers): both are findings.
    std::fprintf(stderr, "fuzz target %s: uncaught exception: %s\n", MESHCTL_FUZZ_TARGET_NAME, e.what());
    std::abort();
  }
  return 0;
}
