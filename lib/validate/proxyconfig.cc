#include "lib/validate/proxyconfig.h"

#include "lib/validate/policy_common.h"

namespace meshctl::validate {

void ValidateProxyConfig(const model::Resource& r, const ValidateContext&, Findings& out) {
  FieldRef spec = FieldRef::Spec(r);
  CheckPolicySelector(spec["selector"], out);
  FieldRef concurrency = spec["concurrency"];
  if (auto v = concurrency.Int(); v && *v < 0)
    out.Error(concurrency.path(), "concurrency must be greater than or equal to 0");
}

}  // namespace meshctl::validate
