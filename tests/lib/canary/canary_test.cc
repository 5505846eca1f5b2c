// The canary pipeline's checks of its own result and its answers to bad
// input (lib/canary/canary.cc, verify.cc, ownership.cc, service_info.cc).
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "lib/canary/canary.h"
#include "lib/canary/service_info.h"
#include "lib/io/files.h"

using namespace meshctl;
using canary::CanarySpec;

namespace {

io::InputSet Inputs(const std::vector<std::string>& paths) {
  std::istringstream none;
  auto in = io::ReadInputs(paths, none);
  REQUIRE(in.ok());
  return std::move(in).value();
}

CanarySpec Spec(const std::string& service, int weight, const std::string& stable = "",
                const std::string& canary = "") {
  CanarySpec s;
  s.service = service;
  s.ns = "bookinfo";
  s.weight = weight;
  s.stable = stable;
  s.canary = canary;
  return s;
}

std::vector<std::string> Codes(const canary::CanaryResult& r) {
  std::vector<std::string> out;
  for (const auto& d : r.findings) out.push_back(d.code + " " + d.kind + " " + d.name);
  return out;
}

const std::string kBase = "testdata/canary/base";
const std::string kP = "testdata/canary/patching/";

}  // namespace

TEST_CASE("canary: a subset that selects no pods blocks the change", "[canary]") {
  auto r = canary::RunCanary(Inputs({kBase, kP + "broken-subset.yaml"}), Spec("reviews", 10, "v1", "v2"));
  REQUIRE(r.ok());
  CHECK(r->has_errors);
  auto codes = Codes(*r);
  REQUIRE(codes.size() == 1);
  CHECK(codes[0] == "MSH0301 VirtualService reviews");
  CHECK(r->findings[0].message == "The subset v2 selects no workload of Service bookinfo/reviews (labels version=v2-typo)");
  CHECK(r->findings[0].field_path == "spec.http[0].route[1].destination.subset");
  // The position is in the file as it is on disk: the route the new
  // destination goes into.
  CHECK(r->findings[0].file == kP + "broken-subset.yaml");
  CHECK(r->findings[0].mark.line == 28);  // `- route:`
}

TEST_CASE("canary: Istio's validation runs on the changed resources (MSH0100)", "[canary]") {
  io::InputSet in = Inputs({kBase});
  in.files.push_back({"vs.yaml",
                      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
                      "  namespace: bookinfo\nspec:\n  hosts:\n  - reviews\n  http:\n  - route:\n"
                      "    - destination:\n        host: reviews\n        subset: v1\n    timeout: -5s\n"});
  auto r = canary::RunCanary(in, Spec("reviews", 10, "v1", "v2"));
  REQUIRE(r.ok());
  CHECK(r->has_errors);
  REQUIRE_FALSE(r->findings.empty());
  CHECK(r->findings[0].code == "MSH0100");
  CHECK(r->findings[0].field_path == "spec.http[0].timeout");
  CHECK(r->findings[0].file == "vs.yaml");
  CHECK(r->findings[0].mark.line == 14);
}

TEST_CASE("canary: the analysis engine runs on the result (IST0101 blocks)", "[canary]") {
  // The header rule left alone routes to a subset no DestinationRule
  // defines: the VirtualService canary would write is broken, so nothing is.
  io::InputSet in = Inputs({kBase});
  in.files.push_back({"vs.yaml",
                      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
                      "  namespace: bookinfo\nspec:\n  hosts:\n  - reviews\n  http:\n  - match:\n    - headers:\n"
                      "        end-user:\n          exact: jason\n    route:\n    - destination:\n        host: reviews\n"
                      "        subset: v4\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n"});
  auto r = canary::RunCanary(in, Spec("reviews", 10, "v1", "v2"));
  REQUIRE(r.ok());
  CHECK(r->has_errors);
  auto codes = Codes(*r);
  CHECK(std::find(codes.begin(), codes.end(), "IST0101 VirtualService reviews") != codes.end());
  // Without the broken rule the same change passes.
  in.files.back().content = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
                            "  namespace: bookinfo\nspec:\n  hosts:\n  - reviews\n  http:\n  - route:\n"
                            "    - destination:\n        host: reviews\n        subset: v1\n";
  auto ok = canary::RunCanary(in, Spec("reviews", 10, "v1", "v2"));
  REQUIRE(ok.ok());
  CHECK_FALSE(ok->has_errors);
}

TEST_CASE("canary: ownership by Flagger, Argo Rollouts and Kiali is a warning", "[canary]") {
  auto r = canary::RunCanary(Inputs({kBase, kP + "flagger-owned.yaml"}), Spec("reviews", 10, "v1", "v2"));
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_errors);
  REQUIRE(r->findings.size() == 1);
  CHECK(r->findings[0].code == "MSH0303");
  CHECK(r->findings[0].severity == diag::Severity::kWarning);
  CHECK(r->findings[0].message.find("managed by Flagger (annotation flagger.kubernetes.io/original-configuration, "
                                    "ownerReference Canary reviews)") != std::string::npos);

  // A change that adds a subset touches the Argo-managed DestinationRule too.
  auto argo = canary::RunCanary(Inputs({kBase, kP + "flagger-owned.yaml"}), Spec("reviews", 10, "v1", "v3"));
  REQUIRE_FALSE(argo.ok());  // route has v2, which is now neither stable nor canary
  auto kiali = canary::RunCanary(Inputs({kBase, kP + "kiali-owned.yaml"}), Spec("reviews", 10, "v1", "v2"));
  REQUIRE(kiali.ok());
  REQUIRE(kiali->findings.size() == 1);
  CHECK(kiali->findings[0].message.find("a Kiali wizard (label kiali_wizard=traffic_shifting)") != std::string::npos);
}

TEST_CASE("canary: Argo Rollouts marks on a DestinationRule that gets a subset", "[canary]") {
  std::string dir = "testdata/canary/patching/";
  io::InputSet in = Inputs({kBase});
  in.files.push_back({"argo.yaml",
                      "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n"
                      "  namespace: bookinfo\n  managedFields:\n  - manager: rollouts-controller\n"
                      "    operation: Update\nspec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n"
                      "      version: v1\n"});
  auto r = canary::RunCanary(in, Spec("reviews", 10, "v1", "v2"));
  REQUIRE(r.ok());
  bool argo = false;
  for (const auto& d : r->findings)
    argo |= d.code == "MSH0303" && d.kind == "DestinationRule" && d.message.find("Argo Rollouts") != std::string::npos;
  CHECK(argo);
}

TEST_CASE("canary: bad input gets a clear message and the right status", "[canary]") {
  struct Case {
    const char* name;
    CanarySpec spec;
    std::vector<std::string> files;
    core::StatusCode code;
    const char* text;
  };
  std::vector<Case> cases = {
      {"unknown service", Spec("reviewz", 10), {kBase}, core::StatusCode::kDataError, "did you mean \"reviews\"?"},
      {"other namespace", [] { auto s = Spec("reviews", 10); s.ns = "default"; return s; }(), {kBase},
       core::StatusCode::kDataError, "it exists in namespace bookinfo; use -n"},
      {"three versions", Spec("reviews", 10), {kBase}, core::StatusCode::kDataError,
       "has versions v1, v2, v3; pass --stable and --canary"},
      {"missing version", Spec("reviews", 10, "v1", "v9"), {kBase}, core::StatusCode::kDataError,
       "no workload behind Service bookinfo/reviews has version=v9 (--canary); versions found: v1, v2, v3"},
      {"same versions", Spec("reviews", 10, "v1", "v1"), {kBase}, core::StatusCode::kInvalidArgument,
       "are both \"v1\""},
      {"no versions", [] { auto s = Spec("reviews", 10); s.version_label = "track"; return s; }(), {kBase},
       core::StatusCode::kDataError, "no versions found: no workload behind Service bookinfo/reviews has a \"track\" label"},
      {"weight 101", Spec("reviews", 101, "v1", "v2"), {kBase}, core::StatusCode::kInvalidArgument, "out of range"},
      {"smi with header", [] { auto s = Spec("reviews", 10, "v1", "v2"); s.target = canary::Target::kSmi;
                               s.headers = {{"a", "b"}}; return s; }(), {kBase},
       core::StatusCode::kInvalidArgument, "TrafficSplit has no header"},
      {"gateway with istio", [] { auto s = Spec("reviews", 10, "v1", "v2"); s.target = canary::Target::kIstio; s.gateway = "gw"; return s; }(), {kBase},
       core::StatusCode::kInvalidArgument, "--gateway applies to --target gateway-api only"},
      {"gateway-api multi-port", [] { auto s = Spec("orders", 10); s.target = canary::Target::kGatewayApi; return s; }(),
       {kP + "multiport.yaml"}, core::StatusCode::kDataError, "has several ports (8080, 9000)"},
  };
  for (const auto& c : cases) {
    INFO(c.name);
    auto r = canary::RunCanary(Inputs(c.files), c.spec);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == c.code);
    INFO(r.status().message());
    CHECK(r.status().message().find(c.text) != std::string::npos);
  }
}

TEST_CASE("canary: unparsable input is refused before anything is generated", "[canary]") {
  io::InputSet in = Inputs({kBase});
  in.files.push_back({"broken.yaml", "kind: VirtualService\nmetadata: [\n"});
  auto r = canary::RunCanary(in, Spec("reviews", 10, "v1", "v2"));
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == core::StatusCode::kDataError);
  CHECK(r.status().message().find("broken.yaml:") == 0);
}

TEST_CASE("canary: versions sort naturally and pair up from the live route", "[canary]") {
  CHECK(canary::NaturalLess("v2", "v10"));
  CHECK_FALSE(canary::NaturalLess("v10", "v2"));
  CHECK(canary::NaturalLess("canary", "stable"));
  CHECK(canary::NaturalLess("v1", "v1.1"));
}
