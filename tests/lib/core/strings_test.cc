#include <catch2/catch.hpp>

#include "lib/core/strings.h"

using namespace meshctl::core;

TEST_CASE("glob matching as istioctl's -S", "[core]") {
  CHECK(GlobMatch("*", "anything/at all"));
  CHECK(GlobMatch("Pod default/*", "Pod default/x"));
  CHECK(GlobMatch("Pod */x", "Pod a/b/x"));  // '*' crosses '/'
  CHECK_FALSE(GlobMatch("Pod default/*", "Pod other/x"));
  CHECK(GlobMatch("a?c", "abc"));
  CHECK_FALSE(GlobMatch("abc", "abcd"));
  CHECK(GlobMatch("*a*a*a*b", std::string(40, 'a') + "b"));
}

TEST_CASE("Go %q quoting", "[core]") {
  CHECK(GoQuote("plain") == "\"plain\"");
  CHECK(GoQuote("a\"b\\c\n\t") == "\"a\\\"b\\\\c\\n\\t\"");
  CHECK(GoQuote(std::string("\x01", 1)) == "\"\\x01\"");
  CHECK(GoQuote("h\xC3\xA9") == "\"h\xC3\xA9\"");
}

TEST_CASE("split, join, case, edit distance", "[core]") {
  CHECK(Split("a,,b", ',') == std::vector<std::string>{"a", "", "b"});
  CHECK(Join({"a", "b"}, ", ") == "a, b");
  CHECK(ToLower("HeLLo") == "hello");
  CHECK(EqualsIgnoreCase("GRPC-Web", "grpc-web"));
  CHECK(Trim("  x \n") == "x");
  CHECK(EditDistance("analyse", "analyze") == 1);
  CHECK(EditDistance("", "abc") == 3);
}
