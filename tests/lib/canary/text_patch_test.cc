#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "lib/canary/text_patch.h"
#include "lib/yaml/parser.h"
#include "lib/yaml/writer.h"

using namespace meshctl;
using canary::PatchText;

namespace {

yaml::Node Parse(const std::string& text) {
  auto docs = yaml::ParseYamlStream(text, "t.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  return (*docs)[0].root;
}

// Patches `text` so that it holds `after` and checks the result parses to
// exactly `after`; returns the new text.
std::string PatchTo(const std::string& text, const yaml::Node& after) {
  auto docs = yaml::ParseYamlStream(text, "t.yaml");
  REQUIRE(docs.ok());
  auto out = PatchText(text, false, {{&(*docs)[0].root, &after}}, {});
  REQUIRE(out.ok());
  INFO(*out);
  CHECK(Parse(*out).Equals(after));
  return *out;
}

const char* kRoute =
    "# header comment\n"
    "spec:\n"
    "  http:\n"
    "  - name: a   # keep me\n"
    "    route:\n"
    "    - destination:\n"
    "        host: reviews\n"
    "      weight: 100\n"
    "    timeout: 5s\n"
    "  - name: b\n"
    "    route:\n"
    "    - destination: {host: ratings}\n";

}  // namespace

TEST_CASE("text patch: a changed scalar is replaced in place", "[canary]") {
  yaml::Node after = Parse(kRoute);
  after.GetMutable("spec")->GetMutable("http")->mutable_at(0).GetMutable("route")->mutable_at(0).Set(
      "weight", yaml::Node::Scalar(yaml::NodeType::kInt, "90", {}));
  std::string out = PatchTo(kRoute, after);
  std::string expected = kRoute;
  expected.replace(expected.find("weight: 100"), 11, "weight: 90");
  CHECK(out == expected);
}

TEST_CASE("text patch: added key and item keep everything else byte for byte", "[canary]") {
  yaml::Node after = Parse(kRoute);
  yaml::Node* route = after.GetMutable("spec")->GetMutable("http")->mutable_at(0).GetMutable("route");
  yaml::Node copy = route->at(0);
  copy.Set("weight", yaml::Node::Scalar(yaml::NodeType::kInt, "10", {}));
  route->Push(copy);
  after.GetMutable("spec")->GetMutable("http")->mutable_at(1).Set("timeout",
                                                                  yaml::Node::Scalar(yaml::NodeType::kString, "1s", {}));
  std::string out = PatchTo(kRoute, after);
  CHECK(out.find("# header comment\n") == 0);
  CHECK(out.find("  - name: a   # keep me\n") != std::string::npos);
  CHECK(out.find("      weight: 100\n    - destination:\n        host: reviews\n      weight: 10\n    timeout: 5s\n") !=
        std::string::npos);
  CHECK(out.find("    - destination: {host: ratings}\n    timeout: 1s\n") != std::string::npos);
}

TEST_CASE("text patch: items inserted in front and removed", "[canary]") {
  yaml::Node after = Parse(kRoute);
  auto& items = after.GetMutable("spec")->GetMutable("http")->mutable_children();
  yaml::Node fresh = yaml::Node::Map({});
  fresh.Set("name", yaml::Node::Scalar(yaml::NodeType::kString, "first", {}));
  items.erase(items.begin() + 1);
  items.insert(items.begin(), fresh);
  std::string out = PatchTo(kRoute, after);
  CHECK(out.find("  http:\n  - name: first\n  - name: a   # keep me\n") != std::string::npos);
  CHECK(out.find("ratings") == std::string::npos);
}

TEST_CASE("text patch: removed keys and flow collections", "[canary]") {
  yaml::Node after = Parse(kRoute);
  after.GetMutable("spec")->GetMutable("http")->mutable_at(0).Remove("timeout");
  // A flow map cannot take a key in place: the entry holding it is rewritten.
  after.GetMutable("spec")->GetMutable("http")->mutable_at(1).GetMutable("route")->mutable_at(0)
      .GetMutable("destination")->Set("subset", yaml::Node::Scalar(yaml::NodeType::kString, "v1", {}));
  std::string out = PatchTo(kRoute, after);
  CHECK(out.find("timeout") == std::string::npos);
  CHECK(out.find("# keep me") != std::string::npos);
}

TEST_CASE("text patch: JSON scalars in place, structure re-written whole", "[canary]") {
  std::string json = "{\"a\": {\"w\": 10, \"s\": \"x\"}, \"b\": [1, 2]}";
  auto docs = yaml::ParseYamlStream(json, "t.json");
  REQUIRE(docs.ok());
  yaml::Node after = (*docs)[0].root;
  after.GetMutable("a")->Set("w", yaml::Node::Scalar(yaml::NodeType::kInt, "20", {}));
  after.GetMutable("a")->Set("s", yaml::Node::Scalar(yaml::NodeType::kString, "y\"z", {}));
  auto out = PatchText(json, true, {{&(*docs)[0].root, &after}}, {});
  REQUIRE(out.ok());
  CHECK(*out == "{\"a\": {\"w\": 20, \"s\": \"y\\\"z\"}, \"b\": [1, 2]}");
  after.GetMutable("b")->Push(yaml::Node::Scalar(yaml::NodeType::kInt, "3", {}));
  out = PatchText(json, true, {{&(*docs)[0].root, &after}}, {});
  REQUIRE(out.ok());
  CHECK(*out == yaml::WriteJson(after, 2));
}

TEST_CASE("text patch: appended documents", "[canary]") {
  yaml::Node extra = Parse("kind: Extra\n");
  auto out = PatchText("kind: A\n", false, {}, {&extra});
  REQUIRE(out.ok());
  CHECK(*out == "kind: A\n---\nkind: Extra\n");
  CHECK_FALSE(PatchText("{}", true, {}, {&extra}).ok());
}

namespace {

void Collect(yaml::Node& n, std::vector<yaml::Node*>& out) {
  out.push_back(&n);
  if (n.IsMap()) {
    for (size_t i = 0; i < n.size(); ++i) Collect(n.MutableValueAt(i), out);
  } else if (n.IsSeq()) {
    for (size_t i = 0; i < n.size(); ++i) Collect(n.mutable_at(i), out);
  }
}

}  // namespace

// Random edits of every canary fixture: whatever the patcher does (in
// place, insert, delete, re-write an entry or the document), the new text
// parses to exactly the edited tree and the other documents are unchanged.
TEST_CASE("text patch: random edits of the fixtures always give the edited tree", "[canary]") {
  namespace fs = std::filesystem;
  std::mt19937 rng(7);
  int trials = 0;
  for (const auto& e : fs::recursive_directory_iterator("testdata/canary")) {
    if (!e.is_regular_file() || e.path().extension() != ".yaml" || e.path().string().find("golden") != std::string::npos)
      continue;
    std::ifstream f(e.path());
    std::stringstream ss;
    ss << f.rdbuf();
    const std::string text = ss.str();
    auto docs = yaml::ParseYamlStream(text, e.path().string());
    REQUIRE(docs.ok());
    for (size_t d = 0; d < docs->size(); ++d) {
      for (int t = 0; t < 12; ++t) {
        yaml::Node after = (*docs)[d].root;
        for (int m = 0, edits = 1 + static_cast<int>(rng() % 3); m < edits; ++m) {
          std::vector<yaml::Node*> nodes;
          Collect(after, nodes);
          yaml::Node* target = nodes[rng() % nodes.size()];
          yaml::Node fresh = yaml::Node::Scalar(yaml::NodeType::kInt, std::to_string(rng() % 1000), {});
          switch (rng() % 5) {
            case 0:
              *target = fresh;
              break;
            case 1:
              if (target->IsMap()) target->Set("zz-added-" + std::to_string(m), fresh);
              break;
            case 2:
              if (target->IsSeq()) target->Push(fresh);
              break;
            case 3:
              if (target->IsMap() && target->size() > 1) target->Remove(target->KeyAt(rng() % target->size()).text());
              break;
            default:
              if (target->IsSeq()) target->mutable_children().insert(target->mutable_children().begin(), fresh);
          }
        }
        auto out = PatchText(text, false, {{&(*docs)[d].root, &after}}, {});
        INFO(e.path() << " doc " << d << " trial " << t);
        REQUIRE(out.ok());
        auto again = yaml::ParseYamlStream(*out, "patched.yaml");
        INFO(*out);
        REQUIRE(again.ok());
        REQUIRE(again->size() == docs->size());
        for (size_t k = 0; k < docs->size(); ++k) CHECK((*again)[k].root.Equals(k == d ? after : (*docs)[k].root));
        ++trials;
      }
    }
  }
  CHECK(trials > 100);
}

// Fuzz finding (canary_text_patch): a key added to an item while the next
// item is replaced. The key's text is inserted where the next item begins,
// the very offset where that item's deletion starts; the insertion was taken
// for an edit inside the deletion and dropped.
TEST_CASE("text patch: a key added to an item survives the replacement of the next item", "[canary]") {
  const std::string text =
      "AapiVersion: networking.istio.io/v1\n"
      "kind: ServiceEntry\n"
      "metadata:\n"
      "  name: legacy-api\n"
      "spec:\n"
      "  ports:  # the legacy API's ports\n"
      "  - number: 80\n"
      "    name: http\n"
      "  - number: 8080\n"
      "    name: http-alt\n"
      "  resolution: DNS\n";
  yaml::Node after = Parse(text);
  auto& ports = *after.GetMutable("spec")->GetMutable("ports");
  ports.mutable_at(0).Set("protocol", yaml::Node::Scalar(yaml::NodeType::kString, "HTTP", {}));
  yaml::Node fresh = yaml::Node::Map({});
  fresh.Set("number", yaml::Node::Scalar(yaml::NodeType::kInt, "9090", {}));
  ports.mutable_at(1) = fresh;
  std::string out = PatchTo(text, after);
  CHECK(out.find("    name: http\n    protocol: HTTP\n  - number: 9090\n  resolution: DNS\n") != std::string::npos);
  // Patched in place (the comment stays), nothing written twice.
  CHECK(out.find("  ports:  # the legacy API's ports\n") != std::string::npos);
  CHECK(out.find("metadata:") == out.rfind("metadata:"));
}

// Whatever the patcher does in place, what it returns reads back as the
// change: a change to a document it cannot patch safely is re-written whole
// or refused, never written with a duplicate key.
TEST_CASE("text patch: the result always reads back as the change", "[canary]") {
  const std::string text =
      "AapiVersion: networking.istio.io/v1\n"
      "kind: ServiceEntry\n"
      "metadata: {name: legacy-api,\n"
      "  namespace: shop}\n"
      "spec:\n"
      "  hosts: [api.example.com]\n";
  yaml::Node after = Parse(text);
  after.GetMutable("metadata")->Set("labels", yaml::Node::Map({}));
  after.GetMutable("metadata")->GetMutable("labels")->Set("app", yaml::Node::Scalar(yaml::NodeType::kString, "api", {}));
  after.Set("zz-added", yaml::Node::Scalar(yaml::NodeType::kInt, "1", {}));
  std::string out = PatchTo(text, after);
  CHECK(out.find("metadata:") == out.rfind("metadata:"));
}
