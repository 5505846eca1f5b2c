// `meshctl analyze [FILE|DIR|-]...`: istioctl analyze's flags, output and
// exit codes, over files (Services and Pods from files included) or a live
// cluster (no file arguments, or --use-kube with files laid over it).
#include <algorithm>
#include <cstdlib>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/analysis/engine.h"
#include "lib/core/exit_codes.h"
#include "lib/core/strings.h"
#include "lib/core/version.h"
#include "lib/kube/live_source.h"
#include "lib/output/renderer.h"

namespace meshctl::commands {

namespace {

struct AnalyzeFlags {
  std::vector<std::string> paths;
  bool list = false;
  std::vector<std::string> analyzers;
  std::vector<std::string> suppress;
  std::string failure_threshold = "Error";
  std::string output_threshold = "Info";
  std::string output = "log";
  std::string ns;
  bool all_namespaces = false;
  std::string istio_namespace = "istio-system";
  bool use_kube = true;
  bool use_kube_given = false;  // -k/--use-kube on the command line
  std::string use_kube_text = "true";
  kube::ClusterFlags cluster;
  bool recursive = false;
  bool verbose = false;
  bool ignore_unknown = false;
  std::string color = "auto";
  std::string sarif_root;
  std::string mesh_config_file;
  std::string revision = "default";
  std::vector<std::string> remote_contexts;
  std::string timeout = "30s";
  std::string explain;
  bool harness = false;
};

void ListAnalyzers(std::ostream& out) {
  for (const auto& a : analysis::AllAnalyzers()) {
    const auto& m = a->Metadata();
    out << "* " << m.id;
    if (!m.istio_name.empty()) out << " (" << m.istio_name << ")";
    out << ":\n    " << m.summary << "\n";
    out << "    codes:";
    for (auto c : m.codes) out << " " << c;
    out << "\n";
    if (m.not_in_all) out << "    (not run by default; select it with --analyzer)\n";
  }
}

// `--explain CODE`: what a message means and how to fix it.
int Explain(const std::string& code, CommandContext& ctx) {
  const diag::MessageType* m = diag::FindMessage(core::ToUpper(code));
  if (!m) {
    *ctx.err << "Error: unknown message code \"" << code << "\" (codes look like IST0101 or MSH0201)\n";
    return core::kExitUsage;
  }
  std::ostream& out = *ctx.out;
  out << m->code << " " << m->name << " (" << diag::SeverityName(m->level) << (m->retired ? ", retired" : "")
      << ")\n\n";
  if (!m->tmpl.empty()) out << "Message:  " << m->tmpl << "\n\n";
  out << "What it means:\n  " << m->description << "\n\n";
  if (!m->fix.empty()) out << "How to fix it:\n  " << m->fix << "\n\n";
  std::vector<std::string_view> by;
  for (const auto& a : analysis::AllAnalyzers())
    for (auto c : a->Metadata().codes)
      if (c == m->code) by.push_back(a->Metadata().id);
  if (!by.empty()) {
    out << "Reported by:";
    for (auto id : by) out << " " << id;
    out << "\n";
  }
  out << "More: " << diag::DocumentationUrl(m->code) << "\n";
  return core::kExitOk;
}

// Multi-cluster analysis (--remote-contexts): every cluster is read as the
// primary is (files are laid over the primary only), and each one's
// resources are tagged with its context name, so multi-cluster analyzers
// (IST0170) compare them and findings say which cluster they are about.
// The primary's inputs (files and cluster) move into the first cluster.
int AddRemoteClusters(const AnalyzeFlags& f, const std::string& primary, kube::AnalyzeListOptions lo,
                      analysis::AnalyzeOptions& opts, io::InputSet& inputs, CommandContext& ctx) {
  lo.overridden.clear();
  std::vector<std::string> seen = {primary};
  opts.clusters.emplace_back(primary.empty() ? "primary" : primary, std::move(inputs));
  inputs = io::InputSet{};
  for (const auto& name : f.remote_contexts) {
    if (std::find(seen.begin(), seen.end(), name) != seen.end()) continue;  // that cluster is read already
    seen.push_back(name);
    kube::ClusterFlags cf = f.cluster;
    cf.context = name;
    cf.namespace_name = f.ns;
    cf.istio_namespace = f.istio_namespace;
    cf.stdin_in_use = std::find(f.paths.begin(), f.paths.end(), "-") != f.paths.end();
    int code = 0;
    std::unique_ptr<kube::Client> remote = ConnectOrReport(cf, ctx, code);
    if (!remote) return code;
    auto listed = kube::ListForAnalyze(*remote, lo);
    if (!listed.ok()) {
      *ctx.err << "Error: cluster of context \"" << name << "\": " << listed.status().message() << "\n";
      return listed.status().ExitCode();
    }
    opts.clusters.emplace_back(name, std::move(listed).value());
  }
  return 0;
}

// istioctl's FileParseString.
const char* FileParseString() { return "Some files couldn't be parsed."; }

int RunAnalyze(const AnalyzeFlags& f, CommandContext& ctx) {
  auto renderer_or = output::MakeRenderer(f.output, {});
  if (!renderer_or.ok()) {
    *ctx.err << "Error: " << renderer_or.status().message() << ". See meshctl analyze --help\n";
    return core::kExitUsage;
  }
  auto failure = diag::ParseSeverity(f.failure_threshold);
  auto shown = diag::ParseSeverity(f.output_threshold);
  if (!failure || !shown) {
    *ctx.err << "Error: " << (!failure ? f.failure_threshold : f.output_threshold)
             << " is not a valid threshold (choose from Info, Warning, Error)\n";
    return core::kExitUsage;
  }
  if (!f.explain.empty()) return Explain(f.explain, ctx);
  if (f.list) {
    ListAnalyzers(*ctx.out);
    return core::kExitOk;
  }
  if (f.recursive) {
    *ctx.out << "The recursive flag has been removed and is hardcoded to true without explicitly specifying it.\n";
    return core::kExitOk;
  }
  // As istioctl: the cluster unless --use-kube=false. With files, meshctl
  // reads the cluster only when --use-kube is given explicitly, so offline
  // runs over files never need a kubeconfig.
  if (!f.remote_contexts.empty() && !f.use_kube) {
    *ctx.err << "Error: --remote-contexts analyzes clusters; it cannot be combined with --use-kube=false\n";
    return core::kExitUsage;
  }
  bool live = f.use_kube && (f.paths.empty() || f.use_kube_given || !f.remote_contexts.empty());
  if (f.paths.empty() && !live) {
    *ctx.err << "Error: no files to analyze: give files, directories or - for standard input\n";
    return core::kExitUsage;
  }
  std::unique_ptr<kube::Client> client;
  std::string live_ns;
  if (live) {
    kube::ClusterFlags cf = f.cluster;
    cf.namespace_name = f.ns;
    cf.istio_namespace = f.istio_namespace;
    cf.stdin_in_use = std::find(f.paths.begin(), f.paths.end(), "-") != f.paths.end();
    int code = 0;
    client = ConnectOrReport(cf, ctx, code);
    if (!client) return code;
    live_ns = client->config().namespace_name;
  }
  analysis::AnalyzeOptions opts;
  opts.all_namespaces = f.all_namespaces;
  opts.ns = f.all_namespaces ? "" : (!f.ns.empty() ? f.ns : !live_ns.empty() ? live_ns : "default");
  opts.istio_namespace = f.istio_namespace;
  opts.revision = f.revision;
  opts.analyzers = f.analyzers;
  if (f.harness) {
    opts.harness = true;
    opts.all_namespaces = true;
    opts.ns.clear();
  }
  if (!f.mesh_config_file.empty()) {
    auto text = ReadOneInput(f.mesh_config_file, ctx);
    if (!text.ok()) {
      *ctx.err << "Error: " << text.status().message() << "\n";
      return core::kExitIoError;
    }
    opts.mesh_config_yaml = *text;
    opts.mesh_config_source = f.mesh_config_file;
  }
  for (const auto& s : f.suppress) {
    auto rule = diag::ParseSuppressRule(s);
    if (!rule.ok()) {
      *ctx.err << "Error: " << rule.status().message() << "\n";
      return core::kExitUsage;
    }
    if (rule->code != "*" && !diag::FindMessage(rule->code)) {
      *ctx.err << "Warning: Supplied message code '" << rule->code
               << "' is an unknown message code and will not have any effect.\n";
    }
    opts.suppressions.push_back(*rule);
  }

  std::optional<io::InputSet> inputs = io::InputSet{};
  if (!f.paths.empty()) inputs = ReadInputsOrReport(f.paths, ctx);
  if (!inputs) return ctx.input_error_exit;
  std::vector<std::string> given_files;  // the user's files, for the success line
  for (const auto& file : inputs->files) given_files.push_back(file.path);
  for (const auto& s : inputs->skipped)
    *ctx.err << "Skipping file " << s << ", recognized file extensions are: [.json .yaml .yml]\n";
  if (live) {
    // The namespace must exist (istioctl prints this and exits 0).
    if (!f.all_namespaces && !f.harness) {
      auto exists = kube::NamespaceExists(*client, opts.ns);
      if (!exists.ok()) {
        *ctx.err << "Error: " << exists.status().message() << "\n";
        return exists.status().ExitCode();
      }
      if (!*exists) {
        *ctx.err << "namespace \"" << opts.ns << "\" not found in " << client->server() << "\n";
        return core::kExitOk;
      }
    }
    kube::AnalyzeListOptions lo;
    lo.istio_namespace = f.istio_namespace;
    lo.revision = f.revision;
    int code = AddLiveInputs(*client, lo, opts.ns, *inputs, ctx);
    if (code != 0) return code;
    if (!f.remote_contexts.empty()) {
      code = AddRemoteClusters(f, client->config().context, lo, opts, *inputs, ctx);
      if (code != 0) return code;
    }
  }

  PrepareHeapForLoad(*inputs, ctx);
  analysis::AnalyzeResult result = analysis::AnalyzeInputsReleasingText(*inputs, opts);
  LeftToExit<analysis::AnalyzeResult> keep(ctx, result);
  for (const auto& n : result.unknown_analyzers)
    *ctx.err << "Warning: unknown analyzer \"" << n << "\" (see meshctl analyze -L)\n";
  for (const auto& e : result.load_errors) *ctx.err << "Error: " << e.message() << "\n";
  if (!result.mesh_error.ok()) {
    *ctx.err << "Error: mesh config: " << result.mesh_error.message() << "\n";
    return core::kExitDataError;
  }
  for (const auto& e : result.empty_files) *ctx.err << "Note: " << e << " holds no resources\n";

  std::string target = f.all_namespaces ? "all namespaces" : "namespace: " + opts.ns;
  if (f.verbose) {
    *ctx.err << "Analyzed resources in " << target << "\nExecuted analyzers:\n";
    for (const auto* a : result.executed) *ctx.err << "\t " << a->Metadata().id << "\n";
    if (!result.skipped.empty()) {
      *ctx.err << "Skipped analyzers (their Pods, Services or Secrets are not in the input):\n";
      for (const auto* a : result.skipped) *ctx.err << "\t " << a->Metadata().id << "\n";
    }
  }

  std::vector<diag::Diagnostic> visible = diag::AtOrAbove(result.diagnostics, *shown);
  std::string lower = core::ToLower(f.output);
  output::RenderOptions ropts;
  ropts.color = UseColor(f.color, ctx);
  ropts.sarif_root = f.sarif_root;
  auto renderer = output::MakeRenderer(f.output, ropts);
  if (lower == "log") {
    renderer.value()->Render(visible, *ctx.out);
  } else {
    // A broken file must show where the findings are read (a pull request,
    // code scanning): machine formats carry each parse error as MSH0207.
    std::vector<diag::Diagnostic> shown_with_errors;
    for (const auto& e : result.load_errors) shown_with_errors.push_back(output::LoadErrorDiagnostic(e));
    shown_with_errors.insert(shown_with_errors.end(), visible.begin(), visible.end());
    renderer.value()->Render(shown_with_errors, *ctx.out);
  }

  // Input that cannot be parsed is 65 whatever the format: the exit code
  // must not change with -o (it did: 79 for log, 65 for json).
  bool bad_input = !result.load_errors.empty() && !f.ignore_unknown;
  // As istioctl, json and yaml output always exit 0 on findings; the CI
  // formats (log, sarif, github) report them through the exit code.
  bool check_failure = lower != "json" && lower != "yaml";
  // istioctl's closing lines: the files analyzed (one a line) or the
  // target on success, "(but N files could not be parsed)" when some were
  // not, then "Some files couldn't be parsed." as the error.
  const size_t unparsed = result.unparsed_files.size();
  if (check_failure && diag::AnyAtOrAbove(result.diagnostics, *failure)) {
    *ctx.err << "Error: Analyzers found issues when analyzing " << target << ".\n"
             << "See https://istio.io/v" << core::kIstioDocsVersion
             << "/docs/reference/config/analysis for more information about causes and resolutions.\n";
    if (bad_input) {
      *ctx.err << "Error: " << FileParseString() << "\n";
      return core::kExitDataError;
    }
    return core::kExitFindings;
  }
  if (visible.empty()) {
    if (unparsed == 0) {
      std::string what = given_files.empty() ? target : core::Join(given_files, "\n");
      *ctx.err << "\u2714 No validation issues found when analyzing " << what << ".\n";
    } else {
      *ctx.err << "No validation issues found when analyzing " << target << " (but " << unparsed
               << (unparsed == 1 ? " file" : " files") << " could not be parsed).\n";
    }
  }
  if (bad_input) {
    *ctx.err << "Error: " << FileParseString() << "\n";
    return core::kExitDataError;
  }
  return core::kExitOk;
}

}  // namespace

void RegisterAnalyze(CLI::App& root, CommandContext& ctx) {
  auto f = std::make_shared<AnalyzeFlags>();
  auto* cmd = root.add_subcommand("analyze", "Analyze Istio configuration and report findings");
  cmd->footer(
      "Examples:\n"
      "  meshctl analyze k8s/                       # every .yaml/.yml/.json below k8s/\n"
      "  kubectl get vs,dr -A -o yaml | meshctl analyze -A -\n"
      "  meshctl analyze -o sarif --failure-threshold Warning manifests/ > analyze.sarif\n"
      "  meshctl analyze -A                         # the live cluster of the current kubeconfig context\n"
      "  meshctl analyze --use-kube new-vs.yaml     # the cluster with new-vs.yaml laid over it\n"
      "  meshctl analyze -A --remote-contexts east --remote-contexts west  # three clusters, one mesh\n"
      "\nExit codes: 0 ok, 64 usage, 65 unparsable input, 69 cluster unreachable or refused, 74 unreadable file, "
      "79 findings at or above "
      "--failure-threshold.");
  cmd->add_option("paths", f->paths, "Files or directories to analyze ('-' for standard input)");
  cmd->add_flag("-L,--list-analyzers", f->list, "List the analyzers available to run");
  cmd->add_option("--analyzer", f->analyzers, "Run only these analyzers (meshctl id or Istio name); repeatable")
      ->type_name("NAME")
      ->allow_extra_args(false);
  cmd->add_option("-S,--suppress", f->suppress,
                  "Suppress findings: CODE=<Kind ns/name glob>, e.g. \"IST0102=Namespace frod\"; repeatable")
      ->type_name("CODE=RESOURCE")
      ->allow_extra_args(false);
  cmd->add_option("--failure-threshold", f->failure_threshold,
                  "Minimum level that makes the exit code 79: Info, Warning, Error")
      ->capture_default_str();
  cmd->add_option("--output-threshold", f->output_threshold, "Minimum level shown: Info, Warning, Error")
      ->capture_default_str();
  cmd->add_option("-o,--output", f->output, "Output format: " + core::Join(output::FormatNames(), ", "))
      ->capture_default_str();
  cmd->add_option("-n,--namespace", f->ns, "Namespace for resources without one, and for findings (default: default)");
  cmd->add_flag("-A,--all-namespaces", f->all_namespaces, "Analyze all namespaces");
  cmd->add_option("-i,--istioNamespace", f->istio_namespace, "Istio system namespace")->capture_default_str();
  cmd->add_flag("-k,--use-kube{true}", f->use_kube_text,
                "Use the live cluster: the default without files; with files, -k or --use-kube[=true] lays them "
                "over it; -k=false or --use-kube=false analyzes files only")
      ->type_name("BOOL")
      ->check(GoBoolValidator());
  cmd->add_flag("-R,--recursive", f->recursive, "Removed; directories are always walked recursively");
  cmd->add_flag("-v,--verbose", f->verbose, "Print the analyzers that ran");
  cmd->add_flag("--ignore-unknown", f->ignore_unknown, "Do not fail on input that cannot be parsed");
  // A boolean flag as in istioctl: --color, --color=false; `--color FILE`
  // analyzes FILE in colour (the value is never taken from the next word).
  cmd->add_flag("--color{true}", f->color, "Colour: auto (terminal and no NO_COLOR), --color[=true], --color=false")
      ->default_str("auto")
      ->check(ColorValidator());
  cmd->add_option("--sarif-root", f->sarif_root,
                  "Directory SARIF artifact URIs are relative to (default: the working directory), e.g. the "
                  "repository root")
      ->type_name("DIR");
  cmd->add_option("--meshConfigFile", f->mesh_config_file, "Mesh config file (the mesh key of the istio ConfigMap)");
  cmd->add_option("--explain", f->explain, "Explain a message code (IST0101, MSH0201): meaning and fix")
      ->type_name("CODE");
  cmd->add_flag("--istio-test-harness", f->harness,
                "Istio's analyzer test-harness semantics: no default namespace, Istio's default ingress gateway "
                "Pod/Service added, only the selected analyzers' input kinds loaded, no analyzer skipped");
  cmd->add_option("-r,--revision", f->revision,
                  "Control plane revision: Istio resources labelled istio.io/rev with another revision are left out, "
                  "and the mesh config is ConfigMap istio-REV (else istio)")
      ->capture_default_str();
  cmd->add_option("--remote-contexts", f->remote_contexts,
                  "Kubeconfig contexts of remote clusters for multi-cluster analysis (not to be confused with "
                  "--context); repeatable. Findings name their cluster")
      ->type_name("CONTEXT")
      ->allow_extra_args(false);
  cmd->add_option("--timeout", f->timeout, "Accepted for istioctl compatibility; unused")->capture_default_str();
  AddInputLimitFlag(cmd, ctx);
  AddClusterFlags(cmd, f->cluster, {.with_namespace = false, .with_istio_namespace = false});
  cmd->callback([f, cmd, &ctx] {
    f->use_kube_given = cmd->count("--use-kube") > 0;
    f->use_kube = ParseGoBool(f->use_kube_text).value_or(true);
    ctx.exit_code = RunAnalyze(*f, ctx);
  });
}

}  // namespace meshctl::commands
