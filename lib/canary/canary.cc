#include "lib/canary/canary.h"

#include <algorithm>
#include <map>
#include <set>

#include "lib/canary/generator.h"
#include "lib/canary/server_fields.h"
#include "lib/canary/service_info.h"
#include "lib/canary/verify.h"
#include "lib/diag/catalog.h"
#include "lib/diag/filter.h"
#include "lib/validate/validate.h"

namespace meshctl::canary {

std::string_view TargetName(Target t) {
  switch (t) {
    case Target::kAuto: return "auto";
    case Target::kIstio: return "istio";
    case Target::kGatewayApi: return "gateway-api";
    case Target::kSmi: return "smi";
  }
  return "?";
}

namespace {

core::Status CheckSpec(const CanarySpec& spec) {
  if (spec.service.empty()) return core::InvalidArgument("a Service name is required");
  if (spec.weight < 0 || spec.weight > 100)
    return core::InvalidArgument("weight " + std::to_string(spec.weight) + " is out of range: give 0 to 100");
  if (spec.mirror_percent && (*spec.mirror_percent < 0 || *spec.mirror_percent > 100))
    return core::InvalidArgument("mirror percentage " + std::to_string(*spec.mirror_percent) +
                                 " is out of range: give 0 to 100");
  if (spec.cookies.size() > 1) return core::InvalidArgument("give at most one --cookie");
  if (spec.mode == IstioMode::kHost && spec.target != Target::kIstio && spec.target != Target::kAuto)
    return core::InvalidArgument("--mode applies to --target istio only");
  if (!spec.gateway.empty() && spec.target != Target::kGatewayApi && spec.target != Target::kAuto)
    return core::InvalidArgument("--gateway applies to --target gateway-api only");
  if (spec.stable_backend.empty() != spec.canary_backend.empty())
    return core::InvalidArgument("give both --stable-backend and --canary-backend, or neither");
  if (!spec.stable_backend.empty() && spec.stable_backend == spec.canary_backend)
    return core::InvalidArgument("--stable-backend and --canary-backend are both \"" + spec.stable_backend + "\"");
  if (!spec.stable_backend.empty() && (!spec.stable.empty() || !spec.canary.empty()))
    return core::InvalidArgument("--stable-backend/--canary-backend replace --stable/--canary; give one pair");
  for (const auto& h : spec.headers)
    if (h.name.empty()) return core::InvalidArgument("--header needs NAME=VALUE");
  for (const auto& c : spec.cookies)
    if (c.name.empty()) return core::InvalidArgument("--cookie needs NAME=VALUE");
  return core::Status::Ok();
}

std::string ObjectKey(const yaml::Node& obj, const std::string& default_ns) {
  auto str = [&](const char* path) {
    const yaml::Node* n = obj.Find(path);
    return n && n->IsScalar() && !n->IsNull() ? n->ToScalarString() : std::string();
  };
  std::string ns = str("metadata.namespace");
  return ResourceKey(str("kind"), ns.empty() ? default_ns : ns, str("metadata.name"));
}

// What already routes the Service: resources by kind ("HTTPRoute ns/name").
struct ExistingRouting {
  std::vector<std::string> httproutes, virtual_services, traffic_splits;
};

// A backend name that belongs to this canary: the Service, one of its
// per-version Services (`reviews-v2`) or a backend named on the command line.
bool OwnBackend(const CanarySpec& spec, const std::string& name) {
  return name == spec.service || name.rfind(spec.service + "-", 0) == 0 ||
         (!spec.stable_backend.empty() && (name == spec.stable_backend || name == spec.canary_backend));
}

ExistingRouting FindRouting(const model::Snapshot& snap, const CanarySpec& spec) {
  ExistingRouting out;
  for (const model::Resource* hr : snap.OfKind(model::kinds::kHTTPRoute)) {
    bool routes = false;
    if (const yaml::Node* parents = hr->spec ? hr->spec->Get("parentRefs") : nullptr; parents && parents->IsSeq())
      for (const auto& p : parents->children()) {
        std::string ns = StringAt(&p, "namespace");
        routes |= StringAt(&p, "kind") == "Service" && StringAt(&p, "name") == spec.service &&
                  (ns.empty() ? std::string(hr->ns) : ns) == spec.ns;
      }
    if (const yaml::Node* rules = hr->spec ? hr->spec->Get("rules") : nullptr; rules && rules->IsSeq())
      for (const auto& rule : rules->children()) {
        const yaml::Node* refs = rule.Get("backendRefs");
        if (!refs || !refs->IsSeq()) continue;
        for (const auto& r : refs->children()) {
          std::string kind = StringAt(&r, "kind"), ns = StringAt(&r, "namespace");
          if (!kind.empty() && kind != "Service") continue;
          routes |= (ns.empty() ? std::string(hr->ns) : ns) == spec.ns && OwnBackend(spec, StringAt(&r, "name"));
        }
      }
    if (routes) out.httproutes.push_back("HTTPRoute " + hr->FullName());
  }
  for (const model::Resource* vs : snap.OfKind(model::kinds::kVirtualService)) {
    bool routes = false;
    for (const char* kind : {"http", "tcp", "tls"}) {
      const yaml::Node* seq = vs->spec ? vs->spec->Get(kind) : nullptr;
      if (!seq || !seq->IsSeq()) continue;
      for (const auto& route : seq->children()) {
        const yaml::Node* dests = route.Get("route");
        if (!dests || !dests->IsSeq()) continue;
        for (const auto& d : dests->children()) {
          std::string host = StringAt(d.Get("destination"), "host");
          std::string name = host.substr(0, host.find('.'));
          routes |= OwnBackend(spec, name) && HostIs(vs->ns, host, spec.ns, name);
        }
      }
    }
    if (routes) out.virtual_services.push_back("VirtualService " + vs->FullName());
  }
  for (const model::Resource* ts : snap.OfKindIn({"split.smi-spec.io", "TrafficSplit"}, spec.ns))
    if (StringAt(ts->spec, "service") == spec.service) out.traffic_splits.push_back("TrafficSplit " + ts->FullName());
  return out;
}

// Resolves Target::kAuto from the flags and what routes the Service now.
core::Status ResolveTarget(const model::Snapshot& snap, CanarySpec& spec, std::vector<std::string>& notes) {
  if (spec.target != Target::kAuto) return core::Status::Ok();
  if (!spec.gateway.empty()) {
    spec.target = Target::kGatewayApi;
    return core::Status::Ok();
  }
  ExistingRouting r = FindRouting(snap, spec);
  if (!r.httproutes.empty() && !r.virtual_services.empty()) {
    return core::DataError("Service " + spec.ns + "/" + spec.service + " is routed by both " + HumanList(r.httproutes) +
                           " and " + HumanList(r.virtual_services) +
                           "; two routing APIs on one Service make the split unpredictable. Remove one of them, "
                           "or say which to patch with --target gateway-api or --target istio");
  }
  if (!r.httproutes.empty()) {
    spec.target = Target::kGatewayApi;
    notes.push_back("following " + HumanList(r.httproutes) + ", which already routes " + spec.service +
                    " (as --target gateway-api)");
  } else if (!r.traffic_splits.empty() && r.virtual_services.empty()) {
    spec.target = Target::kSmi;
    notes.push_back("following " + HumanList(r.traffic_splits) + " (as --target smi)");
  } else {
    spec.target = Target::kIstio;
  }
  return core::Status::Ok();
}

// MSH0305 when the version named stable currently gets no traffic while the
// canary gets it all (typically the run after --promote with the old flags).
void CheckStableTraffic(const std::vector<std::pair<std::string, int64_t>>& current, const ServiceInfo& info,
                        const CanarySpec& spec, std::vector<diag::Diagnostic>& out) {
  // All to one side (--promote, --rollback, --weight 0) is deliberate.
  if (spec.weight == 100 || spec.weight == 0) return;
  int64_t stable = -1, canary = 0;
  for (const auto& entry : current) {
    // (Not a structured binding: clang 14 cannot capture one in a lambda.)
    const std::string& v = entry.first;
    int64_t w = entry.second;
    // Backend names (`reviews-stable`) come back from the routes without the
    // Service prefix.
    auto is = [&](const std::string& want) { return v == want || spec.service + "-" + v == want; };
    if (is(info.stable)) stable = std::max<int64_t>(stable, 0) + w;
    if (is(info.canary)) canary += w;
  }
  if (stable != 0 || canary <= 0) return;
  diag::Diagnostic d;
  const diag::MessageType* m = diag::FindMessage("MSH0305");
  d.code = std::string(m->code);
  d.severity = m->level;
  d.message = diag::FormatGo(m->tmpl, {info.stable, info.canary});
  if (info.service && !info.service->file.empty()) diag::Attach(d, *info.service, "");
  out.push_back(std::move(d));
}

}  // namespace

core::Result<CanaryResult> RunCanary(const io::InputSet& inputs, const CanarySpec& requested) {
  RETURN_IF_ERROR(CheckSpec(requested));
  ASSIGN_OR_RETURN(std::unique_ptr<Workspace> ws, Workspace::Load(inputs, requested.ns));
  CanarySpec spec = requested;
  std::vector<std::string> early_notes;
  RETURN_IF_ERROR(ResolveTarget(ws->snapshot(), spec, early_notes));
  bool backends = !spec.stable_backend.empty();
  if (backends && spec.target == Target::kIstio) spec.mode = IstioMode::kHost;
  ASSIGN_OR_RETURN(ServiceInfo info, FindService(ws->snapshot(), spec));

  const model::Snapshot& snap = ws->snapshot();
  std::function<bool(const std::string&)> alias;
  std::vector<std::pair<std::string, int64_t>> current;
  if (spec.target == Target::kIstio) {
    current = IstioCurrentWeights(snap, info);
    if (spec.mode == IstioMode::kSubset)
      alias = [&](const std::string& name) { return IsIstioSubsetName(snap, info, name); };
  } else {
    current = BackendCurrentWeights(snap, info);
  }
  RETURN_IF_ERROR(ResolveVersions(info, spec, alias, current));

  CanaryResult result;
  result.target = spec.target;
  result.mode = spec.mode;
  result.stable = info.stable;
  result.canary = info.canary;
  result.notes = std::move(early_notes);
  std::vector<diag::Diagnostic> early_findings;
  CheckStableTraffic(current, info, spec, early_findings);
  GeneratorContext ctx{spec, *ws, info, result.notes};
  switch (spec.target) {
    case Target::kAuto: return core::Internal("canary target not resolved");
    case Target::kIstio: RETURN_IF_ERROR(GenerateIstio(ctx)); break;
    case Target::kGatewayApi: RETURN_IF_ERROR(GenerateGatewayApi(ctx)); break;
    case Target::kSmi: RETURN_IF_ERROR(GenerateSmi(ctx)); break;
  }

  std::set<std::string> changed;
  for (const auto* r : ws->ChangedResources()) changed.insert(ResourceKey(r->kind, r->ns, r->name));
  for (const auto& c : ws->created()) changed.insert(ObjectKey(c, spec.ns));
  // Output read from a cluster drops what the API server owns (resourceVersion, managedFields, status...).
  for (const auto* obj : ws->ChangedObjects()) result.objects.push_back(WithoutServerFields(*obj));
  ASSIGN_OR_RETURN(result.files, ws->Render());

  // Verify the inputs as they will be after the change.
  io::InputSet after;
  for (const auto& f : inputs.files) {
    io::InputFile copy = f;
    for (const auto& fc : result.files)
      if (fc.path == f.path) copy.content = fc.after;
    after.files.push_back(std::move(copy));
  }
  for (const auto& fc : result.files)
    if (fc.created) after.files.push_back({fc.path, fc.after});
  analysis::AnalyzeOptions opts;
  opts.ns = spec.ns;
  result.verified = std::make_shared<analysis::AnalyzeResult>(analysis::AnalyzeInputs(after, opts));
  if (!result.verified->load_errors.empty())
    return core::Internal("the changed files do not parse: " + result.verified->load_errors.front().message());

  // Findings that matter: about what changed, the Service, its per-version
  // Services and the workloads of the two versions.
  std::set<std::string> involved = changed;
  involved.insert(ResourceKey("Service", info.service->ns, info.service->name));
  for (const std::string& v : {info.stable, info.canary})
    if (const auto* vw = info.Find(v))
      for (const auto* w : vw->workloads) involved.insert(ResourceKey(w->kind, w->ns, w->name));
  diag::DiagnosticSink sink;
  VerifyCanary({result.verified->snapshot, spec, info.stable, info.canary, changed}, sink);
  // Istio's per-kind validation (what the API server's webhook would
  // reject) for the resources canary changed or created.
  diag::DiagnosticSink validation;
  validate::ValidateContext vctx;
  vctx.default_namespace = spec.ns;
  validate::ValidateSnapshot(result.verified->snapshot, vctx, validation);
  std::vector<diag::Diagnostic> all = sink.Take();
  for (auto& d : early_findings) all.push_back(std::move(d));
  for (auto& d : validation.Take())
    if (changed.count(ResourceKey(d.kind, d.ns, d.name))) all.push_back(std::move(d));
  for (const auto& d : result.verified->diagnostics) {
    // The analyzers' schema findings (IST0106/IST0133) repeat what the
    // validation above reports as MSH0100/MSH0101 for the same fields.
    if (d.code == "IST0106" || d.code == "IST0133") continue;
    if (involved.count(ResourceKey(d.kind, d.ns, d.name))) all.push_back(d);
  }
  // Positions: findings about resources that exist in the input point into
  // the input files as they are on disk (the field path is the same), not
  // into the text canary would write.
  std::map<std::string, const model::Resource*> originals;
  for (const auto& r : snap.resources()) originals.emplace(ResourceKey(r.kind, r.ns, r.name), &r);
  for (auto& d : all) {
    auto it = originals.find(ResourceKey(d.kind, d.ns, d.name));
    if (it == originals.end()) continue;
    d.file = it->second->file;
    d.mark = d.field_path.empty() ? it->second->start : it->second->Locate(d.field_path);
  }
  result.findings = diag::FilterDiagnostics(std::move(all), {});
  for (const auto& d : result.findings) result.has_errors |= d.severity == diag::Severity::kError;
  return result;
}

}  // namespace meshctl::canary
