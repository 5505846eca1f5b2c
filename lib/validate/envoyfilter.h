// Semantic validator of networking.istio.io EnvoyFilter (spec §5.8).
//
// Rules 1-16 are Istio's exactly. Rules 17-20 (decoding `patch.value` into
// the Envoy v3 type the patch applies to) need Envoy's whole proto set;
// meshctl checks what a table of the patched types' top-level fields can
// decide: JSON types of known fields, unknown fields of the small filter
// messages (warning), v2 `@type` URLs (error), filters named without
// typed_config (warning). Deprecated frozen `@type` packages (rule 19) are
// not detected.
#pragma once

#include "lib/validate/findings.h"

namespace meshctl::validate {

void ValidateEnvoyFilter(const model::Resource& r, const ValidateContext& ctx, Findings& out);

}  // namespace meshctl::validate
