// Small pieces several subcommands share: reading inputs with the standard
// error messages, and the colour decision.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/command.h"
#include "lib/core/strings.h"
#include "lib/io/files.h"

namespace meshctl::commands {

// Reads paths (files, directories, "-"); on failure prints "Error: ..." and
// returns nullopt with ctx.input_error_exit set (74 I/O, 65 refused input).
std::optional<io::InputSet> ReadInputsOrReport(const std::vector<std::string>& paths, CommandContext& ctx);

// --max-input-size SIZE on `cmd`, into ctx.read_options (docs/reliability.md).
void AddInputLimitFlag(CLI::App* cmd, CommandContext& ctx);

// Reads one file ("-" = stdin) with ctx's read options.
core::Result<std::string> ReadOneInput(const std::string& path, CommandContext& ctx);

// --color=auto|true|false (a bare --color means true): auto is on for a
// terminal unless NO_COLOR is set or TERM=dumb.
bool UseColor(const std::string& flag, const CommandContext& ctx);

}  // namespace meshctl::commands
