// The analyzer cases of ../shared/fixtures/ambient/cases.tsv (suite
// "analyzer"): Istio's ambient-aware analyzers over Istio's own test inputs,
// compared as Istio's harness compares them, a multiset of
// (code, "Kind namespace/name"). Skipped with a message without ../shared.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "lib/analysis/engine.h"
#include "tests/support/test_support.h"

namespace meshctl::analysis {
namespace {

std::optional<std::string> AnalyzerTestdata() {
  auto shared = testing::SharedDir();
  if (!shared) return std::nullopt;
  return *shared + "/fixtures/ambient/istio/pkg/config/analysis/analyzers/testdata/";
}

std::vector<std::string> Run(const std::string& dir, const std::vector<std::string>& files,
                             const std::string& analyzer) {
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(dir + f);
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs(paths, no_stdin);
  REQUIRE(inputs.ok());
  AnalyzeOptions opts;
  opts.harness = true;
  opts.all_namespaces = true;
  opts.ns.clear();
  opts.analyzers = {analyzer};
  AnalyzeResult result = AnalyzeInputs(*inputs, opts);
  CHECK(result.unknown_analyzers.empty());
  CHECK(result.load_errors.empty());
  std::vector<std::string> out;
  for (const auto& d : result.diagnostics) out.push_back(d.code + " " + d.Origin());
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

struct Case {
  const char* name;
  std::vector<std::string> files;
  const char* analyzer;  // Istio's analyzer name
  std::vector<std::string> expected;
};

TEST_CASE("ambient-aware analyzers match Istio's analyzer tests", "[ambient][analysis]") {
  auto dir = AnalyzerTestdata();
  if (!dir) MESHCTL_SKIP("../shared/fixtures/ambient is absent: Istio analyzer cases skipped");
  const std::vector<Case> cases = {
      {"misannoted",
       {"misannotated.yaml"},
       "annotations.K8sAnalyzer",
       {"IST0108 Service httpbin", "IST0125 Pod invalid-annotations", "IST0107 Pod grafana-test",
        "IST0107 Deployment fortio-deploy", "IST0107 Namespace staging", "IST0135 Deployment fortio-deploy"}},
      {"istioInjection",
       {"injection.yaml"},
       "injection.Analyzer",
       {"IST0102 Namespace bar", "IST0103 Pod default/noninjectedpod", "IST0123 Namespace busted",
        "IST0123 Namespace multi-ns-1", "IST0123 Namespace multi-ns-2", "IST0123 Namespace multi-ns-3"}},
      {"istioInjectionEnableNamespacesByDefault",
       {"injection.yaml", "common/sidecar-injector-enabled-nsbydefault.yaml"},
       "injection.Analyzer",
       {"IST0148 Namespace bar", "IST0103 Pod default/noninjectedpod", "IST0123 Namespace busted",
        "IST0123 Namespace multi-ns-1", "IST0123 Namespace multi-ns-2", "IST0123 Namespace multi-ns-3"}},
      {"namedPort", {"service-port-name.yaml"}, "service.PortNameAnalyzer", {}},
      {"sidecarDefaultSelector",
       {"sidecar-default-selector.yaml"},
       "sidecar.SelectorAnalyzer",
       {"IST0111 Sidecar ns2/has-conflict-2", "IST0111 Sidecar ns2/has-conflict-1",
        "IST0167 Sidecar ns-ambient/namespace-scoped", "IST0167 Sidecar ns-ambient/pod-scoped"}},
      {"serviceMultipleDeployments",
       {"deployment-multi-service.yaml"},
       "deployment.MultiServiceAnalyzer",
       {"IST0116 Deployment bookinfo/multiple-svc-multiple-prot", "IST0116 Deployment bookinfo/multiple-without-port",
        "IST0137 Deployment bookinfo/conflicting-ports"}},
      {"authorizationpolicies",
       {"authorizationpolicies.yaml"},
       "auth.AuthorizationPoliciesAnalyzer",
       {"IST0127 AuthorizationPolicy istio-system/meshwide-httpbin-v1",
        "IST0127 AuthorizationPolicy httpbin-empty/httpbin-empty-namespace-wide",
        "IST0127 AuthorizationPolicy httpbin/httpbin-nopods", "IST0101 AuthorizationPolicy httpbin/httpbin-bogus-ns",
        "IST0101 AuthorizationPolicy httpbin/httpbin-bogus-ns",
        "IST0101 AuthorizationPolicy httpbin/httpbin-bogus-not-ns",
        "IST0101 AuthorizationPolicy httpbin/httpbin-bogus-not-ns",
        "IST0127 AuthorizationPolicy test-ambient/no-workload"}},
      {"KubernetesGatewaySelector",
       {"k8sgateway-selector.yaml"},
       "k8sgateway.SelectorAnalyzer",
       {"IST0166 RequestAuthentication default/ra-ineffective", "IST0166 AuthorizationPolicy default/ap-ineffective",
        "IST0166 WasmPlugin default/wasmplugin-ineffective", "IST0166 Telemetry default/telemetry-ineffective"}},
      {"Condition Analyzer",
       {"condition-analyzer.yaml"},
       "conditions.ConditionAnalyzer",
       {"IST0171 Service default/negative-condition-svc", "IST0171 ServiceEntry default/negative-condition-svcEntry",
        "IST0171 AuthorizationPolicy default/negative-condition-authz",
        "IST0171 Gateway default/negative-condition-gateway", "IST0171 HTTPRoute default/negative-condition-httproute",
        "IST0171 GRPCRoute default/negative-condition-grpcroute",
        "IST0171 AuthorizationPolicy default/negative-condition-authz-partially-invalid"}},
  };
  for (const auto& c : cases) {
    DYNAMIC_SECTION(c.name) { CHECK(Run(*dir, c.files, c.analyzer) == Sorted(c.expected)); }
  }
}

}  // namespace
}  // namespace meshctl::analysis
