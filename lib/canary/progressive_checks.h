// The metric checks of a progressive canary (`meshctl canary --apply` with a
// plan): built from Istio's standard telemetry for the canary's workload
// (istio_requests_total, istio_request_duration_milliseconds_bucket, both
// reporter="destination"), plus custom PromQL checks. Each analysis round
// evaluates every check once; the round is passed, failed, or "not enough
// traffic" (not judged).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/metrics/prometheus.h"

namespace meshctl::canary {

// "2m", "30s", "500ms", "1m30s", "1h"; a bare number is `bare_unit`.
core::Result<std::chrono::milliseconds> ParseDuration(const std::string& text, const std::string& flag,
                                                      std::chrono::milliseconds bare_unit);
// Prometheus' duration spelling: "2m", "90s", "1500ms".
std::string PromDuration(std::chrono::milliseconds d);
// For people: "2m", "1m30s", "4s", "0.5s".
std::string HumanDuration(std::chrono::milliseconds d);

enum class CompareOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };
std::string_view OpText(CompareOp op);

// --check 'name=QUERY op VALUE', e.g. 'errors=sum(rate(app_errors_total[1m])) < 5'.
// In QUERY, {{interval}}, {{namespace}} and {{workload}} are replaced.
struct CustomCheck {
  std::string name;
  std::string query;
  CompareOp op = CompareOp::kLess;
  double value = 0;
};
core::Result<CustomCheck> ParseCustomCheck(const std::string& text);

struct CheckConfig {
  std::string ns;        // destination_workload_namespace
  std::string workload;  // destination_workload (the canary's Deployment)
  std::chrono::milliseconds window{60000};  // the range of rate()/increase(): the interval
  std::optional<double> min_success_rate;   // percent; nullopt = not checked
  std::optional<double> max_latency_p99_ms;  // nullopt = not checked
  double min_requests = 10;
  std::vector<CustomCheck> custom;
};

// The PromQL each check runs (what --dry-run prints).
struct PlannedQuery {
  std::string name;   // "requests", "success-rate", "latency-p99", or a custom name
  std::string query;
  std::string condition;  // ">= 99", "<= 500", "< 5"; "" for the request count
};
std::vector<PlannedQuery> PlanQueries(const CheckConfig& c);

enum class Verdict { kPassed, kFailed, kNotEnoughTraffic };
std::string_view VerdictName(Verdict v);  // "passed", "failed", "not enough traffic"

struct CheckOutcome {
  std::string name;
  std::string query;
  std::optional<double> value;  // nullopt: no data, or the query failed
  Verdict verdict = Verdict::kPassed;
  std::string message;  // why it failed or was not judged; names the query
};

struct RoundResult {
  Verdict verdict = Verdict::kPassed;
  std::optional<double> requests;
  std::optional<double> success_rate;
  std::optional<double> latency_p99_ms;
  std::vector<CheckOutcome> checks;
  // The first failure's (else the first not-judged check's) message.
  std::string Summary() const;
};

// Runs every query once. A query that cannot be run (server down, a PromQL
// error, several series) fails its check: never a pass. Below min_requests
// the built-in checks are not judged; custom checks still are, except that
// one without data is not judged either.
RoundResult RunChecks(metrics::MetricsSource& source, const CheckConfig& c);

}  // namespace meshctl::canary
