// A client for Prometheus' HTTP API: instant queries (POST /api/v1/query)
// over lib/io's HttpClient, with a bearer token, a CA bundle or (named by
// its own flag) no TLS verification. Every error names the query and the
// endpoint, never the token.
//
// The canary runner (lib/canary/progressive.h) sees only MetricsSource, so
// its tests can answer queries without a server.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/io/http_client.h"

namespace meshctl::metrics {

// One element of an instant vector (or the single value of a scalar).
struct Sample {
  std::map<std::string, std::string> labels;
  double value = 0;  // NaN and +/-Inf as Prometheus sent them
};

struct QueryResult {
  std::string result_type;  // "vector", "scalar", "matrix", "string"
  std::vector<Sample> samples;
  std::vector<std::string> warnings;
};

class MetricsSource {
 public:
  virtual ~MetricsSource() = default;
  // Evaluates `promql` now. Unavailable when the server cannot be reached
  // or answers with an error; the message names the query and the endpoint.
  virtual core::Result<QueryResult> Query(const std::string& promql) = 0;
  // "http://prometheus:9090", for messages.
  virtual std::string Endpoint() const = 0;
};

struct PrometheusOptions {
  std::string url;             // base URL; a path prefix (/prometheus) is kept
  std::string bearer_token;    // "" = none; sent as Authorization: Bearer
  std::string ca_file;         // PEM bundle to verify https:// with; "" = system store
  bool insecure_skip_tls_verify = false;
  std::chrono::milliseconds timeout{10000};
};

// InvalidArgument for a URL that is not http:// or https://, or for
// --prometheus-ca together with --prometheus-insecure-skip-tls-verify.
core::Result<std::unique_ptr<MetricsSource>> NewPrometheusClient(PrometheusOptions options,
                                                                 std::unique_ptr<io::HttpClient> http);

// Parses a /api/v1/query response body (any HTTP status: Prometheus sends
// {"status":"error",...} with 400/422/503). `context` prefixes errors
// ("query \"up\" at http://...").
core::Result<QueryResult> ParseQueryResponse(const std::string& body, long http_status, const std::string& context);

// The single value of a result: a scalar, or a vector of exactly one
// sample. nullopt for an empty vector ("no data"); DataError when the
// vector has several series (the query needs a sum()).
core::Result<std::optional<double>> SingleValue(const QueryResult& r, const std::string& promql);

}  // namespace meshctl::metrics
