// istioctl's proxy-status goldens (../shared/fixtures/envoy, PS/*), rebuilt
// from the input table in INDEX.md and rendered by meshctl's model+renderer.
#include "lib/xds/status_table.h"

#include <catch2/catch.hpp>

#include "lib/core/strings.h"
#include "lib/xds/sync_status.h"
#include "tests/support/test_support.h"

namespace meshctl::xds {

namespace {

namespace sv3 = envoy::service::status::v3;

struct InputProxy {
  std::string name, cluster, version, ns;
  std::vector<sv3::ConfigStatus> statuses;  // CDS, LDS, RDS, EDS, ECDS
};

envoy::service::discovery::v3::DiscoveryResponse Response(const std::string& istiod,
                                                          const std::vector<InputProxy>& proxies) {
  static const char* kTypes[] = {
      "type.googleapis.com/envoy.config.cluster.v3.Cluster",
      "type.googleapis.com/envoy.config.listener.v3.Listener",
      "type.googleapis.com/envoy.config.route.v3.RouteConfiguration",
      "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment",
      "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
  };
  envoy::service::discovery::v3::DiscoveryResponse r;
  r.set_version_info("1.1");
  r.set_type_url("type.googleapis.com/envoy.service.status.v3.ClientConfig");
  r.mutable_control_plane()->set_identifier("{\"Component\":\"istiod\",\"ID\":\"" + istiod +
                                            "\",\"Info\":{\"version\":\"1.1\",\"revision\":\"\"}}");
  for (const auto& p : proxies) {
    sv3::ClientConfig cc;
    cc.mutable_node()->set_id(p.name);
    auto& f = *cc.mutable_node()->mutable_metadata()->mutable_fields();
    f["CLUSTER_ID"].set_string_value(p.cluster);
    f["ISTIO_VERSION"].set_string_value(p.version);
    if (!p.ns.empty()) f["NAMESPACE"].set_string_value(p.ns);
    for (size_t i = 0; i < p.statuses.size(); ++i) {
      auto* g = cc.add_generic_xds_configs();
      g->set_type_url(kTypes[i]);
      g->set_config_status(p.statuses[i]);
    }
    r.add_resources()->PackFrom(cc);
  }
  return r;
}

std::vector<ProxySync> Rows(const std::vector<envoy::service::discovery::v3::DiscoveryResponse>& rs) {
  std::vector<ProxySync> rows;
  for (const auto& r : rs) {
    auto p = ProxiesFromSyncz(r);
    REQUIRE(p.ok());
    for (auto& x : *p) rows.push_back(x);
  }
  return rows;
}

void CheckPsGolden(const std::string& name, const std::string& actual) {
  auto shared = testing::SharedDir();
  if (!shared) return;
  std::string golden = testing::ReadFileOrDie(*shared + "/fixtures/envoy/istioctl/pkg/writer/pilot/testdata/" + name);
  // Istio's rule for these goldens: both sides trimmed, then exact.
  CHECK(std::string(core::Trim(actual)) == std::string(core::Trim(golden)));
}

using S = sv3::ConfigStatus;
const S kStale = sv3::STALE, kSynced = sv3::SYNCED, kNotSent = sv3::NOT_SENT, kError = sv3::ERROR,
        kUnknown = sv3::UNKNOWN;

}  // namespace

TEST_CASE("proxy-status default table reproduces istioctl's multi-pilot golden", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  auto rows = Rows({
      Response("istiod1", {{"proxy1", "cluster1", "1.20", "", {kStale, kSynced, kNotSent, kSynced, kSynced}}}),
      Response("istiod2", {{"proxy2", "cluster2", "1.19", "", {kStale, kSynced, kSynced, kStale, kStale}}}),
      Response("istiod3", {{"proxy3", "cluster3", "1.20", "", {kNotSent, kError, kNotSent, kStale, kNotSent}}}),
      Response("istiod4", {{"proxy4", "cluster4", "1.20", "", {kUnknown, kUnknown, kUnknown, kUnknown, kUnknown}}}),
  });
  CheckPsGolden("multiXdsStatusMultiPilot.txt", RenderStatusTable(rows, 0, {}));
}

TEST_CASE("proxy-status default table reproduces istioctl's single-pilot golden", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  auto rows = Rows({Response("istiod1", {
                                            {"proxy2", "cluster2", "1.20", "", {kStale, kSynced, kSynced, kStale, kNotSent}},
                                            {"proxy1", "cluster1", "1.20", "", {kStale, kSynced, kNotSent, kSynced, kNotSent}},
                                        })});
  CheckPsGolden("multiXdsStatusSinglePilot.txt", RenderStatusTable(rows, 0, {}));
}

TEST_CASE("proxy-status verbose table reproduces istioctl's golden", "[xds]") {
  if (!testing::SharedDir()) MESHCTL_SKIP("../shared is absent");
  auto rows = Rows(
      {Response("istiod1", {{"proxy1", "cluster1", "1.20", "", {kStale, kSynced, kNotSent, kSynced, kSynced}}})});
  CheckPsGolden("multiXdsStatusMultiPilot_verbose.txt", RenderStatusTable(rows, 1, {}));
}

TEST_CASE("proxy-status with no proxies prints only the header", "[xds]") {
  CHECK(RenderStatusTable({}, 0, {}) == "NAME     CLUSTER     ISTIOD     VERSION     SUBSCRIBED TYPES\n");
}

TEST_CASE("proxy-status verbose cells carry ages and unknown types sort after the core ones", "[xds]") {
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1700000000));
  ProxySync p;
  p.name = "a.default";
  p.cluster = "Kubernetes";
  p.istiod = "istiod-1";
  p.version = "1.20.0";
  p.types.push_back({"type.googleapis.com/envoy.config.cluster.v3.Cluster", SyncState::kSynced,
                     now - std::chrono::seconds(182), ""});
  p.types.push_back({"type.googleapis.com/envoy.config.listener.v3.Listener", SyncState::kError,
                     now - std::chrono::seconds(5), "bad"});
  p.types.push_back({"type.googleapis.com/istio.workload.Address", SyncState::kNotSent, now, ""});
  p.types.push_back({"type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret", SyncState::kStale,
                     std::nullopt, ""});
  CHECK(RenderStatusTable({p}, 1, now) ==
        "NAME          CLUSTER        CDS               ECDS        EDS         LDS            RDS         SDS       "
        "WDS          ISTIOD       VERSION\n"
        "a.default     Kubernetes     SYNCED (3m2s)     IGNORED     IGNORED     ERROR (5s)     IGNORED     STALE     "
        "NOT SENT     istiod-1     1.20.0\n");
  CHECK(RenderStatusTable({p}, 0, now) ==
        "NAME          CLUSTER        ISTIOD       VERSION     SUBSCRIBED TYPES\n"
        "a.default     Kubernetes     istiod-1     1.20.0      4 (CDS,LDS,SDS,WDS)\n");
}

TEST_CASE("proxy-status shows ztunnels and waypoints as istioctl does (ambient.md section 4)", "[xds][ambient]") {
  // A waypoint is an Envoy (the core four); a ztunnel watches WADS and WDS
  // only, and istiod's syncz lists it like any proxy.
  envoy::service::discovery::v3::DiscoveryResponse r =
      Response("istiod-1", {{"waypoint-7f8c9d-abcde.shop", "Kubernetes", "1.24.0", "shop",
                             {kSynced, kSynced, kSynced, kSynced}}});
  sv3::ClientConfig zt;
  // istiod's syncz names every proxy by its proxy ID, <pod>.<ns>.
  zt.mutable_node()->set_id("ztunnel-aaaaa.istio-system");
  auto& meta = *zt.mutable_node()->mutable_metadata()->mutable_fields();
  meta["CLUSTER_ID"].set_string_value("Kubernetes");
  meta["ISTIO_VERSION"].set_string_value("1.24.0");
  for (const char* url : {"type.googleapis.com/istio.workload.Address", "type.googleapis.com/istio.security.Authorization"}) {
    auto* g = zt.add_generic_xds_configs();
    g->set_type_url(url);
    g->set_config_status(sv3::SYNCED);
  }
  r.add_resources()->PackFrom(zt);
  auto rows = Rows({r});
  CHECK(RenderStatusTable(rows, 0, {}) ==
        "NAME                           CLUSTER        ISTIOD       VERSION     SUBSCRIBED TYPES\n"
        "waypoint-7f8c9d-abcde.shop     Kubernetes     istiod-1     1.24.0      4 (CDS,LDS,EDS,RDS)\n"
        "ztunnel-aaaaa.istio-system     Kubernetes     istiod-1     1.24.0      2 (WADS,WDS)\n");
  CHECK(RenderStatusTable(rows, 1, {}) ==
        "NAME                           CLUSTER        CDS         ECDS        EDS         LDS         RDS         "
        "WADS        WDS         ISTIOD       VERSION\n"
        "waypoint-7f8c9d-abcde.shop     Kubernetes     SYNCED      IGNORED     SYNCED      SYNCED      SYNCED      "
        "IGNORED     IGNORED     istiod-1     1.24.0\n"
        "ztunnel-aaaaa.istio-system     Kubernetes     IGNORED     IGNORED     IGNORED     IGNORED     IGNORED     "
        "SYNCED      SYNCED      istiod-1     1.24.0\n");
}

}  // namespace meshctl::xds
