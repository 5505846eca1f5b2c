// Small string helpers shared by every layer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl::core {

std::vector<std::string> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
std::string ToLower(std::string_view s);
std::string ToUpper(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
std::string_view Trim(std::string_view s);
// Glob with `*` matching any run of characters ('/' included) and `?` one.
bool GlobMatch(std::string_view pattern, std::string_view text);
// Go's %q for the common cases: double quotes, backslash escapes, \t \n \r, \xNN
// for other control bytes. Valid UTF-8 passes through unchanged.
std::string GoQuote(std::string_view s);
// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(std::string_view a, std::string_view b);

// Appends code point `cp` (at most 0x10FFFF, not a surrogate) encoded as UTF-8.
void AppendUtf8(std::string& out, uint32_t cp);

}  // namespace meshctl::core
