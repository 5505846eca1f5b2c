// `meshctl version [-o json|yaml|short] [--remote]`
#include <optional>

#include "commands/command.h"
#include "commands/common.h"
#include "lib/core/exit_codes.h"
#include "lib/core/version.h"
#include "lib/kube/istiod.h"
#include "lib/xds/proxy_status.h"
#include "lib/yaml/writer.h"

namespace meshctl::commands {

namespace {
struct VersionOptions {
  std::string output = "short";
  bool remote = false;
  std::string revision;
  bool insecure = false;
  int xds_port = kube::kDefaultXdsPort;
  kube::ClusterFlags cluster;
};

// --remote: istiod found through the cluster as `proxy-status` finds it.
core::Result<xds::MeshVersions> RemoteVersions(const VersionOptions& o) {
  ASSIGN_OR_RETURN(kube::RestConfig rc, kube::LoadRestConfig(o.cluster));
  ASSIGN_OR_RETURN(auto client, kube::Client::Create(std::move(rc)));
  kube::IstiodOptions io;
  io.istio_namespace = o.cluster.istio_namespace;
  io.revision = o.revision;
  if (o.xds_port <= 0 || o.xds_port > 65535) return core::InvalidArgument("--xds-port must be 1-65535");
  io.xds_port = static_cast<uint16_t>(o.xds_port);
  xds::DialOptions base;
  base.insecure = o.insecure;
  ASSIGN_OR_RETURN(auto cp, kube::ConnectControlPlane(*client, io, base));
  return xds::FetchMeshVersions(cp.dials, io.istio_namespace);
}

// {"meshctlVersion": {...}}: the shape of istioctl's `version -o json`
// clientVersion block, one tree for both -o json and -o yaml.
yaml::Node VersionTree(const core::VersionInfo& info, const xds::MeshVersions* remote) {
  auto str = [](const std::string& s) { return yaml::Node::Scalar(yaml::NodeType::kString, s, {}); };
  yaml::Node v = yaml::Node::Map({});
  v.Append(str("version"), str(info.version));
  v.Append(str("gitCommit"), str(info.git_commit));
  v.Append(str("buildType"), str(info.build_type));
  v.Append(str("compatibleIstioVersion"), str(info.istio_version));
  v.Append(str("compiler"), str(info.compiler));
  yaml::Node root = yaml::Node::Map({});
  root.Append(str("meshctlVersion"), std::move(v));
  if (remote) {
    yaml::Node cp = yaml::Node::Seq({});
    for (const auto& ver : remote->control_plane) {
      yaml::Node c = yaml::Node::Map({});
      c.Append(str("Component"), str("istiod"));
      yaml::Node i = yaml::Node::Map({});
      i.Append(str("version"), str(ver));
      c.Append(str("Info"), std::move(i));
      cp.Push(std::move(c));
    }
    root.Append(str("meshVersion"), std::move(cp));
    yaml::Node dp = yaml::Node::Seq({});
    for (const auto& [ver, n] : remote->data_plane) {
      yaml::Node d = yaml::Node::Map({});
      d.Append(str("IstioVersion"), str(ver));
      d.Append(str("proxies"), yaml::Node::Scalar(yaml::NodeType::kInt, std::to_string(n), {}));
      dp.Push(std::move(d));
    }
    root.Append(str("dataPlaneVersion"), std::move(dp));
  }
  return root;
}
}  // namespace

void RegisterVersion(CLI::App& root, CommandContext& ctx) {
  auto opts = std::make_shared<VersionOptions>();
  auto* cmd = root.add_subcommand("version", "Print the meshctl version (--remote: also the mesh's)");
  cmd->add_option("-o,--output", opts->output, "Output format")
      ->check(CLI::IsMember({"short", "json", "yaml"}))
      ->capture_default_str();
  cmd->add_flag("--remote", opts->remote,
                "Also show the control plane's and data plane's versions (istiod found through the kubeconfig)");
  cmd->add_option("-r,--revision", opts->revision, "With --remote: the control plane revision");
  cmd->add_option("--xds-port", opts->xds_port, "With --remote: istiod pods' xDS port")->capture_default_str();
  cmd->add_flag("--insecure", opts->insecure,
                "With --remote: do not verify istiod's certificate against ConfigMap istio-ca-root-cert");
  AddClusterFlags(cmd, opts->cluster, {.with_namespace = false, .with_istio_namespace = true});
  cmd->callback([opts, &ctx] {
    auto info = core::GetVersionInfo();
    std::optional<xds::MeshVersions> remote;
    if (opts->remote) {
      auto r = RemoteVersions(*opts);
      if (!r.ok()) {
        *ctx.err << "Error: " << r.status().message() << "\n";
        ctx.exit_code = r.status().ExitCode();
        return;
      }
      remote = std::move(r).value();
    }
    if (opts->output == "short") {
      *ctx.out << "meshctl version: " << info.version << " (" << info.git_commit << ", " << info.build_type << ")\n";
      if (remote) {
        *ctx.out << "control plane version: "
                 << (remote->control_plane.empty() ? std::string("unknown") : core::Join(remote->control_plane, ", "))
                 << "\ndata plane version: " << xds::RenderProxyVersions(*remote) << "\n";
      }
      ctx.exit_code = core::kExitOk;
      return;
    }
    yaml::Node tree = VersionTree(info, remote ? &*remote : nullptr);
    if (opts->output == "json") {
      *ctx.out << yaml::WriteJson(tree);
    } else {
      auto text = yaml::WriteYaml(tree);
      if (!text.ok()) {
        *ctx.err << "Error: " << text.status().message() << "\n";
        ctx.exit_code = text.status().ExitCode();
        return;
      }
      *ctx.out << *text;
    }
    ctx.exit_code = core::kExitOk;
  });
}

}  // namespace meshctl::commands
