// The table of resource kinds meshctl knows: Istio networking, security,
// telemetry and extensions; Gateway API; core Kubernetes workloads and the
// core objects analyzers read. One sorted table drives lookups, the
// validate/analyze dispatch and `--help` texts.
//
// To add a kind: add a row to kKinds in kinds.cc (keep it sorted by group,
// then kind) and, when it has a validator, register it in lib/validate.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl::model {

// A kind within its API group ("" for the core group).
struct GroupKind {
  std::string_view group;
  std::string_view kind;
  bool operator==(const GroupKind&) const = default;
  std::string ToString() const;  // "VirtualService.networking.istio.io", "Service"
};

enum class KindFamily { kIstio, kGatewayApi, kKubernetes, kOther };

struct KindInfo {
  GroupKind gk;
  // Versions Istio's tooling accepts for this kind; the first is canonical.
  std::vector<std::string_view> versions;
  bool namespaced;
  KindFamily family;
  // Istio proto message for the spec ("" when not an Istio kind).
  std::string_view proto;
  std::string_view plural;
};

const std::vector<KindInfo>& KnownKinds();
const KindInfo* FindKind(std::string_view group, std::string_view kind);

// Well-known kinds, so checks do not spell groups by hand.
namespace kinds {
inline constexpr GroupKind kVirtualService{"networking.istio.io", "VirtualService"};
inline constexpr GroupKind kDestinationRule{"networking.istio.io", "DestinationRule"};
inline constexpr GroupKind kGateway{"networking.istio.io", "Gateway"};
inline constexpr GroupKind kServiceEntry{"networking.istio.io", "ServiceEntry"};
inline constexpr GroupKind kSidecar{"networking.istio.io", "Sidecar"};
inline constexpr GroupKind kWorkloadEntry{"networking.istio.io", "WorkloadEntry"};
inline constexpr GroupKind kWorkloadGroup{"networking.istio.io", "WorkloadGroup"};
inline constexpr GroupKind kEnvoyFilter{"networking.istio.io", "EnvoyFilter"};
inline constexpr GroupKind kProxyConfig{"networking.istio.io", "ProxyConfig"};
inline constexpr GroupKind kAuthorizationPolicy{"security.istio.io", "AuthorizationPolicy"};
inline constexpr GroupKind kPeerAuthentication{"security.istio.io", "PeerAuthentication"};
inline constexpr GroupKind kRequestAuthentication{"security.istio.io", "RequestAuthentication"};
inline constexpr GroupKind kTelemetry{"telemetry.istio.io", "Telemetry"};
inline constexpr GroupKind kWasmPlugin{"extensions.istio.io", "WasmPlugin"};
inline constexpr GroupKind kK8sGateway{"gateway.networking.k8s.io", "Gateway"};
inline constexpr GroupKind kGatewayClass{"gateway.networking.k8s.io", "GatewayClass"};
inline constexpr GroupKind kHTTPRoute{"gateway.networking.k8s.io", "HTTPRoute"};
inline constexpr GroupKind kService{"", "Service"};
inline constexpr GroupKind kPod{"", "Pod"};
inline constexpr GroupKind kNamespace{"", "Namespace"};
inline constexpr GroupKind kSecret{"", "Secret"};
inline constexpr GroupKind kConfigMap{"", "ConfigMap"};
inline constexpr GroupKind kNode{"", "Node"};
inline constexpr GroupKind kDeployment{"apps", "Deployment"};
inline constexpr GroupKind kStatefulSet{"apps", "StatefulSet"};
inline constexpr GroupKind kDaemonSet{"apps", "DaemonSet"};
inline constexpr GroupKind kReplicaSet{"apps", "ReplicaSet"};
}  // namespace kinds

// Splits "networking.istio.io/v1" into group and version ("v1" → "", "v1").
void SplitApiVersion(std::string_view api_version, std::string_view& group, std::string_view& version);

}  // namespace meshctl::model

template <>
struct std::hash<meshctl::model::GroupKind> {
  size_t operator()(const meshctl::model::GroupKind& gk) const noexcept {
    return std::hash<std::string_view>()(gk.group) * 31 + std::hash<std::string_view>()(gk.kind);
  }
};
