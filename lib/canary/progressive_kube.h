// The progressive canary's view of a real cluster (lib/kube): the objects
// `meshctl canary` reads live, and server-side apply with field manager
// meshctl.
#pragma once

#include <memory>
#include <string>

#include "lib/canary/progressive.h"
#include "lib/io/files.h"
#include "lib/kube/client.h"

namespace meshctl::canary {

// What `meshctl canary` reads from a cluster: VirtualServices,
// DestinationRules, HTTPRoutes, Gateways and TrafficSplits cluster-wide
// (routes may sit in any namespace), the Service's namespace `ns` for
// Services, Deployments, StatefulSets, DaemonSets and Pods.
core::Result<io::InputSet> ReadCanaryObjects(kube::Client& client, const std::string& ns);

// Server-side apply of one object (its apiVersion, kind and metadata name
// the API resource and path); returns kubectl's name for it,
// "virtualservice.networking.istio.io/reviews".
core::Result<std::string> ApplyObject(kube::Client& client, const yaml::Node& object, const kube::ApplyOptions& opts);

// Routes are listed cluster-wide (they may sit in any namespace), the
// Service and its workloads in `ns`. `client` must outlive the result.
std::unique_ptr<ProgressiveCluster> NewKubeProgressiveCluster(kube::Client& client, std::string ns);

}  // namespace meshctl::canary
