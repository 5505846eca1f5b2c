// Line-based unified diff in go-difflib's format (what istioctl prints for
// sync diffs): "--- a\n+++ b\n@@ -1,5 +1,6 @@\n" hunks with `context` lines.
// The edit script is a Myers shortest edit; past `max_edits` differences it
// falls back to "replace everything" (still correct, just coarser).
#pragma once

#include <string>

namespace meshctl::xds {

// "" when the texts are equal.
std::string UnifiedDiff(const std::string& a, const std::string& b, const std::string& from_name,
                        const std::string& to_name, int context = 7, int max_edits = 20000);

}  // namespace meshctl::xds
