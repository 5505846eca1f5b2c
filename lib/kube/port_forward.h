// Port-forward to one port of a pod through the Kubernetes API server, as
// `kubectl port-forward` does, over WebSocket `v4.channel.k8s.io`
// (../shared/docs/specs/live-cluster.md §3.1): a listener on 127.0.0.1:0,
// one WebSocket upgrade of
//   GET /api/v1/namespaces/NS/pods/NAME/portforward?ports=PORT
// per accepted local connection, bytes pumped both ways on channel 0 (data)
// and channel 1 (error). Callers point their ordinary clients (the Envoy
// admin client, a gRPC channel) at local_address() and never see WebSocket.
//
// Usage:
//   ASSIGN_OR_RETURN(auto pf, kube::StartPortForward(client, "bookinfo", "productpage-v1-abc", 15000));
//   auto dump = admin.Fetch(pf->local_address(), ...);
//   if (!dump.ok() && !pf->first_error().ok()) return pf->first_error();  // the server's reason
//
// Errors are core::Unavailable (exit 69) naming the pod, the port and what
// failed: the pod is missing or not Running, 401/403 (naming the RBAC verbs
// `pods/portforward` create/get), any other non-101 answer with its Status
// message, an answer that is not a WebSocket upgrade (a proxy dropping
// WebSockets), no answer within --request-timeout, the error-channel text
// (a refused port). No message contains a credential.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "lib/core/status.h"
#include "lib/kube/client.h"

namespace meshctl::kube {

struct PortForwardOptions {
  // GET the pod first and require status.phase Running, as kubectl does.
  bool check_pod = true;
  // Open one WebSocket before returning and close it once the server has
  // upgraded it, so RBAC, proxy and protocol failures are reported by
  // StartPortForward() itself rather than on the first local connection.
  // (A refused pod port shows only once a connection is forwarded: see
  // first_error().)
  bool probe = true;
  // How long the WebSocket upgrade may take; 0 = the client's
  // --request-timeout (RestConfig::timeout; 0 there too = no limit).
  std::chrono::milliseconds upgrade_timeout{0};
};

// A running forward. Not copyable; stops (closes the listener and every
// forwarded connection, joins its threads) on destruction; a connection
// still waiting for its upgrade answer is waited for, at most the upgrade
// timeout. Thread-safe.
class PortForward {
 public:
  virtual ~PortForward() = default;

  // "127.0.0.1:NNNN", the listener's address.
  virtual std::string local_address() const = 0;
  virtual uint16_t local_port() const = 0;

  // The pod and port forwarded to, for messages: "bookinfo/productpage-v1-abc:15000".
  virtual std::string target() const = 0;

  // The first failure of any forwarded connection (error-channel text such
  // as a refused port, a failed upgrade, a broken stream), or Ok. A local
  // connection is closed only after its failure is recorded here, so a
  // caller whose request through local_address() failed can read the reason
  // right away.
  virtual core::Status first_error() const = 0;

  // Stops accepting and closes every forwarded connection. Idempotent.
  virtual void Stop() = 0;
};

// Starts forwarding 127.0.0.1:0 to `port` of pod `ns`/`pod`. `client` must
// outlive the returned object; after this returns, the forwarder only uses
// the client's thread-safe connect-only path (Client::OpenStream), so the
// caller may keep making requests with `client` meanwhile.
core::Result<std::unique_ptr<PortForward>> StartPortForward(Client& client, std::string_view ns, std::string_view pod,
                                                            uint16_t port, const PortForwardOptions& options = {});

// "/api/v1/namespaces/NS/pods/NAME/portforward" (no query).
std::string PortForwardPath(std::string_view ns, std::string_view pod);

}  // namespace meshctl::kube
