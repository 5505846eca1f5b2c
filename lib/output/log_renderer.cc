// istioctl analyze's default text output, byte for byte:
//   <Level> [<CODE>] (<Kind> <ns>/<name> <file>:<line>) <message>
// with istioctl's colours on a terminal.
#include "lib/output/renderer.h"

namespace meshctl::output {

namespace {

class LogRenderer : public Renderer {
 public:
  explicit LogRenderer(const RenderOptions& opts) : opts_(opts) {}

  void Render(const std::vector<diag::Diagnostic>& diags, std::ostream& out) const override {
    if (diags.empty()) {
      out << "\n";
      return;
    }
    for (const auto& d : diags) {
      std::string line = d.ToString();
      if (opts_.color) {
        std::string_view level = diag::SeverityName(d.severity);
        std::string prefix;
        switch (d.severity) {
          case diag::Severity::kError: prefix = "\033[1;31m"; break;
          case diag::Severity::kWarning: prefix = "\033[33m"; break;
          case diag::Severity::kInfo: break;
        }
        line = prefix + std::string(level) + "\033[0m" + line.substr(level.size());
      }
      out << line << "\n";
    }
  }

 private:
  RenderOptions opts_;
};

}  // namespace

std::unique_ptr<Renderer> MakeLogRenderer(const RenderOptions& opts) { return std::make_unique<LogRenderer>(opts); }

}  // namespace meshctl::output
