// The one stage that decides which findings are shown: namespace
// selection, suppressions (flag and resource annotation), de-duplication and
// a stable order. Checks never look at suppressions themselves.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/diag/diagnostic.h"

namespace meshctl::diag {

// `-S CODE=<glob>`: the glob (`*` matches anything, '/' included) is matched
// against the origin "Kind ns/name". CODE may be `*` too.
struct SuppressRule {
  std::string code;
  std::string glob;
};

// Parses "IST0102=Namespace frod" / "*=Pod default/*". Exactly one '=' with
// text on both sides, else InvalidArgument.
core::Result<SuppressRule> ParseSuppressRule(std::string_view text);

inline constexpr std::string_view kSuppressAnnotation = "galley.istio.io/analyze-suppress";

struct FilterOptions {
  // When set, drop findings about a resource in another (non-empty)
  // namespace; a Namespace resource is compared by its own name.
  std::optional<std::string> namespace_filter;
  std::vector<SuppressRule> suppressions;
  bool honor_annotation = true;
};

// Applies namespace selection and suppressions, then sorts (severity, code,
// origin, text, position) and removes adjacent duplicates.
std::vector<Diagnostic> FilterDiagnostics(std::vector<Diagnostic> diags, const FilterOptions& opts);

// Sorts the way istioctl does (Error first, then code, origin, text), with
// file and position as tie-breakers so the order is fully stable.
void SortDiagnostics(std::vector<Diagnostic>& diags);

bool AnyAtOrAbove(const std::vector<Diagnostic>& diags, Severity threshold);
std::vector<Diagnostic> AtOrAbove(const std::vector<Diagnostic>& diags, Severity threshold);

}  // namespace meshctl::diag
