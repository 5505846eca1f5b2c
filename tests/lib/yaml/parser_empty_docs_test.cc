// Runs of empty documents (`---` lines): positions stay right, and the
// start-line scan is done once for the run (bench/scaling_bench.cc times it).
#include <catch2/catch.hpp>

#include "lib/yaml/parser.h"

TEST_CASE("documents after 40k empty ones start at the right line", "[yaml]") {
  std::string text = "a: 1\n";
  for (int i = 0; i < 40000; ++i) text += "---\n";
  text += "\n---\nb: 2\n---\n---\nc: 3\n";
  auto docs = meshctl::yaml::ParseYamlStream(text, "t.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 3);
  CHECK((*docs)[0].start.line == 1);
  CHECK((*docs)[1].start.line == 40004);  // "b: 2"
  CHECK((*docs)[1].root.Get("b")->mark().line == 40004);
  CHECK((*docs)[2].start.line == 40007);  // "c: 3"
}
