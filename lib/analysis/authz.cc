// auth.AuthorizationPoliciesAnalyzer: a policy whose selector (or, without
// a selector, whose namespace) matches no pod in the mesh (IST0127), and
// source namespaces / notNamespaces that match no Namespace (IST0101).
#include <map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

bool NamespaceMatch(std::string_view ns, std::string_view exp) {
  if (exp == "*") return true;
  if (!exp.empty() && exp.front() == '*') {
    std::string_view suf = exp.substr(1);
    return ns.size() >= suf.size() && ns.substr(ns.size() - suf.size()) == suf;
  }
  if (!exp.empty() && exp.back() == '*') return ns.substr(0, exp.size() - 1) == exp.substr(0, exp.size() - 1);
  return EqualFold(ns, exp);
}

class AuthorizationPoliciesAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "security.authorization-policies", "auth.AuthorizationPoliciesAnalyzer",
        "Checks the validity of authorization policies",
        {kMeshConfigKind, model::kinds::kAuthorizationPolicy, model::kinds::kNamespace, model::kinds::kPod},
        {"IST0101", "IST0127"}, false, {model::kinds::kPod, model::kinds::kNamespace}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // Labels of pods in the mesh (or ambient), by namespace.
    std::map<std::string, std::vector<LabelMap>> pods;
    for (const model::Resource* p : ctx.snapshot.OfKind(model::kinds::kPod)) {
      auto& v = pods[p->ns];
      if (InMesh(*p, ctx.snapshot)) v.push_back(p->Labels());
      if (PodInAmbientMode(p)) v.push_back(p->Labels());
    }
    std::string root_ns = Scalar(ctx.mesh_config, "rootNamespace");
    std::vector<std::string> namespaces;
    for (const model::Resource* n : ctx.snapshot.OfKind(model::kinds::kNamespace)) namespaces.push_back(n->name);
    auto any_in = [](const LabelMap& sel, const std::vector<LabelMap>& list) {
      for (const auto& l : list)
        if (SelectorMatches(sel, l)) return true;
      return false;
    };
    for (const model::Resource* ap : ctx.snapshot.OfKind(model::kinds::kAuthorizationPolicy)) {
      const yaml::Node* selector = Dig(ap, {"spec", "selector"});
      bool has_selector = selector && !selector->IsNull();
      LabelMap sel = StringMap(Dig(ap, {"spec", "selector", "matchLabels"}));
      if (ctx.mesh_config && ap->ns == root_ns) {
        if (has_selector) {
          bool found = false;
          for (const auto& [ns, list] : pods) found = found || any_in(sel, list);
          if (!found) sink.Report("IST0127", *ap, "", {SelectorString(sel)});
        }
      } else if (!has_selector) {
        auto it = pods.find(ap->ns);
        if (it == pods.end() || it->second.empty()) sink.Report("IST0127", *ap, "", {std::string()});
      } else {
        auto it = pods.find(ap->ns);
        if (it == pods.end() || !any_in(sel, it->second)) sink.Report("IST0127", *ap, "", {SelectorString(sel)});
      }
      const yaml::Node* rules = Dig(ap, {"spec", "rules"});
      if (!rules || !rules->IsSeq()) continue;
      for (size_t i = 0; i < rules->size(); ++i) {
        const yaml::Node* from = rules->at(i).IsMap() ? rules->at(i).Get("from") : nullptr;
        if (!from || !from->IsSeq()) continue;
        for (size_t j = 0; j < from->size(); ++j) {
          const yaml::Node* source = from->at(j).IsMap() ? from->at(j).Get("source") : nullptr;
          for (const char* field : {"namespaces", "notNamespaces"}) {
            std::vector<std::string> list = ScalarList(source && source->IsMap() ? source->Get(field) : nullptr);
            for (size_t k = 0; k < list.size(); ++k) {
              bool match = false;
              for (const auto& n : namespaces) match = match || NamespaceMatch(n, list[k]);
              if (match) continue;
              std::string path = "spec.rules[" + std::to_string(i) + "].from[" + std::to_string(j) +
                                 "].source." + field + "[" + std::to_string(k) + "]";
              sink.Report("IST0101", *ap, path, {std::string("namespace"), list[k]});
            }
          }
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewAuthorizationPoliciesAnalyzer() { return std::make_unique<AuthorizationPoliciesAnalyzer>(); }

}  // namespace meshctl::analysis
