// The fake API server (tests/kube/fake_apiserver.py) as a test fixture:
// certificates made with openssl once per test process (a CA, a server
// certificate for 127.0.0.1/localhost/kubernetes.internal, a client
// certificate with CN cert-user), the server started as a child process on
// a free port, its request log, and a kubeconfig pointing at it.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"
#include "tests/xds/processes.h"

namespace meshctl::testing {

// The test token; tests check it never shows up in any output.
inline constexpr const char* kFakeToken = "meshctl-test-token-8c1f0e2d7b";

struct FakeCerts {
  std::string dir;
  std::string ca, server_cert, server_key, client_cert, client_key;
  std::string other_ca;  // a CA that did not sign the server's certificate
};

inline bool HaveFakeTools() {
  return ::access("/usr/bin/python3", X_OK) == 0 && std::system("command -v openssl >/dev/null 2>&1") == 0;
}

// Leaves a test case that needs the fake API server when its tools are missing.
#define SKIP_WITHOUT_FAKE()                                                                          \
  do {                                                                                               \
    if (!::meshctl::testing::HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl"); \
  } while (0)

inline const FakeCerts& Certs() {
  static FakeCerts c = [] {
    FakeCerts f;
    f.dir = MakeTempDir();
    std::string d = f.dir;
    std::string script =
        "set -e; cd '" + d + "'; "
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt "
        "-subj /CN=fake-ca -days 2; "
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key "
        "-out other.crt -subj /CN=other-ca -days 2; "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key -out server.csr "
        "-subj /CN=localhost; "
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.internal\\n' > ext.cnf; "
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 "
        "-extfile ext.cnf; "
        "openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout client.key -out client.csr "
        "-subj /CN=cert-user; "
        "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2";
    std::string cmd = "sh -c \"" + script + "\" >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    f.ca = d + "/ca.crt";
    f.other_ca = d + "/other.crt";
    f.server_cert = d + "/server.crt";
    f.server_key = d + "/server.key";
    f.client_cert = d + "/client.crt";
    f.client_key = d + "/client.key";
    return f;
  }();
  return c;
}

class FakeApiServer {
 public:
  // `files`: YAML/JSON resources to serve (paths relative to the repo root
  // are fine); `extra`: more fake_apiserver.py flags (--fail, --slow, ...).
  explicit FakeApiServer(std::vector<std::string> files = {}, std::vector<std::string> extra = {}) {
    const FakeCerts& c = Certs();
    dir_ = MakeTempDir();
    record_ = dir_ + "/requests.jsonl";
    std::vector<std::string> argv = {"/usr/bin/python3", SourceDir() + "/tests/kube/fake_apiserver.py",
                                     "--cert", c.server_cert, "--key", c.server_key, "--client-ca", c.ca,
                                     "--token", kFakeToken, "--basic", "admin:basic-pw-5d2a", "--record", record_};
    for (auto& e : extra) argv.push_back(std::move(e));
    for (auto& f : files) argv.push_back(f.empty() || f[0] == '/' ? f : SourceDir() + "/" + f);
    child_ = std::make_unique<ChildProcess>(std::move(argv));
    port_ = child_->WaitFor("PORT");
  }

  std::string url() const { return "https://127.0.0.1:" + port_; }
  const std::string& dir() const { return dir_; }

  // Every request so far, one JSON object each.
  std::vector<nlohmann::json> Requests() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(record_);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
  }
  void ClearRequests() const { std::ofstream(record_, std::ios::trunc); }

  // A kubeconfig for this server with the test token (or other user fields).
  std::string WriteKubeconfig(const std::string& user_yaml = "",
                              const std::string& cluster_extra = "", const std::string& ns = "default") const {
    std::string user = user_yaml.empty() ? std::string("    token: ") + kFakeToken + "\n" : user_yaml;
    std::string cluster = cluster_extra.empty() ? "    certificate-authority: " + Certs().ca + "\n" : cluster_extra;
    std::string text = "apiVersion: v1\nkind: Config\nclusters:\n- name: fake\n  cluster:\n    server: " + url() +
                       "\n" + cluster + "users:\n- name: tester\n  user:\n" + user +
                       "contexts:\n- name: fake\n  context:\n    cluster: fake\n    user: tester\n    namespace: " +
                       ns + "\ncurrent-context: fake\n";
    std::string path = dir_ + "/kubeconfig-" + std::to_string(++kubeconfigs_);
    WriteFile(path, text);
    return path;
  }

 private:
  std::string dir_, record_, port_;
  std::unique_ptr<ChildProcess> child_;
  mutable int kubeconfigs_ = 0;
};

}  // namespace meshctl::testing
