#include "lib/ambient/ztunnel_log.h"

#include <set>
#include <vector>

#include "lib/envoy/admin_client.h"

namespace meshctl::ambient {

namespace {

bool KnownLevel(const std::string& l) {
  static const std::set<std::string> kLevels = {"trace", "debug", "info", "warning", "warn", "error", "critical", "off"};
  return kLevels.count(l) > 0;
}

// warning/critical are istioctl's (Envoy's) names; ztunnel says warn/error.
std::string ZtunnelLevel(const std::string& l) {
  if (l == "warning") return "warn";
  if (l == "critical") return "error";
  return l;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t p = s.find(sep, start);
    out.push_back(s.substr(start, p == std::string::npos ? std::string::npos : p - start));
    if (p == std::string::npos) break;
    start = p + 1;
  }
  return out;
}

struct Clause {
  std::string logger;  // empty: every logger
  std::string level;
};

core::Result<std::vector<Clause>> ParseLevels(const std::string& level) {
  std::vector<Clause> out;
  for (const std::string& el : Split(level, ',')) {
    if (el.find(':') == std::string::npos && el.find('=') == std::string::npos) {
      if (!KnownLevel(el)) return core::InvalidArgument("unrecognized logging level: " + el);
      out.push_back({"", el});
      continue;
    }
    // The logger may be a Rust path (ztunnel::pool): only the last "::"
    // segment holds the separator before the level.
    // (strings.Split semantics: "::" found left to right, not overlapping).
    size_t seg = 0;
    for (size_t p = el.find("::"); p != std::string::npos; p = el.find("::", seg)) seg = p + 2;
    size_t sep = el.find_first_of(":=", seg);
    std::string right = sep == std::string::npos ? "" : el.substr(sep + 1);
    if (sep == std::string::npos || !KnownLevel(right)) {
      return core::InvalidArgument("unrecognized logging level: " + right);
    }
    out.push_back({el.substr(0, sep), right});
  }
  return out;
}

}  // namespace

core::Status ValidateZtunnelLogLevel(const std::string& level) {
  auto r = ParseLevels(level);
  return r.ok() ? core::Status() : r.status();
}

core::Result<std::string> ZtunnelLogQuery(const std::string& level, bool reset) {
  if (reset && !level.empty()) return core::InvalidArgument("--level cannot be combined with --reset");
  if (reset) return std::string("level=info&reset");
  if (level.empty()) return std::string("");
  ASSIGN_OR_RETURN(auto clauses, ParseLevels(level));
  std::string value;
  for (const auto& c : clauses) {
    if (!value.empty()) value += ",";
    value += c.logger.empty() ? ZtunnelLevel(c.level) : c.logger + "=" + ZtunnelLevel(c.level);
  }
  return "level=" + envoy::QueryEscape(value);
}

}  // namespace meshctl::ambient
