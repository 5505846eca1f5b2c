// GitHub Actions workflow annotations, one line per finding:
//   ::error file=F,line=L,col=C,title=CODE Kind ns/name::message
// so findings show up on the pull request's changed lines.
#include "lib/output/renderer.h"

namespace meshctl::output {

namespace {

// GitHub Actions workflow commands: ::error file=F,line=L,col=C,title=T::message
std::string EscapeData(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string EscapeProperty(std::string_view s) {
  std::string out;
  for (char c : EscapeData(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

class GithubRenderer : public Renderer {
 public:
  void Render(const std::vector<diag::Diagnostic>& diags, std::ostream& out) const override {
    for (const auto& d : diags) {
      std::string_view cmd = d.severity == diag::Severity::kError     ? "error"
                             : d.severity == diag::Severity::kWarning ? "warning"
                                                                      : "notice";
      out << "::" << cmd << " ";
      std::vector<std::string> props;
      if (!d.file.empty() && d.file != "-") {
        props.push_back("file=" + EscapeProperty(d.file));
        if (d.mark.known()) {
          props.push_back("line=" + std::to_string(d.mark.line));
          props.push_back("col=" + std::to_string(d.mark.column));
        }
      }
      std::string title = d.code;
      if (d.has_resource()) title += " " + d.Origin();
      props.push_back("title=" + EscapeProperty(title));
      for (size_t i = 0; i < props.size(); ++i) out << (i ? "," : "") << props[i];
      out << "::" << EscapeData(d.message) << "\n";
    }
  }
};

}  // namespace

std::unique_ptr<Renderer> MakeGithubRenderer(const RenderOptions&) { return std::make_unique<GithubRenderer>(); }

}  // namespace meshctl::output
