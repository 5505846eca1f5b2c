// ServiceEntry rules (spec §5.4).
#include <set>

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/model/protocol.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

void ValidateServiceEntry(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  using model::Protocol;
  const Node* spec = r.spec;
  const Node* sel = Get(spec, "workloadSelector");
  if (sel) {
    if (!CheckAlphaSelector(sel, "spec.workloadSelector", out,
                            "service entry: workload selector specified without labels, will be applied to all "
                            "services in namespace"))
      return;
    if (Len(spec, "endpoints"))
      out.Error("spec", "only one of WorkloadSelector or Endpoints is allowed in Service Entry");
  }
  auto hosts = StrList(spec, "hosts");
  std::string res = Enum(spec, "resolution", "NONE");
  if (hosts.empty()) out.Error("spec.hosts", "service entry must have at least one host");
  for (size_t i = 0; i < hosts.size(); ++i) {
    std::string p = Idx("spec.hosts", i);
    if (hosts[i] == "*") {
      out.Error(p, "invalid host *");
      continue;
    }
    if (auto e = CheckWildcardDomain(hosts[i]); !e.empty()) out.Error(p, e);
    if (res != "DYNAMIC_DNS")
      if (auto e = CheckPartialWildcard(hosts[i]); !e.empty()) out.Warning(p, e);
  }
  auto addresses = StrList(spec, "addresses");
  bool cidr = false;
  for (size_t i = 0; i < addresses.size(); ++i) {
    cidr = cidr || addresses[i].find('/') != std::string::npos;
    if (auto e = CheckSubnet(addresses[i]); !e.empty()) out.Error(Idx("spec.addresses", i), e);
  }
  if (cidr && res != "NONE" && res != "STATIC")
    out.Error("spec.addresses", "CIDR addresses are allowed only for NONE/STATIC resolution types");
  bool auto_alloc = res != "NONE" && !core::EqualsIgnoreCase(r.Label("networking.istio.io/enable-autoallocate-ip"), "false");
  std::vector<std::string> port_names;
  std::set<std::string> names_seen;
  std::set<int64_t> numbers_seen;
  const Node* ports = Get(spec, "ports");
  if (ports) {
    for (size_t i = 0; i < ports->size(); ++i) {
      const Node& p = ports->at(i);
      std::string pp = Idx("spec.ports", i);
      std::string name = Str(&p, "name");
      int64_t number = Int(&p, "number");
      if (!names_seen.insert(name).second)
        out.Error(Path(pp, "name"), fmt::format("service entry port name {} already defined", core::GoQuote(name)));
      if (!numbers_seen.insert(number).second)
        out.Error(Path(pp, "number"), fmt::format("service entry port {} already defined", number));
      port_names.push_back(name);
      if (int64_t tp = Int(&p, "targetPort"); tp != 0)
        if (auto e = CheckPort(tp); !e.empty()) out.Error(Path(pp, "targetPort"), e);
      std::string proto = Str(&p, "protocol");
      if (addresses.empty() && !auto_alloc && (proto.empty() || proto == "TCP"))
        out.Warning(pp, "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is "
                        "not enabled");
      if (auto e = CheckPortName(name); !e.empty()) out.Error(Path(pp, "name"), e);
      if (auto e = CheckProtocol(proto); !e.empty()) out.Error(Path(pp, "protocol"), e);
      if (auto e = CheckPort(number); !e.empty()) out.Error(Path(pp, "number"), e);
    }
  }
  const Node* eps = Get(spec, "endpoints");
  size_t neps = eps ? eps->size() : 0;
  if (res == "NONE") {
    if (neps) out.Error("spec.endpoints", "no endpoints should be provided for resolution type none");
    if (sel) out.Warning("spec.workloadSelector", "workloadSelector should not be set when resolution mode is NONE");
  } else if (res == "STATIC") {
    for (size_t i = 0; i < neps; ++i) {
      const Node& ep = eps->at(i);
      std::string ep_path = Idx("spec.endpoints", i);
      if (Str(&ep, "address").rfind("unix://", 0) == 0 && port_names.size() != 1)
        out.Error(ep_path, "exactly 1 service port required for unix endpoints");
      CheckWorkloadEntry(&ep, &port_names, false, ep_path, out);
    }
  } else if (res == "DNS" || res == "DNS_ROUND_ROBIN") {
    if (neps == 0) {
      for (size_t i = 0; i < hosts.size(); ++i) {
        if (auto e = CheckFQDN(hosts[i]); !e.empty()) {
          out.Error(Idx("spec.hosts", i),
                    fmt::format("hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for "
                                "resolution mode {}, {}",
                                res, e));
          break;
        }
      }
    }
    if (res == "DNS_ROUND_ROBIN" && neps > 1)
      out.Error("spec.endpoints", "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN");
    for (size_t i = 0; i < neps; ++i) {
      const Node& ep = eps->at(i);
      std::string ep_path = Idx("spec.endpoints", i);
      std::string addr = Str(&ep, "address");
      if (!IsIP(addr) && !CheckFQDN(addr).empty())
        out.Error(Path(ep_path, "address"),
                  fmt::format("endpoint address {} is not a valid FQDN or an IP address", core::GoQuote(addr)));
      CheckLabels(Get(&ep, "labels"), Path(ep_path, "labels"), out);
      if (const Node* eports = Get(&ep, "ports")) {
        for (size_t j = 0; j < eports->size(); ++j) {
          std::string name = eports->KeyAt(j).ToScalarString();
          std::string pp = Key(Path(ep_path, "ports"), name);
          if (std::find(port_names.begin(), port_names.end(), name) == port_names.end())
            out.Error(pp, fmt::format("endpoint port {} is not defined by the service entry", name));
          if (auto e = CheckPortName(name); !e.empty()) out.Error(pp, e);
          if (auto e = CheckPort(eports->ValueAt(j).AsInt().value_or(0)); !e.empty()) out.Error(pp, e);
        }
      }
    }
    if (!addresses.empty() && ports) {
      for (const auto& p : ports->children()) {
        if (model::IsTCP(model::ParseProtocol(Str(&p, "protocol")))) {
          if (hosts.size() > 1)
            out.Warning("spec", "service entry can not have more than one host specified simultaneously with "
                                "address and tcp port");
          break;
        }
      }
    }
  } else if (res == "DYNAMIC_DNS") {
    if (hosts.empty()) out.Error("spec.hosts", "at least one wildcard host must be provided for resolution type DYNAMIC_DNS");
    for (size_t i = 0; i < hosts.size(); ++i)
      if (hosts[i].empty() || hosts[i][0] != '*')
        out.Error(Idx("spec.hosts", i), "host must be wildcarded for resolution mode DYNAMIC_DNS");
    if (!addresses.empty())
      out.Error("spec.addresses", "addresses cannot be set for resolution type DYNAMIC_DNS. HTTP route domains will "
                                  "only be generatedfrom the hosts field values");
    if (neps)
      out.Error("spec.endpoints", "endpoints cannot be set for resolution type DYNAMIC_DNS. Destination IP address "
                                  "determined from hostsfield values");
    if (ports)
      for (size_t i = 0; i < ports->size(); ++i) {
        Protocol p = model::ParseProtocol(Str(&ports->at(i), "protocol"));
        if (p != Protocol::kHTTP && p != Protocol::kTLS && p != Protocol::kGRPC && p != Protocol::kHTTP2)
          out.Error(Idx("spec.ports", i),
                    "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS");
      }
    std::string loc = Enum(spec, "location", "MESH_EXTERNAL");
    if (loc != "MESH_EXTERNAL" && loc != "MESH_INTERNAL")
      out.Error("spec.location", "location must be MESH_EXTERNAL or MESH_INTERNAL for resolution type DYNAMIC_DNS");
    std::string wp(r.Label("istio.io/use-waypoint"));
    if (loc == "MESH_INTERNAL" && !wp.empty() && wp != "none")
      out.Error("spec.location",
                "location MESH_INTERNAL with resolution type DYNAMIC_DNS is not supported when using waypoints");
  } else {
    out.Error("spec.resolution", fmt::format("unsupported resolution type {}", res));
  }
  if (res != "NONE" && hosts.size() > 1 && ports) {
    for (const auto& p : ports->children()) {
      Protocol proto = model::ParseProtocol(Str(&p, "protocol"));
      if (!model::IsHTTP(proto) && proto != Protocol::kHTTPS && proto != Protocol::kTLS) {
        out.Error("spec.ports", "multiple hosts provided with non-HTTP, non-TLS ports");
        break;
      }
    }
  }
  CheckExportTo(r.ns, Get(spec, "exportTo"), true, false, "spec.exportTo", out);
  (void)ctx;
}

}  // namespace meshctl::validate
