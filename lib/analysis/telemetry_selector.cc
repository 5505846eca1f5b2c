// telemetry.SelectorAnalyzer: Telemetries whose selector matches no pod in
// their namespace (IST0101) or pods selected by several Telemetries
// (IST0159). telemetry.DefaultSelectorAnalyzer: several selector-less
// Telemetries in one namespace (IST0160).
#include <map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

class TelemetrySelectorAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "telemetry.selector", "telemetry.SelectorAnalyzer",
        "Validates that telemetries that define a selector match at least one pod, and that there aren't multiple "
        "telemetry resources that select overlapping pods",
        {model::kinds::kTelemetry, model::kinds::kPod},
        {"IST0101", "IST0159"}, false, {model::kinds::kPod}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    PodIndex pods(ctx.snapshot);
    std::map<const model::Resource*, std::vector<const model::Resource*>> pod_tel;
    std::vector<const model::Resource*> order;
    for (const model::Resource* t : ctx.snapshot.OfKind(model::kinds::kTelemetry)) {
      LabelMap sel = StringMap(Dig(t, {"spec", "selector", "matchLabels"}));
      if (sel.empty()) continue;
      bool found = false;
      for (const model::Resource* p : pods.InNamespace(t->ns)) {
        if (!SelectorMatches(sel, p->Labels())) continue;
        found = true;
        auto& v = pod_tel[p];
        if (v.empty()) order.push_back(p);
        v.push_back(t);
      }
      if (!found)
        sink.Report("IST0101", *t, KeyPath("spec.selector.matchLabels", FirstSelectorKey(sel)),
                    {std::string("selector"), SelectorString(sel)});
    }
    for (const model::Resource* p : order) {
      const auto& list = pod_tel[p];
      if (list.size() < 2) continue;
      std::vector<std::string> names = SortedNames(list);
      for (const model::Resource* t : list) sink.Report("IST0159", *t, "metadata.name", {names, t->ns, p->name});
    }
  }
};

class TelemetryDefaultSelectorAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "telemetry.default-selector", "telemetry.DefaultSelectorAnalyzer",
        "Validates that there aren't multiple telemetry resources that have no selector",
        {model::kinds::kTelemetry},
        {"IST0160"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::map<std::string, std::vector<const model::Resource*>> by_ns;
    for (const model::Resource* t : ctx.snapshot.OfKind(model::kinds::kTelemetry)) {
      const yaml::Node* sel = Dig(t, {"spec", "selector"});
      if (!sel || sel->IsNull()) by_ns[t->ns].push_back(t);
    }
    for (const auto& [ns, list] : by_ns) {
      if (list.size() < 2) continue;
      std::vector<std::string> names = SortedNames(list);
      for (const model::Resource* t : list) sink.Report("IST0160", *t, "", {names, ns});
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewTelemetrySelectorAnalyzer() { return std::make_unique<TelemetrySelectorAnalyzer>(); }
std::unique_ptr<Analyzer> NewTelemetryDefaultSelectorAnalyzer() {
  return std::make_unique<TelemetryDefaultSelectorAnalyzer>();
}

}  // namespace meshctl::analysis
