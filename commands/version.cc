// `meshctl version [-o json|yaml|short]`
#include <nlohmann/json.hpp>

#include "commands/command.h"
#include "lib/core/exit_codes.h"
#include "lib/core/version.h"

namespace meshctl::commands {

namespace {
struct VersionOptions {
  std::string output = "short";
};
}  // namespace

void RegisterVersion(CLI::App& root, CommandContext& ctx) {
  auto opts = std::make_shared<VersionOptions>();
  auto* cmd = root.add_subcommand("version", "Print the meshctl version");
  cmd->add_option("-o,--output", opts->output, "Output format")
      ->check(CLI::IsMember({"short", "json", "yaml"}))
      ->capture_default_str();
  cmd->callback([opts, &ctx] {
    auto info = core::GetVersionInfo();
    if (opts->output == "json") {
      nlohmann::ordered_json j = {{"meshctlVersion", {{"version", info.version},
                                                      {"compatibleIstioVersion", info.istio_version},
                                                      {"compiler", info.compiler}}}};
      *ctx.out << j.dump(2) << "\n";
    } else if (opts->output == "yaml") {
      *ctx.out << "meshctlVersion:\n  compatibleIstioVersion: \"" << info.istio_version << "\"\n  compiler: "
               << info.compiler << "\n  version: " << info.version << "\n";
    } else {
      *ctx.out << "meshctl version: " << info.version << "\n";
    }
    ctx.exit_code = core::kExitOk;
  });
}

}  // namespace meshctl::commands
