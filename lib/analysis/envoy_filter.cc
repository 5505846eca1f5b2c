// envoyfilter.EnvoyPatchAnalyzer: patch operations that Envoy ignores or
// applies unreliably: ADD/REMOVE on ROUTE_CONFIGURATION or HTTP_ROUTE
// (IST0153/IST0154), REPLACE outside HTTP_FILTER/NETWORK_FILTER/VIRTUAL_HOST
// (IST0152), relative operations without a priority (IST0151), or with a
// filter an earlier proxyVersion-scoped patch touched (IST0155).
// deprecation.DeprecationAnalyzer: deprecated fields and removed types
// (IST0002).
#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

class EnvoyPatchAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "envoyfilter.patch", "envoyfilter.EnvoyPatchAnalyzer", "Checks an envoyFilters ",
        {model::kinds::kEnvoyFilter},
        {"IST0151", "IST0152", "IST0153", "IST0154", "IST0155"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // Names of filters patched by earlier patches that set match.proxy.proxyVersion
    // (file order, across EnvoyFilters).
    std::vector<std::string> versioned;
    for (const model::Resource* ef : ctx.snapshot.OfKind(model::kinds::kEnvoyFilter)) {
      const yaml::Node* patches = Dig(ef, {"spec", "configPatches"});
      if (!patches || !patches->IsSeq()) continue;
      const yaml::Node* prio = Dig(ef, {"spec", "priority"});
      int64_t priority = prio ? prio->AsInt().value_or(0) : 0;
      for (size_t i = 0; i < patches->size(); ++i) {
        const yaml::Node& cp = patches->at(i);
        const yaml::Node* patch = cp.IsMap() ? cp.Get("patch") : nullptr;
        if (!patch || patch->IsNull()) break;
        // Istio points at `patch.value`, an object its line table does not hold,
        // so these findings sit at the document start (and same-text findings
        // on one EnvoyFilter merge, as in istioctl).
        const std::string path;
        // Istio compares the protobuf text of a `name` value with plain
        // filter-chain filter names, so the two never equal each other.
        std::string instance;
        const yaml::Node* value = patch->IsMap() ? patch->Get("value") : nullptr;
        if (value && value->IsMap()) {
          if (const yaml::Node* n = value->Get("name")) {
            instance = "value:" + n->ToScalarString();
          } else {
            instance = Scalar(Dig(cp, {"match", "listener", "filterChain", "filter", "name"}));
          }
        }
        std::string op = Scalar(patch, "operation");
        std::string apply = Scalar(&cp, "applyTo");
        bool route = apply == "ROUTE_CONFIGURATION" || apply == "HTTP_ROUTE";
        auto relative = [&] {
          if (priority != 0) return;
          bool seen = std::find(versioned.begin(), versioned.end(), instance) != versioned.end();
          sink.Report(seen ? "IST0155" : "IST0151", *ef, path, {});
        };
        if (op == "ADD") {
          if (route) sink.Report("IST0153", *ef, path, {});
        } else if (op == "REMOVE") {
          if (route) sink.Report("IST0154", *ef, path, {});
          else relative();
        } else if (op == "REPLACE") {
          if (apply != "NETWORK_FILTER" && apply != "HTTP_FILTER" && apply != "VIRTUAL_HOST")
            sink.Report("IST0152", *ef, path, {});
          else relative();
        } else if (op == "INSERT_BEFORE" || op == "INSERT_AFTER") {
          relative();
        }
        if (!Scalar(Dig(cp, {"match", "proxy", "proxyVersion"})).empty()) versioned.push_back(instance);
      }
    }
  }
};

class DeprecationAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "deprecation.fields", "deprecation.DeprecationAnalyzer", "Checks for deprecated Istio types and fields",
        {model::kinds::kVirtualService, model::kinds::kSidecar, {"apiextensions.k8s.io", "CustomResourceDefinition"}},
        {"IST0002"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      const yaml::Node* http = Dig(vs, {"spec", "http"});
      if (!http || !http->IsSeq()) continue;
      for (size_t i = 0; i < http->size(); ++i) {
        const yaml::Node* pct = http->at(i).Find("fault.delay.percent");
        if (pct && pct->AsInt().value_or(0) > 0)
          sink.Report("IST0002", *vs, "",
                      {std::string("HTTPRoute.fault.delay.percent is deprecated; use HTTPRoute.fault.delay.percentage")});
      }
    }
    for (const model::Resource* sc : ctx.snapshot.OfKind(model::kinds::kSidecar)) {
      const yaml::Node* ep = Dig(sc, {"spec", "outboundTrafficPolicy", "egressProxy"});
      if (ep && !ep->IsNull())
        sink.Report("IST0002", *sc, "",
                    {std::string("OutboundTrafficPolicy.EgressProxy ignored")});
    }
    for (const model::Resource* crd : ctx.snapshot.OfKind({"apiextensions.k8s.io", "CustomResourceDefinition"})) {
      std::string group = Scalar(Dig(crd, {"spec", "group"})), kind = Scalar(Dig(crd, {"spec", "names", "kind"}));
      if (group != "rbac.istio.io") continue;
      if (kind == "ClusterRbacConfig" || kind == "RbacConfig" || kind == "ServiceRole" || kind == "ServiceRoleBinding")
        sink.Report("IST0002", *crd, "", {"Custom resource type rbac.istio.io " + kind + " is removed"});
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewEnvoyPatchAnalyzer() { return std::make_unique<EnvoyPatchAnalyzer>(); }
std::unique_ptr<Analyzer> NewDeprecationAnalyzer() { return std::make_unique<DeprecationAnalyzer>(); }

}  // namespace meshctl::analysis
