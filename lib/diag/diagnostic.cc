#include "lib/diag/diagnostic.h"

#include "lib/core/strings.h"

namespace meshctl::diag {

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "Info";
    case Severity::kWarning: return "Warning";
    case Severity::kError: return "Error";
  }
  return "Error";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  std::string l = core::ToLower(s);
  if (l == "info") return Severity::kInfo;
  if (l == "warning") return Severity::kWarning;
  if (l == "error") return Severity::kError;
  return std::nullopt;
}

std::string Diagnostic::Origin() const {
  if (!has_resource()) return "";
  return kind + " " + (ns.empty() ? name : ns + "/" + name);
}

std::string Diagnostic::Reference() const {
  if (file.empty()) return "";
  if (!mark.known()) return file;
  return file + ":" + std::to_string(mark.line);
}

std::string Diagnostic::ToString() const {
  std::string out(SeverityName(severity));
  out += " [" + code + "]";
  if (has_resource()) {
    if (!cluster.empty()) out += " [cluster-" + cluster + "]";
    out += " (" + Origin();
    std::string ref = Reference();
    if (!ref.empty()) out += " " + ref;
    out += ")";
  }
  out += " " + message;
  return out;
}

}  // namespace meshctl::diag
