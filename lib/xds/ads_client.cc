#include "lib/xds/ads_client.h"

#include <unistd.h>

#include "envoy/service/discovery/v3/discovery.grpc.pb.h"
#include "lib/xds/grpc_channel.h"

namespace meshctl::xds {

namespace dv3 = envoy::service::discovery::v3;

envoy::config::core::v3::Node DebugNode(const std::string& istio_namespace) {
  envoy::config::core::v3::Node node;
  node.set_id("sidecar~127.0.0.1~meshctl-" + std::to_string(::getpid()) + "." + istio_namespace + "~" +
              istio_namespace + ".svc.cluster.local");
  auto& f = *node.mutable_metadata()->mutable_fields();
  f["GENERATOR"].set_string_value("event");
  f["SERVICE_ACCOUNT"].set_string_value("default");
  f["NAMESPACE"].set_string_value(istio_namespace);
  // What istioctl's ADS client announces: "newer than any release".
  f["ISTIO_VERSION"].set_string_value("65536.65536.65536");
  node.set_user_agent_name("meshctl");
  return node;
}

core::Result<dv3::DiscoveryResponse> FetchDebug(const DialOptions& d, const std::string& istio_namespace,
                                                const std::string& type_url,
                                                const std::vector<std::string>& resource_names) {
  ASSIGN_OR_RETURN(auto channel, MakeChannel(d));
  auto stub = dv3::AggregatedDiscoveryService::NewStub(channel);
  grpc::ClientContext ctx;
  PrepareContext(d, ctx);
  auto stream = stub->StreamAggregatedResources(&ctx);
  dv3::DiscoveryRequest req;
  *req.mutable_node() = DebugNode(istio_namespace);
  req.set_type_url(type_url);
  for (const auto& n : resource_names) req.add_resource_names(n);
  std::string what = "ADS request for " + type_url;
  if (!stream->Write(req)) {
    grpc::Status s = stream->Finish();
    return CallError(s, d, what);
  }
  dv3::DiscoveryResponse resp;
  // Skip anything that is not the answer to our type (a server may push).
  while (true) {
    if (!stream->Read(&resp)) {
      grpc::Status s = stream->Finish();
      if (s.ok()) s = grpc::Status(grpc::StatusCode::UNAVAILABLE, "stream closed without a response");
      return CallError(s, d, what);
    }
    if (resp.type_url() == type_url) break;
  }
  ctx.TryCancel();
  (void)stream->Finish();
  return resp;
}

}  // namespace meshctl::xds
