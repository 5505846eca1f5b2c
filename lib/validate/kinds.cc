#include "lib/validate/kinds.h"

#include "lib/validate/validate.h"

namespace meshctl::validate {

namespace {

constexpr std::string_view kNet = "networking.istio.io";
constexpr std::string_view kSec = "security.istio.io";

// Kinds istioctl validate knows (spec §2): group, kind, accepted versions,
// proto message of spec, validator. Sorted by group, then kind.
// A nullptr validator means strict decoding + metadata checks only.
const std::vector<KindEntry>& Table() {
  static const std::vector<KindEntry> kKinds = {
      {"extensions.istio.io", "TrafficExtension", {"v1alpha1"}, "istio.extensions.v1alpha1.TrafficExtension",
       ValidateTrafficExtension},
      {"extensions.istio.io", "WasmPlugin", {"v1alpha1"}, "istio.extensions.v1alpha1.WasmPlugin",
       ValidateWasmPlugin},
      {kNet, "DestinationRule", {"v1", "v1alpha3", "v1beta1"}, "istio.networking.v1alpha3.DestinationRule",
       ValidateDestinationRule},
      {kNet, "EnvoyFilter", {"v1alpha3"}, "istio.networking.v1alpha3.EnvoyFilter", ValidateEnvoyFilter},
      {kNet, "Gateway", {"v1", "v1alpha3", "v1beta1"}, "istio.networking.v1alpha3.Gateway", ValidateGateway},
      {kNet, "ProxyConfig", {"v1beta1"}, "istio.networking.v1beta1.ProxyConfig", ValidateProxyConfig},
      {kNet, "ServiceEntry", {"v1", "v1alpha3", "v1beta1"}, "istio.networking.v1alpha3.ServiceEntry",
       ValidateServiceEntry},
      {kNet, "Sidecar", {"v1", "v1alpha3", "v1beta1"}, "istio.networking.v1alpha3.Sidecar", ValidateSidecar},
      {kNet, "VirtualService", {"v1", "v1alpha3", "v1beta1"}, "istio.networking.v1alpha3.VirtualService",
       ValidateVirtualService},
      {kNet, "WorkloadEntry", {"v1", "v1alpha3", "v1beta1"}, "istio.networking.v1alpha3.WorkloadEntry",
       ValidateWorkloadEntry},
      {kNet, "WorkloadGroup", {"v1", "v1alpha3", "v1beta1"}, "istio.networking.v1alpha3.WorkloadGroup",
       ValidateWorkloadGroup},
      {kSec, "AuthorizationPolicy", {"v1", "v1beta1"}, "istio.security.v1beta1.AuthorizationPolicy",
       ValidateAuthorizationPolicy},
      {kSec, "PeerAuthentication", {"v1", "v1beta1"}, "istio.security.v1beta1.PeerAuthentication",
       ValidatePeerAuthentication},
      {kSec, "RequestAuthentication", {"v1", "v1beta1"}, "istio.security.v1beta1.RequestAuthentication",
       ValidateRequestAuthentication},
      {"telemetry.istio.io", "Telemetry", {"v1", "v1alpha1"}, "istio.telemetry.v1alpha1.Telemetry", ValidateTelemetry},
  };
  return kKinds;
}

}  // namespace

const std::vector<KindEntry>& AllKinds() { return Table(); }

const KindEntry* FindKindAnyVersion(std::string_view group, std::string_view kind) {
  for (const auto& k : Table())
    if (k.group == group && k.kind == kind) return &k;
  return nullptr;
}

const KindEntry* FindKind(std::string_view group, std::string_view kind, std::string_view version) {
  const KindEntry* k = FindKindAnyVersion(group, kind);
  if (!k) return nullptr;
  for (auto v : k->versions)
    if (v == version) return k;
  return nullptr;
}

}  // namespace meshctl::validate
