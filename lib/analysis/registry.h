// The one sorted table of analyzers; it drives `analyze`, `--list-analyzers`,
// `--analyzer` selection and the README table check.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "lib/analysis/analyzer.h"

namespace meshctl::analysis {

// Every analyzer, sorted by id.
const std::vector<std::unique_ptr<Analyzer>>& AllAnalyzers();

// Finds by meshctl id or by Istio's analyzer name; nullptr when unknown.
const Analyzer* FindAnalyzer(std::string_view name);
// Every analyzer with that id or Istio name (several analyzers may implement
// parts of one Istio analyzer, e.g. schema.ValidationAnalyzer.VirtualService).
std::vector<const Analyzer*> FindAnalyzers(std::string_view name);

// Runs `analyzers` over the context; findings go to `sink` unfiltered, in
// the order of `analyzers` whatever the number of threads. Analyzers only
// read the snapshot, so on a large snapshot they run on up to `threads`
// threads (0: core::DefaultThreads(8), the CPUs this process may use or
// the MESHCTL_THREADS environment variable), each into a sink of its
// own; the sinks are then appended in order.
void RunAnalyzers(const std::vector<const Analyzer*>& analyzers, const AnalysisContext& ctx,
                  diag::DiagnosticSink& sink, size_t threads = 0);

// Factories (one per analyzer file).
std::unique_ptr<Analyzer> NewAppProtocolConflictAnalyzer();
std::unique_ptr<Analyzer> NewPortNameAnalyzer();
std::unique_ptr<Analyzer> NewSchemaValidationAnalyzer();
std::unique_ptr<Analyzer> NewMultiServiceAnalyzer();
std::unique_ptr<Analyzer> NewWorkloadLabelsAnalyzer();
std::unique_ptr<Analyzer> NewVirtualServiceDestinationRuleAnalyzer();
std::unique_ptr<Analyzer> NewMultiClusterServiceAnalyzer();
std::unique_ptr<Analyzer> NewRouteWeightsAnalyzer();
std::unique_ptr<Analyzer> NewServiceSelectorAnalyzer();
std::unique_ptr<Analyzer> NewDelegateAnalyzer();
std::unique_ptr<Analyzer> NewVirtualServiceUnreachableRulesAnalyzer();
std::unique_ptr<Analyzer> NewK8sAnnotationsAnalyzer();
std::unique_ptr<Analyzer> NewAlphaAnnotationsAnalyzer();
std::unique_ptr<Analyzer> NewEnvoyPatchAnalyzer();
std::unique_ptr<Analyzer> NewDeprecationAnalyzer();
std::unique_ptr<Analyzer> NewInjectionAnalyzer();
std::unique_ptr<Analyzer> NewInjectionImageAnalyzer();
std::unique_ptr<Analyzer> NewImageAutoAnalyzer();
std::unique_ptr<Analyzer> NewWebhookAnalyzer();
std::unique_ptr<Analyzer> NewExternalControlPlaneAnalyzer();
std::unique_ptr<Analyzer> NewMeshNetworksAnalyzer();
std::unique_ptr<Analyzer> NewConditionAnalyzer();
std::unique_ptr<Analyzer> NewApplicationUidAnalyzer();
std::unique_ptr<Analyzer> NewBlockedCidrsAnalyzer();
std::unique_ptr<Analyzer> NewTelemetryProviderAnalyzer();
std::unique_ptr<Analyzer> NewLightstepAnalyzer();
std::unique_ptr<Analyzer> NewAuthorizationPoliciesAnalyzer();
std::unique_ptr<Analyzer> NewK8sGatewaySelectorAnalyzer();
std::unique_ptr<Analyzer> NewCrdVersionAnalyzer();
std::unique_ptr<Analyzer> NewProtocolAddressesAnalyzer();
std::unique_ptr<Analyzer> NewConflictingServiceEntryProtocolAnalyzer();
std::unique_ptr<Analyzer> NewVirtualServiceGatewayAnalyzer();
std::unique_ptr<Analyzer> NewVirtualServiceDestinationHostAnalyzer();
std::unique_ptr<Analyzer> NewConflictingMeshGatewayHostsAnalyzer();
std::unique_ptr<Analyzer> NewJwtClaimRouteAnalyzer();
std::unique_ptr<Analyzer> NewCaCertificateAnalyzer();
std::unique_ptr<Analyzer> NewSubsetSelectPodAnalyzer();
std::unique_ptr<Analyzer> NewSidecarSelectorAnalyzer();
std::unique_ptr<Analyzer> NewTelemetrySelectorAnalyzer();
std::unique_ptr<Analyzer> NewTelemetryDefaultSelectorAnalyzer();
std::unique_ptr<Analyzer> NewIngressGatewayPortAnalyzer();
std::unique_ptr<Analyzer> NewGatewaySecretAnalyzer();
std::unique_ptr<Analyzer> NewConflictingGatewayAnalyzer();
std::unique_ptr<Analyzer> NewGatewayCertificateAnalyzer();

}  // namespace meshctl::analysis
