// `meshctl zc` against a live cluster: the fake API server
// (tests/kube/fake_apiserver.py) serving testdata/ambient/live/cluster.yaml
// (ztunnel DaemonSet, a ztunnel on node-a and node-b, shop's pods) and
// forwarding each ztunnel's port 15000 to a fake ztunnel admin. Checks the
// target choice of ambient.md §1.2 (pod -> its node's ztunnel, --node, a
// ztunnel pod, several ztunnels where one is needed), that the request went
// through pods/portforward of the chosen pod, and `log` on every ztunnel.
#include <catch2/catch.hpp>

#include <memory>
#include <mutex>
#include <string>

#include "lib/ambient/ztunnel_target.h"
#include "tests/kube/fake_cluster.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

const char kCluster[] = "testdata/ambient/live/cluster.yaml";
const char kGoldens[] = "testdata/ambient/ztunnel/";

// A ztunnel admin: /config_dump and POST /logging as ztunnel answers them.
struct FakeZtunnel {
  std::string dump = ReadFileOrDie(SourceDir() + "/testdata/ambient/ztunnel/list-layout.json");
  std::mutex mu;
  std::string level = "info";
  FakeHttpServer server{[this](const RecordedRequest& r) {
    if (r.path == "/config_dump" && r.method == "GET") return FakeResponse{200, dump};
    if (r.path == "/logging" && r.method == "POST") {
      std::lock_guard<std::mutex> lock(mu);
      if (r.query.rfind("level=", 0) == 0) level = r.query.substr(6);
      return FakeResponse{200, "current log level is " + level + "\n", "text/plain"};
    }
    return FakeResponse{404, "not found", "text/plain"};
  }};
};

struct AmbientCluster {
  FakeZtunnel node_a, node_b;
  std::unique_ptr<FakeApiServer> api;
  std::string kubeconfig;

  AmbientCluster() {
    api = std::make_unique<FakeApiServer>(
        std::vector<std::string>{kCluster},
        std::vector<std::string>{"--portforward", "istio-system/ztunnel-aaaaa:15000=" + node_a.server.address(),
                                 "--portforward", "istio-system/ztunnel-bbbbb:15000=" + node_b.server.address()});
    kubeconfig = api->WriteKubeconfig();
  }

  RunResult Run(std::vector<std::string> args) const {
    args.insert(args.end(), {"--kubeconfig", kubeconfig});
    RunResult r = RunInProcess(args);
    CHECK(r.out.find(kFakeToken) == std::string::npos);
    CHECK(r.err.find(kFakeToken) == std::string::npos);
    return r;
  }

  // The pods whose port-forward was opened since the last ClearRequests().
  std::vector<std::string> Forwarded() const {
    std::vector<std::string> out;
    for (const auto& r : api->Requests()) {
      std::string path = r.value("path", "");
      if (r.value("method", "") == "WS" && path.find("/portforward") != std::string::npos) out.push_back(path);
    }
    return out;
  }
};

const std::string kFwdA = "/api/v1/namespaces/istio-system/pods/ztunnel-aaaaa/portforward";
const std::string kFwdB = "/api/v1/namespaces/istio-system/pods/ztunnel-bbbbb/portforward";

bool OnlyForwardedTo(const std::vector<std::string>& paths, const std::string& want) {
  if (paths.empty()) return false;
  for (const auto& p : paths)
    if (p != want) return false;
  return true;
}

TEST_CASE("ztunnel pods are recognised as istioctl recognises them", "[ambient][zc]") {
  kube::PodInfo p;
  p.name = "ztunnel-x1";
  CHECK(ambient::IsZtunnelPod(p));
  p.labels["app"] = "other";
  CHECK_FALSE(ambient::IsZtunnelPod(p));  // the label wins over the name
  p.name = "node-agent";
  p.labels["app"] = "ztunnel";
  CHECK(ambient::IsZtunnelPod(p));
  p.labels.clear();
  CHECK_FALSE(ambient::IsZtunnelPod(p));
}

TEST_CASE("zc POD.NS reads the ztunnel on the pod's node and shows that workload", "[ambient][zc][kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  AmbientCluster c;
  SECTION("workload on node-b") {
    auto r = c.Run({"zc", "workload", "cart-6d9f7c8b9-q8w7e.shop"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CheckGolden(std::string(kGoldens) + "workloads_node_b.txt", r.out);
    CHECK(OnlyForwardedTo(c.Forwarded(), kFwdB));
    CHECK(c.node_b.server.requests().size() == 1);
    CHECK(c.node_a.server.requests().empty());
  }
  SECTION("connections of a workload on node-a, via -n") {
    auto r = c.Run({"zc", "connections", "cart-6d9f7c8b9-x2x4z", "-n", "shop"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CheckGolden(std::string(kGoldens) + "connections.txt", r.out);
    CHECK(OnlyForwardedTo(c.Forwarded(), kFwdA));
  }
  SECTION("a typed argument: a pod of the Service, then its node's ztunnel") {
    auto r = c.Run({"zc", "workload", "svc/cart.shop"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.find("shop      cart-6d9f7c8b9-") != std::string::npos);
    auto fwd = c.Forwarded();
    CHECK((OnlyForwardedTo(fwd, kFwdA) || OnlyForwardedTo(fwd, kFwdB)));
  }
  SECTION("a ztunnel pod by bare name is found in the Istio namespace and shows everything") {
    auto r = c.Run({"zc", "workload", "ztunnel-bbbbb"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CheckGolden(std::string(kGoldens) + "workloads.txt", r.out);
    CHECK(OnlyForwardedTo(c.Forwarded(), kFwdB));
  }
}

TEST_CASE("zc --node and no target choose among the DaemonSet's pods", "[ambient][zc][kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  AmbientCluster c;
  SECTION("--node node-a") {
    auto r = c.Run({"zc", "workload", "--node", "node-a"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CheckGolden(std::string(kGoldens) + "workloads.txt", r.out);
    CHECK(OnlyForwardedTo(c.Forwarded(), kFwdA));
  }
  SECTION("services without a target take one ztunnel, kubectl-logs order (ready longest)") {
    auto r = c.Run({"zc", "services"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CheckGolden(std::string(kGoldens) + "services.txt", r.out);
    CHECK(OnlyForwardedTo(c.Forwarded(), kFwdA));
  }
  SECTION("certificates need one ztunnel") {
    auto r = c.Run({"zc", "certificates"});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("ztunnel pod name or --node must be set") != std::string::npos);
    CHECK(c.Forwarded().empty());
  }
  SECTION("--node and a pod together") {
    auto r = c.Run({"zc", "workload", "--node", "node-a", "cart-6d9f7c8b9-q8w7e.shop"});
    CHECK(r.exit_code == 64);
  }
  SECTION("a node without a ztunnel") {
    auto r = c.Run({"zc", "workload", "--node", "node-z"});
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("no ztunnel pod found on node \"node-z\"") != std::string::npos);
  }
  SECTION("an unscheduled pod") {
    auto r = c.Run({"zc", "workload", "cart-unscheduled.shop"});
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("not scheduled to a node") != std::string::npos);
  }
  SECTION("a missing pod") {
    auto r = c.Run({"zc", "workload", "nothere.shop"});
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("pod \"nothere\" not found in namespace \"shop\"") != std::string::npos);
  }
  SECTION("no ztunnel DaemonSet in the given Istio namespace") {
    auto r = c.Run({"zc", "services", "-i", "istio-other"});
    CHECK(r.exit_code == 69);
    CHECK(r.err.find("DaemonSet istio-other/ztunnel not found") != std::string::npos);
  }
}

TEST_CASE("zc log sets the level on every ztunnel through its port-forward", "[ambient][zc][kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  AmbientCluster c;
  SECTION("all ztunnels") {
    auto r = c.Run({"zc", "log", "--level", "warning"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out ==
          "ztunnel-aaaaa.istio-system:\ncurrent log level is warn\n\n"
          "ztunnel-bbbbb.istio-system:\ncurrent log level is warn\n\n");
    REQUIRE(c.node_a.server.requests().size() == 1);
    CHECK(c.node_a.server.requests()[0].method == "POST");
    CHECK(c.node_b.server.requests().size() == 1);
  }
  SECTION("one node's ztunnel") {
    auto r = c.Run({"zc", "log", "--node", "node-b", "--reset"});
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    CHECK(r.out.rfind("ztunnel-bbbbb.istio-system:\n", 0) == 0);
    CHECK(c.node_a.server.requests().empty());
    REQUIRE(c.node_b.server.requests().size() == 1);
    CHECK(c.node_b.server.requests()[0].query == "level=info&reset");
  }
  SECTION("a workload pod is not a ztunnel") {
    auto r = c.Run({"zc", "log", "cart-6d9f7c8b9-q8w7e.shop", "--level", "debug"});
    CHECK(r.exit_code == 64);
    CHECK(r.err.find("workloads command is only supported by Ztunnel proxies: cart-6d9f7c8b9-q8w7e.shop") !=
          std::string::npos);
  }
}

TEST_CASE("proxy-status ZTUNNEL-POD says there is no sync diff, as istioctl", "[ambient][kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  AmbientCluster c;
  auto r = c.Run({"ps", "ztunnel-bbbbb.istio-system"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Sync diff is not available for ztunnel pod ztunnel-bbbbb.istio-system\n");
  // Offline too, by name.
  auto off = RunInProcess({"ps", "ztunnel-x.istio-system", "--file", "/nonexistent.json", "--xds-address", "127.0.0.1:1"});
  CHECK(off.exit_code == 0);
  CHECK(off.out == "Sync diff is not available for ztunnel pod ztunnel-x.istio-system\n");
}

TEST_CASE("zc names the ztunnel and port when its admin port refuses", "[ambient][zc][kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  // No --portforward backend for the ztunnels: the kubelet refuses the port.
  FakeApiServer api({kCluster});
  std::string kc = api.WriteKubeconfig();
  auto r = RunInProcess({"zc", "workload", "--node", "node-a", "--kubeconfig", kc});
  CHECK(r.exit_code == 69);
  CHECK(r.err.find("ztunnel-aaaaa") != std::string::npos);
  CHECK(r.err.find("15000") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::testing
