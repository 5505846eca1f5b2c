// meshctl's extension of IST0116: Services that select the same pods and use
// one port with different *application* protocols (from port names or
// appProtocol, e.g. `http` vs `tcp`). Istio's analyzer compares only the L4
// `protocol` field and so misses the conflict that actually breaks routing.
#include <map>
#include <set>

#include "lib/analysis/registry.h"
#include "lib/analysis/workloads.h"
#include "lib/model/protocol.h"

namespace meshctl::analysis {

namespace {

class AppProtocolConflictAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "workload.app-protocol-conflict", "",
        "Checks that Services selecting the same pods agree on each port's application protocol",
        {model::kinds::kService, model::kinds::kDeployment, model::kinds::kStatefulSet, model::kinds::kDaemonSet,
         model::kinds::kReplicaSet, model::kinds::kPod},
        {"MSH0003"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    ServiceSelectorIndex services(ctx.snapshot);
    for (const auto& gk : WorkloadKinds()) {
      for (const model::Resource* w : ctx.snapshot.OfKind(gk)) {
        if (HasOwner(*w)) continue;
        if (PodMeshMembership(*w, ctx.snapshot) == MeshMembership::kNotInMesh) continue;
        // port -> Istio protocol -> "ns/name" of the Services using it
        std::map<int64_t, std::map<std::string, std::set<std::string>>> by_port;
        for (const model::Resource* svc : services.Selecting(*w)) {
          const yaml::Node* ports = svc->spec->Get("ports");
          if (!ports || !ports->IsSeq()) continue;
          for (const auto& p : ports->children()) {
            const yaml::Node* l4 = p.Get("protocol");
            // Different L4 protocols are IST0116's finding, not ours.
            if (l4 && !l4->text().empty() && l4->text() != "TCP") continue;
            const yaml::Node* port = p.Get("port");
            const yaml::Node* name = p.Get("name");
            const yaml::Node* app = p.Get("appProtocol");
            int64_t num = port ? port->AsInt().value_or(0) : 0;
            std::optional<std::string_view> app_proto;
            if (app && !app->IsNull()) app_proto = app->text();
            model::Protocol proto = model::ConvertServicePortProtocol(
                num, name && !name->IsNull() ? name->text() : "", "TCP", app_proto);
            by_port[num][std::string(model::ProtocolName(proto))].insert(svc->ns + "/" + svc->name);
          }
        }
        for (const auto& [port, protocols] : by_port) {
          if (protocols.size() < 2) continue;
          std::vector<std::string> parts;
          for (const auto& [proto, svcs] : protocols)
            for (const auto& s : svcs) parts.push_back(s + "=" + proto);
          std::sort(parts.begin(), parts.end());
          sink.Report("MSH0003", *w, "metadata.name", {w->kind + " " + w->name, port, parts});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewAppProtocolConflictAnalyzer() { return std::make_unique<AppProtocolConflictAnalyzer>(); }

}  // namespace meshctl::analysis
