// Reaching the mesh through the Kubernetes API, as istioctl does
// (spec live-cluster.md §2.3, §2.4): the istiod pods of a revision, a
// TokenRequest token for them, the cluster's root CA, the injection
// webhook's URL for an external control plane, and port-forwards that turn
// each into an address the existing xDS and Envoy admin clients dial.
//
// TLS to istiod: istioctl never verifies the server. meshctl verifies
// istiod's certificate against the root CA the cluster publishes in the
// ConfigMap istio-ca-root-cert (key root-cert.pem) of the Istio namespace,
// for the name istiod[-<rev>].<ns>.svc, unless the caller sets
// DialOptions::insecure (--insecure). Tokens are held only in DialOptions
// and never appear in a message.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/kube/client.h"
#include "lib/kube/pod_target.h"
#include "lib/kube/port_forward.h"
#include "lib/kube/rest_config.h"
#include "lib/xds/dial.h"

namespace meshctl::kube {

inline constexpr uint16_t kDefaultXdsPort = 15012;
inline constexpr uint16_t kDefaultProxyAdminPort = 15000;
inline constexpr char kRootCertConfigMap[] = "istio-ca-root-cert";

struct IstiodOptions {
  std::string istio_namespace = "istio-system";
  std::string revision;   // --revision: appended as istio.io/rev=<rev> ("" = any revision)
  std::string xds_label;  // --xds-label: replaces app=istiod
  uint16_t xds_port = kDefaultXdsPort;
};

// "app=istiod[,istio.io/rev=<rev>]" (or the --xds-label form).
std::string IstiodSelector(const IstiodOptions& o);
// The name in istiod's serving certificate: istiod.<ns>.svc, or
// istiod-<rev>.<ns>.svc for a revision other than "default".
std::string IstiodServerName(const std::string& istio_namespace, const std::string& revision);

// The Running istiod pods (fieldSelector status.phase=Running).
core::Result<std::vector<PodInfo>> FindIstiodPods(Client& client, const IstiodOptions& o);

struct ServiceAccountToken {
  Secret token;
  std::string expiration;  // status.expirationTimestamp
};
// POST /api/v1/namespaces/{ns}/serviceaccounts/{sa}/token (TokenRequest).
// A 403 names the verb: create serviceaccounts/token.
core::Result<ServiceAccountToken> RequestServiceAccountToken(Client& client, const std::string& ns,
                                                             const std::string& service_account,
                                                             const std::vector<std::string>& audiences,
                                                             int64_t expiration_seconds = 3600);

// root-cert.pem of ConfigMap istio-ca-root-cert in `ns`; nullopt when the
// ConfigMap or the key is absent.
core::Result<std::optional<std::string>> IstioRootCert(Client& client, const std::string& ns);

// The first clientConfig.url host:port (port 443 by default) of the
// MutatingWebhookConfigurations labelled istio.io/rev=<rev>,!istio.io/tag:
// where an external control plane serves. nullopt when none has a URL.
core::Result<std::optional<std::string>> XdsAddressFromWebhooks(Client& client, const std::string& revision);

// Connections to every replica of the control plane, open for as long as
// this lives.
struct ControlPlane {
  std::vector<std::unique_ptr<PortForward>> forwards;  // one per istiod pod (empty for an external one)
  std::vector<xds::DialOptions> dials;                 // what to ask, one per replica
  std::string described;  // "2 istiod pods in istio-system (app=istiod)" or "external control plane at h:p"
};

// Finds istiod, requests the token (before dialling, so a failure there is
// reported first), port-forwards each pod's xds_port, and fills DialOptions
// from `base` (its plaintext/cert_dir/insecure/cacert/authority/timeout):
// TLS verified against istio-ca-root-cert unless base says otherwise, the
// token unless base is plaintext or mTLS. With no istiod pod, the injection
// webhook's URL is tried; with none either, the error is "no running Istio
// pods in <ns>".
core::Result<ControlPlane> ConnectControlPlane(Client& client, const IstiodOptions& o, const xds::DialOptions& base);

// A port-forward to one proxy's Envoy admin port (GET the pod, Running).
struct AdminForward {
  std::unique_ptr<PortForward> forward;
  std::string base_url;  // "http://127.0.0.1:NNNN"
  std::string pod;       // "<name>.<ns>"
};
core::Result<AdminForward> ForwardToAdmin(Client& client, const PodInfo& pod, uint16_t port);

// A request through a port-forward failed with `st`: the forward's own
// first error (a refused port, a broken stream) says more; both, naming
// the pod and port.
core::Status ExplainForwardFailure(const core::Status& st, const PortForward* forward, const std::string& what);

}  // namespace meshctl::kube
