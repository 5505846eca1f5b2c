#include "lib/output/renderer.h"

#include <cctype>
#include <filesystem>
#include <system_error>

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

diag::Diagnostic LoadErrorDiagnostic(const core::Status& error) {
  diag::Diagnostic d;
  d.code = "MSH0207";
  d.severity = diag::Severity::kError;
  d.message = error.message();
  // "PATH:LINE:COL: text": the first ":digits:digits: " (a path may hold ':').
  const std::string& m = error.message();
  for (size_t i = m.find(':'); i != std::string::npos; i = m.find(':', i + 1)) {
    size_t j = i + 1, line_begin = j;
    while (j < m.size() && std::isdigit(static_cast<unsigned char>(m[j]))) ++j;
    if (j == line_begin || j - line_begin > 9 || j >= m.size() || m[j] != ':') continue;
    size_t col_begin = ++j;
    while (j < m.size() && std::isdigit(static_cast<unsigned char>(m[j]))) ++j;
    if (j == col_begin || j - col_begin > 9 || m.compare(j, 2, ": ") != 0) continue;
    d.file = m.substr(0, i);
    d.mark.line = static_cast<decltype(d.mark.line)>(std::stoul(m.substr(line_begin, col_begin - 1 - line_begin)));
    d.mark.column = static_cast<decltype(d.mark.column)>(std::stoul(m.substr(col_begin, j - col_begin)));
    d.message = m.substr(j + 2);
    break;
  }
  if (d.file == "-") d.file.clear();  // standard input has no artifact
  return d;
}

namespace {

std::string PercentEncodePath(std::string_view p) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char c : p) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || std::string_view("-._~/!$&'()*+,;=:@").find(c) != std::string_view::npos) {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

}  // namespace

std::string SarifUri(const std::string& file, const std::string& root) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  fs::path abs = fs::path(file).is_absolute() ? fs::path(file) : cwd / file;
  abs = fs::weakly_canonical(abs, ec);
  if (ec) abs = (fs::path(file).is_absolute() ? fs::path(file) : cwd / file).lexically_normal();
  fs::path base = root.empty() ? cwd : (fs::path(root).is_absolute() ? fs::path(root) : cwd / root);
  fs::path canon_base = fs::weakly_canonical(base, ec);
  if (!ec) base = canon_base;
  fs::path rel = abs.lexically_relative(base);
  std::string r = rel.generic_string();
  if (!rel.empty() && r != ".." && r.rfind("../", 0) != 0) {
    // A relative reference must not look like a scheme ("c:x") in its first segment.
    size_t colon = r.find(':'), slash = r.find('/');
    if (colon != std::string::npos && (slash == std::string::npos || colon < slash)) r = "./" + r;
    return PercentEncodePath(r);
  }
  return "file://" + PercentEncodePath(abs.generic_string());
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
