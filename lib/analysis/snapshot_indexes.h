// Lookups over one snapshot that several analyzers need, computed once per
// run instead of once per analyzer: which Services select a workload, and
// whether a workload is in the mesh.
//
// To share another index: a member built on first use here, and the
// analyzers call SharedIndexes(ctx).<it>() instead of building their own.
#pragma once

#include <optional>
#include <unordered_map>

#include "lib/analysis/analyzer.h"
#include "lib/analysis/workloads.h"

namespace meshctl::analysis {

class SnapshotIndexes {
 public:
  explicit SnapshotIndexes(const model::Snapshot& snap) : snap_(snap) {}

  // Services by namespace and selector (ServiceSelectorIndex), built on first call.
  const ServiceSelectorIndex& Services();
  // PodMeshMembership(w, snapshot), computed once per workload.
  MeshMembership Membership(const model::Resource& w);

 private:
  const model::Snapshot& snap_;
  std::optional<ServiceSelectorIndex> services_;
  std::unordered_map<const model::Resource*, MeshMembership> membership_;
};

// The run's shared indexes (created on first use).
SnapshotIndexes& SharedIndexes(const AnalysisContext& ctx);

}  // namespace meshctl::analysis
