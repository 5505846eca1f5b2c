// Renderers turn the filtered findings into one output format. All share
// this interface and write to the stream they are handed.
//
// To add a format: a class in lib/output/<format>_renderer.cc, a row in
// kFormats (renderer.cc), a golden test in tests/lib/output/.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/diag/diagnostic.h"

namespace meshctl::output {

struct RenderOptions {
  bool color = false;
  std::string tool_name = "meshctl";
  // SARIF artifact URIs are relative to this directory (--sarif-root; the
  // working directory when empty), as code scanning resolves them against
  // the repository root. Relative input paths are taken from the working
  // directory. A file outside it keeps an absolute file:// URI.
  std::string sarif_root;
};

class Renderer {
 public:
  virtual ~Renderer() = default;
  virtual void Render(const std::vector<diag::Diagnostic>& diags, std::ostream& out) const = 0;
};

struct FormatSpec {
  const char* name;
  const char* summary;
  std::unique_ptr<Renderer> (*make)(const RenderOptions&);
};

// log, json, yaml, sarif, github: sorted.
const std::vector<FormatSpec>& AllFormats();
std::vector<std::string> FormatNames();
// Case-insensitive lookup; InvalidArgument naming the choices when unknown.
core::Result<std::unique_ptr<Renderer>> MakeRenderer(std::string_view format, const RenderOptions& opts);

std::unique_ptr<Renderer> MakeLogRenderer(const RenderOptions& opts);
std::unique_ptr<Renderer> MakeJsonRenderer(const RenderOptions& opts);
std::unique_ptr<Renderer> MakeYamlRenderer(const RenderOptions& opts);
std::unique_ptr<Renderer> MakeSarifRenderer(const RenderOptions& opts);
std::unique_ptr<Renderer> MakeGithubRenderer(const RenderOptions& opts);

// A file or document that could not be loaded ("file:line:col: message", as
// the YAML reader and the loader word it), as an MSH0207 Error finding so the
// machine formats show it where they show findings.
diag::Diagnostic LoadErrorDiagnostic(const core::Status& error);

// The SARIF artifact URI of `file` (see RenderOptions::sarif_root): a
// relative, percent-encoded URI reference, or file:///... outside the root.
std::string SarifUri(const std::string& file, const std::string& root);

// Writes JSON the way Go's encoding/json does: HTML characters escaped
// (\u003c \u003e \u0026), so output matches istioctl byte for byte.
std::string GoStyleJsonEscape(std::string json_text);

}  // namespace meshctl::output
