// sidecar.SelectorAnalyzer: Sidecars whose workloadSelector matches no pod
// in their namespace (IST0101), pods selected by several Sidecars (IST0110),
// several selector-less Sidecars in one namespace (IST0111), and Sidecars
// that do nothing because the namespace or pod is in ambient mode (IST0167).
#include <map>
#include <set>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

class SidecarSelectorAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "sidecar.selector", "sidecar.SelectorAnalyzer",
        "Validates that sidecars that define a workload selector match at least one pod, and that there aren't "
        "multiple sidecar resources that select overlapping pods",
        {model::kinds::kSidecar, model::kinds::kPod, model::kinds::kNamespace},
        {"IST0101", "IST0110", "IST0111", "IST0167"}, false, {model::kinds::kPod}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    PodIndex pods(ctx.snapshot);
    // pod -> sidecars selecting it, in pod first-seen order for stable output
    std::map<const model::Resource*, std::vector<const model::Resource*>> pod_sidecars;
    std::vector<const model::Resource*> pod_order;
    std::map<std::string, std::vector<const model::Resource*>> ns_sidecars;
    for (const model::Resource* sc : ctx.snapshot.OfKind(model::kinds::kSidecar)) {
      LabelMap sel = StringMap(Dig(sc, {"spec", "workloadSelector", "labels"}));
      if (sel.empty()) {
        ns_sidecars[sc->ns].push_back(sc);
        continue;
      }
      bool found = false;
      for (const model::Resource* p : pods.InNamespace(sc->ns)) {
        if (!SelectorMatches(sel, p->Labels())) continue;
        found = true;
        auto& v = pod_sidecars[p];
        if (v.empty()) pod_order.push_back(p);
        v.push_back(sc);
      }
      if (!found)
        sink.Report("IST0101", *sc, KeyPath("spec.workloadSelector.labels", FirstSelectorKey(sel)),
                    {std::string("selector"), SelectorString(sel)});
    }
    std::set<const model::Resource*> reported;
    for (const model::Resource* p : pod_order) {
      const auto& list = pod_sidecars[p];
      bool ambient = PodInAmbientMode(p);
      if (list.size() == 1 && !ambient) continue;
      std::vector<std::string> names = SortedNames(list);
      for (const model::Resource* sc : list) {
        if (ambient) {
          if (reported.insert(sc).second)
            sink.Report("IST0167", *sc, "", {std::string("selected workload is in ambient mode, the policy has no impact")});
          continue;
        }
        sink.Report("IST0110", *sc, "metadata.name", {names, sc->ns, p->name});
      }
    }
    for (const auto& [ns, list] : ns_sidecars) {
      const model::Resource* nsr = ctx.snapshot.Find(model::kinds::kNamespace, "", ns);
      if (NamespaceInAmbientMode(nsr)) {
        for (const model::Resource* sc : list)
          if (reported.insert(sc).second)
            sink.Report("IST0167", *sc, "", {std::string("namespace is in ambient mode, the policy has no impact")});
        continue;
      }
      if (list.size() < 2) continue;
      std::vector<std::string> names = SortedNames(list);
      for (const model::Resource* sc : list) sink.Report("IST0111", *sc, "", {names, ns});
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewSidecarSelectorAnalyzer() { return std::make_unique<SidecarSelectorAnalyzer>(); }

}  // namespace meshctl::analysis
