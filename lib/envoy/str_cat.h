// Cat("a", b, std::to_string(n)): concatenation with one allocation and no
// `const char* + std::string&&` (GCC 12 reports a false -Wrestrict on that
// form at -O3, which -Werror turns into a build failure).
#pragma once

#include <string>
#include <string_view>

namespace meshctl::envoy {

template <typename... Parts>
std::string Cat(const Parts&... parts) {
  std::string out;
  out.reserve((std::string_view(parts).size() + ... + 0));
  (out.append(std::string_view(parts)), ...);
  return out;
}

}  // namespace meshctl::envoy
