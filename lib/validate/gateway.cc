// Gateway rules (spec §5.3); the server TLS options are in helpers.cc
// (shared with Sidecar ingress).
#include <set>

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/model/protocol.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

namespace {

using core::GoQuote;
using model::Protocol;

bool IsTLSProtocol(Protocol p) { return p == Protocol::kHTTPS || p == Protocol::kTLS; }

// The dnsName part of a gateway/sidecar host (validateSidecarOrGatewayHostnamePart).
void CheckHostPart(std::string_view h, bool gateway, const std::string& path, Findings& out) {
  if (h != "*" && h.find('.') == std::string_view::npos) out.Error(path, "short names (non FQDN) are not allowed");
  if (auto e = CheckWildcardDomain(h); !e.empty()) {
    if (!gateway || !IsIP(h)) out.Error(path, e);
  }
  if (auto e = CheckPartialWildcard(h); !e.empty()) out.Error(path, e);
}

std::string PortText(const Node* port) {
  std::vector<std::string> parts;
  if (int64_t n = Int(port, "number")) parts.push_back(fmt::format("number:{}", n));
  if (auto p = Str(port, "protocol"); !p.empty()) parts.push_back(fmt::format("protocol:{}", GoQuote(p)));
  if (auto t = Int(port, "targetPort")) parts.push_back(fmt::format("target_port:{}", t));
  return core::Join(parts, " ");
}

}  // namespace

// Shared with Sidecar egress hosts (isGateway = false).
void CheckNamespaceSlashHost(std::string_view host, bool gateway, bool gateway_semantics, const std::string& path,
                             Findings& out) {
  auto slash = host.find('/');
  if (slash == std::string_view::npos) {
    if (gateway) {
      CheckHostPart(host, true, path, out);
      return;
    }
    out.Error(path, "host must be of form namespace/dnsName");
    return;
  }
  std::string_view ns = host.substr(0, slash), name = host.substr(slash + 1);
  if (ns.empty() || name.empty()) {
    out.Error(path, "config namespace and dnsName in host entry cannot be empty");
    return;
  }
  if (!gateway && !ns.empty() && ns[0] == '~') ns.remove_prefix(1);
  // A sidecar's `~/*` imports nothing: "~" alone is a namespace value too.
  bool ns_ok = (!gateway && host.substr(0, slash) == "~") || ns == "*" || ns == "." || IsDNS1123Label(ns) || (gateway && gateway_semantics && ns == "~");
  if (!ns_ok)
    out.Error(path, fmt::format("invalid namespace value {} in {}", GoQuote(ns), gateway ? "gateway" : "sidecar"));
  CheckHostPart(name, gateway, path, out);
}

void ValidateGateway(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  const Node* spec = r.spec;
  bool gw_semantics = r.Annotation("internal.istio.io/gateway-semantics") == "gateway";
  if (!gw_semantics && !IsDNS1123Label(r.name))
    out.Error("metadata.name", fmt::format("invalid gateway name: {}", GoQuote(r.name)));
  const Node* servers = Get(spec, "servers");
  if (!servers || servers->size() == 0) {
    out.Error("spec.servers", "gateway must have at least one server");
    return;
  }
  std::set<std::string> port_names;
  for (size_t i = 0; i < servers->size(); ++i) {
    const Node& s = servers->at(i);
    std::string sp = Idx("spec.servers", i);
    auto hosts = StrList(&s, "hosts");
    if (hosts.empty()) out.Error(sp, "server config must contain at least one host");
    for (size_t j = 0; j < hosts.size(); ++j)
      CheckNamespaceSlashHost(hosts[j], true, gw_semantics, Idx(Path(sp, "hosts"), j), out);
    const Node* port = Get(&s, "port");
    std::string bind = Str(&s, "bind");
    bool unix_bind = bind.rfind("unix://", 0) == 0;
    bool port_ok = true;
    std::string pp = Path(sp, "port");
    if (!port) {
      out.Error(sp, "port is required");
      port_ok = false;
    } else {
      Protocol proto = model::ParseProtocol(Str(port, "protocol"));
      if (proto == Protocol::kUnsupported) {
        out.Error(Path(pp, "protocol"),
                  fmt::format("invalid protocol {}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, "
                              "REDIS, MYSQL, TCP",
                              GoQuote(Str(port, "protocol"))));
        port_ok = false;
      }
      int64_t number = Int(port, "number");
      if (number > 0 || !unix_bind) {
        if (auto e = CheckPort(number); !e.empty()) {
          out.Error(Path(pp, "number"), e);
          port_ok = false;
        }
      }
      if (Int(port, "targetPort") > 0) {
        out.Error(Path(pp, "targetPort"), "targetPort has no impact on Gateways");
        port_ok = false;
      }
      if (Str(port, "name").empty()) {
        out.Error(pp, "port name must be set: " + PortText(port));
        port_ok = false;
      }
    }
    if (unix_bind) {
      if (auto e = CheckUnixAddress(bind.substr(7)); !e.empty()) out.Error(Path(sp, "bind"), e);
      if (port && Int(port, "number") != 0)
        out.Error(Path(sp, "bind"), fmt::format("port number must be 0 for unix domain socket: {}", PortText(port)));
    } else if (!bind.empty()) {
      if (auto e = CheckIP(bind); !e.empty()) out.Error(Path(sp, "bind"), e);
    }
    const Node* tls = Get(&s, "tls");
    CheckServerTLSOptions(tls, Path(sp, "tls"), out);
    if (port_ok) {
      Protocol p = model::ParseProtocol(Str(port, "protocol"));
      if (IsTLSProtocol(p) && !tls) {
        out.Error(sp, "server must have TLS settings for HTTPS/TLS protocols");
      } else if (!IsTLSProtocol(p) && tls) {
        if (model::IsHTTP(p)) {
          std::string mode = Enum(tls, "mode", "PASSTHROUGH");
          bool passthrough = mode == "PASSTHROUGH" || mode == "AUTO_PASSTHROUGH";
          if (!passthrough || !Str(tls, "caCertificates").empty() || !Str(tls, "privateKey").empty() ||
              !Str(tls, "serverCertificate").empty())
            out.Error(Path(sp, "tls"), "server cannot have TLS settings for plain text HTTP ports");
        } else {
          out.Error(Path(sp, "tls"), "server cannot have TLS settings for non HTTPS/TLS ports");
        }
      }
    }
  }
  for (size_t i = 0; i < servers->size(); ++i) {
    const Node& s = servers->at(i);
    const Node* port = Get(&s, "port");
    if (!port) continue;
    std::string name = Str(port, "name");
    if (!port_names.insert(name).second)
      out.Error(Idx("spec.servers", i) + ".port.name", "port names in servers must be unique: duplicate name " + name);
    if (!model::IsHTTP(model::ParseProtocol(Str(port, "protocol"))) && Bool(Get(&s, "tls"), "httpsRedirect"))
      out.Warning(Idx("spec.servers", i) + ".tls.httpsRedirect", "tls.httpsRedirect should only be used with http servers");
  }
  (void)ctx;
}

}  // namespace meshctl::validate
