// Small helpers most Istio analyzers share: label maps and equality
// selectors (with Kubernetes' selector string form), pods indexed by
// namespace, ambient-mode tests, Istio's host/FQDN rules and the
// Service/ServiceEntry host index (Istio's util.InitServiceEntryHostMap /
// GetDestinationHost). Lookups are indexed so analyzers stay linear.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/analysis/analyzer.h"
#include "lib/model/snapshot.h"

namespace meshctl::analysis {

using LabelMap = std::map<std::string, std::string>;

// A YAML map of scalars as strings (labels, selectors); {} when absent.
LabelMap StringMap(const yaml::Node* n);
// Every selector pair is in `labels` (an empty selector matches everything,
// like labels.SelectorFromSet).
bool SelectorMatches(const LabelMap& selector, const LabelMap& labels);
// labels.SelectorFromSet(sel).String(): "a=b,c=d" sorted by key.
std::string SelectorString(const LabelMap& sel);
// The key of "k=v,..." (util.ExtractLabelFromSelectorString).
std::string FirstSelectorKey(const LabelMap& sel);

// A scalar field as a string, "" when absent or null.
std::string Scalar(const yaml::Node* n);
std::string Scalar(const yaml::Node* parent, std::string_view key);
// A sequence of scalars.
std::vector<std::string> ScalarList(const yaml::Node* n);

// Names (metadata.name) of resources, sorted (Istio's getNames).
std::vector<std::string> SortedNames(const std::vector<const model::Resource*>& rs);

// ambient.istio.io/redirection == enabled on a Pod.
bool PodInAmbientMode(const model::Resource* pod);
// istio.io/dataplane-mode=ambient on a Namespace without injection labels.
bool NamespaceInAmbientMode(const model::Resource* ns);

// Istio's util.ConvertHostToFQDN: a short name becomes name.ns.svc.cluster.local.
std::string ConvertHostToFqdn(std::string_view ns, std::string_view host);
// "a.b.svc.cluster.local" -> {b, a}; {"", ""} otherwise.
std::pair<std::string, std::string> FullNameFromFqdn(std::string_view fqdn);

// The host (as written in a resource of `source_ns`) names a Service of the
// Istio namespace (name.ns, name.ns.svc or name.ns.svc.cluster.local) while
// ctx.istio_services_absent says those Services were not given: a lookup
// failure then proves nothing.
bool HostInAbsentIstioNamespace(const AnalysisContext& ctx, std::string_view source_ns, std::string_view host);

// One port of a Service or ServiceEntry.
struct HostPort {
  int64_t number = 0;
  std::string name;
  std::string protocol;
};
// What a host resolves to: a ServiceEntry or a Service seen as one.
struct HostTarget {
  const model::Resource* resource = nullptr;
  std::vector<HostPort> ports;
};

// Istio's ServiceEntry host map: ServiceEntries by exportTo scope and FQDN,
// plus every Service as a ServiceEntry (scoped by its networking.istio.io/exportTo
// annotation). Lookup follows util.GetDestinationHost.
class HostIndex {
 public:
  explicit HostIndex(const model::Snapshot& snap);
  const HostTarget* Lookup(std::string_view source_ns, const std::vector<std::string>& export_to,
                           std::string_view host) const;

 private:
  void Add(const std::string& scope, std::string_view ns, std::string_view host, const HostTarget* t);
  std::vector<std::unique_ptr<HostTarget>> targets_;
  std::unordered_map<std::string, const HostTarget*> exact_;  // "scope/fqdn"
  std::vector<std::pair<std::string, const HostTarget*>> wildcard_;  // scope/fqdn with fqdn "*..."
};

// Istio's host.Name matching: `a` matches `b` when equal, or one is a
// wildcard ("*.x") whose suffix covers the other (Matches, symmetric).
bool HostsMatch(std::string_view a, std::string_view b);
// host.Name.SubsetOf: every host `a` matches is matched by `b`.
bool HostSubsetOf(std::string_view a, std::string_view b);

// Pods indexed by namespace (load order kept).
class PodIndex {
 public:
  explicit PodIndex(const model::Snapshot& snap);
  const std::vector<const model::Resource*>& InNamespace(std::string_view ns) const;
  const std::vector<const model::Resource*>& All() const { return all_; }
  // Pods in any namespace whose labels match `sel` (all pods for an empty
  // selector), in load order; found through a label=value index.
  std::vector<const model::Resource*> Matching(const LabelMap& sel) const;
  const LabelMap& LabelsOf(const model::Resource* pod) const;

 private:
  std::unordered_map<std::string, std::vector<const model::Resource*>> by_label_;  // "k=v"
  std::unordered_map<const model::Resource*, LabelMap> labels_;
  std::vector<const model::Resource*> all_;
  std::unordered_map<std::string, std::vector<const model::Resource*>> by_ns_;
};

}  // namespace meshctl::analysis

namespace meshctl::analysis {
// `prefix['key']`: a field path step for keys with dots or slashes.
inline std::string KeyPath(std::string_view prefix, std::string_view key) {
  return std::string(prefix) + "['" + std::string(key) + "']";
}
}  // namespace meshctl::analysis

namespace meshctl::analysis {
// Istio's util.PodInMesh (for a Pod: containers and init containers) and
// DeploymentInMesh (pod template containers): an istio-proxy container with
// an image, else the sidecar.istio.io/inject label, then annotation, else
// the namespace's istio-injection=enabled label (no Namespace: not in mesh).
bool InMesh(const model::Resource& w, const model::Snapshot& snap);
}  // namespace meshctl::analysis

namespace meshctl::analysis {
// A metav1.LabelSelector (matchLabels + matchExpressions In/NotIn/Exists/
// DoesNotExist) against a label set. `valid` is false for an unknown
// operator (Kubernetes then fails the conversion). An absent (nullptr)
// selector matches everything.
bool LabelSelectorMatches(const yaml::Node* selector, const LabelMap& labels, bool* valid = nullptr);
}  // namespace meshctl::analysis

namespace meshctl::analysis {
// `path` when it names a scalar of `r`, else "" (the document start): Istio
// only knows the lines of scalar values, and findings whose path it cannot
// resolve fall back to the document start, which decides what de-duplication
// merges. Used where that changes results.
inline std::string ScalarPathOrStart(const model::Resource& r, const std::string& path) {
  const yaml::Node* n = r.Find(path);
  return n && n->IsScalar() ? path : std::string();
}
}  // namespace meshctl::analysis

namespace meshctl::analysis {
// Follows map keys without parsing a path string (the analyzers' hot loops
// use this instead of Find("spec.x.y"), which allocates per call).
inline const yaml::Node* Dig(const yaml::Node* n, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys) {
    if (!n || !n->IsMap()) return nullptr;
    n = n->Get(k);
  }
  return n;
}
inline const yaml::Node* Dig(const model::Resource* r, std::initializer_list<std::string_view> keys) {
  return Dig(r->root, keys);
}
inline const yaml::Node* Dig(const model::Resource& r, std::initializer_list<std::string_view> keys) {
  return Dig(r.root, keys);
}
}  // namespace meshctl::analysis

namespace meshctl::analysis {
inline const yaml::Node* Dig(const yaml::Node& n, std::initializer_list<std::string_view> keys) {
  return Dig(&n, keys);
}
}  // namespace meshctl::analysis
