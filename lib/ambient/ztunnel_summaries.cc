#include "lib/ambient/ztunnel_summaries.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>

#include "lib/envoy/str_cat.h"
#include "lib/envoy/tabwriter.h"

namespace meshctl::ambient {

using envoy::Cat;
using envoy::JsonView;
using OJ = nlohmann::ordered_json;

namespace {

constexpr int kPadding = 1;      // istioctl's ztunnel tabwriter
constexpr int kCertPadding = 5;  // certificates.go

bool EqualFold(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

std::string Join(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

bool Matches(const ZWorkload& w, const WorkloadFilter& f) {
  if (!f.name.empty() && !EqualFold(w.name, f.name)) return false;
  if (!f.ns.empty() && !EqualFold(w.ns, f.ns)) return false;
  if (!f.address.empty()) {
    bool found = false;
    for (const auto& ip : w.ips) found |= EqualFold(ip, f.address);
    if (!found) return false;
  }
  if (!f.node.empty() && !EqualFold(w.node, f.node)) return false;
  return true;
}

std::vector<const ZWorkload*> FilteredWorkloads(const ZtunnelDump& d, const WorkloadFilter& f) {
  std::vector<const ZWorkload*> out;
  for (const auto& w : d.workloads())
    if (Matches(w, f)) out.push_back(&w);
  return out;
}

// The name of the service a waypoint destination designates: matched by
// "namespace/hostname" or by one of its VIPs; "None" without a waypoint,
// "NA" when no service matches (workload.go).
std::string WaypointName(const GatewayAddress& wp, const ZtunnelDump& d) {
  if (!wp.present) return "None";
  for (const auto& s : d.services()) {
    if (Cat(s.ns, "/", s.hostname) == wp.destination) return s.name;
    for (const auto& v : s.vips)
      if (v == wp.destination) return s.name;
  }
  return "NA";
}

std::vector<const ZService*> SortedServices(const ZtunnelDump& d, const std::string& ns) {
  std::vector<const ZService*> out;
  for (const auto& s : d.services())
    if (ns.empty() || EqualFold(s.ns, ns)) out.push_back(&s);
  std::stable_sort(out.begin(), out.end(), [](const ZService* a, const ZService* b) {
    if (a->ns != b->ns) return a->ns < b->ns;
    if (a->name != b->name) return a->name < b->name;
    return a->hostname < b->hostname;
  });
  return out;
}

std::vector<const ZPolicy*> SortedPolicies(const ZtunnelDump& d, const std::string& ns) {
  std::vector<const ZPolicy*> out;
  for (const auto& p : d.policies())
    if (ns.empty() || EqualFold(p.ns, ns)) out.push_back(&p);
  std::stable_sort(out.begin(), out.end(), [](const ZPolicy* a, const ZPolicy* b) {
    if (a->ns != b->ns) return a->ns < b->ns;
    return a->name < b->name;
  });
  return out;
}

// connections.go normalize(): "name.ns" splits when no namespace is given.
void Normalize(ConnectionsFilter& f) {
  if (!f.workload.empty() && f.ns.empty()) {
    if (size_t dot = f.workload.find('.'); dot != std::string::npos) {
      f.ns = f.workload.substr(dot + 1);
      f.workload = f.workload.substr(0, dot);
    }
  }
}

std::vector<const ZWorkloadState*> SortedStates(const ZtunnelDump& d, const ConnectionsFilter& f) {
  std::vector<const ZWorkloadState*> out;
  for (const auto& s : d.workload_states()) {
    if (!f.ns.empty() && f.ns != s.ns) continue;
    if (!f.workload.empty() && !EqualFold(f.workload, s.name)) continue;
    out.push_back(&s);
  }
  std::stable_sort(out.begin(), out.end(), [](const ZWorkloadState* a, const ZWorkloadState* b) {
    if (a->ns != b->ns) return a->ns < b->ns;
    return a->name < b->name;
  });
  return out;
}

// Go's net.SplitHostPort; false on a malformed address.
bool SplitHostPort(std::string_view addr, std::string& host, std::string& port) {
  host.clear();
  port.clear();
  size_t colon = addr.rfind(':');
  if (colon == std::string_view::npos) return false;
  if (!addr.empty() && addr[0] == '[') {
    size_t close = addr.find(']');
    if (close == std::string_view::npos || close + 1 != colon) return false;
    host = std::string(addr.substr(1, close - 1));
  } else {
    std::string_view h = addr.substr(0, colon);
    if (h.find(':') != std::string_view::npos) return false;  // too many colons
    host = std::string(h);
  }
  port = std::string(addr.substr(colon + 1));
  return true;
}

std::string JoinHostPort(const std::string& host, const std::string& port) {
  if (host.find(':') != std::string::npos) return Cat("[", host, "]:", port);
  return Cat(host, ":", port);
}

// ---- istioctl's Go structs, re-marshalled (api.go)

OJ GoString(const JsonView& v) { return v.IsString() ? OJ(std::string(v.Str())) : OJ(""); }

void PutString(OJ& o, const char* key, const JsonView& obj, bool omitempty = false) {
  OJ s = GoString(FieldFold(obj, key));
  if (omitempty && s.get_ref<const std::string&>().empty()) return;
  o[key] = std::move(s);
}

void PutList(OJ& o, const char* key, const JsonView& obj, bool omitempty = false) {
  JsonView v = FieldFold(obj, key);
  if (omitempty && (!v.IsArray() || v.size() == 0)) return;
  o[key] = v.IsArray() ? envoy::ToNlohmann(v) : OJ(nullptr);
}

// A JSON object re-marshalled from a Go map: keys sorted as strings.
OJ SortedMap(const JsonView& v, OJ (*value)(const JsonView&)) {
  if (!v.IsObject()) return OJ(nullptr);
  std::map<std::string, OJ> m;
  v.ForEachField([&](std::string_view k, JsonView x) { m[std::string(k)] = value(x); });
  OJ o = OJ::object();
  for (auto& [k, x] : m) o[k] = std::move(x);
  return o;
}

void GoGateway(const JsonView& obj, const char* key, OJ& parent) {
  JsonView v = FieldFold(obj, key);
  if (v.IsObject()) parent[key] = OJ{{"destination", GoString(FieldFold(v, "destination"))}};

}

OJ CompatWorkload(const ZWorkload& w) {
  const JsonView& v = w.raw;
  OJ o = OJ::object();
  PutString(o, "uid", v);
  PutList(o, "workloadIps", v);
  GoGateway(v, "waypoint", o);
  GoGateway(v, "networkGateway", o);
  for (const char* k : {"protocol", "name", "namespace", "serviceAccount", "workloadName", "workloadType",
                        "canonicalName", "canonicalRevision", "clusterId"})
    PutString(o, k, v);
  PutString(o, "trustDomain", v, true);
  OJ loc = OJ::object();
  JsonView l = FieldFold(v, "locality");
  for (const char* k : {"region", "zone", "subzone"}) PutString(loc, k, l, true);
  o["locality"] = std::move(loc);
  PutString(o, "node", v);
  PutString(o, "network", v, true);
  PutString(o, "status", v);
  PutString(o, "hostname", v);
  JsonView cap = FieldFold(v, "capacity");
  o["capacity"] = cap.IsNumber() ? cap.Int() : 0;
  OJ tunnel = OJ::object();
  JsonView t = FieldFold(v, "applicationTunnel");
  tunnel["protocol"] = GoString(FieldFold(t, "protocol"));
  if (JsonView port = FieldFold(t, "port"); port.IsNumber()) tunnel["port"] = port.Int();
  o["applicationTunnel"] = std::move(tunnel);
  PutList(o, "authorizationPolicies", v, true);
  return o;
}

OJ Number(const JsonView& v) { return v.IsNumber() ? OJ(v.Int()) : OJ(0); }

OJ CompatEndpoint(const JsonView& e) {
  if (!e.IsObject()) return OJ(nullptr);
  OJ o = OJ::object();
  PutString(o, "workloadUid", e);
  PutString(o, "service", e);
  PutString(o, "address", e, true);
  o["port"] = SortedMap(FieldFold(e, "port"), Number);
  return o;
}

OJ CompatService(const ZService& s) {
  const JsonView& v = s.raw;
  OJ o = OJ::object();
  PutString(o, "name", v);
  PutString(o, "namespace", v);
  PutString(o, "hostname", v);
  PutList(o, "vips", v);
  JsonView cidrs = FieldFold(v, "cidrVips");
  if (cidrs.IsArray() && cidrs.size() > 0) {
    OJ a = OJ::array();
    cidrs.ForEach([&](JsonView c) {
      if (c.IsString()) {
        a.push_back(std::string(c.Str()));
      } else {
        a.push_back(Cat(FieldFold(c, "network").Str(), "/", FieldFold(c, "cidr").Str()));
      }
    });
    o["cidrVips"] = std::move(a);
  }
  o["ports"] = SortedMap(FieldFold(v, "ports"), Number);
  if (JsonView lb = FieldFold(v, "loadBalancer"); lb.IsObject()) {
    OJ l = OJ::object();
    PutString(l, "mode", lb);
    PutList(l, "routingPreferences", lb);
    PutString(l, "healthPolicy", lb);
    o["loadBalancer"] = std::move(l);
  }
  GoGateway(v, "waypoint", o);
  o["endpoints"] = SortedMap(FieldFold(v, "endpoints"), CompatEndpoint);
  PutList(o, "subjectAltNames", v, true);
  PutString(o, "ipFamilies", v);
  if (FieldFold(v, "canonical").Bool()) o["canonical"] = true;
  PutString(o, "visibility", v, true);
  return o;
}

OJ CompatStringMatches(const JsonView& list) {
  OJ a = OJ::array();
  list.ForEach([&](JsonView m) {
    OJ o = OJ::object();
    for (const char* k : {"Exact", "Suffix", "Prefix"}) PutString(o, k, m, true);
    if (JsonView p = FieldFold(m, "Presence"); p.present() && !p.IsNull()) o["Presence"] = envoy::ToNlohmann(p);
    a.push_back(std::move(o));
  });
  return a;
}

OJ CompatMatch(const JsonView& m) {
  if (!m.IsObject()) return OJ(nullptr);
  OJ o = OJ::object();
  auto nonempty = [&](const char* k) {
    JsonView x = FieldFold(m, k);
    return x.IsArray() && x.size() > 0 ? x : JsonView();
  };
  for (const char* k : {"namespaces", "notNamespaces", "principals", "notPrincipals"})
    if (JsonView x = nonempty(k); x.present()) o[k] = CompatStringMatches(x);
  for (const char* k : {"sourceIps", "notSourceIps", "destinationIps", "notDestinationIps", "destinationPorts",
                        "notDestinationPorts"})
    if (JsonView x = nonempty(k); x.present()) o[k] = envoy::ToNlohmann(x);
  for (const char* k : {"serviceAccounts", "notServiceAccounts"}) {
    if (JsonView x = nonempty(k); x.present()) {
      OJ a = OJ::array();
      x.ForEach([&](JsonView sa) {
        OJ e = OJ::object();
        PutString(e, "namespace", sa);
        PutString(e, "serviceAccount", sa);
        a.push_back(std::move(e));
      });
      o[k] = std::move(a);
    }
  }
  return o;
}

OJ CompatPolicy(const ZPolicy& p) {
  const JsonView& v = p.raw;
  OJ o = OJ::object();
  for (const char* k : {"name", "namespace", "scope", "action"}) PutString(o, k, v);
  JsonView rules = FieldFold(v, "rules");
  if (!rules.IsArray()) {
    o["rules"] = nullptr;
    return o;
  }
  OJ r = OJ::array();
  rules.ForEach([&](JsonView clauses) {
    if (!clauses.IsArray()) {
      r.push_back(nullptr);
      return;
    }
    OJ c = OJ::array();
    clauses.ForEach([&](JsonView matches) {
      if (!matches.IsArray()) {
        c.push_back(nullptr);
        return;
      }
      OJ m = OJ::array();
      matches.ForEach([&](JsonView x) { m.push_back(CompatMatch(x)); });
      c.push_back(std::move(m));
    });
    r.push_back(std::move(c));
  });
  o["rules"] = std::move(r);
  return o;
}

OJ CompatCertList(const JsonView& list) {
  if (!list.IsArray()) return OJ(nullptr);
  OJ a = OJ::array();
  list.ForEach([&](JsonView c) {
    if (!c.IsObject()) {
      a.push_back(nullptr);
      return;
    }
    OJ o = OJ::object();
    for (const char* k : {"pem", "serialNumber", "validFrom", "expirationTime"}) PutString(o, k, c);
    a.push_back(std::move(o));
  });
  return a;
}

OJ CompatCerts(const ZCertsDump& c) {
  OJ o = OJ::object();
  PutString(o, "identity", c.raw);
  PutString(o, "state", c.raw);
  o["certChain"] = CompatCertList(FieldFold(c.raw, "certChain"));
  o["rootCerts"] = CompatCertList(FieldFold(c.raw, "rootCerts"));
  return o;
}

OJ CompatConnections(const JsonView& list) {
  if (!list.IsArray()) return OJ(nullptr);
  OJ a = OJ::array();
  list.ForEach([&](JsonView c) {
    OJ o = OJ::object();
    for (const char* k : {"src", "originalDst", "actualDst", "protocol"}) PutString(o, k, c);
    a.push_back(std::move(o));
  });
  return a;
}

OJ CompatState(const ZWorkloadState& s) {
  const JsonView& v = s.raw;
  OJ o = OJ::object();
  PutString(o, "state", v, true);
  JsonView conns = FieldFold(v, "connections");
  o["connections"] = OJ{{"inbound", CompatConnections(FieldFold(conns, "inbound"))},
                        {"outbound", CompatConnections(FieldFold(conns, "outbound"))}};
  OJ info = OJ::object();
  JsonView i = FieldFold(v, "info");
  for (const char* k : {"name", "namespace", "trustDomain", "serviceAccount"}) PutString(info, k, i);
  o["info"] = std::move(info);
  return o;
}

void WorkloadTable(const ZtunnelDump& d, const WorkloadFilter& f, bool wide, std::ostream& out) {
  std::vector<const ZWorkload*> ws = FilteredWorkloads(d, f);
  std::stable_sort(ws.begin(), ws.end(), [](const ZWorkload* a, const ZWorkload* b) {
    std::string an = Cat(a->ns, ".", a->name), bn = Cat(b->ns, ".", b->name);
    if (an != bn) return an < bn;
    return a->node < b->node;
  });
  envoy::TabWriter tw(kPadding);
  std::vector<std::string> header = {"NAMESPACE", "POD NAME", "ADDRESS", "NODE", "WAYPOINT", "PROTOCOL"};
  if (wide) header.insert(header.end(), {"STATUS", "SERVICE ACCOUNT", "TYPE"});
  tw.Row(header);
  for (const ZWorkload* w : ws) {
    std::string address = Join(w->ips, ",");
    if (address.empty()) address = w->hostname;
    std::vector<std::string> row = {w->ns, w->name, address, w->node, WaypointName(w->waypoint, d), w->protocol};
    if (wide) row.insert(row.end(), {w->status, w->service_account, w->workload_type});
    tw.Row(row);
  }
  tw.Flush(out);
}

void ServiceTable(const ZtunnelDump& d, const std::string& ns, bool wide, std::ostream& out) {
  std::unordered_map<std::string, const ZWorkload*> by_uid;
  for (const auto& w : d.workloads()) by_uid[w.uid] = &w;
  envoy::TabWriter tw(kPadding);
  std::vector<std::string> header = {"NAMESPACE", "SERVICE NAME", "SERVICE VIP", "WAYPOINT", "ENDPOINTS"};
  if (wide) header.insert(header.end(), {"HOSTNAME", "PORTS"});
  tw.Row(header);
  for (const ZService* s : SortedServices(d, ns)) {
    std::vector<std::string> ips;
    for (const auto& v : s->vips) {
      size_t slash = v.find('/');
      ips.push_back(slash == std::string::npos ? "" : v.substr(slash + 1));
    }
    size_t healthy = 0;
    for (const auto& uid : s->endpoint_uids) {
      auto it = by_uid.find(uid);
      if (it != by_uid.end() && it->second->status == "Healthy") ++healthy;
    }
    std::vector<std::string> row = {s->ns, s->name, Join(ips, ","), WaypointName(s->waypoint, d),
                                    Cat(std::to_string(healthy), "/", std::to_string(s->endpoint_uids.size()))};
    if (wide) row.insert(row.end(), {s->hostname, Join(s->ports, ",")});
    tw.Row(row);
  }
  tw.Flush(out);
}

std::string CertType(size_t i, size_t n, bool legacy) {
  if (i == 0) return "Leaf";
  if (i == n - 1 && legacy) return "Root";
  return "Intermediate";
}

bool CertValid(const ZCert& c, int64_t now) {
  if (c.expiration.empty() && c.valid_from.empty()) return false;
  int64_t exp = 0, from = 0;
  if (!ParseRfc3339(c.expiration, exp) || !ParseRfc3339(c.valid_from, from)) return false;
  return now > from && now < exp;
}

std::string OrNA(const std::string& s) { return s.empty() ? "NA" : s; }

}  // namespace

void PrintWorkloads(const ZtunnelDump& d, const WorkloadFilter& f, bool wide, std::ostream& out) {
  WorkloadTable(d, f, wide, out);
}

void PrintServices(const ZtunnelDump& d, const std::string& ns, bool wide, std::ostream& out) {
  ServiceTable(d, ns, wide, out);
}

void PrintPolicies(const ZtunnelDump& d, const std::string& ns, bool wide, std::ostream& out) {
  envoy::TabWriter tw(kPadding);
  std::vector<std::string> header = {"NAMESPACE", "POLICY NAME", "ACTION", "SCOPE"};
  if (wide) header.insert(header.end(), {"RULES", "DRY RUN"});
  tw.Row(header);
  for (const ZPolicy* p : SortedPolicies(d, ns)) {
    std::vector<std::string> row = {p->ns, p->name, p->action, p->scope};
    if (wide) row.insert(row.end(), {std::to_string(p->rules), p->dry_run ? "true" : "false"});
    tw.Row(row);
  }
  tw.Flush(out);
}

void PrintCertificates(const ZtunnelDump& d, int64_t now, std::ostream& out) {
  envoy::TabWriter tw(kCertPadding);
  tw.Row({"CERTIFICATE NAME", "TYPE", "STATUS", "VALID CERT", "SERIAL NUMBER", "NOT AFTER", "NOT BEFORE"});
  for (const auto& c : d.certificates()) {
    std::string state = c.state.find("Unavailable") != std::string::npos ? "Unavailable" : c.state;
    if (c.chain.empty()) {
      tw.Row({c.identity, "NA", state, "false", "NA", "NA", "NA"});
      continue;
    }
    bool legacy = c.roots.empty();
    for (size_t i = 0; i < c.chain.size(); ++i) {
      const ZCert& z = c.chain[i];
      tw.Row({c.identity, CertType(i, c.chain.size(), legacy), state, CertValid(z, now) ? "true" : "false",
              DecimalToHex(z.serial), OrNA(z.expiration), OrNA(z.valid_from)});
    }
    for (const ZCert& z : c.roots) {
      tw.Row({c.identity, "Root", state, CertValid(z, now) ? "true" : "false", DecimalToHex(z.serial),
              OrNA(z.expiration), OrNA(z.valid_from)});
    }
  }
  tw.Flush(out);
}

void PrintConnections(const ZtunnelDump& d, ConnectionsFilter f, std::ostream& out) {
  Normalize(f);
  // First VIP -> hostname, first IP -> name.ns; later entries win, as in
  // istioctl's maps. An entity without an address is keyed "None".
  std::unordered_map<std::string, std::string> service_names, workload_names;
  for (const auto& s : d.services()) {
    std::string ip;
    if (!s.vips.empty()) {
      size_t slash = s.vips[0].find('/');
      if (slash != std::string::npos) ip = s.vips[0].substr(slash + 1);
    }
    service_names[ip.empty() ? "None" : ip] = s.hostname;
  }
  for (const auto& w : d.workloads()) {
    std::string ip = w.ips.empty() ? "" : w.ips[0];
    workload_names[ip.empty() ? "None" : ip] = Cat(w.name, ".", w.ns);
  }
  auto lookup = [&](const std::string& addr) {
    if (f.raw) return addr;
    std::string ip, port;
    SplitHostPort(addr, ip, port);
    if (auto it = service_names.find(ip); it != service_names.end()) return JoinHostPort(it->second, port);
    if (auto it = workload_names.find(ip); it != workload_names.end()) return JoinHostPort(it->second, port);
    return addr;
  };
  envoy::TabWriter tw(kPadding);
  tw.Row({"WORKLOAD", "DIRECTION", "LOCAL", "REMOTE", "REMOTE TARGET", "PROTOCOL"});
  for (const ZWorkloadState* s : SortedStates(d, f)) {
    std::string name = Cat(s->name, ".", s->ns);
    if (f.direction != "outbound") {
      for (const auto& c : s->inbound)
        tw.Row({name, "Inbound", lookup(c.actual_dst), lookup(c.src), c.original_dst, c.protocol});
    }
    if (f.direction != "inbound") {
      for (const auto& c : s->outbound)
        tw.Row({name, "Outbound", lookup(c.src), lookup(c.actual_dst), lookup(c.original_dst), c.protocol});
    }
  }
  tw.Flush(out);
}

void PrintAll(const ZtunnelDump& d, bool with_headers, int64_t now, std::ostream& out) {
  auto header = [&](const char* title) {
    out << "\n";
    if (with_headers) out << "------ " << title << " ------\n\n";
  };
  header("WORKLOAD INFO");
  PrintWorkloads(d, {}, false, out);
  header("SERVICE INFO");
  PrintServices(d, "", false, out);
  header("POLICY INFO");
  PrintPolicies(d, "", false, out);
  header("SECRET INFO");
  PrintCertificates(d, now, out);
  header("CONNECTIONS INFO");
  PrintConnections(d, {}, out);
}

OJ SelectWorkloads(const ZtunnelDump& d, const WorkloadFilter& f, bool istioctl_compat) {
  OJ a = OJ::array();
  for (const ZWorkload* w : FilteredWorkloads(d, f))
    a.push_back(istioctl_compat ? CompatWorkload(*w) : envoy::ToNlohmann(w->raw));
  return a;
}

OJ SelectServices(const ZtunnelDump& d, const std::string& ns, bool istioctl_compat) {
  OJ a = OJ::array();
  for (const ZService* s : SortedServices(d, ns))
    a.push_back(istioctl_compat ? CompatService(*s) : envoy::ToNlohmann(s->raw));
  return a;
}

OJ SelectPolicies(const ZtunnelDump& d, const std::string& ns, bool istioctl_compat) {
  OJ a = OJ::array();
  for (const ZPolicy* p : SortedPolicies(d, ns))
    a.push_back(istioctl_compat ? CompatPolicy(*p) : envoy::ToNlohmann(p->raw));
  return a;
}

OJ SelectCertificates(const ZtunnelDump& d, bool istioctl_compat) {
  if (istioctl_compat && d.certificates().empty()) return OJ(nullptr);
  OJ a = OJ::array();
  for (const auto& c : d.certificates()) a.push_back(istioctl_compat ? CompatCerts(c) : envoy::ToNlohmann(c.raw));
  return a;
}

OJ SelectConnections(const ZtunnelDump& d, ConnectionsFilter f, bool istioctl_compat) {
  Normalize(f);
  OJ a = OJ::array();
  for (const ZWorkloadState* s : SortedStates(d, f))
    a.push_back(istioctl_compat ? CompatState(*s) : envoy::ToNlohmann(s->raw));
  return a;
}

std::string DecimalToHex(std::string_view decimal) {
  std::string_view digits = decimal;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return "<nil>";
  // Base-10 digits -> base-2^32 limbs, least significant first.
  std::vector<uint32_t> limbs;
  for (char c : digits) {
    if (c < '0' || c > '9') return "<nil>";
    uint64_t carry = static_cast<uint64_t>(c - '0');
    for (auto& l : limbs) {
      uint64_t v = static_cast<uint64_t>(l) * 10 + carry;
      l = static_cast<uint32_t>(v);
      carry = v >> 32;
    }
    if (carry) limbs.push_back(static_cast<uint32_t>(carry));
  }
  while (!limbs.empty() && limbs.back() == 0) limbs.pop_back();
  if (limbs.empty()) return "0";
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (size_t i = limbs.size(); i-- > 0;) {
    for (int shift = 28; shift >= 0; shift -= 4) out += kHex[(limbs[i] >> shift) & 15];
  }
  size_t first = out.find_first_not_of('0');
  out = out.substr(first);
  return negative ? "-" + out : out;
}

bool ParseRfc3339(std::string_view t, int64_t& seconds) {
  auto num = [&](size_t pos, size_t len, int& v) {
    if (pos + len > t.size()) return false;
    v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      v = v * 10 + (t[i] - '0');
    }
    return true;
  };
  int y, mo, d, h, mi, s;
  if (!num(0, 4, y) || t.size() < 20 || t[4] != '-' || !num(5, 2, mo) || t[7] != '-' || !num(8, 2, d) ||
      (t[10] != 'T' && t[10] != 't') || !num(11, 2, h) || t[13] != ':' || !num(14, 2, mi) || t[16] != ':' ||
      !num(17, 2, s))
    return false;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return false;
  size_t pos = 19;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    size_t start = pos;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') ++pos;
    if (pos == start) return false;
  }
  int64_t offset = 0;
  if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    int oh, om;
    if (!num(pos + 1, 2, oh) || pos + 3 >= t.size() || t[pos + 3] != ':' || !num(pos + 4, 2, om)) return false;
    offset = (oh * 3600 + om * 60) * (t[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return false;
  }
  if (pos != t.size()) return false;
  // Days from the civil date (Howard Hinnant's algorithm).
  int64_t yy = y - (mo <= 2 ? 1 : 0);
  int64_t era = (yy >= 0 ? yy : yy - 399) / 400;
  int64_t yoe = yy - era * 400;
  int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  int64_t days = era * 146097 + doe - 719468;
  seconds = days * 86400 + h * 3600 + mi * 60 + s - offset;
  return true;
}

}  // namespace meshctl::ambient
