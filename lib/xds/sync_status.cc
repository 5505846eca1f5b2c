#include "lib/xds/sync_status.h"

#include <algorithm>

#include <map>

#include <nlohmann/json.hpp>

#include "lib/xds/human_duration.h"

namespace meshctl::xds {

namespace sv3 = envoy::service::status::v3;
namespace av3 = envoy::admin::v3;

std::string NormalizeTypeUrl(std::string_view type_url) {
  if (type_url.find('/') != std::string_view::npos) return std::string(type_url);
  return kTypePrefix + std::string(type_url);
}

std::string ShortTypeName(std::string_view type_url) {
  static const std::map<std::string, std::string, std::less<>> kShort = {
      {"envoy.config.cluster.v3.Cluster", "CDS"},
      {"envoy.config.listener.v3.Listener", "LDS"},
      {"envoy.config.route.v3.RouteConfiguration", "RDS"},
      {"envoy.config.endpoint.v3.ClusterLoadAssignment", "EDS"},
      {"envoy.extensions.transport_sockets.tls.v3.Secret", "SDS"},
      {"envoy.config.core.v3.TypedExtensionConfig", "ECDS"},
      {"istio.networking.nds.v1.NameTable", "NDS"},
      {"istio.mesh.v1alpha1.ProxyConfig", "PCDS"},
      {"istio.workload.Address", "WDS"},
      {"istio.workload.Workload", "WDS"},
      {"istio.security.Authorization", "WADS"},
  };
  std::string_view prefix = kTypePrefix;
  if (type_url.substr(0, prefix.size()) == prefix) {
    auto it = kShort.find(type_url.substr(prefix.size()));
    if (it != kShort.end()) return it->second;
  }
  return std::string(type_url);
}

std::string IstiodId(const envoy::service::discovery::v3::DiscoveryResponse& r) {
  if (!r.has_control_plane()) return "MISSING";
  nlohmann::json j = nlohmann::json::parse(r.control_plane().identifier(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return "INVALID";
  auto it = j.find("ID");
  if (it == j.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

std::string ShortNodeId(const std::string& id) {
  size_t a = id.find('~');
  if (a == std::string::npos) return id;
  size_t b = id.find('~', a + 1);
  if (b == std::string::npos) return id;
  size_t c = id.find('~', b + 1);
  if (c == std::string::npos) return id;
  return id.substr(b + 1, c - b - 1);
}

namespace {

std::string MetaString(const envoy::config::core::v3::Node& n, const std::string& key) {
  const auto& f = n.metadata().fields();
  auto it = f.find(key);
  if (it == f.end() || it->second.kind_case() != google::protobuf::Value::kStringValue) return "";
  return it->second.string_value();
}

std::chrono::system_clock::time_point ToTime(const google::protobuf::Timestamp& t) {
  // system_clock holds nanoseconds in 64 bits: clamp to years 1843-2096
  // (ages against now stay representable) rather than overflow (UB).
  const int64_t secs = std::clamp<int64_t>(t.seconds(), -4'000'000'000LL, 4'000'000'000LL);
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::seconds(secs) +
                                                                      std::chrono::nanoseconds(t.nanos())));
}

SyncState FromConfigStatus(sv3::ConfigStatus s) {
  switch (s) {
    case sv3::SYNCED: return SyncState::kSynced;
    case sv3::NOT_SENT: return SyncState::kNotSent;
    case sv3::STALE: return SyncState::kStale;
    case sv3::ERROR: return SyncState::kError;
    default: return SyncState::kIgnored;
  }
}

ProxySync BaseRow(const envoy::config::core::v3::Node& n) {
  ProxySync p;
  p.name = n.id();
  p.cluster = MetaString(n, "CLUSTER_ID");
  p.version = MetaString(n, "ISTIO_VERSION");
  p.ns = MetaString(n, "NAMESPACE");
  return p;
}

// The deprecated per-type form: which type each oneof case stands for.
std::string PerXdsTypeUrl(const sv3::PerXdsConfig& c) {
  switch (c.per_xds_config_case()) {
    case sv3::PerXdsConfig::kListenerConfig: return "type.googleapis.com/envoy.config.listener.v3.Listener";
    case sv3::PerXdsConfig::kClusterConfig: return "type.googleapis.com/envoy.config.cluster.v3.Cluster";
    case sv3::PerXdsConfig::kRouteConfig: return "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
    case sv3::PerXdsConfig::kEndpointConfig:
      return "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
    default: return "";
  }
}

}  // namespace

core::Result<std::vector<ProxySync>> ProxiesFromSyncz(const envoy::service::discovery::v3::DiscoveryResponse& r) {
  std::vector<ProxySync> out;
  out.reserve(static_cast<size_t>(r.resources_size()));
  const std::string istiod = IstiodId(r);
  static constexpr std::string_view kClientConfig = "envoy.service.status.v3.ClientConfig";
  sv3::ClientConfig cc;  // reused: keeps its allocations across resources
  for (int i = 0; i < r.resources_size(); ++i) {
    const auto& any = r.resources(i);
    std::string_view any_url = any.type_url();
    if (any_url.substr(any_url.rfind('/') + 1) != kClientConfig || !cc.ParseFromString(any.value())) {
      return core::DataError("syncz resource " + std::to_string(i) + " is not an envoy.service.status.v3.ClientConfig (" +
                             any.type_url() + ")");
    }
    ProxySync p = BaseRow(cc.node());
    p.istiod = istiod;
    if (cc.generic_xds_configs_size() > 0) {
      p.types.reserve(static_cast<size_t>(cc.generic_xds_configs_size()));
      for (const auto& g : cc.generic_xds_configs()) {
        TypeSync& t = p.types.emplace_back();
        t.type_url = NormalizeTypeUrl(g.type_url());
        t.state = FromConfigStatus(g.config_status());
        if (g.has_last_updated()) t.last_updated = ToTime(g.last_updated());
        if (g.has_error_state()) t.error = g.error_state().details();
      }
    } else {
      for (const auto& c : cc.xds_config()) {
        std::string url = PerXdsTypeUrl(c);
        if (url.empty()) continue;
        TypeSync t;
        t.type_url = url;
        t.state = FromConfigStatus(c.status());
        p.types.push_back(std::move(t));
      }
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<ProxySync> ProxiesFromCsds(const sv3::ClientStatusResponse& r, const std::string& source) {
  std::vector<ProxySync> out;
  for (const auto& cc : r.config()) {
    ProxySync p = BaseRow(cc.node());
    p.name = ShortNodeId(cc.node().id());
    p.istiod = source;
    // Fold resources into one state per type, keeping first-seen type order.
    struct Acc {
      bool nacked = false, acked = false;
      std::optional<std::chrono::system_clock::time_point> last, error_time;
      std::string error;
    };
    std::vector<std::string> order;
    std::map<std::string, Acc> acc;
    for (const auto& g : cc.generic_xds_configs()) {
      std::string url = NormalizeTypeUrl(g.type_url());
      if (!acc.count(url)) order.push_back(url);
      Acc& a = acc[url];
      switch (g.client_status()) {
        case av3::NACKED:
        case av3::RECEIVED_ERROR:
          a.nacked = true;
          if (a.error.empty()) a.error = g.error_state().details();
          if (g.error_state().has_last_update_attempt()) a.error_time = ToTime(g.error_state().last_update_attempt());
          break;
        case av3::ACKED: a.acked = true; break;
        default: break;
      }
      if (g.has_last_updated()) {
        auto t = ToTime(g.last_updated());
        if (!a.last || *a.last < t) a.last = t;
      }
    }
    for (const auto& c : cc.xds_config()) {  // deprecated per-type form
      std::string url = PerXdsTypeUrl(c);
      if (url.empty() || acc.count(url)) continue;
      order.push_back(url);
      Acc& a = acc[url];
      a.nacked = c.client_status() == sv3::CLIENT_NACKED || c.client_status() == sv3::CLIENT_RECEIVED_ERROR;
      a.acked = c.client_status() == sv3::CLIENT_ACKED;
    }
    for (const auto& url : order) {
      const Acc& a = acc[url];
      TypeSync t;
      t.type_url = url;
      if (a.nacked) {
        t.state = SyncState::kError;
        t.error = a.error;
        t.last_updated = a.error_time ? a.error_time : a.last;
      } else if (a.acked) {
        t.state = SyncState::kSynced;
        t.last_updated = a.last;
      } else {
        t.state = SyncState::kNotSent;
      }
      p.types.push_back(std::move(t));
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::string CellText(const TypeSync& t, std::chrono::system_clock::time_point now) {
  std::string s;
  switch (t.state) {
    case SyncState::kIgnored: return "IGNORED";
    case SyncState::kNotSent: return "NOT SENT";
    case SyncState::kSynced: s = "SYNCED"; break;
    case SyncState::kStale: s = "STALE"; break;
    case SyncState::kError: s = "ERROR"; break;
  }
  if (t.last_updated) s += " (" + HumanDuration(now - *t.last_updated) + ")";
  return s;
}

void NormalizeCsds(sv3::ClientStatusResponse& r) {
  for (auto& cc : *r.mutable_config())
    for (auto& g : *cc.mutable_generic_xds_configs()) g.set_type_url(NormalizeTypeUrl(g.type_url()));
}

}  // namespace meshctl::xds
