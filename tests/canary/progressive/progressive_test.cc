// The progressive canary's pieces without any server: flag parsing, the
// queries, Prometheus responses, the state annotation, and the runner's
// state machine against an in-memory cluster, scripted metrics and a
// virtual clock (fast, so it runs in the sanitizer build too).
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lib/canary/progressive.h"
#include "lib/canary/progressive_checks.h"
#include "lib/metrics/prometheus.h"
#include "lib/yaml/writer.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

using namespace std::chrono_literals;
using canary::Verdict;

TEST_CASE("progressive: durations and custom checks parse - bad ones name the flag", "[canary][progressive]") {
  CHECK(canary::ParseDuration("2m", "--interval", 1s).value() == 120s);
  CHECK(canary::ParseDuration("1m30s", "--interval", 1s).value() == 90s);
  CHECK(canary::ParseDuration("500ms", "--max-latency-p99", 1ms).value() == 500ms);
  CHECK(canary::ParseDuration("250", "--max-latency-p99", 1ms).value() == 250ms);
  auto bad = canary::ParseDuration("2 weeks", "--interval", 1s);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("--interval \"2 weeks\"") != std::string::npos);
  CHECK(canary::PromDuration(120s) == "2m");
  CHECK(canary::PromDuration(3s) == "3s");
  CHECK(canary::PromDuration(1500ms) == "1500ms");

  auto c = canary::ParseCustomCheck("errors=sum(rate(app_errors_total{code=~\"5..\"}[1m])) <= 0.5");
  REQUIRE(c.ok());
  CHECK(c->name == "errors");
  CHECK(c->query == "sum(rate(app_errors_total{code=~\"5..\"}[1m]))");
  CHECK(c->op == canary::CompareOp::kLessEqual);
  CHECK(c->value == 0.5);
  auto d = canary::ParseCustomCheck("up=min(up{job=\"x\"})>=1");
  REQUIRE(d.ok());
  CHECK(d->op == canary::CompareOp::kGreaterEqual);
  CHECK(d->query == "min(up{job=\"x\"})");
  CHECK_FALSE(canary::ParseCustomCheck("sum(x) < 1").ok());  // no name
  CHECK_FALSE(canary::ParseCustomCheck("a=sum(x)").ok());    // no comparison
  CHECK_FALSE(canary::ParseCustomCheck("a=sum(x) < many").ok());
}

TEST_CASE("progressive: the built-in queries select the canary workload from Istio's telemetry",
          "[canary][progressive]") {
  canary::CheckConfig c;
  c.ns = "bookinfo";
  c.workload = "reviews-v2";
  c.window = 2min;
  c.min_success_rate = 99;
  c.max_latency_p99_ms = 500;
  c.custom.push_back(canary::ParseCustomCheck("x=sum(rate(foo{ns=\"{{namespace}}\"}[{{interval}}])) < 3").value());
  auto q = canary::PlanQueries(c);
  REQUIRE(q.size() == 4);
  std::string sel = "{reporter=\"destination\",destination_workload_namespace=\"bookinfo\","
                    "destination_workload=\"reviews-v2\"";
  CHECK(q[0].query == "sum(increase(istio_requests_total" + sel + "}[2m]))");
  CHECK(q[1].query == "sum(rate(istio_requests_total" + sel + ",response_code!~\"5..\"}[2m])) / "
                      "sum(rate(istio_requests_total" + sel + "}[2m])) * 100");
  CHECK(q[1].condition == ">= 99");
  CHECK(q[2].query == "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket" +
                          sel + "}[2m])))");
  CHECK(q[3].query == "sum(rate(foo{ns=\"bookinfo\"}[2m]))");
  CHECK(q[3].condition == "< 3");
}

TEST_CASE("progressive: Prometheus responses", "[canary][progressive]") {
  auto ok = metrics::ParseQueryResponse(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"b"},"value":[1.5,"99.5"]}]}})",
      200, "q");
  REQUIRE(ok.ok());
  CHECK(metrics::SingleValue(*ok, "q").value() == 99.5);
  auto nan = metrics::ParseQueryResponse(
      R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}})", 200, "q");
  REQUIRE(nan.ok());
  CHECK(std::isnan(**metrics::SingleValue(*nan, "q")));
  auto empty = metrics::ParseQueryResponse(R"({"status":"success","data":{"resultType":"vector","result":[]}})", 200,
                                           "q");
  CHECK_FALSE(metrics::SingleValue(*empty, "q")->has_value());
  auto scalar = metrics::ParseQueryResponse(R"({"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}})",
                                            200, "q");
  CHECK(std::isinf(**metrics::SingleValue(*scalar, "q")));
  auto err = metrics::ParseQueryResponse(R"({"status":"error","errorType":"bad_data","error":"parse error at 3"})", 400,
                                         "Prometheus query \"sum(\" at http://p:9090");
  REQUIRE_FALSE(err.ok());
  CHECK(err.status().message() ==
        "Prometheus query \"sum(\" at http://p:9090: HTTP 400: bad_data: parse error at 3");
  auto html = metrics::ParseQueryResponse("<html>proxy error</html>", 502, "ctx");
  REQUIRE_FALSE(html.ok());
  CHECK(html.status().message().find("not a Prometheus API response") != std::string::npos);
  auto two = metrics::ParseQueryResponse(
      R"({"status":"success","data":{"resultType":"vector","result":[{"value":[1,"1"]},{"value":[1,"2"]}]}})", 200, "q");
  CHECK_FALSE(metrics::SingleValue(*two, "q").ok());
}

TEST_CASE("progressive: the Prometheus client sends the token, never shows it, names query and endpoint",
          "[canary][progressive]") {
  struct Recorder : io::HttpClient {
    io::HttpRequest last;
    core::Result<io::HttpResponse> Do(const io::HttpRequest& r) override {
      last = r;
      return core::Unavailable("POST " + r.url + ": connection refused");
    }
  };
  auto rec = std::make_unique<Recorder>();
  Recorder* seen = rec.get();
  metrics::PrometheusOptions o;
  o.url = "https://prom.example:9090/";
  o.bearer_token = "secret-token-123";
  auto client = metrics::NewPrometheusClient(o, std::move(rec));
  REQUIRE(client.ok());
  auto r = (*client)->Query("sum(up)");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message() ==
        "Prometheus query \"sum(up)\" at https://prom.example:9090: connection refused");
  CHECK(seen->last.url == "https://prom.example:9090/api/v1/query");
  CHECK(seen->last.body == "query=sum%28up%29");
  REQUIRE(seen->last.headers.size() == 1);
  CHECK(seen->last.headers[0].second == "Bearer secret-token-123");
  CHECK(r.status().message().find("secret-token") == std::string::npos);
  o.ca_file = "/ca.pem";
  o.insecure_skip_tls_verify = true;
  CHECK_FALSE(metrics::NewPrometheusClient(o, io::NewCurlHttpClient()).ok());
  o.url = "prom:9090";
  CHECK_FALSE(metrics::NewPrometheusClient(o, io::NewCurlHttpClient()).ok());
}

TEST_CASE("progressive: the state annotation round-trips - a broken one is an error", "[canary][progressive]") {
  canary::RunState s;
  s.run_id = "abc";
  s.holder = "ci pid 7";
  s.phase = "Progressing";
  s.plan = {5, 25, 100};
  s.stable = "v1";
  s.canary = "v2";
  s.step = 1;
  s.weight = 25;
  s.failures = 1;
  s.lease_until = std::chrono::system_clock::from_time_t(1800000000);
  auto back = canary::StateFromJson(canary::StateToJson(s));
  REQUIRE(back.ok());
  CHECK(back->plan == s.plan);
  CHECK(back->step == 1);
  CHECK(back->lease_until == s.lease_until);
  CHECK(canary::StateToJson(s).find("\"leaseUntil\":\"2027-01-15T08:00:00Z\"") != std::string::npos);
  CHECK_FALSE(canary::StateFromJson("{\"phase\":1}").ok());
  CHECK_FALSE(canary::StateFromJson("{\"runId\":\"a\",\"phase\":\"x\",\"plan\":[5],\"step\":4}").ok());
}

// ---- the runner against fakes

// Scripted Prometheus: answers by query kind from what the canary does at
// the weight the cluster has now.
struct FakeMetrics : metrics::MetricsSource {
  std::function<int()> weight;
  double rps = 100, errors = 0, latency = 40;
  std::map<int, double> errors_at;
  bool down = false;
  int queries = 0;
  core::Result<metrics::QueryResult> Query(const std::string& q) override {
    ++queries;
    if (down) return core::Unavailable("Prometheus query \"" + q + "\" at http://fake: connection refused");
    int w = weight();
    double e = errors_at.count(w) ? errors_at[w] : errors;
    double v;
    if (q.rfind("sum(increase(", 0) == 0) {
      v = rps * w / 100.0 * 60;
    } else if (q.rfind("histogram_quantile", 0) == 0) {
      v = latency;
    } else {
      v = 100 * (1 - e);
    }
    metrics::QueryResult r;
    r.result_type = "vector";
    r.samples.push_back({{}, v});
    return r;
  }
  std::string Endpoint() const override { return "http://fake"; }
};

// The cluster: a List of objects, resourceVersion bumped per write and
// checked as a precondition; every stored VirtualService's canary weight.
struct FakeCluster : canary::ProgressiveCluster {
  std::vector<nlohmann::json> objects;
  std::vector<int> weights;
  int rv = 10;
  bool fail_reads = false;
  int unguarded = 0;          // VirtualService applies without a resourceVersion precondition
  bool race_next = false;     // another writer changes the VirtualService right before the next apply
  std::function<void()> on_apply;

  core::Result<io::InputSet> Read() override {
    if (fail_reads) return core::Unavailable("https://fake: connection refused");
    nlohmann::json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", objects}};
    io::InputSet s;
    s.files.push_back({"https://fake/list", list.dump(), true});
    return s;
  }
  core::Status Apply(const yaml::Node& obj, bool dry_run, bool) override {
    auto j = nlohmann::json::parse(yaml::WriteJson(obj, 0));
    if (j["kind"] == "VirtualService" && !j["metadata"].contains("resourceVersion")) ++unguarded;
    for (auto& cur : objects) {
      if (cur["kind"] != j["kind"] || cur["metadata"]["name"] != j["metadata"]["name"]) continue;
      if (race_next && cur["kind"] == "VirtualService") {
        race_next = false;
        cur["metadata"]["resourceVersion"] = std::to_string(++rv);
      }
      if (j["metadata"].contains("resourceVersion") && j["metadata"]["resourceVersion"] != cur["metadata"]["resourceVersion"])
        return core::Unavailable("409 Conflict: the object has been modified");
      if (dry_run) return core::Status::Ok();
      j["metadata"]["resourceVersion"] = std::to_string(++rv);
      cur = j;
      Record(cur);
      if (on_apply) on_apply();
      return core::Status::Ok();
    }
    return core::Internal("no such object");
  }
  std::string Server() const override { return "https://fake"; }

  void Record(const nlohmann::json& vs) {
    if (vs["kind"] != "VirtualService") return;
    int w = Weight();
    if (weights.empty() || weights.back() != w) weights.push_back(w);
  }
  int Weight() const {
    for (const auto& o : objects)
      if (o["kind"] == "VirtualService")
        for (const auto& r : o["spec"]["http"][0]["route"])
          if (r["destination"].value("subset", "") == "v2") return r.value("weight", 0);
    return 0;
  }
  nlohmann::json State() const {
    for (const auto& o : objects)
      if (o["kind"] == "VirtualService" && o["metadata"].contains("annotations"))
        return nlohmann::json::parse(o["metadata"]["annotations"][canary::kStateAnnotation].get<std::string>());
    return nullptr;
  }
};

nlohmann::json Obj(const std::string& yaml_json) { return nlohmann::json::parse(yaml_json); }

FakeCluster Bookinfo(int ready_v2 = 1) {
  FakeCluster c;
  auto dep = [](const std::string& v, int ready) {
    return nlohmann::json{
        {"apiVersion", "apps/v1"},
        {"kind", "Deployment"},
        {"metadata", {{"name", "reviews-" + v}, {"namespace", "bookinfo"}, {"resourceVersion", "1"}}},
        {"spec",
         {{"replicas", 1},
          {"selector", {{"matchLabels", {{"app", "reviews"}, {"version", v}}}}},
          {"template",
           {{"metadata", {{"labels", {{"app", "reviews"}, {"version", v}}}}},
            {"spec", {{"containers", {{{"name", "reviews"}, {"image", "reviews:" + v}}}}}}}}}},
        {"status", {{"readyReplicas", ready}}}};
  };
  c.objects.push_back(dep("v1", 1));
  c.objects.push_back(dep("v2", ready_v2));
  c.objects.push_back(Obj(R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"reviews","namespace":"bookinfo",
    "resourceVersion":"1"},"spec":{"selector":{"app":"reviews"},"ports":[{"name":"http","port":9080}]}})"));
  c.objects.push_back(Obj(R"({"apiVersion":"networking.istio.io/v1","kind":"DestinationRule","metadata":{"name":"reviews",
    "namespace":"bookinfo","resourceVersion":"1"},"spec":{"host":"reviews","subsets":[{"name":"v1","labels":{"version":"v1"}}]}})"));
  c.objects.push_back(Obj(R"({"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"reviews",
    "namespace":"bookinfo","resourceVersion":"1"},"spec":{"hosts":["reviews"],"http":[{"route":[{"destination":
    {"host":"reviews","subset":"v1"}}]}]}})"));
  return c;
}

// Virtual time: Sleep moves it on.
struct FakeClock : canary::Clock {
  std::chrono::system_clock::time_point now = std::chrono::system_clock::from_time_t(1800000000);
  std::function<void()> on_sleep;
  std::chrono::system_clock::time_point Now() override { return now; }
  void Sleep(std::chrono::milliseconds d) override {
    now += d;
    if (on_sleep) on_sleep();
  }
};

struct Harness {
  FakeCluster cluster;
  FakeMetrics prom;
  FakeClock clock;
  std::ostringstream out;
  std::unique_ptr<canary::ProgressSink> sink = canary::NewLineSink(out);
  std::atomic<int> interrupts{0};
  canary::ProgressiveOptions o;

  explicit Harness(int ready_v2 = 1) : cluster(Bookinfo(ready_v2)) {
    prom.weight = [this] { return cluster.Weight(); };
    o.spec.service = "reviews";
    o.spec.ns = "bookinfo";
    o.plan = {5, 25, 50, 100};
    o.interval = 60s;
    o.holder = "test pid 1";
    o.abort_command = "meshctl canary reviews -n bookinfo --abort";
    o.resume_command = "the same command";
    canary::CheckConfig c;
    c.min_success_rate = 99;
    c.max_latency_p99_ms = 500;
    c.min_requests = 10;
    o.checks = c;
  }
  canary::RunOutcome Run() { return canary::RunProgressive(cluster, &prom, clock, *sink, interrupts, o); }
};

TEST_CASE("progressive runner: healthy steps are promoted, in order", "[canary][progressive]") {
  Harness h;
  auto r = h.Run();
  INFO(h.out.str() << r.message);
  CHECK(r.exit_code == 0);
  CHECK(h.cluster.weights == std::vector<int>{5, 25, 50, 100});
  CHECK(h.cluster.State()["phase"] == "Promoted");
  CHECK(h.out.str().find("step 4/4 (100%): passed") != std::string::npos);
  CHECK(h.cluster.unguarded == 0);  // every write of the state is conditional
  // Again: already promoted, nothing written.
  size_t rv = static_cast<size_t>(h.cluster.rv);
  CHECK(h.Run().exit_code == 0);
  CHECK(static_cast<size_t>(h.cluster.rv) == rv);
}

TEST_CASE("progressive runner: failures roll back at --failure-limit - Prometheus down fails",
          "[canary][progressive]") {
  SECTION("5xx at 25%") {
    Harness h;
    h.prom.errors_at[25] = 0.3;
    auto r = h.Run();
    CHECK(r.exit_code == 79);
    CHECK(h.cluster.weights == std::vector<int>{5, 25, 0});
    CHECK(h.cluster.State()["phase"] == "RolledBack");
  }
  SECTION("a failure below the limit holds the step, the next one rolls back") {
    Harness h;
    h.o.failure_limit = 2;
    h.prom.errors_at[25] = 0.3;
    auto r = h.Run();
    CHECK(r.exit_code == 79);
    CHECK(h.cluster.weights == std::vector<int>{5, 25, 0});
    CHECK(h.cluster.State()["failures"] == 2);
  }
  SECTION("Prometheus unreachable") {
    Harness h;
    h.prom.down = true;
    auto r = h.Run();
    CHECK(r.exit_code == 79);
    CHECK(h.cluster.weights == std::vector<int>{5, 0});
    CHECK(h.out.str().find("connection refused") != std::string::npos);
  }
  SECTION("not enough traffic is not a failure, until --inconclusive-limit") {
    Harness h;
    h.prom.rps = 0.01;
    auto r = h.Run();
    CHECK(r.exit_code == 79);
    CHECK(h.cluster.weights == std::vector<int>{5, 0});
    CHECK(h.cluster.State()["failures"] == 0);
    CHECK(h.out.str().find("not enough traffic") != std::string::npos);
  }
}

TEST_CASE("progressive runner: Ctrl-C pauses after the step - a re-run resumes - leases refuse a second run",
          "[canary][progressive]") {
  Harness h;
  h.cluster.on_apply = [&] {
    if (h.cluster.Weight() == 25) h.interrupts = 1;
  };
  auto r = h.Run();
  CHECK(r.exit_code == canary::kExitInterrupted);
  CHECK(h.cluster.weights == std::vector<int>{5, 25});
  CHECK(h.cluster.State()["phase"] == "Paused");
  CHECK(h.cluster.State()["stepPassed"] == true);
  CHECK(h.out.str().find("stopped after step 2 (25%, checks passed)") != std::string::npos);

  // Another run holding the lease (a different holder, lease in the future).
  auto st = canary::StateFromJson(h.cluster.State().dump()).value();
  st.phase = "Progressing";
  st.holder = "other pid 2";
  st.lease_until = h.clock.now + 5min;
  for (auto& o : h.cluster.objects)
    if (o["kind"] == "VirtualService") o["metadata"]["annotations"][canary::kStateAnnotation] = canary::StateToJson(st);
  h.cluster.on_apply = nullptr;
  h.interrupts = 0;
  r = h.Run();
  CHECK(r.exit_code == 69);
  CHECK(r.message.find("another canary run holds VirtualService bookinfo/reviews") != std::string::npos);
  CHECK(h.cluster.weights == std::vector<int>{5, 25});

  // Its lease runs out: this run takes over and goes on from step 3.
  h.clock.now += 10min;
  r = h.Run();
  CHECK(r.exit_code == 0);
  CHECK(h.cluster.weights == std::vector<int>{5, 25, 50, 100});
  CHECK(h.out.str().find("resuming run") != std::string::npos);
}

TEST_CASE("progressive runner: a write that races another writer fails instead of overwriting it",
          "[canary][progressive]") {
  Harness h;
  h.cluster.race_next = true;
  auto r = h.Run();
  CHECK(r.exit_code == 69);
  CHECK(r.message.find("409 Conflict") != std::string::npos);
  CHECK(r.message.find("--abort") != std::string::npos);
  CHECK(h.cluster.weights.empty());
}

TEST_CASE("progressive runner: --abort rolls back and the running run stops at its next write",
          "[canary][progressive]") {
  Harness h;
  bool aborted = false;
  h.clock.on_sleep = [&] {
    if (h.cluster.Weight() == 25 && !aborted) {
      aborted = true;
      std::ostringstream other;
      auto sink = canary::NewLineSink(other);
      canary::ProgressiveOptions o = h.o;
      o.holder = "admin pid 9";
      auto a = canary::AbortProgressive(h.cluster, h.clock, *sink, o, false);
      CHECK(a.exit_code == 0);
    }
  };
  auto r = h.Run();
  CHECK(r.exit_code == 69);
  CHECK(r.message.find("changed under this run") != std::string::npos);
  CHECK(h.cluster.weights == std::vector<int>{5, 25, 0});
  CHECK(h.cluster.State()["phase"] == "Aborted");
}

TEST_CASE("progressive runner: the readiness gate and the dry run write nothing", "[canary][progressive]") {
  Harness h(0);
  h.o.ready_timeout = 5s;
  auto r = h.Run();
  CHECK(r.exit_code == 79);
  CHECK(r.message.find("Deployment bookinfo/reviews-v2 0/1 ready") != std::string::npos);
  CHECK(h.cluster.weights.empty());

  Harness d;
  std::ostringstream out;
  auto sink = canary::NewJsonLinesSink(out);
  CHECK(canary::PreviewProgressive(d.cluster, *sink, d.o, false).exit_code == 0);
  CHECK(d.cluster.weights.empty());
  auto plan = nlohmann::json::parse(out.str());
  CHECK(plan["event"] == "plan");
  CHECK(plan["workload"] == "reviews-v2");
  CHECK(plan["plan"] == nlohmann::json::array({5, 25, 50, 100}));
  CHECK(plan["checks"].size() == 3);
  CHECK(plan["message"].get<std::string>().find("dry run: every state (5%, 25%, 50%, 100%, then 0% for a rollback)") !=
        std::string::npos);
  // --dry-run=server sends every state with dryRun; nothing is stored.
  std::ostringstream out2;
  auto sink2 = canary::NewLineSink(out2);
  int rv = d.cluster.rv;
  CHECK(canary::PreviewProgressive(d.cluster, *sink2, d.o, true).exit_code == 0);
  CHECK(d.cluster.rv == rv);
  CHECK(out2.str().find("and the API server's dry run") != std::string::npos);
}

TEST_CASE("progressive: the terminal table redraws in place with each step's numbers", "[canary][progressive]") {
  Harness h;
  std::ostringstream tty;
  h.sink = canary::NewTableSink(tty);
  h.o.plan = {50, 100};
  h.prom.errors_at[100] = 0.02;
  CHECK(h.Run().exit_code == 79);
  std::string t = tty.str();
  // The last frame: after the final "clear to end of screen".
  std::string last = t.substr(t.rfind("\x1b[J") + 3);
  CHECK(last.find("STEP  WEIGHT  REQUESTS  SUCCESS RATE  P99       VERDICT               TIME LEFT") != std::string::npos);
  CHECK(last.find("1     50%     3000      100.00%       40ms      passed") != std::string::npos);
  CHECK(last.find("2     100%    6000      98.00%        40ms      failed (rolled back)") != std::string::npos);
  CHECK(last.find("rolled back to 0%") != std::string::npos);
  // Long lines are printed once above the table; only its short rows are redrawn.
  CHECK(t.find("step 2: success-rate 98% is below --min-success-rate 99%") != std::string::npos);
  CHECK(t.find("\x1b[3F\x1b[J") != std::string::npos);
  CHECK(t.find("\x1b[4F") == std::string::npos);
}

TEST_CASE("progressive: usage errors name the flag and exit 64", "[canary][progressive][cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{"--weight", "10", "--prometheus", "http://p:9090"}, "--prometheus belongs to a progressive run"},
      {{"--steps", "5,100", "--interval", "30s"}, "--interval belongs to a progressive run"},
      {{"--steps", "5,100", "--apply", "-f", "testdata/canary/walkthrough"}, "reads the cluster; drop -f"},
      {{"--weight", "10", "--dry-run=client", "--apply"}, "--dry-run=client previews a progressive run"},
      {{"--abort", "--weight", "10"}, "exclude each other"},
      {{"--abort", "-o", "json"}, "--abort rolls the cluster back"},
      {{"--steps", "5,100", "--apply", "-o", "diff"}, "a progressive run prints text or json"},
  };
  for (const auto& c : cases) {
    std::vector<std::string> args = {"canary", "reviews"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = RunInProcess(args);
    INFO(r.err);
    CHECK(r.exit_code == 64);
    CHECK(r.err.find(c.message) != std::string::npos);
  }
}

}  // namespace
}  // namespace meshctl::testing
