// The per-kind validators (spec §5, §6), one function per kind, bound to
// their kinds in kKinds (kinds.cc). Each reads the normalised spec
// (r.spec, never nullptr) and appends Istio's findings.
#pragma once

#include "lib/validate/findings.h"

namespace meshctl::validate {

// lib/validate/virtualservice.cc
void ValidateVirtualService(const model::Resource& r, const ValidateContext& ctx, Findings& out);
// lib/validate/destinationrule.cc
void ValidateDestinationRule(const model::Resource& r, const ValidateContext& ctx, Findings& out);
// lib/validate/gateway.cc
void ValidateGateway(const model::Resource& r, const ValidateContext& ctx, Findings& out);
// lib/validate/serviceentry.cc
void ValidateServiceEntry(const model::Resource& r, const ValidateContext& ctx, Findings& out);
// lib/validate/sidecar.cc
void ValidateSidecar(const model::Resource& r, const ValidateContext& ctx, Findings& out);
// lib/validate/workloadentry.cc
void ValidateWorkloadEntry(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateWorkloadGroup(const model::Resource& r, const ValidateContext& ctx, Findings& out);

// validate2's kinds (security.cc, telemetry.cc, extensions.cc,
// envoyfilter.cc, proxyconfig.cc)
void ValidateAuthorizationPolicy(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateRequestAuthentication(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidatePeerAuthentication(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateTelemetry(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateWasmPlugin(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateTrafficExtension(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateEnvoyFilter(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateProxyConfig(const model::Resource& r, const ValidateContext& ctx, Findings& out);

// Kubernetes kinds (lib/validate/kube.cc): spec §6. Read r.root (no decoding).
void ValidateKubeService(const model::Resource& r, const ValidateContext& ctx, Findings& out);
// install.istio.io/v1alpha1 IstioOperator (istiooperator.cc).
void ValidateIstioOperator(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateKubeDeployment(const model::Resource& r, const ValidateContext& ctx, Findings& out);

}  // namespace meshctl::validate
