// virtualservice.DestinationRuleAnalyzer: a route or mirror that names
// host+subset where no DestinationRule for that host defines the subset
// (IST0101). Hosts are resolved as Istio's util.GetResourceNameFromHost:
// `name.ns.svc.cluster.local` names a namespace, anything else is taken in
// the resource's own namespace.
#include <set>
#include <tuple>

#include "lib/analysis/registry.h"
#include "lib/analysis/vs_routes.h"

namespace meshctl::analysis {

namespace {

class VirtualServiceDestinationRuleAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.destination-rule", "virtualservice.DestinationRuleAnalyzer",
        "Checks the destination rules associated with each virtual service",
        {model::kinds::kVirtualService, model::kinds::kDestinationRule},
        {"IST0101"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // (namespace, name, subset) for every subset any DestinationRule defines.
    std::set<std::tuple<std::string, std::string, std::string>> subsets;
    for (const model::Resource* dr : ctx.snapshot.OfKind(model::kinds::kDestinationRule)) {
      if (!dr->spec) continue;
      const yaml::Node* host = dr->spec->Get("host");
      const yaml::Node* ss = dr->spec->Get("subsets");
      if (!host || !ss || !ss->IsSeq()) continue;
      HostName h = ResolveHost(dr->ns, host->ToScalarString());
      for (const auto& s : ss->children()) {
        const yaml::Node* name = s.Get("name");
        subsets.emplace(h.ns, h.name, name ? name->ToScalarString() : "");
      }
    }
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      for (const auto& d : RouteDestinations(*vs)) {
        if (d.subset.empty()) continue;
        HostName h = ResolveHost(vs->ns, d.host);
        if (subsets.count({h.ns, h.name, d.subset})) continue;
        std::string what = d.mirror ? "mirror+subset in destinationrule" : "host+subset in destinationrule";
        sink.Report("IST0101", *vs, d.HostPath(), {what, d.host + "+" + d.subset});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewVirtualServiceDestinationRuleAnalyzer() {
  return std::make_unique<VirtualServiceDestinationRuleAnalyzer>();
}

}  // namespace meshctl::analysis
