// The dump walk (spec explain.md §5.4, D1–D8, after Istio's traffic
// simulator): the same request through the source proxy's Envoy config —
// listener, listener filters, filter chain, HTTP connection manager or
// tcp_proxy, RDS route config, virtual host, route (with header and query
// matching, which the simulator skips), cluster, endpoints and health.
#pragma once

#include <string>

#include "lib/envoy/config_dump.h"
#include "lib/explain/request.h"
#include "lib/explain/walk.h"

namespace meshctl::explain {

struct DumpWalkOptions {
  // The address the client dials (the service VIP); "" tries 0.0.0.0 and
  // then virtualOutbound.
  std::string dest_ip;
};

Walk WalkDump(const envoy::ConfigDump& dump, const Request& req, const DumpWalkOptions& opts);

// D9: the destination proxy's dump. The virtualInbound filter chains for
// `port` (the workload port) say which transports the server takes (TLS
// only: STRICT; TLS and plaintext: PERMISSIVE; plaintext only: DISABLE);
// the chain the client's connection takes (`mtls`) and its RBAC policy
// names (`ns[X]-policy[Y]-rule[Z]`) are appended to `walk` as hops. A
// client transport no chain takes fails the walk (connection reset).
void WalkDestinationDump(const envoy::ConfigDump& dump, const Request& req, int64_t port, bool mtls, Walk& walk);

}  // namespace meshctl::explain
