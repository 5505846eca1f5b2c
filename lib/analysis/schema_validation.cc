// schema.ValidationAnalyzer: istioctl analyze runs Istio's validation on every
// Istio resource and reports each problem as IST0106 SchemaValidationError
// (errors as Error, validation warnings as Warning). The checks are
// lib/validate's, the same `meshctl validate` runs.
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
                          {}, {"IST0106"}};
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
      for (auto& d : validate::ValidateResourceDiagnostics(r, vctx)) {
        if (d.code != validate::kValidationError && d.code != validate::kValidationWarning) continue;
        d.code = "IST0106";
        d.message = diag::FormatGo("Schema validation error: %v", {d.message});
        sink.Add(std::move(d));
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewSchemaValidationAnalyzer() { return std::make_unique<SchemaValidationAnalyzer>(); }

}  // namespace meshctl::analysis
