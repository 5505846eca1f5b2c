// Fuzz targets of meshctl (docs/fuzzing.md). A target is one file
// tests/fuzz/<name>_fuzz.cc with one MESHCTL_FUZZ_TARGET(<name>) body plus one
// row in tests/fuzz/targets.txt. The same body is compiled twice:
//  - into build-asan/fuzz/fuzz_<name> (libFuzzer, clang, ASan+UBSan), where
//    fuzz_main.cc calls it from LLVMFuzzerTestOneInput;
//  - into the unit test binary (release and ASan builds), where
//    regressions_test.cc replays every file of tests/fuzz/regressions/<name>/.
// A body must never print, must bound its own work, and reports a broken
// invariant with MESHCTL_FUZZ_CHECK (an exception: a Catch2 failure in the
// unit suite, an abort with the message in a fuzzing run).
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl::fuzz {

using TargetFn = void (*)(std::string_view data);

struct Target {
  std::string name;
  TargetFn fn = nullptr;
};

// Adds a target to the registry (called from static initialisers).
bool Register(const char* name, TargetFn fn);
// nullptr when no target of that name is linked in.
const Target* FindTarget(std::string_view name);
const std::vector<Target>& AllTargets();

class InvariantError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

[[noreturn]] void Fail(const char* file, int line, const std::string& what);

// Number of lines `text` can have as libyaml counts them (every \n, \r,
// NEL, LS, PS may end one), an upper bound for the line of any mark.
uint32_t MaxLines(std::string_view text);

}  // namespace meshctl::fuzz

#define MESHCTL_FUZZ_CHECK(cond, msg)                                                                   \
  do {                                                                                                  \
    if (!(cond)) ::meshctl::fuzz::Fail(__FILE__, __LINE__, std::string("check failed: " #cond ": ") + (msg)); \
  } while (0)

#define MESHCTL_FUZZ_TARGET(name)                                                                      \
  static void MeshctlFuzz_##name(std::string_view data);                                              \
  [[maybe_unused]] static const bool kMeshctlFuzzRegistered_##name =                                  \
      ::meshctl::fuzz::Register(#name, &MeshctlFuzz_##name);                                          \
  static void MeshctlFuzz_##name(std::string_view data)
