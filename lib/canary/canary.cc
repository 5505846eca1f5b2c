#include "lib/canary/canary.h"

#include <algorithm>
#include <map>
#include <set>

#include "lib/canary/generator.h"
#include "lib/canary/service_info.h"
#include "lib/canary/verify.h"
#include "lib/diag/filter.h"
#include "lib/validate/validate.h"

namespace meshctl::canary {

std::string_view TargetName(Target t) {
  switch (t) {
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
  if (spec.mode == IstioMode::kHost && spec.target != Target::kIstio)
    return core::InvalidArgument("--mode applies to --target istio only");
  if (!spec.gateway.empty() && spec.target != Target::kGatewayApi)
    return core::InvalidArgument("--gateway applies to --target gateway-api only");
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

}  // namespace

core::Result<CanaryResult> RunCanary(const io::InputSet& inputs, const CanarySpec& spec) {
  RETURN_IF_ERROR(CheckSpec(spec));
  ASSIGN_OR_RETURN(std::unique_ptr<Workspace> ws, Workspace::Load(inputs, spec.ns));
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
  result.stable = info.stable;
  result.canary = info.canary;
  GeneratorContext ctx{spec, *ws, info, result.notes};
  switch (spec.target) {
    case Target::kIstio: RETURN_IF_ERROR(GenerateIstio(ctx)); break;
    case Target::kGatewayApi: RETURN_IF_ERROR(GenerateGatewayApi(ctx)); break;
    case Target::kSmi: RETURN_IF_ERROR(GenerateSmi(ctx)); break;
  }

  std::set<std::string> changed;
  for (const auto* r : ws->ChangedResources()) changed.insert(ResourceKey(r->kind, r->ns, r->name));
  for (const auto& c : ws->created()) changed.insert(ObjectKey(c, spec.ns));
  for (const auto* obj : ws->ChangedObjects()) result.objects.push_back(*obj);
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
