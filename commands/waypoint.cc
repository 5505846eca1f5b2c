// `meshctl waypoint list|status|validate`: waypoints and their bindings from
// saved state (files or directories of Gateways, GatewayClasses, Namespaces,
// Services, ServiceEntries, Pods, WorkloadEntries and AuthorizationPolicies,
// with their `status`), read as `meshctl analyze` reads its input. list and
// status print istioctl's tables (lib/ambient/waypoint_tables.h); validate
// runs the ambient analyzers (lib/analysis/ambient_waypoints.cc, MSH07xx).
#include <memory>
#include <sstream>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/ambient/waypoint_tables.h"
#include "lib/ambient/waypoints.h"
#include "lib/analysis/engine.h"
#include "lib/core/exit_codes.h"
#include "lib/diag/filter.h"
#include "lib/model/loader.h"
#include "lib/output/renderer.h"

namespace meshctl::commands {

namespace {

struct WaypointFlags {
  std::vector<std::string> paths;
  std::vector<std::string> files;
  std::string ns = "default";
  bool all_namespaces = false;
  std::string output;
  bool wait = true;
  std::string waypoint_timeout = "1m30s";
  std::string failure_threshold = "Error";
};

std::vector<std::string> AllPaths(const WaypointFlags& f) {
  std::vector<std::string> p = f.paths;
  p.insert(p.end(), f.files.begin(), f.files.end());
  return p;
}

int NoInput(const std::string& sub, CommandContext& ctx) {
  *ctx.err << "Error: give the saved state to read (files or directories, '-' for stdin), e.g.\n"
           << "  kubectl get gateways.gateway.networking.k8s.io,namespaces,services,pods -A -o yaml > state.yaml\n"
           << "  meshctl waypoint " << sub << " state.yaml\n"
           << "meshctl does not read waypoints from a live cluster yet.\n";
  return core::kExitUsage;
}

// Loads the inputs into a snapshot; parse errors are reported and make
// the exit code 65 (the rest of the input is still used).
std::optional<model::LoadResult> Load(const WaypointFlags& f, CommandContext& ctx) {
  auto inputs = ReadInputsOrReport(AllPaths(f), ctx);
  if (!inputs) return std::nullopt;
  model::LoadOptions load;
  load.default_namespace = f.ns;
  model::LoadResult r = model::LoadSnapshot(*inputs, load);
  for (const auto& e : r.errors) *ctx.err << "Error: " << e.message() << "\n";
  return r;
}

int RunTable(bool status, const WaypointFlags& f, CommandContext& ctx) {
  if (AllPaths(f).empty()) return NoInput(status ? "status" : "list", ctx);
  auto loaded = Load(f, ctx);
  if (!loaded) return ctx.input_error_exit;
  ambient::WaypointModel m = ambient::BuildWaypointModel(loaded->snapshot);
  ambient::WaypointTableOptions o;
  o.ns = f.ns;
  o.all_namespaces = f.all_namespaces;
  o.wide = f.output == "wide";
  o.wait = f.wait;
  std::ostringstream buf;
  if (status) {
    core::Status st = ambient::PrintWaypointStatus(m, o, buf);
    if (!st.ok()) {
      *ctx.err << "Error: failed to print waypoint status: " << st.message() << "\n";
      return st.ExitCode();
    }
  } else {
    ambient::PrintWaypointList(m, o, buf);
  }
  *ctx.out << buf.view();
  return loaded->errors.empty() ? core::kExitOk : core::kExitDataError;
}

int RunValidate(const WaypointFlags& f, CommandContext& ctx) {
  if (AllPaths(f).empty()) return NoInput("validate", ctx);
  auto failure = diag::ParseSeverity(f.failure_threshold);
  if (!failure) {
    *ctx.err << "Error: --failure-threshold must be Info, Warning or Error\n";
    return core::kExitUsage;
  }
  auto inputs = ReadInputsOrReport(AllPaths(f), ctx);
  if (!inputs) return ctx.input_error_exit;
  analysis::AnalyzeOptions opts;
  opts.ns = f.ns;
  opts.all_namespaces = true;
  opts.analyzers = {"ambient.waypoint", "ambient.namespace"};
  // The user gave the state to check: a missing Gateway is a finding.
  opts.skip_without_runtime_inputs = false;
  analysis::AnalyzeResult result = analysis::AnalyzeInputs(*inputs, opts);
  for (const auto& e : result.load_errors) *ctx.err << "Error: " << e.message() << "\n";
  output::RenderOptions ropts;
  ropts.color = UseColor("auto", ctx);
  auto renderer = output::MakeRenderer(f.output.empty() ? "log" : f.output, ropts);
  if (!renderer.ok()) {
    *ctx.err << "Error: " << renderer.status().message() << "\n";
    return core::kExitUsage;
  }
  bool log = f.output.empty() || f.output == "log";
  if (!log || !result.diagnostics.empty()) renderer.value()->Render(result.diagnostics, *ctx.out);
  if (!result.load_errors.empty()) return core::kExitDataError;
  if (diag::AnyAtOrAbove(result.diagnostics, *failure)) return core::kExitFindings;
  if (result.diagnostics.empty()) *ctx.err << "\u2714 No waypoint binding issues found.\n";
  return core::kExitOk;
}

void AddInputFlags(CLI::App* cmd, WaypointFlags& f, CommandContext& ctx) {
  cmd->add_option("paths", f.paths, "Files or directories with the saved state ('-' for standard input)");
  cmd->add_option("-f,--file", f.files, "A file or directory with the saved state; repeatable");
  cmd->add_option("-n,--namespace", f.ns, "Namespace to show, and for resources without one")->capture_default_str();
  AddInputLimitFlag(cmd, ctx);
}

}  // namespace

void RegisterWaypoint(CLI::App& root, CommandContext& ctx) {
  auto* wp = root.add_subcommand("waypoint", "A group of commands used to manage waypoint configuration (offline: saved state)");
  {
    auto f = std::make_shared<WaypointFlags>();
    auto* cmd = wp->add_subcommand("list", "List waypoints (Gateways of class istio-waypoint) as istioctl does");
    AddInputFlags(cmd, *f, ctx);
    cmd->add_flag("-A,--all-namespaces", f->all_namespaces, "List waypoints in all namespaces");
    f->output = "short";
    cmd->add_option("-o,--output", f->output, "Output format: short, wide (+ ADDRESS, EFFECTIVE TYPE, BOUND)")
        ->check(CLI::IsMember({"short", "wide"}))
        ->capture_default_str();
    cmd->callback([f, &ctx] { ctx.exit_code = RunTable(false, *f, ctx); });
  }
  {
    auto f = std::make_shared<WaypointFlags>();
    auto* cmd = wp->add_subcommand("status", "Show each waypoint's Programmed condition as istioctl does");
    AddInputFlags(cmd, *f, ctx);
    cmd->add_flag("-A,--all-namespaces", f->all_namespaces, "Show waypoints in all namespaces");
    cmd->add_flag("-w,--wait,!--no-wait", f->wait,
                  "Fail when a waypoint is not programmed (istioctl waits; saved state cannot change)")
        ->capture_default_str();
    cmd->add_option("--waypoint-timeout", f->waypoint_timeout, "Accepted for istioctl compatibility; nothing to wait for")
        ->capture_default_str();
    cmd->callback([f, &ctx] { ctx.exit_code = RunTable(true, *f, ctx); });
  }
  {
    auto f = std::make_shared<WaypointFlags>();
    auto* cmd = wp->add_subcommand("validate", "Check waypoint bindings (MSH0701-MSH0710) in every namespace");
    AddInputFlags(cmd, *f, ctx);
    cmd->add_option("-o,--output", f->output, "Output format, as analyze's (log, json, yaml, sarif, github)");
    cmd->add_option("--failure-threshold", f->failure_threshold, "Exit 79 on findings at or above: Info, Warning, Error")
        ->capture_default_str();
    cmd->callback([f, &ctx] { ctx.exit_code = RunValidate(*f, ctx); });
  }
  wp->callback([wp, &ctx] {
    if (wp->get_subcommands().empty()) *ctx.out << wp->help();
  });
}

}  // namespace meshctl::commands
