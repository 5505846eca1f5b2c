#include "lib/metrics/prometheus.h"

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>

#include <nlohmann/json.hpp>

namespace meshctl::metrics {

namespace {

// application/x-www-form-urlencoded, as Go's url.QueryEscape.
std::string FormEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Prometheus sends sample values as strings: "1.5", "NaN", "+Inf", "-Inf".
std::optional<double> ParseValue(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  const std::string& s = v.get_ref<const std::string&>();
  if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (s == "+Inf" || s == "Inf") return std::numeric_limits<double>::infinity();
  if (s == "-Inf") return -std::numeric_limits<double>::infinity();
  char* end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size()) return std::nullopt;
  return d;
}

// [<unix time>, "<value>"]
std::optional<double> ParsePair(const nlohmann::json& pair) {
  if (!pair.is_array() || pair.size() != 2) return std::nullopt;
  return ParseValue(pair[1]);
}

std::string Excerpt(const std::string& body) {
  std::string e = body.substr(0, 200);
  for (char& c : e)
    if (c == '\n' || c == '\r') c = ' ';
  return body.size() > 200 ? e + "..." : e;
}

class PrometheusClient : public MetricsSource {
 public:
  PrometheusClient(PrometheusOptions o, std::unique_ptr<io::HttpClient> http)
      : o_(std::move(o)), http_(std::move(http)) {}

  core::Result<QueryResult> Query(const std::string& promql) override {
    io::HttpRequest req;
    req.method = "POST";
    req.url = o_.url + "/api/v1/query";
    req.content_type = "application/x-www-form-urlencoded";
    req.body = "query=" + FormEscape(promql);
    req.timeout = o_.timeout;
    req.tls.ca_file = o_.ca_file;
    req.tls.insecure_skip_verify = o_.insecure_skip_tls_verify;
    req.max_body_bytes = size_t{64} << 20;
    if (!o_.bearer_token.empty()) req.headers.emplace_back("Authorization", "Bearer " + o_.bearer_token);
    std::string context = "query \"" + promql + "\" at " + o_.url;
    auto resp = http_->Do(req);
    if (!resp.ok()) {
      // The transport error names the method and URL; say which query it was.
      std::string why = resp.status().message();
      std::string prefix = req.method + " " + req.url + ": ";
      if (why.rfind(prefix, 0) == 0) why = why.substr(prefix.size());
      return core::Unavailable("Prometheus " + context + ": " + why);
    }
    if (resp->status == 401 || resp->status == 403)
      return core::Unavailable("Prometheus " + context + ": HTTP " + std::to_string(resp->status) +
                               (o_.bearer_token.empty() ? " (no bearer token was sent: --prometheus-token-file)"
                                                        : " (the bearer token was refused)"));
    return ParseQueryResponse(resp->body, resp->status, "Prometheus " + context);
  }

  std::string Endpoint() const override { return o_.url; }

 private:
  PrometheusOptions o_;
  std::unique_ptr<io::HttpClient> http_;
};

}  // namespace

core::Result<std::unique_ptr<MetricsSource>> NewPrometheusClient(PrometheusOptions options,
                                                                 std::unique_ptr<io::HttpClient> http) {
  if (options.url.rfind("http://", 0) != 0 && options.url.rfind("https://", 0) != 0)
    return core::InvalidArgument("--prometheus \"" + options.url + "\": give an http:// or https:// URL");
  if (options.insecure_skip_tls_verify && !options.ca_file.empty())
    return core::InvalidArgument("--prometheus-ca and --prometheus-insecure-skip-tls-verify exclude each other");
  while (!options.url.empty() && options.url.back() == '/') options.url.pop_back();
  return std::unique_ptr<MetricsSource>(std::make_unique<PrometheusClient>(std::move(options), std::move(http)));
}

core::Result<QueryResult> ParseQueryResponse(const std::string& body, long http_status, const std::string& context) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    return core::Unavailable(context + ": HTTP " + std::to_string(http_status) +
                             ", not a Prometheus API response: " + Excerpt(body));
  }
  std::string status = doc.value("status", "");
  if (status != "success") {
    std::string type = doc.contains("errorType") && doc["errorType"].is_string() ? doc["errorType"].get<std::string>() : "";
    std::string err = doc.contains("error") && doc["error"].is_string() ? doc["error"].get<std::string>() : Excerpt(body);
    return core::Unavailable(context + ": HTTP " + std::to_string(http_status) + ": " + (type.empty() ? "" : type + ": ") +
                             err);
  }
  QueryResult out;
  if (doc.contains("warnings") && doc["warnings"].is_array())
    for (const auto& w : doc["warnings"])
      if (w.is_string()) out.warnings.push_back(w.get<std::string>());
  const auto& data = doc.contains("data") ? doc["data"] : nlohmann::json();
  if (!data.is_object() || !data.contains("resultType") || !data["resultType"].is_string())
    return core::Unavailable(context + ": the response has no data.resultType");
  out.result_type = data["resultType"].get<std::string>();
  const auto& result = data.contains("result") ? data["result"] : nlohmann::json();
  if (out.result_type == "scalar") {
    auto v = ParsePair(result);
    if (!v) return core::Unavailable(context + ": malformed scalar result");
    out.samples.push_back({{}, *v});
    return out;
  }
  if (out.result_type != "vector")
    return core::Unavailable(context + ": the query returns a " + out.result_type +
                             "; an instant vector or a scalar is needed");
  if (!result.is_array()) return core::Unavailable(context + ": malformed vector result");
  for (const auto& el : result) {
    Sample s;
    if (!el.is_object()) return core::Unavailable(context + ": malformed vector element");
    if (el.contains("metric") && el["metric"].is_object())
      for (const auto& [k, v] : el["metric"].items())
        if (v.is_string()) s.labels[k] = v.get<std::string>();
    auto v = el.contains("value") ? ParsePair(el["value"]) : std::nullopt;
    if (!v) return core::Unavailable(context + ": a vector element has no value");
    s.value = *v;
    out.samples.push_back(std::move(s));
  }
  return out;
}

core::Result<std::optional<double>> SingleValue(const QueryResult& r, const std::string& promql) {
  if (r.samples.empty()) return std::optional<double>();
  if (r.samples.size() > 1)
    return core::DataError("query \"" + promql + "\" returns " + std::to_string(r.samples.size()) +
                           " series; aggregate it to one value (e.g. with sum())");
  return std::optional<double>(r.samples[0].value);
}

}  // namespace meshctl::metrics
