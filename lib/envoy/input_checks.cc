// What a file given to `proxy-config endpoint|log|stats|server-info -f`
// must hold. Each view reads one admin endpoint's output; a file saved from
// another one (most often a /config_dump) printed an empty table or the raw
// text with exit 0. Now it is a DataError (65) naming the file and the
// endpoint the view reads.
#include <string>

#include "lib/envoy/summaries.h"

namespace meshctl::envoy {

namespace {

std::string_view FirstLine(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  text.remove_prefix(b);
  size_t e = text.find('\n');
  std::string_view l = text.substr(0, e);
  if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
  return l;
}

bool LooksLikeJson(std::string_view text) {
  size_t b = text.find_first_not_of(" \t\r\n");
  return b != std::string_view::npos && (text[b] == '{' || text[b] == '[');
}

bool IsConfigDump(std::string_view text) {
  return LooksLikeJson(text) && text.find("\"configs\"") != std::string_view::npos &&
         text.find("type.googleapis.com/envoy.admin.v3.") != std::string_view::npos;
}

}  // namespace

core::Status CheckClustersJson(const JsonView& root, const std::string& source) {
  if (root.IsObject() && root["configs"].IsArray()) {
    return core::DataError(source +
                           " is an Envoy config dump (/config_dump); proxy-config endpoint reads /clusters?format=json "
                           "(save that endpoint's output), or use `meshctl proxy-config eds -f " +
                           source + "` for the endpoints of a dump saved with ?include_eds=true");
  }
  if (!root.IsObject() || (root.size() > 0 && !root["cluster_statuses"].IsArray())) {
    return core::DataError(source + " is not Envoy's /clusters?format=json output (no cluster_statuses list)");
  }
  return core::Status::Ok();
}

core::Status CheckServerInfo(const JsonView& root, const std::string& source) {
  if (root.IsObject() && root["configs"].IsArray()) {
    return core::DataError(source + " is an Envoy config dump (/config_dump); proxy-config server-info reads "
                                    "/server_info (for the bootstrap of a dump use `meshctl proxy-config bootstrap -f`)");
  }
  if (!root.IsObject() || !(root["version"].IsString() || root["state"].IsString() ||
                            root["command_line_options"].IsObject())) {
    return core::DataError(source + " is not Envoy's /server_info output (no version, state or command_line_options)");
  }
  return core::Status::Ok();
}

core::Status CheckLoggingListing(std::string_view text, const std::string& source) {
  // Envoy's listing, or meshctl's own output of it ("HOST:PORT:" first).
  std::string_view first = FirstLine(text);
  bool ok = first.rfind("active loggers:", 0) == 0;
  if (!ok && !first.empty() && first.back() == ':') {
    size_t nl = text.find(first);
    std::string_view rest = nl == std::string_view::npos ? std::string_view() : text.substr(nl + first.size());
    ok = FirstLine(rest).rfind("active loggers:", 0) == 0;
  }
  if (ok) return core::Status::Ok();
  std::string what = IsConfigDump(text) ? " is an Envoy config dump, not" : " is not";
  return core::DataError(source + what +
                         " Envoy's logger listing (the output of POST /logging: \"active loggers:\" then "
                         "\"name: level\" lines)");
}

core::Status CheckStatsText(std::string_view text, std::string_view format, const std::string& source) {
  std::string_view first = FirstLine(text);
  bool ok;
  if (format == "json") {
    ok = LooksLikeJson(text) && text.find("\"stats\"") != std::string_view::npos && !IsConfigDump(text);
  } else if (format == "prom") {
    ok = !LooksLikeJson(text) && (first.empty() || first[0] == '#' || first.find(' ') != std::string_view::npos);
  } else {
    ok = !LooksLikeJson(text) && (first.empty() || first.find(": ") != std::string_view::npos);
  }
  if (ok) return core::Status::Ok();
  std::string what = IsConfigDump(text) ? " is an Envoy config dump, not" : " is not";
  std::string endpoint = format == "json" ? "/stats?format=json" : format == "prom" ? "/stats/prometheus" : "/stats";
  return core::DataError(source + what + " Envoy's " + endpoint + " output");
}

}  // namespace meshctl::envoy
