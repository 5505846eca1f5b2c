// service.PortNameAnalyzer: Service ports whose protocol Istio cannot tell
// from the name prefix or appProtocol (IST0118), and ExternalName Services
// with such ports or a port named exactly "tcp" (IST0150).
#include "lib/analysis/registry.h"
#include "lib/model/protocol.h"

namespace meshctl::analysis {

namespace {

class PortNameAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "service.port-name", "service.PortNameAnalyzer",
        "Checks the port names of Services (protocol prefix or appProtocol)",
        {model::kinds::kService}, {"IST0118", "IST0150"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* svc : ctx.snapshot.OfKind(model::kinds::kService)) {
      // Istio's own control plane Services and managed gateways/waypoints.
      if (svc->HasLabel("istio") || svc->Label("release") == "istio") continue;
      std::string_view managed = svc->Label("gateway.istio.io/managed");
      if (managed == "istio.io-gateway-controller" || managed == "istio.io-mesh-controller" ||
          managed == "istio.io-eastwest-controller")
        continue;
      const yaml::Node* ports = svc->spec ? svc->spec->Get("ports") : nullptr;
      if (!ports || !ports->IsSeq()) continue;
      const yaml::Node* type = svc->spec->Get("type");
      bool external_name = type && type->text() == "ExternalName";
      for (size_t i = 0; i < ports->size(); ++i) {
        const yaml::Node& p = ports->at(i);
        if (!p.IsMap()) continue;
        const yaml::Node* name = p.Get("name");
        const yaml::Node* port = p.Get("port");
        const yaml::Node* proto = p.Get("protocol");
        const yaml::Node* app = p.Get("appProtocol");
        const yaml::Node* target = p.Get("targetPort");
        std::string port_name = name ? name->ToScalarString() : "";
        if (name && name->IsNull()) port_name.clear();
        int64_t port_num = port ? port->AsInt().value_or(0) : 0;
        std::optional<std::string_view> app_proto;
        if (app && !app->IsNull()) app_proto = app->text();
        model::Protocol protocol =
            model::ConvertServicePortProtocol(port_num, port_name, proto ? proto->text() : "", app_proto);
        bool unsupported = protocol == model::Protocol::kUnsupported;
        std::string path = "spec.ports[" + std::to_string(i) + "].port";
        if (external_name && (unsupported || port_name == "tcp")) {
          sink.Report("IST0150", *svc, path, {});
        } else if (unsupported) {
          std::string target_str = "0";
          if (target && !target->IsNull()) target_str = target->ToScalarString();
          sink.Report("IST0118", *svc, path, {port_name, port_num, target_str});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewPortNameAnalyzer() { return std::make_unique<PortNameAnalyzer>(); }

}  // namespace meshctl::analysis
