// The standard Client Status Discovery Service (envoy.service.status.v3),
// unary FetchClientStatus, served by Envoy, gRPC xDS clients and some control
// planes.
#pragma once

#include "envoy/service/status/v3/csds.pb.h"
#include "lib/core/status.h"
#include "lib/xds/dial.h"

namespace meshctl::xds {

core::Result<envoy::service::status::v3::ClientStatusResponse> FetchClientStatus(const DialOptions& d);

}  // namespace meshctl::xds
