// deployment.MultiServiceAnalyzer (Istio's ServiceAssociationAnalyzer): a
// Deployment in the mesh whose pods are selected by several Services that use
// one port with different L4 protocols (IST0116), or map one targetPort to
// different ports (IST0137).
#include <map>
#include <set>

#include "lib/analysis/registry.h"
#include "lib/analysis/workloads.h"

namespace meshctl::analysis {

namespace {

class MultiServiceAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "deployment.multi-service", "deployment.MultiServiceAnalyzer",
        "Checks that Services selecting the same Deployment agree on each port's protocol and target port",
        {model::kinds::kService, model::kinds::kDeployment, model::kinds::kNamespace},
        {"IST0116", "IST0137"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    ServiceSelectorIndex services(ctx.snapshot);
    for (const model::Resource* d : ctx.snapshot.OfKind(model::kinds::kDeployment)) {
      if (d->Label("gateway.istio.io/managed") == "istio.io-mesh-controller") continue;
      if (PodMeshMembership(*d, ctx.snapshot) != MeshMembership::kInMesh) continue;
      // port -> protocol -> service names; targetPort key -> port -> service name
      std::map<int64_t, std::map<std::string, std::vector<std::string>>> by_port;
      std::map<std::string, std::map<int64_t, std::string>> by_target;
      for (const model::Resource* svc : services.Selecting(*d)) {
        const yaml::Node* ports = svc->spec->Get("ports");
        if (!ports || !ports->IsSeq()) continue;
        std::string svc_name = svc->ns + "/" + svc->name;
        for (const auto& p : ports->children()) {
          const yaml::Node* port = p.Get("port");
          const yaml::Node* proto = p.Get("protocol");
          const yaml::Node* target = p.Get("targetPort");
          int64_t num = port ? port->AsInt().value_or(0) : 0;
          std::string protocol = proto && !proto->text().empty() ? proto->text() : "TCP";
          by_port[num][protocol].push_back(svc_name);
          std::string key = target && !target->IsNull() ? target->ToScalarString() : "";
          if (key.empty() || key == "0") key = std::to_string(num);
          by_target[key][num] = svc_name;
        }
      }
      for (const auto& [port, protocols] : by_port) {
        if (protocols.size() < 2) continue;
        std::vector<std::string> names;
        for (const auto& [proto, svcs] : protocols) names.insert(names.end(), svcs.begin(), svcs.end());
        std::sort(names.begin(), names.end());
        sink.Report("IST0116", *d, "metadata.name", {d->name, port, names});
      }
      for (const auto& [key, ports] : by_target) {
        if (ports.size() < 2) continue;
        std::vector<std::string> names;
        std::vector<int64_t> nums;
        for (const auto& [num, svc] : ports) {
          names.push_back(svc);
          nums.push_back(num);
        }
        std::sort(names.begin(), names.end());
        sink.Report("IST0137", *d, "metadata.name", {d->name, names, key, nums});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewMultiServiceAnalyzer() { return std::make_unique<MultiServiceAnalyzer>(); }

}  // namespace meshctl::analysis
