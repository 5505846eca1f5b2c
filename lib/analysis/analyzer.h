// An analyzer is a small stateless class: static metadata (our id, Istio's
// analyzer name, summary, input kinds, codes it may emit) and one Analyze
// method that reads the snapshot through typed accessors and reports to a
// sink. Suppressions, thresholds and ordering are not its business
// (lib/diag/filter.h).
//
// To add an analyzer:
//   1. lib/analysis/<area>.cc with the class and a `std::unique_ptr<Analyzer> New<Name>()`.
//   2. Its message codes in lib/diag/catalog.cc (Istio's when the meaning is Istio's).
//   3. A row in AllAnalyzers() (registry.cc); keep it sorted by id.
//   4. A table test in tests/lib/analysis/<area>_test.cc with `# expect:` markers.
//   5. The analyzer table in docs/analyze.md.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/diag/sink.h"
#include "lib/model/kinds.h"
#include "lib/model/snapshot.h"

namespace meshctl::analysis {

struct AnalyzerMetadata {
  std::string_view id;          // meshctl's id: "service.port-name"
  std::string_view istio_name;  // Istio's Metadata().Name, "" for meshctl-only analyzers
  std::string_view summary;
  std::vector<model::GroupKind> inputs;
  std::vector<std::string_view> codes;
  // True for analyzers Istio does not run by default (not in analyzers.All(),
  // e.g. annotations.AlphaAnalyzer): they run only when named by --analyzer.
  bool not_in_all = false;
  // Kinds whose absence from the input makes the analyzer skip outside the
  // test harness: without them its "not found" findings would be false
  // positives (a Gateway selector is not "unmatched" just because no Pods
  // were given). istioctl skips analyzers whose input collections are missing.
  std::vector<model::GroupKind> needs = {};
};

// The synthetic resources every run has (Istio's MeshConfig and MeshNetworks
// collections); they come from the mesh config, not from a file.
inline constexpr model::GroupKind kMeshConfigKind{"", "MeshConfig"};
inline constexpr model::GroupKind kMeshNetworksKind{"", "MeshNetworks"};

// What an analysis run sees besides the resources.
struct AnalysisContext {
  const model::Snapshot& snapshot;
  // The Istio control plane namespace (`-i`), "istio-system" by default.
  std::string istio_namespace = "istio-system";
  // Mesh config: Istio's defaults with the `mesh` key of the istio ConfigMap
  // or --meshConfigFile merged over them (lib/analysis/mesh_config.h).
  // AnalyzeInputs always sets it; nullptr only when a caller builds the
  // context by hand without one.
  const yaml::Node* mesh_config = nullptr;
  // MeshNetworks (`networks:` ...) when given, else nullptr.
  const yaml::Node* mesh_networks = nullptr;
  // Cluster of each resource loaded from a per-cluster input set
  // (AnalyzeOptions::clusters); resources not in it have no cluster.
  const std::unordered_map<const model::Resource*, std::string>* clusters = nullptr;
  // True when the Istio namespace's Services are not part of the input
  // (an application repository): hosts in that namespace are then unknown,
  // not missing. AnalyzeInputs sets it outside the harness.
  bool istio_services_absent = false;
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  virtual const AnalyzerMetadata& Metadata() const = 0;
  virtual void Analyze(const AnalysisContext& ctx, diag::DiagnosticSink& sink) const = 0;
};

}  // namespace meshctl::analysis
