// JSON loading into the same position-carrying Node tree as YAML, so a .json
// manifest gets file:line:col findings too. Strict RFC 8259 plus: several
// top-level values in one file are read as a stream (kubectl accepts this).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/yaml/parser.h"

namespace meshctl::json {

// Parses `content` as one or more JSON values. Duplicate object keys are an
// error, as in the YAML loader. Errors are DataError "file:line:col: message".
core::Result<std::vector<yaml::Document>> ParseJsonStream(std::string_view content, const std::string& filename,
                                                          const yaml::ParseLimits& limits = {});

// Same, stricter where fast JSON parsers (simdjson) are: a number outside
// a double's range (1e400), a \u escape that is a lone surrogate, and
// invalid UTF-8 inside a string are errors with their position. Used to
// say where a document that simdjson rejects goes wrong.
core::Result<std::vector<yaml::Document>> ParseJsonStrict(std::string_view content, const std::string& filename,
                                                          const yaml::ParseLimits& limits = {});

}  // namespace meshctl::json
