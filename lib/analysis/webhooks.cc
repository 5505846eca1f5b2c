// webhook.Analyzer: Istio sidecar-injector MutatingWebhooks that overlap for
// some namespace/object label combination (the injection would happen
// twice), or that point to a Service that does not exist (IST0139).
// externalcontrolplane.ExternalControlPlaneAnalyzer: Istio validating and
// injecting webhooks of an external control plane with neither a URL nor a
// service, an unparsable URL (IST0163), or an IP address (IST0164).
#include <map>
#include <set>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

constexpr model::GroupKind kMutatingWebhook{"admissionregistration.k8s.io", "MutatingWebhookConfiguration"};
constexpr model::GroupKind kValidatingWebhook{"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"};

class WebhookAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "webhook.injector", "webhook.Analyzer", "Checks the validity of Istio webhooks",
        {kMutatingWebhook, model::kinds::kService},
        {"IST0139"}, false, {model::kinds::kService}};
    return m;
  }

  struct Hook {
    const model::Resource* config;
    std::string key;  // "config/webhook"
    const yaml::Node* ns_selector;
    const yaml::Node* obj_selector;
    const yaml::Node* service;
    std::string path;
  };

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::vector<Hook> hooks;
    std::set<std::string> revisions;
    for (const model::Resource* r : ctx.snapshot.OfKind(kMutatingWebhook)) {
      const yaml::Node* whs = Dig(r, {"webhooks"});
      std::set<std::string> revs;
      if (r->HasLabel("istio.io/rev")) revs.insert(std::string(r->Label("istio.io/rev")));
      bool istio = false;
      if (whs && whs->IsSeq())
        for (const auto& w : whs->children()) {
          std::string name = Scalar(&w, "name");
          if (name.size() >= 8 && name.compare(name.size() - 8, 8, "istio.io") == 0) istio = true;
          for (const char* sel : {"namespaceSelector", "objectSelector"}) {
            const yaml::Node* s = w.IsMap() ? w.Get(sel) : nullptr;
            if (!s || !s->IsMap()) continue;
            LabelMap ml = StringMap(s->Get("matchLabels"));
            if (auto it = ml.find("istio.io/rev"); it != ml.end()) revs.insert(it->second);
            const yaml::Node* ex = s->Get("matchExpressions");
            if (ex && ex->IsSeq())
              for (const auto& e : ex->children())
                if (Scalar(&e, "key") == "istio.io/rev")
                  for (const auto& v : ScalarList(e.Get("values"))) revs.insert(v);
          }
        }
      if (revs.empty() && !istio) continue;
      revisions.insert(revs.begin(), revs.end());
      if (!whs || !whs->IsSeq()) continue;
      for (size_t i = 0; i < whs->size(); ++i) {
        const yaml::Node& w = whs->at(i);
        const yaml::Node* cc = w.IsMap() ? w.Get("clientConfig") : nullptr;
        hooks.push_back({r, r->FullName() + "/" + Scalar(&w, "name"), w.IsMap() ? w.Get("namespaceSelector") : nullptr,
                         w.IsMap() ? w.Get("objectSelector") : nullptr, cc && cc->IsMap() ? cc->Get("service") : nullptr,
                         "webhooks[" + std::to_string(i) + "]"});
      }
    }
    auto label_sets = [&](std::string_view key, std::string_view on, std::string_view off) {
      std::vector<LabelMap> base = {{}, {{std::string(key), std::string(on)}}, {{std::string(key), std::string(off)}}};
      std::vector<LabelMap> out = base;
      for (const auto& rev : revisions)
        for (LabelMap b : base) {
          b["istio.io/rev"] = rev;
          out.push_back(b);
        }
      return out;
    };
    std::vector<LabelMap> ns_labels = label_sets("istio-injection", "enabled", "disabled");
    std::vector<LabelMap> obj_labels = label_sets("sidecar.istio.io/inject", "true", "false");
    for (const auto& nl : ns_labels)
      for (const auto& ol : obj_labels) {
        std::map<std::string, const Hook*> matches;
        for (const Hook& h : hooks) {
          bool v1 = true, v2 = true;
          bool m = LabelSelectorMatches(h.ns_selector, nl, &v1) && LabelSelectorMatches(h.obj_selector, ol, &v2);
          if (m && v1 && v2) matches.emplace(h.key, &h);
        }
        if (matches.size() < 2) continue;
        for (const auto& [key, h] : matches) {
          std::vector<std::string> others;
          for (const auto& [k, unused] : matches)
            if (k != key) others.push_back(k);
          sink.Report("IST0139", *h->config, "",
                      {"Webhook overlaps with others: " + GoList(others) + ". This may cause injection to occur twice."});
        }
      }
    for (const Hook& h : hooks) {
      if (!h.service || !h.service->IsMap()) continue;
      std::string ns = Scalar(h.service, "namespace"), name = Scalar(h.service, "name");
      if (ctx.snapshot.Find(model::kinds::kService, ns, name)) continue;
      std::string full = ns.empty() ? name : ns + "/" + name;
      sink.Report("IST0139", *h.config, "",
                  {"Injector refers to a control plane service that does not exist: " + full + "."});
    }
  }

 private:
  static std::string GoList(const std::vector<std::string>& v) {
    std::string s = "[";
    for (size_t i = 0; i < v.size(); ++i) s += (i ? " " : "") + v[i];
    return s + "]";
  }
};

// Go's url.Parse + Hostname() + net.ParseIP, enough for webhook URLs.
bool ParseUrlHost(const std::string& url, std::string& host) {
  for (char c : url)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  std::string rest = url;
  size_t colon = rest.find(':');
  size_t slash = rest.find('/');
  if (colon != std::string::npos && (slash == std::string::npos || colon < slash)) {
    std::string scheme = rest.substr(0, colon);
    if (scheme.empty()) return false;  // "missing protocol scheme"
    if (!std::isalpha(static_cast<unsigned char>(scheme[0]))) return false;
    rest = rest.substr(colon + 1);
  }
  host.clear();
  if (rest.rfind("//", 0) != 0) return true;
  rest = rest.substr(2);
  std::string authority = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority[0] == '[') {
    size_t end = authority.find(']');
    if (end == std::string::npos) return false;
    host = authority.substr(1, end - 1);
    return true;
  }
  size_t pc = authority.rfind(':');
  host = pc == std::string::npos ? authority : authority.substr(0, pc);
  if (pc != std::string::npos) {
    std::string port = authority.substr(pc + 1);
    if (port.find_first_not_of("0123456789") != std::string::npos) return false;
  }
  return true;
}

bool IsIp(const std::string& h) {
  if (h.find(':') != std::string::npos) return h.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
  int parts = 0;
  size_t start = 0;
  while (true) {
    size_t dot = h.find('.', start);
    std::string p = h.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (p.empty() || p.size() > 3 || p.find_first_not_of("0123456789") != std::string::npos || std::stoi(p) > 255)
      return false;
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

class ExternalControlPlaneAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "webhook.external-control-plane", "externalcontrolplane.ExternalControlPlaneAnalyzer",
        "Checks that the remote IstioOperator resources reference an external control plane",
        {kValidatingWebhook, kMutatingWebhook},
        {"IST0163", "IST0164"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    for (const model::Resource* r : ctx.snapshot.OfKind(kValidatingWebhook))
      if (r->name == "istiod-default-validator" || r->name.rfind("istio-validator", 0) == 0) Check(*r, sink);
    for (const model::Resource* r : ctx.snapshot.OfKind(kMutatingWebhook))
      if (r->name.rfind("istio-sidecar-injector", 0) == 0) Check(*r, sink);
  }

 private:
  static void Check(const model::Resource& r, diag::DiagnosticSink& sink) {
    const yaml::Node* whs = Dig(r, {"webhooks"});
    if (!whs || !whs->IsSeq()) return;
    for (size_t i = 0; i < whs->size(); ++i) {
      const yaml::Node& w = whs->at(i);
      std::string name = Scalar(&w, "name");
      const yaml::Node* cc = w.IsMap() ? w.Get("clientConfig") : nullptr;
      const yaml::Node* url = cc && cc->IsMap() ? cc->Get("url") : nullptr;
      const yaml::Node* svc = cc && cc->IsMap() ? cc->Get("service") : nullptr;
      std::string path = "webhooks[" + std::to_string(i) + "].clientConfig";
      if (url && !url->IsNull()) {
        std::string u = Scalar(url), host;
        if (!ParseUrlHost(u, host)) {
          sink.Report("IST0163", r, "", {u, name, std::string("was provided in an invalid format")});
        } else if (IsIp(host)) {
          sink.Report("IST0164", r, "", {u, name});
        }
      } else if (!svc || svc->IsNull()) {
        sink.Report("IST0163", r, "", {std::string(), name, std::string("is blank")});
      }
    }
  }
};

class MeshNetworksAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "mesh.networks", "meshnetworks.MeshNetworksAnalyzer", "Check the validity of MeshNetworks in the cluster",
        {kMeshNetworksKind, model::kinds::kSecret},
        {"IST0126"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::set<std::string> registries = {"Mock", "Kubernetes", "External"};
    for (const model::Resource* s : ctx.snapshot.OfKind(model::kinds::kSecret)) {
      if (s->Label("istio/multiCluster") != "true") continue;
      const yaml::Node* data = Dig(s, {"data"});
      if (data && data->IsMap())
        for (size_t i = 0; i < data->size(); ++i) registries.insert(data->KeyAt(i).ToScalarString());
    }
    for (const model::Resource* mn : ctx.snapshot.OfKind(kMeshNetworksKind)) {
      const yaml::Node* nets = Dig(mn, {"networks"});
      if (!nets || !nets->IsMap()) continue;
      for (size_t i = 0; i < nets->size(); ++i) {
        std::string net = nets->KeyAt(i).ToScalarString();
        const yaml::Node* eps = nets->ValueAt(i).IsMap() ? nets->ValueAt(i).Get("endpoints") : nullptr;
        if (!eps || !eps->IsSeq()) continue;
        for (size_t j = 0; j < eps->size(); ++j) {
          const yaml::Node* from = eps->at(j).IsMap() ? eps->at(j).Get("fromRegistry") : nullptr;
          if (!from) continue;
          std::string reg = Scalar(from);
          if (registries.count(reg)) continue;
          sink.Report("IST0126", *mn, "", {reg, net});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewWebhookAnalyzer() { return std::make_unique<WebhookAnalyzer>(); }
std::unique_ptr<Analyzer> NewExternalControlPlaneAnalyzer() { return std::make_unique<ExternalControlPlaneAnalyzer>(); }
std::unique_ptr<Analyzer> NewMeshNetworksAnalyzer() { return std::make_unique<MeshNetworksAnalyzer>(); }

}  // namespace meshctl::analysis
