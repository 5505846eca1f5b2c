// The progressive canary's view of a real cluster (lib/kube): the objects
// `meshctl canary` reads live, and server-side apply with field manager
// meshctl.
#pragma once

#include <memory>
#include <string>

#include "lib/canary/progressive.h"
#include "lib/kube/client.h"

namespace meshctl::canary {

// Routes are listed cluster-wide (they may sit in any namespace), the
// Service and its workloads in `ns`. `client` must outlive the result.
std::unique_ptr<ProgressiveCluster> NewKubeProgressiveCluster(kube::Client& client, std::string ns);

}  // namespace meshctl::canary
