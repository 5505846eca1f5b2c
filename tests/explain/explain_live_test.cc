// `meshctl explain request` against the fake API server: the cluster is read
// as analyze reads it, gives the same walk as the same files (without file
// positions), and files given with --use-kube are laid over it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/kube/fake_cluster.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

const std::vector<std::string> kBookinfo = {"testdata/bookinfo/deployments.yaml", "testdata/bookinfo/namespace.yaml",
                                            "testdata/bookinfo/services.yaml", "testdata/bookinfo/traffic.yaml"};

std::vector<std::string> Clusters(const nlohmann::json& j) {
  std::vector<std::string> out;
  for (const auto& d : j["config"]["outcome"]["destinations"]) out.push_back(d["cluster"]);
  return out;
}

TEST_CASE("explain live: the cluster walks like the same files", "[kube][explain]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  FakeApiServer fake(kBookinfo);
  std::string kc = fake.WriteKubeconfig();
  auto live = RunMeshctl({"explain", "request", "--kubeconfig", kc, "-o", "json", "--from", "productpage-v1.bookinfo",
                          "http://reviews:9080/", "-H", "end-user: jason"});
  INFO(live.out << live.err);
  REQUIRE(live.exit_code == 0);
  CHECK(live.err.find(kFakeToken) == std::string::npos);
  CHECK(live.out.find(kFakeToken) == std::string::npos);
  std::vector<std::string> args = {"explain", "request", "-o", "json", "--from", "productpage-v1.bookinfo",
                                   "http://reviews:9080/", "-H", "end-user: jason"};
  for (const auto& f : kBookinfo) {
    args.push_back("-f");
    args.push_back(f);
  }
  auto files = RunMeshctl(args);
  REQUIRE(files.exit_code == 0);
  auto a = nlohmann::json::parse(live.out), b = nlohmann::json::parse(files.out);
  CHECK(Clusters(a) == Clusters(b));
  CHECK(a["config"]["hops"].size() == b["config"]["hops"].size());
  for (const auto& h : a["config"]["hops"]) CHECK_FALSE(h.contains("file"));

  // A file laid over the cluster replaces the live reviews VirtualService.
  std::string dir = MakeTempDir();
  WriteFile(dir + "/vs.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
            "  namespace: bookinfo\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination:\n"
            "        host: reviews\n        subset: v3\n");
  auto over = RunMeshctl({"explain", "request", "--kubeconfig", kc, "-k", "-f", dir + "/vs.yaml", "-o", "json",
                          "--from", "productpage-v1.bookinfo", "http://reviews:9080/", "-H", "end-user: jason"});
  INFO(over.err);
  REQUIRE(over.exit_code == 0);
  CHECK(Clusters(nlohmann::json::parse(over.out)) ==
        std::vector<std::string>{"outbound|9080|v3|reviews.bookinfo.svc.cluster.local"});
}

}  // namespace
}  // namespace meshctl::testing
