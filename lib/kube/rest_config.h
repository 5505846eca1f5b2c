// What a Kubernetes API client needs to reach one cluster, resolved from a
// kubeconfig (or the in-cluster service account) the way client-go's
// clientcmd does: lib/kube/kubeconfig.{h,cc} produces it, lib/kube/client.cc
// consumes it. Nothing above lib/kube sees kubeconfig files.
//
// Secrets (tokens, passwords, private keys) live only in Secret values: they
// format as "<redacted>" and have no implicit conversion to text, so an error
// message or a debug log cannot print one by accident.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "lib/core/status.h"

namespace meshctl::kube {

// A credential's text. Read it with reveal() only where it goes on the wire.
class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}
  bool empty() const { return value_.empty(); }
  const std::string& reveal() const { return value_; }
  friend bool operator==(const Secret& a, const Secret& b) { return a.value_ == b.value_; }

 private:
  std::string value_;
};

// What to put on one request.
struct Credentials {
  Secret bearer_token;                    // Authorization: Bearer
  std::string basic_username;             // Authorization: Basic (with basic_password)
  Secret basic_password;
  std::string client_cert_pem;            // TLS client certificate (PEM), public
  Secret client_key_pem;                  // its private key (PEM)
};

// Where credentials come from: static values, a token file re-read every
// minute, an exec plugin with expiry caching, an oidc id-token. Thread-safe.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  // The credentials for the next request; runs an exec plugin when its
  // cached answer is missing or expired.
  virtual core::Result<Credentials> Get() = 0;
  // The server answered 401: drop cached credentials so the next Get()
  // refreshes them (re-runs the exec plugin, re-reads the token file).
  // Returns false when a retry cannot give different credentials (static
  // token, basic auth), so the client does not retry in vain.
  virtual bool Invalidate() = 0;
  // "token", "tokenFile", "client certificate", "exec plugin aws", ... for
  // messages (never the secret itself).
  virtual std::string Describe() const = 0;
};

struct TlsConfig {
  std::string ca_pem;           // certificate-authority-data (decoded) or the file's content
  std::string ca_file;          // for messages only: where ca_pem came from ("" for data)
  bool insecure_skip_verify = false;
  std::string server_name;      // tls-server-name: SNI and the name verified
};

struct RestConfig {
  std::string server;           // "https://host:port[/prefix]", no trailing '/'
  std::string context;          // the selected context's name ("" in-cluster)
  std::string cluster;          // the selected cluster's name
  std::string user;             // the selected user's name
  std::string namespace_name;   // -n, else the context's namespace, else "default"
  bool namespace_explicit = false;  // true when -n was given
  TlsConfig tls;
  std::string proxy_url;        // proxy-url; "" = the environment's proxies apply
  bool disable_compression = false;
  std::string impersonate_user;                 // --as
  std::vector<std::string> impersonate_groups;  // --as-group
  std::chrono::milliseconds timeout{15000};     // --request-timeout; 0 = no timeout
  std::shared_ptr<CredentialSource> credentials;  // never null (may give empty Credentials)
  // Where this came from, for messages: "kubeconfig /home/u/.kube/config,
  // context kind-kind" or "in-cluster service account".
  std::string origin;
};

// The root flags every cluster command takes, spelled as kubectl/istioctl.
struct ClusterFlags {
  std::string kubeconfig;               // --kubeconfig / -c ("" = $KUBECONFIG, ~/.kube/config)
  std::string context;                  // --context
  std::string namespace_name;           // -n / --namespace
  std::string istio_namespace = "istio-system";  // -i / --istioNamespace
  std::string as;                       // --as
  std::vector<std::string> as_groups;   // --as-group
  std::string request_timeout = "15s";  // --request-timeout (kubectl's syntax: 0, 30, 5s, 1m, 2h)
  // The command reads stdin itself (`-f -`): an exec plugin with
  // interactiveMode IfAvailable then runs non-interactively, Always fails.
  bool stdin_in_use = false;
};

// Resolves the cluster connection as client-go does (kubeconfig search and
// merge, context selection, relative paths, namespace defaulting, in-cluster
// fallback). A missing file or context is InvalidArgument/IoError with a
// message naming it; an unparsable kubeconfig is DataError with
// file:line:col; rejected auth (gcp/azure providers, exec v1alpha1) is
// InvalidArgument with the hint client-go gives. lib/kube/kubeconfig.h has
// the overload with an injectable environment (tests) and the pieces.
core::Result<RestConfig> LoadRestConfig(const ClusterFlags& flags);

}  // namespace meshctl::kube

// fmt::format("{}", secret) gives "<redacted>", never the value.
template <>
struct fmt::formatter<meshctl::kube::Secret> : fmt::formatter<std::string_view> {
  template <typename FormatContext>
  auto format(const meshctl::kube::Secret&, FormatContext& ctx) const {
    return fmt::formatter<std::string_view>::format("<redacted>", ctx);
  }
};
