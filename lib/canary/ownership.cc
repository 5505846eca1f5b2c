// Who else writes the resources canary changes. The marks come from the
// controllers' sources (see docs/specs/canary-and-peers.md): Flagger keeps
// the original spec in an annotation and owns generated objects through a
// Canary ownerReference; Argo Rollouts annotates the DestinationRule it
// manages and appears as `rollouts-controller` in managedFields; Kiali's
// wizards label what they create with `kiali_wizard`.
#include <algorithm>

#include "lib/canary/verify.h"

namespace meshctl::canary {

namespace {

struct Owner {
  std::string controller;
  std::string evidence;
  std::string advice;
};

std::vector<Owner> FindOwners(const model::Resource& r) {
  std::vector<Owner> out;
  const std::string flagger_advice =
      "Flagger rewrites the whole spec on every reconcile; change the Canary resource instead (or use VirtualService "
      "delegation for custom routing).";
  const std::string argo_advice =
      "Argo Rollouts resets route weights while a rollout runs; use `kubectl argo rollouts promote/abort`, and with "
      "Argo CD add ignoreDifferences on /spec/http/*/route/*/weight.";
  if (r.HasAnnotation("flagger.kubernetes.io/original-configuration"))
    out.push_back({"Flagger", "annotation flagger.kubernetes.io/original-configuration", flagger_advice});
  if (r.HasAnnotation("argo-rollouts.argoproj.io/managed-by-rollouts"))
    out.push_back({"Argo Rollouts", "annotation argo-rollouts.argoproj.io/managed-by-rollouts", argo_advice});
  if (r.HasLabel("kiali_wizard"))
    out.push_back({"a Kiali wizard", "label kiali_wizard=" + std::string(r.Label("kiali_wizard")),
                   "Kiali replaces the resources its wizards created when the wizard is used again."});
  if (!r.metadata) return out;
  if (const yaml::Node* owners = r.metadata->Get("ownerReferences"); owners && owners->IsSeq()) {
    for (const auto& o : owners->children()) {
      const yaml::Node* kind = o.Get("kind");
      const yaml::Node* api = o.Get("apiVersion");
      std::string k = kind ? kind->ToScalarString() : "", a = api ? api->ToScalarString() : "";
      const yaml::Node* name = o.Get("name");
      std::string ev = "ownerReference " + k + " " + (name ? name->ToScalarString() : "");
      if (k == "Canary" && a.rfind("flagger.app/", 0) == 0) out.push_back({"Flagger", ev, flagger_advice});
      if (k == "Rollout" && a.rfind("argoproj.io/", 0) == 0) out.push_back({"Argo Rollouts", ev, argo_advice});
    }
  }
  if (const yaml::Node* mf = r.metadata->Get("managedFields"); mf && mf->IsSeq()) {
    for (const auto& m : mf->children()) {
      const yaml::Node* mgr = m.Get("manager");
      if (mgr && mgr->ToScalarString() == "rollouts-controller") {
        out.push_back({"Argo Rollouts", "managedFields manager rollouts-controller", argo_advice});
        break;
      }
    }
  }
  return out;
}

}  // namespace

void CheckOwnership(const model::Resource& r, diag::DiagnosticSink& sink) {
  // One finding per controller, naming every mark that gave it away.
  std::vector<Owner> merged;
  for (auto& o : FindOwners(r)) {
    auto it = std::find_if(merged.begin(), merged.end(), [&](const Owner& m) { return m.controller == o.controller; });
    if (it == merged.end()) {
      merged.push_back(std::move(o));
    } else {
      it->evidence += ", " + o.evidence;
    }
  }
  for (const auto& o : merged) sink.Report("MSH0303", r, "metadata", {r.kind, o.controller, o.evidence, o.advice});
}

}  // namespace meshctl::canary
