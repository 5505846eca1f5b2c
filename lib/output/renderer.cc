#include "lib/output/renderer.h"

#include "lib/core/strings.h"

namespace meshctl::output {

const std::vector<FormatSpec>& AllFormats() {
  static const std::vector<FormatSpec> kFormats = {
      {"github", "GitHub Actions workflow annotations (::error file=...)", MakeGithubRenderer},
      {"json", "JSON array, istioctl's fields plus file, line, column", MakeJsonRenderer},
      {"log", "istioctl's text lines (default)", MakeLogRenderer},
      {"sarif", "SARIF 2.1.0 for code scanning", MakeSarifRenderer},
      {"yaml", "YAML list, istioctl's fields plus file, line, column", MakeYamlRenderer},
  };
  return kFormats;
}

std::vector<std::string> FormatNames() {
  std::vector<std::string> out;
  for (const auto& f : AllFormats()) out.emplace_back(f.name);
  return out;
}

core::Result<std::unique_ptr<Renderer>> MakeRenderer(std::string_view format, const RenderOptions& opts) {
  std::string f = core::ToLower(format);
  for (const auto& spec : AllFormats())
    if (f == spec.name) return spec.make(opts);
  return core::InvalidArgument(std::string(format) + " not a valid option for format (choose from " +
                               core::Join(FormatNames(), ", ") + ")");
}

std::string GoStyleJsonEscape(std::string s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '<': out += "\\u003c"; break;
      case '>': out += "\\u003e"; break;
      case '&': out += "\\u0026"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace meshctl::output
