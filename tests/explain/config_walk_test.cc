// The config walk, one case per rule of explain.md §5.2. Each case runs
// `meshctl explain request -o json` over testdata/explain/ (base.yaml plus
// the case's files) and checks the outcome, the destinations with their
// shares, and that the hop which decides the case cites the fixture line
// marked `# decides: <case>`.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace meshctl {
namespace {

struct Case {
  std::string name;
  std::vector<std::string> files;  // besides base.yaml, under testdata/explain/
  std::vector<std::string> args;   // --from, the URL, -H ...
  int exit_code;
  std::string result;  // outcome.result
  std::vector<std::pair<std::string, double>> destinations;  // cluster, share
  std::string step;    // the deciding hop's step ("O6 route")
  std::string marker;  // `# decides: <marker>` in one of the files ("" = no line check)
  std::string verdict = "";  // the deciding hop's verdict, when it matters
};

// The (file, line) of `# decides: marker`.
std::pair<std::string, unsigned> FindMarker(const std::vector<std::string>& files, const std::string& marker) {
  for (const auto& f : files) {
    std::ifstream in(testing::SourceDir() + "/" + f);
    std::string line;
    unsigned n = 0;
    while (std::getline(in, line)) {
      ++n;
      size_t at = line.find("# decides: ");
      if (at != std::string::npos && line.substr(at + 11) == marker) return {f, n};
    }
  }
  return {"", 0};
}

// The hop names file:line itself, or in one of its condition lines.
bool Cites(const nlohmann::json& hop, const std::string& file, unsigned line) {
  if (hop.value("file", "") == file && hop.value("line", 0u) == line) return true;
  std::string needle = file + ":" + std::to_string(line) + ":";
  if (hop.contains("details"))
    for (const auto& d : hop["details"])
      if (d.get<std::string>().find(needle) != std::string::npos) return true;
  return false;
}

const std::vector<Case>& Cases() {
  static const std::vector<Case> kCases = {
      {"sidecar-hides", {"sidecar.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9080/"}, 0,
       "Passthrough", {{"PassthroughCluster", 100}}, "O3 service", "sidecar-hides", "warn"},
      {"sidecar-registry-only", {"sidecar.yaml"},
       {"--from", "reviews-v1-abc.bookinfo", "http://httpbin.org/"}, 79, "502 BlackHole", {}, "O3 service",
       "sidecar-registry-only", "fail"},
      {"two-vs-oldest", {"subsets.yaml", "two-virtualservices.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/"}, 0, "routed",
       {{"outbound|9080|v1|reviews.bookinfo.svc.cluster.local", 100}}, "O5 virtual service", "two-vs-oldest", "warn"},
      {"delegate-v2", {"subsets.yaml", "delegate.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/api/v2/items"}, 0, "routed",
       {{"outbound|9080|v2|reviews.bookinfo.svc.cluster.local", 100}}, "O6 route", "delegate-v2"},
      {"delegate-fallthrough", {"subsets.yaml", "delegate.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/api/v1"}, 0, "routed",
       {{"outbound|9080|v3|reviews.bookinfo.svc.cluster.local", 100}}, "O6 route", ""},
      {"header-exact-first", {"subsets.yaml", "matches.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/", "-H", "end-user: jason"}, 0, "routed",
       {{"outbound|9080|v2|reviews.bookinfo.svc.cluster.local", 100}}, "O6 route", "header-exact-first"},
      {"header-prefix-second", {"subsets.yaml", "matches.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/", "-H", "End-User: jim"}, 0, "routed",
       {{"outbound|9080|v3|reviews.bookinfo.svc.cluster.local", 100}}, "O6 route", "header-prefix-second"},
      {"port-match", {"subsets.yaml", "matches.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9090/"}, 0,
       "routed", {{"outbound|9090|v3|reviews.bookinfo.svc.cluster.local", 100}}, "O6 route", "port-match"},
      {"regex-and-query", {"subsets.yaml", "matches.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/api/v1/x?debug=1"}, 0, "routed",
       {{"outbound|9080|v1|reviews.bookinfo.svc.cluster.local", 70},
        {"outbound|9080|v2|reviews.bookinfo.svc.cluster.local", 30}},
       "O6 route", "regex-and-query"},
      {"no-route-404", {"subsets.yaml", "matches.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/api/v1/x?debug=2"}, 79, "404 NR", {}, "O6 route", "",
       "fail"},
      {"subset-missing", {"subsets.yaml", "missing-subset.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/"}, 79, "503 NC",
       {{"outbound|9080|v1|reviews.bookinfo.svc.cluster.local", 80},
        {"outbound|9080|v9|reviews.bookinfo.svc.cluster.local", 20}},
       "O8 destination rule", "subset-missing", "fail"},
      {"dr-client-ns", {"dr-precedence.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9080/"}, 0, "routed",
       {{"outbound|9080||reviews.bookinfo.svc.cluster.local", 100}}, "O8 destination rule", "dr-client-ns"},
      {"dr-service-ns", {"dr-precedence.yaml"}, {"--from", "other.elsewhere", "http://reviews.bookinfo:9080/"}, 0,
       "routed", {{"outbound|9080||reviews.bookinfo.svc.cluster.local", 100}}, "O8 destination rule",
       "dr-service-ns"},
      {"port-level-tls", {"port-policy.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9090/"}, 0,
       "routed", {{"outbound|9090||reviews.bookinfo.svc.cluster.local", 100}}, "O9 policy", "port-level-tls"},
      {"strict-vs-disable", {"mtls.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9080/"}, 79, "503 UC",
       {{"outbound|9080||reviews.bookinfo.svc.cluster.local", 100}}, "O11 peer authentication", "strict-vs-disable",
       "fail"},
      {"mutual-without-sidecar", {"mtls.yaml", "mutual-no-sidecar.yaml"},
       {"--from", "sleep.client", "http://ratings.legacy:9080/"}, 79, "503 UF",
       {{"outbound|9080||ratings.legacy.svc.cluster.local", 100}}, "O11 peer authentication", "", "fail"},
      {"allow-no-match", {"authz.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9080/"}, 79, "403 RBAC",
       {{"outbound|9080||reviews.bookinfo.svc.cluster.local", 100}}, "O12 authorization", "allow-no-match", "fail"},
      {"deny-header", {"authz.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/admin/x", "--method", "POST", "-H", "x-debug: on"}, 79,
       "403 RBAC", {{"outbound|9080||reviews.bookinfo.svc.cluster.local", 100}}, "O12 authorization", "deny-header",
       "fail"},
      {"allow-match", {"authz.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/admin/x", "--method", "POST"}, 0, "routed",
       {{"outbound|9080||reviews.bookinfo.svc.cluster.local", 100}}, "O12 authorization", ""},
      {"serviceentry-known", {"serviceentry.yaml"}, {"--from", "sleep.client", "http://api.payments.example/"}, 0,
       "routed", {{"outbound|80||api.payments.example", 100}}, "O3 service", "serviceentry-known"},
      {"registry-only-unknown", {"serviceentry.yaml"}, {"--from", "sleep.client", "http://unknown.example/"}, 79,
       "502 BlackHole", {}, "O3 service", "", "fail"},
      {"gateway-server", {"gateway.yaml"},
       {"--from", "ingress", "http://bookinfo.example.com/productpage"}, 0, "routed",
       {{"outbound|9080||productpage.shop.svc.cluster.local", 100}}, "O2 gateway", "gateway-server"},
      {"gateway-route", {"gateway.yaml"}, {"--from", "ingress", "http://bookinfo.example.com/productpage"}, 0,
       "routed", {{"outbound|9080||productpage.shop.svc.cluster.local", 100}}, "O6 route", "gateway-route"},
      {"httproute-exact", {"httproute.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9080/api/health"},
       0, "routed", {{"outbound|9080||reviews.bookinfo.svc.cluster.local", 100}}, "O6 route", "httproute-exact"},
      {"httproute-split", {"httproute.yaml"}, {"--from", "sleep.client", "http://reviews.bookinfo:9080/api/v1"}, 0,
       "routed",
       {{"outbound|9080||reviews-v1.bookinfo.svc.cluster.local", 90},
        {"outbound|9080||reviews-v2.bookinfo.svc.cluster.local", 10}},
       "O6 route", ""},
      {"httproute-prefix-is-per-segment", {"httproute.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/apix"}, 79, "404 NR", {}, "O6 route", "", "fail"},
      {"gateway-404", {"gateway.yaml"}, {"--from", "ingress", "http://bookinfo.example.com/other"}, 79, "404 NR", {},
       "O6 route", "", "fail"},
      {"k8s-gateway-split", {"k8s-gateway.yaml"}, {"--from", "gateway/web.bookinfo", "http://reviews.example.com/"}, 0,
       "routed",
       {{"outbound|9080||reviews-v1.bookinfo.svc.cluster.local", 90},
        {"outbound|9080||reviews-v2.bookinfo.svc.cluster.local", 10}},
       "O2 gateway", "k8s-gateway-listener"},
      {"k8s-gateway-canary", {"k8s-gateway.yaml"},
       {"--from", "web.bookinfo", "http://reviews.example.com/x", "-H", "x-canary: 1"}, 0, "routed",
       {{"outbound|9080||reviews-v2.bookinfo.svc.cluster.local", 100}}, "O6 route", "k8s-gateway-canary"},
      {"k8s-gateway-refused", {"k8s-gateway.yaml"}, {"--from", "gateway/web.bookinfo", "http://sleep.example.com/"},
       79, "404 NR", {}, "O5 virtual service", "k8s-gateway-refused", "fail"},
      {"k8s-gateway-no-listener", {"k8s-gateway.yaml"}, {"--from", "gateway/web.bookinfo", "http://reviews.test/"}, 79,
       "404 NR", {}, "O2 gateway", "", "fail"},
      {"endpointslice-not-ready", {"subsets.yaml", "endpointslices.yaml"},
       {"--from", "sleep.client", "http://reviews.bookinfo:9080/"}, 79, "503 UH",
       {{"outbound|9080|v1|reviews.bookinfo.svc.cluster.local", 50},
        {"outbound|9080|v2|reviews.bookinfo.svc.cluster.local", 50}},
       "O10 endpoints", "endpointslice-not-ready", "fail"},
      {"k8s-gateway-selector", {"k8s-gateway.yaml"},
       {"--from", "gateway/web.bookinfo", "http://anything.test:8080/"}, 79, "404 NR", {}, "O5 virtual service", "",
       "fail"},
  };
  return kCases;
}

nlohmann::json Run(const Case& c, int* exit_code) {
  std::vector<std::string> args = {"explain", "request", "-o", "json", "-f", "testdata/explain/base.yaml"};
  for (const auto& f : c.files) {
    args.push_back("-f");
    args.push_back("testdata/explain/" + f);
  }
  args.insert(args.end(), c.args.begin(), c.args.end());
  auto r = testing::RunInProcess(args);
  *exit_code = r.exit_code;
  INFO("stderr: " << r.err);
  REQUIRE(!r.out.empty());
  return nlohmann::json::parse(r.out);
}

TEST_CASE("explain: the config walk decides each rule at the marked line", "[explain]") {
  for (const Case& c : Cases()) {
    SECTION(c.name) {
      int code = 0;
      nlohmann::json j = Run(c, &code);
      INFO(j.dump(2));
      CHECK(code == c.exit_code);
      const auto& walk = j["config"];
      CHECK(walk["outcome"]["result"] == c.result);
      std::vector<std::pair<std::string, double>> got;
      for (const auto& d : walk["outcome"]["destinations"])
        got.emplace_back(d["cluster"].get<std::string>(), d["share"].get<double>());
      CHECK(got == c.destinations);
      // The deciding hop: the cause of a failure, else the hop of that step
      // (the one citing the marked line, when there is a marker).
      std::vector<std::string> paths;
      for (const auto& f : c.files) paths.push_back("testdata/explain/" + f);
      auto [file, line] = c.marker.empty() ? std::pair<std::string, unsigned>{"", 0} : FindMarker(paths, c.marker);
      if (!c.marker.empty()) REQUIRE(line > 0);
      const nlohmann::json* hop = nullptr;
      int cause = walk["outcome"].value("causeHop", 0);
      for (const auto& h : walk["hops"]) {
        if (hop) break;
        if (cause) {
          if (h["number"] == cause) hop = &h;
        } else if (h["step"] == c.step && (c.marker.empty() || Cites(h, file, line))) {
          hop = &h;
        }
      }
      REQUIRE(hop != nullptr);
      CHECK((*hop)["step"] == c.step);
      if (!c.verdict.empty()) CHECK((*hop)["verdict"] == c.verdict);
      if (!c.marker.empty()) CHECK(Cites(*hop, file, line));
    }
  }
}

TEST_CASE("explain: bookinfo's jason goes to reviews v2, everyone else sees the missing v4 subset", "[explain]") {
  auto jason = testing::RunInProcess({"explain", "request", "-f", "testdata/bookinfo", "--from",
                                      "productpage-v1.bookinfo", "http://reviews:9080/", "-H", "end-user: jason"});
  INFO(jason.out << jason.err);
  CHECK(jason.exit_code == 0);
  CHECK_THAT(jason.out, Catch::Contains("Outcome: reached"));
  CHECK_THAT(jason.out, Catch::Contains("outbound|9080|v2|reviews.bookinfo.svc.cluster.local 100%"));
  CHECK_THAT(jason.out, Catch::Contains("testdata/bookinfo/traffic.yaml:34:18"));
  testing::CheckGolden("testdata/explain/golden/bookinfo-jason.txt", jason.out);
  auto others = testing::RunInProcess({"explain", "request", "-f", "testdata/bookinfo", "--from",
                                       "productpage-v1.bookinfo", "http://reviews:9080/"});
  CHECK(others.exit_code == 79);
  CHECK_THAT(others.out, Catch::Contains("10% of requests fail"));
  CHECK_THAT(others.out, Catch::Contains("testdata/bookinfo/traffic.yaml:46:17"));
  auto json = testing::RunInProcess({"explain", "request", "-o", "json", "-f", "testdata/bookinfo", "--from",
                                     "productpage-v1.bookinfo", "http://reviews:9080/"});
  CHECK(json.exit_code == 79);
  testing::CheckGolden("testdata/explain/golden/bookinfo-others.json", json.out);
}

TEST_CASE("explain: auto-mTLS follows the endpoints' sidecars", "[explain]") {
  auto r = testing::RunInProcess({"explain", "request", "-o", "json", "-f", "testdata/explain/base.yaml", "-f",
                                  "testdata/explain/mtls.yaml", "--from", "sleep.client", "http://ratings.legacy:9080/"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  bool plaintext = false;
  for (const auto& h : j["config"]["hops"])
    if (h["step"] == "O9 policy")
      plaintext = h["summary"].get<std::string>().find("plaintext by auto-mTLS") != std::string::npos;
  CHECK(plaintext);
  auto s = testing::RunInProcess({"explain", "request", "-o", "json", "-f", "testdata/explain/base.yaml", "-f",
                                  "testdata/explain/subsets.yaml", "--from", "sleep.client",
                                  "http://reviews.bookinfo:9080/"});
  auto k = nlohmann::json::parse(s.out);
  bool mutual = false;
  for (const auto& h : k["config"]["hops"])
    if (h["step"] == "O9 policy")
      mutual = h["summary"].get<std::string>().find("ISTIO_MUTUAL by auto-mTLS") != std::string::npos;
  CHECK(mutual);
}

TEST_CASE("explain: bad requests and inputs get the usual exit codes", "[explain]") {
  CHECK(testing::RunInProcess({"explain", "request", "-f", "testdata/explain/base.yaml", "http://x:99999/"}).exit_code ==
        64);
  CHECK(testing::RunInProcess({"explain", "request", "-f", "testdata/explain/base.yaml", "--from", "nosuch.client",
                               "http://reviews.bookinfo:9080/"})
            .exit_code == 65);
  CHECK(testing::RunInProcess({"explain", "request", "-f", "testdata/explain/does-not-exist.yaml",
                               "http://reviews.bookinfo:9080/"})
            .exit_code == 74);
  CHECK(testing::RunInProcess({"explain", "request", "-f", "-", "http://reviews:9080/"}, "kind: [\n").exit_code == 65);
  CHECK(testing::RunInProcess({"explain", "request", "-f", "testdata/explain/base.yaml", "-H", "nocolon",
                               "http://reviews.bookinfo:9080/"})
            .exit_code == 64);
}

}  // namespace
}  // namespace meshctl
