// The sync-state model behind `meshctl proxy-status`: one row per proxy with
// the printed state of every xDS type it watches, built either from istiod's
// syncz answer (server view, ConfigStatus) or from a CSDS answer (client view,
// per-resource ClientResourceStatus, folded into the same states).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envoy/service/discovery/v3/discovery.pb.h"
#include "envoy/service/status/v3/csds.pb.h"
#include "lib/core/status.h"

namespace meshctl::xds {

// The printed state of one type, in istioctl's words.
enum class SyncState { kIgnored, kSynced, kNotSent, kStale, kError };

struct TypeSync {
  std::string type_url;  // always with the type.googleapis.com/ prefix
  SyncState state = SyncState::kIgnored;
  std::optional<std::chrono::system_clock::time_point> last_updated;
  std::string error;  // error_state.details of a NACK
};

struct ProxySync {
  std::string name;     // node.id (istiod: <pod>.<ns>)
  std::string cluster;  // metadata CLUSTER_ID
  std::string istiod;   // control plane ID, MISSING or INVALID
  std::string version;  // metadata ISTIO_VERSION
  std::string ns;       // metadata NAMESPACE
  std::vector<TypeSync> types;
};

inline constexpr char kTypePrefix[] = "type.googleapis.com/";

// "CDS", "LDS", ... or the full type URL (spec §1.6).
std::string ShortTypeName(std::string_view type_url);
// Adds type.googleapis.com/ when missing (grpc-js CSDS leaves it out).
std::string NormalizeTypeUrl(std::string_view type_url);

// ID from control_plane.identifier's JSON; MISSING / INVALID as istioctl.
std::string IstiodId(const envoy::service::discovery::v3::DiscoveryResponse& r);

// Rows of one syncz answer (resources are Any(ClientConfig)). DataError when
// a resource is not a ClientConfig or does not decode.
core::Result<std::vector<ProxySync>> ProxiesFromSyncz(const envoy::service::discovery::v3::DiscoveryResponse& r);

// Rows of a CSDS answer. A type's state folds its resources' client status:
// any NACKED/RECEIVED_ERROR -> ERROR; else any ACKED -> SYNCED; else
// (REQUESTED, DOES_NOT_EXIST, TIMEOUT) -> NOT SENT. A client cannot see
// STALE (the server sent something not yet acknowledged).
std::vector<ProxySync> ProxiesFromCsds(const envoy::service::status::v3::ClientStatusResponse& r,
                                       const std::string& source);

// The node id istiod shows: the third `~` field of a sidecar id, else the id.
std::string ShortNodeId(const std::string& id);

// "SYNCED (3m2s)", "NOT SENT", "IGNORED", ...
std::string CellText(const TypeSync& t, std::chrono::system_clock::time_point now);

// Adds type.googleapis.com/ to every GenericXdsConfig.type_url in place.
void NormalizeCsds(envoy::service::status::v3::ClientStatusResponse& r);

}  // namespace meshctl::xds
