// Helpers about workloads that several analyzers share: where a workload's
// pod labels live, label selectors, mesh membership (istio's
// util.DeploymentInMesh), and which Services select a workload.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "lib/model/snapshot.h"

namespace meshctl::analysis {

// Kinds that run pods: Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
// CronJob, Pod.
const std::vector<model::GroupKind>& WorkloadKinds();

// The labels the workload's pods get (pod template labels; a Pod's own
// labels); nullptr when there are none. `path` receives the field path.
const yaml::Node* PodLabels(const model::Resource& w, std::string* path = nullptr);
// The pod template's (or Pod's) metadata node and its path.
const yaml::Node* PodMetadata(const model::Resource& w, std::string* path = nullptr);
// The pod spec (`spec.template.spec`, a Pod's `spec`).
const yaml::Node* PodSpec(const model::Resource& w);

// True when `w` is created by a controller (metadata.ownerReferences set):
// its owner is analyzed instead.
bool HasOwner(const model::Resource& w);

// Kubernetes equality selector (`{app: x}`): every pair must be in `labels`.
// An empty or absent selector matches nothing here (Services semantics).
bool SelectorMatches(const yaml::Node* selector, const yaml::Node* labels);

enum class MeshMembership { kInMesh, kNotInMesh, kUnknown };
// istio's util.DeploymentInMesh: an istio-proxy container, the
// sidecar.istio.io/inject label or annotation, or the namespace's
// istio-injection label. kUnknown when none of these says anything (no
// Namespace object was given); Istio treats that as not in the mesh.
MeshMembership PodMeshMembership(const model::Resource& w, const model::Snapshot& snap);

// Services in the workload's namespace whose non-empty selector matches its
// pod labels, in load order.
std::vector<const model::Resource*> SelectingServices(const model::Resource& w, const model::Snapshot& snap);

// The same lookup for many workloads: Services indexed by namespace and the
// first key=value pair of their selector, so each workload checks only the
// Services that can match it (linear in the input, not workloads x services).
class ServiceSelectorIndex {
 public:
  explicit ServiceSelectorIndex(const model::Snapshot& snap);
  // Services selecting `w`'s pods, in load order.
  std::vector<const model::Resource*> Selecting(const model::Resource& w) const;

 private:
  std::unordered_map<std::string, std::vector<const model::Resource*>> by_first_pair_;  // "ns/k=v"
  std::unordered_map<const model::Resource*, size_t> order_;
};

}  // namespace meshctl::analysis
