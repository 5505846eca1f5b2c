// Walking a VirtualService's destinations (http/tcp/tls routes, mirror and
// mirrors) with the field path of each host, and resolving host names the
// way Istio's analyzers do.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lib/model/resource.h"

namespace meshctl::analysis {

struct RouteDestination {
  // Where the destination sits: a route's, `mirror` or `mirrors[entry_index]`.
  enum class Where : uint8_t { kRoute, kMirror, kMirrors };

  std::string host;
  std::string subset;
  bool mirror = false;
  const char* route_kind = "http";  // "http", "tcp", "tls"
  size_t route_index = 0;
  Where where = Where::kRoute;
  size_t entry_index = 0;  // in `route` or `mirrors`
  const yaml::Node* destination = nullptr;  // the `destination` object (or `mirror`); nullptr when absent

  // The host's field path, spec.http[0].route[1].destination.host; built
  // when a finding is reported, not for every destination.
  std::string HostPath() const;
};

// Every destination of routes first (in order http, tcp, tls), then the
// http mirrors (`mirror` and `mirrors[].destination`).
std::vector<RouteDestination> RouteDestinations(const model::Resource& vs);

struct HostName {
  std::string ns;
  std::string name;
};

// Istio's util.GetResourceNameFromHost: "a.b.svc.cluster.local" is name a in
// namespace b; "ns/name" is split; anything else is `host` in `default_ns`.
HostName ResolveHost(const std::string& default_ns, const std::string& host);

}  // namespace meshctl::analysis
