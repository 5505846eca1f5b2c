#include "commands/common.h"

#include <cstdlib>

#include "lib/core/heap.h"
#include "lib/core/strings.h"
#include "lib/io/input_source.h"
#include "lib/model/loader.h"

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

void PrepareHeapForLoad(const io::InputSet& inputs, const CommandContext& ctx) {
  if (!ctx.exits_after_command) return;
  constexpr size_t kHeapPerInputByte = 16;
  size_t bytes = 0;
  for (const auto& f : inputs.files) bytes += f.content.size();
  core::ReserveHeap(bytes * kHeapPerInputByte);
}

int AddLiveInputs(kube::Client& client, kube::AnalyzeListOptions options, const std::string& default_ns,
                  io::InputSet& inputs, CommandContext& ctx) {
  if (!inputs.files.empty()) {
    model::LoadOptions load;
    load.default_namespace = default_ns;
    model::LoadResult from_files = model::LoadSnapshot(inputs, load);
    for (const auto& r : from_files.snapshot.resources())
      options.overridden.insert(kube::ObjectKey(r.group, r.kind, r.ns, r.name));
  }
  auto fetched = kube::ListForAnalyze(client, options);
  if (!fetched.ok()) {
    *ctx.err << "Error: " << fetched.status().message() << "\n";
    return fetched.status().ExitCode();
  }
  for (auto& file : fetched->files) inputs.files.push_back(std::move(file));
  return 0;
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

CLI::Validator ColorValidator() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        static const char* kAccepted[] = {"", "auto", "always", "never", "true", "false", "1", "0", "t", "f"};
        std::string l = core::ToLower(v);
        for (const char* a : kAccepted)
          if (l == a) {
            if (l == "1" || l == "t") v = "true";
            if (l == "0" || l == "f") v = "false";
            return "";
          }
        return "\"" + v + "\" is not a valid colour setting (choose from auto, true, false)";
      },
      "auto|true|false");
}

std::optional<bool> ParseGoBool(std::string_view v) {
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"})
    if (v == t) return true;
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"})
    if (v == f) return false;
  return std::nullopt;
}

CLI::Validator GoBoolValidator() {
  return CLI::Validator(
      [](std::string& v) -> std::string {
        if (ParseGoBool(v)) return "";
        return "invalid argument \"" + v + "\": parse error (a boolean: true or false)";
      },
      "");
}

void AddClusterFlags(CLI::App* cmd, kube::ClusterFlags& flags, ClusterFlagSet set) {
  const char* group = "Cluster";
  cmd->add_option("-c,--kubeconfig", flags.kubeconfig, "Kubernetes configuration file (default: $KUBECONFIG, ~/.kube/config)")
      ->type_name("FILE")
      ->group(group);
  cmd->add_option("--context", flags.context, "The kubeconfig context to use (default: its current-context)")
      ->type_name("NAME")
      ->group(group);
  if (set.with_namespace)
    cmd->add_option("-n,--namespace", flags.namespace_name, "Namespace (default: the context's, else default)")
        ->group(group);
  if (set.with_istio_namespace)
    cmd->add_option("-i,--istioNamespace", flags.istio_namespace, "Istio system namespace")
        ->capture_default_str()
        ->group(group);
  cmd->add_option("--as", flags.as, "Username to impersonate for the operation")->type_name("USER")->group(group);
  cmd->add_option("--as-group", flags.as_groups, "Group to impersonate; repeatable")
      ->type_name("GROUP")
      ->allow_extra_args(false)
      ->group(group);
  cmd->add_option("--request-timeout", flags.request_timeout,
                  "Time to wait for each API request (0 = no limit; 30, 5s, 1m, 2h)")
      ->capture_default_str()
      ->group(group);
}

std::unique_ptr<kube::Client> ConnectOrReport(const kube::ClusterFlags& flags, CommandContext& ctx, int& exit_code) {
  auto rc = kube::LoadRestConfig(flags);
  if (!rc.ok()) {
    *ctx.err << "Error: " << rc.status().message() << "\n";
    exit_code = rc.status().ExitCode();
    return nullptr;
  }
  auto client = kube::Client::Create(std::move(rc).value());
  if (!client.ok()) {
    *ctx.err << "Error: " << client.status().message() << "\n";
    exit_code = client.status().ExitCode();
    return nullptr;
  }
  return std::move(client).value();
}

}  // namespace meshctl::commands
