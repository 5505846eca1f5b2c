#include "lib/kube/istiod.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lib/core/strings.h"

namespace meshctl::kube {

namespace {

using nlohmann::json;

const json& Sub(const json& j, const char* key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it != j.end() ? *it : kNull;
}

std::string Str(const json& j, const char* key) {
  const json& v = Sub(j, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

// "host:port" of an https URL, the port 443 when it has none; "" when it
// is not a URL.
std::string HostPortOfUrl(const std::string& url) {
  size_t p = url.find("://");
  if (p == std::string::npos) return "";
  std::string rest = url.substr(p + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
  if (rest.empty()) return "";
  if (rest[0] == '[') {  // [v6]:port
    size_t close = rest.find(']');
    if (close == std::string::npos) return "";
    std::string host = rest.substr(0, close + 1);
    std::string port = close + 2 <= rest.size() && rest[close + 1] == ':' ? rest.substr(close + 2) : "";
    return host + ":" + (port.empty() ? "443" : port);
  }
  size_t colon = rest.rfind(':');
  if (colon == std::string::npos) return rest + ":443";
  std::string port = rest.substr(colon + 1);
  return rest.substr(0, colon) + ":" + (port.empty() ? "443" : port);
}

}  // namespace

std::string IstiodSelector(const IstiodOptions& o) {
  std::string sel = o.xds_label.empty() ? "app=istiod" : o.xds_label;
  if (!o.revision.empty()) sel += ",istio.io/rev=" + o.revision;
  return sel;
}

std::string IstiodServerName(const std::string& istio_namespace, const std::string& revision) {
  if (revision.empty() || revision == "default") return "istiod." + istio_namespace + ".svc";
  return "istiod-" + revision + "." + istio_namespace + ".svc";
}

core::Result<std::vector<PodInfo>> FindIstiodPods(Client& client, const IstiodOptions& o) {
  return ListPods(client, o.istio_namespace, IstiodSelector(o), "status.phase=Running");
}

core::Result<ServiceAccountToken> RequestServiceAccountToken(Client& client, const std::string& ns,
                                                             const std::string& service_account,
                                                             const std::vector<std::string>& audiences,
                                                             int64_t expiration_seconds) {
  json body = {{"apiVersion", "authentication.k8s.io/v1"},
               {"kind", "TokenRequest"},
               {"spec", {{"audiences", audiences}, {"expirationSeconds", expiration_seconds}}}};
  ApiRequest req;
  req.method = "POST";
  req.path = "/api/v1/namespaces/" + ns + "/serviceaccounts/" + service_account + "/token";
  req.body = body.dump();
  req.content_type = "application/json";
  req.verb = "create";
  req.resource = "serviceaccounts/token";
  auto resp = client.Call(req);
  if (!resp.ok())
    return core::Status(resp.status().code(),
                        fmt::format("could not get a token for service account {}/{} (audience {}) to talk to "
                                    "istiod: {}",
                                    ns, service_account, core::Join(audiences, ","), resp.status().message()));
  json j = json::parse(*resp, nullptr, false);
  std::string token = j.is_discarded() ? "" : Str(Sub(j, "status"), "token");
  if (token.empty())
    return core::Unavailable(
        fmt::format("Kubernetes API server {} answered the TokenRequest for {}/{} without "
                    "status.token",
                    client.server(), ns, service_account));
  ServiceAccountToken out;
  out.token = Secret(std::move(token));
  out.expiration = Str(Sub(j, "status"), "expirationTimestamp");
  return out;
}

core::Result<std::optional<std::string>> IstioRootCert(Client& client, const std::string& ns) {
  ASSIGN_OR_RETURN(auto body,
                   client.Get("/api/v1/namespaces/" + ns + "/configmaps/" + kRootCertConfigMap, "configmaps"));
  if (!body) return std::optional<std::string>();
  json j = json::parse(*body, nullptr, false);
  std::string pem = j.is_discarded() ? "" : Str(Sub(j, "data"), "root-cert.pem");
  if (pem.empty()) return std::optional<std::string>();
  return std::optional<std::string>(std::move(pem));
}

core::Result<std::optional<std::string>> XdsAddressFromWebhooks(Client& client, const std::string& revision) {
  ApiRequest req;
  req.path = "/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations";
  req.query.emplace_back("labelSelector",
                         "istio.io/rev=" + (revision.empty() ? std::string("default") : revision) + ",!istio.io/tag");
  req.verb = "list";
  req.resource = "mutatingwebhookconfigurations";
  ASSIGN_OR_RETURN(std::string body, client.Call(req));
  json j = json::parse(body, nullptr, false);
  const json& items = Sub(j, "items");
  if (!items.is_array()) return std::optional<std::string>();
  for (const auto& whc : items) {
    const json& hooks = Sub(whc, "webhooks");
    if (!hooks.is_array()) continue;
    for (const auto& wh : hooks) {
      std::string url = Str(Sub(wh, "clientConfig"), "url");
      if (url.empty()) continue;
      std::string hp = HostPortOfUrl(url);
      if (hp.empty())
        return core::Unavailable(
            fmt::format("MutatingWebhookConfiguration {} has a clientConfig.url that is not a "
                        "URL: {}",
                        Str(Sub(whc, "metadata"), "name"), url));
      return std::optional<std::string>(hp);
    }
  }
  return std::optional<std::string>();
}

core::Result<ControlPlane> ConnectControlPlane(Client& client, const IstiodOptions& o, const xds::DialOptions& base) {
  ControlPlane cp;
  std::string selector = IstiodSelector(o);
  ASSIGN_OR_RETURN(auto pods, FindIstiodPods(client, o));
  std::optional<std::string> external;
  if (pods.empty()) {
    ASSIGN_OR_RETURN(external, XdsAddressFromWebhooks(client, o.revision));
    if (!external)
      return core::Unavailable(fmt::format(
          "no running Istio pods in \"{}\": no Running pod matches {} there, and no MutatingWebhookConfiguration "
          "labelled istio.io/rev={},!istio.io/tag names an external control plane's URL. Check -i/--istioNamespace, "
          "--revision and --xds-label, or give --xds-address",
          o.istio_namespace, selector, o.revision.empty() ? "default" : o.revision));
  }

  xds::DialOptions d = base;
  // The token first: an RBAC denial there is the clearer error.
  if (!d.plaintext && d.cert_dir.empty() && d.token.empty()) {
    ASSIGN_OR_RETURN(auto tok, RequestServiceAccountToken(client, o.istio_namespace, "default", {"istio-ca"}));
    d.token = tok.token.reveal();
  }
  bool verify = !d.plaintext && !d.insecure && d.cert_dir.empty() && d.cacert.empty() && d.ca_pem.empty();
  if (verify) {
    ASSIGN_OR_RETURN(auto ca, IstioRootCert(client, o.istio_namespace));
    if (ca) {
      d.ca_pem = *ca;
      d.ca_source = fmt::format("the cluster's root CA, ConfigMap {}/{}", o.istio_namespace, kRootCertConfigMap);
    } else if (!external) {
      return core::Unavailable(fmt::format(
          "ConfigMap {}/{} (key root-cert.pem) not found: meshctl verifies istiod's certificate against the "
          "cluster's root CA it holds. Give --cacert FILE with istiod's CA, or --insecure to skip verification as "
          "istioctl does",
          o.istio_namespace, kRootCertConfigMap));
    }
  }

  if (external) {
    d.address = *external;
    d.display = "external control plane " + *external + " (from the injection webhook's URL)";
    cp.dials.push_back(d);
    cp.described = "external control plane at " + *external;
    return cp;
  }

  if (d.authority.empty() && !d.plaintext) d.authority = IstiodServerName(o.istio_namespace, o.revision);
  for (const auto& pod : pods) {
    auto fw = StartPortForward(client, pod.ns, pod.name, o.xds_port);
    if (!fw.ok())
      return core::Status(fw.status().code(), fmt::format("could not port-forward to istiod pod {}/{} port {}: {}",
                                                          pod.ns, pod.name, o.xds_port, fw.status().message()));
    xds::DialOptions one = d;
    one.address = (*fw)->local_address();
    one.display = fmt::format("istiod pod {}/{} port {} (port-forward {})", pod.ns, pod.name, o.xds_port, one.address);
    cp.dials.push_back(std::move(one));
    cp.forwards.push_back(std::move(fw).value());
  }
  cp.described =
      fmt::format("{} istiod pod{} in {} ({})", pods.size(), pods.size() == 1 ? "" : "s", o.istio_namespace, selector);
  return cp;
}

core::Result<AdminForward> ForwardToAdmin(Client& client, const PodInfo& pod, uint16_t port) {
  AdminForward out;
  auto fw = StartPortForward(client, pod.ns, pod.name, port);
  if (!fw.ok())
    return core::Status(fw.status().code(), fmt::format("could not port-forward to the Envoy admin port {} of pod "
                                                        "{}/{}: {}",
                                                        port, pod.ns, pod.name, fw.status().message()));
  out.base_url = "http://" + (*fw)->local_address();
  out.pod = pod.name + "." + pod.ns;
  out.forward = std::move(fw).value();
  return out;
}

core::Status ExplainForwardFailure(const core::Status& st, const PortForward* forward, const std::string& what) {
  if (st.ok()) return st;
  if (forward) {
    core::Status fe = forward->first_error();
    if (!fe.ok())
      return core::Status(fe.code(), fmt::format("{} through a port-forward to {}: {}\n  (the request said: {})", what,
                                                 forward->target(), fe.message(), st.message()));
    return core::Status(st.code(),
                        fmt::format("{} through a port-forward to {}: {}", what, forward->target(), st.message()));
  }
  return core::Status(st.code(), what + ": " + st.message());
}

}  // namespace meshctl::kube
