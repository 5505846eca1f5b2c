#include "lib/model/kinds.h"

namespace meshctl::model {

std::string GroupKind::ToString() const {
  if (group.empty()) return std::string(kind);
  return std::string(kind) + "." + std::string(group);
}

void SplitApiVersion(std::string_view api_version, std::string_view& group, std::string_view& version) {
  auto slash = api_version.rfind('/');
  if (slash == std::string_view::npos) {
    group = "";
    version = api_version;
  } else {
    group = api_version.substr(0, slash);
    version = api_version.substr(slash + 1);
  }
}

namespace {

using F = KindFamily;

// Sorted by group, then kind.
const std::vector<KindInfo> kKinds = {
    {{"", "ConfigMap"}, {"v1"}, true, F::kKubernetes, "", "configmaps"},
    {{"", "Endpoints"}, {"v1"}, true, F::kKubernetes, "", "endpoints"},
    {{"", "Namespace"}, {"v1"}, false, F::kKubernetes, "", "namespaces"},
    {{"", "Node"}, {"v1"}, false, F::kKubernetes, "", "nodes"},
    {{"", "Pod"}, {"v1"}, true, F::kKubernetes, "", "pods"},
    {{"", "Secret"}, {"v1"}, true, F::kKubernetes, "", "secrets"},
    {{"", "Service"}, {"v1"}, true, F::kKubernetes, "", "services"},
    {{"", "ServiceAccount"}, {"v1"}, true, F::kKubernetes, "", "serviceaccounts"},
    {{"admissionregistration.k8s.io", "MutatingWebhookConfiguration"}, {"v1"}, false, F::kKubernetes, "", "mutatingwebhookconfigurations"},
    {{"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"}, {"v1"}, false, F::kKubernetes, "", "validatingwebhookconfigurations"},
    {{"apiextensions.k8s.io", "CustomResourceDefinition"}, {"v1"}, false, F::kKubernetes, "", "customresourcedefinitions"},
    {{"apps", "DaemonSet"}, {"v1"}, true, F::kKubernetes, "", "daemonsets"},
    {{"apps", "Deployment"}, {"v1"}, true, F::kKubernetes, "", "deployments"},
    {{"apps", "ReplicaSet"}, {"v1"}, true, F::kKubernetes, "", "replicasets"},
    {{"apps", "StatefulSet"}, {"v1"}, true, F::kKubernetes, "", "statefulsets"},
    {{"batch", "CronJob"}, {"v1"}, true, F::kKubernetes, "", "cronjobs"},
    {{"batch", "Job"}, {"v1"}, true, F::kKubernetes, "", "jobs"},
    {{"discovery.k8s.io", "EndpointSlice"}, {"v1"}, true, F::kKubernetes, "", "endpointslices"},
    {{"extensions.istio.io", "TrafficExtension"}, {"v1alpha1"}, true, F::kIstio, "istio.extensions.v1alpha1.TrafficExtension", "trafficextensions"},
    {{"extensions.istio.io", "WasmPlugin"}, {"v1alpha1"}, true, F::kIstio, "istio.extensions.v1alpha1.WasmPlugin", "wasmplugins"},
    {{"gateway.networking.k8s.io", "BackendTLSPolicy"}, {"v1", "v1alpha3"}, true, F::kGatewayApi, "", "backendtlspolicies"},
    {{"gateway.networking.k8s.io", "GRPCRoute"}, {"v1", "v1alpha2"}, true, F::kGatewayApi, "", "grpcroutes"},
    {{"gateway.networking.k8s.io", "Gateway"}, {"v1", "v1beta1"}, true, F::kGatewayApi, "", "gateways"},
    {{"gateway.networking.k8s.io", "GatewayClass"}, {"v1", "v1beta1"}, false, F::kGatewayApi, "", "gatewayclasses"},
    {{"gateway.networking.k8s.io", "HTTPRoute"}, {"v1", "v1beta1"}, true, F::kGatewayApi, "", "httproutes"},
    {{"gateway.networking.k8s.io", "ReferenceGrant"}, {"v1beta1", "v1alpha2"}, true, F::kGatewayApi, "", "referencegrants"},
    {{"gateway.networking.k8s.io", "TCPRoute"}, {"v1alpha2"}, true, F::kGatewayApi, "", "tcproutes"},
    {{"gateway.networking.k8s.io", "TLSRoute"}, {"v1alpha2", "v1"}, true, F::kGatewayApi, "", "tlsroutes"},
    {{"gateway.networking.k8s.io", "UDPRoute"}, {"v1alpha2"}, true, F::kGatewayApi, "", "udproutes"},
    {{"networking.istio.io", "DestinationRule"}, {"v1", "v1alpha3", "v1beta1"}, true, F::kIstio, "istio.networking.v1alpha3.DestinationRule", "destinationrules"},
    {{"networking.istio.io", "EnvoyFilter"}, {"v1alpha3"}, true, F::kIstio, "istio.networking.v1alpha3.EnvoyFilter", "envoyfilters"},
    {{"networking.istio.io", "Gateway"}, {"v1", "v1alpha3", "v1beta1"}, true, F::kIstio, "istio.networking.v1alpha3.Gateway", "gateways"},
    {{"networking.istio.io", "ProxyConfig"}, {"v1beta1"}, true, F::kIstio, "istio.networking.v1beta1.ProxyConfig", "proxyconfigs"},
    {{"networking.istio.io", "ServiceEntry"}, {"v1", "v1alpha3", "v1beta1"}, true, F::kIstio, "istio.networking.v1alpha3.ServiceEntry", "serviceentries"},
    {{"networking.istio.io", "Sidecar"}, {"v1", "v1alpha3", "v1beta1"}, true, F::kIstio, "istio.networking.v1alpha3.Sidecar", "sidecars"},
    {{"networking.istio.io", "VirtualService"}, {"v1", "v1alpha3", "v1beta1"}, true, F::kIstio, "istio.networking.v1alpha3.VirtualService", "virtualservices"},
    {{"networking.istio.io", "WorkloadEntry"}, {"v1", "v1alpha3", "v1beta1"}, true, F::kIstio, "istio.networking.v1alpha3.WorkloadEntry", "workloadentries"},
    {{"networking.istio.io", "WorkloadGroup"}, {"v1", "v1alpha3", "v1beta1"}, true, F::kIstio, "istio.networking.v1alpha3.WorkloadGroup", "workloadgroups"},
    {{"security.istio.io", "AuthorizationPolicy"}, {"v1", "v1beta1"}, true, F::kIstio, "istio.security.v1beta1.AuthorizationPolicy", "authorizationpolicies"},
    {{"security.istio.io", "PeerAuthentication"}, {"v1", "v1beta1"}, true, F::kIstio, "istio.security.v1beta1.PeerAuthentication", "peerauthentications"},
    {{"security.istio.io", "RequestAuthentication"}, {"v1", "v1beta1"}, true, F::kIstio, "istio.security.v1beta1.RequestAuthentication", "requestauthentications"},
    {{"split.smi-spec.io", "TrafficSplit"}, {"v1alpha4", "v1alpha3", "v1alpha2", "v1alpha1"}, true, F::kOther, "", "trafficsplits"},
    {{"telemetry.istio.io", "Telemetry"}, {"v1", "v1alpha1"}, true, F::kIstio, "istio.telemetry.v1alpha1.Telemetry", "telemetries"},
};

}  // namespace

const std::vector<KindInfo>& KnownKinds() { return kKinds; }

const KindInfo* FindKind(std::string_view group, std::string_view kind) {
  for (const auto& k : kKinds)
    if (k.gk.group == group && k.gk.kind == kind) return &k;
  return nullptr;
}

}  // namespace meshctl::model
