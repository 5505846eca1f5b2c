#include "lib/canary/progressive_checks.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "lib/core/strings.h"

namespace meshctl::canary {

namespace {

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

// A PromQL string literal (double quotes, backslash escapes).
std::string PromString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string Selector(const CheckConfig& c, const std::string& extra = "") {
  std::string s = "reporter=\"destination\",destination_workload_namespace=" + PromString(c.ns) +
                  ",destination_workload=" + PromString(c.workload);
  if (!extra.empty()) s += "," + extra;
  return "{" + s + "}";
}

std::string Number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  std::string s = fmt::format("{:.3f}", v);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

bool Compare(double a, CompareOp op, double b) {
  switch (op) {
    case CompareOp::kLess: return a < b;
    case CompareOp::kLessEqual: return a <= b;
    case CompareOp::kGreater: return a > b;
    case CompareOp::kGreaterEqual: return a >= b;
    case CompareOp::kEqual: return a == b;
    case CompareOp::kNotEqual: return a != b;
  }
  return false;
}

struct Evaluated {
  std::optional<double> value;  // a number (NaN counts as no data)
  std::string error;            // the query could not be run
};

Evaluated Evaluate(metrics::MetricsSource& source, const std::string& query) {
  auto r = source.Query(query);
  if (!r.ok()) return {std::nullopt, r.status().message()};
  auto v = metrics::SingleValue(*r, query);
  if (!v.ok()) return {std::nullopt, v.status().message() + " (" + source.Endpoint() + ")"};
  if (!v->has_value() || std::isnan(**v)) return {std::nullopt, ""};
  return {*v, ""};
}

}  // namespace

core::Result<std::chrono::milliseconds> ParseDuration(const std::string& text, const std::string& flag,
                                                      std::chrono::milliseconds bare_unit) {
  std::string_view s = core::Trim(text);
  auto bad = [&] {
    return core::InvalidArgument(flag + " \"" + text + "\": give a duration such as 500ms, 30s, 2m or 1m30s");
  };
  if (s.empty()) return bad();
  double total = 0;
  size_t i = 0;
  bool any_unit = false;
  while (i < s.size()) {
    size_t start = i;
    while (i < s.size() && (std::isdigit(static_cast<unsigned char>(s[i])) || s[i] == '.')) ++i;
    if (i == start) return bad();
    double n = std::strtod(std::string(s.substr(start, i - start)).c_str(), nullptr);
    size_t ustart = i;
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    double ms;
    if (unit.empty()) {
      if (any_unit || i != s.size()) return bad();
      ms = n * static_cast<double>(bare_unit.count());
    } else if (unit == "ms") {
      ms = n;
    } else if (unit == "s") {
      ms = n * 1000;
    } else if (unit == "m") {
      ms = n * 60000;
    } else if (unit == "h") {
      ms = n * 3600000;
    } else {
      return bad();
    }
    any_unit = any_unit || !unit.empty();
    total += ms;
  }
  if (total > 1e12) return bad();
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(total)));
}

std::string PromDuration(std::chrono::milliseconds d) {
  int64_t ms = d.count();
  if (ms > 0 && ms % 60000 == 0) return std::to_string(ms / 60000) + "m";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::string HumanDuration(std::chrono::milliseconds d) {
  int64_t ms = std::max<int64_t>(0, d.count());
  if (ms < 10000 && ms % 1000 != 0) return fmt::format("{:.1f}s", static_cast<double>(ms) / 1000);
  int64_t s = (ms + 500) / 1000;
  if (s < 60) return std::to_string(s) + "s";
  int64_t m = s / 60;
  s %= 60;
  if (m < 60) return s ? fmt::format("{}m{}s", m, s) : fmt::format("{}m", m);
  return fmt::format("{}h{}m", m / 60, m % 60);
}

std::string_view OpText(CompareOp op) {
  switch (op) {
    case CompareOp::kLess: return "<";
    case CompareOp::kLessEqual: return "<=";
    case CompareOp::kGreater: return ">";
    case CompareOp::kGreaterEqual: return ">=";
    case CompareOp::kEqual: return "==";
    case CompareOp::kNotEqual: return "!=";
  }
  return "?";
}

core::Result<CustomCheck> ParseCustomCheck(const std::string& text) {
  auto bad = [&](const std::string& why) {
    return core::InvalidArgument("--check \"" + text + "\": " + why +
                                 "; give NAME=QUERY OP VALUE, e.g. 'errors=sum(rate(app_errors_total[1m])) < 5'");
  };
  size_t eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return bad("no NAME=");
  CustomCheck c;
  c.name = std::string(core::Trim(text.substr(0, eq)));
  for (char ch : c.name)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_')
      return bad("the name \"" + c.name + "\" may hold letters, digits, - and _ only");
  std::string rest(core::Trim(text.substr(eq + 1)));
  // VALUE is the last word; OP the comparison right before it.
  size_t sp = rest.find_last_of(" \t<>=!");
  if (sp == std::string::npos || sp + 1 >= rest.size()) return bad("no comparison");
  std::string value = rest.substr(sp + 1);
  std::string head(core::Trim(rest.substr(0, sp + 1)));
  static const std::pair<const char*, CompareOp> kOps[] = {
      {"<=", CompareOp::kLessEqual}, {">=", CompareOp::kGreaterEqual}, {"==", CompareOp::kEqual},
      {"!=", CompareOp::kNotEqual},  {"<", CompareOp::kLess},          {">", CompareOp::kGreater}};
  bool found = false;
  for (const auto& [txt, op] : kOps) {
    std::string_view t(txt);
    if (head.size() > t.size() && head.compare(head.size() - t.size(), t.size(), t) == 0) {
      c.op = op;
      c.query = std::string(core::Trim(head.substr(0, head.size() - t.size())));
      found = true;
      break;
    }
  }
  if (!found) return bad("no comparison (<, <=, >, >=, ==, !=) before \"" + value + "\"");
  if (c.query.empty()) return bad("no query");
  char* end = nullptr;
  c.value = std::strtod(value.c_str(), &end);
  if (end != value.c_str() + value.size() || std::isnan(c.value)) return bad("\"" + value + "\" is not a number");
  return c;
}

std::vector<PlannedQuery> PlanQueries(const CheckConfig& c) {
  std::string win = "[" + PromDuration(c.window) + "]";
  std::vector<PlannedQuery> out;
  out.push_back({"requests", "sum(increase(istio_requests_total" + Selector(c) + win + "))", ""});
  if (c.min_success_rate)
    out.push_back({"success-rate",
                   "sum(rate(istio_requests_total" + Selector(c, "response_code!~\"5..\"") + win +
                       ")) / sum(rate(istio_requests_total" + Selector(c) + win + ")) * 100",
                   ">= " + Number(*c.min_success_rate)});
  if (c.max_latency_p99_ms)
    out.push_back({"latency-p99",
                   "histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket" +
                       Selector(c) + win + ")))",
                   "<= " + Number(*c.max_latency_p99_ms)});
  for (const auto& k : c.custom) {
    std::string q = Replace(k.query, "{{interval}}", PromDuration(c.window));
    q = Replace(q, "{{ interval }}", PromDuration(c.window));
    q = Replace(Replace(q, "{{namespace}}", c.ns), "{{ namespace }}", c.ns);
    q = Replace(Replace(q, "{{workload}}", c.workload), "{{ workload }}", c.workload);
    out.push_back({k.name, q, std::string(OpText(k.op)) + " " + Number(k.value)});
  }
  return out;
}

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPassed: return "passed";
    case Verdict::kFailed: return "failed";
    case Verdict::kNotEnoughTraffic: return "not enough traffic";
  }
  return "?";
}

std::string RoundResult::Summary() const {
  for (const auto& c : checks)
    if (c.verdict == Verdict::kFailed) return c.message;
  for (const auto& c : checks)
    if (c.verdict == Verdict::kNotEnoughTraffic) return c.message;
  return "";
}

RoundResult RunChecks(metrics::MetricsSource& source, const CheckConfig& c) {
  RoundResult round;
  std::vector<PlannedQuery> planned = PlanQueries(c);
  bool enough = true;
  for (size_t i = 0; i < planned.size(); ++i) {
    const PlannedQuery& p = planned[i];
    bool builtin = i == 0 || p.name == "success-rate" || p.name == "latency-p99";
    bool custom = i >= planned.size() - c.custom.size();
    if (custom) builtin = false;
    CheckOutcome o;
    o.name = p.name;
    o.query = p.query;
    Evaluated e = Evaluate(source, p.query);
    o.value = e.value;
    if (!e.error.empty()) {
      o.verdict = Verdict::kFailed;
      o.message = p.name + ": " + e.error;
    } else if (i == 0) {
      double n = e.value.value_or(0);
      round.requests = n;
      if (n < c.min_requests || n <= 0) {
        enough = false;
        o.verdict = Verdict::kNotEnoughTraffic;
        o.message = fmt::format("not enough traffic: {} requests to {}/{} in the last {} (--min-requests {}); query: {}",
                                Number(n), c.ns, c.workload, PromDuration(c.window), Number(c.min_requests), p.query);
      }
    } else if (builtin && !enough) {
      o.verdict = Verdict::kNotEnoughTraffic;
      o.message = p.name + ": not judged, not enough traffic";
    } else if (!e.value) {
      o.verdict = Verdict::kNotEnoughTraffic;
      o.message = p.name + ": no data (not enough traffic?); query: " + p.query;
    } else {
      double v = *e.value;
      bool ok = true;
      if (p.name == "success-rate" && builtin) {
        ok = v >= *c.min_success_rate;
        if (!ok)
          o.message = fmt::format("success-rate {}% is below --min-success-rate {}%; query: {}", Number(v),
                                  Number(*c.min_success_rate), p.query);
      } else if (p.name == "latency-p99" && builtin) {
        ok = v <= *c.max_latency_p99_ms;
        if (!ok)
          o.message = fmt::format("latency-p99 {}ms is above --max-latency-p99 {}ms; query: {}", Number(v),
                                  Number(*c.max_latency_p99_ms), p.query);
      } else {
        const CustomCheck& k = c.custom[i - (planned.size() - c.custom.size())];
        ok = Compare(v, k.op, k.value);
        if (!ok)
          o.message = fmt::format("check {}: {} {} {} does not hold; query: {}", k.name, Number(v), OpText(k.op),
                                  Number(k.value), p.query);
      }
      if (!ok) o.verdict = Verdict::kFailed;
    }
    if (builtin && p.name == "success-rate" && enough) round.success_rate = e.value;
    if (builtin && p.name == "latency-p99" && enough) round.latency_p99_ms = e.value;
    round.checks.push_back(std::move(o));
  }
  bool failed = false, unjudged = false;
  for (const auto& o : round.checks) {
    failed = failed || o.verdict == Verdict::kFailed;
    unjudged = unjudged || o.verdict == Verdict::kNotEnoughTraffic;
  }
  round.verdict = failed ? Verdict::kFailed : unjudged ? Verdict::kNotEnoughTraffic : Verdict::kPassed;
  return round;
}

}  // namespace meshctl::canary
