#include "lib/validate/go_net.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>

#include "lib/core/strings.h"

namespace meshctl::validate {

// ---- net/url

namespace {

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// Go url.unescape validity check for a host or path component.
bool CheckEscapes(std::string_view s, bool host, std::string* reason) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size() || !IsHex(s[i + 1]) || !IsHex(s[i + 2])) {
        std::string_view bad = s.substr(i, std::min<size_t>(3, s.size() - i));
        *reason = "invalid URL escape " + core::GoQuote(bad);
        return false;
      }
      i += 2;
      continue;
    }
    if (host) {
      // shouldEscape(c, encodeHost) for characters outside the allowed set.
      bool ok = std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-_.~!$&'()*+,;=:[]<>\"").find(c) !=
                                                                   std::string_view::npos ||
                static_cast<unsigned char>(c) >= 0x80;
      if (!ok) {
        *reason = "invalid character " + core::GoQuote(std::string(1, c)) + " in host name";
        return false;
      }
    }
  }
  return true;
}

bool ValidOptionalPort(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  for (char c : port.substr(1))
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

}  // namespace

std::optional<GoUrl> ParseGoUrl(std::string_view raw, bool via_request, std::string* error) {
  auto fail = [&](const std::string& reason) -> std::optional<GoUrl> {
    if (error) *error = "parse " + core::GoQuote(raw) + ": " + reason;
    return std::nullopt;
  };
  for (char c : raw) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return fail("net/url: invalid control character in URL");
  }
  if (raw.empty() && via_request) return fail("empty url");
  GoUrl url;
  std::string_view fragment;
  if (!via_request) {
    // url.Parse splits off the fragment first; ParseRequestURI keeps it.
    if (size_t hash = raw.find('#'); hash != std::string_view::npos) {
      fragment = raw.substr(hash + 1);
      raw = raw.substr(0, hash);
    }
  }
  if (raw == "*") {
    url.path = "*";
    return url;
  }
  std::string_view rest = raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (std::isalpha(static_cast<unsigned char>(c))) continue;
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) return fail("missing protocol scheme");
      url.scheme = core::ToLower(raw.substr(0, i));
      rest = raw.substr(i + 1);
    }
    break;
  }
  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    rest.remove_suffix(1);
  } else if (size_t q = rest.find('?'); q != std::string_view::npos) {
    rest = rest.substr(0, q);
  }
  if (rest.empty() || rest[0] != '/') {
    if (!url.scheme.empty()) {
      url.opaque = std::string(rest);
      return url;
    }
    if (via_request) return fail("invalid URI for request");
    size_t colon = rest.find(':');
    size_t slash = rest.find('/');
    if (colon != std::string_view::npos && (slash == std::string_view::npos || colon < slash)) {
      return fail("first path segment in URL cannot contain colon");
    }
  }
  bool authority_form = (!url.scheme.empty() || (!via_request && rest.substr(0, 3) != "///")) && rest.substr(0, 2) == "//";
  if (authority_form) {
    std::string_view auth = rest.substr(2);
    size_t slash = auth.find('/');
    rest = slash == std::string_view::npos ? std::string_view() : auth.substr(slash);
    auth = auth.substr(0, slash == std::string_view::npos ? auth.size() : slash);
    std::string_view host = auth;
    if (size_t at = auth.rfind('@'); at != std::string_view::npos) {
      std::string_view userinfo = auth.substr(0, at);
      for (char c : userinfo) {
        bool ok = std::isalnum(static_cast<unsigned char>(c)) ||
                  std::string_view("-._:~!$&'()*+,;=%@").find(c) != std::string_view::npos;
        if (!ok) return fail("net/url: invalid userinfo");
      }
      host = auth.substr(at + 1);
    }
    std::string reason;
    if (!host.empty() && host[0] == '[') {
      size_t close = host.find(']');
      if (close == std::string_view::npos) return fail("missing ']' in host");
      std::string_view colon_port = host.substr(close + 1);
      if (!ValidOptionalPort(colon_port)) return fail("invalid port " + core::GoQuote(colon_port) + " after host");
      if (!colon_port.empty()) url.port = std::string(colon_port.substr(1));
    } else if (size_t c = host.rfind(':'); c != std::string_view::npos) {
      std::string_view colon_port = host.substr(c);
      if (!ValidOptionalPort(colon_port)) return fail("invalid port " + core::GoQuote(colon_port) + " after host");
      url.port = std::string(colon_port.substr(1));
    }
    if (!CheckEscapes(host, true, &reason)) return fail(reason);
    url.host = std::string(host);
  }
  std::string reason;
  if (!CheckEscapes(rest, false, &reason)) return fail(reason);
  if (!CheckEscapes(fragment, false, &reason)) return fail(reason);
  url.path = std::string(rest);
  return url;
}

// ---- net/netip

namespace {

bool ParseIPv4(std::string_view s) {
  int fields = 0;
  size_t i = 0;
  while (true) {
    size_t start = i;
    int value = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      value = value * 10 + (s[i] - '0');
      if (value > 255) return false;
      ++i;
    }
    size_t len = i - start;
    if (len == 0 || (len > 1 && s[start] == '0')) return false;
    ++fields;
    if (i == s.size()) break;
    if (s[i] != '.' || fields == 4) return false;
    ++i;
  }
  return fields == 4;
}

}  // namespace

bool ParseGoAddr(std::string_view s, std::string* error) {
  auto fail = [&](const std::string& why) {
    if (error) *error = "ParseAddr(" + core::GoQuote(s) + "): " + why;
    return false;
  };
  if (s.empty()) return fail("unable to parse IP");
  if (s.find(':') == std::string_view::npos) {
    if (s.find('.') == std::string_view::npos) return fail("unable to parse IP");
    return ParseIPv4(s) ? true : fail("unable to parse IP");
  }
  std::string_view addr = s;
  if (size_t pct = s.find('%'); pct != std::string_view::npos) {
    if (pct + 1 == s.size()) return fail("zone must be a non-empty string");
    addr = s.substr(0, pct);
  }
  // Embedded IPv4 must follow Go's strict dotted-decimal rules too.
  if (size_t last_colon = addr.rfind(':'); addr.find('.', last_colon) != std::string_view::npos) {
    if (!ParseIPv4(addr.substr(last_colon + 1))) return fail("unable to parse IP");
  }
  in6_addr buf;
  std::string tmp(addr);
  if (inet_pton(AF_INET6, tmp.c_str(), &buf) != 1) return fail("unable to parse IP");
  return true;
}

bool ParseGoPrefix(std::string_view s, std::string* error) {
  std::string prefix = "netip.ParsePrefix(" + core::GoQuote(s) + "): ";
  size_t slash = s.rfind('/');
  if (slash == std::string_view::npos) {
    if (error) *error = prefix + "no '/'";
    return false;
  }
  std::string_view addr = s.substr(0, slash);
  std::string_view bits = s.substr(slash + 1);
  std::string addr_err;
  if (!ParseGoAddr(addr, &addr_err)) {
    if (error) *error = prefix + addr_err;
    return false;
  }
  bool v6 = addr.find(':') != std::string_view::npos;
  if (v6 && addr.find('%') != std::string_view::npos) {
    if (error) *error = prefix + "IPv6 zones cannot be present in a prefix";
    return false;
  }
  bool digits = !bits.empty() && bits.size() <= 3;
  for (char c : bits)
    if (!std::isdigit(static_cast<unsigned char>(c))) digits = false;
  if (!digits || (bits.size() > 1 && bits[0] == '0')) {
    if (error) *error = prefix + "bad bits after slash: " + core::GoQuote(bits);
    return false;
  }
  int n = std::stoi(std::string(bits));
  if (n > (v6 ? 128 : 32)) {
    if (error) *error = prefix + "prefix length out of range";
    return false;
  }
  return true;
}

}  // namespace meshctl::validate
