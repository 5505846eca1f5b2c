// A real xDS client for the proxy-status end-to-end tests: Debian's gRPC C++
// (libgrpc 1.51) resolving `xds:///<target>` against a control plane, with
// its bootstrap in GRPC_XDS_BOOTSTRAP_CONFIG, so the LDS -> RDS -> CDS -> EDS
// walk, the ACKs and the NACKs are gRPC's own, not ours.
//
// It also serves CSDS (envoy.service.status.v3.ClientStatusDiscoveryService):
// Debian ships neither grpcpp/ext/admin_services.h nor a csds library, so
// this is the few lines upstream's CsdsService has, on top of the C-core's
// exported grpc_dump_xds_configs() (a serialized ClientConfig in 1.51).
//
// Prints "CSDS_PORT <n>" once serving; exits when stdin closes.
#include <grpc/grpc.h>
#include <grpc/slice.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "envoy/service/status/v3/csds.grpc.pb.h"

namespace {

namespace sv3 = envoy::service::status::v3;

grpc::Status Dump(sv3::ClientStatusResponse* resp) {
  grpc_slice s = grpc_dump_xds_configs();
  sv3::ClientConfig cc;
  bool ok = cc.ParseFromArray(GRPC_SLICE_START_PTR(s), static_cast<int>(GRPC_SLICE_LENGTH(s)));
  grpc_slice_unref(s);
  if (!ok) return grpc::Status(grpc::StatusCode::INTERNAL, "grpc_dump_xds_configs returned undecodable bytes");
  *resp->add_config() = std::move(cc);
  return grpc::Status::OK;
}

class Csds final : public sv3::ClientStatusDiscoveryService::Service {
 public:
  grpc::Status FetchClientStatus(grpc::ServerContext*, const sv3::ClientStatusRequest*,
                                 sv3::ClientStatusResponse* resp) override {
    return Dump(resp);
  }
  grpc::Status StreamClientStatus(
      grpc::ServerContext*, grpc::ServerReaderWriter<sv3::ClientStatusResponse, sv3::ClientStatusRequest>* stream)
      override {
    sv3::ClientStatusRequest req;
    while (stream->Read(&req)) {
      sv3::ClientStatusResponse resp;
      grpc::Status st = Dump(&resp);
      if (!st.ok()) return st;
      if (!stream->Write(resp)) break;
    }
    return grpc::Status::OK;
  }
};

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  std::string server, pod = "grpc-client-1", ns = "default", cluster_id = "Kubernetes", version = "1.20.0",
                      target = "svc-a";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i], v = argv[i + 1];
    if (a == "--xds-server") server = v;
    else if (a == "--pod") pod = v;
    else if (a == "--namespace") ns = v;
    else if (a == "--cluster-id") cluster_id = v;
    else if (a == "--istio-version") version = v;
    else if (a == "--target") target = v;
    else {
      std::cerr << "xds-grpc-client: unknown flag " << a << "\n";
      return 64;
    }
  }
  if (server.empty()) {
    std::cerr << "xds-grpc-client: --xds-server HOST:PORT is required\n";
    return 64;
  }
  std::string node_id = "sidecar~127.0.0.1~" + pod + "." + ns + "~" + ns + ".svc.cluster.local";
  std::string bootstrap = "{\"xds_servers\":[{\"server_uri\":" + JsonString(server) +
                          ",\"channel_creds\":[{\"type\":\"insecure\"}],\"server_features\":[\"xds_v3\"]}],"
                          "\"node\":{\"id\":" + JsonString(node_id) + ",\"cluster\":\"grpc\",\"metadata\":{"
                          "\"NAMESPACE\":" + JsonString(ns) + ",\"CLUSTER_ID\":" + JsonString(cluster_id) +
                          ",\"ISTIO_VERSION\":" + JsonString(version) + ",\"PROXY_CONFIG\":{}}}}";
  ::setenv("GRPC_XDS_BOOTSTRAP_CONFIG", bootstrap.c_str(), 1);

  Csds csds;
  int port = 0;
  grpc::ServerBuilder b;
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  b.RegisterService(&csds);
  auto srv = b.BuildAndStart();
  if (!srv || port == 0) {
    std::cerr << "xds-grpc-client: cannot listen\n";
    return 69;
  }
  // The xDS channel: leaving IDLE starts the resolver, which subscribes LDS.
  auto channel = grpc::CreateChannel("xds:///" + target, grpc::InsecureChannelCredentials());
  channel->GetState(/*try_to_connect=*/true);
  std::cout << "CSDS_PORT " << port << std::endl;
  char buf[256];
  while (::read(0, buf, sizeof buf) > 0) {
  }
  srv->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  return 0;
}
