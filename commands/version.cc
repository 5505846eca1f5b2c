// `meshctl version [-o json|yaml|short]`
#include "commands/command.h"
#include "lib/core/exit_codes.h"
#include "lib/core/version.h"
#include "lib/yaml/writer.h"

namespace meshctl::commands {

namespace {
struct VersionOptions {
  std::string output = "short";
};

// {"meshctlVersion": {...}}: the shape of istioctl's `version -o json`
// clientVersion block, one tree for both -o json and -o yaml.
yaml::Node VersionTree(const core::VersionInfo& info) {
  auto str = [](const std::string& s) { return yaml::Node::Scalar(yaml::NodeType::kString, s, {}); };
  yaml::Node v = yaml::Node::Map({});
  v.Append(str("version"), str(info.version));
  v.Append(str("gitCommit"), str(info.git_commit));
  v.Append(str("buildType"), str(info.build_type));
  v.Append(str("compatibleIstioVersion"), str(info.istio_version));
  v.Append(str("compiler"), str(info.compiler));
  yaml::Node root = yaml::Node::Map({});
  root.Append(str("meshctlVersion"), std::move(v));
  return root;
}
}  // namespace

void RegisterVersion(CLI::App& root, CommandContext& ctx) {
  auto opts = std::make_shared<VersionOptions>();
  auto* cmd = root.add_subcommand("version", "Print the meshctl version");
  cmd->add_option("-o,--output", opts->output, "Output format")
      ->check(CLI::IsMember({"short", "json", "yaml"}))
      ->capture_default_str();
  cmd->callback([opts, &ctx] {
    auto info = core::GetVersionInfo();
    if (opts->output == "short") {
      *ctx.out << "meshctl version: " << info.version << " (" << info.git_commit << ", " << info.build_type << ")\n";
      ctx.exit_code = core::kExitOk;
      return;
    }
    yaml::Node tree = VersionTree(info);
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
