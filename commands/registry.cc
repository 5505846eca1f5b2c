#include <algorithm>

#include "commands/command.h"
#include "lib/core/exit_codes.h"
#include "lib/core/strings.h"

namespace meshctl::commands {

void RegisterAnalyze(CLI::App& root, CommandContext& ctx);
void RegisterCanary(CLI::App& root, CommandContext& ctx);
void RegisterCompletion(CLI::App& root, CommandContext& ctx);
void RegisterProxyConfig(CLI::App& root, CommandContext& ctx);
void RegisterValidate(CLI::App& root, CommandContext& ctx);
void RegisterVersion(CLI::App& root, CommandContext& ctx);

const std::vector<CommandSpec>& AllCommands() {
  static const std::vector<CommandSpec> kCommands = {
      {"analyze", "Analyze Istio configuration and report findings", RegisterAnalyze},
      {"canary", "Generate or patch traffic shifting for a canary release", RegisterCanary},
      {"completion", "Print a shell completion script (bash, zsh, fish)", RegisterCompletion},
      {"proxy-config", "Show Envoy configuration from an admin endpoint or a saved dump", RegisterProxyConfig},
      {"validate", "Validate Istio resources like istioctl validate, with positions", RegisterValidate},
      {"version", "Print the meshctl version", RegisterVersion},
  };
  return kCommands;
}

void BuildApp(CLI::App& app, CommandContext& ctx) {
  app.require_subcommand(1);
  app.fallthrough(false);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  for (const auto& c : AllCommands()) c.reg(app, ctx);
}

namespace {

// The closest subcommand name for a mistyped one, or "".
std::string Suggest(const CLI::App& app, const std::string& word) {
  std::string best;
  size_t best_d = 3;  // at most two edits away
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    std::vector<std::string> names = {sub->get_name()};
    for (const auto& a : sub->get_aliases()) names.push_back(a);
    for (const auto& n : names) {
      size_t d = core::EditDistance(word, n);
      if (d < best_d || (d > 0 && n.rfind(word, 0) == 0 && best.empty())) {
        best_d = d;
        best = sub->get_name();
      }
    }
  }
  return best;
}

}  // namespace

int RunCli(int argc, const char* const* argv, CommandContext& ctx) {
  CLI::App app{"meshctl: service-mesh operations for Istio (validate, analyze, proxy-status, proxy-config, canary)",
               "meshctl"};
  BuildApp(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    *ctx.out << app.help();
    return core::kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    *ctx.out << app.help("", CLI::AppFormatMode::All);
    return core::kExitOk;
  } catch (const CLI::CallForVersion& e) {
    *ctx.out << e.what() << "\n";
    return core::kExitOk;
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    // CLI11 reports an unknown subcommand as extra positional arguments or a
    // missing subcommand; turn it into kubectl's wording with a hint.
    if (argc > 1 && argv[1][0] != '-') {
      bool known = false;
      for (const auto& c : AllCommands()) known |= (argv[1] == std::string(c.name));
      for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
        for (const auto& a : sub->get_aliases()) known |= (argv[1] == a);
      if (!known) {
        *ctx.err << "Error: unknown command \"" << argv[1] << "\" for \"meshctl\"\n";
        std::string hint = Suggest(app, argv[1]);
        if (!hint.empty()) *ctx.err << "\nDid you mean this?\n\t" << hint << "\n";
        *ctx.err << "\nRun 'meshctl --help' for usage.\n";
        return core::kExitUsage;
      }
    }
    *ctx.err << "Error: " << msg << "\n";
    *ctx.err << "Run 'meshctl " << (argc > 1 ? std::string(argv[1]) + " " : std::string()) << "--help' for usage.\n";
    return core::kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace meshctl::commands
