// Sidecar injection analyzers:
//   injection.Analyzer       namespaces without injection labels (IST0102, or
//       IST0148 when the injector enables namespaces by default), several
//       kinds of injection labels (IST0123), pods in injected namespaces
//       without the proxy (IST0103);
//   injection.ImageAnalyzer  pods whose istio-proxy image differs from the
//       injector ConfigMap's (IST0158, one per namespace);
//   injection.ImageAutoAnalyzer  `image: auto` on a Pod (IST0147) or on a
//       Deployment no Istio injection webhook selects (IST0146).
#include <map>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"
#include "lib/json/parser.h"

namespace meshctl::analysis {

namespace {

constexpr model::GroupKind kMutatingWebhook{"admissionregistration.k8s.io", "MutatingWebhookConfiguration"};

std::string InjectorConfigMapName(const std::string& rev) {
  return rev.empty() || rev == "default" ? "istio-sidecar-injector" : "istio-sidecar-injector-" + rev;
}

// The injector ConfigMap's `values` JSON, parsed; nullopt when unusable.
std::optional<yaml::Document> InjectorValues(const model::Resource& cm) {
  std::string text = Scalar(Dig(cm, {"data"}), "values");
  if (text.empty()) return std::nullopt;
  auto docs = json::ParseJsonStream(text, cm.file + " (data.values)");
  if (!docs.ok() || docs->empty()) return std::nullopt;
  return std::move(docs->front());
}

std::vector<const yaml::Node*> PodContainers(const yaml::Node* spec, bool with_init) {
  std::vector<const yaml::Node*> out;
  for (const char* l : {"containers", "initContainers"}) {
    if (!with_init && std::string_view(l) == "initContainers") continue;
    const yaml::Node* cs = spec && spec->IsMap() ? spec->Get(l) : nullptr;
    if (cs && cs->IsSeq())
      for (const auto& c : cs->children()) out.push_back(&c);
  }
  return out;
}

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

class InjectionAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "injection.namespace", "injection.Analyzer", "Checks conditions related to Istio sidecar injection",
        {model::kinds::kNamespace, model::kinds::kPod, model::kinds::kConfigMap},
        {"IST0102", "IST0103", "IST0123", "IST0148"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    bool by_default = false;  // persists across namespaces, as in Istio
    std::map<std::string, bool> injected;
    for (const model::Resource* ns : ctx.snapshot.OfKind(model::kinds::kNamespace)) {
      if (ns->name == "istio-system") continue;
      bool has_inj = ns->HasLabel("istio-injection");
      std::string inj(ns->Label("istio-injection"));
      bool has_rev = ns->HasLabel("istio.io/rev");
      std::string rev(ns->Label("istio.io/rev"));
      std::vector<std::string> labels;
      if (has_inj) labels.push_back("istio-injection=" + inj);
      for (const char* l : {"istio.io/rev", "istio.io/dataplane-mode"})
        if (ns->HasLabel(l) && (!has_inj || inj == "enabled")) labels.push_back(std::string(l) + "=" + std::string(ns->Label(l)));
      if (labels.size() > 1) sink.Report("IST0123", *ns, "", {labels});
      if (ns->Label("istio.io/dataplane-mode") == "ambient") continue;
      std::string cm_name = InjectorConfigMapName(rev);
      for (const model::Resource* cm : ctx.snapshot.OfKind(model::kinds::kConfigMap)) {
        if (cm->name != cm_name) continue;
        auto values = InjectorValues(*cm);
        const yaml::Node* v = values ? Dig(&values->root, {"sidecarInjectorWebhook", "enableNamespacesByDefault"}) : nullptr;
        by_default = v && v->AsBool().value_or(false);
        break;
      }
      if (inj.empty() && !has_rev) {
        if (by_default) {
          sink.Report("IST0148", *ns, "", {});
        } else {
          sink.Report("IST0102", *ns, "metadata.name", {ns->name, ns->name});
        }
        continue;
      }
      if (inj == "enabled") injected[ns->name] = true;
    }
    for (const model::Resource* pod : ctx.snapshot.OfKind(model::kinds::kPod)) {
      if (!injected.count(pod->ns)) continue;
      std::string inj(pod->Annotation("sidecar.istio.io/inject"));
      if (pod->HasLabel("sidecar.istio.io/inject")) inj = pod->Label("sidecar.istio.io/inject");
      if (EqualFold(inj, "false")) continue;
      const yaml::Node* hn = pod->spec && pod->spec->IsMap() ? pod->spec->Get("hostNetwork") : nullptr;
      if (hn && hn->AsBool().value_or(false)) continue;
      std::string image;
      for (const yaml::Node* c : PodContainers(pod->spec, true))
        if (Scalar(c, "name") == "istio-proxy") {
          image = Scalar(c, "image");
          break;
        }
      if (image.empty()) sink.Report("IST0103", *pod, "", {pod->FullName()});
    }
  }
};

class InjectionImageAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "injection.image", "injection.ImageAnalyzer",
        "Checks the image of auto-injection configured with the running proxies on pods",
        {model::kinds::kNamespace, model::kinds::kPod, model::kinds::kConfigMap, kMeshConfigKind,
         model::kinds::kProxyConfig},
        {"IST0158"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::map<std::string, std::string> images;  // injector ConfigMap name -> proxy image
    for (const model::Resource* cm : ctx.snapshot.OfKind(model::kinds::kConfigMap)) {
      if (cm->name.rfind("istio-sidecar-injector", 0) != 0) continue;
      std::string image;
      if (auto values = InjectorValues(*cm)) {
        const yaml::Node& root = values->root;
        std::string proxy = Scalar(Dig(root, {"global", "proxy", "image"}));
        image = proxy.find('/') != std::string::npos
                    ? proxy
                    : Scalar(Dig(root, {"global", "hub"})) + "/" + proxy + ":" + Scalar(Dig(root, {"global", "tag"}));
      }
      images[cm->name] = image;
    }
    if (images.empty()) return;
    std::map<std::string, std::string> injected;  // namespace -> revision
    for (const model::Resource* ns : ctx.snapshot.OfKind(model::kinds::kNamespace)) {
      if (ns->HasLabel("istio.io/rev")) {
        injected[ns->name] = std::string(ns->Label("istio.io/rev"));
      } else if (ns->Label("istio-injection") == "enabled") {
        injected[ns->name] = "default";
      }
    }
    ProxyConfigs pcs(ctx);
    std::map<std::string, std::vector<std::string>> mismatched;
    for (const model::Resource* pod : ctx.snapshot.OfKind(model::kinds::kPod)) {
      auto it = injected.find(pod->ns);
      if (it == injected.end()) continue;
      if (!pod->Annotation("sidecar.istio.io/proxyImage").empty()) continue;
      std::string variant = pcs.ImageType(*pod);
      for (const yaml::Node* c : PodContainers(pod->spec, true)) {
        if (Scalar(c, "name") != "istio-proxy") continue;
        auto img = images.find(InjectorConfigMapName(it->second));
        if (img == images.end()) break;
        std::string image = Scalar(c, "image");
        if (image != img->second && image != img->second + "-" + variant) mismatched[pod->ns].push_back(pod->name);
      }
    }
    for (auto& [ns, pods] : mismatched) {
      const model::Resource* nsr = ctx.snapshot.Find(model::kinds::kNamespace, "", ns);
      if (!nsr) continue;
      std::sort(pods.begin(), pods.end());
      sink.Report("IST0158", *nsr, "", {pods});
    }
  }

 private:
  // Istio's EffectiveProxyConfigResolver, image type only.
  class ProxyConfigs {
   public:
    explicit ProxyConfigs(const AnalysisContext& ctx) {
      mesh_type_ = Scalar(ctx.mesh_config ? Dig(ctx.mesh_config, {"defaultConfig", "image", "imageType"}) : nullptr);
      std::string root = Scalar(ctx.mesh_config, "rootNamespace");
      if (root.empty()) root = "istio-system";
      for (const model::Resource* pc : ctx.snapshot.OfKind(model::kinds::kProxyConfig)) {
        std::string type = Scalar(Dig(pc, {"spec", "image", "imageType"}));
        const yaml::Node* sel = Dig(pc, {"spec", "selector"});
        if (pc->ns == root) {
          root_type_ = type;
        } else if (!sel || sel->IsNull()) {
          ns_type_[pc->ns] = type;
        } else {
          workload_.push_back({pc->ns, StringMap(Dig(pc, {"spec", "selector", "matchLabels"})), type});
        }
      }
    }
    std::string ImageType(const model::Resource& pod) const {
      std::string v = mesh_type_;
      if (!root_type_.empty()) v = root_type_;
      if (auto it = ns_type_.find(pod.ns); it != ns_type_.end() && !it->second.empty()) v = it->second;
      LabelMap labels = pod.Labels();
      for (const auto& w : workload_)
        if (w.ns == pod.ns && SelectorMatches(w.sel, labels) && !w.type.empty()) v = w.type;
      std::string anno(pod.Annotation("proxy.istio.io/config"));
      if (!anno.empty()) {
        auto docs = yaml::ParseYamlStream(anno, pod.file);
        if (docs.ok() && !docs->empty()) {
          std::string t = Scalar(Dig(&docs->front().root, {"image", "imageType"}));
          if (!t.empty()) v = t;
        }
      }
      return v == "default" ? "" : v;
    }

   private:
    struct Workload {
      std::string ns;
      LabelMap sel;
      std::string type;
    };
    std::string mesh_type_, root_type_;
    std::map<std::string, std::string> ns_type_;
    std::vector<Workload> workload_;
  };
};

class ImageAutoAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "injection.image-auto", "injection.ImageAutoAnalyzer",
        "Makes sure that Pods and Deployments with `image: auto` are going to be injected",
        {model::kinds::kNamespace, model::kinds::kPod, model::kinds::kDeployment, kMutatingWebhook},
        {"IST0146", "IST0147"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::vector<const yaml::Node*> hooks;
    for (const model::Resource* r : ctx.snapshot.OfKind(kMutatingWebhook)) {
      const yaml::Node* whs = Dig(r, {"webhooks"});
      if (!whs || !whs->IsSeq()) continue;
      for (const auto& w : whs->children()) {
        std::string name = Scalar(&w, "name");
        if (name.size() >= 8 && name.compare(name.size() - 8, 8, "istio.io") == 0) hooks.push_back(&w);
      }
    }
    for (const model::Resource* pod : ctx.snapshot.OfKind(model::kinds::kPod))
      if (HasAutoImage(pod->spec)) sink.Report("IST0147", *pod, "", {std::string("Pod"), pod->name});
    for (const model::Resource* d : ctx.snapshot.OfKind(model::kinds::kDeployment)) {
      if (!HasAutoImage(Dig(d, {"spec", "template", "spec"}))) continue;
      const model::Resource* ns = ctx.snapshot.Find(model::kinds::kNamespace, "", d->ns.empty() ? "default" : d->ns);
      LabelMap ns_labels = ns ? ns->Labels() : LabelMap{};
      LabelMap pod_labels = StringMap(Dig(d, {"spec", "template", "metadata", "labels"}));
      bool match = false;
      for (const yaml::Node* w : hooks) {
        bool v1 = true, v2 = true;
        if (LabelSelectorMatches(w->Get("namespaceSelector"), ns_labels, &v1) &&
            LabelSelectorMatches(w->Get("objectSelector"), pod_labels, &v2) && v1 && v2)
          match = true;
      }
      if (!match) sink.Report("IST0146", *d, "", {std::string("Deployment"), d->name});
    }
  }

 private:
  static bool HasAutoImage(const yaml::Node* spec) {
    for (const yaml::Node* c : PodContainers(spec, false))
      if (Scalar(c, "name") == "istio-proxy" && Scalar(c, "image") == "auto") return true;
    return false;
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewInjectionAnalyzer() { return std::make_unique<InjectionAnalyzer>(); }
std::unique_ptr<Analyzer> NewInjectionImageAnalyzer() { return std::make_unique<InjectionImageAnalyzer>(); }
std::unique_ptr<Analyzer> NewImageAutoAnalyzer() { return std::make_unique<ImageAutoAnalyzer>(); }

}  // namespace meshctl::analysis
