// The Istio Gateway analyzers:
//   gateway.IngressGatewayPortAnalyzer  selector matches no pod (IST0101);
//       a server port that no Service of the gateway pods exposes (IST0162).
//   gateway.SecretAnalyzer              credentialName Secret missing (IST0101)
//       or without a valid certificate (IST0161).
//   gateway.ConflictingGatewayAnalyzer  same selector and port with
//       overlapping hosts (IST0145); selector matching no other gateway's
//       pods (IST0101).
//   gateway.CertificateAnalyzer         one certificate on several gateways
//       selecting the same workloads (IST0138).
#include <map>
#include <set>

#include "lib/analysis/cert_check.h"
#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

LabelMap GatewaySelector(const model::Resource& gw) { return StringMap(Dig(gw, {"spec", "selector"})); }

std::string SelectorPath(const LabelMap& sel) { return KeyPath("spec.selector", FirstSelectorKey(sel)); }

const yaml::Node* Servers(const model::Resource& gw) {
  const yaml::Node* s = Dig(gw, {"spec", "servers"});
  return s && s->IsSeq() ? s : nullptr;
}

class IngressGatewayPortAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "gateway.ingress-port", "gateway.IngressGatewayPortAnalyzer",
        "Checks a gateway's ports against the gateway's Kubernetes service ports",
        {model::kinds::kGateway, model::kinds::kPod, model::kinds::kService},
        {"IST0101", "IST0162"}, false, {model::kinds::kPod, model::kinds::kService}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    PodIndex pods(ctx.snapshot);
    for (const model::Resource* gw : ctx.snapshot.OfKind(model::kinds::kGateway)) {
      LabelMap sel = GatewaySelector(*gw);
      std::set<int64_t> service_ports;
      std::map<int64_t, int64_t> port_mapping;
      std::vector<const model::Resource*> matched = pods.Matching(sel);
      for (const model::Resource* pod : matched) {
        const LabelMap& pl = pods.LabelsOf(pod);
        for (const model::Resource* svc : ctx.snapshot.OfKindIn(model::kinds::kService, pod->ns)) {
          if (!SelectorMatches(StringMap(Dig(svc, {"spec", "selector"})), pl)) continue;
          const yaml::Node* ports = Dig(svc, {"spec", "ports"});
          if (!ports || !ports->IsSeq()) continue;
          for (const auto& p : ports->children()) {
            if (Scalar(&p, "protocol") != "TCP") continue;
            int64_t port = p.Get("port") ? p.Get("port")->AsInt().value_or(0) : 0;
            const yaml::Node* t = p.Get("targetPort");
            int64_t tp = t && t->IsInt() ? t->AsInt().value_or(0) : 0;
            if (t && t->IsString()) tp = t->AsInt().value_or(0);  // IntValue() of a numeric string
            if (tp != 0) {
              service_ports.insert(tp);
              port_mapping.emplace(port, tp);
            } else {
              service_ports.insert(port);
            }
          }
        }
      }
      if (matched.empty()) {
        sink.Report("IST0101", *gw, SelectorPath(sel), {std::string("selector"), SelectorString(sel)});
        continue;
      }
      const yaml::Node* servers = Servers(*gw);
      if (!servers) continue;
      for (const auto& s : servers->children()) {
        const yaml::Node* port = s.IsMap() ? s.Get("port") : nullptr;
        if (!port || !port->IsMap()) continue;
        int64_t num = port->Get("number") ? port->Get("number")->AsInt().value_or(0) : 0;
        if (service_ports.count(num) || port_mapping.count(num)) continue;
        sink.Report("IST0162", *gw, SelectorPath(sel), {num, SelectorString(sel)});
      }
    }
  }
};

class GatewaySecretAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "gateway.secret", "gateway.SecretAnalyzer", "Checks a gateway's referenced secrets for correctness",
        {model::kinds::kGateway, model::kinds::kPod, model::kinds::kSecret},
        {"IST0101", "IST0161"}, false, {model::kinds::kPod, model::kinds::kSecret}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    PodIndex pods(ctx.snapshot);
    for (const model::Resource* gw : ctx.snapshot.OfKind(model::kinds::kGateway)) {
      LabelMap sel = GatewaySelector(*gw);
      std::vector<const model::Resource*> matched = pods.Matching(sel);
      // The namespace of the first pod the selector matches; a pod in the
      // empty namespace counts as none, as in Istio.
      std::string gw_ns = matched.empty() ? "" : matched.front()->ns;
      if (gw_ns.empty()) {
        sink.Report("IST0101", *gw, SelectorPath(sel), {std::string("selector"), SelectorString(sel)});
        continue;
      }
      const yaml::Node* servers = Servers(*gw);
      if (!servers) continue;
      for (size_t i = 0; i < servers->size(); ++i) {
        std::string cn = Scalar(servers->at(i).Get("tls"), "credentialName");
        if (cn.empty()) continue;
        std::string path = "spec.servers[" + std::to_string(i) + "].tls.credentialName";
        // resource.NewShortOrFullName: "ns/name" names another namespace.
        std::string ns = gw_ns, name = cn;
        if (size_t slash = cn.find('/'); slash != std::string::npos) {
          ns = cn.substr(0, slash);
          name = cn.substr(slash + 1);
        }
        const model::Resource* secret = ctx.snapshot.Find(model::kinds::kSecret, ns, name);
        if (!secret) {
          sink.Report("IST0101", *gw, path, {std::string("credentialName"), cn});
          continue;
        }
        if (!IsValidCredentialSecret(*secret)) sink.Report("IST0161", *gw, path, {gw->name, gw_ns});
      }
    }
  }
};

class ConflictingGatewayAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "gateway.conflicting", "gateway.ConflictingGatewayAnalyzer",
        "Checks a gateway's selector, port number and hosts",
        {model::kinds::kGateway, model::kinds::kPod},
        {"IST0101", "IST0145"}};
    return m;
  }

  // "selector~port" -> gateway full name -> host -> bind
  using HostsBind = std::map<std::string, std::string>;
  using GatewayMap = std::map<std::string, std::map<std::string, HostsBind>>;

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    PodIndex pods(ctx.snapshot);
    GatewayMap gmap;
    for (const model::Resource* gw : ctx.snapshot.OfKind(model::kinds::kGateway)) {
      std::string sel = SelectorString(GatewaySelector(*gw));
      const yaml::Node* servers = Servers(*gw);
      if (!servers) continue;
      for (const auto& s : servers->children()) {
        std::string key = sel + "~" + std::to_string(PortNumber(s));
        HostsBind hb;
        for (const auto& h : ScalarList(s.Get("hosts"))) hb[h] = Scalar(&s, "bind");
        gmap[key][gw->FullName()] = hb;
      }
    }
    // Keys grouped by selector so a gateway only visits candidate selectors.
    for (const model::Resource* gw : ctx.snapshot.OfKind(model::kinds::kGateway)) {
      LabelMap selm = GatewaySelector(*gw);
      std::string sel = SelectorString(selm);
      std::string name = gw->FullName();
      std::vector<std::string> hits;
      for (const auto& [key, values] : gmap) {
        std::string xsel = key.substr(0, key.rfind('~'));
        bool matched = false;
        if (xsel == sel) {
          matched = true;
        } else if (xsel.find(sel) != std::string::npos || sel.find(xsel) != std::string::npos) {
          LabelMap xm;
          for (const auto& pair : SplitComma(xsel)) {
            size_t eq = pair.find('=');
            if (eq != std::string::npos && pair.find('=', eq + 1) == std::string::npos)
              xm[pair.substr(0, eq)] = pair.substr(eq + 1);
          }
          for (const model::Resource* p : pods.Matching(selm))
            if (SelectorMatches(xm, pods.LabelsOf(p))) {
              matched = true;
              break;
            }
        }
        if (matched) hits.push_back(key);
      }
      if (!sel.empty() && hits.empty()) {
        sink.Report("IST0101", *gw, SelectorPath(selm), {std::string("selector"), sel});
        continue;
      }
      const yaml::Node* servers = Servers(*gw);
      if (!servers) continue;
      for (const auto& s : servers->children()) {
        std::string port = std::to_string(PortNumber(s));
        std::vector<std::string> hosts = ScalarList(s.Get("hosts"));
        std::string bind = Scalar(&s, "bind");
        std::vector<std::string> conflicts;
        for (const auto& key : hits) {
          if (key.substr(key.rfind('~') + 1) != port) continue;
          for (auto& [other, known] : gmap[key]) {
            if (other == name) continue;
            // model.CheckDuplicates: exact host with the same bind; when
            // there is none it records these hosts in `known` (Istio's map
            // is shared, so later checks see them too).
            bool dup = false;
            for (const auto& h : hosts) {
              auto it = known.find(h);
              if (it != known.end() && it->second == bind) dup = true;
            }
            if (dup) {
              conflicts.push_back(other);
            } else {
              for (const auto& h : hosts) known[h] = bind;
            }
          }
        }
        if (conflicts.empty()) continue;
        std::sort(conflicts.begin(), conflicts.end());
        sink.Report("IST0145", *gw, "", {JoinComma(conflicts), sel, port, JoinComma(hosts)});
      }
    }
  }

 private:
  static int64_t PortNumber(const yaml::Node& server) {
    const yaml::Node* p = server.IsMap() ? server.Get("port") : nullptr;
    const yaml::Node* n = p && p->IsMap() ? p->Get("number") : nullptr;
    return n ? n->AsInt().value_or(0) : 0;
  }
  static std::vector<std::string> SplitComma(const std::string& s) {
    std::vector<std::string> out;
    size_t start = 0;
    while (true) {
      size_t c = s.find(',', start);
      out.push_back(s.substr(start, c == std::string::npos ? std::string::npos : c - start));
      if (c == std::string::npos) break;
      start = c + 1;
    }
    return out;
  }
  static std::string JoinComma(const std::vector<std::string>& v) {
    std::string s;
    for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + v[i];
    return s;
  }
};

class GatewayCertificateAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "gateway.certificate", "gateway.CertificateAnalyzer", "Checks a gateway certificate",
        {model::kinds::kGateway},
        {"IST0138"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // PILOT_SCOPE_GATEWAY_TO_NAMESPACE is off by default: gateways in every
    // namespace are compared.
    auto gateways = ctx.snapshot.OfKind(model::kinds::kGateway);
    for (const model::Resource* cur : gateways) {
      LabelMap cur_sel = GatewaySelector(*cur);
      const yaml::Node* cur_servers = Servers(*cur);
      if (!cur_servers) continue;
      for (const model::Resource* other : gateways) {
        if (other == cur || other->FullName() == cur->FullName()) continue;
        if (!cur_sel.empty() && !SelectorSubset(cur_sel, GatewaySelector(*other))) continue;
        const yaml::Node* servers = Servers(*other);
        if (!servers) continue;
        for (const auto& cs : cur_servers->children())
          for (const auto& s : servers->children()) {
            const yaml::Node* a = cs.IsMap() ? cs.Get("tls") : nullptr;
            const yaml::Node* b = s.IsMap() ? s.Get("tls") : nullptr;
            if (!a || !b || a->IsNull() || b->IsNull()) continue;
            if (SameCertificate(*a, *b))
              sink.Report("IST0138", *cur, "metadata.name",
                          {std::vector<std::string>{cur->FullName(), other->FullName()}});
          }
      }
    }
  }

 private:
  static bool SelectorSubset(const LabelMap& x, const LabelMap& y) {
    for (const auto& [k, v] : x) {
      auto it = y.find(k);
      if (it == y.end() || it->second != v) return false;
    }
    return true;
  }
  static bool SameCertificate(const yaml::Node& a, const yaml::Node& b) {
    std::string ca = Scalar(&a, "credentialName"), cb = Scalar(&b, "credentialName");
    if (!ca.empty() && !cb.empty()) return ca == cb;
    if (ca.empty() && cb.empty()) {
      std::string sa = Scalar(&a, "serverCertificate"), sb = Scalar(&b, "serverCertificate");
      if (!sa.empty() && !sb.empty() && sa == sb) {
        std::string ka = Scalar(&a, "privateKey"), kb = Scalar(&b, "privateKey");
        if (!ka.empty() && !kb.empty()) return ka == kb;
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewIngressGatewayPortAnalyzer() { return std::make_unique<IngressGatewayPortAnalyzer>(); }
std::unique_ptr<Analyzer> NewGatewaySecretAnalyzer() { return std::make_unique<GatewaySecretAnalyzer>(); }
std::unique_ptr<Analyzer> NewConflictingGatewayAnalyzer() { return std::make_unique<ConflictingGatewayAnalyzer>(); }
std::unique_ptr<Analyzer> NewGatewayCertificateAnalyzer() { return std::make_unique<GatewayCertificateAnalyzer>(); }

}  // namespace meshctl::analysis
