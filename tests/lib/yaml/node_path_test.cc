// Node::Find walks a field path in place (no per-call split); it must agree
// with the path grammar SplitFieldPath defines, odd spellings included.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "lib/yaml/parser.h"

using meshctl::yaml::Node;
using meshctl::yaml::ParseYamlStream;
using meshctl::yaml::SplitFieldPath;

namespace {

// The reference walk: split first, then follow each segment.
const Node* FindBySplit(const Node& root, std::string_view path) {
  const Node* n = &root;
  for (const auto& seg : SplitFieldPath(path)) {
    const Node* next = nullptr;
    if (seg.size() > 2 && seg.front() == '[' && seg.back() == ']' && n->IsSeq()) {
      size_t idx = std::strtoul(seg.c_str() + 1, nullptr, 10);
      if (idx < n->size()) next = &n->at(idx);
    } else {
      next = n->Get(seg);
    }
    if (!next) return nullptr;
    n = next;
  }
  return n;
}

}  // namespace

TEST_CASE("Find follows field paths as SplitFieldPath spells them", "[yaml]") {
  auto docs = ParseYamlStream(
      "metadata:\n  labels:\n    app.kubernetes.io/name: web\n    '': empty\n    '[0]': bracket-key\n"
      "    '[]': empty-bracket\nspec:\n  ports:\n  - port: 80\n  - port: 443\n    name: https\n"
      "a..b: dots\nx:\n  y: 1\n",
      "t.yaml");
  REQUIRE(docs.ok());
  const Node& root = (*docs)[0].root;
  const char* paths[] = {
      "spec.ports[1].port",  ".spec.ports[0].port",  "spec..ports[1].name", "spec.ports[2].port",
      "spec.ports[+1].name", "spec.ports[-1]",       "spec.ports[x]",       "spec.ports[]",
      "spec.ports",          "spec.ports[0",         "metadata.labels['app.kubernetes.io/name']",
      "metadata.labels[\"app.kubernetes.io/name\"]",  "metadata.labels['']", "metadata.labels[0]",
      "metadata.labels[]",   "metadata.labels[0][1]", "x.y",                 "x.y.z",
      "",                    ".",                    "a..b",                "x[0]",
      "spec.ports[ 1].port", "[0]",                  "spec[ports]",         "spec.ports[1]port",
  };
  for (const char* p : paths) {
    INFO(p);
    CHECK(root.Find(p) == FindBySplit(root, p));
  }
  CHECK(root.Find("metadata.labels['app.kubernetes.io/name']")->text() == "web");
  CHECK(root.Find("metadata.labels[0]")->text() == "bracket-key");
  CHECK(root.Find("metadata.labels[]")->text() == "empty-bracket");
  CHECK(root.Locate("spec.ports[1].name").line == 11);
  CHECK(root.LocateKey("spec.ports[1].name").column == 5);
}
