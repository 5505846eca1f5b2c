// Sidecar rules (spec §5.5).
#include <map>
#include <set>

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/model/protocol.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

namespace {

// Go net.SplitHostPort; "" error when fine.
std::string SplitHostPort(std::string_view hp, std::string& host, std::string& port) {
  auto err = [&](std::string_view why) { return fmt::format("address {}: {}", hp, why); };
  if (!hp.empty() && hp[0] == '[') {
    auto close = hp.find(']');
    if (close == std::string_view::npos) return err("missing ']' in address");
    if (close + 1 == hp.size()) return err("missing port in address");
    if (hp[close + 1] != ':') return err("missing port in address");
    host = std::string(hp.substr(1, close - 1));
    port = std::string(hp.substr(close + 2));
    return "";
  }
  auto colon = hp.rfind(':');
  if (colon == std::string_view::npos) return err("missing port in address");
  if (hp.substr(0, colon).find(':') != std::string_view::npos) return err("too many colons in address");
  host = std::string(hp.substr(0, colon));
  port = std::string(hp.substr(colon + 1));
  return "";
}

void CheckPortCommon(const Node* port, const std::string& pp, Findings& out) {
  if (Int(port, "targetPort") > 0) out.Error(Path(pp, "targetPort"), "targetPort has no impact on Sidecars");
  std::string name = Str(port, "name");
  if (!name.empty())
    if (auto e = CheckPortName(name); !e.empty()) out.Error(Path(pp, "name"), e);
  if (auto e = CheckProtocol(Str(port, "protocol")); !e.empty()) out.Error(Path(pp, "protocol"), e);
}

}  // namespace

void ValidateSidecar(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  const Node* spec = r.spec;
  Findings selector;
  if (!CheckAlphaSelector(Get(spec, "workloadSelector"), "spec.workloadSelector", selector,
                          "sidecar: workload selector specified without labels, will be applied to all services in "
                          "namespace")) {
    for (const auto& f : selector.items()) out.Add(f);
    return;
  }
  const Node* ingress = Get(spec, "ingress");
  const Node* egress = Get(spec, "egress");
  const Node* otp = Get(spec, "outboundTrafficPolicy");
  const Node* icp = Get(spec, "inboundConnectionPool");
  if (!ingress && !egress && !otp && !icp) {
    out.Error("spec", "sidecar: empty configuration provided");
    return;
  }
  for (const auto& f : selector.items()) out.Add(f);

  std::set<int64_t> ports;
  if (ingress) {
    for (size_t i = 0; i < ingress->size(); ++i) {
      const Node& in = ingress->at(i);
      std::string ip = Idx("spec.ingress", i);
      const Node* port = Get(&in, "port");
      if (!port) {
        out.Error(ip, "sidecar: port is required for ingress listeners");
        continue;
      }
      std::string pp = Path(ip, "port");
      CheckPortCommon(port, pp, out);
      int64_t number = Int(port, "number");
      if (auto e = CheckPort(number); !e.empty()) out.Error(Path(pp, "number"), e);
      if (std::string bind = Str(&in, "bind"); !bind.empty())
        if (auto e = CheckIP(bind); !e.empty()) out.Error(Path(ip, "bind"), e);
      if (!ports.insert(number).second) out.Error(pp, "sidecar: ports on IP bound listeners must be unique");
      std::string de = Str(&in, "defaultEndpoint");
      if (!de.empty()) {
        std::string dp = Path(ip, "defaultEndpoint");
        if (de.rfind("unix://", 0) == 0) {
          if (auto e = CheckUnixAddress(de.substr(7)); !e.empty()) out.Error(dp, e);
        } else {
          std::string host, sport;
          if (auto e = SplitHostPort(de, host, sport); !e.empty()) {
            out.Error(dp, e);
          } else {
            if (!host.empty() && host != "127.0.0.1" && host != "0.0.0.0" && host != "::1" && host != "::")
              out.Error(dp, "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,"
                            "[::]:port,unix://filepath or unset");
            bool numeric = !sport.empty() && sport.size() < 19 &&
                           sport.find_first_not_of("0123456789", sport[0] == '-' || sport[0] == '+' ? 1 : 0) ==
                               std::string::npos &&
                           !(sport.size() == 1 && (sport[0] == '-' || sport[0] == '+'));
            if (!numeric)
              out.Error(dp, fmt::format("sidecar: defaultEndpoint port ({}) is not a number: strconv.Atoi: parsing "
                                        "{}: invalid syntax",
                                        sport, core::GoQuote(sport)));
            else if (auto e = CheckPort(std::stoll(sport)); !e.empty())
              out.Error(dp, e);
          }
        }
      }
      if (const Node* tls = Get(&in, "tls")) {
        std::string tp = Path(ip, "tls");
        if (Len(tls, "subjectAltNames")) out.Error(tp, "sidecar: subjectAltNames is not supported in ingress tls");
        if (Bool(tls, "httpsRedirect")) out.Error(tp, "sidecar: httpsRedirect is not supported");
        if (!Str(tls, "credentialName").empty()) out.Error(tp, "sidecar: credentialName is not currently supported");
        if (Len(tls, "credentialNames")) out.Error(tp, "sidecar: credentialNames is not currently supported");
        if (Len(tls, "tlsCertificates")) out.Error(tp, "sidecar: tls_certificates is not currently supported");
        std::string mode = Enum(tls, "mode", "PASSTHROUGH");
        if (mode == "ISTIO_MUTUAL" || mode == "AUTO_PASSTHROUGH")
          out.Error(tp, fmt::format("configuration is invalid: cannot set mode to {} in sidecar ingress tls", mode));
        model::Protocol p = model::ParseProtocol(Str(port, "protocol"));
        if (p != model::Protocol::kHTTPS && p != model::Protocol::kTLS)
          out.Error(tp, "server cannot have TLS settings for non HTTPS/TLS ports");
        CheckServerTLSOptions(tls, tp, out);
      }
      const Node* cp = Get(&in, "connectionPool");
      CheckConnectionPool(cp, Path(ip, "connectionPool"), out);
      if (cp && Has(cp, "http") && !model::IsHTTP(model::ParseProtocol(Str(port, "protocol"))))
        out.Warning(Path(ip, "connectionPool.http"),
                    fmt::format("sidecar: HTTP connection pool settings are configured for port {} ({}) but its "
                                "protocol is not HTTP ({}); only TCP settings will apply",
                                number, core::GoQuote(Str(port, "name")), Str(port, "protocol")));
    }
  }
  CheckConnectionPool(icp, "spec.inboundConnectionPool", out);

  if (egress) {
    std::set<int64_t> eports;
    std::set<std::string> uds;
    bool catch_all = false;
    for (size_t i = 0; i < egress->size(); ++i) {
      const Node& eg = egress->at(i);
      std::string ep = Idx("spec.egress", i);
      const Node* port = Get(&eg, "port");
      if (!port) {
        if (!catch_all) {
          if (i == egress->size() - 1) catch_all = true;
          else out.Error(ep, "sidecar: the egress listener with empty port should be the last listener in the list");
        } else {
          out.Error(ep, "sidecar: egress can have only one listener with empty port");
          continue;
        }
      } else {
        std::string pp = Path(ep, "port");
        std::string bind = Str(&eg, "bind");
        CheckPortCommon(port, pp, out);
        int64_t number = Int(port, "number");
        if (number == 0) {
          if (bind.rfind("unix://", 0) != 0) {
            out.Error(Path(ep, "bind"), "sidecar: ports with 0 value must have a unix domain socket bind address");
          } else if (auto e = CheckUnixAddress(bind.substr(7)); !e.empty()) {
            out.Error(Path(ep, "bind"), e);
          }
          std::string cm = Enum(&eg, "captureMode", "DEFAULT");
          if (cm != "DEFAULT" && cm != "NONE")
            out.Error(Path(ep, "captureMode"), "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners");
          if (!uds.insert(bind).second)
            out.Error(Path(ep, "bind"), "sidecar: unix domain socket values for listeners must be unique");
        } else {
          if (auto e = CheckPort(number); !e.empty()) out.Error(Path(pp, "number"), e);
          if (!bind.empty())
            if (auto e = CheckIP(bind); !e.empty()) out.Error(Path(ep, "bind"), e);
          if (!eports.insert(number).second) out.Error(pp, "sidecar: ports on IP bound listeners must be unique");
        }
      }
      auto hosts = StrList(&eg, "hosts");
      if (hosts.empty()) {
        out.Error(ep, "sidecar: egress listener must contain at least one host");
        continue;
      }
      std::map<std::string, std::set<std::string>> nss;
      for (size_t j = 0; j < hosts.size(); ++j) {
        const std::string& h = hosts[j];
        std::string hp = Idx(Path(ep, "hosts"), j);
        auto slash = h.find('/');
        if (slash != std::string::npos) {
          std::string ns = h.substr(0, slash), svc = h.substr(slash + 1);
          if (ns == ".") ns = r.ns;
          auto& set = nss[ns];
          if (svc != "*") {
            if (set.count(svc) || set.count("*")) out.Warning(hp, "duplicated egress host: " + h);
          } else if (!set.empty()) {
            out.Warning(hp, "duplicated egress host: " + h);
          }
          set.insert(svc);
        }
        CheckNamespaceSlashHost(h, false, false, hp, out);
      }
      if (nss.count("*") && nss["*"].count("*") && nss.size() != 1)
        out.Warning(Path(ep, "hosts"), "`*/*` host select all resources, no other hosts can be added");
    }
  }

  if (otp) {
    std::string mode = Enum(otp, "mode", "REGISTRY_ONLY");
    if (mode == "3")
      out.Error("spec.outboundTrafficPolicy.mode",
                "sidecar: ALLOW_ANY_DYNAMIC_DNS mode is only supported in MeshConfig, not in Sidecar resource");
    if (const Node* proxy = Get(otp, "egressProxy")) {
      std::string pp = "spec.outboundTrafficPolicy.egressProxy";
      if (mode != "ALLOW_ANY")
        out.Error(pp, "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode");
      if (auto e = CheckFQDN(Str(proxy, "host")); !e.empty()) out.Error(Path(pp, "host"), e);
      if (!Has(proxy, "port")) out.Error(pp, "sidecar: egress_proxy port must be non-nil");
      CheckDestination(proxy, pp, out);
    }
  }
  (void)ctx;
}

}  // namespace meshctl::validate
