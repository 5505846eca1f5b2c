#include "commands/common.h"

#include <cstdlib>

#include "lib/io/input_source.h"

namespace meshctl::commands {

std::optional<io::InputSet> ReadInputsOrReport(const std::vector<std::string>& paths, CommandContext& ctx) {
  auto inputs = io::NewFileSource(paths, *ctx.in)->Read();
  if (!inputs.ok()) {
    *ctx.err << "Error: " << inputs.status().message() << "\n";
    return std::nullopt;
  }
  return std::move(inputs).value();
}

bool UseColor(const std::string& flag, const CommandContext& ctx) {
  std::string f = core::ToLower(flag);
  if (f == "true" || f.empty() || f == "always") return true;
  if (f == "false" || f == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* term = std::getenv("TERM");
  if (term && std::string(term) == "dumb") return false;
  return ctx.stdout_is_tty;
}

}  // namespace meshctl::commands
