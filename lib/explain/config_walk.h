// The config walk (spec explain.md §5.2, O1–O12): one request through the
// Istio configuration the way pilot builds the source proxy's listeners,
// routes and clusters, and the destination's authn/authz filters. Every
// hop names the object and field that decided it, with its position.
//
// To add a rule: a step function in config_walk.cc that appends a Hop
// (verdict, object, field, Envoy name) and, when it ends the request,
// calls Walk::Fail with the HTTP status and Envoy flag Envoy would give.
#pragma once

#include <string>

#include "lib/core/status.h"
#include "lib/explain/request.h"
#include "lib/explain/walk.h"
#include "lib/model/snapshot.h"
#include "lib/yaml/node.h"

namespace meshctl::explain {

struct ConfigWalkOptions {
  std::string cluster_domain = "cluster.local";
  // The mesh config merged over Istio's defaults (analysis::BuildMeshConfig);
  // nullptr: the defaults (rootNamespace istio-system, ALLOW_ANY, exportTo *).
  const yaml::Node* mesh_config = nullptr;
};

// Walks `req` through `snap`. A source that is named but not in the input
// is DataError (the caller exits 65); everything else is a hop.
core::Result<Walk> WalkConfig(const model::Snapshot& snap, const Request& req, const ConfigWalkOptions& opts);

}  // namespace meshctl::explain
