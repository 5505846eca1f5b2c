// gRPC plumbing shared by the ADS and CSDS clients (internal to lib/xds).
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string_view>

#include "lib/core/status.h"
#include "lib/xds/dial.h"

namespace meshctl::xds {

// Holds the gRPC runtime for the duration of a command and, on destruction,
// waits until gRPC has released everything (grpc_shutdown_blocking): TLS
// connections are torn down on gRPC's own threads, and exiting while that is
// in flight leaves OpenSSL objects behind (LeakSanitizer reports them).
// Declare it before any channel so it is destroyed last.
class GrpcRuntime {
 public:
  GrpcRuntime();
  ~GrpcRuntime();
  GrpcRuntime(const GrpcRuntime&) = delete;
  GrpcRuntime& operator=(const GrpcRuntime&) = delete;
};

// A channel with the credentials DialOptions asks for; files it names that
// cannot be read are an IoError.
core::Result<std::shared_ptr<grpc::Channel>> MakeChannel(const DialOptions& d);

// Deadline and bearer token for one call.
void PrepareContext(const DialOptions& d, grpc::ClientContext& ctx);

// A failed RPC as a Status (exit 69) that says what was tried (address,
// transport, what was asked) and what to check for that kind of failure.
core::Status CallError(const grpc::Status& s, const DialOptions& d, std::string_view what);

}  // namespace meshctl::xds
