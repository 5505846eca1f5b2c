// lib/analysis/snapshot_indexes: the shared lookups answer what the
// per-call helpers they replace answer.
#include "lib/analysis/snapshot_indexes.h"

#include <catch2/catch.hpp>

#include "lib/model/loader.h"
#include "tests/support/test_support.h"

namespace meshctl::analysis {
namespace {

TEST_CASE("shared indexes agree with the per-workload helpers", "[analysis]") {
  io::InputSet in;
  in.files.push_back({"mesh.yaml", R"(apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: all, namespace: shop}
spec: {selector: {tier: front}, ports: [{port: 81}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: other}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {metadata: {labels: {app: web, tier: front}}, spec: {containers: [{name: c, image: i}]}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: out, namespace: other}
spec: {template: {metadata: {labels: {app: web, sidecar.istio.io/inject: "false"}}, spec: {containers: []}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: lone, namespace: nowhere}
spec: {template: {metadata: {labels: {app: x}}}}
)",
                      false});
  auto loaded = model::LoadSnapshot(in, {});
  REQUIRE(loaded.errors.empty());
  const model::Snapshot& snap = loaded.snapshot;
  AnalysisContext ctx{snap};
  SnapshotIndexes& shared = SharedIndexes(ctx);
  CHECK(&SharedIndexes(ctx) == &shared);  // one per run
  CHECK(&shared.Services() == &shared.Services());
  int workloads = 0;
  for (const model::Resource* w : snap.OfKind(model::kinds::kDeployment)) {
    INFO(w->FullName());
    ++workloads;
    CHECK(shared.Membership(*w) == PodMeshMembership(*w, snap));
    CHECK(shared.Membership(*w) == PodMeshMembership(*w, snap));  // memoised answer
    CHECK(shared.Services().Selecting(*w) == SelectingServices(*w, snap));
  }
  CHECK(workloads == 3);
  const model::Resource* web = snap.Find(model::kinds::kDeployment, "shop", "web");
  REQUIRE(web);
  CHECK(shared.Membership(*web) == MeshMembership::kInMesh);
  CHECK(shared.Services().Selecting(*web).size() == 2);
  const model::Resource* lone = snap.Find(model::kinds::kDeployment, "nowhere", "lone");
  REQUIRE(lone);
  CHECK(shared.Membership(*lone) == MeshMembership::kUnknown);
}

}  // namespace
}  // namespace meshctl::analysis
