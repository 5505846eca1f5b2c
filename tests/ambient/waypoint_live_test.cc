// `meshctl waypoint list|status|validate` with no PATH: the kinds of
// ambient::WaypointInputKinds() listed from the fake API server
// (testdata/ambient/live/cluster.yaml) enter the same model as files, so
// the tables and findings match those of the same objects read from a file.
#include <catch2/catch.hpp>

#include <string>

#include "tests/kube/fake_cluster.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

const char kCluster[] = "testdata/ambient/live/cluster.yaml";

RunResult Live(const std::string& kubeconfig, std::vector<std::string> args) {
  args.insert(args.end(), {"--kubeconfig", kubeconfig});
  RunResult r = RunInProcess(args);
  CHECK(r.err.find(kFakeToken) == std::string::npos);
  return r;
}

bool Listed(const FakeApiServer& api, const std::string& path) {
  for (const auto& r : api.Requests())
    if (r.value("method", "") == "GET" && r.value("path", "") == path) return true;
  return false;
}

TEST_CASE("waypoint list and validate from the cluster match the same objects from a file",
          "[ambient][waypoint][kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer api({kCluster});
  // The context's namespace is shop: no -n needed.
  std::string kc = api.WriteKubeconfig("", "", "shop");
  for (const char* o : {"short", "wide"}) {
    INFO("-o " << o);
    auto live = Live(kc, {"waypoint", "list", "-o", o});
    auto file = RunInProcess({"waypoint", "list", "-n", "shop", "-o", o, SourceDir() + "/" + kCluster});
    INFO(live.err);
    REQUIRE(live.exit_code == 0);
    REQUIRE(file.exit_code == 0);
    CHECK(live.out == file.out);
    CHECK(live.out.find("waypoint") != std::string::npos);
  }
  // Short list: only Gateways, in the namespace.
  CHECK(Listed(api, "/apis/gateway.networking.k8s.io/v1/namespaces/shop/gateways"));

  auto all = Live(kc, {"waypoint", "list", "-A"});
  REQUIRE(all.exit_code == 0);
  CHECK(all.out.rfind("NAMESPACE", 0) == 0);

  auto other = Live(kc, {"waypoint", "list", "-n", "default"});
  REQUIRE(other.exit_code == 0);
  CHECK(other.out == "No waypoints found.\n");

  auto v_live = Live(kc, {"waypoint", "validate", "-o", "json"});
  auto v_file = RunInProcess({"waypoint", "validate", "-o", "json", SourceDir() + "/" + kCluster});
  INFO(v_live.out << v_live.err);
  CHECK(v_live.exit_code == 0);
  CHECK(v_live.exit_code == v_file.exit_code);
  // The same finding, but for where it came from: the pending waypoint
  // nothing binds to (Info, below the default threshold).
  for (const auto* out : {&v_live.out, &v_file.out}) {
    CHECK(out->find("MSH0706") != std::string::npos);
    CHECK(out->find("shop/pending") != std::string::npos);
  }
}

TEST_CASE("waypoint status from the cluster: programmed, and --wait until the timeout", "[ambient][waypoint][kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer api({kCluster});
  std::string kc = api.WriteKubeconfig("", "", "shop");
  auto no_wait = Live(kc, {"waypoint", "status", "--wait=false"});
  INFO(no_wait.err);
  REQUIRE(no_wait.exit_code == 0);
  CHECK(no_wait.out.find("Programmed") != std::string::npos);
  CHECK(no_wait.out.find("Waiting for controller") != std::string::npos);

  api.ClearRequests();
  auto wait = Live(kc, {"waypoint", "status", "--waypoint-timeout", "2s"});
  CHECK(wait.exit_code == 69);
  CHECK(wait.err.find("timed out while retrieving status for waypoint") != std::string::npos);
  // Polled: more than one LIST of the namespace's Gateways.
  int lists = 0;
  for (const auto& r : api.Requests())
    if (r.value("path", "") == "/apis/gateway.networking.k8s.io/v1/namespaces/shop/gateways") ++lists;
  CHECK(lists >= 2);
}

}  // namespace
}  // namespace meshctl::testing
