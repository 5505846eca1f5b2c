// Where checks send their findings. A check names the message code, the
// resource and the field path; the sink renders the message from the
// catalog and resolves the path to the position the loader recorded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/diag/catalog.h"
#include "lib/diag/diagnostic.h"
#include "lib/model/resource.h"

namespace meshctl::diag {

class DiagnosticSink {
 public:
  // Reports `code` (from the catalog) about `r`, formatting its template with
  // `args`. `field_path` (`spec.ports[0].port`) picks the position; "" means
  // the document start.
  void Report(std::string_view code, const model::Resource& r, std::string_view field_path, std::vector<Arg> args);
  // Same with a ready message text and an explicit severity (validation
  // messages carry Istio's validator text, not a catalog template).
  void ReportText(std::string_view code, Severity severity, const model::Resource* r, std::string_view field_path,
                  std::string message);
  void Add(Diagnostic d) { diags_.push_back(std::move(d)); }

  const std::vector<Diagnostic>& diagnostics() const { return diags_; }
  std::vector<Diagnostic> Take() { return std::move(diags_); }
  size_t size() const { return diags_.size(); }

 private:
  std::vector<Diagnostic> diags_;
};

// Fills the resource identity and position fields of `d` from `r`.
void Attach(Diagnostic& d, const model::Resource& r, std::string_view field_path);

}  // namespace meshctl::diag
