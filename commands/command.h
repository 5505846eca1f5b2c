// How a subcommand plugs into the CLI. Each subcommand lives in one file in
// commands/ with an options struct, a Register function that declares its
// flags on a CLI11 subcommand, and a Run function that calls into lib/ and
// returns an exit code. No domain logic lives here.
//
// To add a subcommand:
//   1. commands/<name>.cc with `void Register<Name>(CLI::App& root, CommandContext& ctx)`.
//   2. A row in kCommands (commands/registry.cc), kept sorted by name.
//   3. Its flags in completions/ (scripts/gen-completions.sh) and man/meshctl-<name>.1;
//      tests/cli/drift_test.cc fails until they are there.
//   4. docs/<name>.md with an example, a line in the README tour.
#pragma once

#include <functional>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "lib/io/files.h"

namespace meshctl::commands {

// The process environment a command runs in; tests substitute streams.
struct CommandContext {
  std::istream* in = &std::cin;
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
  // Whether stdout is a terminal (for colour); set by main.
  bool stdout_is_tty = false;
  // How input files are read: --max-input-size, and whether fd 0 was closed
  // at start-up (set by main).
  io::ReadOptions read_options;
  // The exit code of the last failed ReadInputsOrReport (74 I/O, 65 input
  // meshctl refuses: too large, invalid UTF-16).
  int input_error_exit = 74;
  // The exit code the selected subcommand's callback decided on.
  int exit_code = 0;
  // The process ends when the command returns (set by main; in-process
  // tests run many commands in one process and leave it false).
  bool exits_after_command = false;
};

// Leaves a large result (a loaded mesh: a tree node and a few strings per
// scalar) to the end of the process instead of freeing it piece by piece,
// which was an eighth of `analyze`'s time on a 10k-resource mesh; the kernel
// takes the pages back at exit. Only when main says the process ends after
// the command. The object stays reachable from a static pointer to a list
// that is never destroyed (a static list's destructor would run before
// LeakSanitizer's exit check and leave the objects unreachable), so
// LeakSanitizer does not report it.
template <typename T>
class LeftToExit {
 public:
  LeftToExit(const CommandContext& ctx, T& value) : ctx_(ctx), value_(value) {}
  LeftToExit(const LeftToExit&) = delete;
  LeftToExit& operator=(const LeftToExit&) = delete;
  ~LeftToExit() {
    if (!ctx_.exits_after_command) return;
    static auto* kept = new std::vector<const T*>();
    kept->push_back(new T(std::move(value_)));
  }

 private:
  const CommandContext& ctx_;
  T& value_;
};

struct CommandSpec {
  const char* name;
  // Exactly the description reg() gives the subcommand: `meshctl --help`
  // lists it for commands that were not registered (see BuildAppFor).
  const char* summary;
  void (*reg)(CLI::App& root, CommandContext& ctx);
  const char* alias = nullptr;  // the one alias reg() gives it, if any
  // The command reads the whole tree at run time (completion scripts).
  bool needs_full_tree = false;
};

// One explicit, sorted table of subcommands.
const std::vector<CommandSpec>& AllCommands();

// Builds the root `meshctl` app with every subcommand registered.
void BuildApp(CLI::App& app, CommandContext& ctx);

// Builds the root app for one command line: only the command `args` names
// (the first word that is not a flag) is registered with its options; every
// other one is a placeholder with its name, alias and summary, which is all
// `meshctl --help`, "unknown command" hints and CLI11's parse of the root
// need. Registering every command's flags was 4 M instructions, about half
// of `meshctl version` (bench/README.md, "Start-up"). Falls back to
// BuildApp when no command is named, for --help-all, and for commands that
// walk the tree.
void BuildAppFor(CLI::App& app, CommandContext& ctx, const std::vector<std::string>& args);

// Parses argv and runs the selected subcommand; returns the exit code.
// Usage errors print CLI11's message (plus a "did you mean" hint) and
// return 64.
int RunCli(int argc, const char* const* argv, CommandContext& ctx);

}  // namespace meshctl::commands
