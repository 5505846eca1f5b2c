#include <cstdint>

#include "tests/fuzz/fuzz_target.h"

namespace meshctl::fuzz {

namespace {
std::vector<Target>& Registry() {
  static std::vector<Target> targets;  // function-local: safe from static init order
  return targets;
}
}  // namespace

bool Register(const char* name, TargetFn fn) {
  Registry().push_back({name, fn});
  return true;
}

const Target* FindTarget(std::string_view name) {
  for (const auto& t : Registry())
    if (t.name == name) return &t;
  return nullptr;
}

const std::vector<Target>& AllTargets() { return Registry(); }

void Fail(const char* file, int line, const std::string& what) {
  throw InvariantError(std::string(file) + ":" + std::to_string(line) + ": " + what);
}

uint32_t MaxLines(std::string_view text) {
  uint64_t n = 1;
  for (unsigned char c : text)
    if (c == '\n' || c == '\r' || c == 0x85 || c == 0xA8 || c == 0xA9) ++n;
  return n > UINT32_MAX ? UINT32_MAX : static_cast<uint32_t>(n);
}

}  // namespace meshctl::fuzz
