// Small pieces several subcommands share: reading inputs with the standard
// error messages, and the colour decision.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "commands/command.h"
#include "lib/core/strings.h"
#include "lib/io/files.h"
#include "lib/kube/client.h"
#include "lib/kube/live_source.h"
#include "lib/kube/rest_config.h"

namespace meshctl::commands {

// Reads paths (files, directories, "-"); on failure prints "Error: ..." and
// returns nullopt with ctx.input_error_exit set (74 I/O, 65 refused input).
std::optional<io::InputSet> ReadInputsOrReport(const std::vector<std::string>& paths, CommandContext& ctx);

// Before a command loads `inputs` into a document tree that lives until
// exit: the heap it will fill reserved at once (core::ReserveHeap), sized
// from the input (the tree takes 10-13 bytes of heap per byte of
// YAML). Only in a process that ends with the command: the in-process tests
// leave the heap alone.
void PrepareHeapForLoad(const io::InputSet& inputs, const CommandContext& ctx);

// The live half of analyze's input, shared by every command that takes
// input as analyze does (analyze, explain): the cluster's objects
// (kube::ListForAnalyze) appended to `inputs`, leaving out those the files
// already hold (files win). Objects without a namespace default to
// `default_ns`. On failure prints "Error: ..." and returns the exit code;
// 0 on success.
int AddLiveInputs(kube::Client& client, kube::AnalyzeListOptions options, const std::string& default_ns,
                  io::InputSet& inputs, CommandContext& ctx);

// --max-input-size SIZE on `cmd`, into ctx.read_options (docs/reliability.md).
void AddInputLimitFlag(CLI::App* cmd, CommandContext& ctx);

// Reads one file ("-" = stdin) with ctx's read options.
core::Result<std::string> ReadOneInput(const std::string& path, CommandContext& ctx);

// --color=auto|true|false (a bare --color means true): auto is on for a
// terminal unless NO_COLOR is set or TERM=dumb.
bool UseColor(const std::string& flag, const CommandContext& ctx);
// CLI11 check for --color: auto, always, never or a Go boolean (true, false,
// 1, 0, t, f); anything else is a usage error (64).
CLI::Validator ColorValidator();
// Go's strconv.ParseBool spellings (1 t T TRUE true True, 0 f F FALSE false
// False), as istioctl's boolean flags take them; nullopt for anything else.
std::optional<bool> ParseGoBool(std::string_view v);
CLI::Validator GoBoolValidator();

// The root cluster flags, spelled as kubectl/istioctl: --kubeconfig/-c,
// --context, --as, --as-group, --request-timeout, and -n/--namespace and
// -i/--istioNamespace unless the command already declares them (then it
// copies its own values into `flags` before connecting).
struct ClusterFlagSet {
  bool with_namespace = true;
  bool with_istio_namespace = true;
};
void AddClusterFlags(CLI::App* cmd, kube::ClusterFlags& flags, ClusterFlagSet set = {});

// Resolves the kubeconfig and builds a client; on failure prints
// "Error: ..." and sets `exit_code` (64 bad flags/context, 65 unparsable
// kubeconfig, 74 unreadable file, 69 otherwise).
std::unique_ptr<kube::Client> ConnectOrReport(const kube::ClusterFlags& flags, CommandContext& ctx, int& exit_code);

}  // namespace meshctl::commands
