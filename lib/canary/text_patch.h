// Applies changes made to a loaded document tree back to the file text it
// came from, touching as little text as possible: a changed scalar is
// replaced in place, new map keys and sequence items are inserted after the
// block they extend, and anything else re-writes only the smallest enclosing
// `key: value` entry. Comments and formatting elsewhere in the file stay
// byte for byte. This is what makes `canary -o diff` and `--in-place` show
// only the intended change.
#pragma once

#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/yaml/node.h"

namespace meshctl::canary {

struct TreeChange {
  const yaml::Node* before = nullptr;  // a root as loaded from `text` (with positions)
  const yaml::Node* after = nullptr;   // its replacement
};

// Returns `text` with every change applied. `json` selects JSON spelling for
// replaced scalars; a JSON file whose structure changes is re-written whole
// (it holds one document). `appended` documents are added at the end of a
// YAML file after a `---` separator.
core::Result<std::string> PatchText(const std::string& text, bool json, const std::vector<TreeChange>& changes,
                                    const std::vector<const yaml::Node*>& appended);

}  // namespace meshctl::canary
