#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/yaml/parser.h"
#include "lib/yaml/writer.h"

using namespace meshctl::yaml;

namespace {

Node ParseOne(const std::string& text) {
  auto docs = ParseYamlStream(text, "test.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  return (*docs)[0].root;
}

}  // namespace

TEST_CASE("writer: YAML round trip keeps types and key order", "[canary][yaml]") {
  const std::string input =
      "zeta: 1\n"
      "alpha: \"10\"\n"
      "bool_text: \"true\"\n"
      "yes_text: \"yes\"\n"
      "null_text: \"null\"\n"
      "empty: \"\"\n"
      "octal_text: \"0777\"\n"
      "float: 0.5\n"
      "real_bool: true\n"
      "real_null: null\n"
      "colon: \"a: b\"\n"
      "multi: |\n  line one\n  line two\n"
      "nested:\n  - name: x\n    list: []\n    map: {}\n  - plain\n";
  Node in = ParseOne(input);
  auto out = WriteYaml(in);
  REQUIRE(out.ok());
  Node again = ParseOne(*out);
  CHECK(again.Equals(in));
  // Key order as in the input.
  REQUIRE(again.size() == in.size());
  CHECK(again.KeyAt(0).text() == "zeta");
  CHECK(again.KeyAt(1).text() == "alpha");
  // Strings that would change type are quoted; real scalars are not.
  CHECK(out->find("alpha: \"10\"") != std::string::npos);
  CHECK(out->find("yes_text: \"yes\"") != std::string::npos);
  CHECK(out->find("real_bool: true") != std::string::npos);
  CHECK(out->find("multi: |") != std::string::npos);
}

TEST_CASE("writer: NeedsQuotes follows go-yaml v2 resolution", "[canary][yaml]") {
  for (const char* s : {"10", "0x1F", "1e3", "true", "on", "no", "~", "null", "", ".inf"}) {
    INFO(s);
    CHECK(NeedsQuotes(s));
  }
  for (const char* s : {"reviews", "v1", "end-user", "5s", "1.2.3", "----", "--x", "...."}) {
    INFO(s);
    CHECK_FALSE(NeedsQuotes(s));
  }
}

TEST_CASE("writer: text that starts like a document marker is quoted and reads back", "[yaml]") {
  for (const char* s : {"---", "--- x", "...", "... end", "---\tx"}) {
    INFO(s);
    CHECK(NeedsQuotes(s));
    Node m = Node::Map({});
    m.Append(Node::Scalar(meshctl::yaml::NodeType::kString, s, {}), Node::Scalar(meshctl::yaml::NodeType::kString, s, {}));
    auto text = meshctl::yaml::WriteYaml(m);
    REQUIRE(text.ok());
    auto back = meshctl::yaml::ParseYamlStream(*text, "w.yaml");
    REQUIRE(back.ok());
    REQUIRE(back->size() == 1);
    CHECK((*back)[0].root.Equals(m));
  }
}

TEST_CASE("writer: entry is indented for splicing", "[canary][yaml]") {
  Node v = ParseOne("a: 1\nb: [x, z]\n");
  auto e = WriteYamlEntry("k", v, 4);
  REQUIRE(e.ok());
  CHECK(*e == "k:\n      a: 1\n      b:\n      - x\n      - z\n");
  auto indented = WriteYamlEntry("k", v, 4, false);
  REQUIRE(indented.ok());
  CHECK(*indented == "k:\n      a: 1\n      b:\n        - x\n        - z\n");
}

TEST_CASE("writer: kubectl layout for sequences, literal blocks untouched", "[canary][yaml]") {
  Node in = ParseOne("a:\n- b:\n  - c\n  d: |\n    x:\n      - not a sequence\n- e\nf: [g]\n");
  auto out = WriteYaml(in);
  REQUIRE(out.ok());
  // (yaml-cpp ends a literal block with an empty line.)
  CHECK(*out == "a:\n- b:\n  - c\n  d: |\n    x:\n      - not a sequence\n\n- e\nf:\n- g\n");
  CHECK(ParseOne(*out).Equals(in));
  CHECK(UsesIndentlessSequences("a:\n- x\n"));
  CHECK_FALSE(UsesIndentlessSequences("a:\n  - x\n"));
  CHECK(UsesIndentlessSequences("a: 1\n"));
}

TEST_CASE("writer: every canary fixture round-trips in both layouts", "[canary][yaml]") {
  namespace fs = std::filesystem;
  int files = 0;
  for (const auto& e : fs::recursive_directory_iterator("testdata/canary")) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml") continue;
    std::ifstream f(e.path());
    std::stringstream ss;
    ss << f.rdbuf();
    auto docs = ParseYamlStream(ss.str(), e.path().string());
    REQUIRE(docs.ok());
    for (const auto& d : *docs) {
      for (bool indentless : {true, false}) {
        INFO(e.path() << " indentless=" << indentless);
        WriteOptions opts;
        opts.indentless_sequences = indentless;
        auto out = WriteYaml(d.root, opts);
        REQUIRE(out.ok());
        CHECK(ParseOne(*out).Equals(d.root));
      }
    }
    ++files;
  }
  CHECK(files > 20);
}

TEST_CASE("writer: JSON keeps order, escapes and canonical numbers", "[canary][yaml]") {
  Node in = ParseOne("b: 0x1F\na: \"q\\\"uote\\n\"\nc: [1.5, true, null, \"10\"]\nd: {}\ne: .inf\n");
  std::string json = WriteJson(in, 0);
  CHECK(json == "{\"b\":31,\"a\":\"q\\\"uote\\n\",\"c\":[1.5,true,null,\"10\"],\"d\":{},\"e\":\".inf\"}\n");
  std::string pretty = WriteJson(in, 2);
  CHECK(pretty.find("{\n  \"b\": 31,\n") == 0);
}
