#include "lib/analysis/workloads.h"

#include <algorithm>

namespace meshctl::analysis {

using model::Resource;
namespace kinds = model::kinds;

const std::vector<model::GroupKind>& WorkloadKinds() {
  static const std::vector<model::GroupKind> k = {
      kinds::kDeployment, kinds::kStatefulSet, kinds::kDaemonSet, kinds::kReplicaSet,
      {"batch", "Job"},   {"batch", "CronJob"}, kinds::kPod,
      // Argo Rollouts: a Deployment replacement with the same pod template.
      {"argoproj.io", "Rollout"},
  };
  return k;
}

namespace {

std::string TemplatePrefix(const Resource& w) {
  if (w.Is(kinds::kPod)) return "";
  if (w.kind == "CronJob") return "spec.jobTemplate.spec.template.";
  return "spec.template.";
}

}  // namespace

const yaml::Node* PodMetadata(const Resource& w, std::string* path) {
  std::string p = TemplatePrefix(w) + "metadata";
  if (path) *path = p;
  const yaml::Node* n = w.Find(p);
  return n && n->IsMap() ? n : nullptr;
}

const yaml::Node* PodLabels(const Resource& w, std::string* path) {
  std::string p = TemplatePrefix(w) + "metadata.labels";
  if (path) *path = p;
  const yaml::Node* n = w.Find(p);
  return n && n->IsMap() ? n : nullptr;
}

const yaml::Node* PodSpec(const Resource& w) {
  const yaml::Node* n = w.Find(w.Is(kinds::kPod) ? "spec" : TemplatePrefix(w) + "spec");
  return n && n->IsMap() ? n : nullptr;
}

bool HasOwner(const Resource& w) {
  const yaml::Node* o = w.metadata ? w.metadata->Get("ownerReferences") : nullptr;
  return o && o->IsSeq() && o->size() > 0;
}

bool SelectorMatches(const yaml::Node* selector, const yaml::Node* labels) {
  if (!selector || !selector->IsMap() || selector->size() == 0) return false;
  for (size_t i = 0; i < selector->size(); ++i) {
    const yaml::Node* v = labels ? labels->Get(selector->KeyAt(i).text()) : nullptr;
    if (!v || v->ToScalarString() != selector->ValueAt(i).ToScalarString()) return false;
  }
  return true;
}

MeshMembership PodMeshMembership(const Resource& w, const model::Snapshot& snap) {
  if (const yaml::Node* spec = PodSpec(w)) {
    if (const yaml::Node* cs = spec->Get("containers"); cs && cs->IsSeq()) {
      for (const auto& c : cs->children()) {
        const yaml::Node* name = c.Get("name");
        const yaml::Node* image = c.Get("image");
        if (name && name->text() == "istio-proxy" && image && !image->text().empty()) return MeshMembership::kInMesh;
      }
    }
  }
  const yaml::Node* meta = PodMetadata(w);
  for (const char* field : {"labels", "annotations"}) {
    const yaml::Node* m = meta ? meta->Get(field) : nullptr;
    if (const yaml::Node* v = m ? m->Get("sidecar.istio.io/inject") : nullptr)
      return v->ToScalarString() == "true" ? MeshMembership::kInMesh : MeshMembership::kNotInMesh;
  }
  if (const Resource* ns = snap.Find(model::kinds::kNamespace, "", w.ns))
    return ns->Label("istio-injection") == "enabled" ? MeshMembership::kInMesh : MeshMembership::kNotInMesh;
  return MeshMembership::kUnknown;
}

std::vector<const Resource*> SelectingServices(const Resource& w, const model::Snapshot& snap) {
  std::vector<const Resource*> out;
  const yaml::Node* labels = PodLabels(w);
  if (!labels) return out;
  for (const Resource* svc : snap.OfKindIn(kinds::kService, w.ns)) {
    const yaml::Node* sel = svc->spec ? svc->spec->Get("selector") : nullptr;
    if (SelectorMatches(sel, labels)) out.push_back(svc);
  }
  return out;
}

ServiceSelectorIndex::ServiceSelectorIndex(const model::Snapshot& snap) {
  size_t n = 0;
  for (const Resource* svc : snap.OfKind(kinds::kService)) {
    order_[svc] = n++;
    const yaml::Node* sel = svc->spec ? svc->spec->Get("selector") : nullptr;
    if (!sel || !sel->IsMap() || sel->size() == 0) continue;
    by_first_pair_[svc->ns + "/" + sel->KeyAt(0).text() + "=" + sel->ValueAt(0).ToScalarString()].push_back(svc);
  }
}

std::vector<const Resource*> ServiceSelectorIndex::Selecting(const Resource& w) const {
  std::vector<const Resource*> out;
  const yaml::Node* labels = PodLabels(w);
  if (!labels || !labels->IsMap()) return out;
  for (size_t i = 0; i < labels->size(); ++i) {
    auto it = by_first_pair_.find(w.ns + "/" + labels->KeyAt(i).text() + "=" + labels->ValueAt(i).ToScalarString());
    if (it == by_first_pair_.end()) continue;
    for (const Resource* svc : it->second)
      if (SelectorMatches(svc->spec->Get("selector"), labels)) out.push_back(svc);
  }
  std::sort(out.begin(), out.end(), [this](const Resource* a, const Resource* b) { return order_.at(a) < order_.at(b); });
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace meshctl::analysis
