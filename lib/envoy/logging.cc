#include "lib/envoy/logging.h"

#include "lib/core/strings.h"
#include "lib/envoy/admin_client.h"
#include "lib/envoy/str_cat.h"

namespace meshctl::envoy {

std::string CanonicalLogLevel(const std::string& level) {
  static const char* const kLevels[] = {"trace", "debug", "info", "warning", "error", "critical", "off"};
  if (level == "warn") return "warning";
  for (const char* l : kLevels) {
    if (level == l) return l;
  }
  return "";
}

core::Result<std::vector<std::string>> BuildLogQueries(const std::string& level_flag, bool reset,
                                                       const std::string& listing) {
  if (reset) return std::vector<std::string>{"level=warning"};
  if (level_flag.empty()) return std::vector<std::string>{};
  std::string all_level;
  std::vector<std::pair<std::string, std::string>> per_logger;
  for (const auto& item : core::Split(level_flag, ',')) {
    auto sep = item.find_last_of(":=");
    if (sep == std::string::npos) {
      std::string level = CanonicalLogLevel(item);
      if (level.empty()) return core::Failed(Cat("unrecognized logging level: ", item));
      all_level = level;
      continue;
    }
    std::string name = item.substr(0, sep);
    std::string level_text = item.substr(sep + 1);
    // "ns::logger" forms: keep the logger part.
    auto ns = name.rfind("::");
    if (ns != std::string::npos) name = name.substr(ns + 2);
    if (name.empty() || listing.find(name) == std::string::npos) {
      return core::Failed(Cat("unrecognized logger name: ", name));
    }
    std::string level = CanonicalLogLevel(level_text);
    if (level.empty()) return core::Failed(Cat("unrecognized logging level: ", level_text));
    per_logger.emplace_back(name, level);
  }
  std::vector<std::string> queries;
  if (!all_level.empty()) queries.push_back(Cat("level=", all_level));
  for (const auto& [name, level] : per_logger) queries.push_back(Cat(QueryEscape(name), "=", level));
  return queries;
}

}  // namespace meshctl::envoy
