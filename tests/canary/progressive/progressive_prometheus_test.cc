// The progressive canary end to end: meshctl runs a plan against the fake
// API server while a real Prometheus (/usr/bin/prometheus, started here on
// 127.0.0.1 with a temporary data directory and a 1 s scrape interval)
// scrapes istio_exporter.py, whose canary traffic follows the weight the
// fake server stored. Every stored apply is in the fake server's apply log:
// the tests assert the exact sequence of canary weights.
//
// Tagged [slow] (three test cases of 15-30 s that ctest runs side by side)
// and run in the release build only: the sanitizer build runs the same
// state machine in progressive_test.cc.
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/io/http_client.h"
#include "tests/kube/fake_cluster.h"
#include "tests/support/test_support.h"
#include "tests/xds/processes.h"

#if defined(__SANITIZE_ADDRESS__)
#define MESHCTL_PROGRESSIVE_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESHCTL_PROGRESSIVE_SANITIZED 1
#endif
#endif

namespace meshctl::testing {
namespace {

using namespace std::chrono_literals;

constexpr const char* kPrometheus = "/usr/bin/prometheus";

// A child with its output in files, signalled and reaped by the test; it
// gets SIGTERM when the test process dies.
class Process {
 public:
  Process(std::vector<std::string> argv, const std::string& dir) {
    out_ = dir + "/stdout";
    err_ = dir + "/stderr";
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      int devnull = ::open("/dev/null", O_RDONLY);
      int out = ::open(out_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      int err = ::open(err_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(devnull, 0);
      ::dup2(out, 1);
      ::dup2(err, 2);
      ::chdir(SourceDir().c_str());
      std::vector<char*> args;
      for (auto& a : argv) args.push_back(a.data());
      args.push_back(nullptr);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
  }
  ~Process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  void Signal(int sig) const {
    if (pid_ > 0) ::kill(pid_, sig);
  }
  // The exit code (128 + signal when killed); -1 after `timeout`.
  int Wait(std::chrono::milliseconds timeout = 60s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (pid_ > 0) {
      int st = 0;
      if (::waitpid(pid_, &st, WNOHANG) == pid_) {
        pid_ = -1;
        code_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        break;
      }
      if (std::chrono::steady_clock::now() > deadline) return -1;
      std::this_thread::sleep_for(20ms);
    }
    return code_;
  }
  std::string Out() const { return ReadFileOrDie(out_); }
  std::string Err() const { return ReadFileOrDie(err_); }

 private:
  pid_t pid_ = -1;
  int code_ = -1;
  std::string out_, err_;
};

int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  int port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

std::string Get(const std::string& url) {
  auto http = io::NewCurlHttpClient();
  io::HttpRequest req;
  req.url = url;
  req.timeout = 2s;
  auto r = http->Do(req);
  return r.ok() && r->status == 200 ? r->body : "";
}

// Prometheus scraping the exporter every second.
class Prometheus {
 public:
  explicit Prometheus(const std::string& exporter_port) {
    dir_ = MakeTempDir();
    port_ = std::to_string(FreePort());
    WriteFile(dir_ + "/prometheus.yml",
              "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n- job_name: istio\n"
              "  static_configs:\n  - targets: ['127.0.0.1:" + exporter_port + "']\n");
    proc_ = std::make_unique<Process>(
        std::vector<std::string>{kPrometheus, "--config.file=" + dir_ + "/prometheus.yml",
                                 "--storage.tsdb.path=" + dir_ + "/data", "--web.listen-address=127.0.0.1:" + port_,
                                 "--log.level=warn"},
        dir_);
    // Ready once the exporter has been scraped.
    bool up = Eventually(
        [&] {
          std::string body = Get(url() + "/api/v1/query?query=up%7Bjob%3D%22istio%22%7D%3D%3D1");
          return body.find("\"value\"") != std::string::npos;
        },
        30s);
    if (!up) FAIL("Prometheus did not come up: " << proc_->Err());
  }
  std::string url() const { return "http://127.0.0.1:" + port_; }
  void Stop() {
    proc_->Signal(SIGKILL);
    proc_->Wait();
  }

 private:
  std::string dir_, port_;
  std::unique_ptr<Process> proc_;
};

// The exporter and one Prometheus for every scenario of this process; a
// scenario points the exporter at its own fake API server's apply log.
struct Metrics {
  std::string scenario;
  std::string exporter_port;
  std::unique_ptr<ChildProcess> exporter;
  std::unique_ptr<Prometheus> prometheus;
};

Metrics& SharedMetrics() {
  static Metrics m = [] {
    Metrics x;
    x.scenario = MakeTempDir() + "/scenario.json";
    WriteFile(x.scenario, "{}");
    x.exporter = std::make_unique<ChildProcess>(
        std::vector<std::string>{"/usr/bin/python3", SourceDir() + "/tests/canary/progressive/istio_exporter.py",
                                 "--scenario", x.scenario});
    x.exporter_port = x.exporter->WaitFor("PORT");
    x.prometheus = std::make_unique<Prometheus>(x.exporter_port);
    return x;
  }();
  return m;
}

// One scenario's cluster: the fake API server with reviews v1/v2 and the
// production routing, and the exporter following it.
struct Scenario {
  std::string dir = MakeTempDir();
  std::string apply_log = dir + "/applies.jsonl";
  std::unique_ptr<FakeApiServer> fake;
  std::string kubeconfig;

  explicit Scenario(const std::string& canary_behaviour, int ready_v2 = 2) {
    std::string cluster = ReadFileOrDie(SourceDir() + "/tests/canary/progressive/cluster.yaml");
    cluster.replace(cluster.find("READY_V2"), 8, std::to_string(ready_v2));
    WriteFile(dir + "/cluster.yaml", cluster);
    fake = std::make_unique<FakeApiServer>(
        std::vector<std::string>{dir + "/cluster.yaml", "testdata/canary/walkthrough/traffic.yaml"},
        std::vector<std::string>{"--apply-log", apply_log});
    kubeconfig = fake->WriteKubeconfig("", "", "bookinfo");
    WriteFile(SharedMetrics().scenario, "{\"apply_log\": \"" + apply_log + "\", " + canary_behaviour + "}");
  }
  ~Scenario() { WriteFile(SharedMetrics().scenario, "{}"); }

  std::vector<std::string> Args(std::vector<std::string> extra) const {
    std::vector<std::string> a = {MESHCTL_BINARY, "canary", "reviews", "--kubeconfig", kubeconfig};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }

  // The canary weight of every stored VirtualService apply, repeats (state
  // updates at the same weight) folded.
  std::vector<int> Weights() const {
    std::vector<int> out;
    std::ifstream in(apply_log);
    std::string line;
    while (std::getline(in, line)) {
      auto obj = nlohmann::json::parse(line);
      if (obj["kind"] != "VirtualService") continue;
      int w = 0;
      for (const auto& r : obj["spec"]["http"][0]["route"])
        if (r["destination"].value("subset", "") == "v2") w = r.value("weight", 0);
      if (out.empty() || out.back() != w) out.push_back(w);
    }
    return out;
  }

  // The state annotation of the last stored VirtualService.
  nlohmann::json State() const {
    nlohmann::json last;
    std::ifstream in(apply_log);
    std::string line;
    while (std::getline(in, line)) {
      auto obj = nlohmann::json::parse(line);
      if (obj["kind"] == "VirtualService") last = obj;
    }
    if (last.is_null()) return last;
    return nlohmann::json::parse(last["metadata"]["annotations"]["meshctl.io/canary-state"].get<std::string>());
  }

  size_t Applies() const {
    std::ifstream in(apply_log);
    size_t n = 0;
    std::string line;
    while (std::getline(in, line)) n += line.find("\"VirtualService\"") != std::string::npos;
    return n;
  }
};

std::vector<std::string> Checks(const std::string& prometheus) {
  return {"--prometheus", prometheus, "--interval", "3s", "--min-requests", "5", "--min-success-rate", "95",
          "--max-latency-p99", "500ms"};
}

const char* kHealthy = "\"rps\": 100, \"default\": {\"errors\": 0, \"latency_ms\": 40}";

void CheckNoToken(const Process& p) {
  CHECK(p.Out().find(kFakeToken) == std::string::npos);
  CHECK(p.Err().find(kFakeToken) == std::string::npos);
}

bool Skip() {
  if (::access(kPrometheus, X_OK) != 0) {
    WARN("skipped: needs /usr/bin/prometheus (Debian package prometheus; scripts/install-deps.sh installs it)");
    return true;
  }
  if (!HaveFakeTools()) {
    WARN("skipped: needs /usr/bin/python3 and openssl");
    return true;
  }
#ifdef MESHCTL_PROGRESSIVE_SANITIZED
  WARN("skipped in the sanitizer build: the release build runs it (progressive_test.cc covers the runner here)");
  return true;
#endif
  return false;
}

// One process (one Prometheus) per test case: ctest runs them side by side.
TEST_CASE("progressive canary with Prometheus: promotion, resume, a concurrent run",
          "[canary][progressive][slow]") {
  if (Skip()) return;
  Metrics& m = SharedMetrics();
  std::vector<std::string> steps = {"--steps", "5,25,50,100", "--apply"};

  SECTION("a healthy canary is promoted through every step") {
    Scenario s(kHealthy);
    auto args = s.Args(steps);
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    args.insert(args.end(), {"-o", "json"});
    Process run(args, s.dir);
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CheckNoToken(run);
    REQUIRE(code == 0);
    CHECK(s.Weights() == std::vector<int>{5, 25, 50, 100});
    CHECK(s.State()["phase"] == "Promoted");
    // JSON lines: four passed rounds, then the promotion.
    int passed = 0;
    std::string last;
    std::istringstream lines(run.Out());
    for (std::string line; std::getline(lines, line);) {
      auto j = nlohmann::json::parse(line);
      if (j["event"] == "step-checked") {
        CHECK(j["verdict"] == "passed");
        CHECK(j["successRate"].get<double>() == Approx(100));
        CHECK(j["latencyP99Ms"].get<double>() < 500);
        ++passed;
      }
      last = j["event"];
    }
    CHECK(passed == 4);
    CHECK(last == "promoted");
    // A re-run of the same pipeline changes nothing.
    Process again(args, MakeTempDir());
    CHECK(again.Wait() == 0);
    CHECK(again.Out().find("already promoted") != std::string::npos);
    CHECK(s.Weights() == std::vector<int>{5, 25, 50, 100});
  }

  SECTION("resume after Ctrl-C; a concurrent run is refused") {
    Scenario s(kHealthy);
    auto args = s.Args(steps);
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    {
      Process run(args, s.dir);
      REQUIRE(Eventually([&] { return s.Applies() >= 1; }, 20s));
      // While it runs, a second run is refused and changes nothing.
      std::string dir2 = MakeTempDir();
      Process second(args, dir2);
      CHECK(second.Wait() == 69);
      CHECK(second.Err().find("another canary run holds VirtualService bookinfo/reviews") != std::string::npos);
      CHECK(second.Err().find("--abort") != std::string::npos);
      run.Signal(SIGINT);  // stops after the current step
      int code = run.Wait();
      INFO(run.Out() << run.Err());
      CHECK(code == 130);
      CHECK(run.Out().find("stopped after step 1 (5%, checks passed)") != std::string::npos);
      CHECK(run.Out().find("--abort") != std::string::npos);
    }
    CHECK(s.Weights() == std::vector<int>{5});
    CHECK(s.State()["phase"] == "Paused");
    {
      Process run(args, s.dir);
      int code = run.Wait();
      INFO(run.Out() << run.Err());
      CHECK(code == 0);
      CHECK(run.Out().find("resuming run") != std::string::npos);
    }
    CHECK(s.Weights() == std::vector<int>{5, 25, 50, 100});
    CHECK(s.State()["phase"] == "Promoted");
  }
}

// One process (one Prometheus) per test case: ctest runs them side by side.
TEST_CASE("progressive canary with Prometheus: rollbacks on 5xx, latency and a custom check",
          "[canary][progressive][slow]") {
  if (Skip()) return;
  Metrics& m = SharedMetrics();
  std::vector<std::string> steps = {"--steps", "5,25,50,100", "--apply"};

  SECTION("a 5xx burst at step 2 rolls back to 0% and fails the run") {
    Scenario s(std::string(kHealthy) + ", \"weights\": {\"25\": {\"errors\": 0.5}}");
    auto args = s.Args(steps);
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    Process run(args, s.dir);
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CHECK(code == 79);
    CHECK(s.Weights() == std::vector<int>{5, 25, 0});
    CHECK(s.State()["phase"] == "RolledBack");
    CHECK(run.Out().find("step 2/4 (25%): failed") != std::string::npos);
    CHECK(run.Out().find("is below --min-success-rate 95%") != std::string::npos);
    CHECK(run.Out().find("response_code!~\"5..\"") != std::string::npos);  // names the query
  }

  SECTION("a latency breach rolls back") {
    Scenario s(std::string(kHealthy) + ", \"weights\": {\"50\": {\"latency_ms\": 900}}");
    auto args = s.Args(steps);
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    Process run(args, s.dir);
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CHECK(code == 79);
    CHECK(s.Weights() == std::vector<int>{5, 25, 50, 0});
    CHECK(run.Out().find("is above --max-latency-p99 500ms") != std::string::npos);
  }

  SECTION("a custom check fails the step it does not hold for") {
    Scenario s(kHealthy);
    auto args = s.Args({"--steps", "10,100", "--apply"});
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    args.insert(args.end(), {"--check", "canary-rps=sum(rate(istio_requests_total{reporter=\"destination\","
                                        "destination_workload=\"{{workload}}\"}[{{interval}}])) < 1"});
    Process run(args, s.dir);
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CHECK(code == 79);
    CHECK(s.Weights() == std::vector<int>{10, 0});
    CHECK(run.Out().find("check canary-rps:") != std::string::npos);
    CHECK(run.Out().find("destination_workload=\"reviews-v2\"}[3s]") != std::string::npos);
  }
}

// One process (one Prometheus) per test case: ctest runs them side by side.
TEST_CASE("progressive canary with Prometheus: not enough traffic, --abort, Prometheus down, readiness",
          "[canary][progressive][slow]") {
  if (Skip()) return;
  Metrics& m = SharedMetrics();
  std::vector<std::string> steps = {"--steps", "5,25,50,100", "--apply"};

  SECTION("too little traffic is not judged, and rolls back after --inconclusive-limit checks") {
    Scenario s("\"rps\": 1, \"default\": {\"errors\": 0, \"latency_ms\": 40}");
    auto args = s.Args(steps);
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    args.insert(args.end(), {"--inconclusive-limit", "2"});
    Process run(args, s.dir);
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CHECK(code == 79);
    CHECK(s.Weights() == std::vector<int>{5, 0});
    CHECK(run.Out().find("step 1/4 (5%): not enough traffic") != std::string::npos);
    CHECK(run.Out().find("(--min-requests 5)") != std::string::npos);
    CHECK(run.Out().find("istio_requests_total{reporter=\"destination\"") != std::string::npos);
    CHECK(s.State()["failures"] == 0);  // not judged is not failed
  }

  SECTION("--abort from elsewhere rolls back; the run stops at its next write") {
    Scenario s(kHealthy);
    auto args = s.Args(steps);
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    Process run(args, s.dir);
    REQUIRE(Eventually([&] { return s.Applies() >= 1; }, 20s));
    Process abort(s.Args({"-n", "bookinfo", "--abort"}), MakeTempDir());
    CHECK(abort.Wait() == 0);
    CHECK(abort.Out().find("aborted: rolled back to 0%") != std::string::npos);
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CHECK(code == 69);
    CHECK(run.Err().find("changed under this run") != std::string::npos);
    CHECK(s.Weights() == std::vector<int>{5, 0});
    CHECK(s.State()["phase"] == "Aborted");
  }

  SECTION("Prometheus stopped mid-run: the check fails, never passes") {
    // Its own Prometheus: the shared one keeps serving the other scenarios.
    Scenario s(kHealthy);
    Prometheus own(m.exporter_port);
    auto args = s.Args(steps);
    for (const auto& a : Checks(own.url())) args.push_back(a);
    Process run(args, s.dir);
    REQUIRE(Eventually([&] { return s.Applies() >= 1; }, 20s));
    own.Stop();
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CHECK(code == 79);
    CHECK(s.Weights() == std::vector<int>{5, 0});
    CHECK(run.Out().find("step 1/4 (5%): failed") != std::string::npos);
    CHECK(run.Out().find("connection refused") != std::string::npos);
    CHECK(run.Out().find("query \"sum(increase(istio_requests_total{") != std::string::npos);
    CHECK(run.Out().find(own.url()) != std::string::npos);
  }

  SECTION("the readiness gate: a canary without its ready replicas gets no traffic") {
    Scenario s(kHealthy, 1);  // 1 of 2 ready
    auto args = s.Args(steps);
    for (const auto& a : Checks(m.prometheus->url())) args.push_back(a);
    args.insert(args.end(), {"--ready-timeout", "2s"});
    Process run(args, s.dir);
    int code = run.Wait();
    INFO(run.Out() << run.Err());
    CHECK(code == 79);
    CHECK(run.Err().find("Deployment bookinfo/reviews-v2 1/2 ready") != std::string::npos);
    CHECK(s.Applies() == 0);
  }
}

}  // namespace
}  // namespace meshctl::testing
