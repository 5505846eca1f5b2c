// `meshctl proxy-config|pc <kind>`: Envoy's state through its admin API
// (--admin-address) or from a saved dump (-f/--file, "-" for stdin), printed
// as istioctl prints it. Fetch -> parse -> select -> render; all logic is in
// lib/envoy. To add a view: a Print/Select pair in lib/envoy/summaries.h, a
// row in the kinds table below, its flags in man/meshctl-proxy-config.1.
#include <ctime>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/core/exit_codes.h"
#include "lib/core/strings.h"
#include "lib/envoy/admin_client.h"
#include "lib/envoy/config_dump.h"
#include "lib/envoy/logging.h"
#include "lib/envoy/stream_writer.h"
#include "lib/envoy/summaries.h"
#include "lib/io/http_client.h"
#include "lib/kube/istiod.h"
#include "lib/kube/pod_target.h"

namespace meshctl::commands {

namespace {

// Flags every proxy-config subcommand takes.
struct SourceFlags {
  std::string admin_address;
  std::string file;
  std::string output;
  std::string timeout = "30s";
  std::string cacert;
  std::string client_cert;
  std::string client_key;
  bool insecure_skip_verify = false;
  // A pod through the cluster (istioctl's POD[.NAMESPACE] / KIND/NAME[.NS]).
  std::string pod;
  std::string selector;  // -l (log, stats)
  int proxy_admin_port = kube::kDefaultProxyAdminPort;
  kube::ClusterFlags cluster;
};

struct ProxyConfigFlags {
  SourceFlags src;
  // filters
  std::string fqdn, subset, direction, address, type, name, cluster, status;
  int port = 0;
  bool verbose = true;
  bool with_headers = false;
  bool raw = false;  // -o json|yaml field names as the dump spells them
  // log
  std::string level;
  bool reset = false;
  // stats
  std::string filter;
};

int Fail(const core::Status& st, CommandContext& ctx) {
  *ctx.err << "Error: " << st.message() << "\n";
  return st.ExitCode();
}

int Usage(const std::string& msg, const std::string& sub, CommandContext& ctx) {
  *ctx.err << "Error: " << msg << "\nRun 'meshctl proxy-config " << sub << " --help' for usage.\n";
  return core::kExitUsage;
}

// Where the data comes from: exactly one of a pod (through a port-forward
// to its admin port), --admin-address, or --file.
class Source {
 public:
  static core::Result<Source> Make(const SourceFlags& f, bool needs_admin, const io::ReadOptions& read) {
    if (!f.pod.empty() || !f.selector.empty()) {
      ASSIGN_OR_RETURN(auto all, MakeAll(f, false, read));
      if (all.size() != 1) return core::Internal("one pod expected");
      return std::move(all.front());
    }
    if (f.admin_address.empty() == f.file.empty()) {
      return core::InvalidArgument(needs_admin
                                       ? "give a POD[.NAMESPACE] or --admin-address HOST[:PORT]"
                                       : "give a POD[.NAMESPACE], --admin-address HOST[:PORT] or -f/--file FILE");
    }
    if (needs_admin && f.admin_address.empty()) {
      return core::InvalidArgument(
          "this subcommand changes a live Envoy: give a POD[.NAMESPACE] or --admin-address "
          "HOST[:PORT]");
    }
    Source s;
    s.file_ = f.file;
    s.read_ = read;
    if (!f.admin_address.empty()) {
      ASSIGN_OR_RETURN(std::string base, envoy::AdminBaseUrl(f.admin_address));
      ASSIGN_OR_RETURN(auto timeout, envoy::ParseDuration(f.timeout));
      envoy::AdminOptions opts;
      opts.base_url = base;
      opts.timeout = timeout;
      opts.tls.ca_file = f.cacert;
      opts.tls.cert_file = f.client_cert;
      opts.tls.key_file = f.client_key;
      opts.tls.insecure_skip_verify = f.insecure_skip_verify;
      s.http_ = io::NewCurlHttpClient();
      s.admin_ = std::make_unique<envoy::AdminClient>(*s.http_, opts);
    }
    return s;
  }

  // One Source per pod: the POD argument resolved as istioctl does (all the
  // pods of a workload for log and stats, `all_pods`; the ByLogging first
  // otherwise) or -l's pods, each behind its own port-forward.
  static core::Result<std::vector<Source>> MakeAll(const SourceFlags& f, bool all_pods, const io::ReadOptions& read) {
    if (!f.pod.empty() && !f.selector.empty())
      return core::InvalidArgument("name cannot be provided when the label selector (-l) is specified");
    if (!f.admin_address.empty() || !f.file.empty())
      return core::InvalidArgument("give a POD, --admin-address or -f/--file, not several");
    if (f.proxy_admin_port <= 0 || f.proxy_admin_port > 65535)
      return core::InvalidArgument("--proxy-admin-port must be 1-65535");
    ASSIGN_OR_RETURN(auto timeout, envoy::ParseDuration(f.timeout));
    auto loaded = kube::LoadRestConfig(f.cluster);
    if (!loaded.ok())
      return core::Status(loaded.status().code(), loaded.status().message() +
                                                      "\n  (meshctl reaches a pod through the Kubernetes API; without "
                                                      "a cluster, give --admin-address HOST:15000 or -f DUMP.json)");
    kube::RestConfig rc = std::move(loaded).value();
    std::string ns = rc.namespace_name;
    ASSIGN_OR_RETURN(std::unique_ptr<kube::Client> made, kube::Client::Create(std::move(rc)));
    std::shared_ptr<kube::Client> client(std::move(made));
    std::vector<kube::PodInfo> pods;
    if (!f.selector.empty()) {
      ASSIGN_OR_RETURN(pods, kube::PodsForSelector(*client, ns, f.selector));
    } else {
      ASSIGN_OR_RETURN(kube::PodArgument arg, kube::ParsePodArgument(f.pod, ns));
      if (all_pods) {
        ASSIGN_OR_RETURN(pods, kube::ResolvePods(*client, arg));
      } else {
        ASSIGN_OR_RETURN(kube::PodInfo p, kube::ResolvePod(*client, arg));
        pods.push_back(std::move(p));
      }
    }
    std::vector<Source> out;
    for (const auto& p : pods) {
      ASSIGN_OR_RETURN(kube::PodInfo running, kube::GetRunningPod(*client, p.ns, p.name));
      (void)running;
      ASSIGN_OR_RETURN(kube::AdminForward fw,
                       kube::ForwardToAdmin(*client, p, static_cast<uint16_t>(f.proxy_admin_port)));
      Source s;
      s.read_ = read;
      s.client_ = client;
      s.pod_ = fw.pod;
      s.pod_name_ = p.name;
      s.forward_ = std::move(fw.forward);
      envoy::AdminOptions opts;
      opts.base_url = fw.base_url;
      opts.timeout = timeout;
      s.http_ = io::NewCurlHttpClient();
      s.admin_ = std::make_unique<envoy::AdminClient>(*s.http_, opts);
      out.push_back(std::move(s));
    }
    return out;
  }

  // "<name>.<ns>" of a pod source, "" otherwise.
  const std::string& pod() const { return pod_; }
  const std::string& pod_name() const { return pod_name_; }

  // A failed admin request, with the port-forward's own reason when there
  // is one.
  core::Status Explain(const core::Status& st) const {
    if (st.ok() || !forward_) return st;
    return kube::ExplainForwardFailure(st, forward_.get(), "could not reach the Envoy admin of pod " + pod_);
  }

  bool online() const { return admin_ != nullptr; }
  envoy::AdminClient& admin() { return *admin_; }

  // The raw text: the file, stdin, or GET <path> from the admin endpoint.
  core::Result<std::pair<std::string, std::string>> Text(const std::string& admin_path, std::istream& in) {
    if (online()) {
      auto body = admin_->Get(admin_path);
      if (!body.ok()) return Explain(body.status());
      std::string where = pod_.empty() ? admin_->base_url() + "/" + admin_path : "pod " + pod_ + " /" + admin_path;
      return std::make_pair(std::move(body).value(), where);
    }
    // Files, pipes and /dev/fd/N (process substitution) alike, bounded and
    // with the reason when they cannot be read (lib/io/files.h).
    if (file_ == "-") {
      ASSIGN_OR_RETURN(std::string text, io::ReadStream(in, "standard input", read_));
      return std::make_pair(std::move(text), std::string("<stdin>"));
    }
    ASSIGN_OR_RETURN(std::string text, io::ReadFile(file_, read_));
    return std::make_pair(std::move(text), file_);
  }

  core::Result<envoy::ConfigDump> Dump(envoy::DumpSection section, std::istream& in) {
    // A file is mapped rather than read into a string (lib/io's limits and
    // messages still apply); other text is parsed without a second copy.
    if (!online() && file_ != "-") return envoy::ConfigDump::Load(file_, read_);
    ASSIGN_OR_RETURN(auto text, Text(envoy::ConfigDumpPath(section), in));
    return envoy::ConfigDump::ParseOwned(std::move(text.first), text.second);
  }

 private:
  std::string file_;
  io::ReadOptions read_;
  std::shared_ptr<kube::Client> client_;  // for a pod source; outlives forward_
  std::unique_ptr<kube::PortForward> forward_;
  std::string pod_, pod_name_;
  std::unique_ptr<io::HttpClient> http_;
  std::unique_ptr<envoy::AdminClient> admin_;
};

enum class Kind { kCluster, kListener, kRoute, kEndpoint, kEds, kSecret, kBootstrap, kEcds, kAll, kLog, kStats, kServerInfo };

int64_t Now() { return static_cast<int64_t>(std::time(nullptr)); }

// -o json|yaml options: istioctl's lowerCamelCase names unless --raw.
envoy::StreamOptions StreamOpts(const ProxyConfigFlags& f, bool drop_type) {
  envoy::StreamOptions o;
  o.format = f.src.output == "yaml" ? envoy::StructuredFormat::kYaml : envoy::StructuredFormat::kJson;
  o.names = f.raw ? envoy::FieldNames::kProtoNames : envoy::FieldNames::kCamel;
  o.drop_type = drop_type;
  return o;
}

// Output rendered into a buffer first so an error never leaves half a table.
int Emit(const core::Status& st, const std::ostringstream& buf, CommandContext& ctx) {
  if (!st.ok()) return Fail(st, ctx);
  *ctx.out << buf.view();
  return core::kExitOk;
}

int RunDumpView(Kind kind, const ProxyConfigFlags& f, CommandContext& ctx) {
  auto src = Source::Make(f.src, false, ctx.read_options);
  if (!src.ok()) return Fail(src.status(), ctx);
  const std::string& o = f.src.output;
  bool structured = o == "json" || o == "yaml";
  std::ostringstream buf;
  core::Status st;

  envoy::ClusterFilter cf{f.fqdn, f.port, f.subset, f.direction};
  envoy::ListenerFilter lf{f.address, f.port, f.type, f.verbose};
  envoy::RouteFilter rf{f.name, f.verbose};
  envoy::EndpointFilter ef{f.address, f.port, f.cluster, f.status};

  if (kind == Kind::kEndpoint) {
    auto text = src->Text("clusters?format=json", *ctx.in);
    if (!text.ok()) return Fail(text.status(), ctx);
    auto doc = envoy::JsonDocument::Parse(text->first, text->second);
    if (!doc.ok()) return Fail(doc.status(), ctx);
    if (auto bad = envoy::CheckClustersJson((*doc)->root(), text->second); !bad.ok()) return Fail(bad, ctx);
    if (structured) {
      auto sel = envoy::SelectClusterEndpoints((*doc)->root(), ef);
      if (!sel.ok()) return Fail(sel.status(), ctx);
      envoy::StreamValue(*sel, StreamOpts(f, false), *ctx.out);
      return core::kExitOk;
    } else {
      st = envoy::PrintEndpointSummary((*doc)->root(), ef, buf);
    }
    return Emit(st, buf, ctx);
  }

  envoy::DumpSection section = envoy::DumpSection::kAllWithEds;
  switch (kind) {
    case Kind::kCluster: section = envoy::DumpSection::kClusters; break;
    case Kind::kListener: section = envoy::DumpSection::kListeners; break;
    case Kind::kRoute: section = envoy::DumpSection::kRoutes; break;
    case Kind::kSecret: section = envoy::DumpSection::kSecrets; break;
    case Kind::kBootstrap: section = envoy::DumpSection::kBootstrap; break;
    default: break;
  }
  auto dump = src->Dump(section, *ctx.in);
  if (!dump.ok()) return Fail(dump.status(), ctx);

  switch (kind) {
    case Kind::kCluster:
      if (structured) {
        auto sel = envoy::SelectClusters(*dump, cf);
        if (!sel.ok()) return Fail(sel.status(), ctx);
        // A list of messages, so without the "@type" each carried in its Any.
        envoy::StreamMessages(*sel, StreamOpts(f, true), *ctx.out);
        return core::kExitOk;
      } else {
        st = envoy::PrintClusterSummary(*dump, cf, false, buf);
      }
      break;
    case Kind::kListener:
      if (structured) {
        auto sel = envoy::SelectListeners(*dump, lf);
        if (!sel.ok()) return Fail(sel.status(), ctx);
        // A list of messages, so without the "@type" each carried in its Any.
        envoy::StreamMessages(*sel, StreamOpts(f, true), *ctx.out);
        return core::kExitOk;
      } else {
        st = envoy::PrintListenerSummary(*dump, lf, false, buf);
      }
      break;
    case Kind::kRoute:
      if (structured) {
        auto sel = envoy::SelectRoutes(*dump, rf);
        if (!sel.ok()) return Fail(sel.status(), ctx);
        // A list of messages, so without the "@type" each carried in its Any.
        envoy::StreamMessages(*sel, StreamOpts(f, true), *ctx.out);
        return core::kExitOk;
      } else {
        st = envoy::PrintRouteSummary(*dump, rf, false, buf);
      }
      break;
    case Kind::kEds:
      if (structured) {
        auto sel = envoy::SelectEds(*dump, ef);
        if (!sel.ok()) return Fail(sel.status(), ctx);
        envoy::StreamValue(*sel, StreamOpts(f, false), *ctx.out);
        return core::kExitOk;
      } else {
        st = envoy::PrintEdsSummary(*dump, ef, false, buf);
      }
      break;
    case Kind::kSecret:
      if (structured) {
        auto sel = envoy::SelectSecrets(*dump);
        if (!sel.ok()) return Fail(sel.status(), ctx);
        envoy::StreamValue(*sel, StreamOpts(f, false), *ctx.out);
        return core::kExitOk;
      } else {
        st = envoy::PrintSecretSummary(*dump, false, Now(), buf);
      }
      break;
    case Kind::kBootstrap:
      if (structured) {
        auto sel = envoy::SelectBootstrap(*dump);
        if (!sel.ok()) return Fail(sel.status(), ctx);
        envoy::StreamValue(*sel, StreamOpts(f, true), *ctx.out);
        return core::kExitOk;
      } else {
        st = envoy::PrintBootstrapSummary(*dump, buf);
      }
      break;
    case Kind::kEcds:
      if (structured) {
        auto sel = envoy::SelectEcds(*dump);
        if (!sel.ok()) return Fail(sel.status(), ctx);
        envoy::StreamValue(*sel, StreamOpts(f, false), *ctx.out);
        return core::kExitOk;
      } else {
        st = envoy::PrintEcdsSummary(*dump, buf);
      }
      break;
    case Kind::kAll:
      if (structured) {
        // istioctl prints the dump itself here, names as Envoy wrote them.
        envoy::StreamOptions raw = StreamOpts(f, false);
        raw.names = envoy::FieldNames::kProtoNames;
        envoy::StreamValue(dump->root(), raw, *ctx.out);
        return core::kExitOk;
      } else {
        envoy::AllOptions ao{cf, lf, rf, envoy::EndpointFilter{}, f.with_headers, Now()};
        st = envoy::PrintAllSummary(*dump, ao, buf);
        if (!st.ok()) *ctx.out << buf.view();  // the sections it has, then why endpoints are missing
      }
      break;
    default:
      return Fail(core::Internal("unexpected proxy-config kind"), ctx);
  }
  return Emit(st, buf, ctx);
}

// One Envoy's logging: list, or set and list. Returns the listing.
core::Result<std::string> LogOne(const ProxyConfigFlags& f, Source& src) {
  auto listing = src.admin().Logging("");
  if (!listing.ok()) return src.Explain(listing.status());
  ASSIGN_OR_RETURN(auto queries, envoy::BuildLogQueries(f.level, f.reset, *listing));
  std::string body = *listing;
  for (const auto& q : queries) {
    auto r = src.admin().Logging(q);
    if (!r.ok()) return src.Explain(r.status());
    body = *r;
  }
  return body;
}

int RunLog(const ProxyConfigFlags& f, CommandContext& ctx) {
  if (f.src.output != "short") return Usage("--output " + f.src.output + " is not supported by log (only short)", "log", ctx);
  if (f.reset && !f.level.empty()) return Usage("--level cannot be combined with --reset", "log", ctx);
  bool mutate = f.reset || !f.level.empty();
  if (!f.src.pod.empty() || !f.src.selector.empty()) {
    // Every pod the argument (or -l) selects, as istioctl does; each one's
    // listing under "<pod>.<ns>:".
    auto all = Source::MakeAll(f.src, true, ctx.read_options);
    if (!all.ok()) return Fail(all.status(), ctx);
    int code = core::kExitOk;
    for (auto& src : *all) {
      auto body = LogOne(f, src);
      if (!body.ok()) {
        *ctx.err << "Error: error configuring log level for " << src.pod() << ": " << body.status().message() << "\n";
        code = body.status().ExitCode();
        continue;
      }
      *ctx.out << src.pod() << ":\n" << *body;
    }
    return code;
  }
  auto src = Source::Make(f.src, mutate, ctx.read_options);
  if (!src.ok()) return Fail(src.status(), ctx);
  if (!src->online()) {
    // A saved `POST /logging` listing: print it.
    auto text = src->Text("", *ctx.in);
    if (!text.ok()) return Fail(text.status(), ctx);
    if (auto bad = envoy::CheckLoggingListing(text->first, text->second); !bad.ok()) return Fail(bad, ctx);
    *ctx.out << text->first;
    return core::kExitOk;
  }
  auto body = LogOne(f, *src);
  if (!body.ok()) return Fail(body.status(), ctx);
  std::string base = src->admin().base_url();
  *ctx.out << base.substr(base.find("://") + 3) << ":\n" << *body;
  return core::kExitOk;
}

// Prints one Envoy's statistics.
core::Status StatsOne(const ProxyConfigFlags& f, Source& src, std::istream& in, std::ostream& out) {
  const std::string& o = f.src.output;
  std::string text;
  std::string source;
  if (src.online()) {
    auto r = src.admin().Stats(o == "short" ? "" : o, f.filter);
    if (!r.ok()) return src.Explain(r.status());
    text = std::move(*r);
    source = src.pod().empty() ? src.admin().base_url() + "/stats" : "pod " + src.pod() + " /stats";
  } else {
    ASSIGN_OR_RETURN(auto r, src.Text("", in));
    RETURN_IF_ERROR(envoy::CheckStatsText(r.first, o, r.second));
    text = std::move(r.first);
    source = r.second;
  }
  if (o == "json") {
    ASSIGN_OR_RETURN(auto doc, envoy::JsonDocument::Parse(text, source));
    envoy::WriteJson(envoy::ToNlohmann(doc->root()), out, 4);
  } else {
    out << text;
  }
  return core::Status::Ok();
}

int RunStats(const ProxyConfigFlags& f, CommandContext& ctx) {
  if (!f.src.pod.empty() || !f.src.selector.empty()) {
    auto all = Source::MakeAll(f.src, true, ctx.read_options);
    if (!all.ok()) return Fail(all.status(), ctx);
    for (auto& src : *all) {
      std::ostringstream buf;
      core::Status st = StatsOne(f, src, *ctx.in, buf);
      if (!st.ok()) return Fail(st, ctx);
      *ctx.out << "\nThe result of pod " << src.pod_name() << ":\n\n" << buf.view();
    }
    return core::kExitOk;
  }
  auto src = Source::Make(f.src, false, ctx.read_options);
  if (!src.ok()) return Fail(src.status(), ctx);
  std::ostringstream buf;
  core::Status st = StatsOne(f, *src, *ctx.in, buf);
  return Emit(st, buf, ctx);
}

int RunServerInfo(const ProxyConfigFlags& f, CommandContext& ctx) {
  auto src = Source::Make(f.src, false, ctx.read_options);
  if (!src.ok()) return Fail(src.status(), ctx);
  auto text = src->Text("server_info", *ctx.in);
  if (!text.ok()) return Fail(text.status(), ctx);
  auto doc = envoy::JsonDocument::Parse(text->first, text->second);
  if (!doc.ok()) return Fail(doc.status(), ctx);
  if (auto bad = envoy::CheckServerInfo((*doc)->root(), text->second); !bad.ok()) return Fail(bad, ctx);
  envoy::JsonView v = (*doc)->root();
  if (f.src.output == "short") {
    *ctx.out << "Envoy Version: " << v["version"].ScalarText() << "\nState:         " << v["state"].ScalarText()
             << "\nUptime:        " << v["uptime_current_epoch"].ScalarText() << "\n";
    return core::kExitOk;
  }
  envoy::StreamOptions o = StreamOpts(f, false);
  o.names = envoy::FieldNames::kProtoNames;  // not a proto message: as Envoy writes it
  envoy::StreamValue(v, o, *ctx.out);
  return core::kExitOk;
}

struct KindSpec {
  Kind kind;
  const char* name;
  std::vector<std::string> aliases;
  const char* summary;
  const char* default_output;
  std::vector<std::string> outputs;
  bool hidden;
};

// One row per view, in istioctl's order.
const std::vector<KindSpec>& Kinds() {
  static const std::vector<KindSpec> kKinds = {
      {Kind::kAll, "all", {"a"}, "Bootstrap, clusters, listeners, routes, secrets and endpoints", "short",
       {"short", "json", "yaml"}, false},
      {Kind::kBootstrap, "bootstrap", {"b"}, "Bootstrap configuration (versions with -o short)", "json",
       {"short", "json", "yaml"}, false},
      {Kind::kCluster, "cluster", {"clusters", "c"}, "Cluster configuration", "short", {"short", "json", "yaml"}, false},
      {Kind::kEcds, "ecds", {"ec"}, "Typed extension configuration (ECDS)", "short", {"short", "json", "yaml"}, false},
      {Kind::kEds, "eds", {}, "Endpoints from the config dump's EndpointsConfigDump", "short",
       {"short", "json", "yaml"}, true},
      {Kind::kEndpoint, "endpoint", {"endpoints", "ep"}, "Endpoints and health from /clusters?format=json", "short",
       {"short", "json", "yaml"}, false},
      {Kind::kListener, "listener", {"listeners", "l"}, "Listener configuration", "short", {"short", "json", "yaml"},
       false},
      {Kind::kLog, "log", {"o"}, "List or set Envoy logging levels (POST /logging)", "short", {"short"}, false},
      {Kind::kRoute, "route", {"routes", "r"}, "Route configuration", "short", {"short", "json", "yaml"}, false},
      {Kind::kSecret, "secret", {"secrets", "s"}, "Secrets (certificates) with validity", "short",
       {"short", "json", "yaml"}, false},
      {Kind::kServerInfo, "server-info", {}, "Envoy /server_info", "json", {"short", "json", "yaml"}, false},
      {Kind::kStats, "stats", {}, "Envoy statistics (/stats, -o json, -o prom)", "short", {"short", "json", "prom"},
       false},
  };
  return kKinds;
}

void AddSourceFlags(CLI::App* cmd, SourceFlags& s, const KindSpec& k) {
  cmd->add_option("--admin-address", s.admin_address,
                  "Envoy admin endpoint: HOST[:PORT] (default port 15000), http:// or https://");
  cmd->add_option("-f,--file", s.file, "Read a saved dump instead of a live Envoy ('-' for standard input)");
  s.output = k.default_output;
  cmd->add_option("-o,--output", s.output, "Output format: " + core::Join(k.outputs, ", "))
      ->check(CLI::IsMember(k.outputs))
      ->capture_default_str();
  cmd->add_option("--timeout", s.timeout, "Deadline for each admin request (e.g. 30s, 500ms)")->capture_default_str();
  cmd->add_option("--cacert", s.cacert, "CA bundle (PEM) to verify an https:// admin endpoint");
  cmd->add_option("--client-cert", s.client_cert, "Client certificate (PEM) for mutual TLS");
  cmd->add_option("--client-key", s.client_key, "Client private key (PEM) for mutual TLS");
  cmd->add_flag("--insecure-skip-verify", s.insecure_skip_verify,
                "Do not verify the admin endpoint's certificate or host name");
}

void AddFilterFlags(CLI::App* cmd, ProxyConfigFlags& f, Kind kind) {
  bool cluster = kind == Kind::kCluster || kind == Kind::kAll;
  bool listener = kind == Kind::kListener || kind == Kind::kAll;
  bool route = kind == Kind::kRoute || kind == Kind::kAll;
  bool endpoint = kind == Kind::kEndpoint || kind == Kind::kEds;
  if (cluster) {
    cmd->add_option("--fqdn", f.fqdn, "Filter clusters by a substring of the service FQDN");
    cmd->add_option("--subset", f.subset, "Filter clusters by a substring of the subset");
    cmd->add_option("--direction", f.direction, "Filter clusters by a substring of the direction");
  }
  if (cluster || listener || endpoint) {
    cmd->add_option("--port", f.port, "Filter by port");
  }
  if (listener || endpoint) {
    cmd->add_option("--address", f.address, "Filter by address");
  }
  if (listener) cmd->add_option("--type", f.type, "Filter listeners by type: HTTP, TCP, HTTP+TCP, UNKNOWN");
  if (route) cmd->add_option("--name", f.name, "Filter routes by name");
  if (listener || route) {
    cmd->add_flag("--verbose,!--no-verbose", f.verbose, "Show details (default true; --verbose=false for a short table)");
  }
  if (endpoint) {
    cmd->add_option("--cluster", f.cluster, "Filter endpoints by cluster name");
    cmd->add_option("--status", f.status, "Filter endpoints by health status (HEALTHY, UNHEALTHY, ...)");
  }
  if (kind == Kind::kAll) cmd->add_flag("--with-headers", f.with_headers, "Print a header before each section");
  bool messages = kind == Kind::kCluster || kind == Kind::kListener || kind == Kind::kRoute ||
                  kind == Kind::kEndpoint || kind == Kind::kEds || kind == Kind::kSecret ||
                  kind == Kind::kBootstrap || kind == Kind::kEcds;
  if (messages) {
    cmd->add_flag("--raw", f.raw,
                  "With -o json|yaml: field names as the dump spells them (Envoy's snake_case) instead of "
                  "istioctl's lowerCamelCase");
  }
  if (kind == Kind::kLog) {
    cmd->add_option("--level", f.level,
                    "Level for all loggers (trace, debug, info, warning, error, critical, off) or logger:level,...");
    cmd->add_flag("-r,--reset", f.reset, "Reset every logger to warning");
  }
  if (kind == Kind::kStats) cmd->add_option("--filter", f.filter, "Only statistics whose name matches this regex");
}

}  // namespace

void RegisterProxyConfig(CLI::App& root, CommandContext& ctx) {
  auto* pc = root.add_subcommand("proxy-config", "Show Envoy configuration from an admin endpoint or a saved dump");
  pc->alias("pc");
  pc->require_subcommand(1);
  for (const auto& k : Kinds()) {
    auto flags = std::make_shared<ProxyConfigFlags>();
    auto* cmd = pc->add_subcommand(k.name, k.summary);
    for (const auto& a : k.aliases) cmd->alias(a);
    if (k.hidden) cmd->group("");
    cmd->add_option("pod", flags->src.pod,
                    "The pod: POD[.NAMESPACE] or KIND/NAME[.NAMESPACE] (deploy, sts, ds, rs, job, svc, gateway), "
                    "reached by a port-forward to its Envoy admin port")
        ->type_name("[KIND/]NAME[.NS]");
    AddSourceFlags(cmd, flags->src, k);
    cmd->add_option("--proxy-admin-port", flags->src.proxy_admin_port, "The pod's Envoy admin port")
        ->capture_default_str();
    if (k.kind == Kind::kLog || k.kind == Kind::kStats)
      cmd->add_option("-l,--selector", flags->src.selector, "Label selector: every matching pod in the namespace");
    AddClusterFlags(cmd, flags->src.cluster);
    AddFilterFlags(cmd, *flags, k.kind);
    AddInputLimitFlag(cmd, ctx);
    Kind kind = k.kind;
    cmd->callback([flags, kind, &ctx] {
      flags->src.cluster.stdin_in_use = flags->src.file == "-";
      switch (kind) {
        case Kind::kLog: ctx.exit_code = RunLog(*flags, ctx); break;
        case Kind::kStats: ctx.exit_code = RunStats(*flags, ctx); break;
        case Kind::kServerInfo: ctx.exit_code = RunServerInfo(*flags, ctx); break;
        default: ctx.exit_code = RunDumpView(kind, *flags, ctx); break;
      }
    });
  }
}

}  // namespace meshctl::commands
