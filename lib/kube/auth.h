// CredentialSource implementations, one per way client-go authenticates a
// kubeconfig user: static token / basic / client certificate, a token file
// re-read every minute, exec credential plugins (client.authentication.k8s.io
// v1 and v1beta1) with expiry caching, and an oidc id-token used while its
// JWT is unexpired. lib/kube/kubeconfig.cc picks one for the selected user.
//
// No message, Describe() or log produced here contains a secret: plugin
// output is never quoted, file contents never echoed.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/core/status.h"
#include "lib/kube/rest_config.h"

namespace meshctl::kube {

using Clock = std::function<std::chrono::system_clock::time_point()>;

inline constexpr std::string_view kExecApiV1 = "client.authentication.k8s.io/v1";
inline constexpr std::string_view kExecApiV1Beta1 = "client.authentication.k8s.io/v1beta1";
inline constexpr std::string_view kExecApiV1Alpha1 = "client.authentication.k8s.io/v1alpha1";

// Fixed credentials (token, basic, client certificate, or a mix such as
// AKS's cert + token). Invalidate() returns false: a retry cannot help.
std::shared_ptr<CredentialSource> MakeStaticSource(Credentials credentials);

// A bearer token read from `path` (whitespace trimmed) on the first Get(),
// again when the last read is a minute old or after Invalidate(). When a
// re-read fails the last good token is kept. `extra` (client certificate)
// goes along with every answer; `initial_token`, when set, is used until the
// first re-read is due (client-go's token + tokenFile).
std::shared_ptr<CredentialSource> MakeTokenFileSource(std::string path, Credentials extra, Clock now,
                                                      Secret initial_token = {});

// RFC 3339 ("2026-01-02T03:04:05Z", fractional seconds and +hh:mm offsets).
std::optional<std::chrono::system_clock::time_point> ParseRfc3339(std::string_view text);

struct ExecCredential {
  Credentials credentials;                                      // bearer_token and/or client_cert_pem + client_key_pem
  std::optional<std::chrono::system_clock::time_point> expiry;  // nullopt = for the process lifetime
};

// Decodes an exec plugin's stdout: an ExecCredential JSON object with the
// same apiVersion as configured, kind ExecCredential, and a status holding a
// token and/or clientCertificateData + clientKeyData, optionally
// expirationTimestamp. Pure; messages never quote the input.
core::Result<ExecCredential> ParseExecCredential(std::string_view output, std::string_view api_version);

// spec.cluster of KUBERNETES_EXEC_INFO (provideClusterInfo: true).
struct ExecClusterInfo {
  std::string server;
  std::string tls_server_name;
  bool insecure_skip_tls_verify = false;
  std::string certificate_authority_data;  // PEM (a CA file's content inlined)
  std::string proxy_url;
  bool disable_compression = false;
  std::string config_json;  // the cluster's exec extension ("" = none)
};

// The KUBERNETES_EXEC_INFO value: {"apiVersion", "kind":"ExecCredential",
// "spec":{"interactive", "cluster"?}}.
std::string BuildExecInfo(std::string_view api_version, bool interactive, const ExecClusterInfo* cluster);

struct ExecPluginOptions {
  std::string api_version;  // must be v1 or v1beta1
  std::string command;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // added to the parent's environment
  std::string install_hint;
  std::string interactive_mode;  // Never | IfAvailable | Always; "" = IfAvailable for v1beta1, an error for v1
  std::optional<ExecClusterInfo> cluster;  // set when provideClusterInfo
  bool stdin_is_tty = false;
  bool stdin_in_use = false;  // `-f -`: stdin belongs to the command
  int stderr_fd = 2;          // the plugin's stderr is passed through here
  Clock now;
};

// Checks apiVersion/interactiveMode and builds the exec plugin source. The
// plugin runs on the first Get(); its answer is cached until expiry (or for
// the process lifetime) and dropped by Invalidate().
core::Result<std::shared_ptr<CredentialSource>> MakeExecSource(ExecPluginOptions options);

// An oidc auth-provider: the id-token is sent while its JWT `exp` is in the
// future; an expired or missing one fails with a hint (meshctl does not run
// the oidc refresh flow). `user` names the kubeconfig user in messages.
std::shared_ptr<CredentialSource> MakeOidcSource(Secret id_token, std::string user, Clock now);

// The JWT payload's `exp` (seconds since the epoch); nullopt when `jwt` is not
// a JWT with a numeric exp.
std::optional<int64_t> JwtExpiry(std::string_view jwt);

// Empty credentials (an anonymous user); Describe() is "no credentials".
std::shared_ptr<CredentialSource> MakeNoCredentialsSource();

}  // namespace meshctl::kube
