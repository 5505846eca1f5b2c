// `meshctl canary` against the fake API server: the live patch equals the
// one made from files; --apply sends server-side apply bodies (dry run,
// conflicts, ownership); the kubeconfig token never in any output.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/kube/fake_cluster.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

const std::vector<std::string> kWalkthrough = {"testdata/canary/walkthrough/deployments.yaml",
                                               "testdata/canary/walkthrough/services.yaml",
                                               "testdata/canary/walkthrough/traffic.yaml"};

void CheckNoToken(const RunResult& r) {
  CHECK(r.out.find(kFakeToken) == std::string::npos);
  CHECK(r.err.find(kFakeToken) == std::string::npos);
}

std::map<std::string, nlohmann::json> ByKind(const std::string& json_list) {
  std::map<std::string, nlohmann::json> out;
  nlohmann::json doc = nlohmann::json::parse(json_list);
  for (auto& item : doc["items"]) out[item["kind"].get<std::string>()] = item;
  return out;
}

std::vector<nlohmann::json> Patches(const FakeApiServer& fake) {
  std::vector<nlohmann::json> out;
  for (const auto& r : fake.Requests())
    if (r["method"] == "PATCH") out.push_back(r);
  return out;
}

TEST_CASE("canary live: the patch from the cluster equals the patch from the files", "[kube][canary]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake(kWalkthrough);
  std::string kc = fake.WriteKubeconfig("", "", "bookinfo");
  auto live = RunMeshctl({"canary", "reviews", "--weight", "10", "--kubeconfig", kc, "-o", "json"});
  CheckNoToken(live);
  REQUIRE(live.exit_code == 0);
  std::vector<std::string> args = {"canary", "reviews", "-n", "bookinfo", "--weight", "10", "-o", "json"};
  for (const auto& f : kWalkthrough) args.insert(args.end(), {"-f", f});
  auto files = RunMeshctl(args);
  REQUIRE(files.exit_code == 0);
  auto a = ByKind(live.out), b = ByKind(files.out);
  REQUIRE(a.size() == 2);
  CHECK(a["VirtualService"]["spec"] == b["VirtualService"]["spec"]);
  CHECK(a["DestinationRule"]["spec"] == b["DestinationRule"]["spec"]);
  CHECK_FALSE(a["VirtualService"]["metadata"].contains("uid"));
  CHECK(Patches(fake).empty());  // printing never writes
}

TEST_CASE("canary live: --apply --dry-run=server sends the expected apply bodies", "[kube][canary]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake(kWalkthrough);
  std::string kc = fake.WriteKubeconfig();
  auto r = RunMeshctl({"canary", "reviews", "-n", "bookinfo", "--weight", "10", "--kubeconfig", kc, "--apply",
                       "--dry-run=server"});
  CheckNoToken(r);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("virtualservice.networking.istio.io/reviews serverside-applied (server dry run)") !=
        std::string::npos);
  auto patches = Patches(fake);
  REQUIRE(patches.size() == 2);
  CHECK(patches[0]["path"] == "/apis/networking.istio.io/v1/namespaces/bookinfo/destinationrules/reviews");
  CHECK(patches[1]["path"] == "/apis/networking.istio.io/v1/namespaces/bookinfo/virtualservices/reviews");
  for (const auto& p : patches) {
    CHECK(p["contentType"] == "application/apply-patch+yaml");
    CHECK(p["query"]["fieldManager"][0] == "meshctl");
    CHECK(p["query"]["dryRun"][0] == "All");
    CHECK_FALSE(p["query"].contains("force"));
  }
  auto vs = nlohmann::json::parse(patches[1]["body"].get<std::string>());
  CHECK(vs["metadata"] == nlohmann::json({{"name", "reviews"}, {"namespace", "bookinfo"}}));
  const auto& route = vs["spec"]["http"][0]["route"];
  REQUIRE(route.size() == 2);
  CHECK(route[0] == nlohmann::json::parse(R"({"destination":{"host":"reviews","subset":"v1"},"weight":90})"));
  CHECK(route[1] == nlohmann::json::parse(R"({"destination":{"host":"reviews","subset":"v2"},"weight":10})"));
  CHECK(vs["spec"]["http"][0]["timeout"] == "5s");  // what was there stays
  auto dr = nlohmann::json::parse(patches[0]["body"].get<std::string>());
  CHECK(dr["spec"]["subsets"].size() == 2);

  // A dry run stored nothing: the same command reads the same split again.
  auto again = RunMeshctl({"canary", "reviews", "-n", "bookinfo", "--weight", "10", "--kubeconfig", kc, "-o",
                           "json"});
  CHECK(ByKind(again.out)["VirtualService"]["spec"]["http"][0]["route"].size() == 2);
  // A real apply stores it; applying the same split again changes nothing.
  r = RunMeshctl({"canary", "reviews", "-n", "bookinfo", "--weight", "10", "--kubeconfig", kc, "--apply"});
  REQUIRE(r.exit_code == 0);
  again = RunMeshctl({"canary", "reviews", "-n", "bookinfo", "--weight", "10", "--kubeconfig", kc});
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("nothing to change") != std::string::npos);
}

TEST_CASE("canary live: conflicts are reported, forced only on request; owned resources need --force",
          "[kube][canary]") {
  SKIP_WITHOUT_FAKE();
  std::string dir = MakeTempDir();
  std::string traffic = ReadFileOrDie(SourceDir() + "/testdata/canary/walkthrough/traffic.yaml");
  // Another field manager owns the VirtualService.
  std::string managed = traffic;
  size_t at = managed.find("kind: VirtualService\nmetadata:\n");
  REQUIRE(at != std::string::npos);
  managed.insert(at + std::string("kind: VirtualService\nmetadata:\n").size(),
                 "  managedFields:\n  - manager: helm\n    operation: Update\n");
  WriteFile(dir + "/traffic.yaml", managed);
  {
    FakeApiServer fake({kWalkthrough[0], kWalkthrough[1], dir + "/traffic.yaml"});
    std::string kc = fake.WriteKubeconfig();
    std::vector<std::string> base = {"canary", "reviews", "-n", "bookinfo", "--weight", "10",
                                     "--kubeconfig", kc, "--apply", "--dry-run=server"};
    auto r = RunMeshctl(base);
    CheckNoToken(r);
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("409 Conflict") != std::string::npos);
    CHECK(r.err.find("conflict with \"helm\"") != std::string::npos);
    CHECK(r.err.find(fake.url()) != std::string::npos);
    base.push_back("--force-conflicts");
    r = RunMeshctl(base);
    CHECK(r.exit_code == 0);
    CHECK(Patches(fake).back()["query"]["force"][0] == "true");
  }
  // Flagger owns it: not applied without --force.
  std::string flagged = traffic;
  at = flagged.find("kind: VirtualService\nmetadata:\n");
  flagged.insert(at + std::string("kind: VirtualService\nmetadata:\n").size(),
                 "  annotations:\n    flagger.kubernetes.io/original-configuration: '{}'\n");
  WriteFile(dir + "/traffic.yaml", flagged);
  {
    FakeApiServer fake({kWalkthrough[0], kWalkthrough[1], dir + "/traffic.yaml"});
    std::string kc = fake.WriteKubeconfig();
    std::vector<std::string> base = {"canary", "reviews", "-n", "bookinfo", "--weight", "10",
                                     "--kubeconfig", kc, "--apply", "--dry-run=server"};
    auto r = RunMeshctl(base);
    CheckNoToken(r);
    CHECK(r.exit_code == 65);
    CHECK(r.err.find("MSH0303") != std::string::npos);
    CHECK(Patches(fake).empty());
    base.push_back("--force");
    r = RunMeshctl(base);
    CHECK(r.exit_code == 0);
    CHECK(Patches(fake).size() == 2);
  }
}

TEST_CASE("canary live: usage errors for the apply flags", "[kube][canary]") {
  auto r = RunMeshctl({"canary", "reviews", "--weight", "10", "--dry-run=server", "-f", "testdata/canary/walkthrough"});
  CHECK(r.exit_code == 64);
  r = RunMeshctl({"canary", "reviews", "--weight", "10", "--apply", "--dry-run=client"});
  CHECK(r.exit_code == 64);
}

}  // namespace
}  // namespace meshctl::testing
