// `meshctl validate`'s engine: istioctl validate's pipeline over a loaded
// Snapshot (kind lookup by group/version/kind, strict decoding of `spec`,
// top-level field check, metadata checks, the kind's semantic rules, the
// Kubernetes Service/Deployment checks), reported as diagnostics.
//
// ---------------------------------------------------------------------------
// How to add (or complete) a kind
//   1. Descriptors: describe its proto messages in the schema language (see
//      lib/validate/schemas_networking.cc) in lib/validate/schemas_<area>.cc as
//      `extern const std::string_view kFooSchema = R"(package ...)";`, declare
//      it in schema_sources.h and add a row in SchemaSources()
//      (schema_sources.cc). Unknown fields, types, enums, durations, maps,
//      wrappers then decode exactly like istioctl (jsonpb) without more code.
//   2. Validator: `void ValidateFoo(const model::Resource& r, const
//      ValidateContext& ctx, Findings& out)` in lib/validate/<area>.cc,
//      declared in lib/validate/kinds.h. `r.spec` is the *normalised* spec
//      (lib/validate/schema.h): JSON field names only, null/[] removed,
//      enum numbers turned into names, never nullptr. Read it with the
//      accessors of lib/validate/helpers.h (Get, Str, Int, Bool, Enum, ...),
//      report with out.Error(path, text) / out.Warning(path, text); the path
//      is rooted at the object ("spec.rules[0].from[1]") and gives the
//      file:line:col. Shared Istio helpers (H-PORT, H-LABELS, H-SELECTOR,
//      H-TARGETREF, H-EXPORTTO, durations, hosts, header names, regexes...)
//      are in helpers.h.
//   3. Table: put the function in the kind's row of kKinds (kinds.cc); the
//      row already names group, kind, accepted versions and proto message.
//      Metadata checks (spec §3) run before the validator for every kind.
//   4. Tests: tests/lib/validate/<area>_test.cc; the conformance runner
//      (ctest `conformance-validate`) reports per-kind pass rates.
// ---------------------------------------------------------------------------
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/diag/sink.h"
#include "lib/model/snapshot.h"
#include "lib/validate/findings.h"

namespace meshctl::validate {

// Message codes (lib/diag/catalog.cc).
inline constexpr std::string_view kValidationError = "MSH0100";      // Istio's error text
inline constexpr std::string_view kValidationWarning = "MSH0101";    // Istio's warning text
inline constexpr std::string_view kUnservedApiVersion = "MSH0102";   // Istio group, version Istio does not serve
inline constexpr std::string_view kDeploymentLabelNotice = "MSH0103";  // istioctl's telemetry-label notice

// One row of the kind table: what istioctl accepts (spec §2).
struct KindEntry {
  std::string_view group;
  std::string_view kind;
  std::vector<std::string_view> versions;  // canonical first, then aliases
  std::string_view message;                // proto full name of spec
  KindValidator validator;                 // nullptr: decoding + metadata checks only
};

const std::vector<KindEntry>& AllKinds();
// Exact group/kind/version match (istioctl's FindByGroupVersionAliasesKind).
const KindEntry* FindKind(std::string_view group, std::string_view kind, std::string_view version);
// Group/kind match whatever the version (for the unserved-version warning).
const KindEntry* FindKindAnyVersion(std::string_view group, std::string_view kind);

// The findings for one resource (without positions): what istioctl would
// report for this document. The Deployment notice is a warning here.
Findings ValidateResource(const model::Resource& r, const ValidateContext& ctx);

// The diagnostics (MSH0100-0103, positions resolved) for one resource.
// With `analysis_aware`, warnings Istio raises as AnalysisAwareErrors
// (unreachable rules, ineffective matches) get kAnalysisAwareWarning instead
// of kValidationWarning so the schema analyzer can tell them apart.
inline constexpr std::string_view kAnalysisAwareWarning = "IST0130";
std::vector<diag::Diagnostic> ValidateResourceDiagnostics(const model::Resource& r, const ValidateContext& ctx,
                                                          bool analysis_aware = false);

// Validates every resource of the snapshot and reports MSH0100 (errors),
// MSH0101 (warnings), MSH0102 and MSH0103, each with the message text as
// Istio prints it and the position of the field it is about.
void ValidateSnapshot(const model::Snapshot& snap, const ValidateContext& ctx, diag::DiagnosticSink& sink);

// istioctl's error prefix "<Kind>/<original namespace>/<name>".
std::string IstioctlPrefix(const model::Resource& r);

}  // namespace meshctl::validate
