#include "lib/xds/csds_client.h"

#include "envoy/service/status/v3/csds.grpc.pb.h"
#include "lib/xds/grpc_channel.h"

namespace meshctl::xds {

namespace sv3 = envoy::service::status::v3;

core::Result<sv3::ClientStatusResponse> FetchClientStatus(const DialOptions& d) {
  ASSIGN_OR_RETURN(auto channel, MakeChannel(d));
  auto stub = sv3::ClientStatusDiscoveryService::NewStub(channel);
  grpc::ClientContext ctx;
  PrepareContext(d, ctx);
  // No node matchers: grpc-js answers INVALID_ARGUMENT to any.
  sv3::ClientStatusRequest req;
  sv3::ClientStatusResponse resp;
  grpc::Status s = stub->FetchClientStatus(&ctx, req, &resp);
  if (!s.ok()) return CallError(s, d, "CSDS FetchClientStatus");
  return resp;
}

}  // namespace meshctl::xds
