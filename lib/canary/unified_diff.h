// Unified diffs (`diff -u` format) between two texts, for `meshctl canary
// -o diff`. Lines are compared whole; the common head and tail are trimmed
// first, so a few changed weights in a large file cost little.
#pragma once

#include <string>

namespace meshctl::canary {

struct DiffOptions {
  int context = 3;  // unchanged lines shown around each change
};

// The diff of `before` -> `after` with `--- a_label` / `+++ b_label`
// headers, or "" when the texts are equal.
std::string UnifiedDiff(const std::string& before, const std::string& after, const std::string& a_label,
                        const std::string& b_label, const DiffOptions& opts = {});

}  // namespace meshctl::canary
