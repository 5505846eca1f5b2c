// explain's ambient path (lib/explain/ambient_path.h) over
// testdata/ambient/explain/ztunnel.json: shop's frontend-1 (ambient) calling
// services with and without the shop waypoint, and the ways the connection
// ends — allowed by the waypoint's identity, denied, "allow policies exist,
// but none allowed" after a waypoint, no healthy endpoint, an unknown
// waypoint, an uncaptured destination, passthrough — plus the bypass
// warnings, the waypoint-bound policies from config, and the CLI hook.
#include "lib/explain/ambient_path.h"

#include <catch2/catch.hpp>

#include <algorithm>

#include "lib/model/loader.h"
#include "tests/support/test_support.h"

namespace meshctl::explain {
namespace {

const char kDump[] = "testdata/ambient/explain/ztunnel.json";
const char kPolicy[] = "testdata/ambient/explain/waypoint-policy.yaml";

const ambient::ZtunnelDump& Dump() {
  static const ambient::ZtunnelDump d = [] {
    auto r = ambient::ZtunnelDump::Parse(testing::ReadFileOrDie(testing::SourceDir() + "/" + kDump), kDump);
    REQUIRE(r.ok());
    return std::move(r).value();
  }();
  return d;
}

Request From(const std::string& from, const std::string& ns, const std::string& url) {
  Request req;
  req.from = from;
  req.from_ns = ns;
  REQUIRE(ParseUrl(url, req).ok());
  return req;
}

Walk Run(const std::string& url, const std::string& dest_ip = "", const model::Snapshot* snap = nullptr) {
  Request req = From("frontend-1", "shop", url);
  req.dest_ip = dest_ip;
  AmbientPathOptions o;
  o.snapshot = snap;
  return WalkAmbient(Dump(), req, o);
}

std::vector<std::string> Steps(const Walk& w) {
  std::vector<std::string> out;
  for (const auto& h : w.hops) out.push_back(h.step + " " + std::string(VerdictName(h.verdict)));
  return out;
}

bool HasDetail(const Hop& h, const std::string& text) {
  return std::any_of(h.details.begin(), h.details.end(),
                     [&](const std::string& d) { return d.find(text) != std::string::npos; });
}

const Hop& Step(const Walk& w, const std::string& step) {
  for (const auto& h : w.hops)
    if (h.step == step) return h;
  FAIL("no hop " << step);
  return w.hops.front();
}

TEST_CASE("ambient: a service with a waypoint, allowed by the waypoint's identity", "[explain][ambient]") {
  Walk w = Run("http://cart.shop/");
  CHECK(w.kind == "ambient");
  CHECK(Steps(w) == std::vector<std::string>{"Z1 source ztunnel ok", "Z2 destination ok", "Z3 waypoint ok",
                                              "Z4 endpoint ok", "Z5 destination ztunnel ok"});
  CHECK(w.hops[0].summary ==
        "frontend-1.shop is captured by the ztunnel on node node-a (HBONE), identity "
        "spiffe://cluster.local/ns/shop/sa/frontend");
  CHECK(w.hops[1].summary == "service-addressed: cart.shop.svc.cluster.local (VIP 10.96.0.10:80)");
  CHECK(w.hops[2].summary ==
        "HBONE to waypoint shop/waypoint (pod waypoint-1 10.1.0.50:15008), CONNECT 10.96.0.10:80");
  CHECK(HasDetail(w.hops[2], "SAN expected: spiffe://cluster.local/ns/shop/sa/waypoint"));
  // cart-2 is Unhealthy; the service port 80 targets 8080.
  CHECK(w.hops[3].summary == "1 of 2 endpoints healthy; e.g. cart-1.shop 10.1.0.11:8080");
  CHECK(w.hops[4].summary ==
        "allowed by shop/cart-allow-waypoint (identity seen: spiffe://cluster.local/ns/shop/sa/waypoint)");
  CHECK(HasDetail(w.hops[4], "DENY  istio-system/global-dry (Global, 1 rule): matches (dry run: only logged)"));
  CHECK(HasDetail(w.hops[4], "DENY  shop/deny-legacy (Namespace, 1 rule): no match"));
  CHECK(w.outcome.reached);
  CHECK(w.outcome.result == "allowed");
  REQUIRE(w.outcome.destinations.size() == 1);
  CHECK(w.outcome.destinations[0].host == "cart.shop.svc.cluster.local");
  CHECK(w.outcome.destinations[0].port == 8080);
}

TEST_CASE("ambient: pod-IP addressing skips the service waypoint and is refused", "[explain][ambient]") {
  Walk w = Run("http://10.1.0.11:8080/");
  CHECK(Steps(w) == std::vector<std::string>{"Z1 source ztunnel ok", "Z2 destination ok", "Z3 waypoint warn",
                                              "Z5 destination ztunnel fail"});
  CHECK(w.hops[1].summary == "workload-addressed: cart-1.shop (10.1.0.11:8080)");
  CHECK(w.hops[2].summary.rfind("bypass: cart.shop.svc.cluster.local has waypoint", 0) == 0);
  CHECK(w.hops[3].summary ==
        "allow policies exist, but none allowed (identity seen: spiffe://cluster.local/ns/shop/sa/frontend)");
  CHECK_FALSE(w.outcome.reached);
  CHECK(w.outcome.result == "RBAC: allow policies exist, but none allowed");
  CHECK(w.outcome.cause_hop == 4);
}

TEST_CASE("ambient: an ALLOW naming the client fails behind a waypoint, and says why", "[explain][ambient]") {
  // orders' waypoint is given by VIP ("/10.96.0.99").
  Walk w = Run("http://orders.shop/");
  const Hop& z5 = Step(w, "Z5 destination ztunnel");
  CHECK(z5.verdict == Verdict::kFail);
  CHECK(HasDetail(z5, "the client's own identity would be allowed"));
  CHECK(w.outcome.result == "RBAC: allow policies exist, but none allowed");
}

TEST_CASE("ambient: no ALLOW limits the destination to the waypoint: bypass warning", "[explain][ambient]") {
  Walk w = Run("http://reviews:9080/");  // a bare name in the client's namespace
  CHECK(w.outcome.reached);
  CHECK(w.hops.back().verdict == Verdict::kWarn);
  CHECK(w.hops.back().summary.rfind("bypass: the client is allowed straight to the pod too", 0) == 0);
  CHECK(Step(w, "Z5 destination ztunnel").summary.rfind("allowed: no ALLOW policy applies", 0) == 0);
}

TEST_CASE("ambient: the ways a connection ends early", "[explain][ambient]") {
  SECTION("explicit DENY (principal prefix AND destination port)") {
    Walk w = Run("http://admin.shop/");
    CHECK(Step(w, "Z3 waypoint").summary == "no waypoint: the source ztunnel sends HBONE straight to the endpoint");
    CHECK(w.outcome.result == "RBAC: explicitly denied by: shop/admin-deny-frontend");
  }
  SECTION("the DENY's port clause does not match another port") {
    Walk w = Run("http://10.1.0.90:9000/");
    CHECK(w.outcome.reached);
  }
  SECTION("no healthy endpoint") {
    Walk w = Run("http://pay.shop/");
    CHECK(w.hops.back().step == "Z4 endpoint");
    CHECK(w.outcome.result == "NoHealthyUpstream");
  }
  SECTION("a waypoint ztunnel does not know") {
    Walk w = Run("http://ghost.shop/");
    CHECK(w.hops.back().verdict == Verdict::kFail);
    CHECK(w.outcome.result == "UnknownWaypoint");
  }
  SECTION("an uncaptured destination: plain TCP, no L4 policy") {
    Walk w = Run("http://db.data:5432/");
    CHECK(w.outcome.reached);
    CHECK(w.outcome.result == "TCP");
    CHECK(w.hops.back().verdict == Verdict::kWarn);
  }
  SECTION("an address ztunnel does not know: passthrough") {
    Walk w = Run("http://203.0.113.9/");
    CHECK(w.outcome.reached);
    CHECK(w.outcome.result == "Passthrough");
    CHECK(w.hops.size() == 2);
  }
}

TEST_CASE("ambient: the source must be captured by ztunnel", "[explain][ambient]") {
  CHECK(IsAmbientSource(Dump(), From("frontend-1", "shop", "http://cart.shop/")));
  CHECK_FALSE(IsAmbientSource(Dump(), From("legacy-1", "legacy", "http://cart.shop/")));
  CHECK_FALSE(IsAmbientSource(Dump(), From("frontend-1", "other", "http://cart.shop/")));
  Walk w = WalkAmbient(Dump(), From("legacy-1", "legacy", "http://cart.shop/"), {});
  REQUIRE(w.hops.size() == 1);
  CHECK(w.hops[0].verdict == Verdict::kFail);
  CHECK(w.outcome.result == "not ambient");
}

TEST_CASE("ambient: policies bound to the waypoint come from the config", "[explain][ambient]") {
  io::InputSet in;
  io::InputFile f;
  f.path = kPolicy;
  f.content = testing::ReadFileOrDie(testing::SourceDir() + "/" + kPolicy);
  in.files.push_back(f);
  model::LoadResult loaded = model::LoadSnapshot(in, {});
  REQUIRE(loaded.errors.empty());
  Walk w = Run("http://cart.shop/", "", &loaded.snapshot);
  CHECK(HasDetail(Step(w, "Z3 waypoint"),
                  "enforced here: AuthorizationPolicy shop/waypoint-l7 (ALLOW, targetRefs Gateway waypoint)  "
                  "testdata/ambient/explain/waypoint-policy.yaml:"));
  // Not bound to orders' waypoint by Service, so only the Gateway ref counts.
  Walk admin = Run("http://admin.shop/", "", &loaded.snapshot);
  CHECK_FALSE(HasDetail(Step(admin, "Z3 waypoint"), "enforced here"));
}

TEST_CASE("explain request --ztunnel-dump adds the ambient path", "[explain][ambient][cli]") {
  std::string dump = testing::SourceDir() + "/" + kDump;
  auto ok = testing::RunInProcess({"explain", "request", "--from", "frontend-1.shop", "http://cart.shop/",
                                   "--ztunnel-dump", dump});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("\nAmbient path (" + dump + "):\n") != std::string::npos);
  CHECK(ok.out.find("Z5 destination ztunnel") != std::string::npos);
  auto json = testing::RunInProcess({"explain", "request", "--from", "frontend-1.shop", "http://admin.shop/",
                                     "--ztunnel-dump", dump, "-o", "json"});
  CHECK(json.exit_code == 79);
  CHECK(json.out.find("\"ambient\"") != std::string::npos);
  auto bad = testing::RunInProcess({"explain", "request", "--from", "frontend-1.shop", "http://cart.shop/",
                                    "--ztunnel-dump", "-"},
                                   "{\"workloads\": 3}");
  CHECK(bad.exit_code == 65);
  CHECK(bad.err.find("<stdin>:1:") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::explain
