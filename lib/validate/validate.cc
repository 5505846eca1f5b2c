#include "lib/validate/validate.h"

#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"
#include "lib/validate/schema.h"

namespace meshctl::validate {

namespace {

constexpr std::string_view kDryRun = "istio.io/dry-run";

// Spec §3: run before the kind's validator; each check returns immediately.
bool CheckMetadata(const model::Resource& r, const Node* spec, Findings& out) {
  if (r.HasAnnotation(kDryRun)) {
    std::string nsname = r.ns + "/" + r.name;  // only for findings: most resources have none
    if (r.kind != "AuthorizationPolicy") {
      out.Error("metadata.annotations", fmt::format("{} has unsupported annotation {}, please remove the annotation",
                                                    nsname, kDryRun));
      return false;
    }
    std::string action = Enum(spec, "action", "ALLOW");
    if (action == "AUDIT" || action == "CUSTOM") {
      out.Error("metadata.annotations",
                fmt::format("the annotation {} currently only supports action ALLOW/DENY, found action {} in {}",
                            kDryRun, action, nsname));
      return false;
    }
    std::string v(r.Annotation(kDryRun));
    static const char* const kBools[] = {"1", "t", "T", "TRUE", "true", "True",
                                         "0", "f", "F", "FALSE", "false", "False"};
    bool ok = false;
    for (const char* b : kBools) ok = ok || v == b;
    if (!ok) {
      out.Error("metadata.annotations",
                fmt::format("{} has annotation {} with invalid value ({}): strconv.ParseBool: parsing {}: invalid "
                            "syntax",
                            nsname, kDryRun, v, core::GoQuote(v)));
      return false;
    }
  }
  if (r.HasAnnotation("internal.istio.io/webhook-always-reject")) {
    out.Error("metadata.annotations", "\"internal.istio.io/webhook-always-reject\" annotation found, rejecting");
    return false;
  }
  for (std::string_view a : {"internal.istio.io/parent-namespace", "internal.istio.io/parents"}) {
    if (r.HasAnnotation(a)) {
      out.Error("metadata.annotations",
                fmt::format("\"{}\" annotation found, this may not be set by users", a));
      return false;
    }
  }
  return true;
}

// The state of one resource's validation: findings plus the normalised spec
// their paths refer to.
struct Outcome {
  Findings findings;
  // The normalised spec (valid when decoded): the resource's own spec when
  // it is already normal (IsNormalMessage), else `normalised`.
  const Node* spec = nullptr;
  Node normalised;
  bool decoded = false;
  bool unserved_version = false;
  const KindEntry* entry = nullptr;
};

void Run(const model::Resource& r, const ValidateContext& ctx, Outcome& o) {
  if (r.kind == "Service") {
    ValidateKubeService(r, ctx, o.findings);
    return;
  }
  if (r.kind == "Deployment") {
    ValidateKubeDeployment(r, ctx, o.findings);
    return;
  }
  if (r.kind == "IstioOperator" && r.api_version == "install.istio.io/v1alpha1") {
    ValidateIstioOperator(r, ctx, o.findings);
    return;
  }
  const KindEntry* e = FindKind(r.group, r.kind, r.version);
  if (!e) {
    o.unserved_version = FindKindAnyVersion(r.group, r.kind) != nullptr;
    // An Istio kind under a Kubernetes built-in group (apps/v1, v1, batch/v1;
    // no dot, so no CRD can define it there) is nobody's resource: the API
    // server rejects it and Istio never sees it. A dotted group may be a
    // CRD of the same name (Gateway API's Gateway) and is left alone.
    if (!o.unserved_version && r.group.find('.') == std::string::npos) {
      for (const auto& k : AllKinds()) {
        if (k.kind != r.kind) continue;
        o.findings.Error("apiVersion",
                         fmt::format("{} is an Istio kind, but apiVersion {} is not its API group: the resource is "
                                     "not Istio's and is not validated (use apiVersion: {}/{})",
                                     r.kind, r.api_version.empty() ? "\"\"" : r.api_version, k.group,
                                     k.versions.front()));
        break;
      }
    }
    return;
  }
  o.entry = e;
  const Node* raw_spec = r.root ? r.root->Get("spec") : nullptr;
  const MessageDesc* m = SchemaPool::Get().FindMessage(e->message);
  if (m && IsNormalMessage(raw_spec, *m)) {
    o.spec = raw_spec;  // checked in place: nothing to rename, drop or convert
  } else if (m) {
    DecodeResult d = DecodeMessage(raw_spec, *m);
    if (d.error) {
      Finding f;
      f.field_path = d.error->field_path.empty() ? "spec" : "spec." + d.error->field_path;
      f.message = "cannot parse proto message: " + d.error->message;
      f.mark = d.error->mark;
      o.findings.Add(std::move(f));
      return;
    }
    o.normalised = std::move(d.node);
    o.spec = &o.normalised;
  } else if (raw_spec && raw_spec->IsMap()) {
    o.spec = raw_spec;  // no descriptors yet: validate the spec as written
  } else {
    o.normalised = Node::Map(raw_spec ? raw_spec->mark() : r.start);
    o.spec = &o.normalised;
  }
  o.decoded = true;
  // Spec §1 step 6: top-level keys.
  if (r.root && !CheckTopLevelFields(*r.root, o.findings)) return;
  if (!CheckMetadata(r, o.spec, o.findings)) return;
  if (e->validator) {
    if (o.spec == r.spec) {
      e->validator(r, ctx, o.findings);
    } else {
      model::Resource view = r;
      view.spec = o.spec;
      e->validator(view, ctx, o.findings);
    }
  }
}

yaml::Mark Resolve(const model::Resource& r, const Outcome& o, const Finding& f) {
  if (f.mark.known()) return f.mark;
  if (f.field_path.empty()) return r.start;
  std::string_view p = f.field_path;
  if (o.decoded && p.substr(0, 4) == "spec" && (p.size() == 4 || p[4] == '.' || p[4] == '[')) {
    std::string_view rest = p.substr(4);
    if (!rest.empty() && rest[0] == '.') rest.remove_prefix(1);
    if (rest.empty()) return o.spec->mark().known() ? o.spec->mark() : r.Locate("spec");
    yaml::Mark m = o.spec->Locate(rest);
    if (m.known()) return m;
  }
  return r.Locate(f.field_path);
}

}  // namespace

Findings ValidateResource(const model::Resource& r, const ValidateContext& ctx) {
  Outcome o;
  Run(r, ctx, o);
  return std::move(o.findings);
}

std::string IstioctlPrefix(const model::Resource& r) {
  return r.kind + "/" + (r.namespace_defaulted ? std::string() : std::string(r.ns)) + "/" + r.name;
}

std::vector<diag::Diagnostic> ValidateResourceDiagnostics(const model::Resource& r, const ValidateContext& ctx,
                                                          bool analysis_aware) {
  std::vector<diag::Diagnostic> out;
  Outcome o;
  Run(r, ctx, o);
  if (o.unserved_version) {
    const KindEntry* e = FindKindAnyVersion(r.group, r.kind);
    diag::Diagnostic d;
    d.code = std::string(kUnservedApiVersion);
    d.severity = diag::Severity::kWarning;
    std::vector<std::string> vs(e->versions.begin(), e->versions.end());
    d.message = fmt::format("{} {} is not a version Istio serves for this kind (accepted: {}); istioctl "
                            "validate would accept it without checking it",
                            r.api_version, r.kind, core::Join(vs, ", "));
    diag::Attach(d, r, "apiVersion");
    out.push_back(std::move(d));
    return out;
  }
  for (const auto& f : o.findings.items()) {
    diag::Diagnostic d;
    bool notice = r.kind == "Deployment" && f.warning;
    d.code = std::string(notice ? kDeploymentLabelNotice : (f.warning ? kValidationWarning : kValidationError));
    if (analysis_aware && f.analysis_aware) d.code = std::string(kAnalysisAwareWarning);
    d.severity = notice ? diag::Severity::kInfo : (f.warning ? diag::Severity::kWarning : diag::Severity::kError);
    d.message = f.message;
    diag::Attach(d, r, f.field_path);
    if (!r.from_cluster) d.mark = Resolve(r, o, f);
    out.push_back(std::move(d));
  }
  return out;
}

void ValidateSnapshot(const model::Snapshot& snap, const ValidateContext& ctx, diag::DiagnosticSink& sink) {
  for (const auto& r : snap.resources())
    for (auto& d : ValidateResourceDiagnostics(r, ctx)) sink.Add(std::move(d));
}

}  // namespace meshctl::validate
