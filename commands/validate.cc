// `meshctl validate -f FILE|DIR|- ...`: istioctl validate's checks, output
// and exit codes, with file:line:col positions added.
#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "commands/command.h"
#include "lib/crd/crd_set.h"
#include "lib/kube/live_source.h"
#include "lib/io/input_source.h"
#include "commands/common.h"
#include "lib/core/exit_codes.h"
#include "lib/model/loader.h"
#include "lib/output/renderer.h"
#include "lib/validate/validate.h"

namespace meshctl::commands {

namespace {

struct ValidateFlags {
  std::vector<std::string> filenames;
  std::vector<std::string> paths;
  std::string output = "log";
  bool exit_code_findings = false;
  std::string istio_namespace = "istio-system";
  std::string ns;
  bool referential = false;
  std::string color = "auto";
  std::string sarif_root;
  std::vector<std::string> crds;
  bool crd_from_cluster = false;
  kube::ClusterFlags cluster;
};

std::string Position(const diag::Diagnostic& d) {
  if (d.file.empty()) return "";
  if (!d.mark.known()) return d.file;
  return fmt::format("{}:{}:{}", d.file, d.mark.line, d.mark.column);
}

// "* Kind/ns/name: message (file:line:col)" as istioctl prints it, plus the position.
std::string Bullet(const diag::Diagnostic& d) {
  std::string prefix = d.resource ? validate::IstioctlPrefix(*d.resource) : d.kind + "/" + d.ns + "/" + d.name;
  std::string pos = Position(d);
  return fmt::format("{}: {}{}", prefix, d.message, pos.empty() ? "" : " (" + pos + ")");
}

int RunValidate(const ValidateFlags& f, CommandContext& ctx) {
  std::vector<std::string> paths = f.filenames;
  paths.insert(paths.end(), f.paths.begin(), f.paths.end());
  std::string fmt_lower = core::ToLower(f.output);
  if (fmt_lower != "log") {
    auto r = output::MakeRenderer(f.output, {});
    if (!r.ok()) {
      *ctx.err << "Error: " << r.status().message() << ". See meshctl validate --help\n";
      return core::kExitUsage;
    }
  }
  if (paths.empty()) {
    *ctx.err << "Error: you must specify resources by --filename.\nExample resource specifications include:\n"
                "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n";
    return core::kExitUsage;
  }
  // --crd: custom resources are also checked against their CRD's schema.
  // --crd-from-cluster: the CRDs installed in the cluster (the versions
  // the API server will apply); --crd files are added after them.
  std::optional<crd::CrdSet> crds;
  if (f.crd_from_cluster) {
    kube::ClusterFlags cf = f.cluster;
    cf.namespace_name = f.ns;
    cf.istio_namespace = f.istio_namespace;
    cf.stdin_in_use = std::find(paths.begin(), paths.end(), "-") != paths.end();
    int code = 0;
    auto client = ConnectOrReport(cf, ctx, code);
    if (!client) return code;
    auto listed = kube::ListKinds(*client, {{"apiextensions.k8s.io", "CustomResourceDefinition"}}, "");
    if (!listed.ok()) {
      *ctx.err << "Error: --crd-from-cluster: " << listed.status().message() << "\n";
      return listed.status().ExitCode();
    }
    // A cluster without CRDs: nothing to add (not an error, unlike --crd with none).
    std::erase_if(listed->files, [](const io::InputFile& file) {
      return file.content.find("\"items\":[]") != std::string::npos;
    });
    if (!f.crds.empty()) {
      auto files = io::NewFileSource(f.crds, *ctx.in, ctx.read_options)->Read();
      if (!files.ok()) {
        *ctx.err << "Error: --crd: " << files.status().message() << "\n";
        return files.status().ExitCode();
      }
      for (auto& file : files->files) listed->files.push_back(std::move(file));
    }
    if (!listed->files.empty()) {
      std::vector<std::string> notes;
      auto loaded_crds = crd::LoadCrdSet(*listed, &notes);
      for (const auto& n : notes) *ctx.err << "Note: --crd " << n << "\n";
      if (!loaded_crds.ok()) {
        *ctx.err << "Error: --crd-from-cluster: " << loaded_crds.status().message() << "\n";
        return loaded_crds.status().ExitCode();
      }
      crds = std::move(loaded_crds).value();
    }
  } else if (!f.crds.empty()) {
    auto source = io::NewFileSource(f.crds, *ctx.in, ctx.read_options);
    std::vector<std::string> notes;
    auto loaded_crds = crd::LoadCrdSet(*source, &notes);
    for (const auto& n : notes) *ctx.err << "Note: --crd " << n << "\n";
    if (!loaded_crds.ok()) {
      *ctx.err << "Error: --crd: " << loaded_crds.status().message() << "\n";
      return loaded_crds.status().ExitCode();
    }
    crds = std::move(loaded_crds).value();
  }
  auto inputs = ReadInputsOrReport(paths, ctx);
  if (!inputs) return ctx.input_error_exit;

  model::LoadOptions lopts;
  lopts.require_api_version = false;  // istioctl looks only at kind for Kubernetes objects
  lopts.default_namespace = f.ns.empty() ? "default" : f.ns;
  PrepareHeapForLoad(*inputs, ctx);
  model::LoadResult loaded = model::LoadSnapshotReleasingText(*inputs, lopts);
  LeftToExit<model::LoadResult> keep(ctx, loaded);

  validate::ValidateContext vctx;
  vctx.istio_namespace = f.istio_namespace;
  vctx.default_namespace = lopts.default_namespace;
  diag::DiagnosticSink sink;
  validate::ValidateSnapshot(loaded.snapshot, vctx, sink);
  if (crds) {
    for (const auto& r : loaded.snapshot.resources())
      if (crds->Covers(r.group, r.kind)) crds->Validate(r, sink);
  }
  std::vector<diag::Diagnostic> diags = sink.Take();

  // Document order, then position (istioctl's order is random in places).
  std::map<std::string, size_t> file_order;
  for (size_t i = 0; i < inputs->files.size(); ++i) file_order.emplace(inputs->files[i].path, i);
  std::stable_sort(diags.begin(), diags.end(), [&](const diag::Diagnostic& a, const diag::Diagnostic& b) {
    size_t fa = file_order.count(a.file) ? file_order[a.file] : 0, fb = file_order.count(b.file) ? file_order[b.file] : 0;
    if (fa != fb) return fa < fb;
    if (a.mark.line != b.mark.line) return a.mark.line < b.mark.line;
    return a.mark.column < b.mark.column;
  });
  size_t errors = loaded.errors.size();
  for (const auto& d : diags) errors += d.severity == diag::Severity::kError ? 1 : 0;
  int fail_code = f.exit_code_findings ? core::kExitFindings : core::kExitFailure;
  int code = !loaded.errors.empty() ? core::kExitDataError : (errors ? fail_code : core::kExitOk);

  if (fmt_lower != "log") {
    output::RenderOptions ropts;
    ropts.color = UseColor(f.color, ctx);
    ropts.sarif_root = f.sarif_root;
    auto renderer = output::MakeRenderer(f.output, ropts);
    std::vector<diag::Diagnostic> shown;
    for (const auto& e : loaded.errors) {
      *ctx.err << "Error: failed to decode file: " << e.message() << "\n";
      shown.push_back(output::LoadErrorDiagnostic(e));  // also on the pull request / dashboard
    }
    shown.insert(shown.end(), diags.begin(), diags.end());
    renderer.value()->Render(shown, *ctx.out);
    return code;
  }

  // istioctl's layout: per file "has warnings" / "is valid", then the error list.
  std::map<std::string, std::vector<const diag::Diagnostic*>> warnings;
  std::map<std::string, bool> has_error;
  for (const auto& d : diags) {
    if (d.severity == diag::Severity::kError) has_error[d.file] = true;
    else if (d.severity == diag::Severity::kWarning) warnings[d.file].push_back(&d);
  }
  auto print_warnings = [&](const std::string& file) {
    auto it = warnings.find(file);
    if (it == warnings.end()) return false;
    if (file != "-") *ctx.out << "\"" << file << "\" has warnings: ";
    *ctx.out << "\n";
    for (const auto* w : it->second) *ctx.out << "\t* " << Bullet(*w) << "\n";
    *ctx.out << "\n";
    return true;
  };
  for (const auto& d : diags)
    if (d.severity == diag::Severity::kInfo) *ctx.out << d.message << " (" << Position(d) << ")\n";
  if (errors) {
    for (const auto& file : inputs->files) print_warnings(file.path);
    *ctx.err << "Error: " << errors << (errors == 1 ? " error occurred:\n" : " errors occurred:\n");
    for (const auto& e : loaded.errors) *ctx.err << "\t* failed to decode file: " << e.message() << "\n";
    for (const auto& d : diags)
      if (d.severity == diag::Severity::kError) *ctx.err << "\t* " << Bullet(d) << "\n";
    *ctx.err << "\n";
    return code;
  }
  for (const auto& file : inputs->files) {
    if (print_warnings(file.path)) continue;
    if (file.path == "-") *ctx.out << "validation succeed\n";
    else *ctx.out << "\"" << file.path << "\" is valid\n";
  }
  return code;
}

}  // namespace

void RegisterValidate(CLI::App& root, CommandContext& ctx) {
  auto f = std::make_shared<ValidateFlags>();
  auto* cmd = root.add_subcommand("validate", "Validate Istio resources like istioctl validate, with positions");
  cmd->alias("v");
  cmd->footer(
      "Examples:\n"
      "  meshctl validate -f samples/bookinfo/networking/bookinfo-gateway.yaml\n"
      "  meshctl validate -f k8s/ -f extra.yaml          # directories are walked for .yaml/.yml/.json\n"
      "  kubectl get vs -A -o yaml | meshctl validate -f -\n"
      "  meshctl validate -o sarif -f manifests/ > validate.sarif\n"
      "  meshctl validate --crd-from-cluster -f x.yaml   # also against the cluster's CRD schemas\n"
      "Exit status: 0 valid (warnings allowed), 1 invalid (79 with --exit-code-findings), 64 usage,\n"
      "65 unparsable input, 69 cluster unreachable or refused (--crd-from-cluster), 74 unreadable input.");
  cmd->add_option("-f,--filename", f->filenames, "Inputs of resources (file, directory or - for stdin); repeatable");
  cmd->add_option("paths", f->paths, "More inputs (like -f)");
  cmd->add_option("-o,--output", f->output,
                  "Output format: log (istioctl's text, default), json, yaml, sarif, github")
      ->capture_default_str();
  cmd->add_flag("--exit-code-findings", f->exit_code_findings,
                "Exit 79 (as meshctl analyze) instead of 1 when a resource is invalid");
  cmd->add_option("-i,--istioNamespace", f->istio_namespace,
                  "Istio system namespace; Service/Deployment checks skip it")
      ->capture_default_str();
  cmd->add_option("-n,--namespace", f->ns, "Namespace for resources without one (default \"default\")");
  cmd->add_option("--crd", f->crds,
                  "CustomResourceDefinition file or directory: custom resources are also checked against its "
                  "OpenAPI v3 schema and CEL rules; repeatable")
      ->type_name("FILE|DIR")
      ->allow_extra_args(false);
  cmd->add_flag("-x,--referential", f->referential, "Accepted and ignored, as in istioctl")->group("");
  cmd->add_option("--color", f->color, "Colour for -o log-like formats: auto, true, false")
      ->capture_default_str()
      ->check(ColorValidator());
  cmd->add_option("--sarif-root", f->sarif_root,
                  "Directory SARIF artifact URIs are relative to (default: the working directory)")
      ->type_name("DIR");
  cmd->add_flag("--crd-from-cluster", f->crd_from_cluster,
                "Also check custom resources against the CRDs installed in the cluster (the schemas the API server "
                "applies); --crd files are added after them");
  AddInputLimitFlag(cmd, ctx);
  AddClusterFlags(cmd, f->cluster, {.with_namespace = false, .with_istio_namespace = false});
  cmd->callback([f, &ctx] { ctx.exit_code = RunValidate(*f, ctx); });
}

}  // namespace meshctl::commands
