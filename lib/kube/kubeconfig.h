// kubeconfig files as client-go's clientcmd reads them: where they are
// looked for (--kubeconfig, $KUBECONFIG, ~/.kube/config), how several merge
// (the first file to name a cluster, user or context wins, whole entry),
// which relative paths resolve against the defining file's directory, and
// how ClusterFlags select one context and turn it into a RestConfig
// (LoadRestConfig in rest_config.h), with the in-cluster service account as
// the fallback when no kubeconfig exists.
//
// Parsing goes through lib/yaml (libyaml events), so a broken file is a
// DataError "file:line:col: ...". Values of secret fields are kept in
// Secret and never appear in a message.
#pragma once

#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lib/core/status.h"
#include "lib/kube/rest_config.h"

namespace meshctl::kube {

// users[].user.exec (client.authentication.k8s.io ExecConfig).
struct ExecConfig {
  std::string api_version;  // client.authentication.k8s.io/v1 or /v1beta1 (others rejected on use)
  std::string command;      // resolved against the kubeconfig's directory when it contains '/'
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // exec.env, in order
  std::string install_hint;
  bool provide_cluster_info = false;
  std::string interactive_mode;  // as written ("" = not set; defaulted on use)
};

// users[].user.auth-provider. Every config value is treated as secret.
struct AuthProviderConfig {
  std::string name;
  std::vector<std::pair<std::string, Secret>> config;
  const Secret* Find(std::string_view key) const;
};

struct ClusterEntry {
  std::string name;
  std::string server;
  std::string certificate_authority;       // path (absolute after resolution)
  std::string certificate_authority_data;  // decoded PEM
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;
  std::string proxy_url;
  bool disable_compression = false;
  // extensions[name=client.authentication.k8s.io/exec].extension as JSON,
  // handed to exec plugins as spec.cluster.config ("" = none).
  std::string exec_extension_json;
  std::string file;  // the kubeconfig that defined it
};

struct UserEntry {
  std::string name;
  std::string client_certificate;       // path
  std::string client_certificate_data;  // decoded PEM
  std::string client_key;               // path
  Secret client_key_data;               // decoded PEM
  Secret token;
  std::string token_file;  // path
  std::string username;
  Secret password;
  std::string impersonate;                      // as
  std::vector<std::string> impersonate_groups;  // as-groups
  std::optional<ExecConfig> exec;
  std::optional<AuthProviderConfig> auth_provider;
  std::string file;
};

struct ContextEntry {
  std::string name;
  std::string cluster;
  std::string user;
  std::string namespace_name;
  std::string file;
};

// One file, or several merged.
struct Kubeconfig {
  std::vector<std::string> files;  // the files read, in load order
  std::string current_context;
  std::map<std::string, ClusterEntry> clusters;
  std::map<std::string, UserEntry> users;
  std::map<std::string, ContextEntry> contexts;
};

// What LoadRestConfig reads from the process, injectable for tests.
struct LoadEnvironment {
  // Environment variable lookup; nullopt = unset. Defaults to getenv.
  std::function<std::optional<std::string>(const std::string&)> getenv = [](const std::string& name) {
    const char* v = std::getenv(name.c_str());
    return v ? std::optional<std::string>(v) : std::nullopt;
  };
  // Where the in-cluster service account token, ca.crt and namespace are.
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
  // The clock for token-file re-reads, exec-credential and id-token expiry.
  std::function<std::chrono::system_clock::time_point()> now = [] { return std::chrono::system_clock::now(); };
  bool stdin_is_tty = false;  // isatty(0) by default
  int plugin_stderr_fd = 2;   // where exec plugins' stderr goes (passed through)
};

// The defaults above plus isatty(0).
LoadEnvironment SystemEnvironment();

// Parses one kubeconfig (YAML or JSON). Relative paths are resolved against
// the directory of `path`. Wrong types and duplicate names are DataError
// with file:line:col.
core::Result<Kubeconfig> ParseKubeconfig(std::string_view content, const std::string& path);

// Adds `from` under `into`: entries `into` already has win (whole entry);
// current-context is taken only when `into` has none.
void MergeKubeconfig(Kubeconfig& into, const Kubeconfig& from);

// Finds and merges the kubeconfig files: `explicit_path` alone when given (a
// missing file is an IoError), else $KUBECONFIG split on ':' (duplicates
// dropped, missing files skipped), else ~/.kube/config. The result has no
// files when none was found (and none was required).
core::Result<Kubeconfig> LoadKubeconfig(const std::string& explicit_path, const LoadEnvironment& env);

// kubectl's --request-timeout: "0" (no timeout, returned as 0 ms), a bare
// integer (seconds), or a Go duration ("500ms", "5s", "1m30s", "2h").
core::Result<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text);

// LoadRestConfig with an injected environment (tests); the one-argument
// overload in rest_config.h uses SystemEnvironment().
core::Result<RestConfig> LoadRestConfig(const ClusterFlags& flags, const LoadEnvironment& env);

// Turns one selected context into a RestConfig (validation as client-go's
// ConfirmUsable, credential source set up). Exposed for tests.
core::Result<RestConfig> BuildRestConfig(const Kubeconfig& config, const ClusterFlags& flags,
                                         const LoadEnvironment& env);

// True when running in a pod: KUBERNETES_SERVICE_HOST and _PORT are set and
// the service account token file exists (client-go's Possible()).
bool InClusterPossible(const LoadEnvironment& env);
// The in-cluster config: https://HOST:PORT, the service account token
// (re-read every minute), its ca.crt, namespace -n, else $POD_NAMESPACE,
// else the namespace file, else "default".
core::Result<RestConfig> InClusterRestConfig(const ClusterFlags& flags, const LoadEnvironment& env);

}  // namespace meshctl::kube
