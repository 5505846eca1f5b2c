// `meshctl explain request` against the fake API server: the cluster is read
// as analyze reads it, gives the same walk as the same files (without file
// positions), and files given with --use-kube are laid over it; the source
// pod's Envoy is read through a port-forward and walked too.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/kube/fake_cluster.h"
#include "tests/support/fake_http_server.h"
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

// A Deployment `curl` in `client` and its one Running pod with a sidecar,
// beside the small mesh of testdata/explain (reviews v1-v3, the 80/20 split
// to v1 and the missing v9).
const char kCurl[] = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: curl, namespace: client}
spec:
  selector: {matchLabels: {app: curl}}
  template:
    metadata: {labels: {app: curl}}
    spec: {containers: [{name: curl, image: curl}, {name: istio-proxy, image: proxyv2}]}
---
apiVersion: v1
kind: Pod
metadata: {name: curl-6c9d-x1, namespace: client, labels: {app: curl}}
spec: {nodeName: node-1, containers: [{name: curl, image: curl}, {name: istio-proxy, image: proxyv2}]}
status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
)";

std::vector<std::string> Steps(const nlohmann::json& walk) {
  std::vector<std::string> out;
  for (const auto& h : walk["hops"]) out.push_back(h["step"]);
  return out;
}

TEST_CASE("explain live: the source pod's Envoy through a port-forward, walked and compared", "[kube][explain]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  std::string dir = MakeTempDir();
  WriteFile(dir + "/curl.yaml", kCurl);
  std::string served = ReadFileOrDie(SourceDir() + "/testdata/explain/sleep-dump.json");
  FakeHttpServer admin([&](const RecordedRequest& r) {
    return r.path == "/config_dump" ? FakeResponse{200, served} : FakeResponse{404, "not found", "text/plain"};
  });
  FakeApiServer fake({"testdata/explain/base.yaml", "testdata/explain/subsets.yaml",
                      "testdata/explain/missing-subset.yaml", dir + "/curl.yaml"},
                     {"--portforward", "client/curl-6c9d-x1:15000=" + admin.address()});
  std::string kc = fake.WriteKubeconfig();
  const std::vector<std::string> request = {"explain", "--kubeconfig", kc, "-o", "json", "--from", "curl.client",
                                            "http://reviews.bookinfo:9080/"};

  // The default against a cluster: the Deployment's pod is found, its
  // /config_dump?include_eds read, and both walks agree (20 % to v9 fail).
  auto both = RunMeshctl(request);
  INFO(both.out << both.err);
  REQUIRE(both.exit_code == 79);
  CHECK(both.err.find(kFakeToken) == std::string::npos);
  auto j = nlohmann::json::parse(both.out);
  REQUIRE(j.contains("dump"));
  CHECK(j["dump"]["source"] == "pod client/curl-6c9d-x1 /config_dump");
  CHECK(j["disagreements"].empty());
  CHECK(j["dump"]["outcome"]["result"] == "503 NC");
  CHECK(Steps(j["dump"]).front() == "D1 listener");
  REQUIRE(admin.requests().size() >= 1);
  CHECK(admin.requests().back().query == "include_eds=true");
  bool forwarded = false;
  for (const auto& r : fake.Requests())
    if (r["path"] == "/api/v1/namespaces/client/pods/curl-6c9d-x1/portforward") forwarded = true;
  CHECK(forwarded);

  // A proxy still at 100 % v1: the walks disagree.
  served = ReadFileOrDie(SourceDir() + "/testdata/explain/sleep-dump-stale.json");
  auto stale = RunMeshctl(request);
  INFO(stale.err);
  auto s = nlohmann::json::parse(stale.out);
  std::vector<std::string> what;
  for (const auto& d : s["disagreements"]) what.push_back(d["what"]);
  CHECK(what == std::vector<std::string>{"destinations", "outcome"});
  CHECK(s["dump"]["outcome"]["reached"] == true);

  // --live-dump=false: the config walk alone, Envoy never asked.
  size_t asked = admin.requests().size();
  std::vector<std::string> off = request;
  off.push_back("--live-dump=false");
  auto config_only = RunMeshctl(off);
  CHECK(config_only.exit_code == 79);
  CHECK_FALSE(nlohmann::json::parse(config_only.out).contains("dump"));
  CHECK(admin.requests().size() == asked);

  // Files for the config, the cluster only for the pod's dump.
  served = ReadFileOrDie(SourceDir() + "/testdata/explain/sleep-dump.json");
  auto files = RunMeshctl({"explain", "request", "--kubeconfig", kc, "-o", "json", "--from", "curl.client",
                           "http://reviews.bookinfo:9080/", "--live-dump", "-f", "testdata/explain/base.yaml", "-f",
                           "testdata/explain/subsets.yaml", "-f", "testdata/explain/missing-subset.yaml", "-f",
                           dir + "/curl.yaml"});
  INFO(files.err);
  CHECK(files.exit_code == 79);
  auto fj = nlohmann::json::parse(files.out);
  CHECK(fj["disagreements"].empty());
  CHECK(fj["config"]["hops"][0]["file"] == dir + "/curl.yaml");

  // A pod without a forward behind it: asked for, the failure is the exit
  // code (69); by default the config walk stands alone, with a warning.
  auto asked_for = RunMeshctl({"explain", "--kubeconfig", kc, "--from", "reviews-v1-abc.bookinfo",
                               "http://reviews.bookinfo:9080/", "--live-dump"});
  CHECK(asked_for.exit_code == 69);
  CHECK(asked_for.err.find("bookinfo/reviews-v1-abc") != std::string::npos);
  CHECK(asked_for.out.empty());
  auto by_default = RunMeshctl({"explain", "--kubeconfig", kc, "--from", "reviews-v1-abc.bookinfo",
                                "http://reviews.bookinfo:9080/"});
  CHECK(by_default.exit_code == 79);
  CHECK(by_default.err.find("Warning: no dump walk") != std::string::npos);
  CHECK(by_default.out.find("Config walk") != std::string::npos);
  CHECK(by_default.out.find("Dump walk") == std::string::npos);

  // Two sources of one dump, or no source pod: usage errors.
  auto two = RunMeshctl({"explain", "--kubeconfig", kc, "--from", "curl.client", "http://reviews.bookinfo:9080/",
                         "--live-dump", "--config-dump", "testdata/explain/sleep-dump.json"});
  CHECK(two.exit_code == 64);
  auto nobody = RunMeshctl({"explain", "--kubeconfig", kc, "http://reviews.bookinfo:9080/", "--live-dump"});
  CHECK(nobody.exit_code == 64);
}

}  // namespace
}  // namespace meshctl::testing
