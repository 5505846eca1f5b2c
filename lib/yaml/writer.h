// Writing Node trees back out: YAML through yaml-cpp's emitter (the only
// place meshctl uses yaml-cpp; reading goes through libyaml) and JSON by
// hand. Map key order is kept. Scalars keep their type when re-read by
// go-yaml v2 / sigs.k8s.io/yaml: a string that would resolve to another type
// as a plain scalar ("10", "true", "yes", "null", "0777", "") is double
// quoted, numbers and bools are written plain, multi-line strings as literal
// blocks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/yaml/node.h"

namespace meshctl::yaml {

struct WriteOptions {
  int indent = 2;
  // kubectl's layout: a sequence under a map key starts at the key's column
  // (`hosts:\n- reviews`) instead of two further in.
  bool indentless_sequences = true;
};

// One YAML document (no `---`), ending with a newline.
core::Result<std::string> WriteYaml(const Node& node, const WriteOptions& opts = {});

// Several documents separated by `---` lines.
core::Result<std::string> WriteYamlStream(const std::vector<const Node*>& docs, const WriteOptions& opts = {});

// `key: value` as a block mapping entry, every line but the first indented
// by `indent` spaces, for splicing a changed entry into existing text. Ends
// with a newline.
core::Result<std::string> WriteYamlEntry(const std::string& key, const Node& value, int indent,
                                         bool indentless_sequences = true);

// Rewrites yaml-cpp block output (indent 2) so that sequences under map keys
// start at the key's column. Literal blocks are left as they are.
std::string IndentlessSequences(const std::string& yaml);

// Whether existing YAML text writes sequences under keys indentless
// (kubectl) or indented; the first such sequence decides, kubectl's layout
// when there is none.
bool UsesIndentlessSequences(std::string_view text);

// JSON with `indent` spaces per level (0 = compact, one line). Numbers are
// written canonically (0x1F -> 31); YAML floats JSON cannot hold (.inf,
// .nan) become strings. Ends with a newline.
std::string WriteJson(const Node& node, int indent = 2);

// Appends `s` as a JSON string literal (quotes, escapes, control bytes as
// \u00XX); the text is taken as UTF-8 and passed through.
void AppendJsonString(std::string& out, std::string_view s);

// True when `text`, written as a plain YAML scalar, would be read back as
// something other than this string (a number, bool, null, or not parse).
bool NeedsQuotes(const std::string& text);

}  // namespace meshctl::yaml
