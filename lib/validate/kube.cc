// Spec §6: what istioctl validate checks on Kubernetes Services (port
// naming / appProtocol, errors) and Deployments (telemetry labels, a notice).
#include <fmt/format.h>

#include "lib/core/strings.h"
#include "lib/core/version.h"
#include "lib/model/protocol.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

namespace {

std::string OriginalNamespace(const model::Resource& r) { return r.namespace_defaulted ? "" : r.ns; }

// A port number field holds an integer 1..65535 (the API server decodes it
// as int32 and then checks the range); "" when fine. `names_ok`: a
// targetPort may also name a container port.
std::string PortProblem(const Node& v, bool names_ok) {
  if (!v.IsScalar() || v.IsNull()) return "must be a port number";
  std::string t = v.ToScalarString();
  bool digits = !t.empty() && t.find_first_not_of("0123456789") == std::string::npos;
  if (!digits) {
    if (names_ok && v.IsString()) return "";
    return fmt::format("{} is not a port number (1-65535)", t);
  }
  if (t.size() > 5 || std::stoul(t) > 65535 || std::stoul(t) == 0)
    return fmt::format("{} is not a valid port number (1-65535)", t);
  return "";
}

}  // namespace

void ValidateKubeService(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  std::string ns = OriginalNamespace(r);
  if (!ns.empty() && ns == ctx.istio_namespace) return;
  const Node* spec = r.root ? r.root->Get("spec") : nullptr;
  if (!spec || !spec->IsMap()) {
    out.Error("spec", "Service has no spec (istioctl cannot validate it)");
    return;
  }
  const Node* ports = spec->Get("ports");
  if (!ports || !ports->IsSeq()) return;
  std::string who = fmt::format("service \"{}/{}/:\"", r.name, ns);
  for (size_t i = 0; i < ports->size(); ++i) {
    const Node& p = ports->at(i);
    std::string path = Idx("spec.ports", i);
    bool bad_number = false;
    for (const char* field : {"port", "targetPort", "nodePort"}) {
      const Node* v = Get(&p, field);
      if (!v) continue;
      std::string problem = PortProblem(*v, std::string_view(field) == "targetPort");
      if (problem.empty()) continue;
      out.Error(Path(path, field), fmt::format("{} {}: {}", who, field, problem));
      bad_number = true;
    }
    if (bad_number) continue;
    if (core::EqualsIgnoreCase(Str(&p, "protocol"), "UDP")) continue;
    if (const Node* app = Get(&p, "appProtocol")) {
      if (model::ParseProtocol(app->IsScalar() ? app->text() : "") == model::Protocol::kUnsupported)
        out.Error(Path(path, "appProtocol"),
                  fmt::format("{} doesn't follow Istio protocol selection. This is not recommended, See "
                              "https://istio.io/v{}/docs/ops/configuration/traffic-management/protocol-selection/",
                              who, core::kIstioDocsVersion));
      continue;
    }
    std::string name = Str(&p, "name");
    if (name.empty()) {
      out.Error(path, fmt::format("{} has an unnamed port. This is not recommended, See "
                                  "https://istio.io/v{}/docs/ops/deployment/requirements/",
                                  who, core::kIstioDocsVersion));
      continue;
    }
    std::string prefix = name.substr(0, name.find('-'));
    if (model::ParseProtocol(prefix) == model::Protocol::kUnsupported)
      out.Error(Path(path, "name"),
                fmt::format("{} port {} does not follow the Istio naming convention. See "
                            "https://istio.io/v{}/docs/ops/deployment/requirements/",
                            who, core::GoQuote(name), core::kIstioDocsVersion));
  }
}

void ValidateKubeDeployment(const model::Resource& r, const ValidateContext& ctx, Findings& out) {
  std::string ns = OriginalNamespace(r);
  if (!ns.empty() && ns == ctx.istio_namespace) return;
  const Node* labels = r.root ? r.root->Find("spec.template.metadata.labels") : nullptr;
  std::vector<std::pair<std::string, std::string>> kv;
  if (labels && labels->IsMap()) {
    for (size_t i = 0; i < labels->size(); ++i) {
      const Node& v = labels->ValueAt(i);
      if (!v.IsString()) {
        out.Error(Key("spec.template.metadata.labels", labels->KeyAt(i).ToScalarString()),
                  fmt::format(".spec.template.metadata.labels accessor error: {} is of the type {}, expected string",
                              v.ToScalarString(), yaml::NodeTypeName(v.type())));
        return;
      }
      kv.emplace_back(labels->KeyAt(i).ToScalarString(), v.text());
    }
  }
  auto has = [&](std::initializer_list<std::string_view> keys) {
    for (const auto& [k, v] : kv)
      for (auto want : keys)
        if (k == want) return true;
    return false;
  };
  bool name = has({"service.istio.io/canonical-name", "app.kubernetes.io/name", "app"});
  bool rev = has({"service.istio.io/canonical-revision", "app.kubernetes.io/version", "version"});
  if (name && rev) return;
  std::sort(kv.begin(), kv.end());
  std::vector<std::string> parts;
  for (const auto& [k, v] : kv) parts.push_back(core::GoQuote(k) + ":" + core::GoQuote(v));
  // A notice, not a finding: ValidateSnapshot reports it as MSH0103 (Info).
  out.Warning("spec.template.metadata.labels",
              fmt::format("deployment \"{}/{}:\" may not provide Istio metrics and telemetry labels: map[{}]. See "
                          "https://istio.io/v{}/docs/ops/deployment/requirements/",
                          r.name, ns, core::Join(parts, " "), core::kIstioDocsVersion));
}

}  // namespace meshctl::validate
