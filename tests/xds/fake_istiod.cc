// fake-istiod: the test control plane for `meshctl proxy-status` end-to-end
// tests and benchmarks. It is this project's own code on its own .proto
// subset (lib/xds/proto) and copies istiod's observable behaviour:
//   - ADS State-of-the-World for LDS/RDS/CDS/EDS with one service chain
//     listener svc-a -> route route-svc-a -> cluster cluster-a (EDS over ADS)
//     -> one endpoint in a weighted locality (what gRPC's xDS client needs);
//   - istiod's ACK/NACK bookkeeping per connection and type (spec §1.5);
//   - istio.io/debug/syncz (one ClientConfig per connection whose metadata has
//     PROXY_CONFIG) and istio.io/debug/config_dump for <pod>.<ns>;
//   - fault knobs: --withhold TYPE, --invalid-cluster, --ignore-acks TYPE,
//     --debug-auth, --require-token TOKEN, --deny-debug, TLS with
//     --tls-cert/--tls-key (plus --client-ca for mTLS identities), --synthetic N (N fake proxies for benchmarks).
// It prints "PORT <n>" (and "TLS_PORT <n>") on stdout once serving, and
// exits when its stdin closes, so a test that dies cannot leak it.
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "envoy/admin/v3/config_dump.pb.h"
#include "envoy/config/cluster/v3/cluster.pb.h"
#include "envoy/config/endpoint/v3/endpoint.pb.h"
#include "envoy/config/listener/v3/listener.pb.h"
#include "envoy/config/route/v3/route.pb.h"
#include "envoy/extensions/filters/http/router/v3/router.pb.h"
#include "envoy/extensions/filters/network/http_connection_manager/v3/http_connection_manager.pb.h"
#include "envoy/service/discovery/v3/discovery.grpc.pb.h"
#include "envoy/service/status/v3/csds.pb.h"

namespace {

namespace dv3 = envoy::service::discovery::v3;
namespace sv3 = envoy::service::status::v3;
namespace av3 = envoy::admin::v3;
using Clock = std::chrono::system_clock;

const std::string kLds = "type.googleapis.com/envoy.config.listener.v3.Listener";
const std::string kRds = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
const std::string kCds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
const std::string kEds = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";

struct Options {
  std::string id = "istiod-1";
  std::string version = "1.20.0";
  std::string tls_cert, tls_key;
  std::string client_ca;  // request client certs and verify them against this CA (mTLS)
  std::string require_token;
  bool debug_auth = false;
  bool deny_debug = false;
  std::set<std::string> withhold, ignore_acks;
  bool invalid_cluster = false;
  int synthetic = 0;
  int endpoint_port = 0;
};

std::string TypeFromShort(const std::string& s) {
  if (s == "LDS") return kLds;
  if (s == "RDS") return kRds;
  if (s == "CDS") return kCds;
  if (s == "EDS") return kEds;
  return s;
}

// istiod's per-type watch state (pilot's WatchedResource).
struct Watch {
  std::string nonce_sent, nonce_acked, last_error, version_sent;
  Clock::time_point last_push = Clock::now();
  std::vector<google::protobuf::Any> sent;  // what the last push carried
};

struct Connection {
  envoy::config::core::v3::Node node;
  bool is_proxy = false;
  std::map<std::string, Watch> watches;  // by type URL (sorted as istiod sorts)
};

class State {
 public:
  std::mutex mu;
  std::map<int64_t, Connection> conns;
  int64_t next_id = 0;
  std::atomic<int64_t> nonce{0};
};

std::string ShortId(const std::string& id) {
  std::vector<std::string> parts;
  std::stringstream ss(id);
  std::string p;
  while (std::getline(ss, p, '~')) parts.push_back(p);
  return parts.size() >= 3 ? parts[2] : id;
}

google::protobuf::Timestamp ToProto(Clock::time_point t) {
  google::protobuf::Timestamp ts;
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  ts.set_seconds(ns / 1000000000);
  ts.set_nanos(static_cast<int32_t>(ns % 1000000000));
  return ts;
}

class Ads final : public dv3::AggregatedDiscoveryService::Service {
 public:
  Ads(Options o, State* s, int* plain_port) : o_(std::move(o)), s_(s), plain_port_(plain_port) {}

  grpc::Status StreamAggregatedResources(
      grpc::ServerContext* ctx, grpc::ServerReaderWriter<dv3::DiscoveryResponse, dv3::DiscoveryRequest>* stream) override {
    int64_t id;
    {
      std::lock_guard<std::mutex> l(s_->mu);
      id = s_->next_id++;
      s_->conns[id];
    }
    grpc::Status result = Serve(ctx, stream, id);
    std::lock_guard<std::mutex> l(s_->mu);
    s_->conns.erase(id);
    return result;
  }

 private:
  grpc::Status Serve(grpc::ServerContext* ctx,
                     grpc::ServerReaderWriter<dv3::DiscoveryResponse, dv3::DiscoveryRequest>* stream, int64_t id) {
    dv3::DiscoveryRequest req;
    bool first = true;
    while (stream->Read(&req)) {
      if (first) {
        first = false;
        if (!req.has_node() || req.node().id().empty())
          return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "missing node information");
        if (std::count(req.node().id().begin(), req.node().id().end(), '~') != 3)
          return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "missing parts in the service node");
        std::lock_guard<std::mutex> l(s_->mu);
        Connection& c = s_->conns[id];
        c.node = req.node();
        c.is_proxy = req.node().metadata().fields().count("PROXY_CONFIG") > 0;
      }
      if (req.type_url().rfind("istio.io/debug/", 0) == 0) {
        grpc::Status auth = Authorize(ctx);
        if (!auth.ok()) return auth;
        dv3::DiscoveryResponse resp;
        if (req.type_url() == "istio.io/debug/syncz") {
          resp = Syncz(req.type_url());
        } else if (req.type_url() == "istio.io/debug/config_dump") {
          resp = ConfigDump(req);
        } else {
          resp.set_type_url(req.type_url());
        }
        if (!stream->Write(resp)) return grpc::Status::OK;
        continue;
      }
      std::optional<dv3::DiscoveryResponse> push = HandleXds(id, req);
      if (push && !stream->Write(*push)) return grpc::Status::OK;
    }
    return grpc::Status::OK;
  }

  grpc::Status Authorize(grpc::ServerContext* ctx) {
    std::string token;
    auto md = ctx->client_metadata();
    auto it = md.find("authorization");
    if (it != md.end()) token = std::string(it->second.data(), it->second.size());
    bool mtls = ctx->auth_context() && ctx->auth_context()->IsPeerAuthenticated();
    if (!o_.require_token.empty() && !mtls) {
      if (token.empty()) return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "authentication required");
      if (token != "Bearer " + o_.require_token)
        return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "authentication failure: token rejected");
    }
    if (o_.debug_auth && token.empty() && !mtls)
      return grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "authentication required");
    if (o_.deny_debug) return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "authorization failed");
    return grpc::Status::OK;
  }

  // istiod's ShouldRespond, in its order (spec §1.5).
  std::optional<dv3::DiscoveryResponse> HandleXds(int64_t id, const dv3::DiscoveryRequest& req) {
    std::lock_guard<std::mutex> l(s_->mu);
    Connection& c = s_->conns[id];
    const std::string& type = req.type_url();
    if (req.has_error_detail()) {  // NACK
      c.watches[type].last_error = req.error_detail().message();
      return std::nullopt;
    }
    auto w = c.watches.find(type);
    if (w != c.watches.end() && req.resource_names().empty() && (type == kRds || type == kEds) &&
        !req.response_nonce().empty()) {
      c.watches.erase(w);  // unsubscribe
      return std::nullopt;
    }
    if (req.response_nonce().empty() || w == c.watches.end()) {
      Watch& nw = c.watches[type];
      nw = Watch();
      if (o_.withhold.count(type)) return std::nullopt;
      return Push(nw, type, req);
    }
    if (req.response_nonce() != w->second.nonce_sent) return std::nullopt;  // expired nonce
    w->second.last_error.clear();
    if (!o_.ignore_acks.count(type)) w->second.nonce_acked = req.response_nonce();
    return std::nullopt;
  }

  dv3::DiscoveryResponse Push(Watch& w, const std::string& type, const dv3::DiscoveryRequest& req) {
    dv3::DiscoveryResponse resp;
    resp.set_type_url(type);
    resp.set_version_info("1");
    resp.set_nonce(std::to_string(++s_->nonce));
    std::set<std::string> names(req.resource_names().begin(), req.resource_names().end());
    auto wanted = [&](const std::string& n) { return names.empty() || names.count(n); };
    namespace hcm = envoy::extensions::filters::network::http_connection_manager::v3;
    if (type == kLds && wanted("svc-a")) {
      envoy::config::listener::v3::Listener lis;
      lis.set_name("svc-a");
      hcm::HttpConnectionManager m;
      m.set_stat_prefix("svc-a");
      m.mutable_rds()->set_route_config_name("route-svc-a");
      m.mutable_rds()->mutable_config_source()->mutable_ads();
      auto* f = m.add_http_filters();
      f->set_name("envoy.filters.http.router");
      f->mutable_typed_config()->PackFrom(envoy::extensions::filters::http::router::v3::Router());
      lis.mutable_api_listener()->mutable_api_listener()->PackFrom(m);
      resp.add_resources()->PackFrom(lis);
    } else if (type == kRds && wanted("route-svc-a")) {
      envoy::config::route::v3::RouteConfiguration rc;
      rc.set_name("route-svc-a");
      auto* vh = rc.add_virtual_hosts();
      vh->set_name("svc-a");
      vh->add_domains("*");
      auto* r = vh->add_routes();
      r->mutable_match()->set_prefix("");
      r->mutable_route()->set_cluster("cluster-a");
      resp.add_resources()->PackFrom(rc);
    } else if (type == kCds && wanted("cluster-a")) {
      envoy::config::cluster::v3::Cluster cl;
      cl.set_name("cluster-a");
      if (o_.invalid_cluster) {
        cl.set_type(envoy::config::cluster::v3::Cluster::STATIC);  // gRPC NACKs this
      } else {
        cl.set_type(envoy::config::cluster::v3::Cluster::EDS);
        cl.mutable_eds_cluster_config()->mutable_eds_config()->mutable_ads();
        cl.mutable_eds_cluster_config()->set_service_name("cluster-a");
      }
      resp.add_resources()->PackFrom(cl);
    } else if (type == kEds && wanted("cluster-a")) {
      envoy::config::endpoint::v3::ClusterLoadAssignment cla;
      cla.set_cluster_name("cluster-a");
      auto* loc = cla.add_endpoints();
      loc->mutable_locality()->set_region("r1");
      loc->mutable_load_balancing_weight()->set_value(1);
      auto* sa = loc->add_lb_endpoints()->mutable_endpoint()->mutable_address()->mutable_socket_address();
      sa->set_address("127.0.0.1");
      sa->set_port_value(o_.endpoint_port ? o_.endpoint_port : *plain_port_);
      resp.add_resources()->PackFrom(cla);
    }
    w.nonce_sent = resp.nonce();
    w.version_sent = resp.version_info();
    w.last_push = Clock::now();
    w.sent.assign(resp.resources().begin(), resp.resources().end());
    return resp;
  }

  std::string Identifier() const {
    return "{\"Component\":\"istiod\",\"ID\":\"" + o_.id + "\",\"Info\":{\"version\":\"" + o_.version + "\"}}";
  }

  dv3::DiscoveryResponse Syncz(const std::string& type) {
    dv3::DiscoveryResponse resp;
    resp.set_type_url(type);
    resp.set_version_info("1");
    resp.set_nonce(std::to_string(++s_->nonce));
    resp.mutable_control_plane()->set_identifier(Identifier());
    std::lock_guard<std::mutex> l(s_->mu);
    for (const auto& [cid, c] : s_->conns) {
      if (!c.is_proxy) continue;
      sv3::ClientConfig cc;
      cc.mutable_node()->set_id(ShortId(c.node.id()));
      const auto& md = c.node.metadata().fields();
      for (const char* k : {"CLUSTER_ID", "NAMESPACE", "ISTIO_VERSION"}) {
        auto it = md.find(k);
        if (it != md.end()) (*cc.mutable_node()->mutable_metadata()->mutable_fields())[k] = it->second;
      }
      for (const auto& [t, w] : c.watches) {
        auto* g = cc.add_generic_xds_configs();
        g->set_type_url(t);
        if (!w.last_error.empty()) {
          g->set_config_status(sv3::ERROR);
          g->mutable_error_state()->set_details(w.last_error);
          *g->mutable_error_state()->mutable_last_update_attempt() = ToProto(w.last_push);
        } else if (w.nonce_sent.empty()) {
          g->set_config_status(sv3::NOT_SENT);
        } else if (w.nonce_acked == w.nonce_sent) {
          g->set_config_status(sv3::SYNCED);
        } else {
          g->set_config_status(sv3::STALE);
        }
        *g->mutable_last_updated() = ToProto(w.last_push);
      }
      resp.add_resources()->PackFrom(cc);
    }
    const char* kNs[] = {"default", "bookinfo", "istio-system", "payments"};
    const auto start = ToProto(Clock::now() - std::chrono::seconds(125));
    for (int i = 0; i < o_.synthetic; ++i) {
      sv3::ClientConfig cc;
      std::string ns = kNs[i % 4];
      cc.mutable_node()->set_id("workload-" + std::to_string(i) + "-7d4f8b9c6-x2k9p." + ns);
      auto& f = *cc.mutable_node()->mutable_metadata()->mutable_fields();
      f["CLUSTER_ID"].set_string_value("Kubernetes");
      f["NAMESPACE"].set_string_value(ns);
      f["ISTIO_VERSION"].set_string_value("1.20.0");
      for (const auto& t : {kCds, kEds, kLds, kRds}) {
        auto* g = cc.add_generic_xds_configs();
        g->set_type_url(t);
        g->set_config_status(i % 17 == 3 && t == kEds ? sv3::STALE : sv3::SYNCED);
        *g->mutable_last_updated() = start;
      }
      resp.add_resources()->PackFrom(cc);
    }
    return resp;
  }

  dv3::DiscoveryResponse ConfigDump(const dv3::DiscoveryRequest& req) {
    dv3::DiscoveryResponse resp;
    resp.set_type_url(req.type_url());
    resp.set_nonce(std::to_string(++s_->nonce));
    if (req.resource_names_size() != 1) return resp;
    std::lock_guard<std::mutex> l(s_->mu);
    for (const auto& [cid, c] : s_->conns) {
      if (!c.is_proxy || ShortId(c.node.id()) != req.resource_names(0)) continue;
      av3::ClustersConfigDump cd;
      av3::ListenersConfigDump ld;
      av3::RoutesConfigDump rd;
      for (const auto& [t, w] : c.watches) {
        for (const auto& any : w.sent) {
          if (t == kCds) {
            auto* e = cd.add_dynamic_active_clusters();
            e->set_version_info(w.version_sent);
            *e->mutable_cluster() = any;
            *e->mutable_last_updated() = ToProto(w.last_push);
          } else if (t == kLds) {
            envoy::config::listener::v3::Listener lis;
            any.UnpackTo(&lis);
            auto* e = ld.add_dynamic_listeners();
            e->set_name(lis.name());
            e->mutable_active_state()->set_version_info(w.version_sent);
            *e->mutable_active_state()->mutable_listener() = any;
            *e->mutable_active_state()->mutable_last_updated() = ToProto(w.last_push);
          } else if (t == kRds) {
            auto* e = rd.add_dynamic_route_configs();
            e->set_version_info(w.version_sent);
            *e->mutable_route_config() = any;
            *e->mutable_last_updated() = ToProto(w.last_push);
          }
        }
      }
      resp.add_resources()->PackFrom(cd);
      resp.add_resources()->PackFrom(ld);
      resp.add_resources()->PackFrom(rd);
      break;
    }
    return resp;
  }

  Options o_;
  State* s_;
  int* plain_port_;
};

std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "fake-istiod: " << a << " needs a value\n";
        std::exit(64);
      }
      return argv[++i];
    };
    if (a == "--id") o.id = next();
    else if (a == "--version") o.version = next();
    else if (a == "--tls-cert") o.tls_cert = next();
    else if (a == "--tls-key") o.tls_key = next();
    else if (a == "--client-ca") o.client_ca = next();
    else if (a == "--require-token") o.require_token = next();
    else if (a == "--debug-auth") o.debug_auth = true;
    else if (a == "--deny-debug") o.deny_debug = true;
    else if (a == "--withhold") o.withhold.insert(TypeFromShort(next()));
    else if (a == "--ignore-acks") o.ignore_acks.insert(TypeFromShort(next()));
    else if (a == "--invalid-cluster") o.invalid_cluster = true;
    else if (a == "--synthetic") o.synthetic = std::stoi(next());
    else if (a == "--endpoint-port") o.endpoint_port = std::stoi(next());
    else {
      std::cerr << "fake-istiod: unknown flag " << a << "\n";
      return 64;
    }
  }
  State state;
  int plain_port = 0, tls_port = 0;
  Ads service(o, &state, &plain_port);
  grpc::ServerBuilder b;
  b.SetMaxSendMessageSize(-1);
  b.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &plain_port);
  if (!o.tls_cert.empty()) {
    grpc::SslServerCredentialsOptions so(o.client_ca.empty()
                                             ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
                                             : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
    if (!o.client_ca.empty()) so.pem_root_certs = Slurp(o.client_ca);
    so.pem_key_cert_pairs.push_back({Slurp(o.tls_key), Slurp(o.tls_cert)});
    b.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(so), &tls_port);
  }
  b.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = b.BuildAndStart();
  if (!server || plain_port == 0) {
    std::cerr << "fake-istiod: cannot listen\n";
    return 69;
  }
  std::cout << "PORT " << plain_port << "\n";
  if (tls_port) std::cout << "TLS_PORT " << tls_port << "\n";
  std::cout << "READY" << std::endl;
  // Serve until stdin closes (the test's end, or the test process dying).
  char buf[256];
  while (::read(0, buf, sizeof buf) > 0) {
  }
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::milliseconds(200));
  return 0;
}
