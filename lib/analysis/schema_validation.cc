// schema.ValidationAnalyzer: istioctl analyze runs Istio's validation on every
// Istio resource and reports each error as IST0106 SchemaValidationError and
// each warning as IST0133 SchemaWarning (morePreciseMessage in Istio's
// schema/validation.go). Unreachable rules and ineffective matches are
// IST0130/IST0131 there; meshctl reports those from
// virtualservice.unreachable-rules, so they are left out here rather than
// reported twice. The checks are lib/validate's, the same `meshctl validate`
// runs.
#include "lib/analysis/registry.h"
#include "lib/diag/catalog.h"
#include "lib/validate/validate.h"

namespace meshctl::analysis {

namespace {

class SchemaValidationAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m = [] {
      AnalyzerMetadata md{"schema.validation", "schema.ValidationAnalyzer",
                          "Runs Istio's resource validation (strict decoding and per-kind rules) on Istio resources",
                          {}, {"IST0106", "IST0133"}};
      for (const auto& k : validate::AllKinds()) md.inputs.push_back({k.group, k.kind});
      return md;
    }();
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    validate::ValidateContext vctx;
    vctx.istio_namespace = ctx.istio_namespace;
    for (const auto& r : ctx.snapshot.resources()) {
      if (!validate::FindKind(r.group, r.kind, r.version)) continue;
      for (auto& d : validate::ValidateResourceDiagnostics(r, vctx, /*analysis_aware=*/true)) {
        bool warning = d.code == validate::kValidationWarning;
        if (d.code != validate::kValidationError && !warning) continue;
        const diag::MessageType* m = diag::FindMessage(warning ? "IST0133" : "IST0106");
        d.code = std::string(m->code);
        d.severity = m->level;
        d.message = diag::FormatGo(m->tmpl, {d.message});
        sink.Add(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewSchemaValidationAnalyzer() { return std::make_unique<SchemaValidationAnalyzer>(); }

}  // namespace meshctl::analysis
