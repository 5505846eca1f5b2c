#include "lib/analysis/mesh_config.h"

namespace meshctl::analysis {

std::string_view DefaultMeshConfigYaml() {
  return R"(enableTracing: true
accessLogFile: ""
accessLogEncoding: TEXT
accessLogFormat: ""
enableEnvoyAccessLogService: false
protocolDetectionTimeout: 0s
ingressService: istio-ingressgateway
ingressControllerMode: STRICT
ingressClass: istio
trustDomain: cluster.local
trustDomainAliases: []
enableAutoMtls: true
outboundTrafficPolicy:
  mode: ALLOW_ANY
inboundTrafficPolicy:
  mode: PASSTHROUGH
localityLbSetting:
  enabled: true
certificates: []
defaultConfig:
  configPath: ./etc/istio/proxy
  binaryPath: /usr/local/bin/envoy
  serviceCluster: istio-proxy
  drainDuration: 45s
  terminationDrainDuration: 5s
  proxyAdminPort: 15000
  controlPlaneAuthPolicy: MUTUAL_TLS
  discoveryAddress: istiod.istio-system.svc:15012
  statNameLength: 189
  statusPort: 15020
  proxyMetadata: {}
rootNamespace: istio-system
proxyListenPort: 15001
proxyInboundListenPort: 15006
connectTimeout: 10s
defaultServiceExportTo: ["*"]
defaultVirtualServiceExportTo: ["*"]
defaultDestinationRuleExportTo: ["*"]
dnsRefreshRate: 60s
serviceSettings: []
enablePrometheusMerge: true
defaultProviders: {}
extensionProviders:
- name: prometheus
  prometheus: {}
- name: stackdriver
  stackdriver: {}
- name: envoy
  envoyFileAccessLog:
    path: /dev/stdout
)";
}

namespace {

void MergeProviders(yaml::Node& base, const yaml::Node& overlay) {
  if (!base.IsSeq() || !overlay.IsSeq()) {
    base = overlay;
    return;
  }
  for (const auto& p : overlay.children()) {
    const yaml::Node* name = p.IsMap() ? p.Get("name") : nullptr;
    bool replaced = false;
    if (name) {
      for (auto& b : base.mutable_children()) {
        const yaml::Node* bn = b.IsMap() ? b.Get("name") : nullptr;
        if (bn && bn->ToScalarString() == name->ToScalarString()) {
          b = p;
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) base.Push(p);
  }
}

}  // namespace

void MergeMeshConfig(yaml::Node& base, const yaml::Node& overlay) {
  if (!overlay.IsMap() || !base.IsMap()) {
    if (!overlay.IsNull()) base = overlay;
    return;
  }
  for (size_t i = 0; i < overlay.size(); ++i) {
    const std::string& key = overlay.KeyAt(i).text();
    const yaml::Node& value = overlay.ValueAt(i);
    yaml::Node* existing = base.GetMutable(key);
    if (!existing) {
      base.Append(overlay.KeyAt(i), value);
    } else if (key == "extensionProviders") {
      MergeProviders(*existing, value);
    } else if (existing->IsMap() && value.IsMap()) {
      MergeMeshConfig(*existing, value);
    } else {
      *existing = value;
    }
  }
}

core::Result<yaml::Document> ParseMeshFile(std::string_view text, const std::string& source) {
  auto docs = yaml::ParseYamlStream(text, source);
  if (!docs.ok()) return docs.status();
  for (auto& d : *docs)
    if (!d.root.IsNull()) return std::move(d);
  yaml::Document empty;
  empty.root = yaml::Node::Map({1, 1});
  return empty;
}

core::Status BuildMeshConfig(std::string_view text, const std::string& source, yaml::Document& out) {
  auto defaults = ParseMeshFile(DefaultMeshConfigYaml(), "<default mesh config>");
  if (!defaults.ok()) return defaults.status();
  out = std::move(defaults).value();
  if (text.empty()) return core::Status::Ok();
  auto user = ParseMeshFile(text, source);
  if (!user.ok()) return user.status();
  if (!user->root.IsMap()) return core::DataError(source + ": mesh config must be a YAML object");
  MergeMeshConfig(out.root, user->root);
  return core::Status::Ok();
}

}  // namespace meshctl::analysis
