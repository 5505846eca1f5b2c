#include "lib/xds/sync_status.h"

#include <catch2/catch.hpp>

namespace meshctl::xds {

namespace sv3 = envoy::service::status::v3;
namespace av3 = envoy::admin::v3;

TEST_CASE("short type names and URL normalisation", "[xds]") {
  CHECK(ShortTypeName("type.googleapis.com/envoy.config.cluster.v3.Cluster") == "CDS");
  CHECK(ShortTypeName("type.googleapis.com/istio.workload.Workload") == "WDS");
  CHECK(ShortTypeName("type.googleapis.com/foo.Bar") == "type.googleapis.com/foo.Bar");
  CHECK(ShortTypeName("envoy.config.cluster.v3.Cluster") == "envoy.config.cluster.v3.Cluster");
  CHECK(NormalizeTypeUrl("envoy.config.cluster.v3.Cluster") == "type.googleapis.com/envoy.config.cluster.v3.Cluster");
  CHECK(NormalizeTypeUrl("type.googleapis.com/x.Y") == "type.googleapis.com/x.Y");
  CHECK(ShortNodeId("sidecar~10.0.0.1~reviews-v1-abc.bookinfo~bookinfo.svc.cluster.local") == "reviews-v1-abc.bookinfo");
  CHECK(ShortNodeId("plain-id") == "plain-id");
}

TEST_CASE("ISTIOD column: MISSING without control_plane, INVALID for bad JSON", "[xds]") {
  envoy::service::discovery::v3::DiscoveryResponse r;
  CHECK(IstiodId(r) == "MISSING");
  r.mutable_control_plane()->set_identifier("{not json");
  CHECK(IstiodId(r) == "INVALID");
  r.mutable_control_plane()->set_identifier(R"({"Component":"istiod","ID":"istiod-7d9","Info":{}})");
  CHECK(IstiodId(r) == "istiod-7d9");
}

TEST_CASE("syncz: the deprecated per-type form is read when generic configs are absent", "[xds]") {
  sv3::ClientConfig cc;
  cc.mutable_node()->set_id("old.default");
  auto* x = cc.add_xds_config();
  x->set_status(sv3::SYNCED);
  x->mutable_cluster_config();
  auto* y = cc.add_xds_config();
  y->set_status(sv3::STALE);
  y->mutable_listener_config();
  envoy::service::discovery::v3::DiscoveryResponse r;
  r.add_resources()->PackFrom(cc);
  auto rows = ProxiesFromSyncz(r);
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  REQUIRE((*rows)[0].types.size() == 2);
  CHECK((*rows)[0].types[0].type_url == "type.googleapis.com/envoy.config.cluster.v3.Cluster");
  CHECK((*rows)[0].types[0].state == SyncState::kSynced);
  CHECK((*rows)[0].types[1].state == SyncState::kStale);
}

TEST_CASE("CSDS: per-resource client states fold into per-type states, grpc-js URLs normalised", "[xds]") {
  sv3::ClientStatusResponse r;
  auto* cc = r.add_config();
  cc->mutable_node()->set_id("sidecar~10.0.0.1~app-1.shop~shop.svc.cluster.local");
  (*cc->mutable_node()->mutable_metadata()->mutable_fields())["NAMESPACE"].set_string_value("shop");
  auto add = [&](const std::string& url, av3::ClientResourceStatus st, int64_t secs) {
    auto* g = cc->add_generic_xds_configs();
    g->set_type_url(url);
    g->set_client_status(st);
    if (secs) g->mutable_last_updated()->set_seconds(secs);
    if (st == av3::NACKED) {
      g->mutable_error_state()->set_details("bad cluster");
      g->mutable_error_state()->mutable_last_update_attempt()->set_seconds(secs);
    }
  };
  add("envoy.config.listener.v3.Listener", av3::ACKED, 100);  // grpc-js: no prefix
  add("type.googleapis.com/envoy.config.cluster.v3.Cluster", av3::ACKED, 100);
  add("type.googleapis.com/envoy.config.cluster.v3.Cluster", av3::NACKED, 120);
  add("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", av3::REQUESTED, 0);
  add("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", av3::DOES_NOT_EXIST, 0);
  auto rows = ProxiesFromCsds(r, "-");
  REQUIRE(rows.size() == 1);
  const ProxySync& p = rows[0];
  CHECK(p.name == "app-1.shop");
  CHECK(p.ns == "shop");
  CHECK(p.istiod == "-");
  REQUIRE(p.types.size() == 4);
  CHECK(p.types[0].type_url == "type.googleapis.com/envoy.config.listener.v3.Listener");
  CHECK(p.types[0].state == SyncState::kSynced);
  CHECK(p.types[1].state == SyncState::kError);
  CHECK(p.types[1].error == "bad cluster");
  CHECK(p.types[2].state == SyncState::kNotSent);
  CHECK(p.types[3].state == SyncState::kNotSent);
  auto now = std::chrono::system_clock::time_point(std::chrono::seconds(130));
  CHECK(CellText(p.types[0], now) == "SYNCED (30s)");
  CHECK(CellText(p.types[1], now) == "ERROR (10s)");
  CHECK(CellText(p.types[2], now) == "NOT SENT");
  NormalizeCsds(r);
  CHECK(r.config(0).generic_xds_configs(0).type_url() == "type.googleapis.com/envoy.config.listener.v3.Listener");
}

TEST_CASE("syncz: a resource that is not a ClientConfig is bad input", "[xds]") {
  envoy::service::discovery::v3::DiscoveryResponse r;
  auto* a = r.add_resources();
  a->set_type_url("type.googleapis.com/envoy.service.status.v3.ClientConfig");
  a->set_value("\xff\xff\xff");
  auto rows = ProxiesFromSyncz(r);
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().code() == core::StatusCode::kDataError);
}

}  // namespace meshctl::xds
