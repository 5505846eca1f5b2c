// Which ztunnel `meshctl ztunnel-config` talks to on a live cluster, chosen
// as istioctl 1.30+ chooses it (ambient.md §1.2, §6.1):
//   --node N          the ztunnel DaemonSet's pod on node N
//   ztunnel pod       that pod (app=ztunnel, or a name starting "ztunnel")
//   other pod         the ztunnel on that pod's node; the pod becomes the
//                     workload `workload` and `connections` filter on
//   ds/ztunnel, none  the DaemonSet's pods (one required for certificate
//                     and connections: "ztunnel pod name or --node must be set")
// Unlike istioctl, a bare pod name without `.ns` is looked up in -n (or the
// kubeconfig context's namespace) first, then in the Istio namespace, so a
// workload pod is not searched for in istio-system only.
//
// Everything goes through lib/kube (pod_target.h for argument parsing and
// ByLogging order); the caller port-forwards to the chosen pod.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/envoy/admin_client.h"
#include "lib/io/http_client.h"
#include "lib/kube/client.h"
#include "lib/kube/pod_target.h"
#include "lib/kube/port_forward.h"

namespace meshctl::ambient {

inline constexpr char kZtunnelDaemonSet[] = "ztunnel";

struct ZtunnelTargetRequest {
  std::string target;  // the positional argument ("" = none)
  std::string node;    // --node
  std::string ns;      // -n, else the context's namespace
  std::string istio_namespace = "istio-system";
  bool single = false;  // the subcommand needs exactly one ztunnel
  // `log`: no target means every ztunnel, and a target must be a ztunnel
  // ("workloads command is only supported by Ztunnel proxies").
  bool for_log = false;
};

struct ZtunnelTarget {
  std::vector<kube::PodInfo> ztunnels;  // ByLogging order; one unless for_log without a target
  // The workload pod the argument named, when it is not a ztunnel itself.
  std::string workload_name, workload_ns;
};

// istioctl's IsZtunnelPod: the `app` label is "ztunnel" when the label
// exists, else the name starts with "ztunnel".
bool IsZtunnelPod(const kube::PodInfo& pod);

// The ztunnel DaemonSet's pods in `istio_namespace` (selector from its
// spec.selector), restricted to `node` unless empty, in ByLogging order.
// Unavailable when the DaemonSet is missing or no pod matches.
core::Result<std::vector<kube::PodInfo>> ZtunnelPods(kube::Client& client, const std::string& istio_namespace,
                                                     const std::string& node);

// Applies the rules above. InvalidArgument for a malformed argument or a
// non-ztunnel `log` target; Unavailable for what the cluster lacks.
core::Result<ZtunnelTarget> ResolveZtunnelTarget(kube::Client& client, const ZtunnelTargetRequest& request);

// One ztunnel's admin port (15000) reached through a port-forward: the
// same AdminClient `--admin-address` uses, pointed at the local end.
struct ZtunnelAdmin {
  std::unique_ptr<kube::PortForward> forward;
  std::unique_ptr<envoy::AdminClient> admin;
  std::string pod;  // "<name>.<ns>", as istioctl names it in `log` output

  // A failed request, with the port-forward's own reason when it has one.
  core::Status Explain(const core::Status& st) const;
};

// Port-forwards to `port` of `pod` (which must be Running). `client` and
// `http` must outlive the result.
core::Result<ZtunnelAdmin> ConnectZtunnelAdmin(kube::Client& client, const kube::PodInfo& pod, uint16_t port,
                                               io::HttpClient& http, std::chrono::milliseconds timeout);

}  // namespace meshctl::ambient
