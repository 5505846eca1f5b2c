// One analysis run from inputs to filtered findings, shared by
// `meshctl analyze`, `meshctl canary` (checking its own output) and the
// conformance runner.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "lib/analysis/registry.h"
#include "lib/core/status.h"
#include "lib/diag/filter.h"
#include "lib/io/files.h"
#include "lib/model/loader.h"

namespace meshctl::analysis {

struct AnalyzeOptions {
  // Namespace given to resources without one and used to filter findings;
  // "" with all_namespaces.
  std::string ns = "default";
  bool all_namespaces = false;
  std::string istio_namespace = "istio-system";
  // Analyzer ids or Istio analyzer names; empty = all.
  std::vector<std::string> analyzers;
  std::vector<diag::SuppressRule> suppressions;
  // Namespaces whose resources are never analyzed (istioctl's list).
  std::vector<std::string> ignored_namespaces = {"kube-system", "kube-public", "kube-node-lease",
                                                 "local-path-storage"};
  // MeshConfig YAML (--meshConfigFile) merged over Istio's defaults; when
  // empty, the `mesh` key of the revision's mesh ConfigMap in the Istio
  // namespace (MeshConfigMapNames) is used if the input holds one.
  // `mesh_config_source` names it in errors.
  std::string mesh_config_yaml;
  std::string mesh_config_source;
  // MeshNetworks YAML (`networks:`); empty = the `meshNetworks` key of the
  // same ConfigMap, else none.
  std::string mesh_networks_yaml;
  std::string mesh_networks_source;
  // The control plane revision (-r) whose mesh ConfigMap is read.
  std::string revision = "default";

  // Istio's analyzer test-harness semantics (the conformance corpus):
  // only the selected analyzers' input kinds are loaded, Istio's default
  // ingress Pod and Service (istio-ingressgateway) are added, a later
  // resource with the same kind/namespace/name replaces an earlier one, the
  // synthetic MeshConfig/MeshNetworks resources exist, and every selected
  // analyzer runs.
  bool harness = false;
  // Outside the harness: skip an analyzer when a kind it needs
  // (AnalyzerMetadata::needs) is absent from the input (istioctl skips
  // analyzers whose input collections are missing). Without this, a Gateway
  // selector would be "not found" merely because no Pods were given.
  bool skip_without_runtime_inputs = true;
  // Extra inputs that belong to named clusters (multi-cluster analysis, e.g.
  // services.MultiClusterServiceAnalyzer); their resources are tagged with
  // the cluster, and the same kind/namespace/name in two clusters are two
  // resources.
  std::vector<std::pair<std::string, io::InputSet>> clusters;
  // Threads the analyzers run on (RunAnalyzers); 0 decides from the
  // snapshot's size and the CPUs this process may use.
  size_t analyzer_threads = 0;
};

struct AnalyzeResult {
  model::Snapshot snapshot;                  // owns what the diagnostics point to
  std::vector<diag::Diagnostic> diagnostics; // filtered, sorted, de-duplicated
  std::vector<core::Status> load_errors;     // files or documents that could not be used
  std::vector<std::string> unparsed_files;   // the distinct files of load_errors, in load order
  std::vector<std::string> empty_files;
  std::vector<const Analyzer*> executed;
  std::vector<const Analyzer*> skipped;        // selected but missing kinds they need
  std::vector<std::string> unknown_analyzers;  // names given that match nothing
  core::Status mesh_error;                     // a bad mesh config / networks text
  std::unordered_map<const model::Resource*, std::string> clusters;  // see AnalyzeOptions::clusters
};

// Selects analyzers by id or Istio name (a name may select several, e.g.
// schema.ValidationAnalyzer.VirtualService). Unknown names are returned in
// `unknown`; when nothing matches, all analyzers are selected (istioctl).
std::vector<const Analyzer*> SelectAnalyzers(const std::vector<std::string>& names, std::vector<std::string>* unknown);

AnalyzeResult AnalyzeInputs(const io::InputSet& inputs, const AnalyzeOptions& opts);
// The same, for a caller with no use for the files' text afterwards: the text of
// `inputs` is freed once it is parsed (paths stay), so a large input's text is not held
// with the resources built from it (on 50k, 20 MB of the peak). The inputs of
// `opts.clusters` are kept.
AnalyzeResult AnalyzeInputsReleasingText(io::InputSet& inputs, const AnalyzeOptions& opts);

// The mesh ConfigMaps of a revision, most specific first: `istio-REV` then
// `istio` for a revision other than "default" (and ""), else `istio`. A
// revisioned control plane (istiod-REV, Helm's `revision` value) reads
// istio-REV; istioctl always reads `istio` (istio/istio#36053), which a
// revision-only install does not have, so meshctl falls back to it only.
std::vector<std::string> MeshConfigMapNames(const std::string& revision);

// The mesh config, when the snapshot holds the `istio` ConfigMap of the
// Istio namespace (its `mesh` key parsed as YAML), merged over Istio's
// defaults. Keeps the parsed document alive in `storage`.
const yaml::Node* FindMeshConfig(const model::Snapshot& snap, const std::string& istio_ns,
                                 std::vector<yaml::Document>& storage);

}  // namespace meshctl::analysis
