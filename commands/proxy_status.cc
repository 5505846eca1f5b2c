// `meshctl proxy-status` (alias `ps`): sync state of every proxy from istiod's
// syncz or a CSDS endpoint, and with a PROXY argument the diff between what
// the control plane would send and the proxy's own config dump.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/ambient/ztunnel_target.h"
#include "lib/core/exit_codes.h"
#include "lib/core/strings.h"
#include "lib/envoy/admin_client.h"
#include "lib/io/files.h"
#include "lib/io/http_client.h"
#include "lib/kube/istiod.h"
#include "lib/kube/pod_target.h"
#include "lib/xds/config_diff.h"
#include "lib/xds/proxy_status.h"

namespace meshctl::commands {

namespace {

struct ProxyStatusFlags {
  std::string proxy;
  std::vector<std::string> xds_addresses;
  std::vector<std::string> csds;
  std::vector<std::string> from_files;
  bool plaintext = false;
  bool allow_insecure_token = false;
  bool insecure = false;
  std::string cacert;
  std::string authority;
  std::string cert_dir;
  std::string token;
  std::string token_file;
  std::string timeout = "30s";
  std::string ns;
  std::string istio_namespace = "istio-system";
  std::string output = "table";
  int verbosity = 0;
  std::string file;
  std::string admin_address;
  std::string istiod_file;
  // Through the cluster (no --xds-address): istioctl's flags.
  kube::ClusterFlags cluster;
  std::string revision;
  std::string xds_label;
  int xds_port = kube::kDefaultXdsPort;
  int proxy_admin_port = kube::kDefaultProxyAdminPort;
};

// $ISTIOCTL_XDS_PORT, as istioctl reads it, else 15012.
int DefaultXdsPort() {
  const char* env = std::getenv("ISTIOCTL_XDS_PORT");
  if (env && *env) {
    try {
      int v = std::stoi(env);
      if (v > 0 && v < 65536) return v;
    } catch (const std::exception&) {
    }
  }
  return kube::kDefaultXdsPort;
}

bool ValidPort(int p) { return p > 0 && p < 65536; }

// Go's time.ParseDuration for the forms people type: 30s, 1m30s, 500ms, 2h.
bool ParseDuration(const std::string& s, std::chrono::milliseconds& out) {
  if (s.empty()) return false;
  double total_ms = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = i;
    while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
    if (j == i) return false;
    double v = 0;
    try {
      v = std::stod(s.substr(i, j - i));
    } catch (const std::exception&) {  // "." or "1.2.3"
      return false;
    }
    size_t k = j;
    while (k < s.size() && std::isalpha(static_cast<unsigned char>(s[k]))) ++k;
    std::string unit = s.substr(j, k - j);
    double mul;
    if (unit == "ms") mul = 1;
    else if (unit == "s") mul = 1000;
    else if (unit == "m") mul = 60000;
    else if (unit == "h") mul = 3600000;
    else return false;
    total_ms += v * mul;
    i = k;
  }
  out = std::chrono::milliseconds(static_cast<int64_t>(total_ms));
  return out.count() > 0;
}

int Fail(const core::Status& st, CommandContext& ctx) {
  *ctx.err << "Error: " << st.message() << "\n";
  return st.ExitCode();
}

int RunProxyStatus(const ProxyStatusFlags& f, CommandContext& ctx) {
  xds::DialOptions base;
  base.plaintext = f.plaintext;
  base.insecure = f.insecure;
  base.cacert = f.cacert;
  base.authority = f.authority;
  base.cert_dir = f.cert_dir;
  if (f.plaintext && (f.insecure || !f.cacert.empty() || !f.cert_dir.empty()))
    return Fail(core::InvalidArgument("--plaintext cannot be combined with --insecure, --cacert or --cert-dir"), ctx);
  if (!f.cacert.empty() && !f.cert_dir.empty())
    return Fail(core::InvalidArgument("--cacert and --cert-dir both name the server CA; give one"), ctx);
  if (!f.token.empty() && !f.token_file.empty())
    return Fail(core::InvalidArgument("give --token or --token-file, not both"), ctx);
  if (!ParseDuration(f.timeout, base.timeout))
    return Fail(core::InvalidArgument("invalid --timeout \"" + f.timeout + "\" (examples: 30s, 1m, 500ms)"), ctx);
  base.token = f.token;
  if (!f.token_file.empty()) {
    auto t = ReadOneInput(f.token_file, ctx);
    if (!t.ok()) return Fail(t.status(), ctx);
    base.token = std::string(core::Trim(*t));
    if (base.token.empty()) return Fail(core::DataError("--token-file " + f.token_file + " is empty"), ctx);
  }
  // gRPC refuses call credentials on an insecure channel, but a token sent
  // as plain metadata is not stopped: refuse it unless the user says so.
  if (f.plaintext && !base.token.empty() && !f.allow_insecure_token)
    return Fail(core::InvalidArgument("--plaintext would send the bearer token unencrypted; use TLS (drop "
                                      "--plaintext) or add --allow-insecure-token to accept that"),
                ctx);
  if (f.allow_insecure_token && !f.plaintext)
    return Fail(core::InvalidArgument("--allow-insecure-token applies to --plaintext only"), ctx);
  auto dial = [&](const std::string& addr) {
    xds::DialOptions d = base;
    d.address = addr;
    return d;
  };

  if (!ValidPort(f.xds_port)) return Fail(core::InvalidArgument("--xds-port must be 1-65535"), ctx);
  if (!ValidPort(f.proxy_admin_port)) return Fail(core::InvalidArgument("--proxy-admin-port must be 1-65535"), ctx);
  kube::IstiodOptions io;
  io.istio_namespace = f.istio_namespace;
  io.revision = f.revision;
  io.xds_label = f.xds_label;
  io.xds_port = static_cast<uint16_t>(f.xds_port);
  // The cluster connection, made once when something needs it.
  std::unique_ptr<kube::Client> client;
  auto connect = [&]() -> kube::Client* {
    if (client) return client.get();
    kube::ClusterFlags cf = f.cluster;
    cf.namespace_name = f.ns;
    cf.istio_namespace = f.istio_namespace;
    cf.stdin_in_use =
        f.file == "-" || f.istiod_file == "-" || std::count(f.from_files.begin(), f.from_files.end(), "-") > 0;
    auto made = [&]() -> core::Result<std::unique_ptr<kube::Client>> {
      ASSIGN_OR_RETURN(kube::RestConfig rc, kube::LoadRestConfig(cf));
      return kube::Client::Create(std::move(rc));
    }();
    if (!made.ok()) {
      *ctx.err << "Error: " << made.status().message()
               << "\n  (meshctl finds istiod and pods through the Kubernetes API; without a cluster give "
                  "--xds-address HOST:PORT, --csds or --from-file, and for a PROXY --file or --admin-address too)\n";
      ctx.exit_code = made.status().ExitCode();
      return nullptr;
    }
    client = std::move(made).value();
    return client.get();
  };

  if (!f.proxy.empty()) {
    if (!f.csds.empty() || !f.from_files.empty())
      return Fail(core::InvalidArgument("--csds and --from-file list all proxies; drop them to diff one proxy"), ctx);
    if (!f.file.empty() && !f.admin_address.empty())
      return Fail(core::InvalidArgument("give one of --file DUMP.json and --admin-address HOST:PORT for the proxy's "
                                        "side (neither: through the cluster)"),
                  ctx);
    if (!f.xds_addresses.empty() && !f.istiod_file.empty())
      return Fail(core::InvalidArgument("give one of --xds-address and --istiod-file for the control plane's side "
                                        "(neither: istiod found through the cluster)"),
                  ctx);
    bool envoy_live = f.file.empty() && f.admin_address.empty();
    bool istiod_live = f.xds_addresses.empty() && f.istiod_file.empty();
    xds::DiffOptions d;
    d.istio_namespace = f.istio_namespace;
    std::unique_ptr<kube::PortForward> admin_forward;
    kube::ControlPlane cp;
    kube::PodInfo pod;
    bool typed = f.proxy.find('/') != std::string::npos;
    if (envoy_live || istiod_live || typed) {
      kube::Client* c = connect();
      if (!c) return ctx.exit_code;
      auto arg = kube::ParsePodArgument(f.proxy, c->config().namespace_name);
      if (!arg.ok()) return Fail(arg.status(), ctx);
      auto resolved = kube::ResolvePod(*c, *arg);
      if (!resolved.ok()) return Fail(resolved.status(), ctx);
      pod = *resolved;
      if (envoy_live) {
        auto running = kube::GetRunningPod(*c, pod.ns, pod.name);
        if (!running.ok()) return Fail(running.status(), ctx);
        pod = std::move(running).value();  // with its labels, for the ztunnel test below
      }
    } else {
      auto arg = kube::ParsePodArgument(f.proxy, f.ns.empty() ? std::string("default") : f.ns);
      if (!arg.ok()) return Fail(arg.status(), ctx);
      pod.name = arg->name;
      pod.ns = arg->ns;
    }
    d.proxy = pod.name + "." + pod.ns;
    // A ztunnel has no Envoy config to diff; istioctl says so and succeeds.
    if (ambient::IsZtunnelPod(pod)) {
      *ctx.out << "Sync diff is not available for ztunnel pod " << d.proxy << "\n";
      return core::kExitOk;
    }
    if (istiod_live) {
      // The token and the istiod forwards first (§7: a refused port is
      // reported after the token step).
      auto got = kube::ConnectControlPlane(*client, io, base);
      if (!got.ok()) return Fail(got.status(), ctx);
      cp = std::move(got).value();
      d.xds = cp.dials;
    }
    for (const auto& a : f.xds_addresses) d.xds.push_back(dial(a));
    if (!f.istiod_file.empty()) {
      auto t = ReadOneInput(f.istiod_file, ctx);
      if (!t.ok()) return Fail(t.status(), ctx);
      d.istiod_dump = *t;
      d.istiod_source = f.istiod_file;
    }
    if (!f.file.empty()) {
      if (f.file == "-" && f.istiod_file == "-")
        return Fail(core::InvalidArgument("only one of --file and --istiod-file can be standard input"), ctx);
      auto t = ReadOneInput(f.file, ctx);
      if (!t.ok()) return Fail(core::Status(t.status().code(), "could not contact sidecar: " + t.status().message()), ctx);
      d.envoy_dump = *t;
      d.envoy_source = f.file;
    } else {
      std::string url;
      if (envoy_live) {
        auto fw = kube::ForwardToAdmin(*client, pod, static_cast<uint16_t>(f.proxy_admin_port));
        if (!fw.ok()) return Fail(fw.status(), ctx);
        url = fw->base_url;
        admin_forward = std::move(fw->forward);
      } else {
        auto u = envoy::AdminBaseUrl(f.admin_address);
        if (!u.ok()) return Fail(u.status(), ctx);
        url = *u;
      }
      auto http = io::NewCurlHttpClient();
      envoy::AdminOptions ao;
      ao.base_url = url;
      ao.timeout = base.timeout;
      envoy::AdminClient admin(*http, ao);
      auto dump = admin.ConfigDump(envoy::DumpSection::kFull);
      if (!dump.ok()) {
        core::Status st = kube::ExplainForwardFailure(dump.status(), admin_forward.get(), "could not contact sidecar");
        return Fail(st, ctx);
      }
      d.envoy_dump = *dump;
      d.envoy_source = envoy_live ? "pod " + pod.ns + "/" + pod.name + " admin port " +
                                        std::to_string(f.proxy_admin_port) + " /config_dump"
                                  : url + "/config_dump";
    }
    core::Status st = xds::ProxyDiff(d, *ctx.out);
    return st.ok() ? core::kExitOk : Fail(st, ctx);
  }

  if (!f.file.empty() || !f.admin_address.empty() || !f.istiod_file.empty())
    return Fail(core::InvalidArgument("--file, --admin-address and --istiod-file need a PROXY argument (<pod>.<ns>)"),
                ctx);
  int modes = !f.xds_addresses.empty() + !f.csds.empty() + !f.from_files.empty();
  if (modes > 1)
    return Fail(core::InvalidArgument("--xds-address, --csds and --from-file are different sources; give one kind"),
                ctx);
  xds::StatusOptions o;
  kube::ControlPlane cp;  // the port-forwards live until the report is written
  if (modes == 0) {
    // No address: find istiod through the kubeconfig, as istioctl does.
    kube::Client* c = connect();
    if (!c) return ctx.exit_code;
    auto got = kube::ConnectControlPlane(*c, io, base);
    if (!got.ok()) return Fail(got.status(), ctx);
    cp = std::move(got).value();
    o.xds = cp.dials;
  }
  for (const auto& a : f.xds_addresses) o.xds.push_back(dial(a));
  for (const auto& a : f.csds) o.csds.push_back(dial(a));
  o.from_files = f.from_files;
  if (std::count(f.from_files.begin(), f.from_files.end(), "-") > 0) {
    auto t = ReadOneInput("-", ctx);
    if (!t.ok()) return Fail(t.status(), ctx);
    o.stdin_text = *t;
  }
  o.istio_namespace = f.istio_namespace;
  o.ns = f.ns;
  o.output = f.output;
  o.verbosity = f.verbosity;
  o.now = std::chrono::system_clock::now();
  core::Status st = xds::ProxyStatus(o, *ctx.out, *ctx.err);
  return st.ok() ? core::kExitOk : Fail(st, ctx);
}

}  // namespace

void RegisterProxyStatus(CLI::App& root, CommandContext& ctx) {
  auto f = std::make_shared<ProxyStatusFlags>();
  auto* cmd = root.add_subcommand("proxy-status", "Sync state of proxies over xDS (istiod syncz, CSDS) and per-proxy diff");
  cmd->alias("ps");
  cmd->footer(
      "Examples:\n"
      "  meshctl proxy-status                                  # istiod found through the kubeconfig\n"
      "  meshctl ps productpage-v1-1234.bookinfo               # diff of one proxy (also deploy/NAME[.NS], ...)\n"
      "  meshctl proxy-status --xds-address istiod.istio-system:15012 --token-file token --cacert root-cert.pem\n"
      "  meshctl ps --xds-address 127.0.0.1:15010 --plaintext -v 1 -n default\n"
      "  meshctl ps --csds 10.0.0.7:8080 --plaintext          # any CSDS server (Envoy, gRPC xDS client)\n"
      "  meshctl ps productpage-v1-1234.default --xds-address 127.0.0.1:15010 --plaintext --file dump.json\n"
      "\nExit codes: 0 ok, 64 usage, 65 bad input, 69 control plane unreachable or refused, 74 unreadable file.");
  cmd->add_option("proxy", f->proxy,
                  "Proxy to diff: POD[.NAMESPACE] or KIND/NAME[.NAMESPACE] (deploy, sts, ds, rs, job, svc, gateway)")
      ->type_name("[KIND/]NAME[.NS]");
  cmd->add_option("--xds-address", f->xds_addresses,
                  "istiod (or other control plane) xDS address HOST:PORT; repeat for several replicas")
      ->type_name("HOST:PORT");
  cmd->add_option("--csds", f->csds, "Ask this CSDS endpoint (envoy.service.status.v3) instead of istiod; repeatable")
      ->type_name("HOST:PORT");
  cmd->add_option("--from-file", f->from_files, "Render saved `-o json` syncz output instead of connecting ('-' = stdin)")
      ->type_name("FILE");
  cmd->add_flag("--plaintext", f->plaintext, "Connect without TLS (istiod's port 15010)");
  cmd->add_flag("--insecure", f->insecure,
                "TLS without verifying the server certificate (what istioctl does). Without it, istiod found "
                "through the cluster is verified against ConfigMap istio-ca-root-cert as istiod.<ns>.svc");
  cmd->add_option("--cacert", f->cacert, "PEM file with the CA that signed the server certificate")->type_name("FILE");
  cmd->add_option("--authority", f->authority, "Server name expected in the certificate, e.g. istiod.istio-system.svc");
  cmd->add_option("--cert-dir", f->cert_dir, "mTLS: directory with cert-chain.pem, key.pem and root-cert.pem")
      ->type_name("DIR");
  cmd->add_option("--token", f->token, "Bearer token sent as `authorization: Bearer` (audience istio-ca); never printed");
  cmd->add_option("--token-file", f->token_file, "File holding the bearer token")->type_name("FILE");
  cmd->add_flag("--allow-insecure-token", f->allow_insecure_token,
                "With --plaintext: send --token/--token-file unencrypted anyway (refused otherwise)");
  cmd->add_option("--timeout", f->timeout, "Deadline of each request (Go duration: 30s, 1m)")->capture_default_str();
  cmd->add_option("-n,--namespace", f->ns,
                  "Only proxies in this namespace; with PROXY, its namespace (default: the context's, else default)");
  cmd->add_option("-i,--istioNamespace", f->istio_namespace,
                  "Istio system namespace: where istiod is looked for, and what meshctl announces to it")
      ->capture_default_str();
  cmd->add_option("-r,--revision", f->revision, "Control plane revision: only istiod pods labelled istio.io/rev=REV");
  cmd->add_option("--xds-label", f->xds_label, "Label selector of the istiod pods (default app=istiod)")
      ->type_name("SELECTOR");
  f->xds_port = DefaultXdsPort();
  cmd->add_option("--xds-port", f->xds_port, "istiod pods' xDS port to port-forward to ($ISTIOCTL_XDS_PORT)")
      ->capture_default_str();
  cmd->add_option("--proxy-admin-port", f->proxy_admin_port,
                  "With PROXY: the pod's Envoy admin port to port-forward to")
      ->capture_default_str();
  cmd->add_option("-o,--output", f->output, "Output format: table, json or yaml")->capture_default_str();
  cmd->add_option("-v,--verbosity", f->verbosity, "0: subscribed types; 1: one column per type with ages")
      ->capture_default_str();
  cmd->add_option("--file", f->file, "With PROXY: the proxy's config dump (Envoy /config_dump JSON, '-' = stdin)")
      ->type_name("FILE");
  cmd->add_option("--admin-address", f->admin_address, "With PROXY: the proxy's admin endpoint HOST:PORT (15000)")
      ->type_name("HOST:PORT");
  cmd->add_option("--istiod-file", f->istiod_file,
                  "With PROXY: the control plane's side from a file (istiod /debug/config_dump?proxyID=) instead of xDS")
      ->type_name("FILE");
  AddClusterFlags(cmd, f->cluster, {.with_namespace = false, .with_istio_namespace = false});
  AddInputLimitFlag(cmd, ctx);
  cmd->callback([f, &ctx] { ctx.exit_code = RunProxyStatus(*f, ctx); });
}

}  // namespace meshctl::commands
