// Helpers shared by the policy-style kinds (AuthorizationPolicy,
// RequestAuthentication, PeerAuthentication, Telemetry, WasmPlugin,
// TrafficExtension, ProxyConfig, EnvoyFilter): workload selectors, policy
// target references, and the Go library behaviours Istio's messages depend
// on (time.ParseDuration, net/url, net/netip).
//
// Messages are Istio's (spec §4: H-SELECTOR, H-ONESELECTOR, H-TARGETREF,
// H-DURATION); Go error texts are reproduced for the cases Istio embeds them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "lib/validate/field_ref.h"
#include "lib/validate/findings.h"

namespace meshctl::validate {

// H-SELECTOR on an istio.type.v1beta1.WorkloadSelector (`matchLabels`).
// Returns true when an error was reported.
bool CheckPolicySelector(const FieldRef& selector, Findings& out);
// H-ONESELECTOR: at most one of selector / targetRef / targetRefs.
void CheckOneOfSelector(const FieldRef& spec, Findings& out);
// H-TARGETREF on `targetRef` and every `targetRefs[]` entry of `spec`.
void CheckTargetRefs(const FieldRef& spec, Findings& out);

// Go time.ParseDuration: nanoseconds, or nullopt with Go's error text.
std::optional<int64_t> ParseGoDuration(std::string_view s, std::string* error);
// H-DURATION on a google.protobuf.Duration field (skipped when absent or
// not parseable: the decoder reports that).
void CheckDuration(const FieldRef& d, Findings& out);

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
