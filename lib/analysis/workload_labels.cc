// Workloads whose pods have no `app` or no `version` label (or their
// equivalents app.kubernetes.io/name|version and the
// service.istio.io/canonical-* labels). Istio derives canonical service names
// and revisions from them for telemetry, and subsets/canaries select by them.
#include "lib/analysis/registry.h"
#include "lib/analysis/workloads.h"

namespace meshctl::analysis {

namespace {

bool HasAny(const yaml::Node* labels, std::initializer_list<std::string_view> keys) {
  if (!labels) return false;
  for (auto k : keys) {
    const yaml::Node* v = labels->Get(k);
    if (v && !v->IsNull() && !v->ToScalarString().empty()) return true;
  }
  return false;
}

class WorkloadLabelsAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "workload.labels", "",
        "Checks that workloads label their pods with app and version",
        {model::kinds::kDeployment, model::kinds::kStatefulSet, model::kinds::kDaemonSet, model::kinds::kReplicaSet,
         model::kinds::kPod},
        {"MSH0001", "MSH0002"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const auto& gk : WorkloadKinds()) {
      for (const model::Resource* w : ctx.snapshot.OfKind(gk)) {
        if (HasOwner(*w) || w->ns == ctx.istio_namespace) continue;
        std::string path;
        const yaml::Node* labels = PodLabels(*w, &path);
        if (!HasAny(labels, {"app", "app.kubernetes.io/name", "service.istio.io/canonical-name"}))
          sink.Report("MSH0001", *w, path, {w->kind, w->name});
        if (!HasAny(labels, {"version", "app.kubernetes.io/version", "service.istio.io/canonical-revision"}))
          sink.Report("MSH0002", *w, path, {w->kind, w->name});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewWorkloadLabelsAnalyzer() { return std::make_unique<WorkloadLabelsAnalyzer>(); }

}  // namespace meshctl::analysis
