#include "lib/kube/kubeconfig.h"

#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <map>

#include <nlohmann/json.hpp>

#include "lib/envoy/certificate.h"
#include "lib/kube/auth.h"
#include "tests/support/test_support.h"

using namespace meshctl;
using namespace meshctl::kube;
namespace fs = std::filesystem;

namespace {

// An environment with only `vars` set and no service account.
LoadEnvironment FakeEnv(std::map<std::string, std::string> vars, std::string sa_dir = "/nonexistent/sa") {
  LoadEnvironment env;
  env.getenv = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
  env.service_account_dir = std::move(sa_dir);
  env.now = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1'800'000'000)); };
  return env;
}

// base64 of "CA-ONE\n" etc. written by hand-picked inputs below.
constexpr const char* kCaTwoB64 = "Q0EtVFdPCg==";  // "CA-TWO\n"

// dir1/a.yaml: empty current-context; ctx-a, cluster c1 (relative CA), user u1.
// dir2/b.yaml: current-context ctx-b; a second ctx-a and c1 and u1 (lose to
// a.yaml's when a.yaml comes first), cluster c2 with CA data, user u2 with
// relative cert/key files, context ctx-c.
void WriteFixture(const std::string& root) {
  testing::WriteFile(root + "/dir1/a.yaml", R"(apiVersion: v1
kind: Config
current-context: ""
preferences: {}
clusters:
- name: c1
  cluster:
    server: https://a.example:6443
    certificate-authority: certs/ca.crt
    extensions:
    - name: client.authentication.k8s.io/exec
      extension: {audience: a}
contexts:
- name: ctx-a
  context:
    cluster: c1
    user: u1
    namespace: ns-a
    extensions:
    - name: something
      extension: {x: 1}
users:
- name: u1
  user:
    token: token-from-a
)");
  testing::WriteFile(root + "/dir1/certs/ca.crt", "CA-ONE\n");
  testing::WriteFile(root + "/dir2/b.yaml", std::string(R"(apiVersion: v1
kind: Config
current-context: ctx-b
clusters:
- name: c1
  cluster:
    server: https://b.example:6443
    tls-server-name: b-name
    certificate-authority: ../dir2/./ca-b.crt
- name: c2
  cluster:
    server: https://c2.example/prefix/
    certificate-authority-data: )") + kCaTwoB64 +
                                                R"(
contexts:
- name: ctx-a
  context:
    cluster: c2
    user: u2
- name: ctx-b
  context:
    cluster: c1
    user: u1
- name: ctx-c
  context:
    cluster: c2
    user: u2
    namespace: ns-c
users:
- name: u1
  user:
    token: token-from-b
- name: u2
  user:
    client-certificate: sub/client.crt
    client-key: sub/client.key
)");
  testing::WriteFile(root + "/dir2/ca-b.crt", "CA-B\n");
  testing::WriteFile(root + "/dir2/sub/client.crt", "CERT-U2\n");
  testing::WriteFile(root + "/dir2/sub/client.key", "KEY-U2\n");
  // JSON is YAML too; its context uses a user defined in another file.
  testing::WriteFile(root + "/dir3/c.json", R"({"apiVersion": "v1", "kind": "Config",
  "current-context": "json-ctx",
  "clusters": [{"name": "jc", "cluster": {"server": "https://json.example:8443/", "insecure-skip-tls-verify": true}}],
  "contexts": [{"name": "json-ctx", "context": {"cluster": "jc", "user": "u1", "namespace": "json-ns"}}]
})");
  testing::WriteFile(root + "/home/.kube/config", R"(apiVersion: v1
kind: Config
current-context: home
clusters:
- name: hc
  cluster: {server: "https://home.example:443", insecure-skip-tls-verify: true}
contexts:
- name: home
  context: {cluster: hc, user: hu, namespace: home-ns}
users:
- name: hu
  user: {username: alice, password: pw-home}
)");
}

// One row: how meshctl (and kubectl) are invoked, and what they must select.
struct Case {
  std::string name;
  std::string kubeconfig_env;  // KUBECONFIG, '@' replaced by the fixture root ("" = unset)
  std::string explicit_file;   // --kubeconfig
  std::string context;         // --context
  std::string namespace_name;  // -n
  // expected
  std::string context_out, cluster_out, user_out, namespace_out, server_out, ca_file_out, ca_pem_out;
  std::string credentials_out;  // Describe()
  std::string tls_server_name_out;
};

std::string Sub(const std::string& s, const std::string& root) {
  std::string out;
  for (char c : s) {
    if (c == '@')
      out += root;
    else
      out += c;
  }
  return out;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> cases = {
      {"several files, empty first current-context: the first non-empty wins", "@/dir1/a.yaml:@/dir2/b.yaml", "", "",
       "", "ctx-b", "c1", "u1", "default", "https://a.example:6443", "@/dir1/certs/ca.crt", "CA-ONE\n", "token", ""},
      {"--context picks a context defined in the first file, with its namespace", "@/dir1/a.yaml:@/dir2/b.yaml", "",
       "ctx-a", "", "ctx-a", "c1", "u1", "ns-a", "https://a.example:6443", "@/dir1/certs/ca.crt", "CA-ONE\n", "token",
       ""},
      {"-n overrides the context's namespace", "@/dir1/a.yaml:@/dir2/b.yaml", "", "ctx-a", "override", "ctx-a", "c1",
       "u1", "override", "https://a.example:6443", "@/dir1/certs/ca.crt", "CA-ONE\n", "token", ""},
      {"reversed order: duplicate entries come whole from the first file (b.yaml)", "@/dir2/b.yaml:@/dir1/a.yaml", "",
       "", "", "ctx-b", "c1", "u1", "default", "https://b.example:6443", "@/dir2/ca-b.crt", "CA-B\n", "token",
       "b-name"},
      {"duplicate context: a.yaml's ctx-a wins over b.yaml's", "@/dir1/a.yaml:@/dir2/b.yaml", "", "ctx-a", "", "ctx-a",
       "c1", "u1", "ns-a", "https://a.example:6443", "@/dir1/certs/ca.crt", "CA-ONE\n", "token", ""},
      {"relative client cert/key paths resolve against the defining file", "@/dir1/a.yaml:@/dir2/b.yaml", "", "ctx-c",
       "", "ctx-c", "c2", "u2", "ns-c", "https://c2.example/prefix", "", "CA-TWO\n", "client certificate", ""},
      {"missing and repeated KUBECONFIG entries are skipped",
       "@/missing.yaml:@/dir2/b.yaml::@/dir2/b.yaml:@/dir1/a.yaml", "", "", "", "ctx-b", "c1", "u1", "default",
       "https://b.example:6443", "@/dir2/ca-b.crt", "CA-B\n", "token", "b-name"},
      {"--kubeconfig is read alone, KUBECONFIG ignored", "@/dir1/a.yaml", "@/dir2/b.yaml", "", "", "ctx-b", "c1", "u1",
       "default", "https://b.example:6443", "@/dir2/ca-b.crt", "CA-B\n", "token", "b-name"},
      {"a JSON kubeconfig whose context names a user from the next file", "@/dir3/c.json:@/dir1/a.yaml", "", "", "",
       "json-ctx", "jc", "u1", "json-ns", "https://json.example:8443", "", "", "token", ""},
      {"no KUBECONFIG: ~/.kube/config", "", "", "", "", "home", "hc", "hu", "home-ns", "https://home.example:443", "",
       "", "basic auth", ""},
  };
  return cases;
}

ClusterFlags FlagsFor(const Case& c, const std::string& root) {
  ClusterFlags f;
  f.kubeconfig = Sub(c.explicit_file, root);
  f.context = c.context;
  f.namespace_name = c.namespace_name;
  return f;
}

LoadEnvironment EnvFor(const Case& c, const std::string& root) {
  std::map<std::string, std::string> vars{{"HOME", root + "/home"}};
  if (!c.kubeconfig_env.empty()) vars["KUBECONFIG"] = Sub(c.kubeconfig_env, root);
  return FakeEnv(vars);
}

// Runs a shell command, returns (exit code, stdout).
std::pair<int, std::string> Shell(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return {-1, ""};
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  int rc = ::pclose(p);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

}  // namespace

TEST_CASE("kubeconfig cases: search, merge, selection, relative paths, namespace", "[kube][kubeconfig]") {
  std::string root = testing::MakeTempDir();
  WriteFixture(root);
  for (const Case& c : Cases()) {
    SECTION(c.name) {
      auto rc = LoadRestConfig(FlagsFor(c, root), EnvFor(c, root));
      REQUIRE(rc.ok());
      CHECK(rc->context == c.context_out);
      CHECK(rc->cluster == c.cluster_out);
      CHECK(rc->user == c.user_out);
      CHECK(rc->namespace_name == c.namespace_out);
      CHECK(rc->namespace_explicit == !c.namespace_name.empty());
      CHECK(rc->server == c.server_out);
      CHECK(rc->tls.ca_file == Sub(c.ca_file_out, root));
      CHECK(rc->tls.ca_pem == c.ca_pem_out);
      CHECK(rc->tls.server_name == c.tls_server_name_out);
      REQUIRE(rc->credentials);
      CHECK(rc->credentials->Describe() == c.credentials_out);
    }
  }
  fs::remove_all(root);
}

TEST_CASE("credentials come from the winning user entry and its files", "[kube][kubeconfig]") {
  std::string root = testing::MakeTempDir();
  WriteFixture(root);
  auto env = FakeEnv({{"KUBECONFIG", root + "/dir1/a.yaml:" + root + "/dir2/b.yaml"}});
  ClusterFlags flags;
  auto b = LoadRestConfig(flags, env);
  REQUIRE(b.ok());
  auto creds = b->credentials->Get();
  REQUIRE(creds.ok());
  CHECK(creds->bearer_token.reveal() == "token-from-a");  // u1 from a.yaml, not b.yaml
  CHECK_FALSE(b->credentials->Invalidate());              // a static token cannot change

  flags.context = "ctx-c";
  auto c = LoadRestConfig(flags, env);
  REQUIRE(c.ok());
  auto cert = c->credentials->Get();
  REQUIRE(cert.ok());
  CHECK(cert->client_cert_pem == "CERT-U2\n");
  CHECK(cert->client_key_pem.reveal() == "KEY-U2\n");
  CHECK(cert->bearer_token.empty());

  auto merged = LoadKubeconfig("", env);
  REQUIRE(merged.ok());
  CHECK(merged->files == std::vector<std::string>{root + "/dir1/a.yaml", root + "/dir2/b.yaml"});
  CHECK(merged->users.at("u2").client_key == root + "/dir2/sub/client.key");
  CHECK(merged->clusters.at("c1").exec_extension_json == R"({"audience":"a"})");
  fs::remove_all(root);
}

TEST_CASE("kubeconfig errors name the context, the file and the position", "[kube][kubeconfig]") {
  std::string root = testing::MakeTempDir();
  WriteFixture(root);
  SECTION("a missing context names it and the files") {
    ClusterFlags flags;
    flags.context = "nope";
    auto r = LoadRestConfig(flags, FakeEnv({{"KUBECONFIG", root + "/dir1/a.yaml"}}));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == core::StatusCode::kInvalidArgument);
    CHECK_THAT(r.status().message(), Catch::Contains("\"nope\"") && Catch::Contains(root + "/dir1/a.yaml") &&
                                         Catch::Contains("contexts: ctx-a"));
  }
  SECTION("a missing --kubeconfig file is an I/O error naming it") {
    ClusterFlags flags;
    flags.kubeconfig = root + "/absent.yaml";
    auto r = LoadRestConfig(flags, FakeEnv({}));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 74);
    CHECK_THAT(r.status().message(), Catch::Contains(root + "/absent.yaml"));
  }
  SECTION("no usable KUBECONFIG entry and no service account") {
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv({{"KUBECONFIG", root + "/x.yaml:" + root + "/y.yaml"}}));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 74);
    CHECK_THAT(r.status().message(), Catch::Contains("x.yaml") && Catch::Contains("KUBERNETES_SERVICE_HOST"));
  }
  SECTION("no current-context and no --context") {
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv({{"KUBECONFIG", root + "/dir1/a.yaml"}}));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("no current-context") && Catch::Contains("ctx-a"));
  }
  SECTION("a YAML syntax error is a DataError with file:line:col") {
    testing::WriteFile(root + "/bad.yaml", "apiVersion: v1\nclusters:\n- name: x\n  cluster: {server: [\n");
    ClusterFlags flags;
    flags.kubeconfig = root + "/bad.yaml";
    auto r = LoadRestConfig(flags, FakeEnv({}));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 65);
    CHECK_THAT(r.status().message(), Catch::StartsWith(root + "/bad.yaml:"));
  }
  SECTION("a wrong type points at the value") {
    testing::WriteFile(root + "/type.yaml",
                       "apiVersion: v1\nclusters:\n- name: x\n  cluster:\n    server: [a]\ncurrent-context: x\n");
    ClusterFlags flags;
    flags.kubeconfig = root + "/type.yaml";
    auto r = LoadRestConfig(flags, FakeEnv({}));
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 65);
    CHECK(r.status().message() == root + "/type.yaml:5:13: clusters[0].cluster.server: expected a string, got list");
  }
  SECTION("a duplicate name in one file") {
    testing::WriteFile(root + "/dup.yaml", "users:\n- name: u\n  user: {}\n- name: u\n  user: {}\n");
    auto r = ParseKubeconfig(testing::ReadFileOrDie(root + "/dup.yaml"), root + "/dup.yaml");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().message() == root + "/dup.yaml:4:9: users[1]: duplicate name \"u\" in users");
  }
  SECTION("a context whose cluster is missing") {
    testing::WriteFile(root + "/nocluster.yaml",
                       "current-context: x\ncontexts:\n- name: x\n  context: {cluster: gone, user: u}\n");
    ClusterFlags flags;
    flags.kubeconfig = root + "/nocluster.yaml";
    auto r = LoadRestConfig(flags, FakeEnv({}));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("cluster \"gone\""));
  }
  fs::remove_all(root);
}

TEST_CASE("cluster and user validation follows client-go", "[kube][kubeconfig]") {
  std::string root = testing::MakeTempDir();
  auto load = [&](const std::string& cluster, const std::string& user) {
    testing::WriteFile(root + "/k.yaml",
                       "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n"
                       "clusters:\n- name: c\n  cluster:\n" +
                           cluster + "users:\n- name: u\n  user:\n" + user);
    ClusterFlags flags;
    flags.kubeconfig = root + "/k.yaml";
    return LoadRestConfig(flags, FakeEnv({}));
  };
  const std::string https = "    server: https://k.example\n";
  SECTION("insecure-skip-tls-verify together with a CA") {
    auto r = load(https + "    insecure-skip-tls-verify: true\n    certificate-authority-data: Q0EK\n", "    {}\n");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("insecure-skip-tls-verify cannot be used together"));
  }
  SECTION("insecure alone, tls-server-name, proxy-url and disable-compression are carried") {
    auto r = load(https +
                      "    insecure-skip-tls-verify: true\n    tls-server-name: inner\n"
                      "    proxy-url: socks5://proxy:1080\n    disable-compression: true\n",
                  "    {}\n");
    REQUIRE(r.ok());
    CHECK(r->tls.insecure_skip_verify);
    CHECK(r->tls.server_name == "inner");
    CHECK(r->proxy_url == "socks5://proxy:1080");
    CHECK(r->disable_compression);
    CHECK(r->credentials->Describe() == "no credentials");
  }
  SECTION("proxy-url with another scheme") {
    auto r = load(https + "    proxy-url: ftp://user:proxypass@p\n", "    {}\n");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("\"ftp\"") && !Catch::Contains("proxypass"));
  }
  SECTION("a server without scheme gets https when TLS is configured, http otherwise") {
    auto tls = load("    server: k.example:6443\n    certificate-authority-data: Q0EK\n", "    {}\n");
    REQUIRE(tls.ok());
    CHECK(tls->server == "https://k.example:6443");
    auto plain = load("    server: k.example:8080\n", "    {}\n");
    REQUIRE(plain.ok());
    CHECK(plain->server == "http://k.example:8080");
  }
  SECTION("credentials to an http server are refused") {
    auto r = load("    server: http://k.example\n", "    token: tok\n");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("only over https") && Catch::Contains("http://k.example"));
  }
  SECTION("a cluster without server") {
    auto r = load("    insecure-skip-tls-verify: true\n", "    {}\n");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("has no server"));
  }
  SECTION("token and basic together") {
    auto r = load(https, "    token: t\n    username: a\n    password: p\n");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("more than one authentication method"));
  }
  SECTION("a client certificate without key") {
    auto r = load(https, "    client-certificate-data: Q0VSVAo=\n");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("client-key-data or client-key must be specified"));
  }
  SECTION("cert data wins over the file; cert + token (AKS) is allowed") {
    auto r = load(https,
                  "    client-certificate-data: Q0VSVAo=\n    client-certificate: /nonexistent/c.crt\n"
                  "    client-key-data: S0VZCg==\n    token: aks\n");
    REQUIRE(r.ok());
    auto c = r->credentials->Get();
    REQUIRE(c.ok());
    CHECK(c->client_cert_pem == "CERT\n");
    CHECK(c->client_key_pem.reveal() == "KEY\n");
    CHECK(c->bearer_token.reveal() == "aks");
    CHECK(r->credentials->Describe() == "token and client certificate");
  }
  SECTION("an unreadable client-key file names it") {
    auto r = load(https, "    client-certificate-data: Q0VSVAo=\n    client-key: keys/missing.key\n");
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 74);
    CHECK_THAT(r.status().message(), Catch::Contains(root + "/keys/missing.key"));
  }
  SECTION("exec together with auth-provider") {
    auto r = load(https,
                  "    exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1}\n"
                  "    auth-provider: {name: oidc}\n");
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("exec and auth-provider"));
  }
  SECTION("exec needs command and apiVersion; v1 needs interactiveMode; v1alpha1 is rejected") {
    auto no_cmd = load(https, "    exec: {apiVersion: client.authentication.k8s.io/v1beta1}\n");
    REQUIRE_FALSE(no_cmd.ok());
    CHECK_THAT(no_cmd.status().message(), Catch::Contains("command must be specified"));
    auto no_api = load(https, "    exec: {command: x}\n");
    REQUIRE_FALSE(no_api.ok());
    CHECK_THAT(no_api.status().message(), Catch::Contains("apiVersion must be specified"));
    auto v1 = load(https, "    exec: {command: x, apiVersion: client.authentication.k8s.io/v1}\n");
    REQUIRE_FALSE(v1.ok());
    CHECK_THAT(v1.status().message(), Catch::Contains("interactiveMode must be specified"));
    auto v1beta1 = load(https, "    exec: {command: x, apiVersion: client.authentication.k8s.io/v1beta1}\n");
    REQUIRE(v1beta1.ok());
    CHECK(v1beta1->credentials->Describe() == "exec plugin x");
    auto alpha = load(https, "    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1alpha1}\n");
    REQUIRE_FALSE(alpha.ok());
    CHECK(alpha.status().code() == core::StatusCode::kInvalidArgument);
    CHECK_THAT(alpha.status().message(), Catch::Contains("v1alpha1") && Catch::Contains("update"));
  }
  SECTION("exec is skipped when the user also has a token") {
    auto r =
        load(https, "    token: t\n    exec: {command: /bin/false, apiVersion: client.authentication.k8s.io/v1}\n");
    REQUIRE(r.ok());
    CHECK(r->credentials->Describe() == "token");
  }
  SECTION("a relative exec command with '/' resolves against the kubeconfig; a bare name does not") {
    testing::WriteFile(root + "/k2.yaml",
                       "users:\n- name: a\n  user:\n    exec: {command: bin/plugin}\n"
                       "- name: b\n  user:\n    exec: {command: plugin}\n");
    auto k = ParseKubeconfig(testing::ReadFileOrDie(root + "/k2.yaml"), root + "/k2.yaml");
    REQUIRE(k.ok());
    CHECK(k->users.at("a").exec->command == root + "/bin/plugin");
    CHECK(k->users.at("b").exec->command == "plugin");
  }
  SECTION("gcp and azure auth-providers name their replacement plugins") {
    auto gcp = load(https, "    auth-provider: {name: gcp, config: {access-token: gcp-secret-token}}\n");
    REQUIRE_FALSE(gcp.ok());
    CHECK_THAT(gcp.status().message(), Catch::Contains("gke-gcloud-auth-plugin"));
    auto azure = load(https, "    auth-provider: {name: azure}\n");
    REQUIRE_FALSE(azure.ok());
    CHECK_THAT(azure.status().message(), Catch::Contains("kubelogin"));
  }
  SECTION("impersonation: --as and --as-group win over the kubeconfig's as/as-groups") {
    auto r = load(https, "    as: kube-user\n    as-groups: [g1, g2]\n");
    REQUIRE(r.ok());
    CHECK(r->impersonate_user == "kube-user");
    CHECK(r->impersonate_groups == std::vector<std::string>{"g1", "g2"});
    ClusterFlags flags;
    flags.kubeconfig = root + "/k.yaml";
    flags.as = "flag-user";
    flags.as_groups = {"fg"};
    auto f = LoadRestConfig(flags, FakeEnv({}));
    REQUIRE(f.ok());
    CHECK(f->impersonate_user == "flag-user");
    CHECK(f->impersonate_groups == std::vector<std::string>{"fg"});
  }
  fs::remove_all(root);
}

TEST_CASE("in-cluster config: service account token, CA and namespace", "[kube][kubeconfig]") {
  std::string root = testing::MakeTempDir();
  std::string sa = root + "/sa";
  testing::WriteFile(sa + "/token", "sa-token\n");
  testing::WriteFile(sa + "/ca.crt", "SA-CA\n");
  testing::WriteFile(sa + "/namespace", "pod-ns\n");
  std::map<std::string, std::string> vars{
      {"KUBERNETES_SERVICE_HOST", "10.0.0.1"}, {"KUBERNETES_SERVICE_PORT", "443"}, {"HOME", root + "/nohome"}};
  SECTION("no kubeconfig: the service account is used") {
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv(vars, sa));
    REQUIRE(r.ok());
    CHECK(r->server == "https://10.0.0.1:443");
    CHECK(r->tls.ca_pem == "SA-CA\n");
    CHECK(r->namespace_name == "pod-ns");
    CHECK(r->context.empty());
    CHECK(r->credentials->Describe() == "tokenFile " + sa + "/token");
    auto c = r->credentials->Get();
    REQUIRE(c.ok());
    CHECK(c->bearer_token.reveal() == "sa-token");
  }
  SECTION("POD_NAMESPACE beats the namespace file, -n beats both") {
    vars["POD_NAMESPACE"] = "env-ns";
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv(vars, sa));
    REQUIRE(r.ok());
    CHECK(r->namespace_name == "env-ns");
    ClusterFlags flags;
    flags.namespace_name = "flag-ns";
    auto f = LoadRestConfig(flags, FakeEnv(vars, sa));
    REQUIRE(f.ok());
    CHECK(f->namespace_name == "flag-ns");
    CHECK(f->namespace_explicit);
  }
  SECTION("an IPv6 service host is bracketed") {
    vars["KUBERNETES_SERVICE_HOST"] = "fd00::1";
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv(vars, sa));
    REQUIRE(r.ok());
    CHECK(r->server == "https://[fd00::1]:443");
  }
  SECTION("a kubeconfig with a current context wins over the service account") {
    testing::WriteFile(root + "/nohome/.kube/config",
                       "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n"
                       "clusters:\n- name: c\n  cluster: {server: 'https://k'}\n");
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv(vars, sa));
    REQUIRE(r.ok());
    CHECK(r->server == "https://k");
  }
  SECTION("KUBECONFIG files without a current-context fall back to the service account") {
    testing::WriteFile(root + "/nocurrent.yaml", "contexts:\n- name: x\n  context: {cluster: c}\n");
    vars["KUBECONFIG"] = root + "/nocurrent.yaml";
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv(vars, sa));
    REQUIRE(r.ok());
    CHECK(r->server == "https://10.0.0.1:443");
    ClusterFlags flags;
    flags.context = "missing";  // an explicit context must exist, pod or not
    CHECK_FALSE(LoadRestConfig(flags, FakeEnv(vars, sa)).ok());
  }
  SECTION("without the token file it is not in-cluster") {
    fs::remove(sa + "/token");
    auto r = LoadRestConfig(ClusterFlags{}, FakeEnv(vars, sa));
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Catch::Contains("no kubeconfig found"));
  }
  fs::remove_all(root);
}

TEST_CASE("request timeouts use kubectl's --request-timeout syntax", "[kube][kubeconfig]") {
  using std::chrono::milliseconds;
  CHECK(ParseRequestTimeout("0").value() == milliseconds(0));
  CHECK(ParseRequestTimeout("30").value() == milliseconds(30000));
  CHECK(ParseRequestTimeout("5s").value() == milliseconds(5000));
  CHECK(ParseRequestTimeout("1m30s").value() == milliseconds(90000));
  CHECK(ParseRequestTimeout("2h").value() == milliseconds(7200000));
  CHECK(ParseRequestTimeout("1.5s").value() == milliseconds(1500));
  CHECK(ParseRequestTimeout("250ms").value() == milliseconds(250));
  CHECK(ParseRequestTimeout("10us").value() == milliseconds(1));
  for (const char* bad : {"", "-1", "-5s", "5x", "s", "1.2.3s", "abc", "5 s"}) {
    INFO(bad);
    auto r = ParseRequestTimeout(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().ExitCode() == 64);
  }
  ClusterFlags flags;
  flags.request_timeout = "7s";
  std::string root = testing::MakeTempDir();
  testing::WriteFile(root + "/k.yaml",
                     "current-context: x\ncontexts:\n- name: x\n  context: {cluster: c}\n"
                     "clusters:\n- name: c\n  cluster: {server: 'https://k'}\n");
  flags.kubeconfig = root + "/k.yaml";
  auto r = LoadRestConfig(flags, FakeEnv({}));
  REQUIRE(r.ok());
  CHECK(r->timeout == milliseconds(7000));
  fs::remove_all(root);
}

// The same table against the real kubectl: `kubectl config view --minify`
// must select the same context, cluster, user, namespace, server and paths.
TEST_CASE("kubeconfig cases agree with kubectl config view --minify", "[kube][kubeconfig][kubectl]") {
  if (Shell("command -v kubectl >/dev/null 2>&1").first != 0) {
    MESHCTL_SKIP("kubectl is not installed: the kubectl oracle for kubeconfig resolution is skipped");
  }
  std::string root = testing::MakeTempDir();
  WriteFixture(root);
  for (const Case& c : Cases()) {
    SECTION(c.name) {
      std::string cmd = "env -i PATH=/usr/bin:/bin HOME=" + root + "/home";
      if (!c.kubeconfig_env.empty()) cmd += " KUBECONFIG=" + Sub(c.kubeconfig_env, root);
      cmd += " kubectl config view --minify --raw -o json";
      if (!c.explicit_file.empty()) cmd += " --kubeconfig " + Sub(c.explicit_file, root);
      if (!c.context.empty()) cmd += " --context " + c.context;
      cmd += " 2>/dev/null";
      auto [code, out] = Shell(cmd);
      REQUIRE(code == 0);
      auto j = nlohmann::json::parse(out, nullptr, false);
      REQUIRE(j.is_object());
      auto rc = LoadRestConfig(FlagsFor(c, root), EnvFor(c, root));
      REQUIRE(rc.ok());
      auto merged = LoadKubeconfig(Sub(c.explicit_file, root), EnvFor(c, root));
      REQUIRE(merged.ok());

      CHECK(j.value("current-context", "") == rc->context);
      REQUIRE(j["contexts"].size() == 1);
      const auto& ctx = j["contexts"][0]["context"];
      CHECK(ctx.value("cluster", "") == rc->cluster);
      CHECK(ctx.value("user", "") == rc->user);
      // kubectl prints the context's own namespace; -n is meshctl's override.
      std::string ns = ctx.value("namespace", "");
      CHECK((c.namespace_name.empty() ? (ns.empty() ? "default" : ns) : c.namespace_name) == rc->namespace_name);
      REQUIRE(j["clusters"].size() == 1);
      const auto& cl = j["clusters"][0]["cluster"];
      std::string server = cl.value("server", "");
      while (server.size() > 8 && server.back() == '/') server.pop_back();
      CHECK(server == rc->server);
      // kubectl prints paths as written; resolved against the defining
      // file's directory they must be the files meshctl read.
      auto resolved = [](std::string path, const std::string& defining_file) {
        if (path.empty() || path.front() == '/') return path;
        return (fs::path(defining_file).parent_path() / path).lexically_normal().string();
      };
      const ClusterEntry& my_cluster = merged->clusters.at(rc->cluster);
      CHECK(resolved(cl.value("certificate-authority", ""), my_cluster.file) == rc->tls.ca_file);
      CHECK(cl.value("tls-server-name", "") == rc->tls.server_name);
      CHECK(cl.value("insecure-skip-tls-verify", false) == rc->tls.insecure_skip_verify);
      REQUIRE(j["users"].size() == 1);
      const auto& user = j["users"][0]["user"];
      const UserEntry& mine = merged->users.at(rc->user);
      CHECK(resolved(user.value("client-certificate", ""), mine.file) == mine.client_certificate);
      CHECK(resolved(user.value("client-key", ""), mine.file) == mine.client_key);
      CHECK(user.value("token", "") == mine.token.reveal());
      CHECK(user.value("username", "") == mine.username);

      // --flatten inlines the CA file: the bytes must be what meshctl read.
      auto [fcode, fout] = Shell(cmd.replace(cmd.find("--raw"), 5, "--raw --flatten"));
      REQUIRE(fcode == 0);
      auto f = nlohmann::json::parse(fout, nullptr, false);
      REQUIRE(f.is_object());
      std::string ca_b64 = f["clusters"][0]["cluster"].value("certificate-authority-data", "");
      CHECK(envoy::DecodeBase64(ca_b64).value_or("<bad base64>") == rc->tls.ca_pem);
      const auto& fuser = f["users"][0]["user"];
      auto creds = rc->credentials->Get();
      REQUIRE(creds.ok());
      CHECK(envoy::DecodeBase64(fuser.value("client-certificate-data", "")).value_or("<bad>") ==
            creds->client_cert_pem);
      CHECK(envoy::DecodeBase64(fuser.value("client-key-data", "")).value_or("<bad>") ==
            creds->client_key_pem.reveal());
    }
  }
  fs::remove_all(root);
}

TEST_CASE("ParseKubeconfig: empty files, unknown fields, a root that is not a map", "[kube][kubeconfig]") {
  auto empty = ParseKubeconfig("", "/x/empty");
  REQUIRE(empty.ok());
  CHECK(empty->contexts.empty());
  CHECK(empty->files == std::vector<std::string>{"/x/empty"});
  auto comments = ParseKubeconfig("# nothing\n---\n", "/x/c");
  REQUIRE(comments.ok());
  auto unknown = ParseKubeconfig(
      "apiVersion: v1\nkind: Config\nfuture-field: {a: 1}\n"
      "clusters:\n- name: c\n  cluster: {server: 'https://s', new-thing: 1}\n",
      "/x/u");
  REQUIRE(unknown.ok());
  CHECK(unknown->clusters.at("c").server == "https://s");
  auto list = ParseKubeconfig("- a\n- b\n", "/x/list");
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().message() == "/x/list:1:1: a kubeconfig must be a map (apiVersion: v1, kind: Config), got list");
  auto bad_b64 = ParseKubeconfig("clusters:\n- name: c\n  cluster: {certificate-authority-data: '%%%'}\n", "/x/b");
  REQUIRE_FALSE(bad_b64.ok());
  CHECK(bad_b64.status().message() == "/x/b:3:41: clusters[0].cluster.certificate-authority-data: not valid base64");
}
