// Port-forward over WebSocket v4.channel.k8s.io (lib/kube/port_forward.h)
// against the fake API server's pods/portforward, which forwards to a TCP
// backend this test runs. The fake's framing is checked against a real
// client (Debian's python3-kubernetes portforward()); the faults of issue
// 11 each give an Unavailable (exit 69) naming the pod and port; a CONNECT
// proxy (tests/kube/connect_proxy.py) carries ordinary requests and
// port-forwards, refuses CONNECT, or drops the WebSocket upgrade.
#include "lib/kube/port_forward.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <thread>

#include <catch2/catch.hpp>

#include "lib/kube/websocket.h"
#include "tests/kube/fake_cluster.h"

namespace meshctl::testing {
namespace {

// A TCP backend on 127.0.0.1:0: reads one HTTP request head per
// connection, answers it with `body` (or only the first half of it when
// `truncate`), then closes.
class HttpBackend {
 public:
  explicit HttpBackend(std::string body, bool truncate = false) : body_(std::move(body)), truncate_(truncate) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  ~HttpBackend() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  int connections() const { return connections_; }
  std::string last_request() const {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  void Loop() {
    while (!stop_) {
      int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      ++connections_;
      std::string req;
      char buf[4096];
      while (req.find("\r\n\r\n") == std::string::npos) {
        ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        req.append(buf, static_cast<size_t>(n));
      }
      {
        std::lock_guard<std::mutex> lock(mu_);
        last_ = req;
      }
      if (!req.empty()) {
        std::string resp =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body_.size()) +
            "\r\nConnection: close\r\n\r\n" + (truncate_ ? body_.substr(0, body_.size() / 2) : body_);
        (void)::send(c, resp.data(), resp.size(), MSG_NOSIGNAL);
      }
      ::close(c);
    }
  }

  std::string body_;
  bool truncate_;
  int fd_ = -1;
  uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  mutable std::mutex mu_;
  std::string last_;
};

// GET `path` from host:port with Connection: close, everything until EOF;
// with `half_close` the request is followed by shutdown(SHUT_WR).
std::string Fetch(const std::string& address, const std::string& path, bool half_close = false) {
  auto colon = address.rfind(':');
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<uint16_t>(std::stoi(address.substr(colon + 1))));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  std::string req = "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
  REQUIRE(::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size()));
  if (half_close) ::shutdown(fd, SHUT_WR);
  std::string out;
  char buf[16384];
  while (true) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

std::string Body(const std::string& response) {
  auto at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

std::string PodsYaml(const std::string& dir) {
  std::string path = dir + "/pods.yaml";
  WriteFile(path,
            "apiVersion: v1\nkind: Pod\nmetadata: {name: productpage-v1-abc, namespace: bookinfo}\n"
            "spec: {containers: [{name: istio-proxy, image: proxyv2}]}\nstatus: {phase: Running}\n---\n"
            "apiVersion: v1\nkind: Pod\nmetadata: {name: reviews-v1-pending, namespace: bookinfo}\n"
            "spec: {containers: [{name: istio-proxy, image: proxyv2}]}\nstatus: {phase: Pending}\n");
  return path;
}

std::unique_ptr<kube::Client> ClientFor(const std::string& kubeconfig, const std::string& timeout = "10s") {
  kube::ClusterFlags flags;
  flags.kubeconfig = kubeconfig;
  flags.request_timeout = timeout;
  auto rc = kube::LoadRestConfig(flags);
  REQUIRE(rc.ok());
  auto c = kube::Client::Create(*rc);
  REQUIRE(c.ok());
  return std::move(*c);
}

const std::string kDump = R"({"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.BootstrapConfigDump"}]})";

std::vector<nlohmann::json> WsSessions(const FakeApiServer& fake) {
  std::vector<nlohmann::json> out;
  for (auto& r : fake.Requests())
    if (r.value("method", "") == "WS") out.push_back(r);
  return out;
}

TEST_CASE("port-forward: meshctl fetches from a pod port through the fake API server", "[kube][portforward]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  std::string big(200000, 'x');  // several frames each way
  HttpBackend backend(kDump + big);
  std::string dir = MakeTempDir();
  FakeApiServer fake({PodsYaml(dir)}, {"--portforward", "bookinfo/productpage-v1-abc:15000=" + backend.address()});
  auto client = ClientFor(fake.WriteKubeconfig());
  auto pf = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15000);
  INFO((pf.ok() ? "" : pf.status().message()));
  REQUIRE(pf.ok());
  CHECK((*pf)->local_address() == "127.0.0.1:" + std::to_string((*pf)->local_port()));
  CHECK((*pf)->target() == "bookinfo/productpage-v1-abc:15000");
  for (int i = 0; i < 3; ++i) {
    std::string resp = Fetch((*pf)->local_address(), "/config_dump?include_eds");
    CHECK(resp.rfind("HTTP/1.1 200 OK", 0) == 0);
    CHECK(Body(resp) == kDump + big);
  }
  CHECK(backend.last_request().rfind("GET /config_dump?include_eds HTTP/1.1\r\n", 0) == 0);
  // The protocol has no half-close: a client that shuts down its sending
  // side after the request still gets the whole answer.
  CHECK(Body(Fetch((*pf)->local_address(), "/half", /*half_close=*/true)) == kDump + big);
  CHECK((*pf)->first_error().ok());
  // Two local connections at once, each its own WebSocket.
  std::string r1, r2;
  std::thread t1([&] { r1 = Fetch((*pf)->local_address(), "/a"); });
  std::thread t2([&] { r2 = Fetch((*pf)->local_address(), "/b"); });
  t1.join();
  t2.join();
  CHECK(Body(r1) == kDump + big);
  CHECK(Body(r2) == kDump + big);
  (*pf)->Stop();

  // The fake saw the upgrades as a real server would: ?ports=, the v4
  // subprotocol, masked frames, the ping answered; the probe is one of them.
  int upgrades = 0;
  for (auto& r : fake.Requests()) {
    if (r.value("path", "") != "/api/v1/namespaces/bookinfo/pods/productpage-v1-abc/portforward") continue;
    if (r.value("method", "") == "GET") {
      ++upgrades;
      CHECK(r["query"]["ports"][0] == "15000");
      CHECK(r["auth"] == "bearer");
    }
  }
  CHECK(upgrades == 7);  // the probe + 6 fetches
  CHECK(Eventually([&] { return WsSessions(fake).size() == 7; }));
  auto sessions = WsSessions(fake);
  REQUIRE(sessions.size() == 7);
  for (auto& s : sessions) {
    CHECK(s["masked"] == true);
    CHECK(s["pong"] == true);
  }
  CHECK(backend.connections() == 7);
}

TEST_CASE("port-forward: the fake's framing is what python3-kubernetes portforward() expects",
          "[kube][portforward][faithful]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  if (std::system("/usr/bin/python3 -c 'import kubernetes.stream' >/dev/null 2>&1") != 0)
    MESHCTL_SKIP("Debian python3-kubernetes is not installed (scripts/install-deps.sh); skipping");
  HttpBackend backend(kDump);
  std::string dir = MakeTempDir();
  FakeApiServer fake({PodsYaml(dir)}, {"--portforward", "bookinfo/productpage-v1-abc:15000=" + backend.address()});
  std::string kc = fake.WriteKubeconfig();
  std::string script = dir + "/pf.py";
  WriteFile(script,
            "import sys\n"
            "from kubernetes import client, config\n"
            "from kubernetes.stream import portforward\n"
            "config.load_kube_config(config_file=sys.argv[1])\n"
            "api = client.CoreV1Api()\n"
            "pf = portforward(api.connect_get_namespaced_pod_portforward, 'productpage-v1-abc', 'bookinfo',\n"
            "                 ports='15000')\n"
            "s = pf.socket(15000)\n"
            "s.setblocking(True)\n"
            "s.sendall(b'GET /config_dump HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n')\n"
            "data = b''\n"
            "while True:\n"
            "    d = s.recv(65536)\n"
            "    if not d: break\n"
            "    data += d\n"
            "print('error', pf.error(15000))\n"
            "sys.stdout.write(data.decode())\n"
            "s.close()\n"
            "pf.close()\n");
  std::string out_file = dir + "/out.txt";
  int rc = std::system(("timeout 60 /usr/bin/python3 " + script + " " + kc + " >" + out_file + " 2>&1").c_str());
  std::string out = ReadFileOrDie(out_file);
  INFO(out);
  REQUIRE(WIFEXITED(rc));
  CHECK(WEXITSTATUS(rc) == 0);
  CHECK(out.find("error None") != std::string::npos);
  CHECK(out.find("HTTP/1.1 200 OK") != std::string::npos);
  CHECK(out.find(kDump) != std::string::npos);
  CHECK(backend.last_request().rfind("GET /config_dump HTTP/1.1\r\n", 0) == 0);
  CHECK(out.find(kFakeToken) == std::string::npos);

  // The same through a refused port: python sees the error-channel text.
  WriteFile(script,
            "import sys\n"
            "from kubernetes import client, config\n"
            "from kubernetes.stream import portforward\n"
            "config.load_kube_config(config_file=sys.argv[1])\n"
            "api = client.CoreV1Api()\n"
            "pf = portforward(api.connect_get_namespaced_pod_portforward, 'productpage-v1-abc', 'bookinfo',\n"
            "                 ports='15999')\n"
            "s = pf.socket(15999)\n"
            "s.setblocking(True)\n"
            "while s.recv(65536): pass\n"
            "print('error', pf.error(15999))\n");
  rc = std::system(("timeout 60 /usr/bin/python3 " + script + " " + kc + " >" + out_file + " 2>&1").c_str());
  out = ReadFileOrDie(out_file);
  INFO(out);
  CHECK(out.find("connection refused") != std::string::npos);
}

TEST_CASE("port-forward: the fake rejects what a real API server rejects", "[kube][portforward][faithful]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  HttpBackend backend(kDump);
  std::string dir = MakeTempDir();
  FakeApiServer fake({PodsYaml(dir)}, {"--portforward", "bookinfo/productpage-v1-abc:15000=" + backend.address()});
  auto client = ClientFor(fake.WriteKubeconfig());
  std::string path = kube::PortForwardPath("bookinfo", "productpage-v1-abc");
  using kube::ws::WebSocket;

  WebSocket::UpgradeFailure f;
  auto no_ports = WebSocket::Dial(*client, path, {"v4.channel.k8s.io"}, std::chrono::seconds(10), &f);
  REQUIRE_FALSE(no_ports.ok());
  CHECK(f.status == 400);
  CHECK_THAT(f.body, Catch::Contains("query parameter \"port\" is required"));

  f = {};
  auto wrong_proto = WebSocket::Dial(*client, path + "?ports=15000", {"v5.bogus.k8s.io"}, std::chrono::seconds(10), &f);
  REQUIRE_FALSE(wrong_proto.ok());
  CHECK(f.status == 403);

  f = {};
  auto ok = WebSocket::Dial(*client, path + "?ports=15000", {"v4.channel.k8s.io"}, std::chrono::seconds(10), &f);
  REQUIRE(ok.ok());
  CHECK((*ok)->protocol() == "v4.channel.k8s.io");
  ok->reset();

  // No credentials: 401, named as such by the forwarder.
  auto anon = ClientFor(fake.WriteKubeconfig("    username: nobody\n    password: wrong\n"));
  f = {};
  auto unauth = WebSocket::Dial(*anon, path + "?ports=15000", {"v4.channel.k8s.io"}, std::chrono::seconds(10), &f);
  REQUIRE_FALSE(unauth.ok());
  CHECK(f.status == 401);
  kube::PortForwardOptions no_check;
  no_check.check_pod = false;
  auto pf = kube::StartPortForward(*anon, "bookinfo", "productpage-v1-abc", 15000, no_check);
  REQUIRE_FALSE(pf.ok());
  CHECK(pf.status().ExitCode() == 69);
  CHECK_THAT(pf.status().message(), Catch::Contains("401") && Catch::Contains("credentials"));
  CHECK_THAT(pf.status().message(), !Catch::Contains("wrong"));

  // A plain GET (no upgrade): the API server's "Upgrade request required".
  kube::ApiRequest get;
  get.path = path;
  get.query = {{"ports", "15000"}};
  auto plain = client->Do(get);
  REQUIRE(plain.ok());
  CHECK(plain->status == 400);
  CHECK_THAT(plain->body, Catch::Contains("Upgrade request required"));
  CHECK(backend.connections() == 1);  // only the accepted upgrade dialed the pod
}

TEST_CASE("port-forward: faults are clear errors with exit 69", "[kube][portforward]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  HttpBackend backend(kDump);
  HttpBackend cut(kDump + std::string(100000, 'z'), /*truncate=*/true);
  std::string dir = MakeTempDir();
  std::string pods = PodsYaml(dir);
  FakeApiServer fake({pods}, {"--portforward", "bookinfo/productpage-v1-abc:15000=" + backend.address(),
                              "--portforward", "bookinfo/productpage-v1-abc:15001=" + cut.address()});
  auto client = ClientFor(fake.WriteKubeconfig());

  SECTION("pod Pending") {
    auto pf = kube::StartPortForward(*client, "bookinfo", "reviews-v1-pending", 15000);
    REQUIRE_FALSE(pf.ok());
    CHECK(pf.status().ExitCode() == 69);
    CHECK_THAT(pf.status().message(), Catch::Contains("bookinfo/reviews-v1-pending") &&
                                          Catch::Contains("not running") && Catch::Contains("Pending"));
    // kubectl checks the pod first: no upgrade was tried.
    for (auto& r : fake.Requests()) CHECK(r.value("path", "").find("portforward") == std::string::npos);
  }
  SECTION("pod missing") {
    auto pf = kube::StartPortForward(*client, "bookinfo", "nope", 15000);
    REQUIRE_FALSE(pf.ok());
    CHECK(pf.status().ExitCode() == 69);
    CHECK_THAT(pf.status().message(), Catch::Contains("bookinfo/nope") && Catch::Contains("not found"));
  }
  SECTION("backend refuses: the error-channel text, at start and on a connection") {
    auto pf = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15999);
    REQUIRE_FALSE(pf.ok());
    CHECK(pf.status().ExitCode() == 69);
    CHECK_THAT(pf.status().message(), Catch::Contains("bookinfo/productpage-v1-abc port 15999") &&
                                          Catch::Contains("connection refused") &&
                                          Catch::Contains("failed to connect to localhost:15999"));
    kube::PortForwardOptions lazy;
    lazy.probe = false;
    auto pf2 = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15999, lazy);
    REQUIRE(pf2.ok());
    CHECK((*pf2)->first_error().ok());
    std::string resp = Fetch((*pf2)->local_address(), "/");
    CHECK(resp.empty());
    // Recorded before the local connection was closed.
    CHECK_THAT((*pf2)->first_error().message(), Catch::Contains("connection refused"));
    CHECK((*pf2)->first_error().ExitCode() == 69);
  }
  SECTION("backend closes mid-response: the client sees the cut, the forward keeps working") {
    auto pf = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15001);
    REQUIRE(pf.ok());
    std::string resp = Fetch((*pf)->local_address(), "/config_dump");
    CHECK(resp.rfind("HTTP/1.1 200 OK", 0) == 0);
    CHECK(Body(resp).size() == (kDump.size() + 100000) / 2);
    resp = Fetch((*pf)->local_address(), "/config_dump");
    CHECK(Body(resp).size() == (kDump.size() + 100000) / 2);
    CHECK((*pf)->first_error().ok());
  }
  SECTION("403 on portforward names the RBAC verbs") {
    FakeApiServer deny({pods}, {"--forbid", "get:pods/portforward"});
    auto c = ClientFor(deny.WriteKubeconfig());
    auto pf = kube::StartPortForward(*c, "bookinfo", "productpage-v1-abc", 15000);
    REQUIRE_FALSE(pf.ok());
    CHECK(pf.status().ExitCode() == 69);
    const std::string& m = pf.status().message();
    CHECK_THAT(m, Catch::Contains("403") && Catch::Contains("pods/portforward") && Catch::Contains("\"create\"") &&
                      Catch::Contains("\"get\"") && Catch::Contains("namespace \"bookinfo\"") &&
                      Catch::Contains("cannot get resource"));
    CHECK(m.find(kFakeToken) == std::string::npos);
  }
  SECTION("upgrade never answered: bounded by --request-timeout") {
    FakeApiServer hang({pods}, {"--slow", "/api/v1/namespaces/bookinfo/pods/productpage-v1-abc/portforward=30"});
    auto c = ClientFor(hang.WriteKubeconfig(), "1s");
    auto t0 = std::chrono::steady_clock::now();
    auto pf = kube::StartPortForward(*c, "bookinfo", "productpage-v1-abc", 15000);
    auto took = std::chrono::steady_clock::now() - t0;
    REQUIRE_FALSE(pf.ok());
    CHECK(pf.status().ExitCode() == 69);
    CHECK_THAT(pf.status().message(),
               Catch::Contains("did not answer the WebSocket upgrade") && Catch::Contains("--request-timeout"));
    CHECK(took < std::chrono::seconds(10));
  }
}

// The CONNECT proxy of tests/kube/connect_proxy.py.
class ConnectProxy {
 public:
  explicit ConnectProxy(std::vector<std::string> extra = {}) {
    log_ = MakeTempDir() + "/proxy.log";
    WriteFile(log_, "");
    std::vector<std::string> argv = {"/usr/bin/python3", SourceDir() + "/tests/kube/connect_proxy.py", "--log", log_};
    for (auto& e : extra) argv.push_back(std::move(e));
    child_ = std::make_unique<ChildProcess>(std::move(argv));
    port_ = child_->WaitFor("PORT");
  }
  std::string url() const { return "http://127.0.0.1:" + port_; }
  std::string log() const { return ReadFileOrDie(log_); }

 private:
  std::string log_, port_;
  std::unique_ptr<ChildProcess> child_;
};

TEST_CASE("proxy-url and HTTPS_PROXY: requests and port-forwards go through a CONNECT proxy",
          "[kube][portforward][proxy]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  HttpBackend backend(kDump);
  std::string dir = MakeTempDir();
  FakeApiServer fake({PodsYaml(dir)}, {"--portforward", "bookinfo/productpage-v1-abc:15000=" + backend.address()});
  std::string host_port = fake.url().substr(std::string("https://").size());
  ConnectProxy proxy;
  std::string ca = "    certificate-authority: " + Certs().ca + "\n";

  SECTION("proxy-url in the kubeconfig") {
    std::string kc = fake.WriteKubeconfig("", ca + "    proxy-url: " + proxy.url() + "\n");
    auto r = RunMeshctl({"analyze", "-n", "bookinfo", "--kubeconfig", kc});
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(proxy.log().find("CONNECT " + host_port) != std::string::npos);
    auto client = ClientFor(kc);
    auto pf = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15000);
    INFO((pf.ok() ? "" : pf.status().message()));
    REQUIRE(pf.ok());
    CHECK(Body(Fetch((*pf)->local_address(), "/config_dump")) == kDump);
  }
  SECTION("HTTPS_PROXY from the environment") {
    std::string kc = fake.WriteKubeconfig();
    auto r = RunMeshctl({"analyze", "-n", "bookinfo", "--kubeconfig", kc});
    CHECK(r.exit_code == 0);
    CHECK(proxy.log().empty());
    ::setenv("HTTPS_PROXY", proxy.url().c_str(), 1);
    ::unsetenv("NO_PROXY");
    ::unsetenv("no_proxy");
    r = RunMeshctl({"analyze", "-n", "bookinfo", "--kubeconfig", kc});
    auto client = ClientFor(kc);
    auto pf = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15000);
    ::unsetenv("HTTPS_PROXY");
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    REQUIRE(pf.ok());
    CHECK(Body(Fetch((*pf)->local_address(), "/config_dump")) == kDump);
    std::string log = proxy.log();
    // meshctl analyze, the pod GET, the probe and the fetch: all CONNECTs.
    size_t n = 0;
    for (size_t at = log.find("CONNECT " + host_port); at != std::string::npos;
         at = log.find("CONNECT " + host_port, at + 1))
      ++n;
    CHECK(n >= 3);
  }
  SECTION("a proxy that refuses CONNECT") {
    ConnectProxy refusing({"--refuse"});
    std::string kc = fake.WriteKubeconfig("", ca + "    proxy-url: " + refusing.url() + "\n");
    auto client = ClientFor(kc);
    kube::PortForwardOptions no_check;
    no_check.check_pod = false;
    auto pf = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15000, no_check);
    REQUIRE_FALSE(pf.ok());
    CHECK(pf.status().ExitCode() == 69);
    CHECK_THAT(pf.status().message(), Catch::Contains("CONNECT with HTTP 403") && Catch::Contains("proxy-url"));
  }
  SECTION("a TLS-inspecting proxy that drops the WebSocket upgrade") {
    ConnectProxy stripping({"--strip-upgrade", "--cert", Certs().server_cert, "--key", Certs().server_key});
    std::string kc = fake.WriteKubeconfig("", ca + "    proxy-url: " + stripping.url() + "\n");
    auto client = ClientFor(kc);
    // Ordinary requests pass...
    auto pod = client->Get("/api/v1/namespaces/bookinfo/pods/productpage-v1-abc", "pods");
    INFO((pod.ok() ? "" : pod.status().message()));
    REQUIRE(pod.ok());
    CHECK(pod->has_value());
    // ...the upgrade does not.
    auto pf = kube::StartPortForward(*client, "bookinfo", "productpage-v1-abc", 15000);
    REQUIRE_FALSE(pf.ok());
    CHECK(pf.status().ExitCode() == 69);
    const std::string& m = pf.status().message();
    CHECK_THAT(m, Catch::Contains("HTTP 400") && Catch::Contains("Upgrade request required") &&
                      Catch::Contains("not a WebSocket upgrade") && Catch::Contains("proxy"));
    CHECK(m.find(kFakeToken) == std::string::npos);
    CHECK(backend.connections() == 0);
  }
}

}  // namespace
}  // namespace meshctl::testing
