// Semantic validator of networking.istio.io ProxyConfig (spec §5.14).
#pragma once

#include "lib/validate/findings.h"

namespace meshctl::validate {

void ValidateProxyConfig(const model::Resource& r, const ValidateContext& ctx, Findings& out);

}  // namespace meshctl::validate
