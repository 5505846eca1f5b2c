// `meshctl analyze` against the fake API server: the same findings as over
// the same resources in files; files laid over the cluster; the namespace
// checks; errors with exit 69; the kubeconfig token never in any output.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "tests/kube/fake_cluster.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

const std::vector<std::string> kParityFiles = {
    "testdata/bookinfo/deployments.yaml",          "testdata/bookinfo/namespace.yaml",
    "testdata/bookinfo/services.yaml",             "testdata/bookinfo/traffic.yaml",
    "testdata/analysis/authz.yaml",                "testdata/analysis/destinationrules.yaml",
    "testdata/analysis/envoyfilters.yaml",         "testdata/analysis/gateway-certificates.yaml",
    "testdata/analysis/gateway-conflicts.yaml",    "testdata/analysis/gateway-pods.yaml",
    "testdata/analysis/gateways.yaml",             "testdata/analysis/routing-rules.yaml",
    "testdata/analysis/selectors.yaml",            "testdata/analysis/serviceentries.yaml",
    "testdata/analysis/status-and-workloads.yaml", "testdata/analysis/virtualservice-gateways.yaml",
    "testdata/analysis/virtualservices.yaml",      "testdata/analysis/webhooks.yaml",
};

void CheckNoToken(const RunResult& r) {
  CHECK(r.out.find(kFakeToken) == std::string::npos);
  CHECK(r.err.find(kFakeToken) == std::string::npos);
}

std::set<std::pair<std::string, std::string>> Findings(const std::string& json_text) {
  std::set<std::pair<std::string, std::string>> out;
  for (const auto& d : nlohmann::json::parse(json_text)) out.emplace(d["code"], d.value("origin", ""));
  return out;
}

TEST_CASE("analyze live: the cluster gives the same findings as the same files", "[kube][analyze]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake(kParityFiles);
  std::string kc = fake.WriteKubeconfig();
  auto live = RunMeshctl({"analyze", "-A", "--kubeconfig", kc, "-o", "json"});
  CheckNoToken(live);
  REQUIRE(live.exit_code == 0);
  std::vector<std::string> args = {"analyze", "-A", "-o", "json"};
  for (const auto& f : kParityFiles) args.push_back(f);
  auto files = RunMeshctl(args);
  REQUIRE(files.exit_code == 0);
  auto a = Findings(live.out), b = Findings(files.out);
  CHECK(a.size() > 20);
  CHECK(a == b);
  // Live findings carry no file:line and say where they came from.
  for (const auto& d : nlohmann::json::parse(live.out)) {
    CHECK_FALSE(d.contains("reference"));
    CHECK_FALSE(d.contains("line"));
    if (d.contains("origin")) CHECK(d["source"] == "cluster");
  }
  // The log format: no file:line in the parentheses either.
  auto log = RunMeshctl({"analyze", "-A", "--kubeconfig", kc});
  CheckNoToken(log);
  CHECK(log.exit_code == 79);
  CHECK(log.out.find(".yaml:") == std::string::npos);
  // SARIF: logical locations only, marked as from the cluster.
  auto sarif = RunMeshctl({"analyze", "-A", "--kubeconfig", kc, "-o", "sarif"});
  auto doc = nlohmann::json::parse(sarif.out);
  const auto& results = doc["runs"][0]["results"];
  REQUIRE(results.size() > 0);
  CHECK(results[0]["properties"]["source"] == "cluster");
  CHECK_FALSE(results[0]["locations"][0].contains("physicalLocation"));

  // Every LIST was paged and the system namespaces were filtered server-side.
  bool pods = false, secrets = false;
  for (const auto& r : fake.Requests()) {
    if (r["method"] != "GET" || !r["query"].contains("limit")) continue;
    CHECK(r["query"]["limit"][0] == "500");
    if (r["path"] == "/api/v1/pods") {
      pods = true;
      CHECK(r["query"]["fieldSelector"][0].get<std::string>().find("metadata.namespace!=kube-system") !=
            std::string::npos);
    }
    if (r["path"] == "/api/v1/secrets") {
      secrets = true;
      CHECK(r["query"]["fieldSelector"][0] == "type!=helm.sh/release.v1,type!=kubernetes.io/service-account-token");
    }
  }
  CHECK(pods);
  CHECK(secrets);
}

TEST_CASE("analyze live: files laid over the cluster replace live objects with the same key", "[kube][analyze]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({"testdata/bookinfo/deployments.yaml", "testdata/bookinfo/namespace.yaml",
                      "testdata/bookinfo/services.yaml", "testdata/bookinfo/traffic.yaml"});
  std::string kc = fake.WriteKubeconfig("", "", "bookinfo");
  auto base = RunMeshctl({"analyze", "-v", "--kubeconfig", kc, "-o", "json"});
  CheckNoToken(base);
  REQUIRE(base.exit_code == 0);
  // A file VirtualService with the name of a live one, routing to a missing host.
  std::string dir = MakeTempDir();
  WriteFile(dir + "/vs.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
            "  namespace: bookinfo\nspec:\n  hosts: [reviews]\n  http:\n  - route:\n"
            "    - destination: {host: nowhere-svc}\n");
  auto over = RunMeshctl({"analyze", "--use-kube", "--kubeconfig", kc, "-o", "json", dir + "/vs.yaml"});
  CheckNoToken(over);
  REQUIRE(over.exit_code == 0);
  auto findings = nlohmann::json::parse(over.out);
  bool from_file = false;
  int reviews = 0;
  for (const auto& d : findings) {
    if (d.value("origin", "") != "VirtualService bookinfo/reviews") continue;
    ++reviews;
    if (d["code"] == "IST0101") {
      from_file = true;
      CHECK(d["file"] == dir + "/vs.yaml");  // the file's object, with its position
      CHECK_FALSE(d.contains("source"));
    }
  }
  CHECK(from_file);
  // Default namespace from the kubeconfig context.
  CHECK(base.err.find("namespace: bookinfo") != std::string::npos);
  // --use-kube=false never talks to the cluster.
  fake.ClearRequests();
  auto offline = RunMeshctl({"analyze", "--use-kube=false", "--kubeconfig", kc, dir + "/vs.yaml"});
  CHECK(fake.Requests().empty());
  CHECK(offline.exit_code != 69);
}

TEST_CASE("analyze live: a namespace that does not exist, -A, revisions", "[kube][analyze]") {
  SKIP_WITHOUT_FAKE();
  std::string dir = MakeTempDir();
  WriteFile(dir + "/rev.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio-injection: enabled}\n---\n"
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: canary-rev\n"
            "  namespace: shop\n  labels: {istio.io/rev: canary}\nspec:\n  hosts: [a]\n  http:\n  - route:\n"
            "    - destination: {host: missing-one}\n---\n"
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: default-rev\n"
            "  namespace: shop\nspec:\n  hosts: [b]\n  http:\n  - route:\n    - destination: {host: missing-two}\n"
            "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n  namespace: shop\nspec:\n"
            "  selector: {app: b}\n  ports:\n  - {name: http, port: 80}\n");
  FakeApiServer fake({dir + "/rev.yaml"});
  std::string kc = fake.WriteKubeconfig();
  auto missing = RunMeshctl({"analyze", "--kubeconfig", kc, "-n", "nope"});
  CheckNoToken(missing);
  CHECK(missing.exit_code == 0);
  CHECK(missing.err.find("namespace \"nope\" not found") != std::string::npos);

  auto def = RunMeshctl({"analyze", "--kubeconfig", kc, "-n", "shop", "-o", "json"});
  auto d = Findings(def.out);
  CHECK(d.count({"IST0101", "VirtualService shop/default-rev"}) == 1);
  CHECK(d.count({"IST0101", "VirtualService shop/canary-rev"}) == 0);
  auto canary = RunMeshctl({"analyze", "--kubeconfig", kc, "-A", "-r", "canary", "-o", "json"});
  auto c = Findings(canary.out);
  CHECK(c.count({"IST0101", "VirtualService shop/canary-rev"}) == 1);
  CHECK(c.count({"IST0101", "VirtualService shop/default-rev"}) == 1);  // no label: every revision
}

TEST_CASE("analyze live: -r reads the revision's mesh ConfigMap istio-REV, else istio", "[kube][analyze]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({"testdata/analysis/revisions/mesh-configmaps.yaml"});
  std::string kc = fake.WriteKubeconfig();
  const std::set<std::pair<std::string, std::string>> from_istio = {
      {"IST0126", "MeshNetworks istio-system/meshnetworks"}, {"IST0157", "Telemetry shop/access-logs"}};
  for (const char* rev : {"default", "stable"}) {
    auto r = RunMeshctl({"analyze", "-A", "-r", rev, "--kubeconfig", kc, "-o", "json"});
    INFO(rev << ": " << r.err);
    CheckNoToken(r);
    CHECK(r.exit_code == 0);
    auto found = Findings(r.out);
    for (const auto& f : from_istio) CHECK(found.count(f) == 1);
  }
  auto canary = RunMeshctl({"analyze", "-A", "-r", "canary", "--kubeconfig", kc, "-o", "json"});
  CheckNoToken(canary);
  auto found = Findings(canary.out);
  for (const auto& f : from_istio) CHECK(found.count(f) == 0);
  // The same resources as a file give the same answer.
  auto file = RunMeshctl({"analyze", "-A", "-r", "canary", "-o", "json", "testdata/analysis/revisions/mesh-configmaps.yaml"});
  CHECK(Findings(file.out) == found);
}

TEST_CASE("analyze live: --remote-contexts analyzes several clusters and findings name theirs", "[kube][analyze]") {
  SKIP_WITHOUT_FAKE();
  std::string dir = MakeTempDir();
  auto svc = [](const std::string& name, const std::string& extra) {
    return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n  namespace: shop\nspec:\n" + extra +
           "  selector: {app: " + name + "}\n  ports:\n  - {name: http, port: 80, protocol: TCP}\n";
  };
  WriteFile(dir + "/primary.yaml", svc("same", "") + "---\n" + svc("headless", ""));
  WriteFile(dir + "/east.yaml", svc("same", "") + "---\n" + svc("headless", "  clusterIP: None\n"));
  FakeApiServer primary({dir + "/primary.yaml"});
  FakeApiServer east({dir + "/east.yaml"});
  std::string kc = dir + "/kubeconfig";
  auto cluster = [](const std::string& name, const std::string& url) {
    return "- name: " + name + "\n  cluster:\n    server: " + url + "\n    certificate-authority: " + Certs().ca + "\n";
  };
  auto context = [](const std::string& name) {
    return "- name: " + name + "\n  context:\n    cluster: " + name + "\n    user: tester\n";
  };
  WriteFile(kc, "apiVersion: v1\nkind: Config\nclusters:\n" + cluster("primary", primary.url()) +
                    cluster("east", east.url()) + "users:\n- name: tester\n  user:\n    token: " + kFakeToken +
                    "\ncontexts:\n" + context("primary") + context("east") + "current-context: primary\n");

  auto log = RunMeshctl({"analyze", "-A", "--kubeconfig", kc, "--remote-contexts", "east"});
  INFO(log.err);
  CheckNoToken(log);
  CHECK(log.exit_code == 0);  // IST0170 is a warning
  CHECK_THAT(log.out, Catch::Contains("Warning [IST0170] [cluster-east] (Service shop/headless) The service headless "
                                      "in namespace \"shop\" is inconsistent across clusters [\"east\" \"primary\"]"));
  CHECK_THAT(log.out, !Catch::Contains("shop/same"));
  auto json = RunMeshctl({"analyze", "-A", "--kubeconfig", kc, "--remote-contexts", "east", "-o", "json"});
  bool tagged = false;
  for (const auto& d : nlohmann::json::parse(json.out))
    if (d["code"] == "IST0170") tagged = d.value("cluster", "") == "east";
  CHECK(tagged);
  // Both clusters were listed.
  CHECK_FALSE(primary.Requests().empty());
  CHECK_FALSE(east.Requests().empty());
  // One cluster alone has nothing to compare.
  auto alone = RunMeshctl({"analyze", "-A", "--kubeconfig", kc});
  CHECK_THAT(alone.out, !Catch::Contains("IST0170"));
  CHECK_THAT(alone.out, !Catch::Contains("[cluster-"));
  // A context the kubeconfig does not have is named; files-only mode cannot read clusters.
  auto missing = RunMeshctl({"analyze", "-A", "--kubeconfig", kc, "--remote-contexts", "west"});
  CHECK(missing.exit_code == 64);
  CHECK_THAT(missing.err, Catch::Contains("west"));
  auto offline = RunMeshctl({"analyze", "--use-kube=false", "--remote-contexts", "east", dir + "/east.yaml"});
  CHECK(offline.exit_code == 64);
  CheckNoToken(missing);
}

TEST_CASE("analyze live: server errors exit 69 naming the server, never the token", "[kube][analyze]") {
  SKIP_WITHOUT_FAKE();
  struct Case {
    std::vector<std::string> fake_flags;
    std::string expect;
  };
  std::vector<Case> cases = {
      {{"--forbid", "list:secrets"}, "403 Forbidden"},
      {{"--fail", "/api/v1/pods=500"}, "HTTP 500"},
      {{"--fail", "/api/v1/services=429", "--retry-after", "0"}, "429"},
      {{"--fail", "/api/v1/namespaces/default=404"}, "404"},
      {{"--slow", "/api/v1/nodes=5"}, "did not answer"},
  };
  for (const auto& c : cases) {
    FakeApiServer fake({"testdata/bookinfo/namespace.yaml"}, c.fake_flags);
    std::string kc = fake.WriteKubeconfig();
    auto r = RunMeshctl({"analyze", "-A", "--kubeconfig", kc, "--request-timeout", "1s"});
    INFO(c.expect << ": " << r.err);
    CheckNoToken(r);
    if (c.expect == "404") {
      // 404 on the namespace check (not -A) is "not found", exit 0.
      auto n = RunMeshctl({"analyze", "--kubeconfig", kc});
      CHECK(n.exit_code == 0);
      CHECK(n.err.find("not found") != std::string::npos);
      continue;
    }
    CHECK(r.exit_code == 69);
    CHECK(r.err.find(c.expect) != std::string::npos);
    CHECK(r.err.find(fake.url()) != std::string::npos);
  }
  {
    // 401: a token the server does not know.
    FakeApiServer fake;
    std::string kc = fake.WriteKubeconfig("    token: not-the-right-token-77\n");
    auto r = RunMeshctl({"analyze", "-A", "--kubeconfig", kc});
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("401") != std::string::npos);
    CHECK(r.err.find(fake.url()) != std::string::npos);
    CHECK(r.err.find("not-the-right-token-77") == std::string::npos);
    // TLS failure: a CA that did not sign the server's certificate.
    std::string bad_ca = fake.WriteKubeconfig("", "    certificate-authority: " + Certs().other_ca + "\n");
    r = RunMeshctl({"analyze", "-A", "--kubeconfig", bad_ca});
    CheckNoToken(r);
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("TLS failure") != std::string::npos);
    CHECK(r.err.find(fake.url()) != std::string::npos);
  }
  {
    // Unreachable: nothing listens on port 1.
    std::string dir = MakeTempDir();
    WriteFile(dir + "/kc", std::string("apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster:\n") +
                               "    server: https://127.0.0.1:1\n    insecure-skip-tls-verify: true\nusers:\n"
                               "- name: u\n  user:\n    token: " + kFakeToken +
                               "\ncontexts:\n- name: x\n  context: {cluster: x, user: u}\ncurrent-context: x\n");
    auto r = RunMeshctl({"analyze", "--kubeconfig", dir + "/kc"});
    CheckNoToken(r);
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("https://127.0.0.1:1") != std::string::npos);
  }
}

}  // namespace
}  // namespace meshctl::testing
