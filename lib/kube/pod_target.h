// Which pod a POD argument names, as istioctl resolves it
// (istioctl/pkg/util/handlers/handlers.go; spec live-cluster.md §2.1):
//   name, name.ns                      a pod (the last dot splits)
//   pod/name, po/name                  a pod
//   deploy/name, deployment/, rs/, sts/, ds/, job/, svc/, service/, rc/
//                                      a pod the object's selector matches
//   gateway/name, gtw/name             a managed Gateway API Gateway: its
//                                      pods carry gateway.networking.k8s.io/gateway-name=<name>
// Kinds may be spelled singular, plural, short or with their group
// (deployments.apps/x). A `.ns` suffix after the last '/' names the
// namespace, else -n, else the kubeconfig context's.
//
// One pod is chosen as `kubectl logs` chooses it (podutils.ByLogging):
// assigned to a node first, then Running < Unknown < Pending, ready, ready
// for longer, more restarts, older. `pc log` and `pc stats` take every pod
// the object selects, as istioctl does, and `-l` lists pods by selector.
//
// Errors: a malformed argument, an unknown kind, or an object that selects
// no pods by design (a Service without a selector, an unmanaged Gateway) is
// InvalidArgument (64); a missing object, a selector matching nothing, a pod that is not Running,
// and RBAC denials (naming the verb and resource) are Unavailable (69).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/kube/client.h"

namespace meshctl::kube {

// The kinds a POD argument may name.
enum class TargetKind {
  kPod,
  kDeployment,
  kReplicaSet,
  kStatefulSet,
  kDaemonSet,
  kJob,
  kService,
  kReplicationController,
  kGateway
};

struct PodArgument {
  TargetKind kind = TargetKind::kPod;
  bool typed = false;  // "kind/name" rather than a bare pod name
  std::string name;
  std::string ns;
  std::string text;  // the argument as given, for messages
};

// Splits POD[.NS] / KIND/NAME[.NS]; `default_ns` when no namespace is given.
core::Result<PodArgument> ParsePodArgument(std::string_view arg, const std::string& default_ns);

// "deployment", "pod", ... for messages.
std::string KindName(TargetKind kind);

// What pod choice and messages read of one Pod object.
struct PodInfo {
  std::string ns, name;
  std::string phase;  // "Running", "Pending", ... ("" when unset)
  std::string node_name;
  bool ready = false;       // condition Ready is True
  std::string ready_since;  // its lastTransitionTime (RFC 3339) when ready
  int restarts = 0;         // the most restarts of any container
  std::string created;      // metadata.creationTimestamp (RFC 3339)
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> containers;
};

// One Pod object (JSON); `source` names it in messages.
core::Result<PodInfo> ParsePod(const std::string& json, const std::string& source);
// A PodList's items.
core::Result<std::vector<PodInfo>> ParsePodList(const std::string& json, const std::string& source);

// kubectl's ByLogging order: true when `a` is the better pod to talk to.
bool BetterForLogging(const PodInfo& a, const PodInfo& b);
// Stable sort by that order.
void SortByLogging(std::vector<PodInfo>& pods);

// The label selector of a workload object's JSON as kubectl's
// SelectorsForObject (plus istioctl's managed Gateway) builds it:
// "app=x,version in (v1,v2)", keys sorted. InvalidArgument when the object
// has no usable selector (a Service without one, an unmanaged Gateway).
core::Result<std::string> SelectorForObject(TargetKind kind, const std::string& object_json,
                                            const std::string& display);

// GET .../pods?labelSelector=S[&fieldSelector=F] in `ns`.
core::Result<std::vector<PodInfo>> ListPods(Client& client, const std::string& ns, const std::string& label_selector,
                                            const std::string& field_selector = "");

struct ResolveOptions {
  // How long to wait for a pod to appear when the selector matches none yet
  // (istioctl: 2 s).
  std::chrono::milliseconds wait{2000};
};

// The pod a POD argument stands for: a bare name as it is (checked when the
// pod is fetched), a typed one through its object's selector and ByLogging.
core::Result<PodInfo> ResolvePod(Client& client, const PodArgument& arg, const ResolveOptions& options = {});

// Every pod a POD argument stands for (istioctl's InferPodsFromTypedResource,
// for `pc log` and `pc stats`): a bare name as it is, a typed one all the
// pods its selector matches.
core::Result<std::vector<PodInfo>> ResolvePods(Client& client, const PodArgument& arg);

// `-l SELECTOR` in `ns`: every matching pod; none is an error ("no pods found").
core::Result<std::vector<PodInfo>> PodsForSelector(Client& client, const std::string& ns, const std::string& selector);

// GET the pod; it must exist and be Running (what port-forward needs).
core::Result<PodInfo> GetRunningPod(Client& client, const std::string& ns, const std::string& name);

}  // namespace meshctl::kube
