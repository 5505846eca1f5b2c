// DestinationRule rules (spec §5.2). The traffic-policy pieces shared with
// Sidecar (connection pool, outlier detection, load balancer, client TLS)
// live in helpers.cc.
#include <set>

#include <fmt/format.h>

#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

namespace {

void CheckTrafficPolicy(std::string_view ns, const Node* tp, const std::string& path, Findings& out) {
  if (!tp) return;
  const Node* od = Get(tp, "outlierDetection");
  const Node* cp = Get(tp, "connectionPool");
  const Node* lb = Get(tp, "loadBalancer");
  const Node* tls = Get(tp, "tls");
  const Node* pls = Get(tp, "portLevelSettings");
  const Node* tunnel = Get(tp, "tunnel");
  const Node* pp = Get(tp, "proxyProtocol");
  if (!od && !cp && !lb && !tls && !pls && !tunnel && !pp && !Has(tp, "retryBudget")) {
    out.Error(path, "traffic policy must have at least one field");
    return;
  }
  if (tunnel && pp) {
    out.Error(path, "tunnel and proxyProtocol must not be set together");
    return;
  }
  CheckOutlierDetection(od, Path(path, "outlierDetection"), out);
  CheckConnectionPool(cp, Path(path, "connectionPool"), out);
  CheckLoadBalancer(lb, od, Path(path, "loadBalancer"), out);
  CheckClientTLS(ns, tls, Path(path, "tls"), out);
  if (pls) {
    for (size_t i = 0; i < pls->size(); ++i) {
      const Node& p = pls->at(i);
      std::string pp_path = Idx(Path(path, "portLevelSettings"), i);
      if (!Has(&p, "port")) out.Error(pp_path, "portTrafficPolicy must have valid port");
      const Node* pod = Get(&p, "outlierDetection");
      const Node* pcp = Get(&p, "connectionPool");
      const Node* plb = Get(&p, "loadBalancer");
      const Node* ptls = Get(&p, "tls");
      if (!pod && !pcp && !plb && !ptls) {
        out.Error(pp_path, "port traffic policy must have at least one field");
        continue;
      }
      CheckOutlierDetection(pod, Path(pp_path, "outlierDetection"), out);
      CheckConnectionPool(pcp, Path(pp_path, "connectionPool"), out);
      CheckLoadBalancer(plb, pod, Path(pp_path, "loadBalancer"), out);
      CheckClientTLS(ns, ptls, Path(pp_path, "tls"), out);
    }
  }
  if (tunnel) {
    std::string tp_path = Path(path, "tunnel");
    std::string proto = Str(tunnel, "protocol");
    if (!proto.empty() && proto != "CONNECT" && proto != "POST")
      out.Error(Path(tp_path, "protocol"), "tunnel protocol must be \"CONNECT\" or \"POST\"");
    std::string host = Str(tunnel, "targetHost");
    if (auto fe = CheckFQDN(host); !fe.empty())
      if (auto ie = CheckIP(host); !ie.empty())
        out.Error(Path(tp_path, "targetHost"),
                  fmt::format("tunnel target host must be valid FQDN or IP address: {}; {}", fe, ie));
    if (auto e = CheckPort(Int(tunnel, "targetPort")); !e.empty())
      out.Error(Path(tp_path, "targetPort"), "tunnel target port is invalid: " + e);
  }
  if (pp) {
    std::string v = Enum(pp, "version", "V1");
    if (v != "V1" && v != "V2")
      out.Error(Path(path, "proxyProtocol.version"), fmt::format("proxy protocol version is invalid: {}", v));
  }
}

}  // namespace

void ValidateDestinationRule(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  const Node* spec = r.spec;
  if (auto e = CheckWildcardDomain(Str(spec, "host")); !e.empty()) out.Error("spec.host", e);
  CheckTrafficPolicy(r.ns, Get(spec, "trafficPolicy"), "spec.trafficPolicy", out);
  if (const Node* subsets = Get(spec, "subsets")) {
    std::set<std::string> names;
    for (size_t i = 0; i < subsets->size(); ++i) {
      const Node& s = subsets->at(i);
      std::string p = Idx("spec.subsets", i);
      std::string name = Str(&s, "name");
      if (!names.insert(name).second) out.Error(Path(p, "name"), "duplicate subset names: " + name);
      if (auto e = CheckSubsetName(name); !e.empty()) out.Error(Path(p, "name"), e);
      CheckLabels(Get(&s, "labels"), Path(p, "labels"), out);
      CheckTrafficPolicy(r.ns, Get(&s, "trafficPolicy"), Path(p, "trafficPolicy"), out);
    }
  }
  const Node* sel = Get(spec, "workloadSelector");
  CheckExportTo(r.ns, Get(spec, "exportTo"), false, sel != nullptr, "spec.exportTo", out);
  CheckSelector(sel, "spec.workloadSelector", out);
  (void)ctx;
}

}  // namespace meshctl::validate
