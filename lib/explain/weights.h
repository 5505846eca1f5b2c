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
#include "lib/model/snapshot.h"

namespace meshctl::explain {

struct WeightsOptions {
  std::string cluster_domain = "cluster.local";
  std::string ns = "default";  // for a short service name
};

struct Split {
  std::string cluster;  // outbound|9080|v2|reviews.bookinfo.svc.cluster.local
  double share = 0;     // percent
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

struct IntendedRoute {
  std::string object;  // VirtualService ns/name or HTTPRoute ns/name
  std::string field;   // spec.http[1].route
  std::string file;
  uint32_t line = 0, column = 0;
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
