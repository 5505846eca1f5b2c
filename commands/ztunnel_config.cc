// `meshctl ztunnel-config|zc <kind>`: a ztunnel's view of the ambient mesh
// (workloads, services, policies, certificates, connections) from a saved
// /config_dump (-f/--file, "-" for stdin), a reachable admin port
// (--admin-address), or the cluster: the ztunnel on a pod's node or on
// --node, through a port-forward (lib/ambient/ztunnel_target.h). Printed as
// istioctl prints it. Fetch -> parse (lib/ambient/ztunnel_dump.h) ->
// select/render (lib/ambient/ztunnel_summaries.h); `log` changes levels.
#include <ctime>
#include <memory>
#include <sstream>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/ambient/ztunnel_dump.h"
#include "lib/ambient/ztunnel_log.h"
#include "lib/ambient/ztunnel_summaries.h"
#include "lib/ambient/ztunnel_target.h"
#include "lib/core/exit_codes.h"
#include "lib/core/strings.h"
#include "lib/envoy/admin_client.h"
#include "lib/envoy/json_view.h"
#include "lib/io/http_client.h"
#include "lib/kube/rest_config.h"

namespace meshctl::commands {

namespace {

enum class ZKind { kWorkload, kService, kPolicy, kCertificate, kConnections, kAll, kLog };

struct ZcFlags {
  std::string target;  // [<type>/]<name>[.<namespace>]
  std::string file;
  std::string admin_address;
  std::string node;
  std::string output = "short";
  std::string compat;
  std::string timeout = "30s";
  int proxy_admin_port = envoy::kDefaultAdminPort;
  // filters
  std::string address, workload_namespace, workload_node, service_namespace, policy_namespace, direction;
  bool raw = false;
  bool with_headers = false;
  // log
  std::string level;
  bool reset = false;
  kube::ClusterFlags cluster;
};

struct ZKindSpec {
  ZKind kind;
  const char* name;
  std::vector<std::string> aliases;
  const char* summary;
  std::vector<std::string> outputs;
};

const std::vector<ZKindSpec>& ZKinds() {
  static const std::vector<ZKindSpec> kKinds = {
      {ZKind::kAll, "all", {}, "Workloads, services, policies, certificates and connections", {"short", "json", "yaml"}},
      {ZKind::kCertificate, "certificate", {"certificates", "certs", "cert", "secret"},
       "Certificates of the workloads the ztunnel serves, with validity", {"short", "json", "yaml"}},
      {ZKind::kConnections, "connections", {"cons"}, "Open connections of the ztunnel's workloads",
       {"short", "json", "yaml", "wide"}},
      {ZKind::kLog, "log", {"o"}, "Retrieve or set the ztunnel's logging levels (POST /logging)", {"short"}},
      {ZKind::kPolicy, "policy", {"policies", "p", "pol"}, "Authorization policies the ztunnel knows",
       {"short", "json", "yaml", "wide"}},
      {ZKind::kService, "service", {"services", "s", "svc"}, "Services the ztunnel knows",
       {"short", "json", "yaml", "wide"}},
      {ZKind::kWorkload, "workload", {"workloads", "w"}, "Workloads the ztunnel knows",
       {"short", "json", "yaml", "wide"}},
  };
  return kKinds;
}

int Fail(const core::Status& st, CommandContext& ctx) {
  *ctx.err << "Error: " << st.message() << "\n";
  return st.ExitCode();
}

int Usage(const std::string& msg, const std::string& sub, CommandContext& ctx) {
  *ctx.err << "Error: " << msg << "\nRun 'meshctl ztunnel-config " << sub << " --help' for usage.\n";
  return core::kExitUsage;
}

// "pod/name.ns" -> "name.ns" (the positional's resource type, if any).
std::string StripType(const std::string& target) {
  size_t slash = target.find('/');
  return slash == std::string::npos ? target : target.substr(slash + 1);
}

std::unique_ptr<envoy::AdminClient> MakeAdmin(const ZcFlags& f, std::unique_ptr<io::HttpClient>& http,
                                              core::Status& st) {
  auto base = envoy::AdminBaseUrl(f.admin_address);
  if (!base.ok()) {
    st = base.status();
    return nullptr;
  }
  auto timeout = envoy::ParseDuration(f.timeout);
  if (!timeout.ok()) {
    st = timeout.status();
    return nullptr;
  }
  envoy::AdminOptions opts;
  opts.base_url = *base;
  opts.timeout = *timeout;
  http = io::NewCurlHttpClient();
  return std::make_unique<envoy::AdminClient>(*http, opts);
}

// A cluster connection and the ztunnel(s) the arguments choose.
struct Live {
  std::unique_ptr<kube::Client> client;
  std::unique_ptr<io::HttpClient> http;
  ambient::ZtunnelTarget target;
  std::chrono::milliseconds timeout{0};

  core::Result<ambient::ZtunnelAdmin> Connect(const kube::PodInfo& pod, int port) {
    return ambient::ConnectZtunnelAdmin(*client, pod, static_cast<uint16_t>(port), *http, timeout);
  }
};

core::Result<Live> ConnectLive(const ZcFlags& f, bool single, bool for_log) {
  Live live;
  ASSIGN_OR_RETURN(live.timeout, envoy::ParseDuration(f.timeout));
  auto loaded = kube::LoadRestConfig(f.cluster);
  if (!loaded.ok())
    return core::Status(loaded.status().code(),
                        loaded.status().message() +
                            "\n  (meshctl reaches a ztunnel through the Kubernetes API; without a cluster, give "
                            "--admin-address HOST:15000 or -f DUMP.json)");
  kube::RestConfig rc = std::move(loaded).value();
  ambient::ZtunnelTargetRequest req;
  req.target = f.target;
  req.node = f.node;
  req.ns = rc.namespace_name;
  req.istio_namespace = f.cluster.istio_namespace;
  req.single = single;
  req.for_log = for_log;
  ASSIGN_OR_RETURN(live.client, kube::Client::Create(std::move(rc)));
  ASSIGN_OR_RETURN(live.target, ambient::ResolveZtunnelTarget(*live.client, req));
  live.http = io::NewCurlHttpClient();
  return live;
}

void Structured(const nlohmann::ordered_json& v, const std::string& output, std::ostream& out) {
  if (output == "yaml") {
    envoy::WriteYaml(v, out);
  } else {
    envoy::WriteJson(v, out, 4);
  }
}

int RunView(ZKind kind, const std::string& sub, const ZcFlags& f, CommandContext& ctx) {
  std::string text, source;
  std::string target = StripType(f.target);
  if (f.file.empty() && f.admin_address.empty()) {
    bool single = kind == ZKind::kCertificate || kind == ZKind::kConnections;
    auto live = ConnectLive(f, single, false);
    if (!live.ok()) return Fail(live.status(), ctx);
    auto zt = live->Connect(live->target.ztunnels.front(), f.proxy_admin_port);
    if (!zt.ok()) return Fail(zt.status(), ctx);
    auto body = zt->admin->Get("config_dump");
    if (!body.ok()) return Fail(zt->Explain(body.status()), ctx);
    text = std::move(*body);
    source = "ztunnel " + zt->pod + " /config_dump";
    // The pod argument chose the ztunnel; what it names is the workload
    // to show, when it is not the ztunnel itself.
    target = live->target.workload_name.empty() ? ""
                                                : live->target.workload_name + "." + live->target.workload_ns;
  } else if (!f.admin_address.empty()) {
    core::Status st;
    std::unique_ptr<io::HttpClient> http;
    auto admin = MakeAdmin(f, http, st);
    if (!admin) return Fail(st, ctx);
    auto body = admin->Get("config_dump");
    if (!body.ok()) return Fail(body.status(), ctx);
    text = std::move(*body);
    source = admin->base_url() + "/config_dump";
  } else {
    auto r = ReadOneInput(f.file, ctx);
    if (!r.ok()) return Fail(r.status(), ctx);
    text = std::move(*r);
    source = f.file == "-" ? "<stdin>" : f.file;
  }
  auto dump = ambient::ZtunnelDump::Parse(text, source);
  if (!dump.ok()) return Fail(dump.status(), ctx);

  const std::string& o = f.output;
  bool structured = o == "json" || o == "yaml";
  bool wide = o == "wide";
  bool compat = f.compat == "istioctl";
  std::ostringstream buf;
  int64_t now = static_cast<int64_t>(std::time(nullptr));

  switch (kind) {
    case ZKind::kWorkload: {
      ambient::WorkloadFilter wf{f.address, f.workload_node, f.workload_namespace, ""};
      if (!target.empty()) {
        size_t dot = target.find('.');
        wf.name = target.substr(0, dot);
        if (dot != std::string::npos) wf.ns = target.substr(dot + 1);
      }
      if (structured) {
        Structured(ambient::SelectWorkloads(*dump, wf, compat), o, buf);
      } else {
        ambient::PrintWorkloads(*dump, wf, wide, buf);
      }
      break;
    }
    case ZKind::kService:
      if (structured) {
        Structured(ambient::SelectServices(*dump, f.service_namespace, compat), o, buf);
      } else {
        ambient::PrintServices(*dump, f.service_namespace, wide, buf);
      }
      break;
    case ZKind::kPolicy:
      if (structured) {
        Structured(ambient::SelectPolicies(*dump, f.policy_namespace, compat), o, buf);
      } else {
        ambient::PrintPolicies(*dump, f.policy_namespace, wide, buf);
      }
      break;
    case ZKind::kCertificate:
      if (structured) {
        Structured(ambient::SelectCertificates(*dump, compat), o, buf);
      } else {
        ambient::PrintCertificates(*dump, now, buf);
      }
      break;
    case ZKind::kConnections: {
      ambient::ConnectionsFilter cf{f.workload_namespace, f.direction, target, f.raw};
      if (structured) {
        Structured(ambient::SelectConnections(*dump, cf, compat), o, buf);
      } else {
        ambient::PrintConnections(*dump, cf, buf);
      }
      break;
    }
    case ZKind::kAll:
      if (o == "json") {
        // istioctl passes the dump's bytes through.
        buf << dump->text() << "\n";
      } else if (o == "yaml") {
        envoy::WriteYaml(envoy::ToNlohmann(dump->root()), buf);
      } else {
        ambient::PrintAll(*dump, f.with_headers, now, buf);
      }
      break;
    case ZKind::kLog:
      return Usage("unexpected subcommand", sub, ctx);
  }
  *ctx.out << buf.view();
  return core::kExitOk;
}

int RunLog(const ZcFlags& f, CommandContext& ctx) {
  if (f.output != "short") return Usage("--output is not applicable for this command", "log", ctx);
  if (f.reset && !f.level.empty()) return Usage("--level cannot be combined with --reset", "log", ctx);
  auto query = ambient::ZtunnelLogQuery(f.level, f.reset);
  if (!query.ok()) return Fail(query.status(), ctx);
  if (!f.file.empty())
    return Usage("log talks to a live ztunnel: give a ztunnel pod, --node or --admin-address, not --file", "log", ctx);
  if (f.admin_address.empty()) {
    auto live = ConnectLive(f, false, true);
    if (!live.ok()) return Fail(live.status(), ctx);
    std::ostringstream buf;
    for (const auto& pod : live->target.ztunnels) {
      auto zt = live->Connect(pod, f.proxy_admin_port);
      if (!zt.ok()) return Fail(zt.status(), ctx);
      auto body = zt->admin->Logging(*query);
      if (!body.ok()) return Fail(zt->Explain(body.status()), ctx);
      buf << zt->pod << ":\n" << *body << "\n";
    }
    *ctx.out << buf.view();
    return core::kExitOk;
  }
  core::Status st;
  std::unique_ptr<io::HttpClient> http;
  auto admin = MakeAdmin(f, http, st);
  if (!admin) return Fail(st, ctx);
  auto body = admin->Logging(*query);
  if (!body.ok()) return Fail(body.status(), ctx);
  std::string base = admin->base_url();
  *ctx.out << base.substr(base.find("://") + 3) << ":\n" << *body << "\n";
  return core::kExitOk;
}

void AddFlags(CLI::App* cmd, ZcFlags& f, const ZKindSpec& k, CommandContext& ctx) {
  cmd->add_option("-f,--file", f.file, "Read a saved ztunnel /config_dump instead of a live ztunnel ('-' for stdin)");
  cmd->add_option("--admin-address", f.admin_address,
                  "A ztunnel admin endpoint reachable from here: HOST[:PORT] (e.g. after kubectl port-forward)");
  cmd->add_option("--node", f.node, "The node whose ztunnel to query (through the cluster)");
  cmd->add_option("--proxy-admin-port", f.proxy_admin_port, "ztunnel's admin port in the pod")->capture_default_str();
  cmd->add_option("--timeout", f.timeout, "Deadline for each admin request (e.g. 30s, 500ms)")->capture_default_str();
  cmd->add_option("-o,--output", f.output, "Output format: " + core::Join(k.outputs, ", "))
      ->check(CLI::IsMember(k.outputs))
      ->capture_default_str();
  if (k.kind != ZKind::kLog && k.kind != ZKind::kAll) {
    cmd->add_option("--compat", f.compat,
                    "With -o json|yaml: 'istioctl' re-marshals records as istioctl does (lossy) instead of the "
                    "dump's own objects")
        ->check(CLI::IsMember({"istioctl"}));
  }
  switch (k.kind) {
    case ZKind::kWorkload:
      cmd->add_option("--address", f.address, "Filter workloads by address");
      cmd->add_option("--workload-namespace", f.workload_namespace, "Filter workloads by namespace");
      cmd->add_option("--workload-node", f.workload_node, "Filter workloads by node");
      break;
    case ZKind::kService:
      cmd->add_option("--service-namespace", f.service_namespace, "Filter services by namespace");
      break;
    case ZKind::kPolicy:
      cmd->add_option("--policy-namespace", f.policy_namespace, "Filter policies by namespace");
      break;
    case ZKind::kConnections:
      cmd->add_option("--direction", f.direction, "Filter connections by direction: inbound or outbound")
          ->check(CLI::IsMember({"inbound", "outbound"}));
      cmd->add_flag("--raw", f.raw, "Print IP addresses instead of service and workload names");
      cmd->add_option("--workload-namespace", f.workload_namespace, "Filter connections by workload namespace");
      break;
    case ZKind::kAll:
      cmd->add_flag("--with-headers", f.with_headers, "Print a header before each section");
      break;
    case ZKind::kLog:
      cmd->add_option("--level", f.level,
                      "Level for all loggers (trace, debug, info, warning, error, critical, off) or "
                      "logger:level,... (sent to ztunnel as logger=level)");
      cmd->add_flag("-r,--reset", f.reset, "Reset levels to the default (info)");
      break;
    case ZKind::kCertificate: break;
  }
  AddClusterFlags(cmd, f.cluster);
  AddInputLimitFlag(cmd, ctx);
}

}  // namespace

void RegisterZtunnelConfig(CLI::App& root, CommandContext& ctx) {
  auto* zc = root.add_subcommand(
      "ztunnel-config",
      "A group of commands used to update or retrieve Ztunnel configuration from a Ztunnel instance "
      "(a live admin port or a saved config_dump)");
  zc->alias("zc");
  for (const auto& k : ZKinds()) {
    auto flags = std::make_shared<ZcFlags>();
    auto* cmd = zc->add_subcommand(k.name, k.summary);
    for (const auto& a : k.aliases) cmd->alias(a);
    bool takes_target = k.kind == ZKind::kWorkload || k.kind == ZKind::kConnections || k.kind == ZKind::kLog;
    if (takes_target) {
      cmd->add_option("target", flags->target,
                      "[<type>/]<name>[.<namespace>]: with -f or --admin-address, the workload to show; otherwise "
                      "a ztunnel pod, or a pod whose node's ztunnel to query (and the workload to show)")
          ->type_name("[TYPE/]NAME[.NAMESPACE]");
    }
    AddFlags(cmd, *flags, k, ctx);
    ZKind kind = k.kind;
    std::string sub = k.name;
    cmd->callback([flags, kind, sub, &ctx] {
      const ZcFlags& f = *flags;
      int sources = !f.file.empty() + !f.admin_address.empty() + !f.node.empty();
      if (sources > 1) {
        ctx.exit_code = Usage("at most one of --file, --admin-address or --node may be given", sub, ctx);
        return;
      }
      if (f.proxy_admin_port <= 0 || f.proxy_admin_port > 65535) {
        ctx.exit_code = Usage("invalid --proxy-admin-port " + std::to_string(f.proxy_admin_port), sub, ctx);
        return;
      }
      flags->cluster.stdin_in_use = f.file == "-";
      if (kind == ZKind::kLog) {
        ctx.exit_code = RunLog(f, ctx);
        return;
      }
      if (!f.compat.empty() && f.output != "json" && f.output != "yaml") {
        ctx.exit_code = Usage("--compat applies to -o json or -o yaml", sub, ctx);
        return;
      }
      ctx.exit_code = RunView(kind, sub, f, ctx);
    });
  }
  zc->callback([zc, &ctx] {
    if (zc->get_subcommands().empty()) *ctx.out << zc->help();
  });
}

}  // namespace meshctl::commands
