#include "commands/common.h"

#include <cstdlib>

#include "lib/io/input_source.h"

namespace meshctl::commands {

std::optional<io::InputSet> ReadInputsOrReport(const std::vector<std::string>& paths, CommandContext& ctx) {
  auto inputs = io::NewFileSource(paths, *ctx.in, ctx.read_options)->Read();
  if (!inputs.ok()) {
    *ctx.err << "Error: " << inputs.status().message() << "\n";
    ctx.input_error_exit = inputs.status().ExitCode();
    return std::nullopt;
  }
  return std::move(inputs).value();
}

void AddInputLimitFlag(CLI::App* cmd, CommandContext& ctx) {
  cmd->add_option_function<std::string>(
         "--max-input-size",
         [&ctx](const std::string& v) {
           auto n = io::ParseByteSize(v);
           if (!n.ok()) throw CLI::ValidationError("--max-input-size", n.status().message());
           ctx.read_options.max_bytes = *n;
         },
         "Most input read in total (files and stdin), e.g. 1Gi; default 256Mi")
      ->type_name("SIZE");
}

core::Result<std::string> ReadOneInput(const std::string& path, CommandContext& ctx) {
  if (path == "-") return io::ReadStream(*ctx.in, "standard input", ctx.read_options);
  return io::ReadFile(path, ctx.read_options);
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
