#include "lib/validate/kinds.h"

#include <catch2/catch.hpp>

#include "tests/lib/validate/kind_test_util.h"

namespace meshctl::validate {
namespace {

using testutil::Run;

TEST_CASE("ProxyConfig: concurrency and selector", "[validate]") {
  auto c = Run(ValidateProxyConfig, R"(apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata:
  name: p
spec:
  selector:
    matchLabels:
      "": x
  concurrency: -1
)");
  const Finding* f = c->Find("concurrency must be greater than or equal to 0");
  REQUIRE(f);
  CHECK(c->Line(*f) == 9);
  f = c->Find("empty key is not supported in selector: \"=x\"");
  REQUIRE(f);
  CHECK(c->Line(*f) == 8);

  auto ok = Run(ValidateProxyConfig, R"(apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata:
  name: p
spec:
  concurrency: 0
  environmentVariables:
    A: b
)");
  CHECK(ok->findings.size() == 0);
}

}  // namespace
}  // namespace meshctl::validate
