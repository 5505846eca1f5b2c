// `meshctl waypoint list|status|validate`: waypoints and their bindings from
// saved state (files or directories of Gateways, GatewayClasses, Namespaces,
// Services, ServiceEntries, Pods, WorkloadEntries and AuthorizationPolicies,
// with their `status`), read as `meshctl analyze` reads its input, or, with
// no PATH, the same kinds listed from the cluster (lib/kube/live_source.h).
// list and status print istioctl's tables (lib/ambient/waypoint_tables.h);
// validate runs the ambient analyzers (lib/analysis/ambient_waypoints.cc).
#include <chrono>
#include <memory>
#include <sstream>
#include <thread>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/ambient/waypoint_tables.h"
#include "lib/ambient/waypoints.h"
#include "lib/analysis/engine.h"
#include "lib/core/exit_codes.h"
#include "lib/diag/filter.h"
#include "lib/envoy/admin_client.h"
#include "lib/kube/live_source.h"
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
  kube::ClusterFlags cluster;
  CLI::Option* ns_option = nullptr;  // whether -n was given (live: else the context's)
};

std::vector<std::string> AllPaths(const WaypointFlags& f) {
  std::vector<std::string> p = f.paths;
  p.insert(p.end(), f.files.begin(), f.files.end());
  return p;
}

bool HasStdin(const WaypointFlags& f) {
  for (const auto& p : AllPaths(f))
    if (p == "-") return true;
  return false;
}

// The input: the PATHs, or with none the cluster. For the live case `ns`
// becomes the context's namespace unless -n was given, and only Gateways
// (and GatewayClasses) are listed when nothing else is read, in -n unless
// all namespaces are wanted; everything else is listed cluster-wide, since
// bindings cross namespaces.
std::optional<io::InputSet> Inputs(WaypointFlags& f, bool gateways_only, CommandContext& ctx, int& exit_code) {
  if (!AllPaths(f).empty()) {
    auto in = ReadInputsOrReport(AllPaths(f), ctx);
    if (!in) exit_code = ctx.input_error_exit;
    return in;
  }
  kube::ClusterFlags cf = f.cluster;
  if (f.ns_option && f.ns_option->count() > 0) cf.namespace_name = f.ns;
  auto client = ConnectOrReport(cf, ctx, exit_code);
  if (!client) {
    *ctx.err << "  (without a cluster, give the saved state: kubectl get "
                "gateways.gateway.networking.k8s.io,namespaces,services,pods -A -o yaml > state.yaml)\n";
    return std::nullopt;
  }
  f.ns = client->config().namespace_name.empty() ? "default" : client->config().namespace_name;
  std::vector<model::GroupKind> kinds = ambient::WaypointInputKinds();
  std::string ns;
  if (gateways_only) {
    kinds = {model::kinds::kK8sGateway, model::kinds::kGatewayClass};
    if (!f.all_namespaces) ns = f.ns;
  }
  auto listed = kube::ListKinds(*client, kinds, ns);
  if (!listed.ok()) {
    *ctx.err << "Error: " << listed.status().message() << "\n";
    exit_code = listed.status().ExitCode();
    return std::nullopt;
  }
  return std::move(listed).value();
}

// Loads the inputs into a snapshot; parse errors are reported and make
// the exit code 65 (the rest of the input is still used).
model::LoadResult Load(const io::InputSet& inputs, const WaypointFlags& f, CommandContext& ctx) {
  model::LoadOptions load;
  load.default_namespace = f.ns;
  model::LoadResult r = model::LoadSnapshot(inputs, load);
  for (const auto& e : r.errors) *ctx.err << "Error: " << e.message() << "\n";
  return r;
}

int RunTable(bool status, WaypointFlags& f, CommandContext& ctx) {
  bool live = AllPaths(f).empty();
  ambient::WaypointTableOptions o;
  o.all_namespaces = f.all_namespaces;
  o.wide = f.output == "wide";
  o.wait = f.wait;
  auto timeout = envoy::ParseDuration(f.waypoint_timeout);
  if (!timeout.ok()) {
    *ctx.err << "Error: --waypoint-timeout: " << timeout.status().message() << "\n";
    return core::kExitUsage;
  }
  // istioctl's --wait polls each second until every waypoint is
  // programmed; saved state cannot change, so it is read once.
  auto deadline = std::chrono::steady_clock::now() + *timeout;
  while (true) {
    int exit_code = 0;
    auto inputs = Inputs(f, !o.wide, ctx, exit_code);
    if (!inputs) return exit_code;
    model::LoadResult loaded = Load(*inputs, f, ctx);
    ambient::WaypointModel m = ambient::BuildWaypointModel(loaded.snapshot);
    o.ns = f.ns;
    std::ostringstream buf;
    if (status) {
      core::Status st = ambient::PrintWaypointStatus(m, o, buf);
      if (!st.ok() && live && f.wait && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::seconds(1));
        continue;
      }
      if (!st.ok()) {
        *ctx.err << "Error: failed to print waypoint status: " << st.message() << "\n";
        return st.ExitCode();
      }
    } else {
      ambient::PrintWaypointList(m, o, buf);
    }
    *ctx.out << buf.view();
    return loaded.errors.empty() ? core::kExitOk : core::kExitDataError;
  }
}

int RunValidate(WaypointFlags& f, CommandContext& ctx) {
  auto failure = diag::ParseSeverity(f.failure_threshold);
  if (!failure) {
    *ctx.err << "Error: --failure-threshold must be Info, Warning or Error\n";
    return core::kExitUsage;
  }
  int exit_code = 0;
  auto inputs = Inputs(f, false, ctx, exit_code);
  if (!inputs) return exit_code;
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
  cmd->add_option("paths", f.paths,
                  "Files or directories with the saved state ('-' for standard input); none: the cluster");
  cmd->add_option("-f,--file", f.files, "A file or directory with the saved state; repeatable");
  f.ns_option = cmd->add_option("-n,--namespace", f.ns,
                                "Namespace to show, and for resources without one (live: default the context's)")
                    ->capture_default_str();
  AddClusterFlags(cmd, f.cluster, {.with_namespace = false, .with_istio_namespace = false});
  AddInputLimitFlag(cmd, ctx);
}

}  // namespace

void RegisterWaypoint(CLI::App& root, CommandContext& ctx) {
  auto* wp = root.add_subcommand("waypoint", "A group of commands used to manage waypoint configuration (a live cluster or saved state)");
  {
    auto f = std::make_shared<WaypointFlags>();
    auto* cmd = wp->add_subcommand("list", "List waypoints (Gateways of class istio-waypoint) as istioctl does");
    AddInputFlags(cmd, *f, ctx);
    cmd->add_flag("-A,--all-namespaces", f->all_namespaces, "List waypoints in all namespaces");
    f->output = "short";
    cmd->add_option("-o,--output", f->output, "Output format: short, wide (+ ADDRESS, EFFECTIVE TYPE, BOUND)")
        ->check(CLI::IsMember({"short", "wide"}))
        ->capture_default_str();
    cmd->callback([f, &ctx] {
      f->cluster.stdin_in_use = HasStdin(*f);
      ctx.exit_code = RunTable(false, *f, ctx);
    });
  }
  {
    auto f = std::make_shared<WaypointFlags>();
    auto* cmd = wp->add_subcommand("status", "Show each waypoint's Programmed condition as istioctl does");
    AddInputFlags(cmd, *f, ctx);
    cmd->add_flag("-A,--all-namespaces", f->all_namespaces, "Show waypoints in all namespaces");
    cmd->add_flag("-w,--wait,!--no-wait", f->wait,
                  "Wait until every waypoint is programmed (live; saved state cannot change, so it fails at once)")
        ->capture_default_str();
    cmd->add_option("--waypoint-timeout", f->waypoint_timeout, "How long --wait waits for a live waypoint")
        ->capture_default_str();
    cmd->callback([f, &ctx] {
      f->cluster.stdin_in_use = HasStdin(*f);
      ctx.exit_code = RunTable(true, *f, ctx);
    });
  }
  {
    auto f = std::make_shared<WaypointFlags>();
    auto* cmd = wp->add_subcommand("validate", "Check waypoint bindings (MSH0701-MSH0710) in every namespace");
    AddInputFlags(cmd, *f, ctx);
    cmd->add_option("-o,--output", f->output, "Output format, as analyze's (log, json, yaml, sarif, github)");
    cmd->add_option("--failure-threshold", f->failure_threshold, "Exit 79 on findings at or above: Info, Warning, Error")
        ->capture_default_str();
    cmd->callback([f, &ctx] {
      f->cluster.stdin_in_use = HasStdin(*f);
      ctx.exit_code = RunValidate(*f, ctx);
    });
  }
  wp->callback([wp, &ctx] {
    if (wp->get_subcommands().empty()) *ctx.out << wp->help();
  });
}

}  // namespace meshctl::commands
