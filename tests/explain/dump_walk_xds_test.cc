// The dump walk on dumps captured from the test xDS server (tests/xds): a
// real gRPC xDS client (proxyless, xds:///svc-a) fed by fake-istiod holds
// one API listener svc-a -> route config route-svc-a -> cluster cluster-a
// (EDS) -> one endpoint. Two dumps of it are captured while both run: the
// client's own view over CSDS (with its endpoints) and the control plane's
// istio.io/debug/config_dump for the client (without them, as istiod's is),
// each turned into /config_dump JSON, and walked by `meshctl explain`.
#include <catch2/catch.hpp>

#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "envoy/admin/v3/config_dump.pb.h"
#include "envoy/config/cluster/v3/cluster.pb.h"
#include "envoy/config/endpoint/v3/endpoint.pb.h"
#include "envoy/config/listener/v3/listener.pb.h"
#include "envoy/config/route/v3/route.pb.h"
#include "envoy/extensions/filters/http/router/v3/router.pb.h"
#include "envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.pb.h"
#include "lib/xds/ads_client.h"
#include "lib/xds/csds_client.h"
#include "lib/xds/proto_json.h"
#include "tests/support/test_support.h"
#include "tests/xds/processes.h"

namespace meshctl::testing {
namespace {

namespace av3 = envoy::admin::v3;
using google::protobuf::Any;

const char kLds[] = "type.googleapis.com/envoy.config.listener.v3.Listener";
const char kRds[] = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
const char kCds[] = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
const char kEds[] = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

// The JSON printer resolves the Any payloads through the generated pool:
// make sure every type the dumps carry is linked in.
void LinkTypes() {
  (void)envoy::config::listener::v3::Listener::descriptor();
  (void)envoy::config::route::v3::RouteConfiguration::descriptor();
  (void)envoy::config::cluster::v3::Cluster::descriptor();
  (void)envoy::config::endpoint::v3::ClusterLoadAssignment::descriptor();
  (void)envoy::extensions::filters::network::http_connection_manager::v3::HttpConnectionManager::descriptor();
  (void)envoy::extensions::filters::http::router::v3::Router::descriptor();
}

// A /config_dump (envoy.admin.v3.ConfigDump, proto field names as Envoy
// prints them) from the resources a client holds, by type URL.
std::string ConfigDumpJson(std::map<std::string, std::vector<Any>> by_type) {
  av3::ListenersConfigDump listeners;
  for (const Any& a : by_type[kLds]) {
    envoy::config::listener::v3::Listener l;
    REQUIRE(a.UnpackTo(&l));
    auto* d = listeners.add_dynamic_listeners();
    d->set_name(l.name());
    *d->mutable_active_state()->mutable_listener() = a;
  }
  av3::RoutesConfigDump routes;
  for (const Any& a : by_type[kRds]) *routes.add_dynamic_route_configs()->mutable_route_config() = a;
  av3::ClustersConfigDump clusters;
  for (const Any& a : by_type[kCds]) *clusters.add_dynamic_active_clusters()->mutable_cluster() = a;
  av3::ConfigDump dump;
  dump.add_configs()->PackFrom(clusters);
  dump.add_configs()->PackFrom(listeners);
  dump.add_configs()->PackFrom(routes);
  if (!by_type[kEds].empty()) {
    av3::EndpointsConfigDump endpoints;
    for (const Any& a : by_type[kEds]) *endpoints.add_dynamic_endpoint_configs()->mutable_endpoint_config() = a;
    dump.add_configs()->PackFrom(endpoints);
  }
  auto json = xds::MessageToJsonValue(dump, /*proto_names=*/true);
  REQUIRE(json.ok());
  return json->dump(2);
}

// What the gRPC client holds, from its CSDS answer: generic_xds_configs, or
// the older per-type sections.
std::map<std::string, std::vector<Any>> ClientResources(const envoy::service::status::v3::ClientStatusResponse& r) {
  std::map<std::string, std::vector<Any>> out;
  for (const auto& cc : r.config()) {
    for (const auto& g : cc.generic_xds_configs())
      if (g.has_xds_config()) out[g.xds_config().type_url()].push_back(g.xds_config());
    for (const auto& x : cc.xds_config()) {
      for (const auto& l : x.listener_config().dynamic_listeners()) out[kLds].push_back(l.active_state().listener());
      for (const auto& rc : x.route_config().dynamic_route_configs()) out[kRds].push_back(rc.route_config());
      for (const auto& c : x.cluster_config().dynamic_active_clusters()) out[kCds].push_back(c.cluster());
      for (const auto& e : x.endpoint_config().dynamic_endpoint_configs()) out[kEds].push_back(e.endpoint_config());
    }
  }
  return out;
}

// The sections of istiod's debug config_dump, as resources by type URL.
std::map<std::string, std::vector<Any>> IstiodResources(const envoy::service::discovery::v3::DiscoveryResponse& r) {
  std::map<std::string, std::vector<Any>> out;
  for (const Any& section : r.resources()) {
    av3::ListenersConfigDump l;
    av3::RoutesConfigDump rc;
    av3::ClustersConfigDump c;
    if (section.UnpackTo(&l))
      for (const auto& d : l.dynamic_listeners()) out[kLds].push_back(d.active_state().listener());
    if (section.UnpackTo(&rc))
      for (const auto& d : rc.dynamic_route_configs()) out[kRds].push_back(d.route_config());
    if (section.UnpackTo(&c))
      for (const auto& d : c.dynamic_active_clusters()) out[kCds].push_back(d.cluster());
  }
  return out;
}

std::vector<std::string> Hops(const nlohmann::json& walk) {
  std::vector<std::string> out;
  for (const auto& h : walk["hops"])
    out.push_back(h["step"].get<std::string>() + " " + h["verdict"].get<std::string>() + " " +
                  (h.contains("envoy") ? h["envoy"]["name"].get<std::string>() : ""));
  return out;
}

TEST_CASE("explain dump walk: dumps captured from the test xDS server and a real gRPC xDS client",
          "[xds][explain][e2e]") {
  LinkTypes();
  ChildProcess istiod({MESHCTL_FAKE_ISTIOD});
  istiod.WaitFor("READY");
  std::string xds_addr = "127.0.0.1:" + istiod.WaitFor("PORT");
  ChildProcess client(
      {MESHCTL_XDS_GRPC_CLIENT, "--xds-server", xds_addr, "--pod", "grpc-client-1", "--namespace", "default"});
  xds::DialOptions csds;
  csds.address = "127.0.0.1:" + client.WaitFor("CSDS_PORT");
  csds.plaintext = true;
  csds.timeout = std::chrono::milliseconds(5000);

  // The client has walked LDS -> RDS -> CDS -> EDS once it holds all four.
  std::map<std::string, std::vector<Any>> held;
  Eventually([&] {
    auto r = xds::FetchClientStatus(csds);
    if (!r.ok()) return false;
    held = ClientResources(*r);
    return held[kLds].size() == 1 && held[kRds].size() == 1 && held[kCds].size() == 1 && held[kEds].size() == 1;
  });
  REQUIRE(held[kEds].size() == 1);

  xds::DialOptions debug;
  debug.address = xds_addr;
  debug.plaintext = true;
  debug.timeout = std::chrono::milliseconds(5000);
  auto sent = xds::FetchDebug(debug, "istio-system", xds::kConfigDumpType, {"grpc-client-1.default"});
  REQUIRE(sent.ok());
  auto from_istiod = IstiodResources(*sent);
  REQUIRE(from_istiod[kCds].size() == 1);

  std::string dir = MakeTempDir();
  WriteFile(dir + "/client.json", ConfigDumpJson(held));
  WriteFile(dir + "/istiod.json", ConfigDumpJson(from_istiod));

  // Both dumps take the same path: API listener, route config, virtual
  // host, route, cluster.
  const std::vector<std::string> path = {"D1 listener ok svc-a", "D4 network filter ok route-svc-a",
                                         "D5 virtual host ok svc-a", "D6 route ok (unnamed)",
                                         "D7 cluster ok cluster-a"};
  auto with = [&](const std::string& endpoints) {
    std::vector<std::string> v = path;
    v.push_back(endpoints);
    return v;
  };

  // The client's own dump: every hop, down to the healthy endpoint.
  auto c = RunMeshctl({"explain", "request", "-o", "json", "grpc://svc-a/", "--config-dump", dir + "/client.json"});
  INFO(c.out << c.err);
  REQUIRE(c.exit_code == 0);
  auto cj = nlohmann::json::parse(c.out);
  CHECK(Hops(cj["dump"]) == with("D8 endpoints ok cluster-a"));
  CHECK(cj["dump"]["outcome"]["result"] == "routed");
  REQUIRE(cj["dump"]["outcome"]["destinations"].size() == 1);
  CHECK(cj["dump"]["outcome"]["destinations"][0]["cluster"] == "cluster-a");
  CHECK(cj["dump"]["outcome"]["destinations"][0]["endpoints"] == 1);
  CHECK_THAT(cj["dump"]["hops"][5]["details"][0].get<std::string>(), Catch::StartsWith("127.0.0.1:"));

  // The control plane's dump of the same client: no EDS in
  // it, so the endpoint hop says so instead of counting.
  auto i = RunMeshctl({"explain", "request", "-o", "json", "grpc://svc-a/", "--config-dump", dir + "/istiod.json"});
  INFO(i.out << i.err);
  REQUIRE(i.exit_code == 0);
  auto ij = nlohmann::json::parse(i.out);
  CHECK(Hops(ij["dump"]) == with("D8 endpoints warn cluster-a"));
  CHECK(ij["dump"]["outcome"]["destinations"][0]["cluster"] == "cluster-a");

  // Another target has no API listener and no socket listener either.
  auto other = RunMeshctl({"explain", "request", "grpc://svc-b/", "--config-dump", dir + "/client.json"});
  CHECK(other.exit_code == 79);
}

}  // namespace
}  // namespace meshctl::testing
