// `meshctl canary`: traffic-shifting configuration for a canary release of
// one Service, generated from scratch or (the normal case) patched into the
// VirtualService / DestinationRule / HTTPRoute / TrafficSplit that already
// exist, then checked with the analysis engine before anything is printed
// or written.
//
// Pipeline: load inputs (Workspace) -> find the Service, its versions and
// the stable/canary pair (ServiceInfo) -> the target's generator edits or
// creates objects -> render new file texts -> verify (Istio's per-kind
// validation, the analyzers, canary's checks, ownership) on the result ->
// CanaryResult. lib/ never writes
// files; commands/canary.cc decides what to print or write.
//
// To add a target: a generator file next to istio_generator.cc with a
// `core::Status Generate<Target>(GeneratorContext&)`, a Target value, and a
// row in the switch in canary.cc.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lib/analysis/engine.h"
#include "lib/canary/workspace.h"
#include "lib/core/status.h"
#include "lib/diag/diagnostic.h"
#include "lib/io/files.h"

namespace meshctl::canary {

// kAuto follows what already routes the Service: an HTTPRoute (gateway-api),
// a TrafficSplit (smi), else Istio; refused when both an HTTPRoute and a
// VirtualService route it.
enum class Target { kAuto, kIstio, kGatewayApi, kSmi };
enum class IstioMode { kSubset, kHost };

struct MatchRule {
  std::string name;
  std::string value;
};

struct CanarySpec {
  std::string service;
  std::string ns = "default";
  // Version label values (or, for istio, DestinationRule subset names);
  // "" = find them from the workloads behind the Service.
  std::string stable;
  std::string canary;
  int weight = 0;  // percent of traffic for the canary, 0..100
  Target target = Target::kAuto;
  IstioMode mode = IstioMode::kSubset;
  // Route names (http route `name`, HTTPRoute rule `name`) or positions
  // (`http[1]`, `tcp[0]`, `tls[0]`, `rules[2]`); empty = every route that
  // sends to the Service except header-matched ones.
  std::vector<std::string> routes;
  std::vector<MatchRule> headers;  // A/B: exact header matches, ANDed
  std::vector<MatchRule> cookies;  // A/B: cookie name=value, ANDed
  std::optional<int> mirror_percent;
  std::string gateway;  // gateway-api: parent Gateway ("name" or "ns/name"); "" = GAMMA (the Service)
  std::string version_label = "version";
  // Routes-only shifting: the backends (Service names, e.g. Argo Rollouts'
  // stableService/canaryService) that carry the stable and canary traffic.
  // Both or neither; with them no workload or version label is needed and
  // an existing route is patched (host-based: HTTPRoute, TrafficSplit, or a
  // VirtualService with one host per version).
  std::string stable_backend;
  std::string canary_backend;
};

std::string_view TargetName(Target t);  // "istio", "gateway-api", "smi"

struct CanaryResult {
  Target target = Target::kIstio;  // the target used (kAuto resolved)
  IstioMode mode = IstioMode::kSubset;
  std::string stable;  // resolved stable version
  std::string canary;  // resolved canary version
  // Changed and created objects, in load order (for -o yaml / json).
  std::vector<yaml::Node> objects;
  // Files whose text changes (for -o diff / --in-place).
  std::vector<FileChange> files;
  // Findings about the changed resources and what they depend on: errors
  // block the change, warnings are printed.
  std::vector<diag::Diagnostic> findings;
  bool has_errors = false;
  // Things the user should know (routes left alone, subsets added, ...).
  std::vector<std::string> notes;
  // Keeps the resources the findings point to alive.
  std::shared_ptr<analysis::AnalyzeResult> verified;
};

// Runs the pipeline. Status errors: InvalidArgument (a flag that does not
// fit the input, exit 64), DataError (input meshctl cannot use or refuses
// to change, exit 65). Findings are not a Status: check has_errors.
core::Result<CanaryResult> RunCanary(const io::InputSet& inputs, const CanarySpec& spec);

// The name of the A/B rule meshctl adds (and removes) in front of a route.
std::string ManagedRuleName(const std::string& service);

}  // namespace meshctl::canary
