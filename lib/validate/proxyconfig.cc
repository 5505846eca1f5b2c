// Semantic validator of networking.istio.io ProxyConfig (spec §5.14).
#include "lib/validate/field_ref.h"
#include "lib/validate/helpers.h"
#include "lib/validate/kinds.h"

namespace meshctl::validate {

void ValidateProxyConfig(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  CheckSelector(Present(spec["selector"]), spec["selector"].path(), out);
  FieldRef concurrency = spec["concurrency"];
  if (auto v = concurrency.Int(); v && *v < 0)
    out.Error(concurrency.path(), "concurrency must be greater than or equal to 0");
}

}  // namespace meshctl::validate
