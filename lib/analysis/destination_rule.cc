// destinationrule.CaCertificateAnalyzer: TLS mode SIMPLE/MUTUAL without
// caCertificates at the destination (IST0128) or port level (IST0129),
// unless a credentialName is used together with a workloadSelector.
// destinationrule.SubsetSelectPodAnalyzer: the host must be a Service or
// ServiceEntry (IST0174) and every subset must select some pod, with pod
// labels augmented by node topology as istiod does (IST0173).
#include <map>
#include <unordered_map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

class CaCertificateAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "destinationrule.ca-certificate", "destinationrule.CaCertificateAnalyzer",
        "Checks if caCertificates is set when TLS mode is SIMPLE/MUTUAL",
        {model::kinds::kDestinationRule},
        {"IST0128", "IST0129"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* dr : ctx.snapshot.OfKind(model::kinds::kDestinationRule)) {
      const yaml::Node* ws = Dig(dr, {"spec", "workloadSelector"});
      bool has_selector = ws && !ws->IsNull();
      std::string host = Scalar(dr->spec, "host");
      const yaml::Node* tls = Dig(dr, {"spec", "trafficPolicy", "tls"});
      if (NeedsCa(tls, has_selector))
        sink.Report("IST0128", *dr, "spec.trafficPolicy.tls.caCertificates",
                    {dr->FullName(), dr->ns, Scalar(tls, "mode"), host});
      const yaml::Node* pls = Dig(dr, {"spec", "trafficPolicy", "portLevelSettings"});
      if (!pls || !pls->IsSeq()) continue;
      for (size_t i = 0; i < pls->size(); ++i) {
        const yaml::Node& p = pls->at(i);
        const yaml::Node* ptls = p.IsMap() ? p.Get("tls") : nullptr;
        if (!NeedsCa(ptls, has_selector)) continue;
        sink.Report("IST0129", *dr,
                    "spec.trafficPolicy.portLevelSettings[" + std::to_string(i) + "].tls.caCertificates",
                    {dr->FullName(), dr->ns, Scalar(ptls, "mode"), host, PortSelectorString(p.Get("port"))});
      }
    }
  }

 private:
  static bool NeedsCa(const yaml::Node* tls, bool has_selector) {
    if (!tls || !tls->IsMap()) return false;
    std::string mode = Scalar(tls, "mode");
    if (mode != "SIMPLE" && mode != "MUTUAL") return false;
    if (!Scalar(tls, "caCertificates").empty()) return false;
    return !(!Scalar(tls, "credentialName").empty() && has_selector);
  }
  // The Go text form of a PortSelector message (prototext): "number:8080".
  static std::string PortSelectorString(const yaml::Node* port) {
    if (!port || !port->IsMap()) return "";
    int64_t n = port->Get("number") ? port->Get("number")->AsInt().value_or(0) : 0;
    return n ? "number:" + std::to_string(n) : "";
  }
};

class SubsetSelectPodAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "destinationrule.subset-select-pod", "destinationrule.SubsetSelectPodAnalyzer",
        "Checks if pods are selected by subsets in destination rules.",
        {model::kinds::kDestinationRule, model::kinds::kPod, model::kinds::kService, model::kinds::kServiceEntry,
         model::kinds::kNode},
        {"IST0173", "IST0174"}, false, {model::kinds::kPod, model::kinds::kService}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    HostIndex hosts(ctx.snapshot);
    // Pod labels augmented with the node's topology and hostname.
    std::vector<LabelMap> pod_labels;
    std::unordered_map<std::string, std::vector<size_t>> by_label;  // "k=v" -> pods
    for (const model::Resource* pod : ctx.snapshot.OfKind(model::kinds::kPod)) {
      LabelMap l = pod->Labels();
      std::string node = Scalar(pod->spec, "nodeName");
      if (const model::Resource* n = node.empty() ? nullptr : ctx.snapshot.Find(model::kinds::kNode, "", node)) {
        std::string region(n->Label("topology.kubernetes.io/region"));
        std::string zone(n->Label("topology.kubernetes.io/zone"));
        std::string subzone(n->Label("topology.istio.io/subzone"));
        // LocalityToString then SplitLocalityLabel: a zone is kept only
        // with... the string form drops later parts after an empty one.
        if (!region.empty()) l["topology.kubernetes.io/region"] = region;
        if (!zone.empty()) {
          l["topology.kubernetes.io/zone"] = zone;
          if (!subzone.empty()) l["topology.istio.io/subzone"] = subzone;
        }
      }
      if (!node.empty()) l["kubernetes.io/hostname"] = node;
      for (const auto& [k, v] : l) by_label[k + "=" + v].push_back(pod_labels.size());
      pod_labels.push_back(std::move(l));
    }
    auto any_pod = [&](const LabelMap& sel) {
      if (sel.empty()) return !pod_labels.empty();
      auto it = by_label.find(sel.begin()->first + "=" + sel.begin()->second);
      if (it == by_label.end()) return false;
      for (size_t i : it->second)
        if (SelectorMatches(sel, pod_labels[i])) return true;
      return false;
    };
    for (const model::Resource* dr : ctx.snapshot.OfKind(model::kinds::kDestinationRule)) {
      std::string host = Scalar(dr->spec, "host");
      const HostTarget* t = hosts.Lookup(dr->ns, ScalarList(Dig(dr, {"spec", "exportTo"})), host);
      if (!t) {
        if (HostInAbsentIstioNamespace(ctx, dr->ns, host)) continue;
        sink.Report("IST0174", *dr, "", {host});
        continue;
      }
      LabelMap base;
      if (t->resource && t->resource->Is(model::kinds::kServiceEntry))
        base = StringMap(Dig(t->resource, {"spec", "workloadSelector", "labels"}));
      const yaml::Node* subsets = Dig(dr, {"spec", "subsets"});
      if (!subsets || !subsets->IsSeq()) continue;
      std::map<std::string, bool> seen;  // Istio keys subsets by name
      for (const auto& s : subsets->children()) {
        std::string name = Scalar(&s, "name");
        LabelMap sel = base;
        for (const auto& [k, v] : StringMap(s.IsMap() ? s.Get("labels") : nullptr)) sel[k] = v;
        seen[name] = any_pod(sel);
      }
      for (const auto& [name, matched] : seen)
        if (!matched) sink.Report("IST0173", *dr, "", {name});
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewCaCertificateAnalyzer() { return std::make_unique<CaCertificateAnalyzer>(); }
std::unique_ptr<Analyzer> NewSubsetSelectPodAnalyzer() { return std::make_unique<SubsetSelectPodAnalyzer>(); }

}  // namespace meshctl::analysis
