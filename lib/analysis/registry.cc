#include "lib/analysis/registry.h"

#include <algorithm>
#include <numeric>

#include "lib/core/parallel.h"

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

namespace {

// Below this many resources the whole run takes a few milliseconds and a
// thread's start-up would be most of what it saves.
constexpr size_t kMinResourcesForThreads = 512;
constexpr size_t kMaxThreads = 8;

// How much work an analyzer has: the resources of its input kinds. Threads
// take the largest first, so one big analyzer (schema validation reads
// every resource) does not start last and run alone.
size_t Cost(const Analyzer& a, const model::Snapshot& snap) {
  size_t n = 0;
  for (const auto& gk : a.Metadata().inputs) n += snap.OfKind(gk).size();
  return n;
}

}  // namespace

void RunAnalyzers(const std::vector<const Analyzer*>& analyzers, const AnalysisContext& ctx,
                  diag::DiagnosticSink& sink, size_t threads) {
  if (threads == 0) threads = ctx.snapshot.size() < kMinResourcesForThreads ? 1 : core::DefaultThreads(kMaxThreads);
  threads = std::min(threads, analyzers.size());
  if (threads <= 1) {
    for (const Analyzer* a : analyzers) a->Analyze(ctx, sink);
    return;
  }
  std::vector<size_t> order(analyzers.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::vector<size_t> cost(analyzers.size());
  for (size_t i = 0; i < analyzers.size(); ++i) cost[i] = Cost(*analyzers[i], ctx.snapshot);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost[a] > cost[b]; });

  std::vector<diag::DiagnosticSink> sinks(analyzers.size());
  core::RunTasks(order.size(), threads, [&](size_t k) {
    size_t i = order[k];
    analyzers[i]->Analyze(ctx, sinks[i]);
  });
  for (auto& s : sinks)
    for (auto& d : s.Take()) sink.Add(std::move(d));
}

}  // namespace meshctl::analysis
