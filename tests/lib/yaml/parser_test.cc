#include <catch2/catch.hpp>

#include "lib/yaml/parser.h"
#include "lib/yaml/writer.h"

using meshctl::yaml::Document;
using meshctl::yaml::Node;
using meshctl::yaml::NodeType;
using meshctl::yaml::ParseYamlStream;
using meshctl::yaml::ResolvePlainScalar;

namespace {

std::vector<Document> Parse(const std::string& text) {
  auto r = ParseYamlStream(text, "t.yaml");
  INFO(r.status().message());
  REQUIRE(r.ok());
  return std::move(r).value();
}

std::string ParseError(const std::string& text) {
  auto r = ParseYamlStream(text, "t.yaml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().ExitCode() == 65);
  return r.status().message();
}

}  // namespace

TEST_CASE("plain scalars resolve as go-yaml v2 (YAML 1.1)", "[yaml]") {
  struct Case {
    const char* text;
    NodeType type;
  } cases[] = {
      {"", NodeType::kNull},       {"~", NodeType::kNull},       {"null", NodeType::kNull},
      {"NULL", NodeType::kNull},   {"yes", NodeType::kBool},     {"No", NodeType::kBool},
      {"ON", NodeType::kBool},     {"off", NodeType::kBool},     {"y", NodeType::kBool},
      {"true", NodeType::kBool},   {"False", NodeType::kBool},   {"tRue", NodeType::kString},
      {"0777", NodeType::kInt},    {"0x1F", NodeType::kInt},     {"0o17", NodeType::kInt},
      {"0b101", NodeType::kInt},   {"-42", NodeType::kInt},      {"+7", NodeType::kInt},
      {"1_000", NodeType::kInt},   {"1e3", NodeType::kFloat},    {"1.5", NodeType::kFloat},
      {".5", NodeType::kFloat},    {".inf", NodeType::kFloat},   {"-.Inf", NodeType::kFloat},
      {".nan", NodeType::kFloat},  {"089", NodeType::kFloat},  // not octal: go-yaml falls back to a float   {"1.2.3", NodeType::kString},
      {"v1", NodeType::kString},   {"http", NodeType::kString},  {"10s", NodeType::kString},
      {"nope", NodeType::kString}, {"yesterday", NodeType::kString},
  };
  for (const auto& c : cases) {
    INFO(c.text);
    CHECK(ResolvePlainScalar(c.text) == c.type);
  }
}

TEST_CASE("quoted scalars are always strings; bools are normalised", "[yaml]") {
  auto docs = Parse("a: 'yes'\nb: \"80\"\nc: yes\nd: 080\ne: !!str 12\nf: !!int \"12\"\ng: 0777\n");
  CHECK(docs[0].root.Get("g")->AsInt() == 511);
  const Node& m = docs[0].root;
  CHECK(m.Get("a")->type() == NodeType::kString);
  CHECK(m.Get("b")->type() == NodeType::kString);
  CHECK(m.Get("c")->type() == NodeType::kBool);
  CHECK(m.Get("c")->text() == "true");
  CHECK(m.Get("d")->type() == NodeType::kFloat);  // 080 is no octal int; go-yaml v2 reads a float
  CHECK(m.Get("d")->AsInt() == 80);
  CHECK(m.Get("e")->type() == NodeType::kString);
  CHECK(m.Get("f")->AsInt() == 12);
}

TEST_CASE("positions are 1-based line and column of each node", "[yaml]") {
  auto docs = Parse("# comment\napiVersion: v1\nkind: Service\nspec:\n  ports:\n  - name: http\n    port: 80\n");
  const Node& root = docs[0].root;
  CHECK(root.Get("kind")->mark().line == 3);
  CHECK(root.Get("kind")->mark().column == 7);
  CHECK(root.Locate("spec.ports[0].port").line == 7);
  CHECK(root.Locate("spec.ports[0].port").column == 11);
  CHECK(root.LocateKey("spec.ports[0].port").column == 5);
  // A missing leaf locates its deepest existing parent.
  CHECK(root.Locate("spec.ports[0].targetPort").line == 6);
  CHECK(root.Find("spec.ports[3]") == nullptr);
  // istioctl's document start counts comment lines.
  CHECK(docs[0].start.line == 1);
}

TEST_CASE("multi-document streams, empty documents and start lines", "[yaml]") {
  auto docs = Parse("---\na: 1\n---\n\n# only a comment\n---\n\nb: 2\n...\n---\nc: 3\n");
  REQUIRE(docs.size() == 3);
  CHECK(docs[0].root.Get("a"));
  CHECK(docs[0].start.line == 2);
  CHECK(docs[1].root.Get("b"));
  CHECK(docs[1].start.line == 8);
  CHECK(docs[2].root.Get("c"));
  CHECK(docs[2].index == 3);  // the comment-only document counts
}

TEST_CASE("BOM and CRLF line ends", "[yaml]") {
  auto docs = Parse("\xEF\xBB\xBF" "a: 1\r\nb:\r\n  c: x\r\n");
  CHECK(docs[0].root.Get("a")->AsInt() == 1);
  CHECK(docs[0].root.Locate("b.c").line == 3);
  CHECK(docs[0].root.Find("b.c")->text() == "x");
}

TEST_CASE("map key order is kept", "[yaml]") {
  auto docs = Parse("z: 1\na: 2\nm: 3\n");
  const Node& m = docs[0].root;
  REQUIRE(m.size() == 3);
  CHECK(m.KeyAt(0).text() == "z");
  CHECK(m.KeyAt(1).text() == "a");
  CHECK(m.KeyAt(2).text() == "m");
}

TEST_CASE("anchors, aliases and merge keys", "[yaml]") {
  auto docs = Parse(
      "base: &b\n  app: x\n  version: v1\n"
      "copy: *b\n"
      "merged:\n  <<: *b\n  version: v2\n");
  const Node& m = docs[0].root;
  CHECK(m.Find("copy.app")->text() == "x");
  CHECK(m.Find("merged.app")->text() == "x");
  CHECK(m.Find("merged.version")->text() == "v2");  // explicit keys win over merged ones
  CHECK(m.Get("copy")->mark().line == 4);           // an alias is positioned where it is used
}

// A collection's anchor is defined where it is written, before its content
// (go-yaml v2 and yaml-cpp agree); it used to be registered when the
// collection closed (found by the yaml_differential fuzz target).
TEST_CASE("an anchor is defined before the content of its collection", "[yaml]") {
  SECTION("the same name anchored again inside wins for later aliases") {
    auto docs = Parse("- &x [&x \"s\"]\n- *x\n");
    const Node& later = docs[0].root.at(1);
    REQUIRE(later.IsString());
    CHECK(later.text() == "s");
    docs = Parse("- &x {a: &x [1]}\n- *x\n");
    CHECK(docs[0].root.at(1).IsSeq());
  }
  SECTION("the collection's own anchor is in effect after it closes") {
    auto docs = Parse("- &x \"s\"\n- &x [1, 2]\n- *x\n");
    CHECK(docs[0].root.at(2).IsSeq());
    CHECK(docs[0].root.at(2).size() == 2);
  }
  SECTION("an alias inside the collection it names is a recursion, not an earlier anchor") {
    CHECK(ParseError("- &x \"s\"\n- &x [*x]\n") == "t.yaml:2:7: anchor 'x' value contains itself");
    CHECK_THAT(ParseError("a: &x {b: *x}\n"), Catch::Contains("anchor 'x' value contains itself"));
  }
}

// Each of these once read freed memory or could: a merge whose value is a
// sequence kept pointers into a temporary copy of the sequence (ASan:
// heap-use-after-free in CloseCollection). Under the ASan build this case is
// the regression test; in every build it checks go-yaml's merge semantics.
TEST_CASE("merge keys: sequences, inline maps, nesting, flow collections", "[yaml]") {
  SECTION("a sequence of inline maps") {
    auto docs = Parse("<<: [{a: 1}, {b: 2}]\n");
    const Node& m = docs[0].root;
    REQUIRE(m.size() == 2);
    CHECK(m.Get("a")->text() == "1");
    CHECK(m.Get("b")->text() == "2");
  }
  SECTION("a sequence of aliases: the earlier map wins, explicit keys win over both") {
    auto docs = Parse(
        "base: &base {app: a, version: v1, tier: web}\n"
        "extra: &extra {version: v2, zone: z1, tier: db}\n"
        "out:\n  <<: [*base, *extra]\n  tier: api\n");
    const Node& out = *docs[0].root.Get("out");
    CHECK(out.Get("app")->text() == "a");
    CHECK(out.Get("version")->text() == "v1");
    CHECK(out.Get("zone")->text() == "z1");
    CHECK(out.Get("tier")->text() == "api");
    CHECK(out.size() == 4);
  }
  SECTION("a single inline map") {
    auto docs = Parse("x:\n  <<: {a: 1}\n  b: 2\n");
    CHECK(docs[0].root.Find("x.a")->text() == "1");
  }
  SECTION("nested merges: a merged map that itself merges") {
    auto docs = Parse(
        "a: &a {k1: 1}\n"
        "b: &b {<<: *a, k2: 2}\n"
        "c: {<<: [*b, {k3: 3}]}\n");
    const Node& c = *docs[0].root.Get("c");
    CHECK(c.Get("k1")->text() == "1");
    CHECK(c.Get("k2")->text() == "2");
    CHECK(c.Get("k3")->text() == "3");
  }
  SECTION("merge inside a flow collection of a sequence") {
    auto docs = Parse("items: [{<<: [{a: 1}, {a: 2, b: 3}], c: 4}]\n");
    const Node& item = docs[0].root.Get("items")->at(0);
    CHECK(item.Get("a")->text() == "1");
    CHECK(item.Get("b")->text() == "3");
    CHECK(item.Get("c")->text() == "4");
  }
  SECTION("several merge keys in one document, many items") {
    std::string text = "s: &s {k: v}\n";
    for (int i = 0; i < 50; ++i) text += "m" + std::to_string(i) + ": {<<: [*s, {i: " + std::to_string(i) + "}]}\n";
    auto docs = Parse(text);
    CHECK(docs[0].root.Find("m49.i")->text() == "49");
    CHECK(docs[0].root.Find("m0.k")->text() == "v");
  }
  SECTION("a merge referring to the map it is in is refused as a recursion, not a loop") {
    CHECK_THAT(ParseError("a: &x {b: {<<: *x}}\n"), Catch::Contains("t.yaml:1:16: anchor 'x' value contains itself"));
  }
  SECTION("only a plain << is a merge key; a quoted one is an ordinary key, as in go-yaml v2") {
    auto docs = Parse("b: &b {a: 1}\nq: {\"<<\": *b}\ns: {'<<': [*b]}\nm: {!!merge <<: *b}\n");
    const Node& q = *docs[0].root.Get("q");
    REQUIRE(q.size() == 1);
    CHECK(q.KeyAt(0).text() == "<<");
    CHECK(q.ValueAt(0).Get("a")->text() == "1");
    CHECK(docs[0].root.Get("s")->Get("<<")->IsSeq());
    CHECK(docs[0].root.Find("m.a")->text() == "1");
    // Written back, the ordinary key stays ordinary.
    auto written = meshctl::yaml::WriteYaml(q);
    REQUIRE(written.ok());
    CHECK(Parse(*written)[0].root.Equals(q));
  }
  SECTION("a sequence item that is not a map is an error with its position") {
    CHECK_THAT(ParseError("<<: [{a: 1}, 5]\n"), Catch::Contains("t.yaml:1:14: map merge requires map"));
    CHECK_THAT(ParseError("<<: [[1]]\n"), Catch::Contains("map merge requires map"));
  }
  SECTION("a merge does not make a duplicate key; a repeated explicit key still is one") {
    auto docs = Parse("a: 1\n<<: {a: 2}\n");
    CHECK(docs[0].root.Get("a")->text() == "1");
    CHECK_THAT(ParseError("<<: {a: 2}\na: 1\na: 3\n"), Catch::Contains("key \"a\" already set"));
  }
  SECTION("merging an alias bomb hits the alias limit") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    char prev = 'a';
    for (char c = 'b'; c <= 'i'; ++c) {
      bomb += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", " : "") + "*" + prev;
      bomb += "]\n";
      prev = c;
    }
    bomb += "m: {<<: [{z: *i}]}\n";
    CHECK_THAT(ParseError(bomb), Catch::Contains("alias expansion exceeds"));
  }
}

TEST_CASE("the non-specific tag ! makes a plain scalar a string", "[yaml]") {
  auto docs = Parse("a: !\nb: ! 10\nc: 10\n");
  const Node& m = docs[0].root;
  CHECK(m.Get("a")->IsString());
  CHECK(m.Get("a")->text().empty());
  CHECK(m.Get("b")->IsString());
  CHECK(m.Get("b")->text() == "10");
  CHECK(m.Get("c")->IsInt());
}

TEST_CASE("non-string keys become text", "[yaml]") {
  auto docs = Parse("portLevelMtls:\n  8080:\n    mode: DISABLE\n");
  CHECK(docs[0].root.Find("portLevelMtls.8080.mode")->text() == "DISABLE");
}

TEST_CASE("bad YAML is a DataError with file:line:col", "[yaml]") {
  CHECK(ParseError("a: 1\n b: 2\n").rfind("t.yaml:2:", 0) == 0);
  // Tabs cannot indent.
  CHECK_THAT(ParseError("a:\n\tb: 1\n"), Catch::Matches("t\\.yaml:2:\\d+: .*"));
  CHECK_THAT(ParseError("a: [1, 2\n"), Catch::Contains("t.yaml:"));
  CHECK_THAT(ParseError("a: *nothing\n"), Catch::Contains("unknown anchor"));
}

TEST_CASE("duplicate keys are an error at the second key", "[yaml]") {
  CHECK(ParseError("a: 1\nb: 2\na: 3\n") == "t.yaml:3:1: key \"a\" already set in map");
  // Large maps switch to a hash set; still detected.
  std::string big;
  for (int i = 0; i < 40; ++i) big += "k" + std::to_string(i) + ": 1\n";
  big += "k7: 2\n";
  CHECK(ParseError(big) == "t.yaml:41:1: key \"k7\" already set in map");
}

TEST_CASE("nesting depth is bounded, no stack overflow", "[yaml]") {
  std::string deep(10000, '[');
  deep += std::string(10000, ']');
  CHECK_THAT(ParseError(deep), Catch::Contains("nesting deeper than 512 levels"));
  std::string blocks;
  for (int i = 0; i < 600; ++i) blocks += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  CHECK_THAT(ParseError(blocks), Catch::Contains("nesting deeper than"));
}

TEST_CASE("alias bombs are bounded", "[yaml]") {
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'i'; ++c) {
    std::string name(1, c);
    bomb += name + ": &" + name + " [";
    for (int i = 0; i < 9; ++i) bomb += (i ? ",*" : "*") + prev;
    bomb += "]\n";
    prev = name;
  }
  CHECK_THAT(ParseError(bomb), Catch::Contains("alias expansion exceeds"));
}

TEST_CASE("binary garbage is rejected with a position", "[yaml]") {
  std::string garbage("\x00\x01\x02\xff\xfe\x80 binary", 13);
  CHECK_THAT(ParseError(garbage), Catch::StartsWith("t.yaml:"));
}

TEST_CASE("a 1 MB line loads normally", "[yaml]") {
  std::string value(1 << 20, 'x');
  auto docs = Parse("apiVersion: v1\nkind: ConfigMap\ndata:\n  big: " + value + "\n");
  CHECK(docs[0].root.Find("data.big")->text().size() == value.size());
}
