// Analyze on real-world-shaped repository layouts (testdata/realworld/):
// same-named resources across rollout-step files, schema warnings, Istio's
// own Services absent from an application repository.
#include <catch2/catch.hpp>

#include <sstream>

#include "lib/analysis/engine.h"

namespace meshctl::analysis {
namespace {

AnalyzeResult Analyze(const std::vector<std::string>& paths, AnalyzeOptions opts = {}) {
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs(paths, no_stdin);
  REQUIRE(inputs.ok());
  return AnalyzeInputs(*inputs, opts);
}

std::vector<const diag::Diagnostic*> WithCode(const AnalyzeResult& r, const std::string& code) {
  std::vector<const diag::Diagnostic*> out;
  for (const auto& d : r.diagnostics)
    if (d.code == code) out.push_back(&d);
  return out;
}

TEST_CASE("analyze keeps the last copy of a same-named resource and reports the duplicate once",
          "[analysis][realworld]") {
  const std::string dir = "testdata/realworld/01-rollout-steps";
  AnalyzeResult r = Analyze({dir});
  CHECK(WithCode(r, "IST0109").empty());
  auto dup = WithCode(r, "MSH0206");
  REQUIRE(dup.size() == 1);
  CHECK(dup[0]->severity == diag::Severity::kInfo);
  CHECK(dup[0]->file == dir + "/step-2-50-50.yaml");
  CHECK(dup[0]->message.find(dir + "/step-1-90-10.yaml:1, then " + dir + "/step-2-50-50.yaml:1") !=
        std::string::npos);
  // Only the last copy is analyzed: exactly one VirtualService, the 50/50 one.
  auto vss = r.snapshot.OfKind(model::kinds::kVirtualService);
  REQUIRE(vss.size() == 1);
  CHECK(vss[0]->file == dir + "/step-2-50-50.yaml");
  // Suppressible like any finding.
  AnalyzeOptions opts;
  auto rule = diag::ParseSuppressRule("MSH0206=VirtualService default/reviews");
  REQUIRE(rule.ok());
  opts.suppressions.push_back(*rule);
  CHECK(WithCode(Analyze({dir}, opts), "MSH0206").empty());
}

TEST_CASE("analyze reports schema warnings as IST0133 and unreachable rules only as IST0130",
          "[analysis][realworld]") {
  AnalyzeResult r = Analyze({"testdata/realworld/02-schema-warnings/reviews.yaml"});
  CHECK(WithCode(r, "IST0106").empty());
  auto warn = WithCode(r, "IST0133");
  REQUIRE(warn.size() == 1);
  CHECK(warn[0]->severity == diag::Severity::kWarning);
  CHECK(warn[0]->message.rfind("Schema validation warning: using legacy gatewayName format", 0) == 0);
  auto unreachable = WithCode(r, "IST0130");
  REQUIRE(unreachable.size() == 1);
  CHECK(unreachable[0]->mark.line == 18);
}

TEST_CASE("analyze treats hosts of the Istio namespace as unknown when none of its Services is given",
          "[analysis][realworld]") {
  const std::string dir = "testdata/realworld/03-egress-gateway";
  AnalyzeResult r = Analyze({dir});
  auto missing = WithCode(r, "IST0101");
  // The egress gateway host is not reported; a truly missing app host still is.
  REQUIRE(missing.size() == 1);
  CHECK(missing[0]->message.find("reviews.default.svc.cluster.local") != std::string::npos);
  // With a Service of istio-system in the input, the namespace is known and
  // the egress gateway is missing.
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs({dir}, no_stdin);
  REQUIRE(inputs.ok());
  inputs->files.push_back({"istiod.yaml",
                           "apiVersion: v1\nkind: Service\nmetadata:\n  name: istiod\n  namespace: istio-system\n"
                           "spec:\n  ports:\n  - {name: grpc-xds, port: 15010}\n"});
  AnalyzeResult known = AnalyzeInputs(*inputs, {});
  bool egress = false;
  for (const auto* d : WithCode(known, "IST0101"))
    egress = egress || d->message.find("istio-egressgateway.istio-system") != std::string::npos;
  CHECK(egress);
}

TEST_CASE("analyze counts an Argo Rollout as the workload its Services select", "[analysis][realworld]") {
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs({"testdata/realworld/12-argo-rollout"}, no_stdin);
  REQUIRE(inputs.ok());
  // Another app's Deployment, so the selector check has workloads to look at.
  inputs->files.push_back({"other.yaml",
                           "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\n  namespace: default\n"
                           "spec:\n  template:\n    metadata:\n      labels: {app: other, version: v1}\n"});
  AnalyzeResult r = AnalyzeInputs(*inputs, {});
  CHECK(WithCode(r, "MSH0204").empty());
}

}  // namespace
}  // namespace meshctl::analysis
