// `meshctl waypoint`: the waypoint cases of ../shared/fixtures/ambient/cases.tsv
// (istioctl's goldens; the Gateways its Go test builds are restated as YAML
// in testdata/ambient/waypoint/istioctl; skipped without ../shared), and one
// fixture per binding rule (testdata/ambient/waypoint/rules, `# expect:`
// markers) through the analyzers and through `waypoint validate`.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/expect_markers.h"
#include "tests/support/test_support.h"

namespace meshctl {
namespace {

using testing::RunInProcess;

std::string Src(const std::string& rel) { return testing::SourceDir() + "/" + rel; }
std::string Istioctl(const std::string& f) { return Src("testdata/ambient/waypoint/istioctl/" + f); }

TEST_CASE("waypoint list and status match istioctl's goldens", "[ambient][waypoint]") {
  auto shared = testing::SharedDir();
  if (!shared) MESHCTL_SKIP("../shared/fixtures/ambient is absent: istioctl waypoint goldens skipped");
  const std::string golden = *shared + "/fixtures/ambient/istio/istioctl/pkg/waypoint/testdata/waypoint/";
  struct Case {
    const char* name;
    std::vector<std::string> args;
    std::string golden;
  };
  std::vector<Case> cases = {
      {"no gateways", {"waypoint", "list", Istioctl("no-gateway.yaml")}, "no-gateway"},
      {"default namespace gateway", {"waypoint", "list", Istioctl("default-gateway.yaml")}, "default-gateway"},
      {"all namespaces", {"waypoint", "list", "-A", Istioctl("default-gateway.yaml")}, "all-gateway"},
      {"managed+unmanaged", {"waypoint", "list", "-A", "-f", Istioctl("combined-gateway.yaml")}, "combined-gateway"},
      {"status ready", {"waypoint", "status", Istioctl("status-ready.yaml")}, "waypoint-status-ready"},
      {"status all namespaces", {"waypoint", "status", "--all-namespaces", Istioctl("status-all.yaml")},
       "waypoint-status-all"},
      {"status not ready, no wait",
       {"waypoint", "status", "--wait=false", "--waypoint-timeout", "0.5s", Istioctl("status-notready.yaml")},
       "waypoint-status-notready"},
  };
  for (const auto& c : cases) {
    SECTION(c.name) {
      auto r = RunInProcess(c.args);
      INFO(r.err);
      REQUIRE(r.exit_code == 0);
      CHECK(r.out == testing::ReadFileOrDie(golden + c.golden));
    }
  }
  SECTION("status not ready, waiting: the error only, no table") {
    auto r = RunInProcess({"waypoint", "status", "--waypoint-timeout", "0.5s", Istioctl("status-notready.yaml")});
    CHECK(r.exit_code == 69);
    CHECK(r.out.empty());
    // istioctl's golden adds the blank line cobra prints after an error.
    CHECK(r.err + "\n" == testing::ReadFileOrDie(golden + "waypoint-notready-wait"));
  }
}

TEST_CASE("waypoint list -o wide shows address, effective type and bindings", "[ambient][waypoint]") {
  auto r = RunInProcess({"waypoint", "list", "-n", "shop", "-o", "wide", Src("testdata/ambient/waypoint/rules/traffic-type.yaml")});
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("ADDRESS") != std::string::npos);
  // for-services: the namespace and its unlabelled Service bind; the Pods do
  // not count (a service-only waypoint).
  CHECK(r.out.find("for-services      default      none             False          10.96.2.2     service (default)      "
                   "1 ns, 1 svc, 0 wl") != std::string::npos);
  CHECK(r.out.find("workload (Gateway)") != std::string::npos);
}

TEST_CASE("waypoint without input or subcommand", "[ambient][waypoint]") {
  // No PATH means the cluster; an unreadable kubeconfig says how to do without one.
  auto live = RunInProcess({"waypoint", "list", "--kubeconfig", "/nonexistent/kubeconfig"});
  CHECK(live.exit_code != 0);
  CHECK(live.err.find("state.yaml") != std::string::npos);
  auto help = RunInProcess({"waypoint"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("validate") != std::string::npos);
  auto bad = RunInProcess({"waypoint", "list", "-"}, "kind: [unclosed\n");
  CHECK(bad.exit_code == 65);
}

// ---- binding rules, one fixture each

TEST_CASE("ambient.waypoint: each binding rule at its marked line", "[ambient][waypoint][analysis]") {
  for (const char* f : {"not-ready.yaml", "cross-namespace.yaml", "traffic-type.yaml", "labels.yaml", "hbone.yaml",
                        "nothing-bound.yaml", "httproute.yaml", "ingress.yaml", "good.yaml"}) {
    DYNAMIC_SECTION(f) { testing::RunMarkedFixture(std::string("testdata/ambient/waypoint/rules/") + f, {"ambient.waypoint"}); }
  }
}

TEST_CASE("ambient.namespace: use-waypoint without ambient, ambient with injection", "[ambient][waypoint][analysis]") {
  auto out = testing::RunMarkedFixture("testdata/ambient/waypoint/rules/namespaces.yaml", {"ambient.namespace"});
  CHECK(std::find(out.begin(), out.end(),
                  "Warning [MSH0708] (Namespace mixed testdata/ambient/waypoint/rules/namespaces.yaml:15) namespace "
                  "mixed is labelled istio.io/dataplane-mode=ambient together with [istio-injection=enabled]: pods "
                  "get sidecars and ambient is ignored") != out.end());
  testing::RunMarkedFixture("testdata/ambient/waypoint/rules/good.yaml", {"ambient.namespace"});
}

TEST_CASE("waypoint validate reports the rules with exit codes", "[ambient][waypoint]") {
  SECTION("errors exit 79") {
    auto r = RunInProcess({"waypoint", "validate", Src("testdata/ambient/waypoint/rules/traffic-type.yaml")});
    CHECK(r.exit_code == 79);
    CHECK(r.out.find("[MSH0703] (Service shop/cart") != std::string::npos);
    CHECK(r.out.find("Service shop/cart uses waypoint shop/for-workloads, whose traffic type is workload (Gateway): "
                     "it does not serve service traffic (UnsupportedTrafficType)") != std::string::npos);
  }
  SECTION("a missing waypoint is found even when the input has no Gateway") {
    auto r = RunInProcess({"waypoint", "validate", "-"},
                          "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n"
                          "    istio.io/dataplane-mode: ambient\n    istio.io/use-waypoint: waypoint\n");
    CHECK(r.exit_code == 0);  // a Warning is below the default threshold (Error)
    CHECK(r.out.find("[MSH0701] (Namespace shop ") != std::string::npos);
    CHECK(r.out.find(") waypoint shop/waypoint does not exist: traffic that should go through it bypasses it") !=
          std::string::npos);
    auto strict = RunInProcess({"waypoint", "validate", "--failure-threshold", "Warning", "-"},
                               "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n"
                               "    istio.io/dataplane-mode: ambient\n    istio.io/use-waypoint: waypoint\n");
    CHECK(strict.exit_code == 79);
  }
  SECTION("clean state") {
    auto r = RunInProcess({"waypoint", "validate", Src("testdata/ambient/waypoint/rules/good.yaml")});
    CHECK(r.exit_code == 0);
    CHECK(r.out.empty());
  }
  SECTION("json output") {
    auto r = RunInProcess({"waypoint", "validate", "-o", "json", Src("testdata/ambient/waypoint/rules/namespaces.yaml")});
    auto j = nlohmann::json::parse(r.out);
    // MSH0707 and two MSH0708; validate also reports legacy's missing waypoint (MSH0701).
    CHECK(j.size() == 4);
  }
  SECTION("analyze runs the same checks") {
    auto r = RunInProcess({"analyze", "-A", Src("testdata/ambient/waypoint/rules/hbone.yaml")});
    CHECK(r.out.find("MSH0705") != std::string::npos);
  }
}

}  // namespace
}  // namespace meshctl
