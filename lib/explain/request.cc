#include "lib/explain/request.h"

#include <charconv>

#include "lib/core/strings.h"

namespace meshctl::explain {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ParsePort(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 5) return false;
  int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 1 || v > 65535) return false;
  out = v;
  return true;
}

}  // namespace

std::string Request::Authority() const {
  auto it = headers.find(":authority");
  if (it != headers.end()) return it->second;
  bool default_port = (scheme == "http" && port == 80) || (scheme == "https" && port == 443);
  if (port_given && !default_port) return host + ":" + std::to_string(port);
  return host;
}

std::optional<std::string> Request::Header(std::string_view name) const {
  std::string n = core::ToLower(name);
  if (n == ":authority" || n == "host") return Authority();
  if (n == ":method") return method;
  if (n == ":path") return path;
  if (n == ":scheme") return scheme;
  auto it = headers.find(n);
  if (it == headers.end()) return std::nullopt;
  return it->second;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

core::Status ParseUrl(std::string_view url, Request& req) {
  std::string_view rest = url;
  size_t scheme_end = rest.find("://");
  if (scheme_end != std::string_view::npos) {
    std::string scheme = core::ToLower(rest.substr(0, scheme_end));
    if (scheme != "http" && scheme != "https" && scheme != "grpc" && scheme != "tcp" && scheme != "tls")
      return core::InvalidArgument("URL \"" + std::string(url) + "\": scheme " + scheme +
                                   " is not one of http, https, grpc, tcp, tls");
    req.scheme = scheme;
    if (scheme == "grpc") req.protocol = "grpc";
    if (scheme == "tcp") req.protocol = "tcp";
    if (scheme == "tls" || scheme == "https") req.protocol = "tls";
    rest.remove_prefix(scheme_end + 3);
  }
  size_t path_start = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_start);
  std::string_view tail = path_start == std::string_view::npos ? std::string_view() : rest.substr(path_start);
  if (authority.find('@') != std::string_view::npos)
    return core::InvalidArgument("URL \"" + std::string(url) + "\": user information is not supported");
  if (authority.empty()) return core::InvalidArgument("URL \"" + std::string(url) + "\" has no host");
  std::string_view host = authority;
  if (authority.front() == '[') {  // [v6]:port
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return core::InvalidArgument("URL \"" + std::string(url) + "\": unclosed [");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':' || !ParsePort(after.substr(1), req.port))
        return core::InvalidArgument("URL \"" + std::string(url) + "\": bad port");
      req.port_given = true;
    }
  } else {
    size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      if (!ParsePort(authority.substr(colon + 1), req.port))
        return core::InvalidArgument("URL \"" + std::string(url) + "\": port \"" +
                                     std::string(authority.substr(colon + 1)) + "\" is not a number in 1..65535");
      req.port_given = true;
      host = authority.substr(0, colon);
    }
  }
  if (host.empty()) return core::InvalidArgument("URL \"" + std::string(url) + "\" has no host");
  req.host = core::ToLower(host);
  if (!req.port_given) req.port = req.scheme == "https" || req.scheme == "tls" ? 443 : 80;
  size_t hash = tail.find('#');
  if (hash != std::string_view::npos) tail = tail.substr(0, hash);
  size_t q = tail.find('?');
  std::string_view path = tail.substr(0, q);
  req.path = path.empty() ? "/" : std::string(path);
  if (q != std::string_view::npos) {
    for (const std::string& kv : core::Split(tail.substr(q + 1), '&')) {
      if (kv.empty()) continue;
      size_t eq = kv.find('=');
      std::string key = PercentDecode(kv.substr(0, eq));
      std::string value = eq == std::string::npos ? "" : PercentDecode(kv.substr(eq + 1));
      req.query.emplace(key, value);  // the first value of a key wins, as Envoy's matcher
    }
  }
  return core::Status::Ok();
}

core::Status AddHeader(std::string_view header, Request& req) {
  size_t colon = header.find(':', header.size() > 0 && header[0] == ':' ? 1 : 0);
  if (colon == std::string_view::npos || colon == 0)
    return core::InvalidArgument("header \"" + std::string(header) + "\" is not of the form 'name: value'");
  std::string name = core::ToLower(core::Trim(header.substr(0, colon)));
  std::string value(core::Trim(header.substr(colon + 1)));
  if (name == "host") name = ":authority";
  if (name == ":method") {
    req.method = value;
    return core::Status::Ok();
  }
  if (name == ":path") {
    req.path = value;
    return core::Status::Ok();
  }
  req.headers[name] = value;
  return core::Status::Ok();
}

core::Status CheckRequest(const Request& req) {
  if (req.host.empty()) return core::InvalidArgument("no request: give a URL, or --host and --port");
  if (req.port < 1 || req.port > 65535) return core::InvalidArgument("--port must be in 1..65535");
  static const char* kProtocols[] = {"http", "http2", "grpc", "tcp", "tls"};
  for (const char* p : kProtocols)
    if (req.protocol == p) return core::Status::Ok();
  return core::InvalidArgument("--protocol " + req.protocol + " is not one of http, http2, grpc, tcp, tls");
}

}  // namespace meshctl::explain
