#include "lib/kube/auth.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lib/core/base64.h"
#include "lib/core/strings.h"
#include "lib/envoy/certificate.h"

extern char** environ;

namespace meshctl::kube {
namespace {

using TimePoint = std::chrono::system_clock::time_point;

constexpr auto kTokenFileRefresh = std::chrono::minutes(1);
constexpr size_t kMaxPluginOutput = 16 << 20;

std::string DescribeCredentials(const Credentials& c) {
  std::vector<std::string> parts;
  if (!c.bearer_token.empty()) parts.push_back("token");
  if (!c.basic_username.empty() || !c.basic_password.empty()) parts.push_back("basic auth");
  if (!c.client_cert_pem.empty()) parts.push_back("client certificate");
  if (parts.empty()) return "no credentials";
  return core::Join(parts, " and ");
}

class StaticSource : public CredentialSource {
 public:
  explicit StaticSource(Credentials c) : credentials_(std::move(c)) {}
  core::Result<Credentials> Get() override { return credentials_; }
  bool Invalidate() override { return false; }
  std::string Describe() const override { return DescribeCredentials(credentials_); }

 private:
  const Credentials credentials_;
};

class TokenFileSource : public CredentialSource {
 public:
  TokenFileSource(std::string path, Credentials extra, Clock now, Secret initial)
      : path_(std::move(path)), extra_(std::move(extra)), now_(std::move(now)) {
    if (!initial.empty()) {
      token_ = std::move(initial);
      read_at_ = now_();
    }
  }

  core::Result<Credentials> Get() override {
    std::lock_guard<std::mutex> lock(mu_);
    TimePoint now = now_();
    if (token_.empty() || stale_ || !read_at_ || now - *read_at_ >= kTokenFileRefresh) {
      auto read = Read();
      if (read.ok()) {
        token_ = std::move(read).value();
        read_at_ = now;
        stale_ = false;
      } else if (token_.empty()) {
        return read.status();
      }
      // A failed re-read keeps the last good token (client-go does the same);
      // the next Get() tries again.
    }
    Credentials c = extra_;
    c.bearer_token = token_;
    return c;
  }

  bool Invalidate() override {
    std::lock_guard<std::mutex> lock(mu_);
    stale_ = true;
    return true;
  }

  std::string Describe() const override {
    std::string d = "tokenFile " + path_;
    if (!extra_.client_cert_pem.empty()) d += " and client certificate";
    return d;
  }

 private:
  core::Result<Secret> Read() const {
    std::ifstream in(path_, std::ios::binary);
    if (!in) return core::IoError(fmt::format("unable to read tokenFile {}: {}", path_, std::strerror(errno)));
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string text(core::Trim(ss.str()));
    if (text.empty()) return core::IoError(fmt::format("tokenFile {} is empty", path_));
    return Secret(std::move(text));
  }

  const std::string path_;
  const Credentials extra_;
  const Clock now_;
  std::mutex mu_;
  Secret token_;
  std::optional<TimePoint> read_at_;
  bool stale_ = false;
};


// Go's encoding/json decodes []byte fields from standard base64.
std::optional<std::string> DecodeStdBase64(std::string_view s) { return envoy::DecodeBase64(s); }

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

bool ReadDigits(std::string_view s, size_t& pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += n;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

class ExecSource : public CredentialSource {
 public:
  explicit ExecSource(ExecPluginOptions o) : o_(std::move(o)) {}

  core::Result<Credentials> Get() override {
    std::lock_guard<std::mutex> lock(mu_);
    if (cached_ && (!cached_->expiry || o_.now() < *cached_->expiry)) return cached_->credentials;
    cached_.reset();
    ASSIGN_OR_RETURN(ExecCredential cred, Run());
    cached_ = std::move(cred);
    return cached_->credentials;
  }

  bool Invalidate() override {
    std::lock_guard<std::mutex> lock(mu_);
    cached_.reset();
    return true;
  }

  std::string Describe() const override {
    std::string base = o_.command;
    if (auto slash = base.rfind('/'); slash != std::string::npos) base = base.substr(slash + 1);
    return "exec plugin " + base;
  }

 private:
  core::Result<bool> Interactive() const {
    if (o_.interactive_mode == "Never") return false;
    if (o_.interactive_mode == "IfAvailable") return o_.stdin_is_tty && !o_.stdin_in_use;
    // Always
    if (!o_.stdin_is_tty) {
      return core::InvalidArgument(
          fmt::format("exec plugin {} has interactiveMode Always, but standard input is not a terminal", o_.command));
    }
    if (o_.stdin_in_use) {
      return core::InvalidArgument(
          fmt::format("exec plugin {} has interactiveMode Always, but standard input is in use (-f -)", o_.command));
    }
    return true;
  }

  core::Result<ExecCredential> Run() const {
    ASSIGN_OR_RETURN(bool interactive, Interactive());
    std::string info = BuildExecInfo(o_.api_version, interactive, o_.cluster ? &*o_.cluster : nullptr);

    // Environment: the parent's, then exec.env, then KUBERNETES_EXEC_INFO;
    // a later name replaces an earlier one.
    std::vector<std::pair<std::string, std::string>> added = o_.env;
    added.emplace_back("KUBERNETES_EXEC_INFO", info);
    std::vector<std::string> env_strings;
    for (char** e = environ; e && *e; ++e) {
      std::string_view entry(*e);
      std::string_view name = entry.substr(0, entry.find('='));
      bool replaced = false;
      for (const auto& [k, v] : added) replaced = replaced || k == name;
      if (!replaced) env_strings.emplace_back(entry);
    }
    // Of repeated exec.env names, the last wins.
    for (size_t i = 0; i < added.size(); ++i) {
      bool later = false;
      for (size_t j = i + 1; j < added.size(); ++j) later = later || added[j].first == added[i].first;
      if (!later) env_strings.push_back(added[i].first + "=" + added[i].second);
    }
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);

    std::vector<std::string> argv_strings{o_.command};
    argv_strings.insert(argv_strings.end(), o_.args.begin(), o_.args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) {
      return core::Internal(fmt::format("exec plugin {}: pipe: {}", o_.command, std::strerror(errno)));
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (!interactive) posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    if (o_.stderr_fd != 2) posix_spawn_file_actions_adddup2(&actions, o_.stderr_fd, 2);
    pid_t pid = 0;
    int rc = posix_spawnp(&pid, o_.command.c_str(), &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    if (rc != 0) {
      close(out[0]);
      if (rc == ENOENT) {
        std::string msg = fmt::format(
            "exec plugin: executable {} not found\n\n"
            "It looks like the kubeconfig uses a client-go credential plugin that is not installed; see "
            "https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins",
            o_.command);
        if (!o_.install_hint.empty()) msg += "\n\n" + o_.install_hint;
        return core::Unavailable(msg);
      }
      return core::Unavailable(fmt::format("exec plugin: cannot run {}: {}", o_.command, std::strerror(rc)));
    }
    std::string output;
    char buf[8192];
    bool too_big = false;
    for (;;) {
      ssize_t n = read(out[0], buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      if (output.size() + static_cast<size_t>(n) > kMaxPluginOutput) {
        too_big = true;
        break;
      }
      output.append(buf, static_cast<size_t>(n));
    }
    close(out[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) {
      return core::Unavailable(
          fmt::format("exec plugin: executable {} was killed by signal {}", o_.command, WTERMSIG(status)));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
      return core::Unavailable(
          fmt::format("exec plugin: executable {} failed with exit code {}", o_.command, WEXITSTATUS(status)));
    }
    if (too_big) {
      return core::Unavailable(
          fmt::format("exec plugin: executable {} wrote more than {} MB", o_.command, kMaxPluginOutput >> 20));
    }
    auto parsed = ParseExecCredential(output, o_.api_version);
    if (!parsed.ok()) {
      return core::Unavailable(fmt::format("exec plugin {}: {}", o_.command, parsed.status().message()));
    }
    return parsed;
  }

  const ExecPluginOptions o_;
  std::mutex mu_;
  std::optional<ExecCredential> cached_;
};

class OidcSource : public CredentialSource {
 public:
  OidcSource(Secret id_token, std::string user, Clock now)
      : id_token_(std::move(id_token)), user_(std::move(user)), now_(std::move(now)) {}

  core::Result<Credentials> Get() override {
    static constexpr std::string_view kHint =
        "meshctl does not refresh oidc tokens: log in again with your identity provider's tool, or "
        "switch the user to an exec credential plugin such as kubelogin (kubectl oidc-login)";
    if (id_token_.empty()) {
      return core::InvalidArgument(fmt::format("user {}: the oidc auth-provider has no id-token; {}", user_, kHint));
    }
    std::optional<int64_t> exp = JwtExpiry(id_token_.reveal());
    if (!exp) {
      return core::InvalidArgument(
          fmt::format("user {}: the oidc id-token is not a JWT with an exp claim; {}", user_, kHint));
    }
    int64_t now = std::chrono::duration_cast<std::chrono::seconds>(now_().time_since_epoch()).count();
    if (*exp <= now) {
      return core::InvalidArgument(fmt::format("user {}: the oidc id-token has expired; {}", user_, kHint));
    }
    Credentials c;
    c.bearer_token = id_token_;
    return c;
  }
  bool Invalidate() override { return false; }
  std::string Describe() const override { return "oidc id-token"; }

 private:
  const Secret id_token_;
  const std::string user_;
  const Clock now_;
};

}  // namespace

std::shared_ptr<CredentialSource> MakeStaticSource(Credentials credentials) {
  return std::make_shared<StaticSource>(std::move(credentials));
}

std::shared_ptr<CredentialSource> MakeNoCredentialsSource() { return std::make_shared<StaticSource>(Credentials{}); }

std::shared_ptr<CredentialSource> MakeTokenFileSource(std::string path, Credentials extra, Clock now,
                                                      Secret initial_token) {
  return std::make_shared<TokenFileSource>(std::move(path), std::move(extra), std::move(now), std::move(initial_token));
}

std::shared_ptr<CredentialSource> MakeOidcSource(Secret id_token, std::string user, Clock now) {
  return std::make_shared<OidcSource>(std::move(id_token), std::move(user), std::move(now));
}

std::optional<TimePoint> ParseRfc3339(std::string_view s) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(s, pos, 4, year) || !Expect(s, pos, '-') || !ReadDigits(s, pos, 2, month) || !Expect(s, pos, '-') ||
      !ReadDigits(s, pos, 2, day)) {
    return std::nullopt;
  }
  if (pos >= s.size() || (s[pos] != 'T' && s[pos] != 't')) return std::nullopt;
  ++pos;
  if (!ReadDigits(s, pos, 2, hour) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, minute) || !Expect(s, pos, ':') ||
      !ReadDigits(s, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] || (month == 2 && day == 29 && !leap)) return std::nullopt;
  int64_t nanos = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (s[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (size_t i = digits; i < 9; ++i) nanos *= 10;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    int oh, om;
    if (!ReadDigits(s, pos, 2, oh) || !Expect(s, pos, ':') || !ReadDigits(s, pos, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  int64_t secs = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * 86400 + hour * 3600 +
                 minute * 60 + second - offset;
  // system_clock counts nanoseconds in 64 bits (years 1678-2262): a valid
  // RFC 3339 time outside that range (year 9999 for "never") is clamped
  // rather than overflowing.
  const int64_t limit = std::chrono::duration_cast<std::chrono::seconds>(TimePoint::duration::max()).count() - 1;
  if (secs >= limit) return TimePoint::max();
  if (secs <= -limit) return TimePoint::min();
  return TimePoint(
      std::chrono::duration_cast<TimePoint::duration>(std::chrono::seconds(secs) + std::chrono::nanoseconds(nanos)));
}

core::Result<ExecCredential> ParseExecCredential(std::string_view output, std::string_view api_version) {
  nlohmann::json j = nlohmann::json::parse(output.begin(), output.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::DataError("the plugin's output is not a JSON ExecCredential object");
  }
  auto string_field = [](const nlohmann::json& obj, const char* key) -> std::optional<std::string> {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::string();
    if (!it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  auto api = string_field(j, "apiVersion");
  auto kind = string_field(j, "kind");
  if (!api || !kind) return core::DataError("the plugin's output has a non-string apiVersion or kind");
  if (*api != api_version) {
    // Only a recognisable apiVersion (the group and a Kubernetes version
    // such as v1, v1beta1, v2alpha3) is quoted: the output may be anything.
    auto is_version = [](std::string_view v) {
      size_t i = 0;
      auto digits = [&] {
        size_t start = i;
        while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
        return i > start && i - start <= 3;
      };
      if (v.empty() || v[i++] != 'v' || !digits()) return false;
      if (i == v.size()) return true;
      std::string_view rest = v.substr(i);
      for (std::string_view level : {"alpha", "beta"}) {
        if (rest.rfind(level, 0) == 0) {
          i += level.size();
          return digits() && i == v.size();
        }
      }
      return false;
    };
    constexpr std::string_view kGroup = "client.authentication.k8s.io/";
    bool known = api->rfind(kGroup, 0) == 0 && is_version(std::string_view(*api).substr(kGroup.size()));
    std::string got = known ? core::GoQuote(*api) : "an unexpected one";
    return core::DataError(
        fmt::format("exec plugin is configured to use API version {}, plugin returned version {}", api_version, got));
  }
  if (*kind != "ExecCredential") {
    return core::DataError("the plugin's output has kind other than ExecCredential");
  }
  auto status_it = j.find("status");
  if (status_it == j.end() || status_it->is_null()) {
    return core::DataError("the plugin's output has no status field");
  }
  if (!status_it->is_object()) return core::DataError("the plugin's status is not an object");
  const nlohmann::json& status = *status_it;
  auto token = string_field(status, "token");
  auto cert = string_field(status, "clientCertificateData");
  auto key = string_field(status, "clientKeyData");
  auto expiry = string_field(status, "expirationTimestamp");
  if (!token || !cert || !key || !expiry) {
    return core::DataError(
        "the plugin's status has a non-string token, clientCertificateData, "
        "clientKeyData or expirationTimestamp");
  }
  if (cert->empty() != key->empty()) {
    return core::DataError("the plugin returned only one of clientCertificateData and clientKeyData");
  }
  if (token->empty() && cert->empty()) {
    return core::DataError("the plugin returned neither a token nor a client certificate and key");
  }
  ExecCredential out;
  out.credentials.bearer_token = Secret(std::move(*token));
  out.credentials.client_cert_pem = std::move(*cert);
  out.credentials.client_key_pem = Secret(std::move(*key));
  if (!expiry->empty()) {
    out.expiry = ParseRfc3339(*expiry);
    if (!out.expiry) {
      return core::DataError("the plugin's expirationTimestamp is not an RFC 3339 time");
    }
  }
  return out;
}

std::string BuildExecInfo(std::string_view api_version, bool interactive, const ExecClusterInfo* cluster) {
  nlohmann::ordered_json spec = nlohmann::ordered_json::object();
  if (cluster) {
    nlohmann::ordered_json c = nlohmann::ordered_json::object();
    c["server"] = cluster->server;
    if (!cluster->tls_server_name.empty()) c["tls-server-name"] = cluster->tls_server_name;
    if (cluster->insecure_skip_tls_verify) c["insecure-skip-tls-verify"] = true;
    if (!cluster->certificate_authority_data.empty()) {
      c["certificate-authority-data"] = core::EncodeBase64(cluster->certificate_authority_data);
    }
    if (!cluster->proxy_url.empty()) c["proxy-url"] = cluster->proxy_url;
    if (cluster->disable_compression) c["disable-compression"] = true;
    if (!cluster->config_json.empty()) {
      auto cfg = nlohmann::ordered_json::parse(cluster->config_json, nullptr, false);
      if (!cfg.is_discarded()) c["config"] = std::move(cfg);
    }
    spec["cluster"] = std::move(c);
  }
  spec["interactive"] = interactive;
  nlohmann::ordered_json j;
  j["kind"] = "ExecCredential";
  j["apiVersion"] = std::string(api_version);
  j["spec"] = std::move(spec);
  return j.dump();
}

core::Result<std::shared_ptr<CredentialSource>> MakeExecSource(ExecPluginOptions o) {
  if (o.api_version == kExecApiV1Alpha1) {
    return core::InvalidArgument(fmt::format(
        "exec plugin {}: apiVersion {} is no longer supported (removed in Kubernetes 1.24); update the plugin "
        "or the CLI that wrote this kubeconfig (for EKS: a current AWS CLI, then `aws eks update-kubeconfig`) "
        "so that it uses client.authentication.k8s.io/v1beta1 or /v1",
        o.command, o.api_version));
  }
  if (o.api_version != kExecApiV1 && o.api_version != kExecApiV1Beta1) {
    std::string shown = o.api_version.empty() ? "(empty)" : core::GoQuote(o.api_version);
    return core::InvalidArgument(fmt::format(
        "exec plugin {}: invalid apiVersion {}; use client.authentication.k8s.io/v1 or /v1beta1", o.command, shown));
  }
  if (o.command.empty()) return core::InvalidArgument("exec plugin: command must be specified");
  if (o.interactive_mode.empty()) {
    if (o.api_version == kExecApiV1) {
      return core::InvalidArgument(fmt::format(
          "exec plugin {}: interactiveMode must be specified for apiVersion {} (Never, IfAvailable or Always)",
          o.command, o.api_version));
    }
    o.interactive_mode = "IfAvailable";
  }
  if (o.interactive_mode != "Never" && o.interactive_mode != "IfAvailable" && o.interactive_mode != "Always") {
    return core::InvalidArgument(
        fmt::format("exec plugin {}: invalid interactiveMode {}; use Never, IfAvailable or Always", o.command,
                    core::GoQuote(o.interactive_mode)));
  }
  if (!o.now) o.now = [] { return std::chrono::system_clock::now(); };
  return std::shared_ptr<CredentialSource>(std::make_shared<ExecSource>(std::move(o)));
}

std::optional<int64_t> JwtExpiry(std::string_view jwt) {
  size_t first = jwt.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  size_t second = jwt.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::string payload(jwt.substr(first + 1, second - first - 1));
  for (char& c : payload) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
    else if (c == '+' || c == '/')
      return std::nullopt;
  }
  auto decoded = DecodeStdBase64(payload);
  if (!decoded) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(*decoded, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  auto it = j.find("exp");
  if (it == j.end() || !it->is_number()) return std::nullopt;
  double exp = it->get<double>();
  if (!(exp > -1e15 && exp < 1e15)) return std::nullopt;
  return static_cast<int64_t>(exp);
}

}  // namespace meshctl::kube
