// The catalog of message codes: Istio's (IST####, with Istio's name, level
// and text template, so suppressions and istio.io pages keep working) and
// meshctl's own (MSH####). Codes are never reused; retired ones stay listed.
//
// To add a message: add a row to kMessages in catalog.cc (sorted by code)
// with its template (Go printf verbs %s %q %v %d), a one-line summary and
// how to fix it (shown by `meshctl analyze --explain CODE`).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lib/diag/diagnostic.h"

namespace meshctl::diag {

struct MessageType {
  std::string_view code;
  std::string_view name;  // Istio's message name, or ours
  Severity level;
  std::string_view tmpl;  // Go printf template
  std::string_view description;
  std::string_view fix;
  bool retired = false;
};

const std::vector<MessageType>& AllMessages();
const MessageType* FindMessage(std::string_view code);

// istio.io reference page for IST codes, its section of docs/analyze.md for MSH codes.
std::string DocumentationUrl(std::string_view code);

// An argument of a message template.
using Arg = std::variant<std::string, int64_t, std::vector<std::string>, std::vector<int64_t>>;

// Renders a Go printf template with %s %v %q %d and %%, as fmt.Sprintf does
// for strings, integers and slices ([a b]).
std::string FormatGo(std::string_view tmpl, const std::vector<Arg>& args);

}  // namespace meshctl::diag
