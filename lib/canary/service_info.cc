#include "lib/canary/service_info.h"

#include "lib/canary/generator.h"

#include <algorithm>
#include <cctype>

#include "lib/analysis/workloads.h"
#include "lib/core/strings.h"

namespace meshctl::canary {

std::string StringAt(const yaml::Node* n, std::string_view key) {
  const yaml::Node* v = n ? n->Get(key) : nullptr;
  return v && v->IsScalar() && !v->IsNull() ? v->ToScalarString() : "";
}

yaml::Node Str(const std::string& s) { return yaml::Node::Scalar(yaml::NodeType::kString, s, {}); }
yaml::Node Int(int64_t v) { return yaml::Node::Scalar(yaml::NodeType::kInt, std::to_string(v), {}); }

yaml::Node ObjectHeader(const std::string& api_version, const std::string& kind, const std::string& name,
                        const std::string& ns) {
  yaml::Node obj = yaml::Node::Map({});
  obj.Set("apiVersion", Str(api_version));
  obj.Set("kind", Str(kind));
  yaml::Node meta = yaml::Node::Map({});
  meta.Set("name", Str(name));
  if (!ns.empty()) meta.Set("namespace", Str(ns));
  obj.Set("metadata", std::move(meta));
  return obj;
}

bool NaturalLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string_view na = std::string_view(a).substr(i, i2 - i), nb = std::string_view(b).substr(j, j2 - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = i2, j = j2;
      continue;
    }
    if (a[i] != b[j]) return a[i] < b[j];
    ++i, ++j;
  }
  return a.size() - i < b.size() - j;
}

const VersionWorkloads* ServiceInfo::Find(const std::string& version) const {
  for (const auto& v : versions)
    if (v.version == version) return &v;
  return nullptr;
}

std::vector<std::string> ServiceInfo::VersionNames() const {
  std::vector<std::string> out;
  for (const auto& v : versions) out.push_back(v.version);
  return out;
}

namespace {

bool LabelsContain(const yaml::Node* labels, const yaml::Node* wanted) {
  if (!wanted || !wanted->IsMap()) return true;
  for (size_t i = 0; i < wanted->size(); ++i) {
    const yaml::Node* have = labels ? labels->Get(wanted->KeyAt(i).text()) : nullptr;
    if (!have || have->ToScalarString() != wanted->ValueAt(i).ToScalarString()) return false;
  }
  return true;
}

}  // namespace

std::vector<const model::Resource*> SelectWorkloads(const model::Snapshot& snap, const std::string& ns,
                                                    const yaml::Node* selector, const yaml::Node* extra) {
  std::vector<const model::Resource*> out;
  if (!selector || !selector->IsMap() || selector->size() == 0) return out;
  for (const auto& gk : analysis::WorkloadKinds()) {
    for (const model::Resource* w : snap.OfKindIn(gk, ns)) {
      if (analysis::HasOwner(*w)) continue;
      const yaml::Node* labels = analysis::PodLabels(*w);
      if (LabelsContain(labels, selector) && LabelsContain(labels, extra)) out.push_back(w);
    }
  }
  return out;
}

core::Result<ServiceInfo> FindService(const model::Snapshot& snap, const CanarySpec& spec) {
  ServiceInfo info;
  info.service = snap.Find(model::kinds::kService, spec.ns, spec.service);
  bool backends = !spec.stable_backend.empty();
  if (!info.service && backends) {
    // Routes-only: the routes name the backends; the Service itself need not
    // be in the input. A stand-in without selector or ports keeps its name.
    auto owned = std::make_shared<SyntheticService>();
    owned->doc.root = ObjectHeader("v1", "Service", spec.service, spec.ns);
    owned->doc.root.Set("spec", yaml::Node::Map({}));
    owned->resource.api_version = "v1";
    owned->resource.version = "v1";
    owned->resource.kind = "Service";
    owned->resource.name = model::KeepText(spec.service);
    owned->resource.ns = model::KeepText(spec.ns);
    owned->resource.root = &owned->doc.root;
    owned->resource.metadata = owned->doc.root.Get("metadata");
    owned->resource.spec = owned->doc.root.Get("spec");
    info.service = &owned->resource;
    info.synthetic = std::move(owned);
  }
  if (!info.service) {
    std::vector<std::string> names, elsewhere;
    for (const model::Resource* s : snap.OfKind(model::kinds::kService)) {
      if (s->ns == spec.ns) names.push_back(s->name);
      if (s->name == spec.service) elsewhere.push_back(s->ns);
    }
    std::string msg = "Service \"" + spec.service + "\" not found in namespace \"" + spec.ns + "\" in the input";
    if (!elsewhere.empty()) {
      msg += " (it exists in namespace " + core::Join(elsewhere, ", ") + "; use -n)";
    } else {
      std::string best;
      size_t best_d = 3;
      for (const auto& n : names) {
        size_t d = core::EditDistance(spec.service, n);
        if (d < best_d) best_d = d, best = n;
      }
      if (!best.empty()) {
        msg += "; did you mean \"" + best + "\"?";
      } else if (names.empty()) {
        msg += "; give the files that define it with -f";
      } else {
        msg += " (Services there: " + core::Join(names, ", ") + ")";
      }
    }
    return core::DataError(msg);
  }
  info.selector = info.service->spec ? info.service->spec->Get("selector") : nullptr;
  if (backends) {
    // Argo Rollouts' stable/canary Services select the same pods; versions
    // are the backends, not a label.
    return info;
  }
  if (!info.selector || !info.selector->IsMap() || info.selector->size() == 0) {
    return core::DataError(info.service->file + ":" + std::to_string(info.service->start.line) + ": Service " +
                           info.service->FullName() +
                           " has no selector, so it has no workloads to shift traffic between");
  }
  for (const model::Resource* w : SelectWorkloads(snap, spec.ns, info.selector, nullptr)) {
    const yaml::Node* labels = analysis::PodLabels(*w);
    const yaml::Node* v = labels ? labels->Get(spec.version_label) : nullptr;
    if (!v || !v->IsScalar() || v->IsNull()) {
      info.unversioned.push_back(w);
      continue;
    }
    std::string ver = v->ToScalarString();
    auto it = std::find_if(info.versions.begin(), info.versions.end(),
                           [&](const VersionWorkloads& x) { return x.version == ver; });
    if (it == info.versions.end()) {
      info.versions.push_back({ver, {w}});
    } else {
      it->workloads.push_back(w);
    }
  }
  std::sort(info.versions.begin(), info.versions.end(),
            [](const VersionWorkloads& a, const VersionWorkloads& b) { return NaturalLess(a.version, b.version); });
  return info;
}

core::Status ResolveVersions(ServiceInfo& info, const CanarySpec& spec,
                             const std::function<bool(const std::string&)>& known_alias,
                             const std::vector<std::pair<std::string, int64_t>>& current_routes) {
  if (!spec.stable_backend.empty()) {
    info.stable = spec.stable_backend;
    info.canary = spec.canary_backend;
    return core::Status::Ok();
  }
  std::vector<std::string> found = info.VersionNames();
  // No workloads in the input but the live route already splits between
  // exactly two versions: those are the versions (the routes alone).
  bool from_routes = false;
  if (found.empty()) {
    std::vector<std::string> routed;
    for (const auto& [v, w] : current_routes)
      if (std::find(routed.begin(), routed.end(), v) == routed.end()) routed.push_back(v);
    if (routed.size() == 2 || (routed.size() == 1 && !spec.stable.empty() != !spec.canary.empty())) {
      found = routed;
      from_routes = true;
    }
  }
  std::string svc = "Service " + info.service->FullName();
  std::string listing = found.empty() ? "none" : core::Join(found, ", ");
  auto check = [&](const std::string& v, const char* flag) -> core::Status {
    if (info.Find(v) || (known_alias && known_alias(v))) return core::Status::Ok();
    if (from_routes && std::find(found.begin(), found.end(), v) != found.end()) return core::Status::Ok();
    return core::DataError("no workload behind " + svc + " has " + spec.version_label + "=" + v + " (" + flag +
                           "); versions found: " + listing);
  };
  std::string stable = spec.stable, canary = spec.canary;
  if (!stable.empty()) RETURN_IF_ERROR(check(stable, "--stable"));
  if (!canary.empty()) RETURN_IF_ERROR(check(canary, "--canary"));
  if (stable.empty() || canary.empty()) {
    std::vector<std::string> rest;
    for (const auto& v : found)
      if (v != stable && v != canary) rest.push_back(v);
    size_t missing = (stable.empty() ? 1 : 0) + (canary.empty() ? 1 : 0);
    if (found.empty()) {
      std::string msg = "no versions found: no workload behind " + svc + " has a \"" + spec.version_label + "\" label";
      if (!info.unversioned.empty())
        msg += " (" + std::to_string(info.unversioned.size()) + " workload(s) without it, e.g. " +
               info.unversioned.front()->Origin() + ")";
      msg += "; label the pod templates, or pass --stable and --canary";
      return core::DataError(msg);
    }
    if (rest.size() != missing) {
      return core::DataError("cannot tell the stable and canary versions apart: " + svc + " has versions " + listing +
                             "; pass --stable and --canary");
    }
    if (missing == 2) {
      // The version the live routes name first is the stable one: meshctl
      // keeps the stable destination where it was and appends the canary,
      // so this holds after --promote too (v1 at 0 %, v2 at 100 %).
      stable = rest[0];
      canary = rest[1];
      for (const auto& entry : current_routes) {
        if (entry.first == rest[1]) {
          std::swap(stable, canary);
          break;
        }
        if (entry.first == rest[0]) break;
      }
    } else if (stable.empty()) {
      stable = rest[0];
    } else {
      canary = rest[0];
    }
  }
  RETURN_IF_ERROR(check(stable, "--stable"));
  RETURN_IF_ERROR(check(canary, "--canary"));
  if (stable == canary) return core::InvalidArgument("--stable and --canary are both \"" + stable + "\"");
  info.stable = stable;
  info.canary = canary;
  return core::Status::Ok();
}

std::string VersionService(Workspace& ws, const ServiceInfo& info, const CanarySpec& spec,
                           const std::string& version, std::vector<std::string>& notes) {
  if (!spec.stable_backend.empty()) return version;  // routes-only: the backend is the Service
  const model::Resource& apex = *info.service;
  // An existing Service named <service>-<version> (the route names it).
  if (info.versions.empty())
    if (const model::Resource* s = ws.snapshot().Find(model::kinds::kService, apex.ns, apex.name + "-" + version))
      return s->name;
  // An existing Service whose selector is exactly apex selector + version.
  for (const model::Resource* s : ws.snapshot().OfKindIn(model::kinds::kService, apex.ns)) {
    if (s == &apex || !s->spec) continue;
    const yaml::Node* sel = s->spec->Get("selector");
    if (!sel || !sel->IsMap() || sel->size() != info.selector->size() + 1) continue;
    const yaml::Node* v = sel->Get(spec.version_label);
    if (!v || v->ToScalarString() != version) continue;
    bool all = true;
    for (size_t i = 0; i < info.selector->size(); ++i) {
      const yaml::Node* have = sel->Get(info.selector->KeyAt(i).text());
      all &= have && have->ToScalarString() == info.selector->ValueAt(i).ToScalarString();
    }
    if (all) return s->name;
  }
  std::string name = apex.name + "-" + version;
  for (const auto& c : ws.created())
    if (const yaml::Node* n = c.Find("metadata.name"); n && n->text() == name) return name;
  yaml::Node svc = ObjectHeader("v1", "Service", name, apex.ns);
  yaml::Node labels = yaml::Node::Map({});
  if (const yaml::Node* app = info.selector->Get("app")) labels.Set("app", *app);
  labels.Set(spec.version_label, Str(version));
  svc.GetMutable("metadata")->Set("labels", std::move(labels));
  yaml::Node s = yaml::Node::Map({});
  if (const yaml::Node* ports = apex.spec->Get("ports"); ports && ports->IsSeq()) {
    yaml::Node copy = yaml::Node::Seq({});
    for (const auto& p : ports->children()) {
      yaml::Node q = yaml::Node::Map({});
      for (const char* k : {"name", "port", "targetPort", "protocol", "appProtocol"})
        if (const yaml::Node* v = p.Get(k)) q.Set(k, *v);
      copy.Push(std::move(q));
    }
    s.Set("ports", std::move(copy));
  }
  yaml::Node sel = *info.selector;
  sel.Set(spec.version_label, Str(version));
  s.Set("selector", std::move(sel));
  svc.Set("spec", std::move(s));
  ws.Create(std::move(svc), apex.file);
  notes.push_back("added Service " + apex.ns + "/" + name + " selecting " + spec.version_label + "=" + version);
  return name;
}

}  // namespace meshctl::canary
