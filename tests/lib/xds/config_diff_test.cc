#include "lib/xds/config_diff.h"

#include <catch2/catch.hpp>
#include <sstream>

#include "envoy/admin/v3/config_dump.pb.h"
#include "envoy/config/cluster/v3/cluster.pb.h"
#include "lib/xds/config_diff_proto.h"
#include "tests/support/test_support.h"

namespace meshctl::xds {

namespace {

std::string CompareDir() {
  return *testing::SharedDir() + "/fixtures/envoy/istioctl/pkg/writer/compare/testdata/";
}

std::string Diff(const std::string& istiod, const std::string& envoy) {
  DiffOptions o;
  o.proxy = "p.default";
  o.istiod_dump = istiod;
  o.istiod_source = "istiod.json";
  o.envoy_dump = envoy;
  o.envoy_source = "envoy.json";
  std::ostringstream out;
  core::Status st = ProxyDiff(o, out);
  REQUIRE(st.ok());
  return out.str();
}

}  // namespace

TEST_CASE("sync diff: istioctl's compare fixture against itself matches", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  std::string dump = testing::ReadFileOrDie(CompareDir() + "configdump.json");
  std::string out = Diff(dump, dump);
  CHECK(out.find("Clusters Match\n") == 0);
  CHECK(out.find("Listeners Match\n") != std::string::npos);
  CHECK(out.find("Routes Match") != std::string::npos);
  CHECK(out.find("Don't") == std::string::npos);
}

TEST_CASE("sync diff: istioctl's compare fixtures that differ give three diffs", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  std::string out = Diff(testing::ReadFileOrDie(CompareDir() + "configdump.json"),
                         testing::ReadFileOrDie(CompareDir() + "configdump_diff.json"));
  CHECK(out.find("Clusters Don't Match\n--- Istiod Clusters\n+++ Envoy Clusters\n@@ ") == 0);
  CHECK(out.find("Listeners Don't Match\n--- Istiod Listeners\n+++ Envoy Listeners\n") != std::string::npos);
  CHECK(out.find("Routes Don't Match") != std::string::npos);
  CHECK(out.find("-                \"name\": \"inbound-vip|9080|http|ratings.default.svc.cluster.local\"") !=
        std::string::npos);
  CHECK(out.find("+                \"name\": \"inbound-vip|9999|http|ratings.default.svc.cluster.local\"") !=
        std::string::npos);
}

TEST_CASE("sync diff: versions and times are ignored, a camelCase dump compares with Envoy's spelling", "[xds]") {
  std::string envoy = R"({"configs":[
    {"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump","version_info":"v9",
     "dynamic_active_clusters":[{"version_info":"v9","last_updated":"2024-01-01T00:00:00Z",
       "cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"b","connect_timeout":"1s",
                  "metadata":{"filter_metadata":{"istio":{"config":"x","someKey":"y"}}}}},
      {"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"a"}}]}]})";
  std::string istiod = R"({"configs":[
    {"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump","versionInfo":"v1",
     "dynamicActiveClusters":[{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"a"}},
      {"versionInfo":"v1","cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster","name":"b",
       "connectTimeout":"1s","metadata":{"filterMetadata":{"istio":{"config":"x","someKey":"y"}}}}}]}]})";
  std::string out = Diff(istiod, envoy);
  CHECK(out.find("Clusters Match\n") == 0);
  // A section neither side has is not reported as matching.
  CHECK(out.find("Listeners Match") == std::string::npos);
  CHECK(out.find("Listeners not compared: neither side has a ListenersConfigDump\n") != std::string::npos);
}

TEST_CASE("sync diff: a section missing on one side does not match", "[xds]") {
  std::string envoy = R"({"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.RoutesConfigDump"}]})";
  std::string out = Diff("{}", envoy);
  CHECK(out.find("Routes Don't Match") != std::string::npos);
  CHECK(out.find("-config dump has no configuration type type.googleapis.com/envoy.admin.v3.RoutesConfigDump") !=
        std::string::npos);
}

TEST_CASE("sync diff: bad dumps are input errors, not crashes", "[xds]") {
  DiffOptions o;
  o.istiod_dump = "{}";
  o.envoy_dump = "[1,2";
  o.envoy_source = "dump.json";
  std::ostringstream out;
  core::Status st = ProxyDiff(o, out);
  CHECK(st.code() == core::StatusCode::kDataError);
  CHECK(st.message().find("dump.json") != std::string::npos);
  o.envoy_dump = R"({"configs": 3})";
  CHECK(ProxyDiff(o, out).code() == core::StatusCode::kDataError);
  o.envoy_dump = R"({"configs": [{"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
                     "dynamic_listeners": [{"active_state": 7}]}]})";
  CHECK(ProxyDiff(o, out).code() == core::StatusCode::kDataError);
  o.envoy_dump = R"({"configs": [{"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
                     "dynamic_active_clusters": ["x"]}]})";
  CHECK(ProxyDiff(o, out).code() == core::StatusCode::kDataError);
}

TEST_CASE("sync diff: a resource with fields outside meshctl's schema is compared by name only", "[xds]") {
  envoy::config::cluster::v3::Cluster c;
  c.set_name("outbound|80||a.default.svc.cluster.local");
  c.set_type(envoy::config::cluster::v3::Cluster::EDS);
  std::string bytes = c.SerializeAsString();
  bytes += std::string("\x22\x02\x08\x01", 4);  // field 4 (connect_timeout, not in the subset)
  envoy::admin::v3::ClustersConfigDump cd;
  auto* any = cd.add_dynamic_active_clusters()->mutable_cluster();
  any->set_type_url("type.googleapis.com/envoy.config.cluster.v3.Cluster");
  any->set_value(bytes);
  envoy::service::discovery::v3::DiscoveryResponse r;
  r.add_resources()->PackFrom(cd);
  std::string envoy = R"({"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
    "dynamic_active_clusters":[{"cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster",
    "name":"outbound|80||a.default.svc.cluster.local","type":"EDS","connect_timeout":"1s"}}]}]})";
  std::ostringstream out;
  REQUIRE(CompareWithResponse(r, envoy, "envoy.json", out).ok());
  CHECK(out.str().find("Clusters not compared by content: 1 of 1 from the control plane could not be read in full") ==
        0);
  CHECK(out.str().find("Cluster names Match\n") != std::string::npos);
  CHECK(out.str().find("Clusters Match") == std::string::npos);
}

TEST_CASE("sync diff: complete protobuf resources are compared by content", "[xds]") {
  envoy::config::cluster::v3::Cluster c;
  c.set_name("cluster-a");
  c.set_type(envoy::config::cluster::v3::Cluster::EDS);
  c.mutable_eds_cluster_config()->mutable_eds_config()->mutable_ads();
  c.mutable_eds_cluster_config()->set_service_name("cluster-a");
  envoy::admin::v3::ClustersConfigDump cd;
  cd.add_dynamic_active_clusters()->mutable_cluster()->PackFrom(c);
  envoy::service::discovery::v3::DiscoveryResponse r;
  r.add_resources()->PackFrom(cd);
  std::string same = R"({"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
    "dynamic_active_clusters":[{"version_info":"3","cluster":{"@type":"type.googleapis.com/envoy.config.cluster.v3.Cluster",
    "name":"cluster-a","type":"EDS","eds_cluster_config":{"eds_config":{"ads":{}},"service_name":"cluster-a"}}}]}]})";
  std::ostringstream out;
  REQUIRE(CompareWithResponse(r, same, "envoy.json", out).ok());
  CHECK(out.str().find("Clusters Match\n") == 0);
  std::string other = same;
  other.replace(other.find("\"EDS\""), 5, "\"STATIC\"");
  std::ostringstream out2;
  REQUIRE(CompareWithResponse(r, other, "envoy.json", out2).ok());
  CHECK(out2.str().find("Clusters Don't Match\n") == 0);
  CHECK(out2.str().find("-                \"type\": \"EDS\"") != std::string::npos);
}

}  // namespace meshctl::xds
