#include "lib/kube/kubeconfig.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lib/core/strings.h"
#include "lib/envoy/certificate.h"
#include "lib/io/files.h"
#include "lib/kube/auth.h"
#include "lib/yaml/parser.h"

namespace meshctl::kube {
namespace {

using yaml::Node;
using yaml::NodeType;

// ---- paths

// Go's filepath.Clean for '/'-separated paths.
std::string CleanPath(std::string_view path) {
  if (path.empty()) return ".";
  bool rooted = path.front() == '/';
  std::vector<std::string> parts;
  for (const std::string& part : core::Split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back("..");
      }
      continue;
    }
    parts.push_back(part);
  }
  std::string out = (rooted ? "/" : "") + core::Join(parts, "/");
  return out.empty() ? "." : out;
}

std::string AbsolutePath(const std::string& path) {
  if (!path.empty() && path.front() == '/') return CleanPath(path);
  char buf[4096];
  std::string cwd = getcwd(buf, sizeof buf) ? buf : ".";
  return CleanPath(cwd + "/" + path);
}

std::string DirOf(const std::string& file) {
  std::string abs = AbsolutePath(file);
  size_t slash = abs.rfind('/');
  return slash == 0 ? "/" : abs.substr(0, slash);
}

void Resolve(std::string& path, const std::string& dir) {
  if (path.empty() || path.front() == '/') return;
  path = CleanPath(dir + "/" + path);
}

bool IsRegularFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// ---- YAML reading with positions

class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  core::Status Error(const Node& at, std::string_view what) const {
    yaml::Mark m = at.mark();
    if (!m.known()) return core::DataError(fmt::format("{}: {}", file_, what));
    return core::DataError(fmt::format("{}:{}:{}: {}", file_, m.line, m.column, what));
  }

  // A string field; absent or null = "". The value is never quoted in errors.
  core::Status String(const Node& map, std::string_view key, std::string_view where, std::string& out) const {
    const Node* n = map.Get(key);
    if (!n || n->IsNull()) return core::Status::Ok();
    if (!n->IsString()) {
      return Error(*n, fmt::format("{}.{}: expected a string, got {}", where, key, yaml::NodeTypeName(n->type())));
    }
    out = n->text();
    return core::Status::Ok();
  }

  core::Status SecretField(const Node& map, std::string_view key, std::string_view where, Secret& out) const {
    std::string s;
    RETURN_IF_ERROR(String(map, key, where, s));
    out = Secret(std::move(s));
    return core::Status::Ok();
  }

  core::Status Bool(const Node& map, std::string_view key, std::string_view where, bool& out) const {
    const Node* n = map.Get(key);
    if (!n || n->IsNull()) return core::Status::Ok();
    if (!n->IsBool()) {
      return Error(*n, fmt::format("{}.{}: expected true or false, got {}", where, key, yaml::NodeTypeName(n->type())));
    }
    out = *n->AsBool();
    return core::Status::Ok();
  }

  // base64 []byte fields (certificate-authority-data, client-*-data).
  core::Status Bytes(const Node& map, std::string_view key, std::string_view where, std::string& out) const {
    std::string encoded;
    RETURN_IF_ERROR(String(map, key, where, encoded));
    if (encoded.empty()) return core::Status::Ok();
    auto decoded = envoy::DecodeBase64(encoded);
    if (!decoded) return Error(*map.Get(key), fmt::format("{}.{}: not valid base64", where, key));
    out = std::move(*decoded);
    return core::Status::Ok();
  }

  core::Status StringList(const Node& map, std::string_view key, std::string_view where,
                          std::vector<std::string>& out) const {
    const Node* n = map.Get(key);
    if (!n || n->IsNull()) return core::Status::Ok();
    if (!n->IsSeq())
      return Error(*n, fmt::format("{}.{}: expected a list, got {}", where, key, yaml::NodeTypeName(n->type())));
    for (size_t i = 0; i < n->size(); ++i) {
      const Node& item = n->at(i);
      if (!item.IsString()) {
        return Error(
            item, fmt::format("{}.{}[{}]: expected a string, got {}", where, key, i, yaml::NodeTypeName(item.type())));
      }
      out.push_back(item.text());
    }
    return core::Status::Ok();
  }

  // A map-valued field; nullptr when absent or null.
  core::Result<const Node*> Map(const Node& map, std::string_view key, std::string_view where) const {
    const Node* n = map.Get(key);
    if (!n || n->IsNull()) return static_cast<const Node*>(nullptr);
    if (!n->IsMap())
      return Error(*n, fmt::format("{}.{}: expected a map, got {}", where, key, yaml::NodeTypeName(n->type())));
    return n;
  }

  const std::string& file() const { return file_; }

 private:
  std::string file_;
};

nlohmann::json NodeToJson(const Node& n) {
  switch (n.type()) {
    case NodeType::kNull:
      return nullptr;
    case NodeType::kBool:
      return n.AsBool().value_or(false);
    case NodeType::kInt:
      if (auto i = n.AsInt()) return *i;
      return n.text();
    case NodeType::kFloat:
      if (auto d = n.AsDouble(); d && std::isfinite(*d)) return *d;
      return n.text();
    case NodeType::kString:
      return n.text();
    case NodeType::kMap: {
      nlohmann::json o = nlohmann::json::object();
      for (size_t i = 0; i < n.size(); ++i) o[n.KeyAt(i).ToScalarString()] = NodeToJson(n.ValueAt(i));
      return o;
    }
    case NodeType::kSeq: {
      nlohmann::json a = nlohmann::json::array();
      for (const Node& c : n.children()) a.push_back(NodeToJson(c));
      return a;
    }
  }
  return nullptr;
}

// Walks a named list (clusters, users, contexts): each item is a map with
// `name` and the entry under `inner`. `fn(name, inner_map_or_null, item)`.
template <typename Fn>
core::Status ForEachNamed(const Reader& r, const Node& root, std::string_view list, std::string_view inner,
                          std::set<std::string>& seen, Fn fn) {
  const Node* seq = root.Get(list);
  if (!seq || seq->IsNull()) return core::Status::Ok();
  if (!seq->IsSeq())
    return r.Error(*seq, fmt::format("{}: expected a list, got {}", list, yaml::NodeTypeName(seq->type())));
  for (size_t i = 0; i < seq->size(); ++i) {
    const Node& item = seq->at(i);
    std::string where = fmt::format("{}[{}]", list, i);
    if (!item.IsMap())
      return r.Error(item, fmt::format("{}: expected a map, got {}", where, yaml::NodeTypeName(item.type())));
    std::string name;
    RETURN_IF_ERROR(r.String(item, "name", where, name));
    if (!seen.insert(name).second) {
      const Node* at = item.Get("name");
      return r.Error(at ? *at : item, fmt::format("{}: duplicate name {} in {}", where, core::GoQuote(name), list));
    }
    ASSIGN_OR_RETURN(const Node* body, r.Map(item, inner, where));
    RETURN_IF_ERROR(fn(name, body, where + "." + std::string(inner)));
  }
  return core::Status::Ok();
}

core::Status ParseCluster(const Reader& r, const Node& m, const std::string& where, ClusterEntry& c) {
  RETURN_IF_ERROR(r.String(m, "server", where, c.server));
  RETURN_IF_ERROR(r.String(m, "certificate-authority", where, c.certificate_authority));
  RETURN_IF_ERROR(r.Bytes(m, "certificate-authority-data", where, c.certificate_authority_data));
  RETURN_IF_ERROR(r.Bool(m, "insecure-skip-tls-verify", where, c.insecure_skip_tls_verify));
  RETURN_IF_ERROR(r.String(m, "tls-server-name", where, c.tls_server_name));
  RETURN_IF_ERROR(r.String(m, "proxy-url", where, c.proxy_url));
  RETURN_IF_ERROR(r.Bool(m, "disable-compression", where, c.disable_compression));
  // extensions: a list of {name, extension}; only the exec one is used.
  if (const Node* ext = m.Get("extensions"); ext && ext->IsSeq()) {
    for (const Node& e : ext->children()) {
      if (!e.IsMap()) continue;
      const Node* name = e.Get("name");
      const Node* value = e.Get("extension");
      if (name && name->IsString() && name->text() == "client.authentication.k8s.io/exec" && value) {
        c.exec_extension_json = NodeToJson(*value).dump();
      }
    }
  }
  return core::Status::Ok();
}

core::Status ParseExec(const Reader& r, const Node& m, const std::string& where, ExecConfig& e) {
  RETURN_IF_ERROR(r.String(m, "command", where, e.command));
  RETURN_IF_ERROR(r.StringList(m, "args", where, e.args));
  RETURN_IF_ERROR(r.String(m, "apiVersion", where, e.api_version));
  RETURN_IF_ERROR(r.String(m, "installHint", where, e.install_hint));
  RETURN_IF_ERROR(r.Bool(m, "provideClusterInfo", where, e.provide_cluster_info));
  RETURN_IF_ERROR(r.String(m, "interactiveMode", where, e.interactive_mode));
  const Node* env = m.Get("env");
  if (env && !env->IsNull()) {
    if (!env->IsSeq()) return r.Error(*env, where + ".env: expected a list of {name, value}");
    for (size_t i = 0; i < env->size(); ++i) {
      const Node& item = env->at(i);
      std::string w = fmt::format("{}.env[{}]", where, i);
      if (!item.IsMap()) return r.Error(item, w + ": expected a map with name and value");
      std::string name, value;
      RETURN_IF_ERROR(r.String(item, "name", w, name));
      RETURN_IF_ERROR(r.String(item, "value", w, value));
      e.env.emplace_back(std::move(name), std::move(value));
    }
  }
  return core::Status::Ok();
}

core::Status ParseUser(const Reader& r, const Node& m, const std::string& where, UserEntry& u) {
  RETURN_IF_ERROR(r.String(m, "client-certificate", where, u.client_certificate));
  RETURN_IF_ERROR(r.Bytes(m, "client-certificate-data", where, u.client_certificate_data));
  RETURN_IF_ERROR(r.String(m, "client-key", where, u.client_key));
  std::string key_data;
  RETURN_IF_ERROR(r.Bytes(m, "client-key-data", where, key_data));
  u.client_key_data = Secret(std::move(key_data));
  RETURN_IF_ERROR(r.SecretField(m, "token", where, u.token));
  RETURN_IF_ERROR(r.String(m, "tokenFile", where, u.token_file));
  RETURN_IF_ERROR(r.String(m, "as", where, u.impersonate));
  RETURN_IF_ERROR(r.StringList(m, "as-groups", where, u.impersonate_groups));
  RETURN_IF_ERROR(r.String(m, "username", where, u.username));
  RETURN_IF_ERROR(r.SecretField(m, "password", where, u.password));
  ASSIGN_OR_RETURN(const Node* exec, r.Map(m, "exec", where));
  if (exec) {
    u.exec.emplace();
    RETURN_IF_ERROR(ParseExec(r, *exec, where + ".exec", *u.exec));
  }
  ASSIGN_OR_RETURN(const Node* ap, r.Map(m, "auth-provider", where));
  if (ap) {
    u.auth_provider.emplace();
    std::string w = where + ".auth-provider";
    RETURN_IF_ERROR(r.String(*ap, "name", w, u.auth_provider->name));
    ASSIGN_OR_RETURN(const Node* cfg, r.Map(*ap, "config", w));
    if (cfg) {
      for (size_t i = 0; i < cfg->size(); ++i) {
        const Node& v = cfg->ValueAt(i);
        if (!v.IsScalar()) return r.Error(v, w + ".config: values must be strings");
        u.auth_provider->config.emplace_back(cfg->KeyAt(i).ToScalarString(),
                                             Secret(v.IsNull() ? std::string() : v.ToScalarString()));
      }
    }
  }
  return core::Status::Ok();
}

// ---- request timeout

core::Status TimeoutError() {
  return core::InvalidArgument(
      "invalid --request-timeout: use a single integer in seconds, or an integer followed by a time unit "
      "(e.g. 1s | 2m | 3h); 0 means no timeout");
}

// ---- building a RestConfig

std::string ServerScheme(const std::string& server) {
  size_t p = server.find("://");
  return p == std::string::npos ? "" : core::ToLower(server.substr(0, p));
}

std::string FilesText(const Kubeconfig& config) {
  return config.files.empty() ? "(no kubeconfig file)" : core::Join(config.files, ", ");
}

std::string NamesOf(const std::map<std::string, ContextEntry>& m) {
  std::vector<std::string> names;
  for (const auto& [k, v] : m) names.push_back(k);
  return names.empty() ? "none" : core::Join(names, ", ");
}

core::Status ReadInto(const std::string& path, std::string_view what, std::string_view owner, std::string& out) {
  auto content = io::ReadFile(path);
  if (!content.ok()) {
    // The reason after io's own "cannot read file ...: " prefix; never the content.
    const std::string& m = content.status().message();
    size_t colon = m.rfind(": ");
    std::string reason = colon == std::string::npos ? m : m.substr(colon + 2);
    return core::IoError(fmt::format("unable to read {} {} for {}: {}", what, path, owner, reason));
  }
  out = std::move(content).value();
  return core::Status::Ok();
}

core::Status ApplyCommon(const ClusterFlags& flags, const UserEntry* user, RestConfig& rc) {
  ASSIGN_OR_RETURN(rc.timeout, ParseRequestTimeout(flags.request_timeout));
  rc.impersonate_user = !flags.as.empty() ? flags.as : (user ? user->impersonate : "");
  rc.impersonate_groups =
      !flags.as_groups.empty() ? flags.as_groups : (user ? user->impersonate_groups : std::vector<std::string>{});
  return core::Status::Ok();
}

core::Result<std::shared_ptr<CredentialSource>> BuildCredentials(const UserEntry& u, const ClusterEntry& cluster,
                                                                 const RestConfig& rc, const ClusterFlags& flags,
                                                                 const LoadEnvironment& env) {
  const std::string who = "user " + core::GoQuote(u.name);
  bool has_token = !u.token.empty() || !u.token_file.empty();
  bool has_basic = !u.username.empty() || !u.password.empty();
  bool has_cert = !u.client_certificate.empty() || !u.client_certificate_data.empty();
  bool has_key = !u.client_key.empty() || !u.client_key_data.empty();
  if (has_token && has_basic) {
    return core::InvalidArgument(fmt::format(
        "more than one authentication method found for {}; found token, basicAuth; only one is allowed", who));
  }
  if (has_cert && !has_key) {
    return core::InvalidArgument(fmt::format(
        "client-key-data or client-key must be specified for {} to use the clientCert authentication method", who));
  }
  if (has_key && !has_cert) {
    return core::InvalidArgument(
        fmt::format("client-certificate-data or client-certificate must be specified for {} to use the clientCert "
                    "authentication method",
                    who));
  }
  if (u.exec && u.auth_provider) {
    return core::InvalidArgument(fmt::format("{}: exec and auth-provider cannot both be set", who));
  }
  if (u.auth_provider) {
    const std::string& name = u.auth_provider->name;
    if (name == "gcp") {
      return core::InvalidArgument(fmt::format(
          "{}: the gcp auth plugin has been removed from client-go and meshctl; use the \"gke-gcloud-auth-plugin\" "
          "credential plugin instead (gcloud components install gke-gcloud-auth-plugin, then "
          "gcloud container clusters get-credentials); see "
          "https://cloud.google.com/blog/products/containers-kubernetes/kubectl-auth-changes-in-gke",
          who));
    }
    if (name == "azure") {
      return core::InvalidArgument(fmt::format(
          "{}: the azure auth plugin has been removed from client-go and meshctl; use the \"kubelogin\" credential "
          "plugin instead (kubelogin convert-kubeconfig); see https://azure.github.io/kubelogin/",
          who));
    }
    if (name != "oidc") {
      return core::InvalidArgument(fmt::format("{}: no auth-provider found for name {}", who, core::GoQuote(name)));
    }
  }
  if (u.exec) {
    if (u.exec->command.empty()) {
      return core::InvalidArgument(
          fmt::format("command must be specified for {} to use exec authentication plugin", who));
    }
    if (u.exec->api_version.empty()) {
      return core::InvalidArgument(
          fmt::format("apiVersion must be specified for {} to use exec authentication plugin", who));
    }
    for (const auto& [name, value] : u.exec->env) {
      if (name.empty()) {
        return core::InvalidArgument(
            fmt::format("env variable name must be specified for {} to use exec "
                        "authentication plugin",
                        who));
      }
    }
  }

  Credentials fixed;
  fixed.bearer_token = u.token;
  fixed.basic_username = u.username;
  fixed.basic_password = u.password;
  if (!u.client_certificate_data.empty()) {
    fixed.client_cert_pem = u.client_certificate_data;
  } else if (!u.client_certificate.empty()) {
    RETURN_IF_ERROR(ReadInto(u.client_certificate, "client-certificate", who, fixed.client_cert_pem));
  }
  if (!u.client_key_data.empty()) {
    fixed.client_key_pem = u.client_key_data;
  } else if (!u.client_key.empty()) {
    std::string key;
    RETURN_IF_ERROR(ReadInto(u.client_key, "client-key", who, key));
    fixed.client_key_pem = Secret(std::move(key));
  }

  if (!u.token_file.empty()) {
    Credentials extra = fixed;
    extra.bearer_token = Secret();
    auto source = MakeTokenFileSource(u.token_file, std::move(extra), env.now, u.token);
    // A tokenFile that cannot be read is an error now, as in client-go.
    if (auto first = source->Get(); !first.ok()) return first.status();
    return source;
  }
  if (has_token || has_basic || has_cert) return MakeStaticSource(std::move(fixed));
  if (u.exec) {
    ExecPluginOptions o;
    o.api_version = u.exec->api_version;
    o.command = u.exec->command;
    o.args = u.exec->args;
    o.env = u.exec->env;
    o.install_hint = u.exec->install_hint;
    o.interactive_mode = u.exec->interactive_mode;
    if (u.exec->provide_cluster_info) {
      ExecClusterInfo info;
      info.server = cluster.server;  // as written, as client-go passes rest.Config.Host
      info.tls_server_name = cluster.tls_server_name;
      info.insecure_skip_tls_verify = cluster.insecure_skip_tls_verify;
      info.certificate_authority_data = rc.tls.ca_pem;
      info.proxy_url = cluster.proxy_url;
      info.disable_compression = cluster.disable_compression;
      info.config_json = cluster.exec_extension_json;
      o.cluster = std::move(info);
    }
    o.stdin_is_tty = env.stdin_is_tty;
    o.stdin_in_use = flags.stdin_in_use;
    o.stderr_fd = env.plugin_stderr_fd;
    o.now = env.now;
    auto source = MakeExecSource(std::move(o));
    if (!source.ok()) return core::Status(source.status().code(), who + ": " + source.status().message());
    return source;
  }
  if (u.auth_provider) {
    const Secret* id_token = u.auth_provider->Find("id-token");
    return MakeOidcSource(id_token ? *id_token : Secret(), u.name, env.now);
  }
  return MakeNoCredentialsSource();
}

}  // namespace

const Secret* AuthProviderConfig::Find(std::string_view key) const {
  for (const auto& [k, v] : config) {
    if (k == key) return &v;
  }
  return nullptr;
}

LoadEnvironment SystemEnvironment() {
  LoadEnvironment env;
  env.stdin_is_tty = isatty(0) == 1;
  return env;
}

core::Result<Kubeconfig> ParseKubeconfig(std::string_view content, const std::string& path) {
  Kubeconfig out;
  out.files.push_back(path);
  ASSIGN_OR_RETURN(std::vector<yaml::Document> docs, yaml::ParseYamlStream(content, path));
  if (docs.empty() || docs.front().root.IsNull()) return out;
  const Node& root = docs.front().root;
  Reader r(path);
  if (!root.IsMap()) {
    return r.Error(root, fmt::format("a kubeconfig must be a map (apiVersion: v1, kind: Config), got {}",
                                     yaml::NodeTypeName(root.type())));
  }
  RETURN_IF_ERROR(r.String(root, "current-context", "kubeconfig", out.current_context));
  const std::string dir = DirOf(path);

  std::set<std::string> seen;
  RETURN_IF_ERROR(ForEachNamed(r, root, "clusters", "cluster", seen,
                               [&](const std::string& name, const Node* body, const std::string& where) {
                                 ClusterEntry c;
                                 c.name = name;
                                 c.file = path;
                                 if (body) RETURN_IF_ERROR(ParseCluster(r, *body, where, c));
                                 Resolve(c.certificate_authority, dir);
                                 out.clusters.emplace(name, std::move(c));
                                 return core::Status::Ok();
                               }));
  seen.clear();
  RETURN_IF_ERROR(ForEachNamed(r, root, "users", "user", seen,
                               [&](const std::string& name, const Node* body, const std::string& where) {
                                 UserEntry u;
                                 u.name = name;
                                 u.file = path;
                                 if (body) RETURN_IF_ERROR(ParseUser(r, *body, where, u));
                                 Resolve(u.client_certificate, dir);
                                 Resolve(u.client_key, dir);
                                 Resolve(u.token_file, dir);
                                 if (u.exec && u.exec->command.find('/') != std::string::npos) {
                                   Resolve(u.exec->command, dir);
                                 }
                                 out.users.emplace(name, std::move(u));
                                 return core::Status::Ok();
                               }));
  seen.clear();
  RETURN_IF_ERROR(ForEachNamed(r, root, "contexts", "context", seen,
                               [&](const std::string& name, const Node* body, const std::string& where) {
                                 ContextEntry c;
                                 c.name = name;
                                 c.file = path;
                                 if (body) {
                                   RETURN_IF_ERROR(r.String(*body, "cluster", where, c.cluster));
                                   RETURN_IF_ERROR(r.String(*body, "user", where, c.user));
                                   RETURN_IF_ERROR(r.String(*body, "namespace", where, c.namespace_name));
                                 }
                                 out.contexts.emplace(name, std::move(c));
                                 return core::Status::Ok();
                               }));
  return out;
}

void MergeKubeconfig(Kubeconfig& into, const Kubeconfig& from) {
  into.files.insert(into.files.end(), from.files.begin(), from.files.end());
  if (into.current_context.empty()) into.current_context = from.current_context;
  for (const auto& [k, v] : from.clusters) into.clusters.emplace(k, v);
  for (const auto& [k, v] : from.users) into.users.emplace(k, v);
  for (const auto& [k, v] : from.contexts) into.contexts.emplace(k, v);
}

core::Result<Kubeconfig> LoadKubeconfig(const std::string& explicit_path, const LoadEnvironment& env) {
  Kubeconfig merged;
  auto load_one = [&](const std::string& path) -> core::Status {
    ASSIGN_OR_RETURN(std::string content, io::ReadFile(path));
    ASSIGN_OR_RETURN(Kubeconfig one, ParseKubeconfig(content, path));
    MergeKubeconfig(merged, one);
    return core::Status::Ok();
  };
  if (!explicit_path.empty()) {
    struct stat st {};
    if (::stat(explicit_path.c_str(), &st) != 0) {
      return core::IoError(fmt::format("kubeconfig {} (--kubeconfig): {}", explicit_path, std::strerror(errno)));
    }
    RETURN_IF_ERROR(load_one(explicit_path));
    return merged;
  }
  std::optional<std::string> kubeconfig_env = env.getenv ? env.getenv("KUBECONFIG") : std::nullopt;
  if (kubeconfig_env && !kubeconfig_env->empty()) {
    std::set<std::string> seen;
    for (const std::string& path : core::Split(*kubeconfig_env, ':')) {
      if (path.empty() || !seen.insert(path).second) continue;
      struct stat st {};
      if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) continue;  // missing entries are skipped
      RETURN_IF_ERROR(load_one(path));
    }
    return merged;
  }
  std::optional<std::string> home = env.getenv ? env.getenv("HOME") : std::nullopt;
  if (home && !home->empty()) {
    std::string path = *home + "/.kube/config";
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) RETURN_IF_ERROR(load_one(path));
  }
  return merged;
}

core::Result<std::chrono::milliseconds> ParseRequestTimeout(std::string_view text) {
  text = core::Trim(text);
  if (text.empty()) return TimeoutError();
  bool all_digits = true;
  for (char c : text) all_digits = all_digits && c >= '0' && c <= '9';
  if (all_digits) {
    if (text.size() > 12) return TimeoutError();
    return std::chrono::milliseconds(std::stoll(std::string(text)) * 1000);
  }
  // A Go duration: [+]<number>[.<fraction>]<unit> repeated; negative is rejected.
  size_t pos = 0;
  if (text[pos] == '+') ++pos;
  if (pos >= text.size()) return TimeoutError();
  long double total_ns = 0;
  while (pos < text.size()) {
    size_t start = pos;
    while (pos < text.size() && ((text[pos] >= '0' && text[pos] <= '9') || text[pos] == '.')) ++pos;
    std::string number(text.substr(start, pos - start));
    if (number.empty() || number == "." || std::count(number.begin(), number.end(), '.') > 1) return TimeoutError();
    size_t unit_start = pos;
    while (pos < text.size() && !((text[pos] >= '0' && text[pos] <= '9') || text[pos] == '.')) ++pos;
    std::string_view unit = text.substr(unit_start, pos - unit_start);
    long double scale;
    if (unit == "ns")
      scale = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs")
      scale = 1e3;
    else if (unit == "ms")
      scale = 1e6;
    else if (unit == "s")
      scale = 1e9;
    else if (unit == "m")
      scale = 60e9;
    else if (unit == "h")
      scale = 3600e9;
    else
      return TimeoutError();
    total_ns += std::strtold(number.c_str(), nullptr) * scale;
    if (total_ns > 9.2e18L) return TimeoutError();
  }
  auto ms = static_cast<int64_t>(total_ns / 1e6L);
  if (ms == 0 && total_ns > 0) ms = 1;  // a positive timeout never turns into "none"
  return std::chrono::milliseconds(ms);
}

namespace {
std::string GetEnv(const LoadEnvironment& env, const char* name) {
  return env.getenv ? env.getenv(name).value_or("") : std::string();
}
}  // namespace

bool InClusterPossible(const LoadEnvironment& env) {
  return !GetEnv(env, "KUBERNETES_SERVICE_HOST").empty() && !GetEnv(env, "KUBERNETES_SERVICE_PORT").empty() &&
         IsRegularFile(env.service_account_dir + "/token");
}

core::Result<RestConfig> InClusterRestConfig(const ClusterFlags& flags, const LoadEnvironment& env) {
  auto get = [&](const char* name) { return GetEnv(env, name); };
  std::string host = get("KUBERNETES_SERVICE_HOST");
  std::string port = get("KUBERNETES_SERVICE_PORT");
  const std::string token_path = env.service_account_dir + "/token";
  RestConfig rc;
  rc.server = "https://" + (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" + port;
  rc.origin = "in-cluster service account (" + env.service_account_dir + ")";
  RETURN_IF_ERROR(ApplyCommon(flags, nullptr, rc));
  // A missing or unreadable ca.crt leaves the system trust store in place,
  // as client-go (which only logs it).
  const std::string ca_path = env.service_account_dir + "/ca.crt";
  if (auto ca = io::ReadFile(ca_path); ca.ok()) {
    rc.tls.ca_pem = std::move(ca).value();
    rc.tls.ca_file = ca_path;
  }
  if (!flags.namespace_name.empty()) {
    rc.namespace_name = flags.namespace_name;
    rc.namespace_explicit = true;
  } else if (std::string ns = get("POD_NAMESPACE"); !ns.empty()) {
    rc.namespace_name = ns;
  } else if (auto file = io::ReadFile(env.service_account_dir + "/namespace");
             file.ok() && !core::Trim(*file).empty()) {
    rc.namespace_name = std::string(core::Trim(*file));
  } else {
    rc.namespace_name = "default";
  }
  auto source = MakeTokenFileSource(token_path, Credentials{}, env.now);
  if (auto first = source->Get(); !first.ok()) return first.status();
  rc.credentials = std::move(source);
  return rc;
}

core::Result<RestConfig> BuildRestConfig(const Kubeconfig& config, const ClusterFlags& flags,
                                         const LoadEnvironment& env) {
  const std::string context_name = !flags.context.empty() ? flags.context : config.current_context;
  auto ctx_it = config.contexts.find(context_name);
  if (ctx_it == config.contexts.end()) {
    return core::InvalidArgument(fmt::format("context {} not found in kubeconfig {} (contexts: {})",
                                             core::GoQuote(context_name), FilesText(config), NamesOf(config.contexts)));
  }
  const ContextEntry& ctx = ctx_it->second;
  auto cluster_it = config.clusters.find(ctx.cluster);
  if (cluster_it == config.clusters.end()) {
    return core::InvalidArgument(fmt::format("context {} ({}) refers to cluster {}, which is not in kubeconfig {}",
                                             core::GoQuote(ctx.name), ctx.file, core::GoQuote(ctx.cluster),
                                             FilesText(config)));
  }
  const ClusterEntry& cluster = cluster_it->second;
  const std::string cluster_who = "cluster " + core::GoQuote(cluster.name) + " (" + cluster.file + ")";
  // client-go uses an empty user when the context names one that is absent.
  static const UserEntry kNoUser;
  auto user_it = config.users.find(ctx.user);
  const UserEntry& user = user_it == config.users.end() ? kNoUser : user_it->second;

  RestConfig rc;
  rc.context = ctx.name;
  rc.cluster = cluster.name;
  rc.user = ctx.user;
  rc.origin = "kubeconfig " + FilesText(config) + ", context " + ctx.name;
  RETURN_IF_ERROR(ApplyCommon(flags, &user, rc));
  if (!flags.namespace_name.empty()) {
    rc.namespace_name = flags.namespace_name;
    rc.namespace_explicit = true;
  } else {
    rc.namespace_name = ctx.namespace_name.empty() ? "default" : ctx.namespace_name;
  }

  // TLS
  bool has_ca = !cluster.certificate_authority.empty() || !cluster.certificate_authority_data.empty();
  if (cluster.insecure_skip_tls_verify && has_ca) {
    return core::InvalidArgument(
        fmt::format("{}: insecure-skip-tls-verify cannot be used together with a certificate authority "
                    "(certificate-authority or certificate-authority-data); remove one of them",
                    cluster_who));
  }
  rc.tls.insecure_skip_verify = cluster.insecure_skip_tls_verify;
  rc.tls.server_name = cluster.tls_server_name;
  if (!cluster.certificate_authority_data.empty()) {
    rc.tls.ca_pem = cluster.certificate_authority_data;
  } else if (!cluster.certificate_authority.empty()) {
    RETURN_IF_ERROR(ReadInto(cluster.certificate_authority, "certificate-authority", cluster_who, rc.tls.ca_pem));
    rc.tls.ca_file = cluster.certificate_authority;
  }

  // Server: a scheme is added as client-go does (https when TLS is configured).
  std::string server = cluster.server;
  if (server.empty()) return core::InvalidArgument(fmt::format("{} has no server defined", cluster_who));
  if (server.find("://") == std::string::npos) {
    bool tls = has_ca || cluster.insecure_skip_tls_verify || !cluster.tls_server_name.empty() ||
               !user.client_certificate.empty() || !user.client_certificate_data.empty();
    server = (tls ? "https://" : "http://") + server;
  }
  std::string scheme = ServerScheme(server);
  if (scheme != "https" && scheme != "http") {
    return core::InvalidArgument(
        fmt::format("{}: server {} must be an http or https URL", cluster_who, core::GoQuote(cluster.server)));
  }
  while (server.size() > scheme.size() + 3 && server.back() == '/') server.pop_back();
  rc.server = server;

  // Proxy
  if (!cluster.proxy_url.empty()) {
    std::string ps = ServerScheme(cluster.proxy_url);
    if (ps != "http" && ps != "https" && ps != "socks5") {
      // The URL itself may carry a proxy password: only its scheme is named.
      return core::InvalidArgument(fmt::format("{}: proxy-url scheme {} is not supported; use http, https or socks5",
                                               cluster_who,
                                               ps.empty() ? std::string("(none)") : core::GoQuote(ps.substr(0, 16))));
    }
    rc.proxy_url = cluster.proxy_url;
  }
  rc.disable_compression = cluster.disable_compression;

  ASSIGN_OR_RETURN(rc.credentials, BuildCredentials(user, cluster, rc, flags, env));
  if (scheme == "http" && rc.credentials->Describe() != "no credentials") {
    return core::InvalidArgument(
        fmt::format("refusing to send credentials ({}) of user {} to {}: credentials are sent only over https; "
                    "change the server of {} to https",
                    rc.credentials->Describe(), core::GoQuote(user.name), rc.server, cluster_who));
  }
  return rc;
}

core::Result<RestConfig> LoadRestConfig(const ClusterFlags& flags, const LoadEnvironment& env) {
  ASSIGN_OR_RETURN(Kubeconfig config, LoadKubeconfig(flags.kubeconfig, env));
  const bool no_context = flags.context.empty() && config.current_context.empty();
  if (no_context) {
    if (InClusterPossible(env)) return InClusterRestConfig(flags, env);
    if (config.files.empty()) {
      std::string looked;
      if (auto k = env.getenv ? env.getenv("KUBECONFIG") : std::nullopt; k && !k->empty()) {
        looked = "none of the KUBECONFIG files exist (" + *k + ")";
      } else {
        std::string home = env.getenv ? env.getenv("HOME").value_or("") : "";
        looked = (home.empty() ? std::string("~") : home) + "/.kube/config does not exist";
      }
      return core::IoError(fmt::format(
          "no kubeconfig found: {}, and this is not a pod with a service account (KUBERNETES_SERVICE_HOST unset); "
          "use --kubeconfig or set KUBECONFIG",
          looked));
    }
    return core::InvalidArgument(
        fmt::format("kubeconfig {} has no current-context; choose one with --context "
                    "(contexts: {})",
                    FilesText(config), NamesOf(config.contexts)));
  }
  return BuildRestConfig(config, flags, env);
}

core::Result<RestConfig> LoadRestConfig(const ClusterFlags& flags) {
  return LoadRestConfig(flags, SystemEnvironment());
}

}  // namespace meshctl::kube
