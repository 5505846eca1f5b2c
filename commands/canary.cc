// `meshctl canary SERVICE -f FILES (--weight N | --promote | --rollback |
// --steps LIST | --step N --max M)`: traffic-shifting configuration for a
// canary release, generated or patched into the existing manifests, checked
// before it is printed or written (lib/canary/canary.h).
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/canary/canary.h"
#include "lib/canary/plan.h"
#include "lib/canary/progressive.h"
#include "lib/canary/progressive_kube.h"
#include "lib/canary/server_fields.h"
#include "lib/canary/unified_diff.h"
#include "lib/core/exit_codes.h"
#include "lib/core/strings.h"
#include "lib/io/files.h"
#include "lib/io/http_client.h"
#include "lib/kube/live_source.h"
#include "lib/metrics/prometheus.h"
#include "lib/model/loader.h"
#include "lib/yaml/writer.h"

namespace meshctl::commands {

namespace {

struct CanaryFlags {
  std::string service;
  std::vector<std::string> files;
  std::string ns;  // "" = the kubeconfig context's namespace live, "default" with files
  int weight = -1;
  bool promote = false;
  bool rollback = false;
  std::string stable;
  std::string canary;
  std::string target = "auto";
  std::string stable_backend;
  std::string canary_backend;
  std::string mode = "subset";
  std::string gateway;
  std::vector<std::string> routes;
  std::vector<std::string> headers;
  std::vector<std::string> cookies;
  int mirror = -1;
  std::string steps;
  int step = 0;
  int max = 0;
  std::string emit_steps;
  std::string output = "yaml";
  bool in_place = false;
  bool no_backup = false;
  std::string version_label = "version";
  // Live cluster: read it when no -f is given; --apply writes the change.
  kube::ClusterFlags cluster;
  bool apply = false;
  std::string dry_run = "none";
  bool force_conflicts = false;
  bool force = false;
  // Progressive run (a plan with --apply): lib/canary/progressive.h.
  bool abort = false;
  std::string interval = "1m";
  std::string prometheus;
  std::string prometheus_token_file;
  std::string prometheus_ca;
  bool prometheus_insecure = false;
  double min_success_rate = 99;
  std::string max_latency_p99 = "500ms";
  double min_requests = 10;
  int failure_limit = 1;
  int inconclusive_limit = 3;
  std::vector<std::string> checks;
  std::string canary_workload;
  std::string ready_timeout = "5m";

  // Set from the parsed command line.
  bool weight_given = false, mirror_given = false, step_given = false, max_given = false, output_given = false;
  bool progressive_flag_given = false;  // any of the run's own flags
  std::string progressive_flag_name;
};

int Usage(CommandContext& ctx, const std::string& msg) {
  *ctx.err << "Error: " << msg << "\nRun 'meshctl canary --help' for usage.\n";
  return core::kExitUsage;
}

int Fail(CommandContext& ctx, const core::Status& st) {
  *ctx.err << "Error: " << st.message() << "\n";
  return st.ExitCode();
}

core::Result<std::vector<canary::MatchRule>> ParseRules(const std::vector<std::string>& raw, const char* flag) {
  std::vector<canary::MatchRule> out;
  for (const auto& r : raw) {
    size_t eq = r.find('=');
    if (eq == std::string::npos || eq == 0)
      return core::InvalidArgument(std::string(flag) + " \"" + r + "\": give NAME=VALUE, e.g. end-user=jason");
    out.push_back({r.substr(0, eq), r.substr(eq + 1)});
  }
  return out;
}

// Checks the combination of flags; returns "" when fine.
std::string CheckFlags(const CanaryFlags& f, bool plan) {
  int actions = (f.weight_given ? 1 : 0) + (f.promote ? 1 : 0) + (f.rollback ? 1 : 0) + (plan ? 1 : 0) +
                (f.abort ? 1 : 0);
  if (actions == 0) return "say what to do: --weight N, --promote, --rollback, or a plan with --steps / --step";
  if (actions > 1) return "--weight, --promote, --rollback, --abort and --steps/--step exclude each other; give one";
  bool run = plan && f.apply;
  if (f.progressive_flag_given && !run)
    return f.progressive_flag_name + " belongs to a progressive run: a plan (--steps or --step) with --apply";
  if (f.abort && (!f.files.empty() || f.in_place || f.output_given))
    return "--abort rolls the cluster back; it excludes -f, --in-place and -o";
  if (f.dry_run == "client" && !run) return "--dry-run=client previews a progressive run (a plan with --apply)";
  if (run) {
    if (!f.files.empty()) return "a progressive run (--apply with a plan) reads the cluster; drop -f";
    if (!f.emit_steps.empty() || f.in_place) return "--apply with a plan runs it in the cluster; it excludes "
                                                     "--emit-steps and --in-place";
    if (f.output_given && f.output != "json") return "-o " + f.output + ": a progressive run prints text or json";
    if (f.force_conflicts && f.dry_run != "none") return "--force-conflicts and --dry-run exclude each other";
    return "";
  }
  if (!f.steps.empty() && (f.step_given || f.max_given)) return "--steps and --step/--max exclude each other";
  if (f.max_given && !f.step_given) return "--max needs --step";
  if (!f.emit_steps.empty() && !plan) return "--emit-steps needs a plan (--steps or --step)";
  if (f.no_backup && !f.in_place) return "--no-backup applies to --in-place only";
  if (f.in_place && plan) return "--in-place writes one change; with a plan use --emit-steps DIR";
  if (f.in_place && f.output_given) return "--in-place and -o exclude each other";
  if (plan && !f.emit_steps.empty() && f.output == "diff") return "--emit-steps writes yaml or json manifests, not diffs";
  if (f.output != "yaml" && f.output != "json" && f.output != "diff")
    return "-o " + f.output + " is not a format of canary: choose yaml, json or diff";
  if (f.dry_run != "none" && f.dry_run != "server" && f.dry_run != "client")
    return "--dry-run=" + f.dry_run + ": choose none, client or server";
  if ((f.dry_run == "server" || f.force_conflicts) && !f.apply && !f.abort)
    return "--dry-run and --force-conflicts need --apply";
  if (f.apply && (plan || f.in_place || f.output_given))
    return "--apply writes one change to the cluster; it excludes plans, --in-place and -o";
  return "";
}

std::string RenderObjects(const std::vector<yaml::Node>& objects, const std::string& format) {
  if (format == "json") {
    yaml::Node list = yaml::Node::Map({});
    list.Set("apiVersion", yaml::Node::Scalar(yaml::NodeType::kString, "v1", {}));
    list.Set("kind", yaml::Node::Scalar(yaml::NodeType::kString, "List", {}));
    yaml::Node items = yaml::Node::Seq({});
    for (const auto& o : objects) items.Push(o);
    list.Set("items", std::move(items));
    return yaml::WriteJson(list, 2);
  }
  std::vector<const yaml::Node*> docs;
  for (const auto& o : objects) docs.push_back(&o);
  auto text = yaml::WriteYamlStream(docs);
  return text.ok() ? *text : "";
}

// Prints notes and findings; returns false when the findings block the change.
bool Report(const canary::CanaryResult& r, CommandContext& ctx) {
  for (const auto& n : r.notes) *ctx.err << "note: " << n << "\n";
  for (const auto& d : r.findings) *ctx.err << d.ToString() << "\n";
  if (r.has_errors) {
    *ctx.err << "Error: the change does not pass verification (errors above); nothing was written\n";
    return false;
  }
  return true;
}

std::string Summary(const canary::CanarySpec& s, const canary::CanaryResult& r) {
  std::string how = std::string(canary::TargetName(r.target));
  if (r.target == canary::Target::kIstio) how += r.mode == canary::IstioMode::kHost ? ", host" : ", subset";
  return s.service + ": " + r.stable + " " + std::to_string(100 - s.weight) + "% / " + r.canary + " " +
         std::to_string(s.weight) + "% (" + how + ")";
}

int WriteInPlace(const canary::CanaryResult& r, const io::InputSet& inputs, const CanaryFlags& f,
                 CommandContext& ctx) {
  for (const auto& fc : r.files) {
    if (fc.created)
      return Usage(ctx, "--in-place has no YAML input file to add the new resources to (inputs are JSON); use -o yaml");
    if (fc.path == "-") return Usage(ctx, "--in-place cannot rewrite standard input; give files with -f");
  }
  // Nothing is written unless every file can be (docs/reliability.md).
  for (const auto& fc : r.files) {
    core::Status st = io::CheckInPlaceWritable(fc.path);
    if (!st.ok()) return Fail(ctx, st);
  }
  if (!f.no_backup) {
    for (const auto& fc : r.files) {
      struct stat st {};
      std::optional<unsigned> mode;
      if (::stat(fc.path.c_str(), &st) == 0) mode = st.st_mode & 07777;
      core::Status w = io::WriteFileAtomic(fc.path + ".bak", fc.before, mode);
      if (!w.ok()) return Fail(ctx, w);
    }
  }
  // One rename per file; the order keeps every state in between consistent.
  for (size_t i : canary::SafeWriteOrder(inputs, r.files, f.ns)) {
    const auto& fc = r.files[i];
    core::Status st = io::WriteFileInPlace(fc.path, fc.after);
    if (!st.ok()) return Fail(ctx, st);
    *ctx.out << "updated " << fc.path << (f.no_backup ? "" : " (previous version in " + fc.path + ".bak)") << "\n";
  }
  return core::kExitOk;
}

// Fields the API server sets: not printed for live objects, never sent in
// an apply body (managedFields in it is an error).
void StripServerFields(yaml::Node& obj) {
  obj.Remove("status");
  if (yaml::Node* md = obj.GetMutable("metadata")) {
    for (const char* k : {"managedFields", "resourceVersion", "uid", "creationTimestamp", "generation", "selfLink"})
      md->Remove(k);
  }
}

std::string YamlText(const yaml::Node& n) {
  auto text = yaml::WriteYaml(n);
  return text.ok() ? *text : "";
}

std::string ScalarAt(const yaml::Node& obj, std::string_view path) {
  const yaml::Node* n = obj.Find(path);
  return n ? n->ToScalarString() : "";
}

// -o diff for live objects: each object as YAML, before and after.
void LiveDiff(const canary::CanaryResult& r, const io::InputSet& inputs, CommandContext& ctx) {
  model::LoadResult live = model::LoadSnapshot(inputs, {});
  for (const auto& obj : r.objects) {
    std::string api = ScalarAt(obj, "apiVersion"), kind = ScalarAt(obj, "kind");
    std::string ns = ScalarAt(obj, "metadata.namespace"), name = ScalarAt(obj, "metadata.name");
    std::string group = api.find('/') == std::string::npos ? "" : api.substr(0, api.rfind('/'));
    const model::Resource* before = live.snapshot.Find({group, kind}, ns, name);
    std::string label = kind + "/" + (ns.empty() ? "" : ns + "/") + name;
    std::string old_text;
    if (before) {
      yaml::Node b = *before->root;
      StripServerFields(b);
      old_text = YamlText(b);
    }
    yaml::Node a = obj;
    StripServerFields(a);
    *ctx.out << canary::UnifiedDiff(old_text, YamlText(a), before ? "a/" + label : "/dev/null", "b/" + label);
  }
}

// Server-side apply of every changed or created object. A resource another
// controller owns (MSH0303) is not applied without --force.
int Apply(kube::Client& client, const canary::CanaryResult& r, const CanaryFlags& f, CommandContext& ctx) {
  bool owned = false;
  for (const auto& d : r.findings) owned = owned || d.code == "MSH0303";
  if (owned && !f.force) {
    *ctx.err << "Error: another controller owns a resource this change touches (MSH0303 above); nothing was "
                "applied. Pass --force to apply anyway.\n";
    return core::kExitDataError;
  }
  kube::ApplyOptions opts;
  opts.force = f.force_conflicts;
  opts.dry_run = f.dry_run == "server";
  // DestinationRules first: a VirtualService may name a subset they add.
  std::vector<const yaml::Node*> order;
  for (const auto& obj : r.objects)
    if (obj.Get("kind") && obj.Get("kind")->ToScalarString() == "DestinationRule") order.push_back(&obj);
  for (const auto& obj : r.objects)
    if (!(obj.Get("kind") && obj.Get("kind")->ToScalarString() == "DestinationRule")) order.push_back(&obj);
  for (const yaml::Node* obj : order) {
    yaml::Node body = *obj;
    StripServerFields(body);
    auto applied = canary::ApplyObject(client, body, opts);
    if (!applied.ok()) return Fail(ctx, applied.status());
    *ctx.out << *applied << " serverside-applied" << (opts.dry_run ? " (server dry run)" : "") << "\n";
  }
  return core::kExitOk;
}

int RunPlan(const CanaryFlags& f, canary::CanarySpec spec, const io::InputSet& inputs, CommandContext& ctx) {
  auto weights = !f.steps.empty() ? canary::ParseSteps(f.steps) : canary::LinearSteps(f.step, f.max_given ? f.max : 100);
  if (!weights.ok()) return Usage(ctx, weights.status().message());
  std::vector<std::string> dirs;
  std::string stable, canary_version;
  namespace fs = std::filesystem;
  for (size_t i = 0; i < weights->size(); ++i) {
    spec.weight = (*weights)[i];
    auto r = canary::RunCanary(inputs, spec);
    if (!r.ok()) return Fail(ctx, r.status());
    stable = r->stable;
    canary_version = r->canary;
    if (r->has_errors) {
      *ctx.err << "step " << i + 1 << " (" << spec.weight << "%):\n";
      Report(*r, ctx);
      return core::kExitDataError;
    }
    if (i == 0) {
      for (const auto& n : r->notes) *ctx.err << "note: " << n << "\n";
      for (const auto& d : r->findings) *ctx.err << d.ToString() << "\n";
    }
    if (f.emit_steps.empty()) continue;
    std::string dir = (fs::path(f.emit_steps) / canary::StepDirName(i, spec.weight)).string();
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Fail(ctx, core::IoError("cannot create directory \"" + dir + "\": " + ec.message()));
    std::string file = (fs::path(dir) / (spec.service + "-canary." + f.output)).string();
    core::Status st = io::WriteFileAtomic(file, RenderObjects(r->objects, f.output));
    if (!st.ok()) return Fail(ctx, st);
    dirs.push_back(file);
  }
  *ctx.out << canary::RenderPlanTable(*weights, stable, canary_version, dirs);
  return core::kExitOk;
}

std::atomic<int> g_interrupts{0};

extern "C" void OnInterrupt(int) { g_interrupts.fetch_add(1); }
extern "C" void OnTerminate(int) { g_interrupts.fetch_add(2); }

// While a run is in progress SIGINT counts (one: stop after the current
// step, two: stop now) and SIGTERM stops now (a CI runner cancelling a job
// sends SIGINT, then SIGTERM); either way the state is left "Paused". The
// previous handlers come back when the run ends.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupts = 0;
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    ::sigaction(SIGINT, &sa, &old_int_);
    sa.sa_handler = OnTerminate;
    ::sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptGuard() {
    ::sigaction(SIGINT, &old_int_, nullptr);
    ::sigaction(SIGTERM, &old_term_, nullptr);
  }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
};

std::string Hostname() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0) return "unknown-host";
  return buf;
}

// --steps/--step with --apply (and --abort): the run in lib/canary/progressive.h.
int RunProgressive(const CanaryFlags& f, const canary::CanarySpec& spec, bool plan, kube::Client& client,
                   CommandContext& ctx) {
  canary::ProgressiveOptions o;
  o.spec = spec;
  o.force = f.force;
  o.force_conflicts = f.force_conflicts;
  o.canary_workload = f.canary_workload;
  o.holder = Hostname() + " pid " + std::to_string(::getpid());
  o.abort_command = "meshctl canary " + spec.service + " -n " + spec.ns + " --abort";
  o.resume_command = "the same command (meshctl canary " + spec.service + " -n " + spec.ns + " ... --apply)";
  auto cluster = canary::NewKubeProgressiveCluster(client, spec.ns);
  auto clock = canary::NewSystemClock();
  std::unique_ptr<canary::ProgressSink> sink;
  if (f.output_given && f.output == "json") {
    sink = canary::NewJsonLinesSink(*ctx.out);
  } else if (ctx.stdout_is_tty) {
    sink = canary::NewTableSink(*ctx.out);
  } else {
    sink = canary::NewLineSink(*ctx.out);
  }
  auto finish = [&](const canary::RunOutcome& r) {
    if (!r.message.empty()) *ctx.err << "Error: " << r.message << "\n";
    return r.exit_code;
  };
  if (!plan) {
    o.plan = {100};
    return finish(canary::AbortProgressive(*cluster, *clock, *sink, o, f.dry_run == "server"));
  }
  auto weights = !f.steps.empty() ? canary::ParseSteps(f.steps) : canary::LinearSteps(f.step, f.max_given ? f.max : 100);
  if (!weights.ok()) return Usage(ctx, weights.status().message());
  o.plan = *weights;
  auto interval = canary::ParseDuration(f.interval, "--interval", std::chrono::seconds(1));
  if (!interval.ok()) return Usage(ctx, interval.status().message());
  if (interval->count() < 1000) return Usage(ctx, "--interval " + f.interval + ": give at least 1s");
  o.interval = *interval;
  auto ready = canary::ParseDuration(f.ready_timeout, "--ready-timeout", std::chrono::seconds(1));
  if (!ready.ok()) return Usage(ctx, ready.status().message());
  o.ready_timeout = *ready;
  if (f.failure_limit < 1) return Usage(ctx, "--failure-limit must be at least 1");
  if (f.inconclusive_limit < 1) return Usage(ctx, "--inconclusive-limit must be at least 1");
  o.failure_limit = f.failure_limit;
  o.inconclusive_limit = f.inconclusive_limit;

  std::unique_ptr<metrics::MetricsSource> prom;
  if (!f.prometheus.empty()) {
    canary::CheckConfig c;
    c.ns = spec.ns;
    if (f.min_success_rate < 0 || f.min_success_rate > 100)
      return Usage(ctx, "--min-success-rate: give a percentage, 0 (off) to 100");
    if (f.min_success_rate > 0) c.min_success_rate = f.min_success_rate;
    auto p99 = canary::ParseDuration(f.max_latency_p99, "--max-latency-p99", std::chrono::milliseconds(1));
    if (!p99.ok()) return Usage(ctx, p99.status().message());
    if (p99->count() > 0) c.max_latency_p99_ms = static_cast<double>(p99->count());
    if (f.min_requests < 0) return Usage(ctx, "--min-requests cannot be negative");
    c.min_requests = f.min_requests;
    for (const auto& raw : f.checks) {
      auto k = canary::ParseCustomCheck(raw);
      if (!k.ok()) return Usage(ctx, k.status().message());
      c.custom.push_back(*k);
    }
    o.checks = c;
    metrics::PrometheusOptions po;
    po.url = f.prometheus;
    po.ca_file = f.prometheus_ca;
    po.insecure_skip_tls_verify = f.prometheus_insecure;
    if (!f.prometheus_token_file.empty()) {
      auto tok = ReadOneInput(f.prometheus_token_file, ctx);
      if (!tok.ok()) return Fail(ctx, tok.status());
      po.bearer_token = std::string(core::Trim(*tok));
    } else if (const char* env = std::getenv("MESHCTL_PROMETHEUS_TOKEN")) {
      po.bearer_token = std::string(core::Trim(env));
    }
    auto client_or = metrics::NewPrometheusClient(std::move(po), io::NewCurlHttpClient());
    if (!client_or.ok()) return Usage(ctx, client_or.status().message());
    prom = std::move(client_or).value();
  } else if (!f.checks.empty()) {
    return Usage(ctx, "--check needs --prometheus URL");
  }
  if (f.dry_run != "none") return finish(canary::PreviewProgressive(*cluster, *sink, o, f.dry_run == "server"));
  InterruptGuard guard;
  return finish(canary::RunProgressive(*cluster, prom.get(), *clock, *sink, g_interrupts, o));
}

int RunCanary(CanaryFlags& f, CommandContext& ctx) {
  bool plan = !f.steps.empty() || f.step_given;
  if (std::string err = CheckFlags(f, plan); !err.empty()) return Usage(ctx, err);

  canary::CanarySpec spec;
  spec.service = f.service;
  spec.ns = f.ns;
  spec.stable = f.stable;
  spec.canary = f.canary;
  spec.weight = f.promote ? 100 : f.rollback ? 0 : std::max(0, f.weight);
  if (f.target == "auto") {
    spec.target = canary::Target::kAuto;
  } else if (f.target == "istio") {
    spec.target = canary::Target::kIstio;
  } else if (f.target == "gateway-api") {
    spec.target = canary::Target::kGatewayApi;
  } else if (f.target == "smi") {
    spec.target = canary::Target::kSmi;
  } else {
    return Usage(ctx, "--target " + f.target + ": choose auto, istio, gateway-api or smi");
  }
  if (f.mode == "host") {
    spec.mode = canary::IstioMode::kHost;
  } else if (f.mode != "subset") {
    return Usage(ctx, "--mode " + f.mode + ": choose subset or host");
  }
  spec.gateway = f.gateway;
  spec.routes = f.routes;
  auto headers = ParseRules(f.headers, "--header");
  if (!headers.ok()) return Usage(ctx, headers.status().message());
  auto cookies = ParseRules(f.cookies, "--cookie");
  if (!cookies.ok()) return Usage(ctx, cookies.status().message());
  spec.headers = *headers;
  spec.cookies = *cookies;
  if (f.mirror_given) spec.mirror_percent = f.mirror;
  spec.version_label = f.version_label;

  std::unique_ptr<kube::Client> client;
  if (f.files.empty() || f.apply) {
    kube::ClusterFlags cf = f.cluster;
    cf.namespace_name = f.ns;
    int code = 0;
    client = ConnectOrReport(cf, ctx, code);
    if (!client) return code;
  }
  spec.ns = !f.ns.empty() ? f.ns : client ? client->config().namespace_name : "default";
  if ((plan && f.apply) || f.abort) return RunProgressive(f, spec, plan, *client, ctx);
  std::optional<io::InputSet> inputs;
  if (!f.files.empty()) {
    inputs = ReadInputsOrReport(f.files, ctx);
  } else {
    auto live = canary::ReadCanaryObjects(*client, spec.ns);
    if (!live.ok()) return Fail(ctx, live.status());
    inputs = std::move(live).value();
  }
  if (!inputs) return ctx.input_error_exit;
  for (const auto& s : inputs->skipped) {
    // FILE.bak files are canary's own backups (--in-place): skipped quietly.
    if (s.size() > 4 && s.compare(s.size() - 4, 4, ".bak") == 0) continue;
    *ctx.err << "Skipping file " << s << ", recognized file extensions are: [.json .yaml .yml]\n";
  }
  for (const auto& n : canary::DropDataFiles(*inputs)) *ctx.err << "note: " << n << "\n";

  if (plan) return RunPlan(f, spec, *inputs, ctx);

  auto result = canary::RunCanary(*inputs, spec);
  if (!result.ok()) return Fail(ctx, result.status());
  if (!Report(*result, ctx)) return core::kExitDataError;
  *ctx.err << Summary(spec, *result) << "\n";
  if (result->objects.empty()) {
    *ctx.err << "nothing to change: the input already has this split\n";
    return core::kExitOk;
  }
  if (f.in_place) return WriteInPlace(*result, *inputs, f, ctx);
  if (f.apply) return Apply(*client, *result, f, ctx);
  if (f.files.empty()) {
    for (auto& o : result->objects) StripServerFields(o);
    if (f.output == "diff") {
      LiveDiff(*result, *inputs, ctx);
      return core::kExitOk;
    }
  }
  if (f.output == "diff") {
    for (const auto& fc : result->files) {
      // git's labels: a/PATH and b/PATH (an absolute path without its leading '/').
      std::string rel = !fc.path.empty() && fc.path[0] == '/' ? fc.path.substr(1) : fc.path;
      *ctx.out << canary::UnifiedDiff(fc.before, fc.after, fc.created ? "/dev/null" : "a/" + rel, "b/" + rel);
    }
    return core::kExitOk;
  }
  *ctx.out << RenderObjects(result->objects, f.output);
  return core::kExitOk;
}

}  // namespace

void RegisterCanary(CLI::App& root, CommandContext& ctx) {
  auto f = std::make_shared<CanaryFlags>();
  auto* cmd = root.add_subcommand("canary", "Generate or patch traffic shifting for a canary release");
  cmd->footer(
      "Examples:\n"
      "  meshctl canary reviews -n bookinfo -f k8s/ --weight 10          # VS + DR, 10% to the canary\n"
      "  meshctl canary reviews -n bookinfo -f k8s/ --weight 50 -o diff  # what would change\n"
      "  meshctl canary reviews -n bookinfo -f k8s/ --promote --in-place  # rewrite the files\n"
      "  meshctl canary reviews -n bookinfo -f k8s/ --steps 1,5,10,25,50,100 --emit-steps plan/\n"
      "  meshctl canary reviews -f k8s/ --weight 0 --header end-user=jason  # A/B for one user\n"
      "  meshctl canary reviews -n bookinfo --weight 10                  # read the live cluster, print the patch\n"
      "  meshctl canary reviews -n bookinfo --weight 10 --apply --dry-run=server\n"
      "  meshctl canary reviews -n bookinfo --steps 5,25,50,100 --interval 2m --apply \\\n"
      "      --prometheus http://prometheus.istio-system:9090   # progressive, gated on Istio metrics\n"
      "  meshctl canary reviews -n bookinfo --abort                      # stop that run, back to 0%\n"
      "\nExit codes: 0 ok (promoted), 64 usage, 65 input meshctl cannot use or a change that fails verification, "
      "69 cluster unreachable, refused or a conflict (also: another run holds the lease), 74 unreadable or "
      "unwritable file, 79 a progressive run rolled back (failed checks, not enough traffic, canary not ready), "
      "130 a progressive run stopped by Ctrl-C.");
  cmd->add_option("service", f->service, "The Service to shift traffic for")->required();
  cmd->add_option("-f,--filename", f->files, "Manifests to read: files, directories (recursively) or - ; repeatable")
      ->type_name("FILE|DIR|-");
  cmd->add_option("-n,--namespace", f->ns,
                  "Namespace of the Service (and of resources without one); default: the kubeconfig context's "
                  "namespace live, default with -f");
  auto* weight = cmd->add_option("--weight", f->weight, "Percent of the traffic for the canary (0-100)")
                     ->check(CLI::Range(0, 100))
                     ->type_name("N");
  cmd->add_flag("--promote", f->promote, "Send all traffic to the canary (weight 100)");
  cmd->add_flag("--rollback", f->rollback, "Send all traffic back to the stable version (weight 0)");
  cmd->add_option("--stable", f->stable, "Stable version (version label value or DestinationRule subset)")
      ->type_name("VERSION");
  cmd->add_option("--canary", f->canary, "Canary version (default: found when the workloads have exactly two versions)")
      ->type_name("VERSION");
  cmd->add_option("--target", f->target,
                  "What to patch or generate: auto (follow the HTTPRoute, TrafficSplit or VirtualService that "
                  "routes the Service; else istio), istio, gateway-api, smi")
      ->capture_default_str();
  cmd->add_option("--stable-backend", f->stable_backend,
                  "Routes only: the Service that carries the stable traffic (e.g. Argo Rollouts' stableService); "
                  "with --canary-backend, no workloads are needed")
      ->type_name("SERVICE");
  cmd->add_option("--canary-backend", f->canary_backend, "Routes only: the Service that carries the canary traffic")
      ->type_name("SERVICE");
  cmd->add_option("--mode", f->mode, "istio: split by DestinationRule subset, or by per-version Service (host)")
      ->capture_default_str();
  cmd->add_option("--gateway", f->gateway, "gateway-api: attach a new HTTPRoute to this Gateway (NAME or NS/NAME) "
                                           "instead of the Service (GAMMA)");
  cmd->add_option("--route", f->routes, "Shift only these routes: route name, or http[N] / tcp[N] / tls[N] / rules[N]; "
                                        "repeatable")
      ->type_name("NAME");
  cmd->add_option("--header", f->headers, "A/B: requests with this header go to the canary (NAME=VALUE); repeatable")
      ->type_name("NAME=VALUE");
  cmd->add_option("--cookie", f->cookies, "A/B: requests with this cookie go to the canary (NAME=VALUE)")
      ->type_name("NAME=VALUE");
  auto* mirror = cmd->add_option("--mirror", f->mirror, "Mirror this percent of the stable traffic to the canary")
                     ->check(CLI::Range(0, 100))
                     ->type_name("PERCENT");
  cmd->add_option("--steps", f->steps, "Plan: canary weights, e.g. 1,5,10,25,50,100")->type_name("LIST");
  auto* step = cmd->add_option("--step", f->step, "Plan: increase the canary weight by N per step")
                   ->check(CLI::Range(1, 100))
                   ->type_name("N");
  auto* max = cmd->add_option("--max", f->max, "Plan: last canary weight with --step (default 100)")
                  ->check(CLI::Range(1, 100))
                  ->type_name("N");
  cmd->add_option("--emit-steps", f->emit_steps, "Plan: write one manifest set per step below DIR")->type_name("DIR");
  auto* output = cmd->add_option("-o,--output", f->output, "Output: yaml (changed resources), json (a List), diff "
                                                           "(unified diff of the input files)")
                     ->capture_default_str();
  cmd->add_flag("--in-place", f->in_place, "Rewrite the input files (atomically; FILE.bak keeps the old version)");
  cmd->add_flag("--no-backup", f->no_backup, "With --in-place: do not keep FILE.bak");
  cmd->add_option("--version-label", f->version_label, "Pod label that tells versions apart")->capture_default_str();
  cmd->add_flag("--apply", f->apply, "Write the change to the cluster with server-side apply (fieldManager meshctl)");
  cmd->add_option("--dry-run", f->dry_run,
                  "With --apply: none; server (the API server checks, nothing is stored); client (a progressive "
                  "run: print the plan and the queries, write nothing)")
      ->capture_default_str();
  cmd->add_flag("--force-conflicts", f->force_conflicts,
                "With --apply: take over fields another field manager owns instead of failing with the conflicts");
  cmd->add_flag("--force", f->force, "With --apply: apply even to resources Flagger, Argo Rollouts or Kiali own");
  // A progressive run: a plan with --apply (docs/canary.md).
  cmd->add_flag("--abort", f->abort,
                "Stop the progressive run recorded on the route (meshctl.io/canary-state) and roll back to 0%");
  std::vector<CLI::Option*> run_flags;
  run_flags.push_back(cmd->add_option("--interval", f->interval,
                                      "Progressive run: time each step gets before its checks (e.g. 30s, 2m)")
                          ->capture_default_str()
                          ->type_name("DURATION"));
  run_flags.push_back(cmd->add_option("--prometheus", f->prometheus,
                                      "Progressive run: gate every step on the canary's Istio metrics in this "
                                      "Prometheus (http:// or https:// URL)")
                          ->type_name("URL"));
  run_flags.push_back(cmd->add_option("--prometheus-token-file", f->prometheus_token_file,
                                      "Bearer token for --prometheus, read from FILE (else $MESHCTL_PROMETHEUS_TOKEN)")
                          ->type_name("FILE"));
  run_flags.push_back(
      cmd->add_option("--prometheus-ca", f->prometheus_ca, "CA bundle (PEM) to verify an https:// --prometheus with")
          ->type_name("FILE"));
  run_flags.push_back(cmd->add_flag("--prometheus-insecure-skip-tls-verify", f->prometheus_insecure,
                                    "Do not verify --prometheus's TLS certificate (insecure)"));
  run_flags.push_back(cmd->add_option("--min-success-rate", f->min_success_rate,
                                      "Progressive run: lowest non-5xx share of the canary's requests, in percent "
                                      "(0 = not checked)")
                          ->capture_default_str()
                          ->type_name("PERCENT"));
  run_flags.push_back(cmd->add_option("--max-latency-p99", f->max_latency_p99,
                                      "Progressive run: highest 99th percentile request duration of the canary "
                                      "(0 = not checked)")
                          ->capture_default_str()
                          ->type_name("DURATION"));
  run_flags.push_back(cmd->add_option("--min-requests", f->min_requests,
                                      "Progressive run: fewer canary requests in an interval leave the step not "
                                      "judged (\"not enough traffic\")")
                          ->capture_default_str()
                          ->type_name("N"));
  run_flags.push_back(cmd->add_option("--failure-limit", f->failure_limit,
                                      "Progressive run: failed checks before the run rolls back")
                          ->capture_default_str()
                          ->type_name("N"));
  run_flags.push_back(cmd->add_option("--inconclusive-limit", f->inconclusive_limit,
                                      "Progressive run: checks in a row without enough traffic before the run rolls "
                                      "back")
                          ->capture_default_str()
                          ->type_name("N"));
  run_flags.push_back(cmd->add_option("--check", f->checks,
                                      "Progressive run: a custom PromQL check, NAME=QUERY OP VALUE (OP: < <= > >= "
                                      "== !=); repeatable")
                          ->type_name("CHECK"));
  run_flags.push_back(cmd->add_option("--canary-workload", f->canary_workload,
                                      "Progressive run: the canary's workload name in Istio's metrics "
                                      "(destination_workload; default: the canary version's Deployment)")
                          ->type_name("NAME"));
  run_flags.push_back(cmd->add_option("--ready-timeout", f->ready_timeout,
                                      "Progressive run: how long to wait for the canary's ready replicas before the "
                                      "first step")
                          ->capture_default_str()
                          ->type_name("DURATION"));
  AddInputLimitFlag(cmd, ctx);
  AddClusterFlags(cmd, f->cluster, {.with_namespace = false, .with_istio_namespace = false});
  cmd->callback([f, &ctx, weight, mirror, step, max, output, run_flags] {
    f->progressive_flag_given = false;
    for (CLI::Option* o : run_flags)
      if (o->count() > 0) {
        f->progressive_flag_given = true;
        f->progressive_flag_name = o->get_name();
        break;
      }
    f->weight_given = weight->count() > 0;
    f->mirror_given = mirror->count() > 0;
    f->step_given = step->count() > 0;
    f->max_given = max->count() > 0;
    f->output_given = output->count() > 0;
    ctx.exit_code = RunCanary(*f, ctx);
  });
}

}  // namespace meshctl::commands
