// proxy-status and proxy-config through the cluster (issue 11): POD argument
// forms and kubectl's pod choice (unit), resolution against the fake API
// server, and end to end: `meshctl ps` finding two istiod pods and reaching
// each through a port-forward with a TokenRequest token that fake-istiod
// checks and a server certificate verified against istio-ca-root-cert;
// `pc cluster POD.NS` / `deploy/NAME.NS` printing the golden table through
// a port-forward to a fake Envoy admin; `ps POD.NS` printing the diff; and
// the faults (Pending pod, RBAC 403 on the token and on port-forward, no
// istiod, the webhook fallback, a wrong root CA).
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>

#include "lib/kube/istiod.h"
#include "lib/kube/pod_target.h"
#include "tests/kube/fake_cluster.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

using kube::ParsePodArgument;
using kube::PodInfo;
using kube::TargetKind;

const char kSaToken[] = "istio-ca-token-3f9d0c7a51";

// ---- unit: arguments, order, selectors

TEST_CASE("pod arguments split as istioctl's inferNsInfo", "[kube][pods]") {
  auto a = ParsePodArgument("productpage-v1-abc.bookinfo", "default");
  REQUIRE(a.ok());
  CHECK(a->name == "productpage-v1-abc");
  CHECK(a->ns == "bookinfo");
  CHECK_FALSE(a->typed);
  auto b = ParsePodArgument("productpage-v1-abc", "ctx-ns");
  REQUIRE(b.ok());
  CHECK(b->ns == "ctx-ns");
  auto c = ParsePodArgument("deploy/productpage-v1.bookinfo", "default");
  REQUIRE(c.ok());
  CHECK(c->typed);
  CHECK(c->kind == TargetKind::kDeployment);
  CHECK(c->name == "productpage-v1");
  CHECK(c->ns == "bookinfo");
  // The last dot after the slash splits; dots in the kind do not.
  auto d = ParsePodArgument("deployments.apps/reviews", "default");
  REQUIRE(d.ok());
  CHECK(d->kind == TargetKind::kDeployment);
  CHECK(d->name == "reviews");
  CHECK(d->ns == "default");
  struct K {
    const char* text;
    TargetKind kind;
  };
  for (const K& k : std::vector<K>{{"deployment/x", TargetKind::kDeployment},
                                   {"sts/x", TargetKind::kStatefulSet},
                                   {"ds/x", TargetKind::kDaemonSet},
                                   {"rs/x", TargetKind::kReplicaSet},
                                   {"job/x", TargetKind::kJob},
                                   {"svc/x", TargetKind::kService},
                                   {"service/x", TargetKind::kService},
                                   {"rc/x", TargetKind::kReplicationController},
                                   {"gateway/x", TargetKind::kGateway},
                                   {"gtw/x", TargetKind::kGateway},
                                   {"gateway.gateway.networking.k8s.io/x", TargetKind::kGateway}}) {
    INFO(k.text);
    auto r = ParsePodArgument(k.text, "default");
    REQUIRE(r.ok());
    CHECK(r->kind == k.kind);
    CHECK(r->typed);
  }
  auto pod = ParsePodArgument("pod/p1.ns1", "default");
  REQUIRE(pod.ok());
  CHECK_FALSE(pod->typed);  // pod/x is the pod itself
  CHECK(pod->name == "p1");
  auto bad = ParsePodArgument("cronjob/x", "default");
  CHECK(bad.status().code() == core::StatusCode::kInvalidArgument);
  CHECK(bad.status().message().find("unknown kind \"cronjob\"") != std::string::npos);
  CHECK_FALSE(ParsePodArgument("deploy/", "default").ok());
  CHECK_FALSE(ParsePodArgument("x.", "default").ok());
  CHECK_FALSE(ParsePodArgument("gateway.networking.istio.io/x", "default").ok());
}

PodInfo P(std::string name, std::string node, std::string phase, bool ready, std::string ready_since, int restarts,
          std::string created) {
  PodInfo p;
  p.name = std::move(name);
  p.node_name = std::move(node);
  p.phase = std::move(phase);
  p.ready = ready;
  p.ready_since = std::move(ready_since);
  p.restarts = restarts;
  p.created = std::move(created);
  return p;
}

TEST_CASE("pods are chosen in kubectl's ByLogging order", "[kube][pods]") {
  const std::string t0 = "2026-01-01T00:00:00Z", t1 = "2026-01-02T00:00:00Z";
  using kube::BetterForLogging;
  // 1. assigned first
  CHECK(BetterForLogging(P("a", "n1", "Pending", false, "", 0, t0), P("b", "", "Running", true, t0, 0, t0)));
  // 2. Running < Unknown < Pending
  CHECK(BetterForLogging(P("a", "n", "Running", false, "", 0, t1), P("b", "n", "Unknown", false, "", 0, t0)));
  CHECK(BetterForLogging(P("a", "n", "Unknown", false, "", 0, t1), P("b", "n", "Pending", false, "", 0, t0)));
  // 3. ready first
  CHECK(BetterForLogging(P("a", "n", "Running", true, t1, 0, t1), P("b", "n", "Running", false, "", 9, t0)));
  // 4. ready for longer first
  CHECK(BetterForLogging(P("a", "n", "Running", true, t0, 0, t1), P("b", "n", "Running", true, t1, 5, t0)));
  // 5. more restarts first
  CHECK(BetterForLogging(P("a", "n", "Running", true, t0, 2, t1), P("b", "n", "Running", true, t0, 1, t0)));
  // 6. older first
  CHECK(BetterForLogging(P("a", "n", "Running", true, t0, 1, t0), P("b", "n", "Running", true, t0, 1, t1)));
  CHECK_FALSE(BetterForLogging(P("a", "n", "Running", true, t0, 1, t0), P("b", "n", "Running", true, t0, 1, t0)));
  std::vector<PodInfo> pods = {P("pending", "", "Pending", false, "", 0, t0), P("new", "n", "Running", true, t1, 0, t1),
                               P("old", "n", "Running", true, t0, 0, t0)};
  kube::SortByLogging(pods);
  CHECK(pods[0].name == "old");
  CHECK(pods[1].name == "new");
  CHECK(pods[2].name == "pending");
}

TEST_CASE("workload selectors become kubectl's selector strings", "[kube][pods]") {
  auto dep = kube::SelectorForObject(
      TargetKind::kDeployment,
      R"({"spec":{"selector":{"matchLabels":{"version":"v1","app":"ratings"},"matchExpressions":[
          {"key":"tier","operator":"In","values":["web","api"]},{"key":"canary","operator":"DoesNotExist"},
          {"key":"zone","operator":"NotIn","values":["b","a"]},{"key":"owner","operator":"Exists"}]}}})",
      "deployment x");
  REQUIRE(dep.ok());
  CHECK(*dep == "app=ratings,!canary,owner,tier in (api,web),version=v1,zone notin (a,b)");  // sorted by key
  auto svc = kube::SelectorForObject(TargetKind::kService, R"({"spec":{"selector":{"b":"2","a":"1"}}})", "service s");
  REQUIRE(svc.ok());
  CHECK(*svc == "a=1,b=2");
  auto none = kube::SelectorForObject(TargetKind::kService, R"({"spec":{"ports":[]}})", "service \"s\"");
  CHECK(none.status().message().find("defined without a selector") != std::string::npos);
  auto gw = kube::SelectorForObject(TargetKind::kGateway, R"({"metadata":{"name":"g"},"spec":{}})", "gateway g");
  REQUIRE(gw.ok());
  CHECK(*gw == "gateway.networking.k8s.io/gateway-name=g");
  auto gw_ip = kube::SelectorForObject(
      TargetKind::kGateway, R"({"metadata":{"name":"g"},"spec":{"addresses":[{"value":"10.0.0.1"}]}})", "gateway g");
  CHECK(gw_ip.ok());
  auto unmanaged = kube::SelectorForObject(
      TargetKind::kGateway, R"({"metadata":{"name":"g"},"spec":{"addresses":[{"type":"Hostname","value":"h"}]}})",
      "gateway g");
  CHECK(unmanaged.status().message().find("not a managed gateway") != std::string::npos);
  CHECK(kube::IstiodServerName("istio-system", "") == "istiod.istio-system.svc");
  CHECK(kube::IstiodServerName("istio-system", "canary") == "istiod-canary.istio-system.svc");
}

// ---- against the fake API server (no port-forward)

std::unique_ptr<kube::Client> ClientFor(const std::string& kubeconfig) {
  kube::ClusterFlags cf;
  cf.kubeconfig = kubeconfig;
  auto rc = kube::LoadRestConfig(cf);
  REQUIRE(rc.ok());
  auto c = kube::Client::Create(std::move(rc).value());
  REQUIRE(c.ok());
  return std::move(c).value();
}

TEST_CASE("pod arguments resolve through the cluster as istioctl resolves them", "[kube][pods]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({"testdata/kube/mesh.yaml", "testdata/kube/mesh-canary.yaml"});
  auto client = ClientFor(fake.WriteKubeconfig("", "", "bookinfo"));
  auto resolve = [&](const std::string& text) {
    auto arg = ParsePodArgument(text, "bookinfo");
    REQUIRE(arg.ok());
    return kube::ResolvePod(*client, *arg, {std::chrono::milliseconds(0)});
  };
  const std::string best = "productpage-v1-6b746f74dc-xxx";
  for (const char* form :
       {"deploy/productpage-v1", "deployment/productpage-v1.bookinfo", "rs/productpage-v1-6b746f74dc",
        "svc/productpage", "service/productpage.bookinfo", "deployments.apps/productpage-v1"}) {
    INFO(form);
    auto p = resolve(form);
    INFO(p.status().message());
    REQUIRE(p.ok());
    CHECK(p->name == best);
    CHECK(p->ns == "bookinfo");
  }
  auto sts = resolve("sts/mongodb");
  REQUIRE(sts.ok());
  CHECK(sts->name == "mongodb-0");
  auto gw = resolve("gateway/bookinfo-gateway");
  REQUIRE(gw.ok());
  CHECK(gw->name == "bookinfo-gateway-istio-7c9d-gw1");
  // matchExpressions reach the server as a selector it evaluates.
  auto ratings = resolve("deploy/ratings-v1");
  REQUIRE(ratings.ok());
  CHECK(ratings->name == "ratings-v1-55b8c-zzz");
  bool sent = false;
  for (const auto& r : fake.Requests())
    if (r["path"] == "/api/v1/namespaces/bookinfo/pods" && r["query"].contains("labelSelector") &&
        r["query"]["labelSelector"][0] == "app=ratings,!canary,version in (v0,v1)")
      sent = true;
  CHECK(sent);

  auto missing = resolve("deploy/nope");
  CHECK(missing.status().code() == core::StatusCode::kUnavailable);
  CHECK(missing.status().message() == "deployment \"nope\" in namespace \"bookinfo\" not found");
  auto empty = resolve("ds/ztunnel.istio-system");
  CHECK(empty.status().message().find("no pods match daemonset \"ztunnel\" in namespace \"istio-system\" "
                                      "(selector app=ztunnel)") != std::string::npos);
  CHECK(resolve("svc/external-db").status().message().find("without a selector") != std::string::npos);
  CHECK(resolve("gateway/shared-gateway").status().message().find("not a managed gateway") != std::string::npos);

  // log/stats: every pod of the workload.
  auto all = kube::ResolvePods(*client, *ParsePodArgument("deploy/productpage-v1", "bookinfo"));
  REQUIRE(all.ok());
  CHECK(all->size() == 4);
  auto sel = kube::PodsForSelector(*client, "bookinfo", "app=mongodb");
  REQUIRE(sel.ok());
  CHECK(sel->size() == 1);
  CHECK(kube::PodsForSelector(*client, "bookinfo", "app=none").status().message().find("no pods found") !=
        std::string::npos);

  auto pending = kube::GetRunningPod(*client, "bookinfo", "ratings-v1-55b8c-zzz");
  CHECK(pending.status().message().find("is not running (status.phase Pending)") != std::string::npos);
  auto gone = kube::GetRunningPod(*client, "bookinfo", "nope");
  CHECK(gone.status().message() == "pod \"nope\" not found in namespace \"bookinfo\"");

  // istiod: Running only, the revision label appended.
  kube::IstiodOptions io;
  auto pods = kube::FindIstiodPods(*client, io);
  REQUIRE(pods.ok());
  CHECK(pods->size() == 3);  // two default replicas and the canary one (no revision given)
  io.revision = "default";
  pods = kube::FindIstiodPods(*client, io);
  REQUIRE(pods.ok());
  CHECK(pods->size() == 2);
}

TEST_CASE("TokenRequest for istiod: audience istio-ca, RBAC denial names the verb, never printed", "[kube][pods]") {
  SKIP_WITHOUT_FAKE();
  {
    FakeApiServer fake({"testdata/kube/mesh.yaml"}, {"--sa-token", kSaToken});
    auto client = ClientFor(fake.WriteKubeconfig());
    auto tok = kube::RequestServiceAccountToken(*client, "istio-system", "default", {"istio-ca"});
    REQUIRE(tok.ok());
    CHECK(tok->token.reveal() == kSaToken);
    CHECK_FALSE(tok->expiration.empty());
    nlohmann::json req;
    for (const auto& r : fake.Requests())
      if (r["path"] == "/api/v1/namespaces/istio-system/serviceaccounts/default/token") req = r;
    REQUIRE(req.is_object());
    CHECK(req["method"] == "POST");
    auto body = nlohmann::json::parse(req["body"].get<std::string>());
    CHECK(body["kind"] == "TokenRequest");
    CHECK(body["spec"]["audiences"] == nlohmann::json::array({"istio-ca"}));
    CHECK(body["spec"]["expirationSeconds"] == 3600);
    auto missing_sa = kube::RequestServiceAccountToken(*client, "bookinfo", "default", {"istio-ca"});
    CHECK(missing_sa.status().message().find("404") != std::string::npos);
  }
  FakeApiServer fake({"testdata/kube/mesh.yaml"}, {"--sa-token", kSaToken, "--forbid", "create:serviceaccounts/token"});
  auto client = ClientFor(fake.WriteKubeconfig());
  auto tok = kube::RequestServiceAccountToken(*client, "istio-system", "default", {"istio-ca"});
  CHECK(tok.status().code() == core::StatusCode::kUnavailable);
  CHECK(tok.status().message().find("403") != std::string::npos);
  CHECK(tok.status().message().find("verb \"create\" on resource \"serviceaccounts/token\"") != std::string::npos);
  CHECK(tok.status().message().find(kSaToken) == std::string::npos);
}

TEST_CASE("the injection webhook's URL is the external control plane's address", "[kube][pods]") {
  SKIP_WITHOUT_FAKE();
  std::string dir = MakeTempDir();
  WriteFile(
      dir + "/webhooks.yaml",
      "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n"
      "  name: istio-sidecar-injector\n  labels: {istio.io/rev: default}\nwebhooks:\n"
      "- name: sidecar-injector.istio.io\n  clientConfig:\n    url: https://istiod.example.com/inject/cluster/c1\n"
      "---\napiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n"
      "  name: istio-revision-tag-default\n  labels: {istio.io/rev: default, istio.io/tag: default}\nwebhooks:\n"
      "- name: tag.istio.io\n  clientConfig:\n    url: https://tag.example.com:8443/inject\n");
  FakeApiServer fake({dir + "/webhooks.yaml"});
  auto client = ClientFor(fake.WriteKubeconfig());
  auto addr = kube::XdsAddressFromWebhooks(*client, "");
  REQUIRE(addr.ok());
  REQUIRE(addr->has_value());
  CHECK(**addr == "istiod.example.com:443");
  auto none = kube::XdsAddressFromWebhooks(*client, "canary");
  REQUIRE(none.ok());
  CHECK_FALSE(none->has_value());
}

// ---- end to end through port-forwards

struct Proc {
  std::unique_ptr<ChildProcess> proc;
  std::string plain, tls;
};

Proc StartIstiod(const std::string& id, const std::string& certs) {
  Proc p;
  p.proc = std::make_unique<ChildProcess>(std::vector<std::string>{MESHCTL_FAKE_ISTIOD, "--id", id, "--tls-cert",
                                                                   certs + "/cert.pem", "--tls-key", certs + "/key.pem",
                                                                   "--require-token", kSaToken});
  p.proc->WaitFor("READY");
  p.plain = "127.0.0.1:" + p.proc->WaitFor("PORT");
  p.tls = "127.0.0.1:" + p.proc->WaitFor("TLS_PORT");
  return p;
}

std::unique_ptr<ChildProcess> StartProxy(const std::string& xds, const std::string& pod, const std::string& ns) {
  auto c = std::make_unique<ChildProcess>(
      std::vector<std::string>{MESHCTL_XDS_GRPC_CLIENT, "--xds-server", xds, "--pod", pod, "--namespace", ns});
  c->WaitFor("CSDS_PORT");
  return c;
}

// istiod's serving certificate (self-signed, so it is its own root) for
// istiod.istio-system.svc, and an unrelated CA.
std::string MakeIstiodCerts() {
  std::string dir = MakeTempDir();
  std::string cmd = "cd '" + dir +
                    "' && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
                    "-subj /CN=istiod -keyout key.pem -out cert.pem "
                    "-addext subjectAltName=DNS:istiod.istio-system.svc,IP:127.0.0.1 >/dev/null 2>&1 && "
                    "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 "
                    "-subj /CN=other -keyout other.key -out other.pem >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return dir;
}

// The istio-ca-root-cert ConfigMap holding `pem_file`.
std::string RootCertConfigMap(const std::string& dir, const std::string& pem_file) {
  std::string pem = ReadFileOrDie(pem_file);
  nlohmann::json cm = {{"apiVersion", "v1"},
                       {"kind", "ConfigMap"},
                       {"metadata", {{"name", "istio-ca-root-cert"}, {"namespace", "istio-system"}}},
                       {"data", {{"root-cert.pem", pem}}}};
  std::string path = dir + "/root-ca-" + std::to_string(std::hash<std::string>()(pem_file)) + ".json";
  WriteFile(path, cm.dump());
  return path;
}

// A fake Envoy admin for one pod: /config_dump, /clusters, /logging.
struct FakeAdmin {
  std::atomic<int> dump_kind{0};  // 0: testdata/envoy/config_dump.json, 1: xds match, 2: xds diff
  std::string pc_dump = ReadFileOrDie(SourceDir() + "/testdata/envoy/config_dump.json");
  std::string match = ReadFileOrDie(SourceDir() + "/testdata/xds/envoy_dump_match.json");
  std::string diff = ReadFileOrDie(SourceDir() + "/testdata/xds/envoy_dump_diff.json");
  std::string level = "warning";
  FakeHttpServer server{[this](const RecordedRequest& r) {
    if (r.path == "/config_dump") {
      int k = dump_kind.load();
      return FakeResponse{200, k == 0 ? pc_dump : k == 1 ? match : diff};
    }
    if (r.path == "/logging") {
      if (r.query.rfind("level=", 0) == 0) level = r.query.substr(6);
      return FakeResponse{200, "active loggers:\n  admin: " + level + "\n  http: " + level + "\n", "text/plain"};
    }
    if (r.path == "/stats") return FakeResponse{200, "server.live: 1\n", "text/plain"};
    return FakeResponse{404, "not found", "text/plain"};
  }};
};

const char kIstiod1[] = "istiod-7d4c8b9f6-a1";
const char kIstiod2[] = "istiod-7d4c8b9f6-b2";
const char kProductpage[] = "productpage-v1-6b746f74dc-xxx";

struct Mesh {
  std::string certs = MakeIstiodCerts();
  Proc istiod1 = StartIstiod("istiod-1", certs);
  Proc istiod2 = StartIstiod("istiod-2", certs);
  FakeAdmin admin;

  std::vector<std::string> Forwards() const {
    return {"--portforward", std::string("istio-system/") + kIstiod1 + ":15012=" + istiod1.tls,
            "--portforward", std::string("istio-system/") + kIstiod2 + ":15012=" + istiod2.tls,
            "--portforward", std::string("bookinfo/") + kProductpage + ":15000=" + admin.server.address(),
            "--portforward", "bookinfo/mongodb-0:15000=" + admin.server.address()};
  }
  std::unique_ptr<FakeApiServer> Api(const std::string& root_pem, std::vector<std::string> extra = {},
                                     bool istio_ca_token = true) const {
    std::vector<std::string> files = {"testdata/kube/mesh.yaml"};
    if (!root_pem.empty()) files.push_back(RootCertConfigMap(certs, root_pem));
    std::vector<std::string> flags = Forwards();
    if (istio_ca_token) flags.insert(flags.end(), {"--sa-token", kSaToken});
    flags.insert(flags.end(), extra.begin(), extra.end());
    return std::make_unique<FakeApiServer>(files, flags);
  }
};

void CheckNoSecrets(const RunResult& r) {
  for (const char* s : {kFakeToken, kSaToken}) {
    CHECK(r.out.find(s) == std::string::npos);
    CHECK(r.err.find(s) == std::string::npos);
  }
}

RunResult Meshctl(std::vector<std::string> args, const std::string& kubeconfig) {
  args.insert(args.end(), {"--kubeconfig", kubeconfig});
  RunResult r = RunMeshctl(args);
  CheckNoSecrets(r);
  return r;
}

TEST_CASE("e2e ps: two istiod pods through two port-forwards, token checked, TLS verified", "[kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  Mesh mesh;
  auto p1 = StartProxy(mesh.istiod1.plain, "details-v1-1.bookinfo", "bookinfo");
  auto p2 = StartProxy(mesh.istiod2.plain, kProductpage, "bookinfo");
  auto api = mesh.Api(mesh.certs + "/cert.pem");
  std::string kc = api->WriteKubeconfig();

  RunResult last;
  Eventually([&] {
    last = Meshctl({"proxy-status", "--timeout", "5s"}, kc);
    return last.exit_code == 0 && last.out.find("istiod-1") != std::string::npos &&
           last.out.find("istiod-2") != std::string::npos && last.out.find("4 (") != std::string::npos;
  });
  INFO(last.out << last.err);
  REQUIRE(last.exit_code == 0);
  CHECK(last.err.empty());
  CHECK(last.out.find(std::string(kProductpage) + ".bookinfo") != std::string::npos);
  CHECK(last.out.find("istiod-2") != std::string::npos);
  CHECK(last.out.find("istiod-1") != std::string::npos);
  // Both pods were reached through the API server; the Pending one was not.
  int forwards = 0;
  bool token = false;
  for (const auto& r : api->Requests()) {
    std::string path = r["path"];
    if (path.find("/portforward") != std::string::npos) {
      CHECK(path.find("istiod-7d4c8b9f6-c3") == std::string::npos);
      ++forwards;
    }
    if (path == "/api/v1/namespaces/istio-system/serviceaccounts/default/token") token = true;
  }
  CHECK(forwards >= 2);
  CHECK(token);

  // version --remote: istiod's version from its syncz identifier, the proxies' from their metadata.
  RunResult version = Meshctl({"version", "--remote"}, kc);
  INFO(version.err);
  CHECK(version.exit_code == 0);
  CHECK(version.out.find("\ncontrol plane version: 1.20.0\ndata plane version: ") != std::string::npos);
  CHECK(version.out.find("(2 proxies)\n") != std::string::npos);

  // A root CA that did not sign istiod's certificate: refused, and said so.
  auto wrong = mesh.Api(mesh.certs + "/other.pem");
  std::string kc2 = wrong->WriteKubeconfig();
  RunResult bad = Meshctl({"ps", "--timeout", "5s"}, kc2);
  CHECK(bad.exit_code == 69);
  CHECK(bad.err.find("istio-ca-root-cert") != std::string::npos);
  CHECK(bad.err.find("istiod pod istio-system/istiod-7d4c8b9f6-") != std::string::npos);
  RunResult skip = Meshctl({"ps", "--timeout", "5s", "--insecure"}, kc2);
  INFO(skip.err);
  CHECK(skip.exit_code == 0);
  CHECK(skip.out.find(std::string(kProductpage) + ".bookinfo") != std::string::npos);

  // No ConfigMap at all: a clear error naming the ways out.
  auto no_ca = mesh.Api("");
  RunResult none = Meshctl({"ps"}, no_ca->WriteKubeconfig());
  CHECK(none.exit_code == 69);
  CHECK(none.err.find("ConfigMap istio-system/istio-ca-root-cert") != std::string::npos);
  CHECK(none.err.find("--insecure") != std::string::npos);
}

TEST_CASE("e2e ps POD.NS diffs the pod's Envoy (port-forward to 15000) against istiod", "[kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  Mesh mesh;
  auto p2 = StartProxy(mesh.istiod2.plain, kProductpage, "bookinfo");
  auto api = mesh.Api(mesh.certs + "/cert.pem");
  std::string kc = api->WriteKubeconfig();
  Eventually([&] { return Meshctl({"ps"}, kc).out.find("4 (") != std::string::npos; });

  mesh.admin.dump_kind = 1;
  RunResult same = Meshctl({"ps", std::string(kProductpage) + ".bookinfo", "--timeout", "5s"}, kc);
  INFO(same.out << same.err);
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("Clusters Match\nListeners Match\nRoutes Match") == 0);
  mesh.admin.dump_kind = 2;
  RunResult diff = Meshctl({"ps", "deploy/productpage-v1.bookinfo", "--timeout", "5s"}, kc);
  INFO(diff.out << diff.err);
  CHECK(diff.exit_code == 0);
  CHECK(diff.out.find("Clusters Don't Match\n--- Istiod Clusters\n+++ Envoy Clusters\n") == 0);
  CHECK(diff.out.find("Routes Don't Match") != std::string::npos);
  bool admin_forward = false;
  for (const auto& r : api->Requests())
    if (r["path"] == std::string("/api/v1/namespaces/bookinfo/pods/") + kProductpage + "/portforward")
      admin_forward = true;
  CHECK(admin_forward);
}

TEST_CASE("e2e pc cluster POD.NS and deploy/NAME.NS print the golden table", "[kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  Mesh mesh;
  auto api = mesh.Api(mesh.certs + "/cert.pem");
  std::string kc = api->WriteKubeconfig();
  std::string golden = ReadFileOrDie(SourceDir() + "/testdata/envoy/golden/cluster.txt");
  for (const std::string& form :
       {std::string(kProductpage) + ".bookinfo", std::string("deploy/productpage-v1.bookinfo"),
        std::string("svc/productpage"), std::string("pod/") + kProductpage}) {
    INFO(form);
    std::vector<std::string> args = {"pc", "cluster", form};
    if (form.find(".bookinfo") == std::string::npos) args.insert(args.end(), {"-n", "bookinfo"});
    RunResult r = Meshctl(args, kc);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == golden);
  }
  // The mask istioctl sends reached the admin.
  bool masked = false;
  for (const auto& r : mesh.admin.server.requests())
    if (r.path == "/config_dump" && r.query.find("mask=dynamic_active_clusters") != std::string::npos) masked = true;
  CHECK(masked);

  // `pc all` against istioctl's own golden, when ../shared is there.
  if (auto shared = SharedDir()) {
    mesh.admin.pc_dump = ReadFileOrDie(*shared + "/fixtures/envoy/istioctl/pkg/proxyconfig/testdata/config_dump.json");
    RunResult all = Meshctl({"pc", "all", std::string(kProductpage) + ".bookinfo"}, kc);
    CHECK(all.exit_code == 0);
    CHECK(all.out ==
          ReadFileOrDie(*shared + "/fixtures/envoy/istioctl/pkg/proxyconfig/testdata/config_dump_summary.txt"));
  }

  // log --level mutates through the same path, printed as <pod>.<ns>:
  RunResult log = Meshctl({"pc", "log", std::string(kProductpage) + ".bookinfo", "--level", "debug"}, kc);
  INFO(log.err);
  CHECK(log.exit_code == 0);
  CHECK(log.out == std::string(kProductpage) + ".bookinfo:\nactive loggers:\n  admin: debug\n  http: debug\n");
  // -l: every matching pod; stats of every pod of a workload.
  RunResult sel = Meshctl({"pc", "log", "-l", "app=mongodb", "-n", "bookinfo"}, kc);
  INFO(sel.err);
  CHECK(sel.exit_code == 0);
  CHECK(sel.out == "mongodb-0.bookinfo:\nactive loggers:\n  admin: debug\n  http: debug\n");
  RunResult stats = Meshctl({"pc", "stats", "sts/mongodb.bookinfo"}, kc);
  INFO(stats.err);
  CHECK(stats.exit_code == 0);
  CHECK(stats.out == "\nThe result of pod mongodb-0:\n\nserver.live: 1\n");
  RunResult both = Meshctl({"pc", "log", "mongodb-0", "-l", "app=mongodb", "-n", "bookinfo"}, kc);
  CHECK(both.exit_code == 64);
}

TEST_CASE("e2e faults: Pending pod, RBAC 403 on token and port-forward, no istiod, webhook fallback", "[kube][e2e]") {
  SKIP_WITHOUT_FAKE();
  Mesh mesh;
  auto api = mesh.Api(mesh.certs + "/cert.pem");
  std::string kc = api->WriteKubeconfig();

  RunResult pending = Meshctl({"pc", "cluster", "deploy/ratings-v1.bookinfo"}, kc);
  CHECK(pending.exit_code == 69);
  CHECK(pending.err.find("pod \"ratings-v1-55b8c-zzz\" in namespace \"bookinfo\" is not running (status.phase "
                         "Pending)") != std::string::npos);
  RunResult missing = Meshctl({"pc", "cluster", "nope.bookinfo"}, kc);
  CHECK(missing.exit_code == 69);
  CHECK(missing.err.find("pod \"nope\" not found in namespace \"bookinfo\"") != std::string::npos);
  RunResult unknown = Meshctl({"pc", "cluster", "cronjob/x"}, kc);
  CHECK(unknown.exit_code == 64);

  // A token fake-istiod does not accept: its UNAUTHENTICATED comes back, so the token is really checked.
  auto other_token = mesh.Api(mesh.certs + "/cert.pem", {}, false);
  RunResult rejected = Meshctl({"ps", "--timeout", "5s"}, other_token->WriteKubeconfig());
  CHECK(rejected.exit_code == 69);
  CHECK(rejected.err.find("UNAUTHENTICATED") != std::string::npos);
  CHECK(rejected.err.find("with a bearer token") != std::string::npos);

  // A pod whose admin port refuses: the port-forward's reason, naming pod and port.
  RunResult refused = Meshctl({"pc", "cluster", "gateway/bookinfo-gateway.bookinfo"}, kc);
  INFO(refused.err);
  CHECK(refused.exit_code == 69);
  CHECK(refused.err.find("bookinfo-gateway-istio-7c9d-gw1") != std::string::npos);
  CHECK(refused.err.find("15000") != std::string::npos);

  auto no_token = mesh.Api(mesh.certs + "/cert.pem", {"--forbid", "create:serviceaccounts/token"});
  RunResult t = Meshctl({"ps"}, no_token->WriteKubeconfig());
  CHECK(t.exit_code == 69);
  CHECK(t.err.find("verb \"create\" on resource \"serviceaccounts/token\"") != std::string::npos);

  auto no_pf =
      mesh.Api(mesh.certs + "/cert.pem", {"--forbid", "get:pods/portforward", "--forbid", "create:pods/portforward"});
  std::string kc_pf = no_pf->WriteKubeconfig();
  RunResult pf = Meshctl({"pc", "cluster", std::string(kProductpage) + ".bookinfo"}, kc_pf);
  CHECK(pf.exit_code == 69);
  CHECK(pf.err.find("pods/portforward") != std::string::npos);
  CHECK(pf.err.find(kProductpage) != std::string::npos);
  RunResult pf_ps = Meshctl({"ps"}, kc_pf);
  CHECK(pf_ps.exit_code == 69);
  CHECK(pf_ps.err.find("pods/portforward") != std::string::npos);
  CHECK(pf_ps.err.find("istiod pod istio-system/istiod-7d4c8b9f6-a1 port 15012") != std::string::npos);

  // No istiod pods, no webhook URL.
  std::string dir = MakeTempDir();
  WriteFile(dir + "/empty.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: istio-system}\n");
  FakeApiServer empty({dir + "/empty.yaml"});
  RunResult no_istiod = Meshctl({"ps"}, empty.WriteKubeconfig());
  CHECK(no_istiod.exit_code == 69);
  CHECK(no_istiod.err.find("no running Istio pods in \"istio-system\"") != std::string::npos);

  // An external control plane named by the injection webhook's URL.
  auto proxy = StartProxy(mesh.istiod1.plain, "details-v1-1", "bookinfo");
  WriteFile(dir + "/external.yaml",
            "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: default, namespace: istio-system}\n---\n"
            "apiVersion: admissionregistration.k8s.io/v1\nkind: MutatingWebhookConfiguration\nmetadata:\n"
            "  name: istio-sidecar-injector\n  labels: {istio.io/rev: default}\nwebhooks:\n"
            "- name: sidecar-injector.istio.io\n  clientConfig:\n    url: https://" +
                mesh.istiod1.tls + "/inject/cluster/remote\n");
  FakeApiServer external({dir + "/external.yaml", RootCertConfigMap(dir, mesh.certs + "/cert.pem")},
                         {"--sa-token", kSaToken});
  std::string kc_ext = external.WriteKubeconfig();
  RunResult ext;
  Eventually([&] {
    ext = Meshctl({"ps", "--timeout", "5s"}, kc_ext);
    return ext.exit_code == 0 && ext.out.find("details-v1-1.bookinfo") != std::string::npos;
  });
  INFO(ext.out << ext.err);
  CHECK(ext.exit_code == 0);
  CHECK(ext.out.find("istiod-1") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::testing
