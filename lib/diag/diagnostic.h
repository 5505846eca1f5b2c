// A finding about the user's configuration: code, severity, message, the
// resource it is about and where (file:line:col and field path).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "lib/yaml/node.h"

namespace meshctl::model {
struct Resource;
}

namespace meshctl::diag {

// Ordered so that a larger value is more severe.
enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };

std::string_view SeverityName(Severity s);  // "Info", "Warning", "Error"
// Case-insensitive "info" / "warning" / "error".
std::optional<Severity> ParseSeverity(std::string_view s);

struct Diagnostic {
  std::string code;  // IST0101, MSH0001
  Severity severity = Severity::kError;
  std::string message;

  // The resource the finding is about; empty kind when there is none.
  std::string kind;
  std::string ns;
  std::string name;

  std::string file;  // "" when the resource did not come from a file
  yaml::Mark mark;   // 1-based; unknown when no position
  std::string field_path;
  bool from_cluster = false;  // the resource was read from the API server
  // Multi-cluster analysis: the cluster (kubeconfig context) the resource
  // belongs to; "" otherwise. Printed as istioctl does: "[cluster-NAME]".
  std::string cluster;

  // The resource itself, for the suppression annotation; may be nullptr.
  const model::Resource* resource = nullptr;

  bool has_resource() const { return !kind.empty(); }
  // "Kind ns/name" or "Kind name".
  std::string Origin() const;
  // "file:line" as istioctl prints it ("" without a file). Unlike istioctl,
  // .json files get a line too.
  std::string Reference() const;
  // istioctl's message string: "Error [IST0101] (Kind ns/name file:line) text",
  // with " [cluster-NAME]" before the parenthesis in multi-cluster analysis.
  std::string ToString() const;
};

}  // namespace meshctl::diag
