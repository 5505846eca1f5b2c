// The checks `meshctl canary` runs on its own result, next to the analysis
// engine's: weights of the shifted routes sum to 100, the stable and canary
// subsets / per-version Services select workloads, referenced Services
// exist, the Service's ports are declared HTTP when HTTP routes shift them,
// and the resources changed are not owned by a controller (Flagger, Argo
// Rollouts, a Kiali wizard) that would overwrite the change.
#pragma once

#include <set>
#include <string>

#include "lib/canary/canary.h"
#include "lib/diag/sink.h"
#include "lib/model/snapshot.h"

namespace meshctl::canary {

// "Kind/ns/name", the identity used to find a resource again after reload.
std::string ResourceKey(std::string_view kind, std::string_view ns, std::string_view name);

struct VerifyInput {
  const model::Snapshot& snapshot;  // the inputs with the change applied
  const CanarySpec& spec;
  std::string stable;
  std::string canary;
  std::set<std::string> changed;  // ResourceKey of changed and created resources
};

void VerifyCanary(const VerifyInput& in, diag::DiagnosticSink& sink);

// MSH0303 when `r` carries the marks of a controller that owns it.
void CheckOwnership(const model::Resource& r, diag::DiagnosticSink& sink);

}  // namespace meshctl::canary
