#include <catch2/catch.hpp>

#include "lib/json/parser.h"

using meshctl::json::ParseJsonStream;
using meshctl::yaml::NodeType;

TEST_CASE("JSON gets positions and JSON types", "[json]") {
  auto r = ParseJsonStream("{\n  \"kind\": \"Service\",\n  \"spec\": {\"ports\": [{\"port\": 80, \"x\": 1.5, \"t\": true, \"n\": null}]}\n}\n",
                           "s.json");
  REQUIRE(r.ok());
  const auto& root = r->front().root;
  CHECK(root.Get("kind")->mark().line == 2);
  CHECK(root.Get("kind")->mark().column == 11);
  CHECK(root.Find("spec.ports[0].port")->AsInt() == 80);
  CHECK(root.Find("spec.ports[0].x")->type() == NodeType::kFloat);
  CHECK(root.Find("spec.ports[0].t")->AsBool() == true);
  CHECK(root.Find("spec.ports[0].n")->IsNull());
  CHECK(root.Locate("spec.ports[0].port").line == 3);
}

TEST_CASE("JSON strings: escapes and unicode", "[json]") {
  auto r = ParseJsonStream(R"({"a": "x\ny\u00e9\ud83d\ude00\"q\""})", "s.json");
  REQUIRE(r.ok());
  CHECK(r->front().root.Get("a")->text() == "x\ny\xC3\xA9\xF0\x9F\x98\x80\"q\"");
}

TEST_CASE("several top-level JSON values are a stream", "[json]") {
  auto r = ParseJsonStream("{\"a\":1}\n{\"b\":2}\n", "s.json");
  REQUIRE(r.ok());
  CHECK(r->size() == 2);
}

TEST_CASE("bad JSON names file:line:col", "[json]") {
  auto err = [](const std::string& text) {
    auto r = ParseJsonStream(text, "s.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 65);
    return r.status().message();
  };
  CHECK(err("{\n  \"a\": 1,\n}") == "s.json:3:1: expected a string key");
  CHECK(err("{\"a\": tru}") == "s.json:1:7: invalid character 't' looking for beginning of value");
  CHECK(err("{\"a\": 1, \"a\": 2}") == "s.json:1:10: key \"a\" already set in map");
  CHECK_THAT(err("{\"a\": \"x"), Catch::Contains("unterminated string"));
  CHECK_THAT(err("[1, 2"), Catch::Contains("unexpected end of input"));
  CHECK_THAT(err(std::string(10000, '[')), Catch::Contains("nesting deeper than"));
}
