#include "lib/envoy/admin_client.h"
#include "lib/envoy/str_cat.h"

#include <cctype>

namespace meshctl::envoy {

std::string ConfigDumpPath(DumpSection section) {
  switch (section) {
    case DumpSection::kFull: return "config_dump";
    case DumpSection::kAllWithEds: return "config_dump?include_eds=true";
    case DumpSection::kBootstrap: return "config_dump?mask=bootstrap";
    case DumpSection::kClusters:
      return "config_dump?mask=dynamic_active_clusters,dynamic_warming_clusters,static_clusters";
    case DumpSection::kListeners: return "config_dump?mask=dynamic_listeners,static_listeners";
    case DumpSection::kRoutes: return "config_dump?mask=dynamic_route_configs,static_route_configs";
    case DumpSection::kSecrets: return "config_dump?mask=dynamic_active_secrets,dynamic_warming_secrets";
  }
  return "config_dump";
}

namespace {

bool ValidPort(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  for (char c : p) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  int v = std::stoi(std::string(p));
  return v > 0 && v < 65536;
}

}  // namespace

core::Result<std::string> AdminBaseUrl(std::string_view address) {
  std::string_view rest = address;
  std::string scheme = "http";
  auto sep = rest.find("://");
  if (sep != std::string_view::npos) {
    scheme = std::string(rest.substr(0, sep));
    if (scheme != "http" && scheme != "https") {
      return core::InvalidArgument(Cat("--admin-address ", address, ": scheme must be http:// or https://"));
    }
    rest.remove_prefix(sep + 3);
  }
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('/') != std::string_view::npos || rest.find('?') != std::string_view::npos) {
    return core::InvalidArgument(Cat("--admin-address ", address, ": give HOST[:PORT] without a path"));
  }
  std::string host;
  std::string port;
  if (!rest.empty() && rest.front() == '[') {
    auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return core::InvalidArgument(Cat("--admin-address ", address, ": unterminated [IPv6] address"));
    }
    host = std::string(rest.substr(0, close + 1));
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') {
        return core::InvalidArgument(Cat("--admin-address ", address, ": expected :PORT after ]"));
      }
      port = std::string(after.substr(1));
    }
  } else {
    auto colon = rest.rfind(':');
    if (colon != std::string_view::npos && rest.find(':') != colon) {
      return core::InvalidArgument(Cat("--admin-address ", address, ": write IPv6 addresses in brackets, e.g. [::1]:15000"));
    }
    host = std::string(rest.substr(0, colon));
    if (colon != std::string_view::npos) port = std::string(rest.substr(colon + 1));
    else port.clear();
    if (colon == std::string_view::npos) host = std::string(rest);
  }
  if (host.empty() || host == "[]") {
    return core::InvalidArgument(Cat("--admin-address ", address, ": missing host"));
  }
  if (port.empty()) port = std::to_string(kDefaultAdminPort);
  if (!ValidPort(port)) {
    return core::InvalidArgument(Cat("--admin-address ", address, ": invalid port \"", port, "\""));
  }
  return Cat(scheme, "://", host, ":", port);
}

core::Result<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  auto bad = [&] {
    return core::InvalidArgument(Cat("invalid duration \"", text, "\" (use e.g. 30s, 500ms, 2m)"));
  };
  if (text.empty()) return bad();
  double total_ms = 0;
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) ++i;
    if (i == start) return bad();
    double value = 0;
    try {
      value = std::stod(std::string(text.substr(start, i - start)));
    } catch (...) {
      return bad();
    }
    size_t unit_start = i;
    while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    std::string_view unit = text.substr(unit_start, i - unit_start);
    if (unit == "ms") total_ms += value;
    else if (unit == "s") total_ms += value * 1000;
    else if (unit == "m") total_ms += value * 60000;
    else if (unit == "h") total_ms += value * 3600000;
    else return bad();
  }
  if (total_ms < 1) return bad();
  return std::chrono::milliseconds(static_cast<int64_t>(total_ms));
}

std::string QueryEscape(std::string_view value) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

AdminClient::AdminClient(io::HttpClient& http, AdminOptions options) : http_(http), options_(std::move(options)) {}

core::Result<std::string> AdminClient::Send(const std::string& method, const std::string& path_and_query) {
  io::HttpRequest req;
  req.method = method;
  req.url = Cat(options_.base_url, "/", path_and_query);
  req.timeout = options_.timeout;
  req.tls = options_.tls;
  ASSIGN_OR_RETURN(io::HttpResponse resp, http_.Do(req));
  RETURN_IF_ERROR(io::CheckHttpOk(req, resp));
  return std::move(resp.body);
}

core::Result<std::string> AdminClient::ConfigDump(DumpSection section) { return Get(ConfigDumpPath(section)); }
core::Result<std::string> AdminClient::ClustersJson() { return Get("clusters?format=json"); }
core::Result<std::string> AdminClient::ServerInfo() { return Get("server_info"); }

core::Result<std::string> AdminClient::Logging(const std::string& query) {
  return Post(query.empty() ? std::string("logging") : Cat("logging?", query));
}

core::Result<std::string> AdminClient::Stats(const std::string& format, const std::string& filter) {
  std::string_view path = "stats";
  std::string_view sep = "?";
  if (format == "prom" || format == "prometheus") {
    path = "stats/prometheus";
  } else if (format == "json") {
    path = "stats?format=json";
    sep = "&";
  }
  if (filter.empty()) return Get(std::string(path));
  return Get(Cat(path, sep, "filter=", QueryEscape(filter)));
}

core::Result<std::string> AdminClient::Get(const std::string& path_and_query) { return Send("GET", path_and_query); }
core::Result<std::string> AdminClient::Post(const std::string& path_and_query) { return Send("POST", path_and_query); }

}  // namespace meshctl::envoy
