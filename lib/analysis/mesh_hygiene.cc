// meshctl's own checks beyond istioctl (MSH02xx):
//   virtualservice.weights        route weights that do not add up to 100
//       (MSH0201), all explicitly 0 (MSH0202), or a single destination with
//       a weight below 100 (MSH0203); Istio accepts and normalizes these,
//       users rarely mean them.
//   service.selector-no-workload  a Service whose selector matches no
//       workload in its namespace (MSH0204), checked only when the input
//       holds workloads at all.
//   virtualservice.delegate       an http route delegating to a
//       VirtualService that does not exist (MSH0205).
#include <unordered_map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"
#include "lib/analysis/workloads.h"

namespace meshctl::analysis {

namespace {

class RouteWeightsAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.weights", "", "Checks that VirtualService route weights add up to 100",
        {model::kinds::kVirtualService},
        {"MSH0201", "MSH0202", "MSH0203"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      for (const char* kind : {"http", "tcp", "tls"}) {
        const yaml::Node* routes = vs->spec && vs->spec->IsMap() ? vs->spec->Get(kind) : nullptr;
        if (!routes || !routes->IsSeq()) continue;
        for (size_t i = 0; i < routes->size(); ++i) {
          const yaml::Node* dests = routes->at(i).IsMap() ? routes->at(i).Get("route") : nullptr;
          if (!dests || !dests->IsSeq() || dests->size() == 0) continue;
          std::string base = "spec." + std::string(kind) + "[" + std::to_string(i) + "].route";
          int64_t sum = 0;
          size_t explicit_weights = 0;
          for (const auto& d : dests->children()) {
            const yaml::Node* w = d.IsMap() ? d.Get("weight") : nullptr;
            if (!w || w->IsNull()) continue;
            ++explicit_weights;
            sum += w->AsInt().value_or(0);
          }
          std::string route_desc = std::string(kind) + "[" + std::to_string(i) + "]";
          if (explicit_weights == dests->size() && sum == 0) {
            sink.Report("MSH0202", *vs, base + "[0].weight", {route_desc});
          } else if (dests->size() == 1) {
            if (explicit_weights == 1 && sum < 100)
              sink.Report("MSH0203", *vs, base + "[0].weight", {route_desc, sum});
          } else if (explicit_weights > 0 && sum != 100) {
            sink.Report("MSH0201", *vs, base + "[0].weight", {route_desc, sum});
          }
        }
      }
    }
  }
};

class ServiceSelectorAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "service.selector-no-workload", "", "Checks that each Service's selector matches a workload in the input",
        {model::kinds::kService, model::kinds::kDeployment, model::kinds::kStatefulSet, model::kinds::kDaemonSet,
         model::kinds::kReplicaSet, model::kinds::kPod},
        {"MSH0204"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // "ns/k=v" -> pod label sets of workloads in that namespace.
    std::vector<LabelMap> labels;
    std::unordered_map<std::string, std::vector<size_t>> index;
    for (const auto& gk : WorkloadKinds())
      for (const model::Resource* w : ctx.snapshot.OfKind(gk)) {
        LabelMap l = StringMap(PodLabels(*w));
        for (const auto& [k, v] : l) index[w->ns + "/" + k + "=" + v].push_back(labels.size());
        labels.push_back(std::move(l));
      }
    if (labels.empty()) return;  // no workloads given: nothing to compare with
    for (const model::Resource* svc : ctx.snapshot.OfKind(model::kinds::kService)) {
      const yaml::Node* sel_node = Dig(svc, {"spec", "selector"});
      LabelMap sel = StringMap(sel_node);
      if (sel.empty() || Scalar(svc->spec, "type") == "ExternalName") continue;
      bool found = false;
      auto it = index.find(svc->ns + "/" + sel.begin()->first + "=" + sel.begin()->second);
      if (it != index.end())
        for (size_t i : it->second) found = found || SelectorMatches(sel, labels[i]);
      if (!found) sink.Report("MSH0204", *svc, "spec.selector", {svc->FullName(), SelectorString(sel)});
    }
  }
};

class DelegateAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.delegate", "", "Checks that delegated VirtualServices exist",
        {model::kinds::kVirtualService},
        {"MSH0205"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      const yaml::Node* http = Dig(vs, {"spec", "http"});
      if (!http || !http->IsSeq()) continue;
      for (size_t i = 0; i < http->size(); ++i) {
        const yaml::Node* d = http->at(i).IsMap() ? http->at(i).Get("delegate") : nullptr;
        if (!d || !d->IsMap()) continue;
        std::string name = Scalar(d, "name"), ns = Scalar(d, "namespace");
        if (ns.empty()) ns = vs->ns;
        if (ctx.snapshot.Find(model::kinds::kVirtualService, ns, name)) continue;
        sink.Report("MSH0205", *vs, "spec.http[" + std::to_string(i) + "].delegate.name",
                    {ns.empty() ? name : ns + "/" + name});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewRouteWeightsAnalyzer() { return std::make_unique<RouteWeightsAnalyzer>(); }
std::unique_ptr<Analyzer> NewServiceSelectorAnalyzer() { return std::make_unique<ServiceSelectorAnalyzer>(); }
std::unique_ptr<Analyzer> NewDelegateAnalyzer() { return std::make_unique<DelegateAnalyzer>(); }

}  // namespace meshctl::analysis
