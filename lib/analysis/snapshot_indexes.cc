#include "lib/analysis/snapshot_indexes.h"

namespace meshctl::analysis {

const ServiceSelectorIndex& SnapshotIndexes::Services() {
  if (!services_) services_.emplace(snap_);
  return *services_;
}

MeshMembership SnapshotIndexes::Membership(const model::Resource& w) {
  auto [it, inserted] = membership_.try_emplace(&w, MeshMembership::kUnknown);
  if (inserted) it->second = PodMeshMembership(w, snap_);
  return it->second;
}

SnapshotIndexes& SharedIndexes(const AnalysisContext& ctx) {
  if (!ctx.indexes) ctx.indexes = std::make_shared<SnapshotIndexes>(ctx.snapshot);
  return *ctx.indexes;
}

}  // namespace meshctl::analysis
