// The Go library behaviours Istio's validation messages depend on: net/url
// parsing (WasmPlugin urls, RequestAuthentication jwksUri) and net/netip
// parsing (AuthorizationPolicy ipBlocks), with Go's error texts, which
// Istio embeds in its messages. The one place meshctl parses URLs and IP
// addresses the Go way: the CRD CEL evaluator (lib/crd/cel.cc: url(),
// isURL(), ip(), cidr()...) uses it too.
#pragma once

#include <optional>
#include <string>
#include <string_view>


namespace meshctl::validate {

// The parts of a Go net/url.URL the validators look at.
struct GoUrl {
  std::string scheme;  // lower-cased
  std::string opaque;
  std::string host;  // host[:port] as written
  std::string port;  // without ':'
  std::string path;
};
// Go url.Parse (via_request=false) / url.ParseRequestURI (true); on failure
// nullopt and `*error` = Go's text (`parse "x": ...`).
std::optional<GoUrl> ParseGoUrl(std::string_view raw, bool via_request, std::string* error);

// Go netip.ParseAddr / ParsePrefix; `*error` gets Go's text.
bool ParseGoAddr(std::string_view s, std::string* error);
bool ParseGoPrefix(std::string_view s, std::string* error);

}  // namespace meshctl::validate
