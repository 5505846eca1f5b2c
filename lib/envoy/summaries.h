// istioctl's proxy-config views of a config dump: the filters, the sorted
// and filtered selections (for -o json|yaml) and the tables (-o short), each
// byte-identical to istioctl's. One .cc per view: cluster_summary.cc,
// listener_summary.cc, route_summary.cc, endpoint_summary.cc (eds and the
// /clusters endpoint view), secret_summary.cc, bootstrap_summary.cc,
// ecds_summary.cc, all_summary.cc.
//
// `prefixed` is the `proxy-config all` layout: a NAME column (cluster/,
// listener/) or a prefixed name column (route/, secret/, endpoint/).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/envoy/config_dump.h"
#include "lib/envoy/json_view.h"

namespace meshctl::envoy {

// ---- clusters

struct ClusterFilter {
  std::string fqdn;       // substring of the cluster name
  int port = 0;           // "|<port>|" in the name
  std::string subset;     // substring
  std::string direction;  // substring
  bool Matches(std::string_view name) const;
};

// Istio's subset key "direction|port|subset|fqdn" (or the DNS SRV form
// "outbound_.port_.subset_.fqdn"); other names give fqdn = name.
struct SubsetKey {
  std::string direction;
  std::string subset;
  std::string fqdn;
  int port = 0;
  bool parsed = false;
};
SubsetKey ParseSubsetKey(std::string_view name);

// Sorted by (fqdn, subset, port, direction), filtered; "no clusters found"
// (Failed) when the dump has none at all.
core::Result<std::vector<JsonView>> SelectClusters(const ConfigDump& dump, const ClusterFilter& filter);
core::Status PrintClusterSummary(const ConfigDump& dump, const ClusterFilter& filter, bool prefixed,
                                 std::ostream& out);
// "<name>.<ns>" for an Istio config path in metadata, "<unknown>" for another
// path, "" when absent.
std::string DescribeIstioConfig(const JsonView& metadata);

// ---- listeners

struct ListenerFilter {
  std::string address;  // equals the main or an additional address (case-insensitive)
  int port = 0;
  std::string type;     // HTTP, TCP, HTTP+TCP, UNKNOWN (case-insensitive)
  bool verbose = true;
};
std::string ListenerType(const JsonView& listener);
core::Result<std::vector<JsonView>> SelectListeners(const ConfigDump& dump, const ListenerFilter& filter);
core::Status PrintListenerSummary(const ConfigDump& dump, const ListenerFilter& filter, bool prefixed,
                                  std::ostream& out);
// The MATCH and DESTINATION cells of one filter chain.
std::string DescribeFilterChainMatch(const JsonView& match);
std::string DescribeFilterChainDestination(const JsonView& chain);

// ---- routes

struct RouteFilter {
  std::string name;  // exact route config name
  bool verbose = true;
};
core::Result<std::vector<JsonView>> SelectRoutes(const ConfigDump& dump, const RouteFilter& filter);
core::Status PrintRouteSummary(const ConfigDump& dump, const RouteFilter& filter, bool prefixed, std::ostream& out);
std::string DescribeRouteDomains(const std::vector<std::string>& domains);

// ---- endpoints (eds from the config dump; endpoint from /clusters?format=json)

struct EndpointFilter {
  std::string address;  // "ip:port" or pipe path, case-insensitive equal
  int port = 0;
  std::string cluster;  // case-insensitive equal
  std::string status;   // health status name, case-insensitive
};
// ClusterLoadAssignments with their lb_endpoints filtered, clusters left
// without endpoints dropped, sorted like clusters.
core::Result<nlohmann::ordered_json> SelectEds(const ConfigDump& dump, const EndpointFilter& filter);
core::Status PrintEdsSummary(const ConfigDump& dump, const EndpointFilter& filter, bool prefixed, std::ostream& out);
// /clusters?format=json (admin.v3.Clusters) views.
core::Result<nlohmann::ordered_json> SelectClusterEndpoints(const JsonView& clusters, const EndpointFilter& filter);
core::Status PrintEndpointSummary(const JsonView& clusters, const EndpointFilter& filter, std::ostream& out);

// ---- secrets

// The certificate facts shown per secret row (see certificate.h).
core::Status PrintSecretSummary(const ConfigDump& dump, bool prefixed, int64_t now_unix, std::ostream& out);
core::Result<JsonView> SelectSecrets(const ConfigDump& dump);

// ---- bootstrap

core::Status PrintBootstrapSummary(const ConfigDump& dump, std::ostream& out);
core::Result<JsonView> SelectBootstrap(const ConfigDump& dump);

// ---- ecds

core::Status PrintEcdsSummary(const ConfigDump& dump, std::ostream& out);
// All EcdsConfigDump sections merged into one {"ecds_filters": [...]} value.
core::Result<nlohmann::ordered_json> SelectEcds(const ConfigDump& dump);

// ---- all

struct AllOptions {
  ClusterFilter cluster;
  ListenerFilter listener;
  RouteFilter route;
  EndpointFilter endpoint;
  bool with_headers = false;
  int64_t now_unix = 0;
  // Sections rendered at once: 0 = core::DefaultThreads() for dumps of 4 MB
  // and more (a large dump's tables take ~0.1 s each), else one. The output
  // is the same whatever the number.
  size_t threads = 0;
};
// Prints every section the dump has; a dump without endpoints (a plain
// /config_dump, not ?include_eds=true) gets the other sections printed and
// then a DataError saying the endpoints are missing, as istioctl does.
core::Status PrintAllSummary(const ConfigDump& dump, const AllOptions& options, std::ostream& out);

// ---- what a saved file holds (pc endpoint|log|stats|server-info -f)

// DataError naming `source` unless `root` is /clusters?format=json output
// (a config dump is pointed to `pc eds`).
core::Status CheckClustersJson(const JsonView& root, const std::string& source);
// Unless `root` is /server_info output.
core::Status CheckServerInfo(const JsonView& root, const std::string& source);
// Unless `text` is Envoy's logger listing ("active loggers:" then "name: level").
core::Status CheckLoggingListing(std::string_view text, const std::string& source);
// Unless `text` is /stats output in `format` (short: "name: value" lines,
// prom: Prometheus text, json: {"stats": ...}).
core::Status CheckStatsText(std::string_view text, std::string_view format, const std::string& source);

}  // namespace meshctl::envoy
