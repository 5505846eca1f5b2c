// Semantic validator of telemetry.istio.io Telemetry (spec §5.12),
// including the syntax of access-log filter expressions (CEL, parse only,
// as Istio does; see cel_syntax.h).
#pragma once

#include "lib/validate/findings.h"

namespace meshctl::validate {

void ValidateTelemetry(const model::Resource& r, const ValidateContext& ctx, Findings& out);

}  // namespace meshctl::validate
