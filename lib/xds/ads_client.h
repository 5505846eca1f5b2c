// One-shot requests on istiod's ADS stream for its debug types
// (istio.io/debug/syncz, istio.io/debug/config_dump), as istioctl sends them:
// a node that passes istiod's checks, one DiscoveryRequest, the first
// DiscoveryResponse of that type.
#pragma once

#include <string>
#include <vector>

#include "envoy/service/discovery/v3/discovery.pb.h"
#include "lib/core/status.h"
#include "lib/xds/dial.h"

namespace meshctl::xds {

inline constexpr char kSynczType[] = "istio.io/debug/syncz";
inline constexpr char kConfigDumpType[] = "istio.io/debug/config_dump";

// The node istiod accepts from a debug client: id
// `sidecar~127.0.0.1~meshctl-<pid>.<ns>~<ns>.svc.cluster.local` and metadata
// GENERATOR=event, SERVICE_ACCOUNT=default, NAMESPACE=<ns>, ISTIO_VERSION.
// No PROXY_CONFIG, so istiod does not list meshctl itself in syncz.
envoy::config::core::v3::Node DebugNode(const std::string& istio_namespace);

core::Result<envoy::service::discovery::v3::DiscoveryResponse> FetchDebug(
    const DialOptions& d, const std::string& istio_namespace, const std::string& type_url,
    const std::vector<std::string>& resource_names);

}  // namespace meshctl::xds
