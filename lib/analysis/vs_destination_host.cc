// virtualservice.DestinationHostAnalyzer: route and mirror hosts must be a
// Service or ServiceEntry visible from the VirtualService (IST0101), a port
// given in the destination must exist (IST0101 host:port), a destination
// without port to a multi-port service is ambiguous (IST0112), and a
// gateway-bound route without subset to a host other VirtualServices route
// with subsets gets IST0140.
#include <unordered_map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"
#include "lib/analysis/vs_routes.h"

namespace meshctl::analysis {

namespace {

class VirtualServiceDestinationHostAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.destination-host", "virtualservice.DestinationHostAnalyzer",
        "Checks the destination hosts associated with each virtual service",
        {model::kinds::kServiceEntry, model::kinds::kVirtualService, model::kinds::kService},
        {"IST0101", "IST0112", "IST0140"}, false, {model::kinds::kService}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    HostIndex hosts(ctx.snapshot);
    // host -> one entry (VirtualService full name) per subset destination
    // whose host is one of that VirtualService's own hosts.
    std::unordered_map<std::string, std::vector<std::string>> subset_dests;
    auto vss = ctx.snapshot.OfKind(model::kinds::kVirtualService);
    for (const model::Resource* vs : vss) {
      std::vector<std::string> own = ScalarList(Dig(vs, {"spec", "hosts"}));
      const yaml::Node* http = Dig(vs, {"spec", "http"});
      if (!http || !http->IsSeq()) continue;
      for (const auto& h : http->children()) {
        const yaml::Node* route = h.IsMap() ? h.Get("route") : nullptr;
        if (!route || !route->IsSeq()) continue;
        for (const auto& r : route->children()) {
          const yaml::Node* d = r.IsMap() ? r.Get("destination") : nullptr;
          if (Scalar(d, "subset").empty()) continue;
          std::string host = Scalar(d, "host");
          for (const auto& o : own)
            if (o == host) subset_dests[host].push_back(vs->FullName());
        }
      }
    }
    for (const model::Resource* vs : vss) {
      std::vector<std::string> export_to = ScalarList(Dig(vs, {"spec", "exportTo"}));
      for (const RouteDestination& d : RouteDestinations(*vs)) {
        const HostTarget* t = hosts.Lookup(vs->ns, export_to, d.host);
        if (!t) {
          if (HostInAbsentIstioNamespace(ctx, vs->ns, d.host)) continue;
          sink.Report("IST0101", *vs, d.HostPath(), {std::string(d.mirror ? "mirror host" : "host"), d.host});
          continue;
        }
        const yaml::Node* port = d.destination ? d.destination->Get("port") : nullptr;
        if (!port || port->IsNull()) {
          if (t->ports.size() > 1) {
            std::vector<int64_t> nums;
            for (const auto& p : t->ports) nums.push_back(p.number);
            sink.Report("IST0112", *vs, d.HostPath(), {d.host, nums});
          }
          continue;
        }
        int64_t num = port->IsMap() && port->Get("number") ? port->Get("number")->AsInt().value_or(0) : 0;
        bool found = false;
        for (const auto& p : t->ports) found = found || p.number == num;
        if (!found) sink.Report("IST0101", *vs, d.HostPath(), {std::string("host:port"), d.host + ":" + std::to_string(num)});
      }
      // IST0140 (Istio's field path for it never resolves, so the finding
      // points at the document start).
      const yaml::Node* gws = Dig(vs, {"spec", "gateways"});
      if (!gws || !gws->IsSeq() || gws->size() == 0) continue;
      const yaml::Node* http = Dig(vs, {"spec", "http"});
      if (!http || !http->IsSeq()) continue;
      for (const auto& h : http->children()) {
        const yaml::Node* route = h.IsMap() ? h.Get("route") : nullptr;
        if (!route || !route->IsSeq()) continue;
        for (const auto& r : route->children()) {
          const yaml::Node* d = r.IsMap() ? r.Get("destination") : nullptr;
          if (!Scalar(d, "subset").empty()) continue;
          auto it = subset_dests.find(Scalar(d, "host"));
          if (it == subset_dests.end()) continue;
          for (const auto& other : it->second) sink.Report("IST0140", *vs, "", {other, vs->FullName()});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewVirtualServiceDestinationHostAnalyzer() {
  return std::make_unique<VirtualServiceDestinationHostAnalyzer>();
}

}  // namespace meshctl::analysis
