#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "commands/command.h"
#include "lib/core/exit_codes.h"
#include "lib/core/strings.h"

namespace meshctl::commands {

void RegisterAnalyze(CLI::App& root, CommandContext& ctx);
void RegisterCanary(CLI::App& root, CommandContext& ctx);
void RegisterCompletion(CLI::App& root, CommandContext& ctx);
void RegisterExplain(CLI::App& root, CommandContext& ctx);
void RegisterProxyConfig(CLI::App& root, CommandContext& ctx);
void RegisterProxyStatus(CLI::App& root, CommandContext& ctx);
void RegisterValidate(CLI::App& root, CommandContext& ctx);
void RegisterVersion(CLI::App& root, CommandContext& ctx);
void RegisterWaypoint(CLI::App& root, CommandContext& ctx);
void RegisterZtunnelConfig(CLI::App& root, CommandContext& ctx);

const std::vector<CommandSpec>& AllCommands() {
  static const std::vector<CommandSpec> kCommands = {
      {"analyze", "Analyze Istio configuration and report findings", RegisterAnalyze},
      {"canary", "Generate or patch traffic shifting for a canary release", RegisterCanary},
      {"completion", "Print a shell completion script (bash, zsh, fish)", RegisterCompletion, nullptr, true},
      {"explain", "Walk one request through the mesh config and an Envoy dump", RegisterExplain},
      {"proxy-config", "Show Envoy configuration from an admin endpoint or a saved dump", RegisterProxyConfig, "pc"},
      {"proxy-status", "Sync state of proxies over xDS (istiod syncz, CSDS) and per-proxy diff", RegisterProxyStatus,
       "ps"},
      {"validate", "Validate Istio resources like istioctl validate, with positions", RegisterValidate, "v"},
      {"version", "Print the meshctl version (--remote: also the mesh's)", RegisterVersion},
      {"waypoint", "A group of commands used to manage waypoint configuration (a live cluster or saved state)",
       RegisterWaypoint},
      {"ztunnel-config",
       "A group of commands used to update or retrieve Ztunnel configuration from a Ztunnel instance "
       "(a live admin port or a saved config_dump)",
       RegisterZtunnelConfig, "zc"},
  };
  return kCommands;
}

namespace {

void SetUpRoot(CLI::App& app) {
  app.require_subcommand(1);
  app.fallthrough(false);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
}

}  // namespace

void BuildApp(CLI::App& app, CommandContext& ctx) {
  SetUpRoot(app);
  for (const auto& c : AllCommands()) c.reg(app, ctx);
}

void BuildAppFor(CLI::App& app, CommandContext& ctx, const std::vector<std::string>& args) {
  const CommandSpec* named = nullptr;
  bool first_word = true;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--help-all") return BuildApp(app, ctx);
    if (args[i].empty() || args[i][0] == '-' || !first_word) continue;
    first_word = false;
    for (const auto& c : AllCommands())
      if (args[i] == c.name || (c.alias && args[i] == c.alias)) named = &c;
    if (!named) return BuildApp(app, ctx);  // a mistyped command: errors as before, whatever they look at
  }
  if (named && named->needs_full_tree) return BuildApp(app, ctx);
  SetUpRoot(app);
  for (const auto& c : AllCommands()) {
    if (&c == named) {
      c.reg(app, ctx);
      continue;
    }
    CLI::App* placeholder = app.add_subcommand(c.name, c.summary);
    if (c.alias) placeholder->alias(c.alias);
  }
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

// Commands whose most common subcommand may be left out, as the issue and
// the docs write it: `meshctl explain --from sleep http://reviews:9080/`
// is `meshctl explain request …`.
struct DefaultSubcommand {
  const char* command;
  const char* subcommand;
};
constexpr DefaultSubcommand kDefaultSubcommands[] = {{"explain", "request"}};

// The direct subcommand of `app` named `name` (or with it as an alias).
const CLI::App* FindSubcommand(const CLI::App& app, const std::string& name) {
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name) return sub;
    for (const auto& a : sub->get_aliases())
      if (a == name) return sub;
  }
  return nullptr;
}

// argv with the default subcommand inserted after its command when the word
// that follows is neither one of the command's subcommands nor a help flag.
std::vector<std::string> WithDefaultSubcommand(const CLI::App& app, int argc, const char* const* argv) {
  std::vector<std::string> args(argv, argv + argc);
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i].empty() || args[i][0] == '-') continue;
    for (const auto& d : kDefaultSubcommands) {
      if (args[i] != d.command) continue;
      const CLI::App* cmd = FindSubcommand(app, d.command);
      if (!cmd) return args;
      if (i + 1 < args.size()) {
        const std::string& next = args[i + 1];
        if (next == "-h" || next == "--help" || next == "--help-all") return args;
        if (FindSubcommand(*cmd, next)) return args;
      } else {
        return args;  // bare `meshctl explain`: its own help says what to add
      }
      args.insert(args.begin() + static_cast<std::ptrdiff_t>(i) + 1, d.subcommand);
      return args;
    }
    // The first command word decides; other words are root flags' values.
    if (FindSubcommand(app, args[i])) return args;
  }
  return args;
}

// pflag, which istioctl and kubectl parse with, reads `-X=VALUE` as the
// short option X with VALUE; CLI11 2.1 reads `-k=false` as the flags -k,
// -=, -f, ... and `-n=shop` as the namespace "=shop". Each such word whose
// X is an option of the command being parsed with a long name becomes
// `--long=VALUE`, which CLI11 parses as pflag does (and a boolean flag's
// validator checks). As in pflag, a boolean never takes the next word
// (`-k false`: `false` is an argument). Words after `--` are left alone.
std::vector<std::string> WithShortFlagValues(const CLI::App& app, std::vector<std::string> args) {
  const CLI::App* level = &app;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string& word = args[i];
    if (word == "--") break;
    if (word.empty()) continue;
    if (word[0] != '-') {
      if (const CLI::App* sub = FindSubcommand(*level, word)) level = sub;
      continue;
    }
    if (word.size() < 3 || word[1] == '-' || word[2] != '=') continue;
    const CLI::Option* opt = level->get_option_no_throw(word.substr(0, 2));
    if (!opt || opt->get_lnames().empty()) continue;
    word = "--" + opt->get_lnames().front() + word.substr(2);
  }
  return args;
}

}  // namespace

int RunCli(int argc, const char* const* argv, CommandContext& ctx) {
  CLI::App app{"meshctl: service-mesh operations for Istio (validate, analyze, proxy-status, proxy-config, canary)",
               "meshctl"};
  BuildAppFor(app, ctx, std::vector<std::string>(argv, argv + argc));
  std::vector<std::string> args = WithShortFlagValues(app, WithDefaultSubcommand(app, argc, argv));
  std::vector<const char*> arg_ptrs;
  for (const auto& a : args) arg_ptrs.push_back(a.c_str());
  argc = static_cast<int>(arg_ptrs.size());
  argv = arg_ptrs.data();
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
    // missing subcommand; turn it into kubectl's wording with a hint, at
    // whatever level of the tree it is (`meshctl pc clustr`), whatever
    // flags come before or after it.
    const CLI::App* level = &app;
    std::string path = "meshctl";
    for (int i = 1; i < argc; ++i) {
      std::string word = argv[i];
      if (word.empty() || word[0] == '-') continue;
      auto subs = level->get_subcommands([](const CLI::App*) { return true; });
      if (subs.empty()) break;  // a leaf: the rest are its arguments
      const CLI::App* next = nullptr;
      for (const auto* sub : subs) {
        if (sub->get_name() == word) next = sub;
        for (const auto& a : sub->get_aliases())
          if (a == word) next = sub;
      }
      if (!next) {
        *ctx.err << "Error: unknown command \"" << word << "\" for \"" << path << "\"\n";
        std::string hint = Suggest(*level, word);
        if (!hint.empty()) *ctx.err << "\nDid you mean this?\n\t" << hint << "\n";
        *ctx.err << "\nRun '" << path << " --help' for usage.\n";
        return core::kExitUsage;
      }
      level = next;
      path += " " + next->get_name();
    }
    *ctx.err << "Error: " << msg << "\n";
    *ctx.err << "Run '" << path << " --help' for usage.\n";
    return core::kExitUsage;
  }
  return ctx.exit_code;
}

}  // namespace meshctl::commands
