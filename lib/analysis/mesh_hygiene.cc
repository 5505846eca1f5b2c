// meshctl's own checks beyond istioctl (MSH02xx):
//   virtualservice.weights        route weights that do not add up to 100
//       (MSH0201), all explicitly 0 (MSH0202), or a single destination with
//       a weight below 100 (MSH0203); Istio accepts and normalizes these,
//       users rarely mean them.
//   service.selector-no-workload  a Service whose selector matches no
//       workload in its namespace (MSH0204), checked only when the input
//       holds workloads at all.
//   virtualservice.delegate       an http route delegating to a
//       VirtualService that does not exist (MSH0205).
#include <algorithm>
#include <deque>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"
#include "lib/analysis/workloads.h"

namespace meshctl::analysis {

namespace {

class RouteWeightsAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.weights", "", "Checks that VirtualService route weights add up to 100",
        {model::kinds::kVirtualService},
        {"MSH0201", "MSH0202", "MSH0203"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      for (const char* kind : {"http", "tcp", "tls"}) {
        const yaml::Node* routes = vs->spec && vs->spec->IsMap() ? vs->spec->Get(kind) : nullptr;
        if (!routes || !routes->IsSeq()) continue;
        for (size_t i = 0; i < routes->size(); ++i) {
          const yaml::Node* dests = routes->at(i).IsMap() ? routes->at(i).Get("route") : nullptr;
          if (!dests || !dests->IsSeq() || dests->size() == 0) continue;
          std::string base = "spec." + std::string(kind) + "[" + std::to_string(i) + "].route";
          int64_t sum = 0;
          size_t explicit_weights = 0;
          for (const auto& d : dests->children()) {
            const yaml::Node* w = d.IsMap() ? d.Get("weight") : nullptr;
            if (!w || w->IsNull()) continue;
            ++explicit_weights;
            sum += w->AsInt().value_or(0);
          }
          std::string route_desc = std::string(kind) + "[" + std::to_string(i) + "]";
          if (explicit_weights == dests->size() && sum == 0) {
            sink.Report("MSH0202", *vs, base + "[0].weight", {route_desc});
          } else if (dests->size() == 1) {
            if (explicit_weights == 1 && sum < 100)
              sink.Report("MSH0203", *vs, base + "[0].weight", {route_desc, sum});
          } else if (explicit_weights > 0 && sum != 100) {
            sink.Report("MSH0201", *vs, base + "[0].weight", {route_desc, sum});
          }
        }
      }
    }
  }
};

class ServiceSelectorAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "service.selector-no-workload", "", "Checks that each Service's selector matches a workload in the input",
        {model::kinds::kService, model::kinds::kDeployment, model::kinds::kStatefulSet, model::kinds::kDaemonSet,
         model::kinds::kReplicaSet, model::kinds::kPod},
        {"MSH0204"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // Every workload's pod labels as views of the tree's texts, one sorted run per
    // workload, and its (namespace, key, value) hashes sorted for lookup: 48 bytes a
    // label, where a std::map per workload and an index of "ns/k=v" strings took
    // ~300 (a megabyte of analyze's peak on 10k workloads).
    struct Workload {
      std::string_view ns;
      size_t begin, end;  // its run in `labels`
    };
    LabelViews labels;
    std::deque<std::string> spelled;
    std::vector<Workload> workloads;
    std::vector<std::pair<size_t, size_t>> index;  // (hash, workload)
    for (const auto& gk : WorkloadKinds())
      for (const model::Resource* w : ctx.snapshot.OfKind(gk)) {
        size_t begin = labels.size();
        AppendLabelViews(PodLabels(*w), labels, spelled);
        for (size_t i = begin; i < labels.size(); ++i)
          index.emplace_back(LabelHash(w->ns, labels[i]), workloads.size());
        workloads.push_back({w->ns, begin, labels.size()});
      }
    if (workloads.empty()) return;  // no workloads given: nothing to compare with
    std::sort(index.begin(), index.end());
    LabelViews sel;
    for (const model::Resource* svc : ctx.snapshot.OfKind(model::kinds::kService)) {
      const yaml::Node* sel_node = Dig(svc, {"spec", "selector"});
      sel.clear();
      AppendLabelViews(sel_node, sel, spelled);
      if (sel.empty() || Scalar(svc->spec, "type") == "ExternalName") continue;
      // Workloads holding the selector's first label (a hash may be shared: each
      // candidate is checked in full).
      size_t h = LabelHash(svc->ns, sel.front());
      bool found = false;
      for (auto it = std::lower_bound(index.begin(), index.end(), std::make_pair(h, size_t{0}));
           !found && it != index.end() && it->first == h; ++it) {
        const Workload& w = workloads[it->second];
        found = w.ns == svc->ns && RunMatches(sel, labels, w.begin, w.end);
      }
      if (!found) sink.Report("MSH0204", *svc, "spec.selector", {svc->FullName(), SelectorString(StringMap(sel_node))});
    }
  }

 private:
  using LabelViews = std::vector<std::pair<std::string_view, std::string_view>>;

  // StringMap's entries as views, sorted by key (the last of equal keys kept, as a
  // map assignment keeps it). A text the tree does not hold as StringMap spells it
  // (an int's canonical form) is kept in `spelled`.
  static void AppendLabelViews(const yaml::Node* n, LabelViews& out, std::deque<std::string>& spelled) {
    if (!n || !n->IsMap()) return;
    auto view = [&](const yaml::Node& v) -> std::string_view {
      if (v.type() != yaml::NodeType::kInt && v.type() != yaml::NodeType::kNull) return v.text();
      std::string text = v.ToScalarString();
      if (text == v.text()) return v.text();
      return spelled.emplace_back(std::move(text));
    };
    size_t begin = out.size();
    for (size_t i = 0; i < n->size(); ++i) {
      const yaml::Node& v = n->ValueAt(i);
      if (!v.IsScalar()) continue;
      out.emplace_back(view(n->KeyAt(i)), v.IsNull() ? std::string_view() : view(v));
    }
    auto first = out.begin() + static_cast<std::ptrdiff_t>(begin);
    std::stable_sort(first, out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    // Of equal keys, keep the last.
    auto kept = first;
    for (auto it = first; it != out.end(); ++it) {
      if (kept != first && (kept - 1)->first == it->first) *(kept - 1) = *it;
      else *kept++ = *it;
    }
    out.erase(kept, out.end());
  }

  static size_t LabelHash(std::string_view ns, const std::pair<std::string_view, std::string_view>& label) {
    std::hash<std::string_view> hash;
    size_t h = hash(ns);
    h = (h ^ hash(label.first)) * 0x9E3779B97F4A7C15ull;
    return (h ^ hash(label.second)) * 0x9E3779B97F4A7C15ull;
  }

  // SelectorMatches on views: every selector label is in the run [begin, end).
  static bool RunMatches(const LabelViews& sel, const LabelViews& labels, size_t begin, size_t end) {
    auto first = labels.begin() + static_cast<std::ptrdiff_t>(begin), last = labels.begin() + static_cast<std::ptrdiff_t>(end);
    for (const auto& [k, v] : sel) {
      auto it = std::lower_bound(first, last, k, [](const auto& e, std::string_view key) { return e.first < key; });
      if (it == last || it->first != k || it->second != v) return false;
    }
    return true;
  }
};

class DelegateAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.delegate", "", "Checks that delegated VirtualServices exist",
        {model::kinds::kVirtualService},
        {"MSH0205"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      const yaml::Node* http = Dig(vs, {"spec", "http"});
      if (!http || !http->IsSeq()) continue;
      for (size_t i = 0; i < http->size(); ++i) {
        const yaml::Node* d = http->at(i).IsMap() ? http->at(i).Get("delegate") : nullptr;
        if (!d || !d->IsMap()) continue;
        std::string name = Scalar(d, "name"), ns = Scalar(d, "namespace");
        if (ns.empty()) ns = vs->ns;
        if (ctx.snapshot.Find(model::kinds::kVirtualService, ns, name)) continue;
        sink.Report("MSH0205", *vs, "spec.http[" + std::to_string(i) + "].delegate.name",
                    {ns.empty() ? name : ns + "/" + name});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewRouteWeightsAnalyzer() { return std::make_unique<RouteWeightsAnalyzer>(); }
std::unique_ptr<Analyzer> NewServiceSelectorAnalyzer() { return std::make_unique<ServiceSelectorAnalyzer>(); }
std::unique_ptr<Analyzer> NewDelegateAnalyzer() { return std::make_unique<DelegateAnalyzer>(); }

}  // namespace meshctl::analysis
