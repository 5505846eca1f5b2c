// One concrete request for `meshctl explain`: where it starts (a workload,
// or an ingress gateway) and what it looks like on the wire (authority,
// port, path, query, method, headers, protocol, SNI). Built from a URL or
// from --host/--port/--path, then walked through the config (config_walk.h)
// and through an Envoy dump (dump_walk.h).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/status.h"

namespace meshctl::explain {

struct Request {
  // --from WORKLOAD[.NS]: a Pod, a workload (Deployment, ...) or `ingress`
  // (the istio=ingressgateway workload). Empty: a sidecar in `from_ns`
  // with no labels.
  std::string from;
  std::string from_ns;  // from `.NS`, else -n, else "default"
  // The kind --from spelled ("deploy" in deploy/reviews-v1, "gateway"),
  // lower case; "" for a bare name.
  std::string from_kind;
  std::string scheme = "http";
  std::string host;       // without the port
  int64_t port = 0;       // the port the client connects to
  bool port_given = false;  // the URL or --port named it (the authority carries it)
  std::string path = "/";  // without the query
  std::map<std::string, std::string> query;  // first value of each key
  std::string method = "GET";
  std::map<std::string, std::string> headers;  // lower-case names
  std::string protocol = "http";  // http, http2, grpc, tcp, tls
  std::string sni;
  std::string dest_ip;  // --dest-ip: the address dialled (default: the service VIP)

  bool IsHttp() const { return protocol == "http" || protocol == "http2" || protocol == "grpc"; }
  // The :authority header as the client sends it ("reviews:9080").
  std::string Authority() const;
  // A header's value as routes match it: the pseudo-headers :authority
  // (also `host`), :method, :path, :scheme, else `headers` (any case);
  // nullopt when the request lacks it.
  std::optional<std::string> Header(std::string_view name) const;
};

// Fills scheme, host, port, path and query from `url`
// ("http://reviews:9080/api/v1?x=1"; a missing scheme means http; the
// port defaults to 80 for http, 443 for https). InvalidArgument on a
// malformed URL.
core::Status ParseUrl(std::string_view url, Request& req);

// Adds one `-H 'name: value'` header (names are lower-cased; `Host:` sets
// the authority). InvalidArgument without a colon.
core::Status AddHeader(std::string_view header, Request& req);

// Checks a finished request: a host, a port in 1..65535, a known protocol.
core::Status CheckRequest(const Request& req);

// Percent-decodes a URL component ("%2F" -> "/", "+" kept).
std::string PercentDecode(std::string_view s);

}  // namespace meshctl::explain
