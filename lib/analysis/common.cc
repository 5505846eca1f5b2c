#include "lib/analysis/common.h"

#include <algorithm>

namespace meshctl::analysis {

LabelMap StringMap(const yaml::Node* n) {
  LabelMap m;
  if (!n || !n->IsMap()) return m;
  for (size_t i = 0; i < n->size(); ++i) {
    const yaml::Node& v = n->ValueAt(i);
    if (!v.IsScalar()) continue;
    m[n->KeyAt(i).ToScalarString()] = v.IsNull() ? "" : v.ToScalarString();
  }
  return m;
}

bool SelectorMatches(const LabelMap& selector, const LabelMap& labels) {
  for (const auto& [k, v] : selector) {
    auto it = labels.find(k);
    if (it == labels.end() || it->second != v) return false;
  }
  return true;
}

std::string SelectorString(const LabelMap& sel) {
  std::string s;
  for (const auto& [k, v] : sel) {
    if (!s.empty()) s += ",";
    s += k + "=" + v;
  }
  return s;
}

std::string FirstSelectorKey(const LabelMap& sel) { return sel.empty() ? "" : sel.begin()->first; }

std::string Scalar(const yaml::Node* n) { return n && n->IsScalar() && !n->IsNull() ? n->ToScalarString() : ""; }
std::string Scalar(const yaml::Node* parent, std::string_view key) {
  return parent && parent->IsMap() ? Scalar(parent->Get(key)) : "";
}

std::vector<std::string> ScalarList(const yaml::Node* n) {
  std::vector<std::string> out;
  if (n && n->IsSeq())
    for (const auto& c : n->children()) out.push_back(Scalar(&c));
  return out;
}

std::vector<std::string> SortedNames(const std::vector<const model::Resource*>& rs) {
  std::vector<std::string> out;
  for (const auto* r : rs) out.push_back(r->name);
  std::sort(out.begin(), out.end());
  return out;
}

bool PodInAmbientMode(const model::Resource* pod) {
  return pod && pod->Annotation("ambient.istio.io/redirection") == "enabled";
}

bool NamespaceInAmbientMode(const model::Resource* ns) {
  if (!ns) return false;
  if (ns->Label("istio-injection") == "enabled") return false;
  if (!ns->Label("istio.io/rev").empty()) return false;
  return ns->Label("istio.io/dataplane-mode") == "ambient";
}

std::string ConvertHostToFqdn(std::string_view ns, std::string_view host) {
  if (!host.empty() && host[0] == '*') return std::string(host);
  if (host.find('.') != std::string_view::npos) return std::string(host);
  return std::string(host) + "." + std::string(ns) + ".svc.cluster.local";
}

std::pair<std::string, std::string> FullNameFromFqdn(std::string_view fqdn) {
  constexpr std::string_view kSuffix = ".svc.cluster.local";
  if (fqdn.size() <= kSuffix.size() || fqdn.substr(fqdn.size() - kSuffix.size()) != kSuffix) return {};
  std::string_view rest = fqdn.substr(0, fqdn.size() - kSuffix.size());
  // Go's greedy `^(.+)\.(.+)$`: the namespace is after the last dot.
  size_t dot = rest.rfind('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == rest.size()) return {};
  return {std::string(rest.substr(dot + 1)), std::string(rest.substr(0, dot))};
}

bool HostInAbsentIstioNamespace(const AnalysisContext& ctx, std::string_view source_ns, std::string_view host) {
  if (!ctx.istio_services_absent || ctx.istio_namespace.empty()) return false;
  std::string fqdn = ConvertHostToFqdn(source_ns, host);
  if (FullNameFromFqdn(fqdn).first == ctx.istio_namespace) return true;
  // Short forms Kubernetes DNS resolves through the search path.
  for (std::string suffix : {"." + ctx.istio_namespace, "." + ctx.istio_namespace + ".svc"}) {
    if (host.size() > suffix.size() && host.substr(host.size() - suffix.size()) == suffix &&
        host.substr(0, host.size() - suffix.size()).find('.') == std::string_view::npos)
      return true;
  }
  return false;
}

HostIndex::HostIndex(const model::Snapshot& snap) {
  for (const model::Resource* se : snap.OfKind(model::kinds::kServiceEntry)) {
    auto t = std::make_unique<HostTarget>();
    t->resource = se;
    const yaml::Node* ports = se->spec ? se->spec->Get("ports") : nullptr;
    if (ports && ports->IsSeq())
      for (const auto& p : ports->children())
        t->ports.push_back({p.Get("number") ? p.Get("number")->AsInt().value_or(0) : 0, Scalar(&p, "name"),
                            Scalar(&p, "protocol")});
    std::vector<std::string> export_to = ScalarList(se->spec ? se->spec->Get("exportTo") : nullptr);
    for (const auto& h : ScalarList(se->spec ? se->spec->Get("hosts") : nullptr)) {
      if (export_to.empty()) {
        Add("*", se->ns, h, t.get());
        continue;
      }
      for (const auto& e : export_to) {
        if (e == "*") {
          Add("*", se->ns, h, t.get());
          break;
        }
        Add(e == "." ? std::string(se->ns) : e, se->ns, h, t.get());
      }
    }
    targets_.push_back(std::move(t));
  }
  for (const model::Resource* svc : snap.OfKind(model::kinds::kService)) {
    auto t = std::make_unique<HostTarget>();
    t->resource = svc;
    const yaml::Node* ports = svc->spec ? svc->spec->Get("ports") : nullptr;
    if (ports && ports->IsSeq())
      for (const auto& p : ports->children())
        t->ports.push_back({p.Get("port") ? p.Get("port")->AsInt().value_or(0) : 0, Scalar(&p, "name"),
                            Scalar(&p, "protocol")});
    std::string anno(svc->Annotation("networking.istio.io/exportTo"));
    std::vector<std::string> scopes;
    if (anno.empty()) {
      scopes.push_back("*");
    } else {
      size_t start = 0;
      while (start <= anno.size()) {
        size_t comma = anno.find(',', start);
        std::string part = anno.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        part.erase(0, part.find_first_not_of(" \t"));
        part.erase(part.find_last_not_of(" \t") + 1);
        scopes.push_back(part == "." ? std::string(svc->ns) : part);
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
    }
    for (const auto& s : scopes) Add(s, svc->ns, svc->name, t.get());
    targets_.push_back(std::move(t));
  }
}

void HostIndex::Add(const std::string& scope, std::string_view ns, std::string_view host, const HostTarget* t) {
  std::string fqdn = ConvertHostToFqdn(ns, host);
  std::string key = scope + "/" + fqdn;
  exact_[key] = t;  // later entries win, as in Istio's map
  if (!fqdn.empty() && fqdn[0] == '*') wildcard_.emplace_back(key, t);
}

const HostTarget* HostIndex::Lookup(std::string_view source_ns, const std::vector<std::string>& export_to,
                                    std::string_view host) const {
  std::string fqdn = ConvertHostToFqdn(source_ns, host);
  if (auto it = exact_.find("*/" + fqdn); it != exact_.end()) return it->second;
  if (export_to.empty()) {
    if (auto it = exact_.find(std::string(source_ns) + "/" + fqdn); it != exact_.end()) return it->second;
  } else {
    for (const auto& e : export_to) {
      std::string scope = e == "." ? std::string(source_ns) : e;
      if (auto it = exact_.find(scope + "/" + fqdn); it != exact_.end()) return it->second;
    }
  }
  std::string_view h = host;
  if (!h.empty() && h[0] == '*') h.remove_prefix(1);
  for (const auto& [key, t] : wildcard_) {
    size_t slash = key.find('/');
    std::string_view scope = std::string_view(key).substr(0, slash);
    std::string_view se_host = std::string_view(key).substr(slash + 2);  // drop "*"
    if (scope != "*" && scope != source_ns) continue;
    if (h.size() >= se_host.size() && h.substr(h.size() - se_host.size()) == se_host) return t;
  }
  return nullptr;
}

namespace {
bool IsWildcard(std::string_view h) { return !h.empty() && h[0] == '*'; }
bool HasSuffix(std::string_view s, std::string_view suf) {
  return s.size() >= suf.size() && s.substr(s.size() - suf.size()) == suf;
}
}  // namespace

bool HostsMatch(std::string_view a, std::string_view b) {
  bool wa = IsWildcard(a), wb = IsWildcard(b);
  if (wa) {
    if (wb) {
      // both wildcards: the longer must end with the shorter's suffix
      if (a.size() < b.size()) return HasSuffix(b.substr(1), a.substr(1));
      return HasSuffix(a.substr(1), b.substr(1));
    }
    return HasSuffix(b, a.substr(1));
  }
  if (wb) return HasSuffix(a, b.substr(1));
  return a == b;
}

bool HostSubsetOf(std::string_view a, std::string_view b) {
  if (IsWildcard(b)) {
    if (b.size() == 1) return true;  // "*"
    if (IsWildcard(a)) return HasSuffix(a.substr(1), b.substr(1));
    return HasSuffix(a, b.substr(1));
  }
  if (IsWildcard(a)) return false;
  return a == b;
}

PodIndex::PodIndex(const model::Snapshot& snap) {
  for (const model::Resource* p : snap.OfKind(model::kinds::kPod)) {
    all_.push_back(p);
    by_ns_[p->ns].push_back(p);
    LabelMap& l = labels_[p];
    l = p->Labels();
    for (const auto& [k, v] : l) by_label_[k + "=" + v].push_back(p);
  }
}

std::vector<const model::Resource*> PodIndex::Matching(const LabelMap& sel) const {
  if (sel.empty()) return all_;
  std::vector<const model::Resource*> out;
  auto it = by_label_.find(sel.begin()->first + "=" + sel.begin()->second);
  if (it == by_label_.end()) return out;
  for (const model::Resource* p : it->second)
    if (SelectorMatches(sel, LabelsOf(p))) out.push_back(p);
  return out;
}

const LabelMap& PodIndex::LabelsOf(const model::Resource* pod) const {
  static const LabelMap kEmpty;
  auto it = labels_.find(pod);
  return it == labels_.end() ? kEmpty : it->second;
}

const std::vector<const model::Resource*>& PodIndex::InNamespace(std::string_view ns) const {
  static const std::vector<const model::Resource*> kEmpty;
  auto it = by_ns_.find(std::string(ns));
  return it == by_ns_.end() ? kEmpty : it->second;
}

}  // namespace meshctl::analysis

namespace meshctl::analysis {

bool InMesh(const model::Resource& w, const model::Snapshot& snap) {
  bool is_pod = w.Is(model::kinds::kPod);
  const yaml::Node* spec = is_pod ? w.spec : w.Find("spec.template.spec");
  const yaml::Node* meta = is_pod ? w.metadata : w.Find("spec.template.metadata");
  std::vector<const char*> lists = {"containers"};
  if (is_pod) lists.push_back("initContainers");
  for (const char* l : lists) {
    const yaml::Node* cs = spec && spec->IsMap() ? spec->Get(l) : nullptr;
    if (!cs || !cs->IsSeq()) continue;
    for (const auto& c : cs->children())
      if (Scalar(&c, "name") == "istio-proxy") return !Scalar(&c, "image").empty();
  }
  for (const char* field : {"labels", "annotations"}) {
    LabelMap m = StringMap(meta && meta->IsMap() ? meta->Get(field) : nullptr);
    auto it = m.find("sidecar.istio.io/inject");
    if (it != m.end()) return it->second == "true";
  }
  const model::Resource* ns = snap.Find(model::kinds::kNamespace, "", w.ns);
  return ns && ns->Label("istio-injection") == "enabled";
}

}  // namespace meshctl::analysis

namespace meshctl::analysis {

bool LabelSelectorMatches(const yaml::Node* selector, const LabelMap& labels, bool* valid) {
  if (valid) *valid = true;
  if (!selector || selector->IsNull()) return true;
  if (!SelectorMatches(StringMap(selector->Get("matchLabels")), labels)) return false;
  const yaml::Node* exprs = selector->IsMap() ? selector->Get("matchExpressions") : nullptr;
  if (!exprs || !exprs->IsSeq()) return true;
  for (const auto& e : exprs->children()) {
    std::string key = Scalar(&e, "key"), op = Scalar(&e, "operator");
    std::vector<std::string> values = ScalarList(e.IsMap() ? e.Get("values") : nullptr);
    auto it = labels.find(key);
    bool has = it != labels.end();
    bool in = has && std::find(values.begin(), values.end(), it->second) != values.end();
    if (op == "In") {
      if (!in) return false;
    } else if (op == "NotIn") {
      if (in) return false;
    } else if (op == "Exists") {
      if (!has) return false;
    } else if (op == "DoesNotExist") {
      if (has) return false;
    } else {
      if (valid) *valid = false;
      return false;
    }
  }
  return true;
}

}  // namespace meshctl::analysis
