// Intended against programmed weights: every VirtualService (and
// HTTPRoute) route that splits traffic for one service, next to the
// weighted clusters Envoy was given for it in each dump, with the drift
// (a canary at 10 % in config and 0 % in a proxy).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/core/status.h"
#include "lib/envoy/config_dump.h"
#include "lib/explain/walk.h"
#include "lib/model/snapshot.h"

namespace meshctl::explain {

struct WeightsOptions {
  std::string cluster_domain = "cluster.local";
  std::string ns = "default";  // for a short service name
};

struct ProgrammedRoute {
  std::string dump;  // the dump's source
  std::string virtual_host;
  std::string route;  // the Envoy route name, or routes[i]
  bool found = false;
  std::vector<Split> splits;
  bool drift = false;
  std::string note;
};

// A route as written; its citation is the VirtualService or HTTPRoute
// (`VirtualService ns/name`) and the field of its destinations
// (`spec.http[1].route`).
struct IntendedRoute : Citation {
  std::vector<Split> splits;
  std::vector<ProgrammedRoute> programmed;
};

struct WeightsReport {
  std::string host;
  std::vector<IntendedRoute> routes;
  bool drift = false;
};

// `service` is resolved against opts.ns; InvalidArgument when no route in
// the input sends traffic to it.
core::Result<WeightsReport> CompareWeights(const model::Snapshot& snap, const std::string& service,
                                           const std::vector<envoy::ConfigDump>& dumps, const WeightsOptions& opts);
void RenderWeights(const WeightsReport& report, std::ostream& out);
nlohmann::ordered_json WeightsJson(const WeightsReport& report);

}  // namespace meshctl::explain
