// The protobuf entry point of the sync diff (lib/xds/config_diff.h): compares
// an istio.io/debug/config_dump answer that is already in hand with an Envoy
// config dump. ProxyDiff uses it after fetching; tests feed it directly.
#pragma once

#include <ostream>
#include <string>

#include "envoy/service/discovery/v3/discovery.pb.h"
#include "lib/core/status.h"

namespace meshctl::xds {

core::Status CompareWithResponse(const envoy::service::discovery::v3::DiscoveryResponse& istiod,
                                 const std::string& envoy_dump, const std::string& envoy_source, std::ostream& out);

}  // namespace meshctl::xds
