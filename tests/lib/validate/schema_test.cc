#include <catch2/catch.hpp>

#include <filesystem>

#include "lib/validate/schema.h"
#include "lib/validate/validate.h"
#include "lib/yaml/parser.h"
#include "tests/support/test_support.h"
#include "tests/lib/validate/validate_testing.h"

using namespace meshctl;
using validate::testing::ValidateText;

namespace {

std::string Vs(const std::string& spec) {
  return "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n  namespace: ns\nspec:\n" +
         spec;
}

}  // namespace

TEST_CASE("every schema source parses and every type name resolves", "[validate]") {
  const auto& pool = validate::SchemaPool::Get();
  CHECK(pool.errors().empty());
  for (const auto& k : validate::AllKinds()) {
    INFO(k.kind);
    if (k.validator) CHECK(pool.FindMessage(k.message) != nullptr);
  }
  const auto* route = pool.FindMessage("istio.networking.v1alpha3.HTTPRoute");
  REQUIRE(route);
  const auto* f = route->FindField("direct_response");
  REQUIRE(f);
  CHECK(f->json_name == "directResponse");
  CHECK(pool.FindMessage("istio.networking.v1alpha3.OutlierDetection")->FindField("consecutive5xxErrors"));
}

TEST_CASE("Go durations parse like time.ParseDuration", "[validate]") {
  using validate::ParseGoDuration;
  CHECK(ParseGoDuration("10s") == 10'000'000'000LL);
  CHECK(ParseGoDuration("1.5s") == 1'500'000'000LL);
  CHECK(ParseGoDuration("1m30s") == 90'000'000'000LL);
  CHECK(ParseGoDuration("500ms") == 500'000'000LL);
  CHECK(ParseGoDuration("-1s") == -1'000'000'000LL);
  CHECK(ParseGoDuration("0") == 0);
  CHECK(ParseGoDuration("2h") == 7'200'000'000'000LL);
  CHECK_FALSE(ParseGoDuration("10"));
  CHECK_FALSE(ParseGoDuration("1x"));
  CHECK_FALSE(ParseGoDuration(""));
  CHECK_FALSE(ParseGoDuration("s"));
  CHECK_FALSE(ParseGoDuration("9999999999h"));
}

TEST_CASE("unknown fields name the field and the proto message, at the key", "[validate]") {
  auto run = ValidateText(Vs("  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a}\n    websocketUpgrade: true\n"));
  const auto* f = run.Find("cannot parse proto message: unknown field \"websocketUpgrade\" in "
                           "istio.networking.v1alpha3.HTTPRoute");
  REQUIRE(f);
  CHECK(f->line == 11);
  CHECK(f->column == 5);
  CHECK(run.findings.size() == 1);  // decoding stops at the first error
}

TEST_CASE("snake_case names, enum numbers, quoted integers and wrappers decode", "[validate]") {
  auto run = ValidateText(
      "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: d, namespace: ns}\n"
      "spec:\n  host: a.b.svc.cluster.local\n  traffic_policy:\n    tls: {mode: 1}\n"
      "    connection_pool:\n      tcp: {max_connections: \"100\", connect_timeout: 1m30s}\n"
      "    outlier_detection: {consecutive_5xx_errors: 0}\n");
  INFO(run.Dump());
  CHECK(run.valid());
}

TEST_CASE("type errors are jsonpb's", "[validate]") {
  SECTION("unknown enum name") {
    auto run = ValidateText(Vs("  hosts: [a]\n  http:\n  - redirect: {uri: /x, derivePort: NOPE}\n"));
    INFO(run.Dump());
    CHECK(run.Find("unknown value \"\\\"NOPE\\\"\" for enum istio.networking.v1alpha3.HTTPRedirect.RedirectPortSelection"));
  }
  SECTION("negative unsigned") {
    auto run = ValidateText(Vs("  hosts: [a]\n  http:\n  - match: [{port: -1}]\n    route: [{destination: {host: a}}]\n"));
    CHECK(run.Find("json: cannot unmarshal number -1 into Go value of type uint32"));
  }
  SECTION("number where a string is expected") {
    auto run = ValidateText(Vs("  hosts: [a]\n  http:\n  - match: [{sourceLabels: {version: 1}}]\n"
                               "    route: [{destination: {host: a}}]\n"));
    CHECK(run.Find("json: cannot unmarshal number into Go value of type string"));
  }
  SECTION("bad duration") {
    auto run = ValidateText(Vs("  hosts: [a]\n  http:\n  - timeout: 10\n    route: [{destination: {host: a}}]\n"));
    CHECK(run.Find("bad Duration"));
    auto run2 = ValidateText(Vs("  hosts: [a]\n  http:\n  - timeout: 10x\n    route: [{destination: {host: a}}]\n"));
    CHECK(run2.Find("bad Duration: time: invalid duration \"10x\""));
  }
}

TEST_CASE("unknown top-level keys and served versions", "[validate]") {
  auto run = ValidateText(Vs("  hosts: [a]\n  tcp: [{route: [{destination: {host: a}}]}]\n") + "extra: 1\n");
  const auto* f = run.Find("unknown field \"extra\"");
  REQUIRE(f);
  CHECK(f->line == 9);
  auto other = ValidateText("apiVersion: networking.istio.io/v1beta2\nkind: VirtualService\nmetadata: {name: r}\n"
                            "spec: {hosts: ['*']}\n");
  CHECK(other.valid());
  REQUIRE(other.findings.size() == 1);
  CHECK(other.findings[0].code == "MSH0102");
  CHECK(other.findings[0].line == 1);
}

TEST_CASE("metadata checks run first", "[validate]") {
  auto run = ValidateText("apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: r\n"
                          "  namespace: ns\n  annotations: {istio.io/dry-run: 'true'}\nspec: {}\n");
  REQUIRE(run.findings.size() == 1);
  CHECK(run.findings[0].message == "ns/r has unsupported annotation istio.io/dry-run, please remove the annotation");
  auto internal = ValidateText("apiVersion: networking.istio.io/v1\nkind: Gateway\nmetadata:\n  name: r\n"
                               "  annotations: {internal.istio.io/parents: x}\nspec: {}\n");
  CHECK(internal.Find("\"internal.istio.io/parents\" annotation found, this may not be set by users"));
}

namespace {

// Equal in everything a validator can observe: types, texts, entry order and
// positions (yaml::Node::Equals ignores positions).
bool SameWithPositions(const yaml::Node& a, const yaml::Node& b) {
  if (a.type() != b.type() || a.mark().line != b.mark().line || a.mark().column != b.mark().column) return false;
  if (a.IsScalar()) return a.text() == b.text();
  if (a.children().size() != b.children().size()) return false;
  for (size_t i = 0; i < a.children().size(); ++i)
    if (!SameWithPositions(a.children()[i], b.children()[i])) return false;
  return true;
}

// Every document with an Istio kind's spec in the YAML files under `dir`:
// where IsNormalMessage says the spec can be read in place, DecodeMessage
// must succeed and give back the same tree. Returns {normal, decoded-only}.
std::pair<int, int> CheckInPlaceAgreesWithDecode(const std::string& dir) {
  int normal = 0, other = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    std::string path = entry.path().string();
    if (!entry.is_regular_file() || (!path.ends_with(".yaml") && !path.ends_with(".yml"))) continue;
    auto docs = yaml::ParseYamlStream(testing::ReadFileOrDie(path), path);
    if (!docs.ok()) continue;  // bad-input fixtures
    for (const auto& doc : *docs) {
      const yaml::Node* api = doc.root.Get("apiVersion");
      const yaml::Node* kind = doc.root.Get("kind");
      if (!api || !kind || !api->IsString() || !kind->IsString()) continue;
      std::string_view av = api->text();
      size_t slash = av.find('/');
      if (slash == std::string_view::npos) continue;
      const validate::KindEntry* e = validate::FindKind(av.substr(0, slash), kind->text(), av.substr(slash + 1));
      const validate::MessageDesc* m = e ? validate::SchemaPool::Get().FindMessage(e->message) : nullptr;
      if (!m) continue;
      const yaml::Node* spec = doc.root.Get("spec");
      if (!validate::IsNormalMessage(spec, *m)) {
        ++other;
        continue;
      }
      ++normal;
      INFO(path << ": " << kind->text() << " at line " << doc.start.line);
      auto d = validate::DecodeMessage(spec, *m);
      REQUIRE_FALSE(d.error);
      CHECK(SameWithPositions(d.node, *spec));
    }
  }
  return {normal, other};
}

}  // namespace

TEST_CASE("specs read in place decode to themselves (testdata, conformance corpora)", "[validate]") {
  auto [normal, other] = CheckInPlaceAgreesWithDecode(testing::SourceDir() + "/testdata");
  CHECK(normal > 100);
  CHECK(other > 0);  // testdata is mostly written in the JSON names
  if (auto shared = testing::SharedDir()) {
    auto [n2, o2] = CheckInPlaceAgreesWithDecode(*shared + "/conformance");
    CHECK(n2 > 100);
    CHECK(o2 > 10);
  }
}

TEST_CASE("specs that decoding rewrites or rejects are not read in place", "[validate]") {
  const auto* vs = validate::SchemaPool::Get().FindMessage("istio.networking.v1alpha3.VirtualService");
  const auto* dr = validate::SchemaPool::Get().FindMessage("istio.networking.v1alpha3.DestinationRule");
  REQUIRE(vs);
  REQUIRE(dr);
  auto normal = [](const validate::MessageDesc* m, const std::string& spec) {
    auto docs = yaml::ParseYamlStream(spec, "t.yaml");
    REQUIRE(docs.ok());
    return validate::IsNormalMessage(&(*docs)[0].root, *m);
  };
  CHECK(normal(vs, "hosts: [a]\nhttp:\n- route:\n  - destination: {host: a, port: {number: 80}}\n    weight: 10\n"));
  CHECK_FALSE(normal(vs, "hosts: [a]\nexport_to: [.]\n"));                // proto name
  CHECK_FALSE(normal(vs, "hosts: [a]\ngateways: null\n"));                // null = absent
  CHECK_FALSE(normal(vs, "hosts: [a]\ngateways: []\n"));                  // [] = absent
  CHECK_FALSE(normal(vs, "hosts: [a]\nhttp:\n- route:\n  - destination: {host: a}\n    weight: \"10\"\n"));
  CHECK_FALSE(normal(vs, "hosts: [a]\nhttp:\n- route:\n  - destination: {host: a}\n    weight: 0x10\n"));
  CHECK_FALSE(normal(vs, "hosts: [a]\nhttp:\n- route:\n  - destination: {host: a}\n    weight: 1.0\n"));
  CHECK_FALSE(normal(vs, "hosts: [a]\nbogus: 1\n"));                      // unknown field: an error
  CHECK_FALSE(normal(vs, "hosts: a\n"));                                  // not a list: an error
  CHECK_FALSE(normal(vs, "hosts: [1]\n"));                                // not a string: an error
  CHECK_FALSE(normal(vs, "hosts: [a]\nhttp:\n- timeout: 10\n"));          // bad duration
  CHECK(normal(dr, "host: a\ntrafficPolicy: {tls: {mode: ISTIO_MUTUAL}}\n"));
  CHECK_FALSE(normal(dr, "host: a\ntrafficPolicy: {tls: {mode: 2}}\n"));  // enum number
  CHECK_FALSE(normal(dr, "host: a\ntrafficPolicy: {tls: {mode: BOGUS}}\n"));
  CHECK_FALSE(normal(dr, "host: a\ntrafficPolicy:\n"));                   // null message
  CHECK_FALSE(validate::IsNormalMessage(nullptr, *dr));                   // absent spec becomes {}
}
