// gRPC plumbing shared by the ADS and CSDS clients (internal to lib/xds).
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string_view>

#include "lib/core/status.h"
#include "lib/xds/dial.h"

namespace meshctl::xds {

// A channel with the credentials DialOptions asks for; files it names that
// cannot be read are an IoError.
core::Result<std::shared_ptr<grpc::Channel>> MakeChannel(const DialOptions& d);

// Deadline and bearer token for one call.
void PrepareContext(const DialOptions& d, grpc::ClientContext& ctx);

// A failed RPC as a Status (exit 69) that says what was tried (address,
// transport, what was asked) and what to check for that kind of failure.
core::Status CallError(const grpc::Status& s, const DialOptions& d, std::string_view what);

}  // namespace meshctl::xds
