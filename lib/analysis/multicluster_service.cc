// services.MultiClusterServiceAnalyzer: a Service defined in several
// clusters (per-cluster inputs) whose type, headless mode or ports differ
// (IST0170).
#include <map>
#include <set>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"
#include "lib/core/strings.h"

namespace meshctl::analysis {

namespace {

// A Service port as Kubernetes compares it (all fields, as strings).
std::string PortKey(const yaml::Node& p) {
  std::string k;
  for (const char* f : {"name", "protocol", "appProtocol", "port", "targetPort", "nodePort"})
    k += std::string(f) + "=" + Scalar(&p, f) + ";";
  return k;
}

std::vector<std::string> SortedPorts(const model::Resource& svc) {
  std::vector<std::pair<std::string, std::string>> ports;  // name, key (stable by name)
  const yaml::Node* ps = Dig(svc, {"spec", "ports"});
  if (ps && ps->IsSeq())
    for (const auto& p : ps->children()) ports.emplace_back(Scalar(&p, "name"), PortKey(p));
  std::stable_sort(ports.begin(), ports.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (auto& p : ports) out.push_back(std::move(p.second));
  return out;
}

class MultiClusterServiceAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "service.multicluster", "services.MultiClusterServiceAnalyzer",
        "Check the validity of services in the multi-cluster environment",
        {model::kinds::kService},
        {"IST0170"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    if (!ctx.clusters || ctx.clusters->empty()) return;
    // "ns/name" -> cluster -> Service (clusters sorted for a stable "first").
    std::map<std::string, std::map<std::string, const model::Resource*>> services;
    for (const model::Resource* svc : ctx.snapshot.OfKind(model::kinds::kService)) {
      auto it = ctx.clusters->find(svc);
      if (it == ctx.clusters->end()) continue;
      services[svc->FullName()][it->second] = svc;
    }
    for (const auto& [full, by_cluster] : services) {
      if (by_cluster.size() < 2) continue;
      const model::Resource* first = by_cluster.begin()->second;
      std::string first_cluster = by_cluster.begin()->first;
      bool first_headless = Scalar(Dig(first, {"spec", "clusterIP"})) == "None";
      std::string first_type = Scalar(Dig(first, {"spec", "type"}));
      std::vector<std::string> first_ports = SortedPorts(*first);
      std::set<std::string> clusters, reasons;
      bool headless_added = false;
      for (const auto& [cluster, svc] : by_cluster) {
        bool headless = Scalar(Dig(svc, {"spec", "clusterIP"})) == "None";
        if (!headless_added && headless != first_headless) {
          headless_added = true;
          for (const auto& [c, unused] : by_cluster) clusters.insert(c);
          reasons.insert("service has mixed mode like headless and clusterIP");
        }
        if (Scalar(Dig(svc, {"spec", "type"})) != first_type) {
          clusters.insert(cluster);
          reasons.insert("service type is inconsistent");
        }
        if (SortedPorts(*svc) != first_ports) {
          clusters.insert(cluster);
          reasons.insert("service ports are inconsistent");
        }
      }
      if (clusters.empty()) continue;
      clusters.insert(first_cluster);
      std::string errors;
      for (const auto& r : reasons) errors += (errors.empty() ? "" : "; ") + r;
      sink.Report("IST0170", *first, "", {first->name, first->ns,
                                          std::vector<std::string>(clusters.begin(), clusters.end()), errors});
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewMultiClusterServiceAnalyzer() { return std::make_unique<MultiClusterServiceAnalyzer>(); }

}  // namespace meshctl::analysis
