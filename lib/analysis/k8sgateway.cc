// k8sgateway.SelectorAnalyzer: policies (AuthorizationPolicy,
// RequestAuthentication, Telemetry, WasmPlugin) whose selector matches Gateway
// API gateway pods, where targetRef should be used (IST0166).
// k8sgateway.CRDVersionAnalyzer: Gateway API CRDs whose bundle version is
// below what Istio needs (IST0176).
#include <map>
#include <tuple>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

constexpr std::string_view kGatewayNameLabel = "gateway.networking.k8s.io/gateway-name";

class K8sGatewaySelectorAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "k8sgateway.selector", "k8sgateway.SelectorAnalyzer",
        "Check that selectors are effective for Kubernetes gateway",
        {model::kinds::kAuthorizationPolicy, model::kinds::kRequestAuthentication, model::kinds::kTelemetry,
         model::kinds::kWasmPlugin, model::kinds::kPod},
        {"IST0166"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::map<std::string, std::vector<LabelMap>> gw_pods;
    for (const model::Resource* p : ctx.snapshot.OfKind(model::kinds::kPod))
      if (p->HasLabel(kGatewayNameLabel)) gw_pods[p->ns].push_back(p->Labels());
    for (const auto& gk : {model::kinds::kAuthorizationPolicy, model::kinds::kRequestAuthentication,
                           model::kinds::kTelemetry, model::kinds::kWasmPlugin}) {
      for (const model::Resource* r : ctx.snapshot.OfKind(gk)) {
        const yaml::Node* target = Dig(r, {"spec", "targetRef"});
        if (target && !target->IsNull()) continue;
        const yaml::Node* selector = Dig(r, {"spec", "selector"});
        if (!selector || selector->IsNull()) continue;
        LabelMap sel = StringMap(Dig(r, {"spec", "selector", "matchLabels"}));
        auto it = gw_pods.find(r->ns);
        if (it == gw_pods.end()) continue;
        for (const auto& pl : it->second)
          if (SelectorMatches(sel, pl))
            sink.Report("IST0166", *r, "", {pl.at(std::string(kGatewayNameLabel))});
      }
    }
  }
};

// Masterminds semver's NewVersion (loose): optional "v", 1-3 numeric parts,
// optional -prerelease and +metadata.
struct SemVer {
  int64_t major = 0, minor = 0, patch = 0;
  std::string pre, meta;
  bool ok = false;
  std::string String() const {
    std::string s = std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
    if (!pre.empty()) s += "-" + pre;
    if (!meta.empty()) s += "+" + meta;
    return s;
  }
};

SemVer ParseSemVer(std::string v) {
  SemVer out;
  if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) v.erase(0, 1);
  if (size_t plus = v.find('+'); plus != std::string::npos) {
    out.meta = v.substr(plus + 1);
    v.resize(plus);
  }
  if (size_t dash = v.find('-'); dash != std::string::npos) {
    out.pre = v.substr(dash + 1);
    v.resize(dash);
  }
  int64_t* parts[] = {&out.major, &out.minor, &out.patch};
  size_t idx = 0, start = 0;
  while (true) {
    size_t dot = v.find('.', start);
    std::string p = v.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (p.empty() || idx >= 3 || p.find_first_not_of("0123456789") != std::string::npos || p.size() > 18) return out;
    *parts[idx++] = std::stoll(p);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  out.ok = true;
  return out;
}

class CrdVersionAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "k8sgateway.crd-version", "k8sgateway.CRDVersionAnalyzer",
        "Checks Gateway API CRDs are at the minimum version required by this Istio version",
        {{"apiextensions.k8s.io", "CustomResourceDefinition"}},
        {"IST0176"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // Istio's gatewayapi.MinimumCRDVersions.
    static const std::map<std::string, std::tuple<int, int, int>> kMinimum = {
        {"grpcroutes.gateway.networking.k8s.io", {1, 1, 0}},
        {"backendtlspolicies.gateway.networking.k8s.io", {1, 4, 0}},
        {"tlsroutes.gateway.networking.k8s.io", {1, 5, 0}},
        {"tcproutes.gateway.networking.k8s.io", {1, 6, 0}},
    };
    for (const model::Resource* crd : ctx.snapshot.OfKind({"apiextensions.k8s.io", "CustomResourceDefinition"})) {
      auto it = kMinimum.find(crd->name);
      if (it == kMinimum.end()) continue;
      if (!crd->HasAnnotation("gateway.networking.k8s.io/bundle-version")) continue;
      SemVer v = ParseSemVer(std::string(crd->Annotation("gateway.networking.k8s.io/bundle-version")));
      if (!v.ok) continue;
      auto [ma, mi, pa] = it->second;
      if (std::make_tuple(v.major, v.minor, v.patch) <
          std::make_tuple(int64_t{ma}, int64_t{mi}, int64_t{pa})) {
        std::string minimum = std::to_string(ma) + "." + std::to_string(mi) + "." + std::to_string(pa);
        sink.Report("IST0176", *crd, KeyPath("metadata.annotations", "gateway.networking.k8s.io/bundle-version"),
                    {crd->name, v.String(), minimum});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewK8sGatewaySelectorAnalyzer() { return std::make_unique<K8sGatewaySelectorAnalyzer>(); }
std::unique_ptr<Analyzer> NewCrdVersionAnalyzer() { return std::make_unique<CrdVersionAnalyzer>(); }

}  // namespace meshctl::analysis
