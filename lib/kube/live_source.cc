#include "lib/kube/live_source.h"

#include <fmt/format.h>

namespace meshctl::kube {

namespace {

// istioctl's filters for the big built-in lists (analyze.go:312-362).
constexpr const char* kSkipSystemNamespaces =
    "metadata.namespace!=kube-system,metadata.namespace!=kube-public,metadata.namespace!=kube-node-lease,"
    "metadata.namespace!=local-path-storage";
constexpr const char* kSkipSystemNamespaceNames =
    "metadata.name!=kube-system,metadata.name!=kube-public,metadata.name!=kube-node-lease,"
    "metadata.name!=local-path-storage";
constexpr const char* kSecretFilter = "type!=helm.sh/release.v1,type!=kubernetes.io/service-account-token";

bool IsWorkloadKind(std::string_view group, std::string_view kind) {
  return (group.empty() && (kind == "Pod" || kind == "Service")) ||
         (group == "apps" && (kind == "Deployment" || kind == "StatefulSet" || kind == "ReplicaSet" ||
                              kind == "DaemonSet"));
}

core::Result<io::InputFile> ListOne(Client& client, const ResourceType& type, ListOptions lo) {
  auto list = client.List(type, lo);
  if (!list.ok()) return list.status();
  io::InputFile f;
  std::string path = type.group.empty() ? "/api/" : "/apis/" + type.group + "/";
  path += (list->api_version.empty() ? type.versions.front()
                                     : list->api_version.substr(list->api_version.rfind('/') + 1));
  if (!lo.ns.empty() && type.namespaced) path += "/namespaces/" + lo.ns;
  f.path = client.server() + path + "/" + type.plural;
  f.content = std::move(list->json);
  f.from_cluster = true;
  return f;
}

}  // namespace

std::string ObjectKey(std::string_view group, std::string_view kind, std::string_view ns, std::string_view name) {
  return fmt::format("{}/{}/{}/{}", group, kind, ns, name);
}

std::optional<ResourceType> TypeFor(std::string_view group, std::string_view kind) {
  const model::KindInfo* info = model::FindKind(group, kind);
  if (!info || info->plural.empty()) return std::nullopt;
  ResourceType t;
  t.group = std::string(group);
  t.kind = std::string(kind);
  t.plural = std::string(info->plural);
  t.namespaced = info->namespaced;
  // v1 first when served, then the other versions in Istio's order.
  for (auto v : info->versions)
    if (v == "v1") t.versions.emplace_back(v);
  for (auto v : info->versions)
    if (v != "v1") t.versions.emplace_back(v);
  return t;
}

std::vector<model::GroupKind> AnalyzeKinds() {
  std::vector<model::GroupKind> out = {
      {"", "Pod"},
      {"", "Service"},
      {"", "Namespace"},
      {"", "Secret"},
      {"", "ConfigMap"},
      {"", "Node"},
      {"apps", "Deployment"},
      {"apps", "StatefulSet"},
      {"apps", "ReplicaSet"},
      {"apps", "DaemonSet"},
      {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
      {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
      {"apiextensions.k8s.io", "CustomResourceDefinition"},
  };
  for (const auto& k : model::KnownKinds())
    if (k.family == model::KindFamily::kIstio || k.family == model::KindFamily::kGatewayApi) out.push_back(k.gk);
  return out;
}

core::Result<io::InputSet> ListForAnalyze(Client& client, const AnalyzeListOptions& options) {
  io::InputSet set;
  for (const auto& gk : AnalyzeKinds()) {
    auto type = TypeFor(gk.group, gk.kind);
    if (!type) continue;
    ListOptions lo;
    lo.page_size = options.page_size;
    const model::KindInfo* info = model::FindKind(gk.group, gk.kind);
    bool istio = info && info->family == model::KindFamily::kIstio;
    if (IsWorkloadKind(gk.group, gk.kind)) lo.field_selector = kSkipSystemNamespaces;
    if (gk.group.empty() && gk.kind == "Namespace") lo.field_selector = kSkipSystemNamespaceNames;
    if (gk.group.empty() && gk.kind == "Secret") lo.field_selector = kSecretFilter;
    bool configmap = gk.group.empty() && gk.kind == "ConfigMap";
    if (configmap) lo.ns = options.istio_namespace;
    std::string group(gk.group), kind(gk.kind);
    lo.keep = [&, istio, configmap, group, kind](const ItemMeta& m) {
      if (!options.overridden.empty() && options.overridden.count(ObjectKey(group, kind, m.ns, m.name))) return false;
      if (configmap) {
        // istio* ConfigMaps, not leader-election locks (analyze.go:312).
        if (m.name.rfind("istio", 0) != 0) return false;
        if (m.name.find("leader") != std::string_view::npos) return false;
      }
      if (istio && !options.revision.empty() && m.HasLabel("istio.io/rev") &&
          m.Label("istio.io/rev") != options.revision)
        return false;
      return true;
    };
    auto file = ListOne(client, *type, lo);
    if (!file.ok()) return file.status();
    set.files.push_back(std::move(file).value());
  }
  return set;
}

core::Result<bool> NamespaceExists(Client& client, const std::string& ns) {
  auto got = client.Get("/api/v1/namespaces/" + ns, "namespaces");
  if (!got.ok()) return got.status();
  return got->has_value();
}

core::Result<io::InputSet> ListKinds(Client& client, const std::vector<model::GroupKind>& kinds,
                                     const std::string& ns, int page_size) {
  io::InputSet set;
  for (const auto& gk : kinds) {
    auto type = TypeFor(gk.group, gk.kind);
    if (!type) continue;
    ListOptions lo;
    lo.ns = ns;
    lo.page_size = page_size;
    auto file = ListOne(client, *type, lo);
    if (!file.ok()) return file.status();
    set.files.push_back(std::move(file).value());
  }
  return set;
}

}  // namespace meshctl::kube
