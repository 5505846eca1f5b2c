// What every target generator gets, and helpers they share. A generator
// edits or creates objects in the Workspace for one resolved stable/canary
// pair and weight; it returns a DataError for input it refuses to change
// (with the reason and what to do), never a half-done edit.
#pragma once

#include <string>
#include <vector>

#include "lib/canary/canary.h"
#include "lib/canary/service_info.h"
#include "lib/canary/workspace.h"

namespace meshctl::canary {

struct GeneratorContext {
  const CanarySpec& spec;
  Workspace& ws;
  const ServiceInfo& info;
  std::vector<std::string>& notes;
};

// Versions the current routes send traffic to, with their weights (to tell
// stable from canary when neither is given), and whether a name is a
// DestinationRule subset of the Service (istio subset mode).
std::vector<std::pair<std::string, int64_t>> IstioCurrentWeights(const model::Snapshot& snap, const ServiceInfo& info);
bool IsIstioSubsetName(const model::Snapshot& snap, const ServiceInfo& info, const std::string& name);
std::vector<std::pair<std::string, int64_t>> BackendCurrentWeights(const model::Snapshot& snap,
                                                                   const ServiceInfo& info);

core::Status GenerateIstio(GeneratorContext& c);
core::Status GenerateGatewayApi(GeneratorContext& c);
core::Status GenerateSmi(GeneratorContext& c);

// True when `host`, written in a resource of namespace `from_ns`, names the
// Service `name` in `ns` ("reviews", "reviews.bookinfo",
// "reviews.bookinfo.svc", "reviews.bookinfo.svc.cluster.local").
bool HostIs(const std::string& from_ns, const std::string& host, const std::string& ns, const std::string& name);

// Escapes regex metacharacters (RE2 / ECMAScript) in `s`.
std::string RegexQuote(const std::string& s);

// The cookie regex Istio's docs use: matches `name=value` anywhere in a
// Cookie header.
std::string CookieRegex(const MatchRule& c);

// The scalar under `key` of map `n` as text; "" when absent, null or not a scalar.
std::string StringAt(const yaml::Node* n, std::string_view key);

// "a, b and c".
std::string HumanList(const std::vector<std::string>& items);

}  // namespace meshctl::canary
