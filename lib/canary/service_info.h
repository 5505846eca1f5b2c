// What a canary needs to know about the Service it shifts: the Service
// object, the workloads behind it grouped by version label, and the stable
// and canary versions (given, or found when exactly two exist). Also finds
// or builds the per-version Services that host-based targets route to
// (`reviews-v1` selecting app=reviews,version=v1).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "lib/canary/canary.h"
#include "lib/canary/workspace.h"
#include "lib/model/snapshot.h"
#include "lib/yaml/parser.h"

namespace meshctl::canary {

struct VersionWorkloads {
  std::string version;
  std::vector<const model::Resource*> workloads;
};

// A stand-in for a Service not in the input (routes-only shifting).
struct SyntheticService {
  yaml::Document doc;
  model::Resource resource;
};

struct ServiceInfo {
  const model::Resource* service = nullptr;
  std::shared_ptr<SyntheticService> synthetic;  // owns `service` when it is a stand-in
  const yaml::Node* selector = nullptr;  // spec.selector (a map)
  std::vector<VersionWorkloads> versions;  // sorted naturally (v2 < v10)
  std::vector<const model::Resource*> unversioned;  // workloads without the label
  std::string stable;
  std::string canary;

  const VersionWorkloads* Find(const std::string& version) const;
  std::vector<std::string> VersionNames() const;
};

// Finds spec.service in spec.ns and its workloads. DataError when the
// Service is not in the input (with a suggestion) or has no selector.
core::Result<ServiceInfo> FindService(const model::Snapshot& snap, const CanarySpec& spec);

// Decides stable and canary. `known_alias` says whether a name that no
// workload carries as a version is still fine (a DestinationRule subset
// name). `current_routes` (versions the live routes send to, in order of
// appearance, with weights) picks the stable one when two versions are
// found and none is given: the one named first.
core::Status ResolveVersions(ServiceInfo& info, const CanarySpec& spec,
                             const std::function<bool(const std::string&)>& known_alias,
                             const std::vector<std::pair<std::string, int64_t>>& current_routes);

// Natural order for version strings: digit runs compare as numbers.
bool NaturalLess(const std::string& a, const std::string& b);

// Workloads (in the Service's namespace, not owned by a controller) whose
// pod labels carry every label of `selector` and of `extra`.
std::vector<const model::Resource*> SelectWorkloads(const model::Snapshot& snap, const std::string& ns,
                                                    const yaml::Node* selector, const yaml::Node* extra);

// The Service for one version: an existing Service in the namespace whose
// selector is the apex selector plus `version_label: version`, else a new
// one named `<service>-<version>` with the apex ports, created in the
// workspace next to the apex Service. Returns its name.
std::string VersionService(Workspace& ws, const ServiceInfo& info, const CanarySpec& spec,
                           const std::string& version, std::vector<std::string>& notes);

// Helpers for building objects.
yaml::Node Str(const std::string& s);
yaml::Node Int(int64_t v);
yaml::Node ObjectHeader(const std::string& api_version, const std::string& kind, const std::string& name,
                        const std::string& ns);

}  // namespace meshctl::canary
