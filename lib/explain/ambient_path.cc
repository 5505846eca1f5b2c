#include "lib/explain/ambient_path.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/model/kinds.h"

namespace meshctl::explain {

namespace {

using ambient::FieldFold;
using ambient::ZService;
using ambient::ZtunnelDump;
using ambient::ZWorkload;
using envoy::JsonView;

// ---- addresses

// 4 or 16 bytes of an IP literal; nullopt for anything else.
std::optional<std::vector<unsigned char>> IpBytes(const std::string& s) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return std::vector<unsigned char>(buf, buf + 4);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return std::vector<unsigned char>(buf, buf + 16);
  return std::nullopt;
}

bool IsIp(const std::string& s) { return IpBytes(s).has_value(); }

// "network/ip" -> "ip".
std::string IpOf(const std::string& network_ip) {
  size_t slash = network_ip.rfind('/');
  return slash == std::string::npos ? network_ip : network_ip.substr(slash + 1);
}

// "10.0.0.0/8" (or a bare address) contains `ip`.
bool CidrContains(std::string_view cidr, const std::string& ip) {
  std::string net(cidr);
  int bits = -1;
  if (size_t slash = net.find('/'); slash != std::string::npos) {
    bits = std::atoi(net.c_str() + slash + 1);
    net = net.substr(0, slash);
  }
  auto a = IpBytes(net), b = IpBytes(ip);
  if (!a || !b || a->size() != b->size()) return false;
  int total = static_cast<int>(a->size()) * 8;
  if (bits < 0 || bits > total) bits = total;
  for (int i = 0; i < bits; ++i) {
    int byte = i / 8, bit = 7 - i % 8;
    if ((((*a)[byte] >> bit) & 1) != (((*b)[byte] >> bit) & 1)) return false;
  }
  return true;
}

// ---- lookups in the dump

std::string Identity(const ZWorkload& w, const AmbientPathOptions& o) {
  return fmt::format("spiffe://{}/ns/{}/sa/{}", w.trust_domain.empty() ? o.trust_domain : w.trust_domain, w.ns,
                     w.service_account.empty() ? "default" : w.service_account);
}

std::string FirstIp(const ZWorkload& w) { return w.ips.empty() ? "" : w.ips.front(); }

const ZWorkload* WorkloadByUid(const ZtunnelDump& d, const std::string& uid) {
  for (const auto& w : d.workloads())
    if (!uid.empty() && w.uid == uid) return &w;
  return nullptr;
}

const ZWorkload* WorkloadByIp(const ZtunnelDump& d, const std::string& ip) {
  for (const auto& w : d.workloads())
    if (std::find(w.ips.begin(), w.ips.end(), ip) != w.ips.end()) return &w;
  return nullptr;
}

const ZService* ServiceByVip(const ZtunnelDump& d, const std::string& ip) {
  for (const auto& s : d.services())
    for (const auto& v : s.vips)
      if (IpOf(v) == ip) return &s;
  return nullptr;
}

// A hostname as a client in `from_ns` writes it: the FQDN, name.ns,
// name.ns.svc, or a bare name in the client's namespace.
const ZService* ServiceByHost(const ZtunnelDump& d, const std::string& host, const std::string& from_ns) {
  for (const auto& s : d.services())
    if (host == s.hostname) return &s;
  for (const auto& s : d.services()) {
    if ((host == s.name && s.ns == from_ns) || host == s.name + "." + s.ns || host == s.name + "." + s.ns + ".svc")
      return &s;
  }
  return nullptr;
}

// The services whose endpoints include workload `uid`.
std::vector<const ZService*> ServicesOf(const ZtunnelDump& d, const std::string& uid) {
  std::vector<const ZService*> out;
  for (const auto& s : d.services())
    if (std::find(s.endpoint_uids.begin(), s.endpoint_uids.end(), uid) != s.endpoint_uids.end()) out.push_back(&s);
  return out;
}

// What a `waypoint.destination` names: "network/ip" (a service VIP or a
// workload IP) or "namespace/hostname".
struct WaypointRef {
  const ZService* service = nullptr;
  const ZWorkload* workload = nullptr;
};
WaypointRef ResolveWaypoint(const ZtunnelDump& d, const std::string& destination) {
  WaypointRef r;
  size_t slash = destination.find('/');
  std::string left = slash == std::string::npos ? "" : destination.substr(0, slash);
  std::string right = slash == std::string::npos ? destination : destination.substr(slash + 1);
  if (IsIp(right)) {
    r.service = ServiceByVip(d, right);
    if (!r.service) r.workload = WorkloadByIp(d, right);
    return r;
  }
  for (const auto& s : d.services())
    if (s.ns == left && s.hostname == right) r.service = &s;
  return r;
}

// The target port of service port `port` ("80:8080" pairs; 0 = the same);
// nullopt when the service does not declare it.
std::optional<int64_t> TargetPort(const ZService& s, int64_t port) {
  for (const auto& p : s.ports) {
    size_t colon = p.find(':');
    if (colon == std::string::npos || p.substr(0, colon) != std::to_string(port)) continue;
    int64_t t = std::atoll(p.c_str() + colon + 1);
    return t == 0 ? port : t;
  }
  return std::nullopt;
}

// ---- ztunnel's L4 authorization (Z:src/rbac.rs)

struct Peer {
  std::string ns, service_account, identity;
  std::string src_ip, dst_ip;
  int64_t dst_port = 0;
};

// {"Exact"|"Prefix"|"Suffix": s} or {"Presence": ...}.
bool StringMatches(const JsonView& m, const std::string& value) {
  bool hit = false;
  m.ForEachField([&](std::string_view k, JsonView v) {
    std::string s = v.IsString() ? std::string(v.Str()) : "";
    if (k == "Exact") hit |= value == s;
    if (k == "Prefix") hit |= value.rfind(s, 0) == 0;
    if (k == "Suffix") hit |= value.size() >= s.size() && value.compare(value.size() - s.size(), s.size(), s) == 0;
    if (k == "Presence") hit |= !value.empty();
  });
  return hit;
}

// Whether list `key` of `match` has an entry `hit` accepts; nullopt when
// the list is absent or empty (it does not take part).
template <typename F>
std::optional<bool> ListHit(const JsonView& match, std::string_view key, F&& hit) {
  JsonView list = FieldFold(match, key);
  if (!list.IsArray() || list.size() == 0) return std::nullopt;
  bool any = false;
  list.ForEach([&](JsonView x) { any = any || hit(x); });
  return any;
}

// One match: every positive list present needs a hit, no negative list may hit.
bool MatchEntry(const JsonView& match, const Peer& p) {
  auto ns = [&](const JsonView& x) { return StringMatches(x, p.ns); };
  auto principal = [&](const JsonView& x) {
    // Principals are written with and without the spiffe:// prefix.
    std::string bare = p.identity.rfind("spiffe://", 0) == 0 ? p.identity.substr(9) : p.identity;
    return StringMatches(x, p.identity) || StringMatches(x, bare);
  };
  auto sa = [&](const JsonView& x) {
    JsonView n = FieldFold(x, "namespace"), a = FieldFold(x, "serviceAccount");
    return n.IsString() && a.IsString() && n.Str() == p.ns && a.Str() == p.service_account;
  };
  auto src_ip = [&](const JsonView& x) { return x.IsString() && CidrContains(x.Str(), p.src_ip); };
  auto dst_ip = [&](const JsonView& x) { return x.IsString() && CidrContains(x.Str(), p.dst_ip); };
  auto port = [&](const JsonView& x) { return x.IsNumber() && x.Int() == p.dst_port; };
  struct Pair {
    std::optional<bool> pos, neg;
  };
  const Pair pairs[] = {
      {ListHit(match, "namespaces", ns), ListHit(match, "notNamespaces", ns)},
      {ListHit(match, "principals", principal), ListHit(match, "notPrincipals", principal)},
      {ListHit(match, "serviceAccounts", sa), ListHit(match, "notServiceAccounts", sa)},
      {ListHit(match, "sourceIps", src_ip), ListHit(match, "notSourceIps", src_ip)},
      {ListHit(match, "destinationIps", dst_ip), ListHit(match, "notDestinationIps", dst_ip)},
      {ListHit(match, "destinationPorts", port), ListHit(match, "notDestinationPorts", port)},
  };
  for (const auto& pr : pairs) {
    if (pr.pos && !*pr.pos) return false;
    if (pr.neg && *pr.neg) return false;
  }
  return true;
}

// Rules OR, clauses AND, matches OR; no rules never match.
bool PolicyMatches(const ambient::ZPolicy& pol, const Peer& p) {
  JsonView rules = FieldFold(pol.raw, "rules");
  bool any_rule = false;
  rules.ForEach([&](JsonView rule) {
    if (any_rule) return;
    bool all = true;
    rule.ForEach([&](JsonView clause) {
      bool any = false;
      clause.ForEach([&](JsonView m) { any = any || MatchEntry(m, p); });
      all = all && any;
    });
    any_rule = all;
  });
  return any_rule;
}

// The policies the destination's ztunnel checks: Global ones, its
// namespace's, and those the workload lists.
std::vector<const ambient::ZPolicy*> PoliciesFor(const ZtunnelDump& d, const ZWorkload& dst) {
  std::vector<std::string> listed;
  FieldFold(dst.raw, "authorizationPolicies").ForEach([&](JsonView x) {
    if (x.IsString()) listed.emplace_back(x.Str());
  });
  std::vector<const ambient::ZPolicy*> out;
  for (const auto& pol : d.policies()) {
    bool applies = pol.scope == "Global" || (pol.scope == "Namespace" && pol.ns == dst.ns) ||
                   std::find(listed.begin(), listed.end(), pol.ns + "/" + pol.name) != listed.end();
    if (applies) out.push_back(&pol);
  }
  return out;
}

struct RbacResult {
  bool allowed = false;
  std::string reason;                // "explicitly denied by: ns/name", ...
  std::vector<std::string> details;  // one line per policy
};

RbacResult AssertRbac(const std::vector<const ambient::ZPolicy*>& policies, const Peer& p) {
  RbacResult r;
  const ambient::ZPolicy* deny = nullptr;
  const ambient::ZPolicy* allow = nullptr;
  bool any_allow = false;
  for (const auto* pol : policies) {
    bool m = PolicyMatches(*pol, p);
    r.details.push_back(fmt::format("{} {}/{} ({}, {}): {}{}", pol->action == "Deny" ? "DENY " : "ALLOW", pol->ns,
                                    pol->name, pol->scope, pol->rules == 1 ? "1 rule" : std::to_string(pol->rules) + " rules",
                                    m ? "matches" : "no match", pol->dry_run ? " (dry run: only logged)" : ""));
    if (pol->dry_run) continue;
    if (pol->action == "Deny") {
      if (m && !deny) deny = pol;
    } else {
      any_allow = true;
      if (m && !allow) allow = pol;
    }
  }
  if (deny) {
    r.reason = "explicitly denied by: " + deny->ns + "/" + deny->name;
  } else if (!any_allow) {
    r.allowed = true;
    r.reason = "allowed: no ALLOW policy applies";
  } else if (allow) {
    r.allowed = true;
    r.reason = "allowed by " + allow->ns + "/" + allow->name;
  } else {
    r.reason = "allow policies exist, but none allowed";
  }
  return r;
}

Peer PeerOf(const ZWorkload& w, const AmbientPathOptions& o) {
  Peer p;
  p.ns = w.ns;
  p.service_account = w.service_account.empty() ? "default" : w.service_account;
  p.identity = Identity(w, o);
  p.src_ip = FirstIp(w);
  return p;
}

// AuthorizationPolicies of the config whose targetRefs name the waypoint
// Gateway or the Service: the waypoint enforces them, ztunnel never sees them.
std::vector<std::string> WaypointPolicies(const model::Snapshot* snap, const std::string& waypoint_ns,
                                          const std::string& waypoint_name, const ZService* svc) {
  std::vector<std::string> out;
  if (!snap) return out;
  for (const model::Resource* r : snap->OfKind(model::kinds::kAuthorizationPolicy)) {
    const yaml::Node* refs = r->Find("spec.targetRefs");
    if (!refs || !refs->IsSeq()) continue;
    for (size_t i = 0; i < refs->size(); ++i) {
      const yaml::Node& ref = refs->at(i);
      const yaml::Node* kind = ref.Get("kind");
      const yaml::Node* name = ref.Get("name");
      if (!kind || !name) continue;
      std::string k = kind->ToScalarString(), n = name->ToScalarString();
      bool hit = (k == "Gateway" && n == waypoint_name && r->ns == waypoint_ns) ||
                 (svc && k == "Service" && n == svc->name && r->ns == svc->ns);
      if (!hit) continue;
      const yaml::Node* action = r->Find("spec.action");
      std::string loc = r->file.empty() ? "" : fmt::format("  {}:{}", r->file, r->Locate("spec.targetRefs").line);
      out.push_back(fmt::format("enforced here: AuthorizationPolicy {} ({}, targetRefs {} {}){}", r->FullName(),
                                action ? action->ToScalarString() : "ALLOW", k, n, loc));
      break;
    }
  }
  return out;
}

Hop MakeHop(std::string step, Verdict v, std::string summary, std::string object = "") {
  Hop h;
  h.step = std::move(step);
  h.verdict = v;
  h.summary = std::move(summary);
  h.object = std::move(object);
  return h;
}

std::string PodName(const ZWorkload& w) { return "Pod " + w.ns + "/" + w.name; }

}  // namespace

const ambient::ZWorkload* FindAmbientSource(const ambient::ZtunnelDump& dump, const Request& req) {
  if (req.from.empty()) return nullptr;
  std::string ns = req.from_ns.empty() ? "default" : req.from_ns;
  for (const auto& w : dump.workloads())
    if (w.ns == ns && w.name == req.from) return &w;
  for (const auto& w : dump.workloads()) {
    JsonView wn = FieldFold(w.raw, "workloadName");
    if (w.ns == ns && wn.IsString() && wn.Str() == req.from) return &w;
  }
  return nullptr;
}

bool IsAmbientSource(const ambient::ZtunnelDump& dump, const Request& req) {
  const ZWorkload* w = FindAmbientSource(dump, req);
  return w && w->protocol == "HBONE";
}

Walk WalkAmbient(const ambient::ZtunnelDump& dump, const Request& req, const AmbientPathOptions& opts) {
  Walk w;
  w.kind = "ambient";
  w.source = dump.source();
  std::string from_ns = req.from_ns.empty() ? "default" : req.from_ns;

  // Z1: the client and its ztunnel.
  const ZWorkload* src = FindAmbientSource(dump, req);
  if (!src) {
    w.Add(MakeHop("Z1 source ztunnel", Verdict::kFail,
                  fmt::format("no workload {}.{} in the ztunnel dump", req.from.empty() ? "(none)" : req.from, from_ns)));
    w.Fail("not ambient", "the source is not a workload this ztunnel knows; give --from NAME.NS of an ambient pod");
    return w;
  }
  if (src->protocol != "HBONE") {
    w.Add(MakeHop("Z1 source ztunnel", Verdict::kFail,
                  fmt::format("{}.{} is not captured by ztunnel (protocol {}): no ambient path", src->name, src->ns,
                              src->protocol.empty() ? "unset" : src->protocol),
                  PodName(*src)));
    w.Fail("not ambient", "ztunnel does not capture the source; a sidecar (or nothing) handles its traffic");
    return w;
  }
  Peer client = PeerOf(*src, opts);
  {
    Hop& h = w.Add(MakeHop("Z1 source ztunnel", Verdict::kOk,
                           fmt::format("{}.{} is captured by the ztunnel on {} (HBONE), identity {}", src->name,
                                       src->ns, src->node.empty() ? "its node" : "node " + src->node, client.identity),
                           PodName(*src)));
    if (!client.src_ip.empty()) h.details.push_back("address " + client.src_ip);
  }

  // Z2: what the address names (Z:src/proxy/outbound.rs).
  std::string dest_ip = !req.dest_ip.empty() ? req.dest_ip : IsIp(req.host) ? req.host : "";
  const ZService* svc = nullptr;
  const ZWorkload* dwl = nullptr;
  if (!dest_ip.empty()) {
    svc = ServiceByVip(dump, dest_ip);
    if (!svc) dwl = WorkloadByIp(dump, dest_ip);
  } else {
    svc = ServiceByHost(dump, req.host, src->ns);
  }
  if (!svc && !dwl) {
    w.Add(MakeHop("Z2 destination", Verdict::kWarn,
                  fmt::format("ztunnel knows no service or workload at {}: passthrough, plain TCP, no policy applies",
                              dest_ip.empty() ? req.host : dest_ip)));
    w.outcome.reached = true;
    w.outcome.result = "Passthrough";
    w.outcome.message = "the connection leaves the mesh as plain TCP";
    return w;
  }
  if (svc) {
    std::string vip = svc->vips.empty() ? "" : IpOf(svc->vips.front());
    w.dest_ip = dest_ip.empty() ? vip : dest_ip;
    w.Add(MakeHop("Z2 destination", Verdict::kOk,
                  fmt::format("service-addressed: {} (VIP {}:{})", svc->hostname, w.dest_ip.empty() ? "none" : w.dest_ip,
                              req.port),
                  "Service " + svc->ns + "/" + svc->name));
  } else {
    w.dest_ip = dest_ip;
    w.Add(MakeHop("Z2 destination", Verdict::kOk,
                  fmt::format("workload-addressed: {}.{} ({}:{})", dwl->name, dwl->ns, dest_ip, req.port),
                  PodName(*dwl)));
    // A service-only waypoint is skipped by pod-IP addressing.
    if (!dwl->waypoint.present) {
      for (const ZService* s : ServicesOf(dump, dwl->uid)) {
        if (!s->waypoint.present) continue;
        w.Add(MakeHop("Z3 waypoint", Verdict::kWarn,
                      fmt::format("bypass: {} has waypoint {}, but traffic to the pod IP does not go through a "
                                  "service waypoint",
                                  s->hostname, s->waypoint.destination),
                      "Service " + s->ns + "/" + s->name));
        break;
      }
    }
  }

  // Z3: the waypoint (Z:src/state.rs, the service's or the workload's).
  const ambient::GatewayAddress& wp = svc ? svc->waypoint : dwl->waypoint;
  const ZWorkload* wpod = nullptr;
  if (wp.present) {
    WaypointRef ref = ResolveWaypoint(dump, wp.destination);
    std::vector<const ZWorkload*> pods;
    if (ref.service) {
      for (const auto& uid : ref.service->endpoint_uids)
        if (const ZWorkload* p = WorkloadByUid(dump, uid)) pods.push_back(p);
    } else if (ref.workload) {
      pods.push_back(ref.workload);
    }
    bool from_waypoint = std::find(pods.begin(), pods.end(), src) != pods.end();
    if (from_waypoint) {
      w.Add(MakeHop("Z3 waypoint", Verdict::kOk, "the source is the waypoint itself: no second waypoint hop"));
    } else if (!ref.service && !ref.workload) {
      w.Add(MakeHop("Z3 waypoint", Verdict::kFail,
                    fmt::format("waypoint {} is not in the ztunnel's state: the connection fails", wp.destination)));
      w.Fail("UnknownWaypoint", "ztunnel cannot resolve the waypoint; is the waypoint Gateway programmed?");
      return w;
    } else {
      for (const ZWorkload* p : pods)
        if (p->status == "Healthy" && !wpod) wpod = p;
      std::string wp_name = ref.service ? ref.service->name : ref.workload->name;
      std::string wp_ns = ref.service ? ref.service->ns : ref.workload->ns;
      if (!wpod) {
        w.Add(MakeHop("Z3 waypoint", Verdict::kFail,
                      fmt::format("waypoint {}/{} has no healthy pod", wp_ns, wp_name),
                      ref.service ? "Service " + wp_ns + "/" + wp_name : ""));
        w.Fail("NoHealthyUpstream", "the waypoint has no healthy pod: traffic to " +
                                        (svc ? svc->hostname : dwl->name + "." + dwl->ns) + " fails");
        return w;
      }
      Hop& h = w.Add(MakeHop("Z3 waypoint", Verdict::kOk,
                             fmt::format("HBONE to waypoint {}/{} (pod {} {}:15008), CONNECT {}:{}", wp_ns, wp_name,
                                         wpod->name, FirstIp(*wpod), w.dest_ip, req.port),
                             ref.service ? "Service " + wp_ns + "/" + wp_name : PodName(*wpod)));
      h.details.push_back("identity presented: " + client.identity);
      h.details.push_back("SAN expected: " + Identity(*wpod, opts));
      h.details.push_back("the waypoint (Envoy) applies the L7 routes and policies; walk its config dump with "
                          "--config-dump for the listener main_internal");
      for (auto& line : WaypointPolicies(opts.snapshot, wp_ns, wp_name, svc)) h.details.push_back(std::move(line));
    }
  } else if (svc) {
    w.Add(MakeHop("Z3 waypoint", Verdict::kOk, "no waypoint: the source ztunnel sends HBONE straight to the endpoint",
                  "Service " + svc->ns + "/" + svc->name));
  }

  // Z4: the endpoint.
  const ZWorkload* dst = dwl;
  int64_t port = req.port;
  int healthy = 1;
  if (svc) {
    std::vector<const ZWorkload*> eps;
    for (const auto& uid : svc->endpoint_uids)
      if (const ZWorkload* e = WorkloadByUid(dump, uid)) eps.push_back(e);
    std::sort(eps.begin(), eps.end(), [](const ZWorkload* a, const ZWorkload* b) { return a->name < b->name; });
    std::vector<const ZWorkload*> ok;
    for (const ZWorkload* e : eps)
      if (e->status == "Healthy") ok.push_back(e);
    healthy = static_cast<int>(ok.size());
    auto target = TargetPort(*svc, req.port);
    port = target.value_or(req.port);
    if (ok.empty()) {
      w.Add(MakeHop("Z4 endpoint", Verdict::kFail,
                    fmt::format("no healthy endpoint of {} ({} in all)", svc->hostname, eps.size()),
                    "Service " + svc->ns + "/" + svc->name));
      w.Fail("NoHealthyUpstream", "ztunnel has no healthy endpoint for " + svc->hostname);
      return w;
    }
    dst = ok.front();
    Hop& h = w.Add(MakeHop("Z4 endpoint", Verdict::kOk,
                           fmt::format("{} of {} endpoints healthy; e.g. {}.{} {}:{}", ok.size(), eps.size(), dst->name,
                                       dst->ns, FirstIp(*dst), port),
                           PodName(*dst)));
    if (!target) h.details.push_back(fmt::format("port {} is not a port of the service: ztunnel keeps it", req.port));
    for (const ZWorkload* e : eps) h.details.push_back(fmt::format("{}.{} {}", e->name, e->ns, e->status));
  }
  Destination d;
  d.host = svc ? svc->hostname : dst->name + "." + dst->ns;
  d.port = port;
  d.endpoints = healthy;
  d.mtls = dst->protocol == "HBONE";
  d.cluster = fmt::format("{}:{}", d.host, port);  // ztunnel has no clusters: the target it connects to
  d.share = 100;
  if (dst->protocol != "HBONE") {
    w.Add(MakeHop("Z5 destination ztunnel", Verdict::kWarn,
                  fmt::format("{}.{} is not captured (protocol {}): plain TCP to {}:{}, no L4 policy", dst->name,
                              dst->ns, dst->protocol.empty() ? "unset" : dst->protocol, FirstIp(*dst), port),
                  PodName(*dst)));
    w.outcome.reached = true;
    w.outcome.result = "TCP";
    w.outcome.destinations.push_back(d);
    return w;
  }

  // Z5: the destination ztunnel's authorization (Z:src/state.rs assert_rbac).
  Peer seen = wpod ? PeerOf(*wpod, opts) : client;
  seen.dst_ip = FirstIp(*dst);
  seen.dst_port = port;
  auto policies = PoliciesFor(dump, *dst);
  RbacResult rbac = AssertRbac(policies, seen);
  {
    Hop& h = w.Add(MakeHop("Z5 destination ztunnel", rbac.allowed ? Verdict::kOk : Verdict::kFail,
                           fmt::format("{} (identity seen: {})", rbac.reason, seen.identity), PodName(*dst)));
    h.details = rbac.details;
    if (policies.empty()) h.details.push_back("no Global, Namespace or workload policy applies");
    if (!rbac.allowed && wpod) {
      Peer direct = client;
      direct.dst_ip = seen.dst_ip;
      direct.dst_port = port;
      if (AssertRbac(policies, direct).allowed)
        h.details.push_back("the client's own identity would be allowed: after a waypoint ztunnel sees the "
                            "waypoint's identity " +
                            seen.identity + "; allow it (or target the policy at the waypoint)");
    }
  }
  if (!rbac.allowed) {
    w.Fail("RBAC: " + rbac.reason, "the destination ztunnel rejects the connection");
    return w;
  }
  if (wpod) {
    // Could a client skip the waypoint? Then nothing limits the destination
    // to the waypoint's identity.
    Peer direct = client;
    direct.dst_ip = seen.dst_ip;
    direct.dst_port = port;
    if (AssertRbac(policies, direct).allowed)
      w.Add(MakeHop("Z5 destination ztunnel", Verdict::kWarn,
                    "bypass: the client is allowed straight to the pod too; no ALLOW limits " + dst->name + "." +
                        dst->ns + " to the waypoint's identity " + seen.identity,
                    PodName(*dst)));
  }
  w.outcome.reached = true;
  w.outcome.result = "allowed";
  w.outcome.message = rbac.reason;
  w.outcome.destinations.push_back(d);
  return w;
}

}  // namespace meshctl::explain
