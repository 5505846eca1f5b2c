// `meshctl proxy-status --from-file`: the offline twin of the live command,
// against istioctl's -o json / -o yaml goldens (compared by meaning, as the
// fixture INDEX says) and its usage/input errors.
#include "lib/xds/proxy_status.h"

#include <yaml-cpp/yaml.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "envoy/service/discovery/v3/discovery.pb.h"
#include "envoy/service/status/v3/csds.pb.h"
#include "lib/core/strings.h"
#include "lib/xds/proto_json.h"
#include "tests/support/test_support.h"

namespace meshctl::xds {

namespace {

std::string PilotDir() { return *testing::SharedDir() + "/fixtures/envoy/istioctl/pkg/writer/pilot/testdata/"; }

nlohmann::json YamlToJson(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& kv : n) o[kv.first.as<std::string>()] = YamlToJson(kv.second);
    return o;
  }
  if (n.IsSequence()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : n) a.push_back(YamlToJson(x));
    return a;
  }
  return n.as<std::string>();
}

// Istio's -n foo input (D1, D2 in INDEX.md) as a saved -o json file.
std::string WriteNamespaceInput() {
  envoy::service::discovery::v3::DiscoveryResponse r;
  r.set_version_info("1.1");
  r.set_type_url("type.googleapis.com/envoy.service.status.v3.ClientConfig");
  r.mutable_control_plane()->set_identifier(
      "{\"Component\":\"istiod\",\"ID\":\"istiod1\",\"Info\":{\"version\":\"1.1\",\"revision\":\"\","
      "\"golang_version\":\"\",\"status\":\"\",\"tag\":\"\"}}");
  namespace sv3 = envoy::service::status::v3;
  for (auto [name, ns] : {std::pair{"proxy1", "foo"}, std::pair{"proxy2", "bar"}}) {
    sv3::ClientConfig cc;
    cc.mutable_node()->set_id(name);
    auto& f = *cc.mutable_node()->mutable_metadata()->mutable_fields();
    f["CLUSTER_ID"].set_string_value("cluster1");
    f["ISTIO_VERSION"].set_string_value("1.20");
    f["NAMESPACE"].set_string_value(ns);
    const char* types[] = {"envoy.config.cluster.v3.Cluster", "envoy.config.listener.v3.Listener",
                           "envoy.config.route.v3.RouteConfiguration",
                           "envoy.config.endpoint.v3.ClusterLoadAssignment",
                           "envoy.config.core.v3.TypedExtensionConfig"};
    sv3::ConfigStatus st[] = {sv3::STALE, sv3::SYNCED, sv3::NOT_SENT, sv3::SYNCED, sv3::SYNCED};
    for (int i = 0; i < 5; ++i) {
      auto* g = cc.add_generic_xds_configs();
      g->set_type_url(std::string("type.googleapis.com/") + types[i]);
      g->set_config_status(st[i]);
    }
    r.add_resources()->PackFrom(cc);
  }
  auto json = MessageToJson4(r);
  REQUIRE(json.ok());
  std::string path = testing::MakeTempDir() + "/syncz.json";
  testing::WriteFile(path, *json + "\n");
  return path;
}

}  // namespace

TEST_CASE("proxy-status -o json reproduces istioctl's golden (by meaning)", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  std::string in = PilotDir() + "multiXdsStatusSinglePilot.json";
  auto r = testing::RunInProcess({"proxy-status", "--from-file", in, "-o", "json"});
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out) == nlohmann::json::parse(testing::ReadFileOrDie(in)));
  // 4-space indentation as Go's protojson.
  CHECK(r.out.rfind("{\n    \"versionInfo\": \"1.1\",\n", 0) == 0);
}

TEST_CASE("proxy-status -o yaml reproduces istioctl's golden (by meaning)", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  auto r = testing::RunInProcess(
      {"proxy-status", "--from-file", PilotDir() + "multiXdsStatusSinglePilot.json", "-o", "yaml"});
  REQUIRE(r.exit_code == 0);
  CHECK(YamlToJson(YAML::Load(r.out)) ==
        YamlToJson(YAML::Load(testing::ReadFileOrDie(PilotDir() + "multiXdsStatusSinglePilot.yaml"))));
  CHECK(r.out.find("      ISTIO_VERSION: \"1.20\"\n") != std::string::npos);
}

TEST_CASE("proxy-status -o yaml -n keeps one namespace (istioctl golden)", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  auto r = testing::RunInProcess({"proxy-status", "--from-file", WriteNamespaceInput(), "-o", "yaml", "-n", "foo"});
  REQUIRE(r.exit_code == 0);
  CHECK(YamlToJson(YAML::Load(r.out)) ==
        YamlToJson(YAML::Load(testing::ReadFileOrDie(PilotDir() + "multiXdsStatusSingleNamespace.yaml"))));
}

TEST_CASE("proxy-status table from a saved response matches the verbose golden", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  auto r = testing::RunInProcess(
      {"ps", "--from-file", PilotDir() + "multiXdsStatusSinglePilot.json", "--verbosity", "1"});
  REQUIRE(r.exit_code == 0);
  CHECK(core::Trim(r.out) ==
        core::Trim(testing::ReadFileOrDie(PilotDir() + "multiXdsStatusMultiPilot_verbose.txt")));
}

TEST_CASE("proxy-status -o json of an empty answer prints Go's empty object", "[xds]") {
  std::string path = testing::MakeTempDir() + "/empty.json";
  testing::WriteFile(path, "{}\n");
  auto r = testing::RunInProcess({"proxy-status", "--from-file", path, "-o", "json"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "{\n\n}\n");
  auto t = testing::RunInProcess({"proxy-status", "--from-file", path});
  CHECK(t.out == "NAME     CLUSTER     ISTIOD     VERSION     SUBSCRIBED TYPES\n");
}

TEST_CASE("proxy-status usage and input errors", "[xds]") {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/bad.json", "{\"versionInfo\": ");
  testing::WriteFile(dir + "/wrong.json", "{\"resources\": [{\"@type\": \"type.googleapis.com/google.protobuf.Empty\"}]}");
  // No address: istiod is looked for through the kubeconfig; without one, say how to do without.
  auto none = testing::RunInProcess({"proxy-status", "--kubeconfig", dir + "/no-kubeconfig"});
  CHECK(none.exit_code == 74);
  CHECK(none.err.find(dir + "/no-kubeconfig") != std::string::npos);
  CHECK(none.err.find("--xds-address") != std::string::npos);
  CHECK(testing::RunInProcess({"proxy-status", "--from-file", dir + "/bad.json", "-o", "invalid-format"}).exit_code ==
        64);
  CHECK(testing::RunInProcess({"proxy-status", "--from-file", dir + "/bad.json", "-v", "3"}).exit_code == 64);
  auto bad = testing::RunInProcess({"proxy-status", "--from-file", dir + "/bad.json"});
  CHECK(bad.exit_code == 65);
  CHECK(bad.err.find(dir + "/bad.json") != std::string::npos);
  auto wrong = testing::RunInProcess({"proxy-status", "--from-file", dir + "/wrong.json"});
  CHECK(wrong.exit_code == 65);
  CHECK(wrong.err.find("not an envoy.service.status.v3.ClientConfig") != std::string::npos);
  CHECK(testing::RunInProcess({"proxy-status", "--from-file", dir + "/missing.json"}).exit_code == 74);
  CHECK(testing::RunInProcess({"proxy-status", "--xds-address", "127.0.0.1:1", "--plaintext", "--insecure"})
            .exit_code == 64);
  CHECK(testing::RunInProcess({"proxy-status", "--xds-address", "127.0.0.1:1", "--timeout", "soon"}).exit_code == 64);
  CHECK(testing::RunInProcess({"proxy-status", "--xds-address", "127.0.0.1:1", "--timeout", ".s"}).exit_code == 64);
  CHECK(testing::RunInProcess({"proxy-status", "--file", dir + "/bad.json"}).exit_code == 64);
  // The proxy's side from the cluster needs a kubeconfig.
  CHECK(testing::RunInProcess({"proxy-status", "p.default", "--istiod-file", dir + "/bad.json", "--kubeconfig",
                               dir + "/no-kubeconfig"})
            .exit_code == 74);
  CHECK(testing::RunInProcess({"proxy-status", "p.default", "--istiod-file", dir + "/bad.json", "--file",
                               dir + "/bad.json", "--admin-address", "127.0.0.1:1"})
            .exit_code == 64);
  auto missing_dump = testing::RunInProcess(
      {"proxy-status", "p.default", "--istiod-file", dir + "/bad.json", "--file", dir + "/missing.json"});
  CHECK(missing_dump.exit_code == 74);
  CHECK(missing_dump.err.find("could not contact sidecar") != std::string::npos);
}

TEST_CASE("proxy-status diff from files: Match / Don't Match (istioctl fixtures)", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  std::string dir = *testing::SharedDir() + "/fixtures/envoy/istioctl/pkg/writer/compare/testdata/";
  auto same = testing::RunInProcess({"proxy-status", "productpage.default", "--istiod-file", dir + "configdump.json",
                                     "--file", dir + "configdump.json"});
  CHECK(same.exit_code == 0);
  CHECK(same.out.find("Clusters Match\nListeners Match\nRoutes Match") == 0);
  auto diff = testing::RunInProcess({"ps", "productpage", "--istiod-file", dir + "configdump.json", "--file",
                                     dir + "configdump_diff.json"});
  CHECK(diff.exit_code == 0);
  CHECK(diff.out.find("Clusters Don't Match") != std::string::npos);
  CHECK(diff.out.find("Listeners Don't Match") != std::string::npos);
  CHECK(diff.out.find("Routes Don't Match") != std::string::npos);
}

}  // namespace meshctl::xds
