// Talking to an Envoy admin endpoint (port 15000 by default) with the same
// paths and query strings istioctl uses, through io::HttpClient so tests can
// point it at a local fake server. Returns raw bodies; parsing lives in
// config_dump.h. Used by `proxy-config` and by `proxy-status <pod>` (diff
// mode: ConfigDump(DumpSection::kAll) gives Envoy's side).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "lib/core/status.h"
#include "lib/io/http_client.h"

namespace meshctl::envoy {

inline constexpr int kDefaultAdminPort = 15000;

// Which part of /config_dump a command needs; each maps to istioctl's query.
enum class DumpSection {
  kFull,       // config_dump                                  (proxy-status diff)
  kAllWithEds, // config_dump?include_eds=true                 (all, eds, ecds)
  kBootstrap,  // config_dump?mask=bootstrap
  kClusters,   // config_dump?mask=dynamic_active_clusters,dynamic_warming_clusters,static_clusters
  kListeners,  // config_dump?mask=dynamic_listeners,static_listeners
  kRoutes,     // config_dump?mask=dynamic_route_configs,static_route_configs
  kSecrets,    // config_dump?mask=dynamic_active_secrets,dynamic_warming_secrets
};

// The path and query (no leading '/') for a section, e.g.
// "config_dump?mask=bootstrap".
std::string ConfigDumpPath(DumpSection section);

// Turns --admin-address into a base URL without a trailing slash:
// "host" -> "http://host:15000", "host:port", "[::1]:port", "http://...",
// "https://...". Anything else (other schemes, empty host, bad port, a
// path) is InvalidArgument.
core::Result<std::string> AdminBaseUrl(std::string_view address);

// Parses a Go-style duration for --timeout: "30s", "1.5s", "500ms", "2m",
// "1h", "1m30s". Zero or negative is InvalidArgument.
core::Result<std::chrono::milliseconds> ParseDuration(std::string_view text);

// Percent-encodes a query value (RFC 3986 unreserved characters kept).
std::string QueryEscape(std::string_view value);

struct AdminOptions {
  std::string base_url;  // from AdminBaseUrl
  io::TlsOptions tls;
  std::chrono::milliseconds timeout{30000};
};

class AdminClient {
 public:
  // `http` must outlive the client.
  AdminClient(io::HttpClient& http, AdminOptions options);

  // GET /config_dump with the section's query. Non-200 and transport errors
  // are Unavailable naming the URL.
  core::Result<std::string> ConfigDump(DumpSection section);
  // GET /clusters?format=json (admin.v3.Clusters).
  core::Result<std::string> ClustersJson();
  // POST /logging or /logging?<query> (query already escaped, e.g.
  // "level=debug" or "http=trace"); returns Envoy's listing.
  core::Result<std::string> Logging(const std::string& query);
  // GET /server_info.
  core::Result<std::string> ServerInfo();
  // GET /stats (format ""), /stats?format=json or /stats/prometheus, with an
  // optional ?filter=<regex>.
  core::Result<std::string> Stats(const std::string& format, const std::string& filter);

  // Generic helpers: path_and_query without the leading '/'.
  core::Result<std::string> Get(const std::string& path_and_query);
  core::Result<std::string> Post(const std::string& path_and_query);

  const std::string& base_url() const { return options_.base_url; }

 private:
  core::Result<std::string> Send(const std::string& method, const std::string& path_and_query);

  io::HttpClient& http_;
  AdminOptions options_;
};

}  // namespace meshctl::envoy
