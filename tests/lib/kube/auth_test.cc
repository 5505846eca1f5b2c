#include "lib/kube/auth.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "lib/envoy/certificate.h"
#include "lib/kube/kubeconfig.h"
#include "tests/support/test_support.h"

using namespace meshctl;
using namespace meshctl::kube;
namespace fs = std::filesystem;
using TimePoint = std::chrono::system_clock::time_point;

namespace {

// A clock the test moves by hand.
struct ManualClock {
  std::shared_ptr<TimePoint> t = std::make_shared<TimePoint>(*ParseRfc3339("2027-01-01T00:00:00Z"));
  Clock fn() const {
    auto p = t;
    return [p] { return *p; };
  }
  void Advance(std::chrono::seconds s) { *t += s; }
};

void WriteScript(const std::string& path, const std::string& body) {
  testing::WriteFile(path, "#!/bin/sh\n" + body);
  ::chmod(path.c_str(), 0755);
}

// A plugin that counts its runs in DIR/count and answers token tok-<n>.
std::string CountingPlugin(const std::string& dir, const std::string& api, const std::string& expiry_json) {
  std::string path = dir + "/plugin.sh";
  WriteScript(path, "n=$(cat " + dir + "/count 2>/dev/null || echo 0)\nn=$((n+1))\necho $n > " + dir +
                        "/count\n"
                        "printf '{\"apiVersion\":\"" +
                        api + "\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"tok-%s\"" + expiry_json +
                        "}}' \"$n\"\n");
  return path;
}

int Runs(const std::string& dir) {
  std::string s = testing::ReadFileOrDie(dir + "/count");
  return std::stoi(s);
}

ExecPluginOptions Options(const std::string& command, const ManualClock& clock) {
  ExecPluginOptions o;
  o.api_version = std::string(kExecApiV1);
  o.command = command;
  o.interactive_mode = "Never";
  o.now = clock.fn();
  return o;
}

std::string Jwt(int64_t exp) {
  std::string payload = "{\"sub\":\"me\",\"exp\":" + std::to_string(exp) + "}";
  // base64url without padding, by hand (the test must not trust the code under test).
  static const char* kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  for (; i + 2 < payload.size(); i += 3) {
    uint32_t v = (uint8_t(payload[i]) << 16) | (uint8_t(payload[i + 1]) << 8) | uint8_t(payload[i + 2]);
    for (int k = 18; k >= 0; k -= 6) out += kAlphabet[(v >> k) & 63];
  }
  if (payload.size() - i == 1) {
    uint32_t v = uint8_t(payload[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (payload.size() - i == 2) {
    uint32_t v = (uint8_t(payload[i]) << 16) | (uint8_t(payload[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return "eyJhbGciOiJub25lIn0." + out + ".sig";
}

int64_t Unix(TimePoint t) { return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count(); }

}  // namespace

TEST_CASE("RFC 3339 timestamps", "[kube][auth]") {
  CHECK(Unix(*ParseRfc3339("1970-01-01T00:00:00Z")) == 0);
  CHECK(Unix(*ParseRfc3339("2027-01-01T00:00:00Z")) == 1798761600);
  // Valid times outside system_clock's range clamp instead of overflowing
  // (a fuzz finding: year 1013).
  CHECK(*ParseRfc3339("9999-12-31T23:59:59Z") == TimePoint::max());
  CHECK(*ParseRfc3339("1013-01-02T03:04:05.123+02:00") == TimePoint::min());
  CHECK(Unix(*ParseRfc3339("2027-01-01T01:30:00+01:30")) == 1798761600);
  CHECK(Unix(*ParseRfc3339("2026-12-31T22:00:00-02:00")) == 1798761600);
  CHECK(ParseRfc3339("2027-01-01T00:00:00.5Z")->time_since_epoch() ==
        std::chrono::duration_cast<TimePoint::duration>(std::chrono::milliseconds(1798761600500)));
  CHECK(Unix(*ParseRfc3339("2024-02-29T00:00:00Z")) == 1709164800);
  for (const char* bad :
       {"", "2027-01-01", "2027-01-01 00:00:00Z", "2027-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2027-01-01T00:00:00",
        "2027-01-01T00:00:00Zjunk", "2027-01-01T24:00:00Z", "2027-01-01T00:00:00.Z"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339(bad).has_value());
  }
}

TEST_CASE("ParseExecCredential reads token, certificate and expiry and rejects malformed output", "[kube][auth]") {
  const std::string v1(kExecApiV1);
  auto ok = ParseExecCredential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",
          "status":{"token":"t1","expirationTimestamp":"2027-01-01T00:00:00Z"}})",
      v1);
  REQUIRE(ok.ok());
  CHECK(ok->credentials.bearer_token.reveal() == "t1");
  REQUIRE(ok->expiry);
  CHECK(Unix(*ok->expiry) == 1798761600);

  auto cert = ParseExecCredential(
      R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential",
          "status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}})",
      kExecApiV1Beta1);
  REQUIRE(cert.ok());
  CHECK(cert->credentials.client_cert_pem == "CERT");
  CHECK(cert->credentials.client_key_pem.reveal() == "KEY");
  CHECK(cert->credentials.bearer_token.empty());
  CHECK_FALSE(cert->expiry);

  struct Bad {
    const char* output;
    const char* message;
  };
  const Bad bad[] = {
      {"not json", "not a JSON ExecCredential"},
      {"[1]", "not a JSON ExecCredential"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"x"}})",
       "configured to use API version client.authentication.k8s.io/v1, plugin returned version "
       "\"client.authentication.k8s.io/v1beta1\""},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"Other","status":{"token":"x"}})",
       "kind other than ExecCredential"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential"})", "no status"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}})",
       "neither a token nor"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientCertificateData":"C"}})",
       "only one of"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":5}})",
       "non-string"},
      {R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"x","expirationTimestamp":"soon"}})",
       "not an RFC 3339"},
  };
  for (const Bad& b : bad) {
    INFO(b.output);
    auto r = ParseExecCredential(b.output, v1);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == core::StatusCode::kDataError);
    CHECK_THAT(r.status().message(), Catch::Contains(b.message));
  }
}

TEST_CASE("exec plugin: cached until expiry, re-run after it and after Invalidate", "[kube][auth]") {
  std::string dir = testing::MakeTempDir();
  ManualClock clock;
  std::string plugin = CountingPlugin(dir, std::string(kExecApiV1), R"(,"expirationTimestamp":"2027-01-01T00:10:00Z")");
  auto source = MakeExecSource(Options(plugin, clock));
  REQUIRE(source.ok());
  std::shared_ptr<CredentialSource> s = *source;
  CHECK(s->Describe() == "exec plugin plugin.sh");

  auto first = s->Get();
  REQUIRE(first.ok());
  CHECK(first->bearer_token.reveal() == "tok-1");
  clock.Advance(std::chrono::minutes(9));
  auto cached = s->Get();
  REQUIRE(cached.ok());
  CHECK(cached->bearer_token.reveal() == "tok-1");
  CHECK(Runs(dir) == 1);

  clock.Advance(std::chrono::minutes(1));  // exactly at expiry: expired
  auto refreshed = s->Get();
  REQUIRE(refreshed.ok());
  CHECK(refreshed->bearer_token.reveal() == "tok-2");
  CHECK(Runs(dir) == 2);

  clock.t = std::make_shared<TimePoint>(*ParseRfc3339("2027-01-01T00:00:00Z"));  // not expired, but...
  CHECK(s->Invalidate());                                                        // ... a 401 drops it
  auto after_401 = s->Get();
  REQUIRE(after_401.ok());
  CHECK(after_401->bearer_token.reveal() == "tok-3");
  CHECK(Runs(dir) == 3);
  fs::remove_all(dir);
}

TEST_CASE("exec plugin without expirationTimestamp is cached for the process lifetime", "[kube][auth]") {
  std::string dir = testing::MakeTempDir();
  ManualClock clock;
  auto source = MakeExecSource(Options(CountingPlugin(dir, std::string(kExecApiV1), ""), clock));
  REQUIRE(source.ok());
  REQUIRE((*source)->Get().ok());
  clock.Advance(std::chrono::hours(24 * 365));
  auto again = (*source)->Get();
  REQUIRE(again.ok());
  CHECK(again->bearer_token.reveal() == "tok-1");
  CHECK(Runs(dir) == 1);
  fs::remove_all(dir);
}

TEST_CASE("exec plugin environment: parent env, exec.env and KUBERNETES_EXEC_INFO", "[kube][auth]") {
  std::string dir = testing::MakeTempDir();
  ::setenv("MESHCTL_TEST_PARENT_VAR", "from-parent", 1);
  ::setenv("MESHCTL_TEST_OVERRIDDEN", "parent-value", 1);
  WriteScript(dir + "/bin/info-plugin",
              "printf '%s' \"$KUBERNETES_EXEC_INFO\" > " + dir +
                  "/info.json\n"
                  "echo \"$MESHCTL_TEST_PARENT_VAR $MESHCTL_TEST_OVERRIDDEN $PLUGIN_ARG $1\" > " +
                  dir +
                  "/env.txt\n"
                  "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",\"kind\":\"ExecCredential\","
                  "\"status\":{\"token\":\"t\"}}'\n");
  // The plugin is named relative to the kubeconfig, with provideClusterInfo.
  testing::WriteFile(dir + "/ca.crt", "CA-PEM\n");
  testing::WriteFile(dir + "/kubeconfig", R"(apiVersion: v1
kind: Config
current-context: gke
clusters:
- name: c
  cluster:
    server: https://gke.example/
    certificate-authority: ca.crt
    tls-server-name: inner.example
    proxy-url: http://proxy:3128
    extensions:
    - name: client.authentication.k8s.io/exec
      extension:
        audience: [a, b]
        count: 3
contexts:
- name: gke
  context: {cluster: c, user: u}
users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: ./bin/info-plugin
      args: [first-arg]
      env:
      - {name: PLUGIN_ARG, value: from-exec-env}
      - {name: MESHCTL_TEST_OVERRIDDEN, value: exec-value}
      provideClusterInfo: true
)");
  ClusterFlags flags;
  flags.kubeconfig = dir + "/kubeconfig";
  LoadEnvironment env = SystemEnvironment();
  env.stdin_is_tty = false;
  auto rc = LoadRestConfig(flags, env);
  REQUIRE(rc.ok());
  CHECK(rc->credentials->Describe() == "exec plugin info-plugin");
  auto creds = rc->credentials->Get();
  REQUIRE(creds.ok());
  CHECK(testing::ReadFileOrDie(dir + "/env.txt") == "from-parent exec-value from-exec-env first-arg\n");
  auto info = nlohmann::json::parse(testing::ReadFileOrDie(dir + "/info.json"));
  CHECK(info["apiVersion"] == "client.authentication.k8s.io/v1beta1");
  CHECK(info["kind"] == "ExecCredential");
  CHECK(info["spec"]["interactive"] == false);  // IfAvailable (the v1beta1 default) without a TTY
  const auto& cluster = info["spec"]["cluster"];
  CHECK(cluster["server"] == "https://gke.example/");
  CHECK(cluster["tls-server-name"] == "inner.example");
  CHECK(cluster["proxy-url"] == "http://proxy:3128");
  CHECK(envoy::DecodeBase64(cluster["certificate-authority-data"].get<std::string>()).value() == "CA-PEM\n");
  CHECK(cluster["config"] == nlohmann::json::parse(R"({"audience":["a","b"],"count":3})"));
  CHECK_FALSE(cluster.contains("insecure-skip-tls-verify"));
  ::unsetenv("MESHCTL_TEST_PARENT_VAR");
  ::unsetenv("MESHCTL_TEST_OVERRIDDEN");
  fs::remove_all(dir);
}

TEST_CASE("exec plugin interactivity: Never, IfAvailable, Always", "[kube][auth]") {
  std::string dir = testing::MakeTempDir();
  WriteScript(dir + "/p", "printf '%s' \"$KUBERNETES_EXEC_INFO\" > " + dir +
                              "/info.json\n"
                              "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                              "\"status\":{\"token\":\"t\"}}'\n");
  ManualClock clock;
  auto interactive = [&](std::string mode, bool tty, bool in_use) -> std::optional<bool> {
    ExecPluginOptions o = Options(dir + "/p", clock);
    o.interactive_mode = mode;
    o.stdin_is_tty = tty;
    o.stdin_in_use = in_use;
    auto s = MakeExecSource(o);
    REQUIRE(s.ok());
    auto c = (*s)->Get();
    if (!c.ok()) return std::nullopt;
    auto j = nlohmann::json::parse(testing::ReadFileOrDie(dir + "/info.json"));
    CHECK_FALSE(j["spec"].contains("cluster"));
    return j["spec"]["interactive"].get<bool>();
  };
  CHECK(interactive("Never", true, false) == false);
  CHECK(interactive("IfAvailable", true, false) == true);
  CHECK(interactive("IfAvailable", true, true) == false);  // -f - holds stdin
  CHECK(interactive("IfAvailable", false, false) == false);
  CHECK(interactive("Always", true, false) == true);
  CHECK_FALSE(interactive("Always", false, false).has_value());
  CHECK_FALSE(interactive("Always", true, true).has_value());

  ExecPluginOptions bad = Options(dir + "/p", clock);
  bad.interactive_mode = "Sometimes";
  auto r = MakeExecSource(bad);
  REQUIRE_FALSE(r.ok());
  CHECK_THAT(r.status().message(), Catch::Contains("invalid interactiveMode"));
  fs::remove_all(dir);
}

TEST_CASE("exec plugin failures: missing command with installHint, exit code, stderr passed through, v1alpha1",
          "[kube][auth]") {
  std::string dir = testing::MakeTempDir();
  ManualClock clock;
  SECTION("command not found shows the installHint") {
    ExecPluginOptions o = Options("meshctl-test-no-such-plugin", clock);
    o.install_hint = "Install it with: brew install no-such-plugin";
    auto s = MakeExecSource(o);
    REQUIRE(s.ok());
    auto r = (*s)->Get();
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 69);
    CHECK_THAT(r.status().message(), Catch::Contains("meshctl-test-no-such-plugin not found") &&
                                         Catch::Contains("brew install no-such-plugin"));
  }
  SECTION("a failing plugin's exit code is reported and its stderr passed through") {
    WriteScript(dir + "/fail", "echo 'please log in first' >&2\nexit 3\n");
    int fd = ::open((dir + "/stderr.txt").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    ExecPluginOptions o = Options(dir + "/fail", clock);
    o.stderr_fd = fd;
    auto s = MakeExecSource(o);
    REQUIRE(s.ok());
    auto r = (*s)->Get();
    ::close(fd);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("failed with exit code 3"));
    CHECK(testing::ReadFileOrDie(dir + "/stderr.txt") == "please log in first\n");
  }
  SECTION("v1alpha1 and unknown versions are rejected before running") {
    ExecPluginOptions o = Options(dir + "/never-run", clock);
    o.api_version = std::string(kExecApiV1Alpha1);
    auto r = MakeExecSource(o);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == core::StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("no longer supported") && Catch::Contains("update the plugin"));
    o.api_version = "client.authentication.k8s.io/v2";
    CHECK_FALSE(MakeExecSource(o).ok());
  }
  SECTION("the plugin answering another apiVersion") {
    std::string p = CountingPlugin(dir, std::string(kExecApiV1Beta1), "");
    auto s = MakeExecSource(Options(p, clock));  // configured v1
    REQUIRE(s.ok());
    auto r = (*s)->Get();
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("plugin returned version"));
  }
  fs::remove_all(dir);
}

TEST_CASE("tokenFile is re-read after a minute and after Invalidate; a failed re-read keeps the token",
          "[kube][auth]") {
  std::string dir = testing::MakeTempDir();
  ManualClock clock;
  testing::WriteFile(dir + "/token", "first\n");
  auto s = MakeTokenFileSource(dir + "/token", Credentials{}, clock.fn());
  CHECK(s->Describe() == "tokenFile " + dir + "/token");
  CHECK(s->Get()->bearer_token.reveal() == "first");
  testing::WriteFile(dir + "/token", "second");
  clock.Advance(std::chrono::seconds(59));
  CHECK(s->Get()->bearer_token.reveal() == "first");
  clock.Advance(std::chrono::seconds(1));
  CHECK(s->Get()->bearer_token.reveal() == "second");
  testing::WriteFile(dir + "/token", "third");
  CHECK(s->Get()->bearer_token.reveal() == "second");
  CHECK(s->Invalidate());
  CHECK(s->Get()->bearer_token.reveal() == "third");
  fs::remove(dir + "/token");
  clock.Advance(std::chrono::minutes(5));
  auto kept = s->Get();
  REQUIRE(kept.ok());
  CHECK(kept->bearer_token.reveal() == "third");

  auto missing = MakeTokenFileSource(dir + "/absent", Credentials{}, clock.fn())->Get();
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().ExitCode() == 74);
  CHECK_THAT(missing.status().message(), Catch::Contains(dir + "/absent"));

  // token + tokenFile: the token is used until the first re-read is due.
  testing::WriteFile(dir + "/token", "from-file");
  auto both = MakeTokenFileSource(dir + "/token", Credentials{}, clock.fn(), Secret("inline"));
  CHECK(both->Get()->bearer_token.reveal() == "inline");
  clock.Advance(std::chrono::minutes(1));
  CHECK(both->Get()->bearer_token.reveal() == "from-file");
  fs::remove_all(dir);
}

TEST_CASE("oidc id-token is sent while its exp is in the future", "[kube][auth]") {
  ManualClock clock;
  int64_t now = Unix(*clock.t);
  CHECK(JwtExpiry(Jwt(now + 60)) == now + 60);
  CHECK_FALSE(JwtExpiry("not-a-jwt").has_value());
  auto valid = MakeOidcSource(Secret(Jwt(now + 60)), "alice", clock.fn());
  auto c = valid->Get();
  REQUIRE(c.ok());
  CHECK(c->bearer_token.reveal() == Jwt(now + 60));
  CHECK_FALSE(valid->Invalidate());
  clock.Advance(std::chrono::seconds(60));
  auto expired = valid->Get();
  REQUIRE_FALSE(expired.ok());
  CHECK_THAT(expired.status().message(), Catch::Contains("expired") && Catch::Contains("kubelogin"));
  CHECK_FALSE(MakeOidcSource(Secret("abc"), "alice", clock.fn())->Get().ok());
  CHECK_FALSE(MakeOidcSource(Secret(), "alice", clock.fn())->Get().ok());
}

// Every error path, fed distinctive secrets: none may show up in a Status
// message or a Describe().
TEST_CASE("no secret appears in any message or description", "[kube][auth][secrets]") {
  const std::vector<std::string> secrets = {"TOKEN-S3CRET-7731", "PASSW0RD-S3CRET-2208", "KEY-S3CRET-9182",
                                            "ENV-S3CRET-4410",   "OIDC-S3CRET-5523",     "PROXYPASS-S3CRET-6634",
                                            "GCP-S3CRET-1177"};
  CHECK(fmt::format("{}", Secret(secrets[0])) == "<redacted>");
  std::string dir = testing::MakeTempDir();
  std::vector<std::string> messages;
  auto record = [&](const core::Status& st) {
    if (!st.ok()) messages.push_back(st.message());
  };

  // Kubeconfig-level errors, each with a user holding secrets.
  const std::string base_user = "    token: TOKEN-S3CRET-7731\n";
  struct KCase {
    std::string cluster, user;
  };
  const std::string https = "    server: https://k.example\n";
  const std::vector<KCase> kcases = {
      {"    server: http://k.example\n", base_user},
      {"    server: http://k.example\n", "    username: u\n    password: PASSW0RD-S3CRET-2208\n"},
      {https, base_user + "    username: u\n    password: PASSW0RD-S3CRET-2208\n"},
      {https, "    client-key-data: S0VZLVMzQ1JFVC05MTgy\n"},  // base64 "KEY-S3CRET-9182"
      {https, "    client-certificate: missing.crt\n    client-key-data: S0VZLVMzQ1JFVC05MTgy\n"},
      {https, "    auth-provider: {name: gcp, config: {access-token: GCP-S3CRET-1177}}\n"},
      {https, "    auth-provider: {name: azure, config: {access-token: GCP-S3CRET-1177}}\n"},
      {https, "    auth-provider: {name: other, config: {access-token: GCP-S3CRET-1177}}\n"},
      {https,
       "    exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1, env: [{name: E, value: "
       "ENV-S3CRET-4410}]}\n"},
      {https,
       "    exec: {command: x, apiVersion: client.authentication.k8s.io/v1, env: [{name: E, value: "
       "ENV-S3CRET-4410}]}\n    auth-provider: {name: oidc, config: {id-token: OIDC-S3CRET-5523}}\n"},
      {https + "    proxy-url: gopher://u:PROXYPASS-S3CRET-6634@p\n", base_user},
      {https + "    insecure-skip-tls-verify: true\n    certificate-authority-data: Q0EK\n", base_user},
      {https, "    token: [TOKEN-S3CRET-7731]\n"},
      {https, "    password: {p: PASSW0RD-S3CRET-2208}\n"},
      {https, "    client-key-data: 'KEY-S3CRET-9182!!'\n    client-certificate-data: Q0VSVAo=\n"},
      {https, "    tokenFile: missing-token\n"},
  };
  for (const KCase& k : kcases) {
    testing::WriteFile(dir + "/k.yaml",
                       "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n"
                       "clusters:\n- name: c\n  cluster:\n" +
                           k.cluster + "users:\n- name: u\n  user:\n" + k.user);
    ClusterFlags flags;
    flags.kubeconfig = dir + "/k.yaml";
    auto r = LoadRestConfig(flags, SystemEnvironment());
    INFO(k.cluster << k.user);
    CHECK_FALSE(r.ok());
    record(r.status());
  }
  // A valid config: its Describe() and origin.
  testing::WriteFile(dir + "/ok.yaml",
                     "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n"
                     "clusters:\n- name: c\n  cluster:\n" +
                         https + "users:\n- name: u\n  user:\n" + base_user +
                         "    client-certificate-data: Q0VSVAo=\n"
                         "    client-key-data: S0VZLVMzQ1JFVC05MTgy\n");
  ClusterFlags ok_flags;
  ok_flags.kubeconfig = dir + "/ok.yaml";
  auto ok = LoadRestConfig(ok_flags, SystemEnvironment());
  REQUIRE(ok.ok());
  messages.push_back(ok->credentials->Describe());
  messages.push_back(ok->origin);

  // Exec plugins whose output carries secrets but is wrong in another way.
  ManualClock clock;
  const std::vector<std::string> outputs = {
      R"({"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"TOKEN-S3CRET-7731"}})",
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"TOKEN-S3CRET-7731","status":{"token":"TOKEN-S3CRET-7731"}})",
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"TOKEN-S3CRET-7731","expirationTimestamp":"TOKEN-S3CRET-7731"}})",
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"clientKeyData":"KEY-S3CRET-9182"}})",
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"TOKEN-S3CRET-7731")",
      R"(TOKEN-S3CRET-7731)",
      R"({"apiVersion":"TOKEN-S3CRET-7731","kind":"ExecCredential","status":{"token":"TOKEN-S3CRET-7731"}})",
  };
  for (size_t i = 0; i < outputs.size(); ++i) {
    testing::WriteFile(dir + "/out" + std::to_string(i) + ".json", outputs[i]);
    record(ParseExecCredential(outputs[i], kExecApiV1).status());
    WriteScript(dir + "/plugin" + std::to_string(i), "cat " + dir + "/out" + std::to_string(i) + ".json\n");
    ExecPluginOptions o = Options(dir + "/plugin" + std::to_string(i), clock);
    o.env = {{"E", "ENV-S3CRET-4410"}};
    auto s = MakeExecSource(o);
    REQUIRE(s.ok());
    record((*s)->Get().status());
    messages.push_back((*s)->Describe());
  }
  // A plugin that prints a token and then fails.
  WriteScript(dir + "/fails", "echo '{\"status\":{\"token\":\"TOKEN-S3CRET-7731\"}}'\nexit 2\n");
  int devnull = ::open("/dev/null", O_WRONLY);
  ExecPluginOptions fo = Options(dir + "/fails", clock);
  fo.stderr_fd = devnull;
  auto fails = MakeExecSource(fo);
  REQUIRE(fails.ok());
  record((*fails)->Get().status());
  ::close(devnull);
  // oidc with an expired, and with a non-JWT, secret token.
  record(MakeOidcSource(Secret("OIDC-S3CRET-5523"), "u", clock.fn())->Get().status());
  record(MakeOidcSource(Secret("a.OIDC-S3CRET-5523.b"), "u", clock.fn())->Get().status());
  // tokenFile: empty, and a directory.
  testing::WriteFile(dir + "/empty-token", "  \n");
  record(MakeTokenFileSource(dir + "/empty-token", Credentials{}, clock.fn())->Get().status());
  messages.push_back(MakeStaticSource(ok->credentials->Get().value())->Describe());

  CHECK(messages.size() >= 30);
  for (const std::string& m : messages) {
    for (const std::string& s : secrets) {
      INFO(m);
      CHECK(m.find(s) == std::string::npos);
    }
    CHECK(m.find("S3CRET") == std::string::npos);
  }
  fs::remove_all(dir);
}

// kubectl runs the plugin before it dials: with a server on a closed port and
// a proxy on another, both clients hand the same KUBERNETES_EXEC_INFO to the
// same plugin without any network server.
TEST_CASE("KUBERNETES_EXEC_INFO agrees with kubectl's", "[kube][auth][kubectl]") {
  if (std::system("command -v kubectl >/dev/null 2>&1") != 0) {
    MESHCTL_SKIP("kubectl is not installed: the kubectl oracle for KUBERNETES_EXEC_INFO is skipped");
  }
  std::string dir = testing::MakeTempDir();
  if (std::system(("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=test-ca "
                   "-days 1 -keyout " +
                   dir + "/ca.key -out " + dir + "/ca.crt >/dev/null 2>&1")
                      .c_str()) != 0) {
    fs::remove_all(dir);
    MESHCTL_SKIP("openssl cannot make a CA: the kubectl oracle for KUBERNETES_EXEC_INFO is skipped");
  }
  WriteScript(dir + "/plugin",
              "printf '%s' \"$KUBERNETES_EXEC_INFO\" > \"$MESHCTL_TEST_INFO_OUT\"\n"
              "printf '{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"t\"}}' "
              "\"$1\"\n");
  for (const std::string& api : {std::string(kExecApiV1), std::string(kExecApiV1Beta1)}) {
    SECTION(api) {
      testing::WriteFile(dir + "/kubeconfig",
                         "apiVersion: v1\nkind: Config\ncurrent-context: x\n"
                         "contexts:\n- name: x\n  context: {cluster: c, user: u}\n"
                         "clusters:\n- name: c\n  cluster:\n"
                         "    server: https://127.0.0.1:1/prefix/\n"
                         "    certificate-authority: ca.crt\n"
                         "    tls-server-name: inner.example\n"
                         "    proxy-url: http://127.0.0.1:2\n"
                         "    disable-compression: true\n"
                         "    extensions:\n    - name: client.authentication.k8s.io/exec\n"
                         "      extension: {audience: [a, b], count: 3, nested: {t: true}}\n"
                         "    - name: other\n      extension: {ignored: 1}\n"
                         "users:\n- name: u\n  user:\n    exec:\n"
                         "      apiVersion: " +
                             api +
                             "\n"
                             "      command: ./plugin\n      args: [" +
                             api +
                             "]\n"
                             "      interactiveMode: Never\n      provideClusterInfo: true\n");
      std::string kubectl_out = dir + "/kubectl.json";
      std::string mine_out = dir + "/meshctl.json";
      std::string cmd = "cd " + dir + " && env -i PATH=/usr/bin:/bin HOME=" + dir +
                        " MESHCTL_TEST_INFO_OUT=" + kubectl_out + " timeout 60 kubectl --kubeconfig " + dir +
                        "/kubeconfig get --raw /version </dev/null >/dev/null 2>&1";
      (void)std::system(cmd.c_str());  // fails to connect, after running the plugin
      ::setenv("MESHCTL_TEST_INFO_OUT", mine_out.c_str(), 1);
      ClusterFlags flags;
      flags.kubeconfig = dir + "/kubeconfig";
      auto rc = LoadRestConfig(flags, SystemEnvironment());
      REQUIRE(rc.ok());
      auto creds = rc->credentials->Get();
      ::unsetenv("MESHCTL_TEST_INFO_OUT");
      REQUIRE(creds.ok());
      REQUIRE(fs::exists(kubectl_out));
      auto theirs = nlohmann::json::parse(testing::ReadFileOrDie(kubectl_out), nullptr, false);
      auto mine = nlohmann::json::parse(testing::ReadFileOrDie(mine_out), nullptr, false);
      REQUIRE(theirs.is_object());
      CHECK(mine == theirs);
      CHECK(mine["spec"]["cluster"]["server"] == "https://127.0.0.1:1/prefix/");
    }
  }
  fs::remove_all(dir);
}
