// virtualservice.ConflictingMeshGatewayHostsAnalyzer: several VirtualServices
// bound to the mesh gateway that define the same host in overlapping
// exportTo scopes (IST0109), once per VirtualService.
// virtualservice.JWTClaimRouteAnalyzer: routing on @request.auth.claims
// headers through a gateway whose pods no RequestAuthentication selects
// (IST0149).
#include <map>
#include <set>

#include "lib/analysis/common.h"
#include "lib/analysis/registry.h"

namespace meshctl::analysis {

namespace {

class ConflictingMeshGatewayHostsAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.conflicting-mesh-hosts", "virtualservice.ConflictingMeshGatewayHostsAnalyzer",
        "Checks if multiple virtual services associated with the mesh gateway have conflicting hosts",
        {model::kinds::kVirtualService},
        {"IST0109"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    // "scope/fqdn" -> VirtualServices, in a sorted map for a stable order.
    std::map<std::string, std::vector<const model::Resource*>> hosts;
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      std::vector<std::string> gws = ScalarList(Dig(vs, {"spec", "gateways"}));
      bool mesh = gws.empty() || std::find(gws.begin(), gws.end(), "mesh") != gws.end();
      if (!mesh) continue;
      std::vector<std::string> export_to = ScalarList(Dig(vs, {"spec", "exportTo"}));
      std::set<std::string> scopes;
      if (export_to.empty() || std::find(export_to.begin(), export_to.end(), "*") != export_to.end()) {
        scopes.insert("*");
      } else {
        for (const auto& e : export_to) scopes.insert(e == "." ? std::string(vs->ns) : e);
      }
      for (const auto& scope : scopes)
        for (const auto& h : ScalarList(Dig(vs, {"spec", "hosts"})))
          hosts[scope + "/" + ConvertHostToFqdn(vs->ns, h)].push_back(vs);
    }
    // Wildcard hosts exported to all namespaces, checked against scoped hosts.
    std::vector<std::pair<std::string, const std::vector<const model::Resource*>*>> all_scope;
    for (const auto& [key, list] : hosts)
      if (key.rfind("*/", 0) == 0) all_scope.emplace_back(key.substr(2), &list);
    std::set<const model::Resource*> reported;
    for (const auto& [key, base] : hosts) {
      std::string scope = key.substr(0, key.find('/'));
      std::string fqdn = key.substr(key.find('/') + 1);
      std::vector<const model::Resource*> list = base;
      if (scope != "*") {
        if (auto it = hosts.find("*/" + fqdn); it != hosts.end()) list.insert(list.end(), it->second.begin(), it->second.end());
        for (const auto& [h, l] : all_scope)
          if (h != fqdn && (h[0] == '*' || fqdn[0] == '*') && HostsMatch(fqdn, h))
            list.insert(list.end(), l->begin(), l->end());
      }
      if (list.size() < 2) continue;
      std::vector<std::string> names;
      for (const auto* r : list) names.push_back(r->FullName());
      std::sort(names.begin(), names.end());
      std::string joined;
      for (size_t i = 0; i < names.size(); ++i) joined += (i ? "," : "") + names[i];
      for (const auto* r : list)
        if (reported.insert(r).second) sink.Report("IST0109", *r, "metadata.name", {joined, key});
    }
  }
};

std::string JwtClaimKey(const model::Resource& vs) {
  const yaml::Node* http = Dig(vs, {"spec", "http"});
  if (!http || !http->IsSeq()) return "";
  auto is_claim = [](const std::string& k) {
    const std::string prefix = "@request.auth.claims";
    if (k.size() < prefix.size()) return false;
    std::string head = k.substr(0, prefix.size());
    for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head != prefix) return false;
    std::string name = k.substr(prefix.size());
    if (name.size() > 1 && name[0] == '.') return true;
    return name.size() > 2 && name.front() == '[' && name.back() == ']';
  };
  for (const auto& h : http->children()) {
    const yaml::Node* match = h.IsMap() ? h.Get("match") : nullptr;
    if (!match || !match->IsSeq()) continue;
    for (const auto& m : match->children())
      for (const char* field : {"headers", "withoutHeaders"}) {
        const yaml::Node* hs = m.IsMap() ? m.Get(field) : nullptr;
        if (!hs || !hs->IsMap()) continue;
        for (size_t i = 0; i < hs->size(); ++i)
          if (is_claim(hs->KeyAt(i).ToScalarString())) return hs->KeyAt(i).ToScalarString();
      }
  }
  return "";
}

class JwtClaimRouteAnalyzer : public Analyzer {
 public:
  const AnalyzerMetadata& Metadata() const override {
    static const AnalyzerMetadata m{
        "virtualservice.jwt-claim-route", "virtualservice.JWTClaimRouteAnalyzer",
        "Checks the VirtualService using JWT claim based routing has corresponding RequestAuthentication",
        {model::kinds::kVirtualService, model::kinds::kRequestAuthentication, model::kinds::kGateway,
         model::kinds::kPod},
        {"IST0149"}};
    return m;
  }

  void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const override {
    std::map<std::string, std::vector<LabelMap>> ra_by_ns;
    for (const model::Resource* ra : ctx.snapshot.OfKind(model::kinds::kRequestAuthentication))
      ra_by_ns[ra->ns].push_back(StringMap(Dig(ra, {"spec", "selector", "matchLabels"})));
    PodIndex pods(ctx.snapshot);
    for (const model::Resource* vs : ctx.snapshot.OfKind(model::kinds::kVirtualService)) {
      std::string key = JwtClaimKey(*vs);
      if (key.empty()) continue;
      for (const auto& gw : ScalarList(Dig(vs, {"spec", "gateways"}))) {
        if (gw == "mesh") continue;
        std::string ns = vs->ns, name = gw;
        if (size_t slash = gw.find('/'); slash != std::string::npos) {
          ns = gw.substr(0, slash);
          name = gw.substr(slash + 1);
        }
        const model::Resource* g = ctx.snapshot.Find(model::kinds::kGateway, ns, name);
        if (!g) continue;
        for (const model::Resource* pod : pods.Matching(StringMap(Dig(g, {"spec", "selector"})))) {
          const LabelMap& pl = pods.LabelsOf(pod);
          bool has = false;
          for (const std::string& rns : {std::string("istio-system"), std::string(pod->ns)}) {
            auto it = ra_by_ns.find(rns);
            if (it == ra_by_ns.end()) continue;
            for (const auto& sel : it->second) has = has || SelectorMatches(sel, pl);
            if (rns == pod->ns) break;
          }
          if (!has) sink.Report("IST0149", *vs, "", {key, g->FullName(), pod->name});
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Analyzer> NewConflictingMeshGatewayHostsAnalyzer() {
  return std::make_unique<ConflictingMeshGatewayHostsAnalyzer>();
}
std::unique_ptr<Analyzer> NewJwtClaimRouteAnalyzer() { return std::make_unique<JwtClaimRouteAnalyzer>(); }

}  // namespace meshctl::analysis
