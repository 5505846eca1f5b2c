#include "lib/diag/filter.h"

#include <algorithm>
#include <tuple>

#include "lib/core/strings.h"
#include "lib/model/resource.h"

namespace meshctl::diag {

core::Result<SuppressRule> ParseSuppressRule(std::string_view text) {
  auto parts = core::Split(text, '=');
  if (parts.size() != 2 || parts[0].empty() || parts[1].empty()) {
    return core::InvalidArgument("invalid suppression \"" + std::string(text) +
                                 "\": expected CODE=<Kind ns/name glob>, e.g. IST0102=Namespace frod");
  }
  return SuppressRule{parts[0], parts[1]};
}

namespace {

bool SuppressedByAnnotation(const Diagnostic& d) {
  if (!d.resource) return false;
  std::string_view v = d.resource->Annotation(kSuppressAnnotation);
  if (v.empty()) return false;
  if (v == "*") return true;
  for (const auto& code : core::Split(v, ','))
    if (code == d.code) return true;
  return false;
}

bool SuppressedByRule(const Diagnostic& d, const std::vector<SuppressRule>& rules) {
  if (rules.empty() || !d.has_resource()) return false;
  std::string origin = d.Origin();
  for (const auto& r : rules)
    if ((r.code == "*" || r.code == d.code) && core::GlobMatch(r.glob, origin)) return true;
  return false;
}

bool OutsideNamespace(const Diagnostic& d, const std::string& ns) {
  if (d.kind == "Namespace") return d.name != ns;
  return !d.ns.empty() && d.ns != ns;
}

}  // namespace

void SortDiagnostics(std::vector<Diagnostic>& diags) {
  auto key = [](const Diagnostic& d) {
    return std::make_tuple(-static_cast<int>(d.severity), std::cref(d.code), d.kind + "/" + d.name + "/" + d.ns,
                           d.ToString(), std::cref(d.file), d.mark.line, d.mark.column, std::cref(d.field_path));
  };
  std::stable_sort(diags.begin(), diags.end(), [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
}

std::vector<Diagnostic> FilterDiagnostics(std::vector<Diagnostic> diags, const FilterOptions& opts) {
  std::vector<Diagnostic> kept;
  kept.reserve(diags.size());
  for (auto& d : diags) {
    if (opts.namespace_filter && OutsideNamespace(d, *opts.namespace_filter)) continue;
    if (opts.honor_annotation && SuppressedByAnnotation(d)) continue;
    if (SuppressedByRule(d, opts.suppressions)) continue;
    kept.push_back(std::move(d));
  }
  SortDiagnostics(kept);
  std::vector<Diagnostic> out;
  out.reserve(kept.size());
  for (auto& d : kept) {
    if (!out.empty() && out.back().ToString() == d.ToString() && out.back().mark.column == d.mark.column) continue;
    out.push_back(std::move(d));
  }
  return out;
}

bool AnyAtOrAbove(const std::vector<Diagnostic>& diags, Severity threshold) {
  return std::any_of(diags.begin(), diags.end(), [&](const Diagnostic& d) { return d.severity >= threshold; });
}

std::vector<Diagnostic> AtOrAbove(const std::vector<Diagnostic>& diags, Severity threshold) {
  std::vector<Diagnostic> out;
  for (const auto& d : diags)
    if (d.severity >= threshold) out.push_back(d);
  return out;
}

}  // namespace meshctl::diag
