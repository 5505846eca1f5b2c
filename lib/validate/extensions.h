// Semantic validators of the extensions.istio.io kinds (spec §5.13, §5.15):
// WasmPlugin and TrafficExtension, which share the Wasm module checks.
#pragma once

#include "lib/validate/findings.h"

namespace meshctl::validate {

void ValidateWasmPlugin(const model::Resource& r, const ValidateContext& ctx, Findings& out);
void ValidateTrafficExtension(const model::Resource& r, const ValidateContext& ctx, Findings& out);

}  // namespace meshctl::validate
