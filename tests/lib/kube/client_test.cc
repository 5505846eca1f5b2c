// lib/kube/client against the fake API server: auth kinds, TLS, paging,
// selectors, discovery fallbacks, error mapping, retries, apply.
#include "lib/kube/client.h"

#include <catch2/catch.hpp>

#include "lib/io/files.h"
#include "tests/kube/fake_cluster.h"

namespace meshctl::kube {
namespace {

using testing::FakeApiServer;
using testing::kFakeToken;

// Static credentials; with `good_after_invalidate` the first token is wrong
// and Invalidate() switches to the right one (a refreshed exec plugin).
class TestCredentials : public CredentialSource {
 public:
  explicit TestCredentials(Credentials c, std::optional<Credentials> after = std::nullopt)
      : creds_(std::move(c)), after_(std::move(after)) {}
  core::Result<Credentials> Get() override { return creds_; }
  bool Invalidate() override {
    ++invalidations;
    if (!after_) return false;
    creds_ = *after_;
    after_.reset();
    return true;
  }
  std::string Describe() const override { return "test token"; }
  int invalidations = 0;

 private:
  Credentials creds_;
  std::optional<Credentials> after_;
};

Credentials Token(const std::string& t) {
  Credentials c;
  c.bearer_token = Secret(t);
  return c;
}

RestConfig ConfigFor(const FakeApiServer& fake, std::shared_ptr<CredentialSource> creds = nullptr) {
  RestConfig rc;
  rc.server = fake.url();
  rc.tls.ca_pem = testing::ReadFileOrDie(testing::Certs().ca);
  rc.credentials = creds ? creds : std::make_shared<TestCredentials>(Token(kFakeToken));
  rc.timeout = std::chrono::milliseconds(5000);
  return rc;
}

std::unique_ptr<Client> Make(RestConfig rc) {
  auto c = Client::Create(std::move(rc));
  REQUIRE(c.ok());
  return std::move(c).value();
}

const ResourceType kPods{"", {"v1"}, "pods", "Pod", true};
const ResourceType kVirtualServices{"networking.istio.io", {"v1", "v1beta1", "v1alpha3"}, "virtualservices",
                                    "VirtualService", true};
const ResourceType kDeployments{"apps", {"v1"}, "deployments", "Deployment", true};

TEST_CASE("kube client: LIST pages with limit/continue and sets apiVersion/kind on built-in items", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({"testdata/bookinfo/deployments.yaml"});
  auto client = Make(ConfigFor(fake));
  ListOptions lo;
  lo.page_size = 2;
  auto list = client->List(kDeployments, lo);
  REQUIRE(list.ok());
  CHECK(list->items == 6);
  CHECK(list->api_version == "apps/v1");
  auto doc = nlohmann::json::parse(list->json);
  REQUIRE(doc["items"].size() == 6);
  for (const auto& item : doc["items"]) {
    CHECK(item["apiVersion"] == "apps/v1");
    CHECK(item["kind"] == "Deployment");
  }
  int lists = 0, with_continue = 0;
  for (const auto& r : fake.Requests()) {
    if (r["path"] != "/apis/apps/v1/deployments") continue;
    ++lists;
    CHECK(r["query"]["limit"][0] == "2");
    if (r["query"].contains("continue")) ++with_continue;
    CHECK(r["auth"] == "bearer");
  }
  CHECK(lists == 3);
  CHECK(with_continue == 2);
}

TEST_CASE("kube client: label and field selectors reach the server; keep filters client-side", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({"testdata/bookinfo/deployments.yaml"});
  auto client = Make(ConfigFor(fake));
  ListOptions lo;
  lo.ns = "bookinfo";
  lo.field_selector = "metadata.name!=reviews-v1";
  auto list = client->List(kDeployments, lo);
  REQUIRE(list.ok());
  CHECK(list->items == 5);
  lo.keep = [](const ItemMeta& m) { return m.name.rfind("reviews", 0) == 0; };
  list = client->List(kDeployments, lo);
  REQUIRE(list.ok());
  CHECK(list->items == 2);
  bool saw = false;
  for (const auto& r : fake.Requests())
    if (r["path"] == "/apis/apps/v1/namespaces/bookinfo/deployments") {
      CHECK(r["query"]["fieldSelector"][0] == "metadata.name!=reviews-v1");
      saw = true;
    }
  CHECK(saw);
  // An unsupported field selector is the server's 400, named.
  lo.field_selector = "spec.replicas=1";
  list = client->List(kDeployments, lo);
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().code() == core::StatusCode::kUnavailable);
  CHECK(list.status().message().find("HTTP 400") != std::string::npos);
}

TEST_CASE("kube client: discovery prefers v1, falls back to older versions, absent kinds are empty", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({"testdata/analysis/virtualservices.yaml"},
                     {"--serve", "networking.istio.io=v1beta1,v1alpha3", "--hide-crd",
                      "proxyconfigs.networking.istio.io", "--serve", "telemetry.istio.io="});
  auto client = Make(ConfigFor(fake));
  auto list = client->List(kVirtualServices, {});
  REQUIRE(list.ok());
  CHECK(list->api_version == "networking.istio.io/v1beta1");
  CHECK(list->items > 0);
  auto doc = nlohmann::json::parse(list->json);
  CHECK(doc["items"][0]["apiVersion"] == "networking.istio.io/v1beta1");

  ResourceType proxyconfigs{"networking.istio.io", {"v1beta1"}, "proxyconfigs", "ProxyConfig", true};
  auto pc = client->List(proxyconfigs, {});
  REQUIRE(pc.ok());  // the CRD is missing: 404 on LIST is an empty kind
  CHECK(pc->items == 0);
  CHECK_FALSE(pc->served);
  ResourceType telemetry{"telemetry.istio.io", {"v1", "v1alpha1"}, "telemetries", "Telemetry", true};
  auto tl = client->List(telemetry, {});
  REQUIRE(tl.ok());  // the group is not served at all
  CHECK_FALSE(tl->served);
}

TEST_CASE("kube client: basic auth and client certificates", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake;
  Credentials basic;
  basic.basic_username = "admin";
  basic.basic_password = Secret("basic-pw-5d2a");
  auto client = Make(ConfigFor(fake, std::make_shared<TestCredentials>(basic)));
  CHECK(client->List(kPods, {}).ok());

  Credentials cert;
  cert.client_cert_pem = testing::ReadFileOrDie(testing::Certs().client_cert);
  cert.client_key_pem = Secret(testing::ReadFileOrDie(testing::Certs().client_key));
  client = Make(ConfigFor(fake, std::make_shared<TestCredentials>(cert)));
  CHECK(client->List(kPods, {}).ok());
  auto reqs = fake.Requests();
  REQUIRE(reqs.size() >= 2);
  CHECK(reqs.front()["auth"] == "basic");
  CHECK(reqs.back()["auth"] == "cert");
}

TEST_CASE("kube client: impersonation headers and gzip", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({"testdata/bookinfo/deployments.yaml"});
  auto rc = ConfigFor(fake);
  rc.impersonate_user = "jane";
  rc.impersonate_groups = {"devs", "ops"};
  auto client = Make(rc);
  auto list = client->List(kDeployments, {});
  REQUIRE(list.ok());  // > 1 KB: the fake gzips it
  CHECK(list->items == 6);
  auto r = fake.Requests().back();
  CHECK(r["impersonateUser"] == "jane");
  CHECK(r["impersonateGroups"] == nlohmann::json::array({"devs", "ops"}));
}

TEST_CASE("kube client: one retry after 401 when the credentials can refresh", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake;
  auto creds = std::make_shared<TestCredentials>(Token("stale-token-0000"), Token(kFakeToken));
  auto client = Make(ConfigFor(fake, creds));
  CHECK(client->List(kPods, {}).ok());
  CHECK(creds->invalidations == 1);

  // Static wrong token: no retry, a 401 naming the server and not the token.
  auto bad = std::make_shared<TestCredentials>(Token("wrong-token-1234"));
  client = Make(ConfigFor(fake, bad));
  auto list = client->List(kPods, {});
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().ExitCode() == 69);
  CHECK(list.status().message().find("401") != std::string::npos);
  CHECK(list.status().message().find(fake.url()) != std::string::npos);
  CHECK(list.status().message().find("wrong-token-1234") == std::string::npos);
  CHECK(bad->invalidations == 1);
}

TEST_CASE("kube client: 403 names the missing RBAC verb and resource", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({}, {"--forbid", "list:pods"});
  auto client = Make(ConfigFor(fake));
  auto list = client->List(kPods, {});
  REQUIRE_FALSE(list.ok());
  const std::string& m = list.status().message();
  CHECK(list.status().ExitCode() == 69);
  CHECK(m.find("403") != std::string::npos);
  CHECK(m.find("verb \"list\" on resource \"pods\"") != std::string::npos);
  CHECK(m.find("cluster-wide") != std::string::npos);
  CHECK(m.find(fake.url()) != std::string::npos);
}

TEST_CASE("kube client: 429/5xx retried after Retry-After, else reported", "[kube]") {
  SKIP_WITHOUT_FAKE();
  {
    FakeApiServer fake({}, {"--fail", "/api/v1/pods=429:2", "--retry-after", "0"});
    auto client = Make(ConfigFor(fake));
    CHECK(client->List(kPods, {}).ok());
    int pods = 0;
    for (const auto& r : fake.Requests()) pods += r["path"] == "/api/v1/pods";
    CHECK(pods == 3);
  }
  {
    FakeApiServer fake({}, {"--fail", "/api/v1/pods=500"});
    auto client = Make(ConfigFor(fake));
    auto list = client->List(kPods, {});
    REQUIRE_FALSE(list.ok());
    CHECK(list.status().ExitCode() == 69);
    CHECK(list.status().message().find("HTTP 500") != std::string::npos);
    CHECK(list.status().message().find(fake.url()) != std::string::npos);
  }
  {
    FakeApiServer fake({}, {"--fail", "/api/v1/pods=503", "--retry-after", "0"});
    auto client = Make(ConfigFor(fake));
    auto list = client->List(kPods, {});
    REQUIRE_FALSE(list.ok());  // bounded: gives up after a few attempts
    int pods = 0;
    for (const auto& r : fake.Requests()) pods += r["path"] == "/api/v1/pods";
    CHECK(pods == 4);
  }
}

TEST_CASE("kube client: timeout, unreachable, TLS failures", "[kube]") {
  SKIP_WITHOUT_FAKE();
  FakeApiServer fake({}, {"--slow", "/api/v1/pods=3"});
  auto rc = ConfigFor(fake);
  rc.timeout = std::chrono::milliseconds(500);
  auto client = Make(rc);
  auto list = client->List(kPods, {});
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().ExitCode() == 69);
  CHECK(list.status().message().find("did not answer") != std::string::npos);
  CHECK(list.status().message().find("--request-timeout") != std::string::npos);

  auto wrong_ca = ConfigFor(fake);
  wrong_ca.tls.ca_pem = testing::ReadFileOrDie(testing::Certs().other_ca);
  list = Make(wrong_ca)->List(kPods, {});
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().message().find("TLS failure") != std::string::npos);
  CHECK(list.status().message().find(fake.url()) != std::string::npos);

  // tls-server-name: verified against the name, connected to 127.0.0.1.
  auto named = ConfigFor(fake);
  named.tls.server_name = "kubernetes.internal";
  CHECK(Make(named)->List(kPods, {}).ok());
  named.tls.server_name = "not-in-the-certificate.example";
  list = Make(named)->List(kPods, {});
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().message().find("TLS failure") != std::string::npos);

  auto insecure = ConfigFor(fake);
  insecure.tls.ca_pem.clear();
  insecure.tls.insecure_skip_verify = true;
  CHECK(Make(insecure)->List(kPods, {}).ok());

  RestConfig closed = ConfigFor(fake);
  closed.server = "https://127.0.0.1:1";
  list = Make(closed)->List(kPods, {});
  REQUIRE_FALSE(list.ok());
  CHECK(list.status().ExitCode() == 69);
  CHECK(list.status().message().find("cannot reach Kubernetes API server https://127.0.0.1:1") != std::string::npos);
}

TEST_CASE("kube client: GET and server-side apply with dry run, force and conflicts", "[kube]") {
  SKIP_WITHOUT_FAKE();
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/vs.yaml",
                     "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n"
                     "  namespace: default\n  managedFields:\n  - manager: flagger\n    operation: Update\n"
                     "spec:\n  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n");
  FakeApiServer fake({dir + "/vs.yaml"});
  auto client = Make(ConfigFor(fake));
  auto got = client->Get("/apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews", "virtualservices");
  REQUIRE(got.ok());
  REQUIRE(got->has_value());
  CHECK(nlohmann::json::parse(**got)["spec"]["hosts"][0] == "reviews");
  auto missing = client->Get("/apis/networking.istio.io/v1/namespaces/default/virtualservices/nope", "virtualservices");
  REQUIRE(missing.ok());
  CHECK_FALSE(missing->has_value());

  std::string body =
      R"({"apiVersion":"networking.istio.io/v1","kind":"VirtualService","metadata":{"name":"reviews","namespace":"default"},)"
      R"("spec":{"http":[{"route":[{"destination":{"host":"reviews"},"weight":90},{"destination":{"host":"reviews-canary"},"weight":10}]}]}})";
  std::string path = "/apis/networking.istio.io/v1/namespaces/default/virtualservices/reviews";
  ApplyOptions ao;
  ao.dry_run = true;
  auto applied = client->Apply(path, "virtualservices", body, ao);
  REQUIRE_FALSE(applied.ok());  // flagger owns it: 409 with the field and manager
  CHECK(applied.status().ExitCode() == 69);
  CHECK(applied.status().message().find("409 Conflict") != std::string::npos);
  CHECK(applied.status().message().find("conflict with \"flagger\"") != std::string::npos);
  CHECK(applied.status().message().find(".spec.http") != std::string::npos);

  ao.force = true;
  applied = client->Apply(path, "virtualservices", body, ao);
  REQUIRE(applied.ok());
  auto r = fake.Requests().back();
  CHECK(r["method"] == "PATCH");
  CHECK(r["contentType"] == "application/apply-patch+yaml");
  CHECK(r["query"]["fieldManager"][0] == "meshctl");
  CHECK(r["query"]["force"][0] == "true");
  CHECK(r["query"]["dryRun"][0] == "All");
  CHECK(nlohmann::json::parse(r["body"].get<std::string>()) == nlohmann::json::parse(body));
  // Dry run: the stored object is unchanged.
  got = client->Get(path, "virtualservices");
  REQUIRE(got.ok());
  CHECK(nlohmann::json::parse(**got)["spec"]["http"][0]["route"].size() == 1);
}

TEST_CASE("kube client: Pods are stripped to what analyzers read", "[kube]") {
  std::string pod =
      R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","managedFields":[{"manager":"kubelet","fieldsV1":{"f:status":{}}}]},)"
      R"("spec":{"containers":[{"name":"app","image":"x","ports":[{"containerPort":80}],"resources":{"limits":{}}}],"volumes":[{"name":"v"}],"nodeName":"n1"},)"
      R"("status":{"phase":"Running","containerStatuses":[{"name":"app"}],"podIP":"10.0.0.1"}})";
  auto out = nlohmann::json::parse(StripObjectJson(pod, "Pod"));
  CHECK(out["metadata"]["managedFields"][0] == nlohmann::json({{"manager", "kubelet"}}));
  CHECK(out["spec"]["containers"][0] ==
        nlohmann::json::parse(R"({"name":"app","image":"x","ports":[{"containerPort":80}]})"));
  CHECK_FALSE(out["spec"].contains("volumes"));
  CHECK(out["spec"]["nodeName"] == "n1");
  CHECK(out["status"] == nlohmann::json::parse(R"({"phase":"Running","podIP":"10.0.0.1"})"));
}

TEST_CASE("kube client: a non-http(s) server or insecure with a CA is refused", "[kube]") {
  RestConfig rc;
  rc.server = "ftp://example";
  rc.credentials = std::make_shared<TestCredentials>(Token("x"));
  CHECK_FALSE(Client::Create(rc).ok());
  rc.server = "https://example";
  rc.tls.insecure_skip_verify = true;
  rc.tls.ca_pem = "pem";
  auto c = Client::Create(rc);
  REQUIRE_FALSE(c.ok());
  CHECK(c.status().message().find("insecure-skip-tls-verify") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::kube
