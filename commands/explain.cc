// `meshctl explain request`: one request walked through the Istio config
// (files/dirs/stdin or the live cluster, read as analyze reads them) and,
// with --config-dump, through the source proxy's Envoy config; the two
// walks are compared. `meshctl explain weights`: intended weight splits
// against the weighted clusters of one or more Envoy dumps.
#include <algorithm>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/analysis/mesh_config.h"
#include "lib/ambient/ztunnel_dump.h"
#include "lib/core/exit_codes.h"
#include "lib/envoy/admin_client.h"
#include "lib/envoy/config_dump.h"
#include "lib/explain/ambient_path.h"
#include "lib/explain/config_walk.h"
#include "lib/explain/dump_walk.h"
#include "lib/explain/render.h"
#include "lib/explain/weights.h"
#include "lib/io/http_client.h"
#include "lib/kube/istiod.h"
#include "lib/kube/live_source.h"
#include "lib/kube/pod_target.h"
#include "lib/model/loader.h"

namespace meshctl::commands {

namespace {

struct InputFlags {
  std::vector<std::string> files;
  bool use_kube = false;
  bool use_kube_given = false;
  kube::ClusterFlags cluster;
  std::string ns;
  std::string istio_namespace = "istio-system";
  std::string mesh_config_file;
  std::string cluster_domain = "cluster.local";
  std::string output = "text";
};

struct RequestFlags {
  InputFlags in;
  std::string url;
  std::string from;
  std::string host;
  int64_t port = 0;
  std::string path;
  std::string method = "GET";
  std::vector<std::string> headers;
  std::string protocol;
  std::string sni;
  std::string dest_ip;
  std::string config_dump;
  bool live_dump = false;
  bool live_dump_given = false;
  int proxy_admin_port = kube::kDefaultProxyAdminPort;
  std::string dest_config_dump;
  int64_t dest_port = 0;
  std::string ztunnel_dump;
};

struct WeightsFlags {
  InputFlags in;
  std::string service;
  std::vector<std::string> config_dumps;
};

// The config side: a Snapshot and the mesh config, read as analyze reads
// input (files laid over the live cluster when asked).
struct Loaded {
  io::InputSet inputs;
  model::LoadResult load;
  yaml::Document mesh;
  std::unique_ptr<kube::Client> client;  // when the cluster was read
};

// The cluster of the kubeconfig, with explain's -n and -i.
std::unique_ptr<kube::Client> Connect(const InputFlags& f, CommandContext& ctx, int& code) {
  kube::ClusterFlags cf = f.cluster;
  cf.namespace_name = f.ns;
  cf.istio_namespace = f.istio_namespace;
  cf.stdin_in_use = std::find(f.files.begin(), f.files.end(), "-") != f.files.end();
  return ConnectOrReport(cf, ctx, code);
}

int LoadConfig(const InputFlags& f, bool live, CommandContext& ctx, Loaded& out) {
  std::string ns = f.ns.empty() ? "default" : f.ns;
  if (live) {
    int code = 0;
    out.client = Connect(f, ctx, code);
    if (!out.client) return code;
  }
  if (!f.files.empty()) {
    auto inputs = ReadInputsOrReport(f.files, ctx);
    if (!inputs) return ctx.input_error_exit;
    out.inputs = std::move(*inputs);
    for (const auto& s : out.inputs.skipped)
      *ctx.err << "Skipping file " << s << ", recognized file extensions are: [.json .yaml .yml]\n";
  }
  if (out.client) {
    kube::AnalyzeListOptions lo;
    lo.istio_namespace = f.istio_namespace;
    int code = AddLiveInputs(*out.client, lo, ns, out.inputs, ctx);
    if (code != 0) return code;
    // EndpointSlices, which analyze does not read: the endpoints Istio sees (O10).
    auto slices = kube::ListKinds(*out.client, {{"discovery.k8s.io", "EndpointSlice"}}, "", lo.page_size);
    if (slices.ok()) {
      for (auto& file : slices->files) out.inputs.files.push_back(std::move(file));
    } else {
      *ctx.err << "Warning: EndpointSlices not read (endpoints come from the Pods): " << slices.status().message()
               << "\n";
    }
  }
  model::LoadOptions load;
  load.default_namespace = ns;
  out.load = model::LoadSnapshot(out.inputs, load);
  if (!out.load.errors.empty()) {
    for (const auto& e : out.load.errors) *ctx.err << "Error: " << e.message() << "\n";
    return core::kExitDataError;
  }
  std::string mesh_text, mesh_source = "mesh config";
  if (!f.mesh_config_file.empty()) {
    auto text = ReadOneInput(f.mesh_config_file, ctx);
    if (!text.ok()) {
      *ctx.err << "Error: " << text.status().message() << "\n";
      return text.status().ExitCode();
    }
    mesh_text = *text;
    mesh_source = f.mesh_config_file;
  } else if (const model::Resource* cm =
                 out.load.snapshot.Find(model::kinds::kConfigMap, f.istio_namespace, "istio")) {
    const yaml::Node* mesh = cm->Find("data.mesh");
    if (mesh && mesh->IsString()) {
      mesh_text = mesh->text();
      mesh_source = cm->file + " (data.mesh)";
    }
  }
  core::Status st = analysis::BuildMeshConfig(mesh_text, mesh_source, out.mesh);
  if (!st.ok()) {
    *ctx.err << "Error: mesh config: " << st.message() << "\n";
    return core::kExitDataError;
  }
  return core::kExitOk;
}

// The source proxy's /config_dump?include_eds, reached as proxy-config
// reaches a pod (kube::ResolvePod, a port-forward to its Envoy admin port):
// the config walk's source (a Pod as it is, a workload through its
// selector, an ingress gateway the input lacks by its labels), else --from
// as given.
core::Result<envoy::ConfigDump> FetchSourceDump(kube::Client& client, const explain::Walk* config,
                                                const RequestFlags& f, const std::string& ns) {
  kube::PodInfo pod;
  if (config && config->source_kind.empty() && !config->source_selector.empty()) {
    ASSIGN_OR_RETURN(auto pods, kube::PodsForSelector(client, config->source_ns, config->source_selector));
    kube::SortByLogging(pods);
    pod = pods.front();
  } else {
    std::string text = f.from;
    if (config && !config->source_kind.empty())
      text = core::ToLower(config->source_kind) + "/" + config->source_name + "." + config->source_ns;
    ASSIGN_OR_RETURN(kube::PodArgument arg, kube::ParsePodArgument(text, ns));
    ASSIGN_OR_RETURN(pod, kube::ResolvePod(client, arg));
  }
  ASSIGN_OR_RETURN(kube::PodInfo running, kube::GetRunningPod(client, pod.ns, pod.name));
  ASSIGN_OR_RETURN(kube::AdminForward fw,
                   kube::ForwardToAdmin(client, running, static_cast<uint16_t>(f.proxy_admin_port)));
  auto http = io::NewCurlHttpClient();
  envoy::AdminOptions opts;
  opts.base_url = fw.base_url;
  if (client.config().timeout.count() > 0) opts.timeout = client.config().timeout;
  envoy::AdminClient admin(*http, opts);
  auto text = admin.ConfigDump(envoy::DumpSection::kAllWithEds);
  if (!text.ok())
    return kube::ExplainForwardFailure(text.status(), fw.forward.get(), "could not read the Envoy config of pod " + fw.pod);
  auto dump = envoy::ConfigDump::Parse(*text, "pod " + running.ns + "/" + running.name + " /config_dump");
  if (!dump.ok()) return core::DataError(dump.status().message());
  return dump;
}

// --ztunnel-dump: the ambient path (lib/explain/ambient_path.h), added when
// ztunnel captures the source, or alone to say why it does not.
int AddAmbientWalk(const RequestFlags& f, const explain::Request& req, const model::Snapshot* snap,
                   std::vector<explain::Walk>& walks, CommandContext& ctx) {
  auto text = ReadOneInput(f.ztunnel_dump, ctx);
  if (!text.ok()) {
    *ctx.err << "Error: " << text.status().message() << "\n";
    return text.status().ExitCode();
  }
  auto dump = ambient::ZtunnelDump::Parse(*text, f.ztunnel_dump == "-" ? "<stdin>" : f.ztunnel_dump);
  if (!dump.ok()) {
    *ctx.err << "Error: " << dump.status().message() << "\n";
    return dump.status().ExitCode();
  }
  if (!explain::IsAmbientSource(*dump, req) && !walks.empty()) {
    *ctx.err << "Note: ztunnel does not capture the source (per " << dump->source()
             << "): no ambient path; the sidecar walk applies.\n";
    return core::kExitOk;
  }
  explain::AmbientPathOptions opts;
  opts.snapshot = snap;
  walks.push_back(explain::WalkAmbient(*dump, req, opts));
  return core::kExitOk;
}

bool CheckOutput(const std::string& output, CommandContext& ctx) {
  if (output == "text" || output == "json") return true;
  *ctx.err << "Error: -o " << output << " is not one of text, json\n";
  return false;
}

int RunRequest(RequestFlags f, CommandContext& ctx) {
  if (!CheckOutput(f.in.output, ctx)) return core::kExitUsage;
  explain::Request req;
  if (!f.protocol.empty()) req.protocol = core::ToLower(f.protocol);
  if (!f.url.empty()) {
    core::Status st = explain::ParseUrl(f.url, req);
    if (!st.ok()) {
      *ctx.err << "Error: " << st.message() << "\n";
      return core::kExitUsage;
    }
    if (!f.protocol.empty()) req.protocol = core::ToLower(f.protocol);
  }
  if (!f.host.empty()) req.host = core::ToLower(f.host);
  if (f.port) {
    req.port = f.port;
    req.port_given = true;
  } else if (f.url.empty()) {
    req.port = req.protocol == "tls" ? 443 : 80;
  }
  if (!f.path.empty()) {
    explain::Request tmp;
    core::Status st = explain::ParseUrl("http://x" + (f.path[0] == '/' ? f.path : "/" + f.path), tmp);
    if (st.ok()) {
      req.path = tmp.path;
      req.query = tmp.query;
    }
  }
  req.method = core::ToUpper(f.method);
  for (const auto& h : f.headers) {
    core::Status st = explain::AddHeader(h, req);
    if (!st.ok()) {
      *ctx.err << "Error: " << st.message() << "\n";
      return core::kExitUsage;
    }
  }
  req.sni = f.sni;
  req.dest_ip = f.dest_ip;
  // --from WORKLOAD[.NS]: the last dot separates the namespace.
  req.from = f.from;
  req.from_ns = f.in.ns;
  if (size_t dot = f.from.rfind('.'); dot != std::string::npos && dot > 0 && dot + 1 < f.from.size()) {
    req.from = f.from.substr(0, dot);
    req.from_ns = f.from.substr(dot + 1);
  }
  if (size_t slash = req.from.find('/'); slash != std::string::npos) {
    req.from_kind = core::ToLower(req.from.substr(0, slash));
    req.from = req.from.substr(slash + 1);
  }
  core::Status st = explain::CheckRequest(req);
  if (!st.ok()) {
    *ctx.err << "Error: " << st.message() << ". See meshctl explain request --help\n";
    return core::kExitUsage;
  }

  bool live = f.in.use_kube_given ? f.in.use_kube
                                  : f.in.files.empty() && f.config_dump.empty() && f.dest_config_dump.empty() &&
                                        f.ztunnel_dump.empty();
  // The source pod's own dump: asked for, or by default when the config
  // comes from the cluster and --from names the source.
  bool live_dump = f.live_dump_given ? f.live_dump : live && !f.from.empty() && f.config_dump.empty();
  if (live_dump && !f.config_dump.empty()) {
    *ctx.err << "Error: --config-dump and --live-dump both give the source proxy's dump; give one\n";
    return core::kExitUsage;
  }
  if (live_dump && f.from.empty()) {
    *ctx.err << "Error: --live-dump reads the source pod's Envoy: give --from POD[.NS]\n";
    return core::kExitUsage;
  }
  bool config_walk = live || !f.in.files.empty();
  std::vector<explain::Walk> walks;
  Loaded loaded;
  if (config_walk) {
    int code = LoadConfig(f.in, live, ctx, loaded);
    if (code != core::kExitOk) return code;
    // Against a cluster, the source's namespace defaults as kubectl's does.
    if (loaded.client && req.from_ns.empty()) req.from_ns = loaded.client->config().namespace_name;
    explain::ConfigWalkOptions opts;
    opts.cluster_domain = f.in.cluster_domain;
    opts.mesh_config = &loaded.mesh.root;
    auto walk = explain::WalkConfig(loaded.load.snapshot, req, opts);
    if (!walk.ok()) {
      *ctx.err << "Error: " << walk.status().message() << "\n";
      return walk.status().ExitCode();
    }
    walk->source = core::Join(f.in.files, ", ");
    if (live) walk->source += (walk->source.empty() ? "" : " over ") + std::string("the cluster");
    walks.push_back(std::move(walk).value());
  }
  std::optional<envoy::ConfigDump> dump;
  if (!f.config_dump.empty()) {
    auto text = ReadOneInput(f.config_dump, ctx);
    if (!text.ok()) {
      *ctx.err << "Error: " << text.status().message() << "\n";
      return text.status().ExitCode();
    }
    auto parsed = envoy::ConfigDump::Parse(*text, f.config_dump == "-" ? "standard input" : f.config_dump);
    if (!parsed.ok()) {
      *ctx.err << "Error: " << parsed.status().message() << "\n";
      return core::kExitDataError;
    }
    dump = std::move(parsed).value();
  } else if (live_dump) {
    if (!loaded.client) {
      int code = 0;
      loaded.client = Connect(f.in, ctx, code);
      if (!loaded.client) return code;
    }
    const explain::Walk* config = walks.empty() ? nullptr : &walks.front();
    std::string ns = !req.from_ns.empty() ? req.from_ns : loaded.client->config().namespace_name;
    auto fetched = FetchSourceDump(*loaded.client, config, f, ns);
    if (fetched.ok()) {
      dump = std::move(fetched).value();
    } else if (f.live_dump_given) {
      *ctx.err << "Error: " << fetched.status().message() << "\n";
      return fetched.status().ExitCode();
    } else {
      // Not asked for: the config walk stands alone.
      *ctx.err << "Warning: no dump walk: " << fetched.status().message()
               << "\n  (--live-dump=false skips it; --config-dump FILE walks a saved dump)\n";
    }
  }
  if (dump) {
    explain::DumpWalkOptions dopts;
    dopts.dest_ip = !req.dest_ip.empty() ? req.dest_ip : walks.empty() ? "" : walks.front().dest_ip;
    walks.push_back(explain::WalkDump(*dump, req, dopts));
  }
  if (!f.dest_config_dump.empty()) {
    auto text = ReadOneInput(f.dest_config_dump, ctx);
    if (!text.ok()) {
      *ctx.err << "Error: " << text.status().message() << "\n";
      return text.status().ExitCode();
    }
    auto parsed = envoy::ConfigDump::Parse(*text, f.dest_config_dump == "-" ? "standard input" : f.dest_config_dump);
    if (!parsed.ok()) {
      *ctx.err << "Error: " << parsed.status().message() << "\n";
      return core::kExitDataError;
    }
    // The client's transport and the port from the config walk's first
    // destination; without one, auto-mTLS toward a sidecar.
    bool mtls = true;
    int64_t port = f.dest_port;
    if (!walks.empty() && walks.front().kind == "config" && !walks.front().outcome.destinations.empty()) {
      mtls = walks.front().outcome.destinations.front().mtls;
      if (!port) port = walks.front().outcome.destinations.front().port;
    }
    if (!port) port = req.port;
    if (walks.empty() || walks.back().kind != "dump") {
      explain::Walk w;
      w.kind = "dump";
      w.source = parsed->source();
      w.outcome.reached = true;
      w.outcome.result = "routed";
      walks.push_back(std::move(w));
    }
    explain::WalkDestinationDump(*parsed, req, port, mtls, walks.back());
  }
  std::optional<std::vector<explain::Disagreement>> diffs;
  if (walks.size() == 2 && walks[0].kind == "config" && dump) diffs = explain::Compare(walks[0], walks[1]);
  if (!f.ztunnel_dump.empty()) {
    int code = AddAmbientWalk(f, req, config_walk ? &loaded.load.snapshot : nullptr, walks, ctx);
    if (code != core::kExitOk) return code;
  }
  std::vector<const explain::Walk*> ptrs;
  for (const auto& w : walks) ptrs.push_back(&w);
  if (f.in.output == "json") {
    envoy::WriteJson(explain::ToJson(req, ptrs, diffs ? &*diffs : nullptr), *ctx.out, 2);
  } else {
    explain::RenderText(req, ptrs, diffs ? &*diffs : nullptr, *ctx.out);
  }
  bool reached = true;
  for (const auto& w : walks) reached = reached && w.outcome.reached;
  return reached ? core::kExitOk : core::kExitFindings;
}

int RunWeights(const WeightsFlags& f, CommandContext& ctx) {
  if (!CheckOutput(f.in.output, ctx)) return core::kExitUsage;
  if (f.config_dumps.empty()) {
    *ctx.err << "Error: give at least one --config-dump to compare with. See meshctl explain weights --help\n";
    return core::kExitUsage;
  }
  bool live = f.in.use_kube_given ? f.in.use_kube : f.in.files.empty();
  Loaded loaded;
  int code = LoadConfig(f.in, live, ctx, loaded);
  if (code != core::kExitOk) return code;
  std::vector<envoy::ConfigDump> dumps;
  for (const auto& path : f.config_dumps) {
    auto text = ReadOneInput(path, ctx);
    if (!text.ok()) {
      *ctx.err << "Error: " << text.status().message() << "\n";
      return text.status().ExitCode();
    }
    auto parsed = envoy::ConfigDump::Parse(*text, path == "-" ? "standard input" : path);
    if (!parsed.ok()) {
      *ctx.err << "Error: " << parsed.status().message() << "\n";
      return core::kExitDataError;
    }
    dumps.push_back(std::move(parsed).value());
  }
  explain::WeightsOptions opts;
  opts.cluster_domain = f.in.cluster_domain;
  opts.ns = f.in.ns.empty() ? "default" : f.in.ns;
  auto report = explain::CompareWeights(loaded.load.snapshot, f.service, dumps, opts);
  if (!report.ok()) {
    *ctx.err << "Error: " << report.status().message() << "\n";
    return report.status().ExitCode();
  }
  if (f.in.output == "json") {
    envoy::WriteJson(explain::WeightsJson(*report), *ctx.out, 2);
  } else {
    explain::RenderWeights(*report, *ctx.out);
  }
  return report->drift ? core::kExitFindings : core::kExitOk;
}

void AddInputFlags(CLI::App* cmd, InputFlags& f, CommandContext& ctx) {
  cmd->add_option("-f,--filename", f.files,
                  "Config to walk: files, directories ('-' for standard input), read as analyze reads them")
      ->type_name("PATH")
      ->allow_extra_args(false);
  cmd->add_flag("-k,--use-kube", f.use_kube,
                "Read the live cluster (the default without files; with files, they are laid over it); "
                "-k=false or --use-kube=false reads files only")
      ->check(GoBoolValidator());
  cmd->add_option("-n,--namespace", f.ns, "Namespace of the source workload and of resources without one (default: default)");
  cmd->add_option("-i,--istioNamespace", f.istio_namespace, "Istio system namespace (its istio ConfigMap is the mesh config)")
      ->capture_default_str();
  cmd->add_option("--mesh-config,--meshConfigFile", f.mesh_config_file,
                  "Mesh config file (the mesh key of the istio ConfigMap)")
      ->type_name("FILE");
  cmd->add_option("--cluster-domain", f.cluster_domain, "The cluster's DNS domain")->capture_default_str();
  cmd->add_option("-o,--output", f.output, "Output format: text, json")->capture_default_str();
  AddInputLimitFlag(cmd, ctx);
  AddClusterFlags(cmd, f.cluster, {.with_namespace = false, .with_istio_namespace = false});
}

}  // namespace

void RegisterExplain(CLI::App& root, CommandContext& ctx) {
  auto* cmd = root.add_subcommand("explain", "Walk one request through the mesh config and an Envoy dump");
  cmd->require_subcommand(1);
  cmd->footer(
      "Examples:\n"
      "  meshctl explain request -f testdata/bookinfo --from productpage-v1.bookinfo \\\n"
      "      http://reviews:9080/ -H 'end-user: jason'\n"
      "  meshctl explain request -f k8s/ --from ingress --host bookinfo.example.com --port 80 --path /productpage\n"
      "  meshctl explain request -f k8s/ --from sleep.default http://reviews:9080/ --config-dump sleep-dump.json\n"
      "  meshctl explain weights reviews -n bookinfo -f k8s/ --config-dump a.json --config-dump b.json\n"
      "\nExit codes: 0 the request reaches a destination (no drift), 64 usage, 65 unparsable input, "
      "69 cluster or the source pod's Envoy unreachable, 74 unreadable file, 79 the request fails (or the weights drift).");

  auto rf = std::make_shared<RequestFlags>();
  auto* req = cmd->add_subcommand("request", "The path of one request: hops with verdicts, sources and Envoy names");
  req->add_option("url", rf->url, "The request URL: http://reviews:9080/api/v1?x=1");
  req->add_option("--url", rf->url, "The request URL (instead of the positional argument)");
  req->add_option("--from", rf->from, "Source workload: POD|WORKLOAD[.NS], kind/name[.NS], or ingress[.NS]")
      ->type_name("WORKLOAD[.NS]");
  req->add_option("--host", rf->host, "Request host (instead of a URL)");
  req->add_option("--port", rf->port, "Port the client connects to (default 80, 443 for TLS)")
      ->check(CLI::Range(1, 65535));
  req->add_option("--path", rf->path, "Request path and query (default /)");
  req->add_option("--method", rf->method, "Request method")->capture_default_str();
  req->add_option("-H,--header", rf->headers, "Request header 'name: value'; repeatable")
      ->type_name("'NAME: VALUE'")
      ->allow_extra_args(false);
  req->add_option("--protocol", rf->protocol, "Protocol: http, http2, grpc, tcp, tls (default from the URL scheme)");
  req->add_option("--sni", rf->sni, "TLS server name (default: the host)");
  req->add_option("--dest-ip", rf->dest_ip, "Address the client dials (default: the service VIP from the config)");
  req->add_option("--config-dump", rf->config_dump, "Source proxy's Envoy /config_dump (a file, '-' for stdin)")
      ->type_name("FILE");
  req->add_flag("--live-dump", rf->live_dump,
                "Walk the source pod's live /config_dump?include_eds (port-forward to its Envoy admin); the "
                "default when the config comes from the cluster and --from is given");
  req->add_option("--proxy-admin-port", rf->proxy_admin_port, "Envoy admin port of the source pod")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  req->add_option("--dest-config-dump", rf->dest_config_dump,
                  "Destination proxy's /config_dump: its inbound mTLS mode and RBAC policies (D9)")
      ->type_name("FILE");
  req->add_option("--dest-port", rf->dest_port, "Workload port for --dest-config-dump (default: the destination's)")
      ->check(CLI::Range(1, 65535));
  req->add_option("--ztunnel-dump", rf->ztunnel_dump,
                  "Source ztunnel's /config_dump: for an ambient source, the ztunnel -> waypoint -> destination path")
      ->type_name("FILE");
  AddInputFlags(req, rf->in, ctx);
  req->callback([rf, req, &ctx] {
    rf->in.use_kube_given = req->count("--use-kube") > 0;
    rf->live_dump_given = req->count("--live-dump") > 0;
    ctx.exit_code = RunRequest(*rf, ctx);
  });

  auto wf = std::make_shared<WeightsFlags>();
  auto* weights = cmd->add_subcommand(
      "weights", "Intended VirtualService/HTTPRoute weight splits against the weighted clusters in Envoy dumps");
  weights->add_option("service", wf->service, "Service host: name (in -n), name.ns or the FQDN")->required();
  weights->add_option("--config-dump", wf->config_dumps, "Envoy /config_dump to compare; repeatable")
      ->type_name("FILE")
      ->allow_extra_args(false);
  AddInputFlags(weights, wf->in, ctx);
  weights->callback([wf, weights, &ctx] {
    wf->in.use_kube_given = weights->count("--use-kube") > 0;
    ctx.exit_code = RunWeights(*wf, ctx);
  });
}

}  // namespace meshctl::commands
