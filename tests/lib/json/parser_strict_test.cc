// ParseJsonStrict: what simdjson rejects, with a position.
#include <catch2/catch.hpp>

#include "lib/json/parser.h"

using meshctl::json::ParseJsonStrict;
using meshctl::json::ParseJsonStream;

TEST_CASE("strict JSON: out-of-range numbers, lone surrogates, invalid UTF-8 have line:col", "[json]") {
  auto big = ParseJsonStrict("{\n  \"x\": 1e400\n}", "d.json");
  REQUIRE_FALSE(big.ok());
  CHECK(big.status().message() == "d.json:2:8: number 1e400 is out of range");
  auto sur = ParseJsonStrict("[\"ok\", \"\\udc00\"]", "d.json");
  REQUIRE_FALSE(sur.ok());
  CHECK(sur.status().message() == "d.json:1:9: invalid \\u escape: lone surrogate \\udc00");
  auto utf8 = ParseJsonStrict("[\"a\xC3\"]", "d.json");
  REQUIRE_FALSE(utf8.ok());
  CHECK(utf8.status().message() == "d.json:1:4: invalid UTF-8 byte 0xc3 in string");
  // Valid input is the same in both modes; the lenient one keeps accepting.
  CHECK(ParseJsonStrict("[\"\\ud83d\\ude00\", \"\xC3\xA9\", 1e300]", "d.json").ok());
  CHECK(ParseJsonStream("[1e400, \"\\ud800\"]", "d.json").ok());
}
