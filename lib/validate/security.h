// Semantic validators of the security.istio.io kinds (spec §5.9-§5.11):
// AuthorizationPolicy, RequestAuthentication, PeerAuthentication.
// Messages are Istio's; every finding names the field it is about.
#pragma once

#include "lib/validate/findings.h"

namespace meshctl::validate {

void ValidateAuthorizationPolicy(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateRequestAuthentication(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidatePeerAuthentication(const model::Resource& r, const ValidateContext& ctx, Findings& out);

}  // namespace meshctl::validate
