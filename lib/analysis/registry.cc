#include "lib/analysis/registry.h"

#include <algorithm>

namespace meshctl::analysis {

// lib/analysis/ambient_waypoints.cc
std::unique_ptr<Analyzer> NewWaypointBindingAnalyzer();
std::unique_ptr<Analyzer> NewAmbientNamespaceAnalyzer();

const std::vector<std::unique_ptr<Analyzer>>& AllAnalyzers() {
  static const std::vector<std::unique_ptr<Analyzer>> kAll = [] {
    std::vector<std::unique_ptr<Analyzer>> v;
    v.push_back(NewAppProtocolConflictAnalyzer());
    v.push_back(NewMultiServiceAnalyzer());
    v.push_back(NewPortNameAnalyzer());
    v.push_back(NewSchemaValidationAnalyzer());
    v.push_back(NewVirtualServiceDestinationRuleAnalyzer());
    v.push_back(NewWorkloadLabelsAnalyzer());
    v.push_back(NewMultiClusterServiceAnalyzer());
    v.push_back(NewRouteWeightsAnalyzer());
    v.push_back(NewServiceSelectorAnalyzer());
    v.push_back(NewDelegateAnalyzer());
    v.push_back(NewVirtualServiceUnreachableRulesAnalyzer());
    v.push_back(NewK8sAnnotationsAnalyzer());
    v.push_back(NewAlphaAnnotationsAnalyzer());
    v.push_back(NewEnvoyPatchAnalyzer());
    v.push_back(NewDeprecationAnalyzer());
    v.push_back(NewInjectionAnalyzer());
    v.push_back(NewInjectionImageAnalyzer());
    v.push_back(NewImageAutoAnalyzer());
    v.push_back(NewWebhookAnalyzer());
    v.push_back(NewExternalControlPlaneAnalyzer());
    v.push_back(NewMeshNetworksAnalyzer());
    v.push_back(NewConditionAnalyzer());
    v.push_back(NewApplicationUidAnalyzer());
    v.push_back(NewBlockedCidrsAnalyzer());
    v.push_back(NewTelemetryProviderAnalyzer());
    v.push_back(NewLightstepAnalyzer());
    v.push_back(NewAuthorizationPoliciesAnalyzer());
    v.push_back(NewK8sGatewaySelectorAnalyzer());
    v.push_back(NewCrdVersionAnalyzer());
    v.push_back(NewProtocolAddressesAnalyzer());
    v.push_back(NewConflictingServiceEntryProtocolAnalyzer());
    v.push_back(NewVirtualServiceGatewayAnalyzer());
    v.push_back(NewVirtualServiceDestinationHostAnalyzer());
    v.push_back(NewConflictingMeshGatewayHostsAnalyzer());
    v.push_back(NewJwtClaimRouteAnalyzer());
    v.push_back(NewCaCertificateAnalyzer());
    v.push_back(NewSubsetSelectPodAnalyzer());
    v.push_back(NewSidecarSelectorAnalyzer());
    v.push_back(NewTelemetrySelectorAnalyzer());
    v.push_back(NewTelemetryDefaultSelectorAnalyzer());
    v.push_back(NewIngressGatewayPortAnalyzer());
    v.push_back(NewGatewaySecretAnalyzer());
    v.push_back(NewConflictingGatewayAnalyzer());
    v.push_back(NewGatewayCertificateAnalyzer());
    v.push_back(NewWaypointBindingAnalyzer());
    v.push_back(NewAmbientNamespaceAnalyzer());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a->Metadata().id < b->Metadata().id; });
    return v;
  }();
  return kAll;
}

const Analyzer* FindAnalyzer(std::string_view name) {
  for (const auto& a : AllAnalyzers())
    if (a->Metadata().id == name || (!a->Metadata().istio_name.empty() && a->Metadata().istio_name == name))
      return a.get();
  return nullptr;
}

std::vector<const Analyzer*> FindAnalyzers(std::string_view name) {
  std::vector<const Analyzer*> out;
  for (const auto& a : AllAnalyzers())
    if (a->Metadata().id == name || (!a->Metadata().istio_name.empty() && a->Metadata().istio_name == name))
      out.push_back(a.get());
  return out;
}

void RunAnalyzers(const std::vector<const Analyzer*>& analyzers, const AnalysisContext& ctx,
                  diag::DiagnosticSink& sink) {
  for (const Analyzer* a : analyzers) a->Analyze(ctx, sink);
}

}  // namespace meshctl::analysis
