// One analysis run from inputs to filtered findings, shared by
// `meshctl analyze`, `meshctl canary` (checking its own output) and the
// conformance runner.
#pragma once

#include <string>
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
};

struct AnalyzeResult {
  model::Snapshot snapshot;                  // owns what the diagnostics point to
  std::vector<diag::Diagnostic> diagnostics; // filtered, sorted, de-duplicated
  std::vector<core::Status> load_errors;     // files or documents that could not be used
  std::vector<std::string> empty_files;
  std::vector<const Analyzer*> executed;
  std::vector<std::string> unknown_analyzers;  // names given that match nothing
};

// Selects analyzers by id or Istio name. Unknown names are returned in
// `unknown`; when nothing matches, all analyzers are selected (istioctl).
std::vector<const Analyzer*> SelectAnalyzers(const std::vector<std::string>& names, std::vector<std::string>* unknown);

AnalyzeResult AnalyzeInputs(const io::InputSet& inputs, const AnalyzeOptions& opts);

// The mesh config, when the snapshot holds the `istio` ConfigMap of the
// Istio namespace (its `mesh` key parsed as YAML). Keeps the parsed
// document alive in `storage`.
const yaml::Node* FindMeshConfig(const model::Snapshot& snap, const std::string& istio_ns,
                                 std::vector<yaml::Document>& storage);

}  // namespace meshctl::analysis
