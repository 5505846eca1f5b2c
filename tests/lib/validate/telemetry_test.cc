#include "lib/validate/kinds.h"

#include <catch2/catch.hpp>

#include "tests/lib/validate/kind_test_util.h"

namespace meshctl::validate {
namespace {

using testutil::Run;

TEST_CASE("Telemetry: metrics, tracing and provider rules with positions", "[validate]") {
  auto c = Run(ValidateTelemetry, R"(apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: t
  namespace: foo
spec:
  metrics:
  - providers:
    - name: prometheus
    overrides:
    - ~
    - match:
        customMetric: ""
      tagOverrides:
        "":
          value: x
        request_host:
          operation: REMOVE
          value: yy
        upserted: {}
  tracing:
  - providers:
    - name: a
    - name: b
    randomSamplingPercentage: 101
    customTags:
      lit:
        literal:
          value: ""
      hdr:
        header:
          name: ""
      env:
        environment:
          name: ""
      nil: ~
  - providers:
    - name: ""
)");
  CHECK(c->Find("providers.name may not be empty"));
  const Finding* f = c->Find("tagOverrides may not be null");
  REQUIRE(f);
  CHECK(c->Line(*f) == 11);
  CHECK(c->Find("tagOverrides.name may not be empty", true));
  f = c->Find("tagOverrides.value may only be set when operation is UPSERT");
  REQUIRE(f);
  CHECK(c->Line(*f) == 19);
  CHECK(c->Find("tagOverrides.value must be set when operation is UPSERT"));
  f = c->Find("customMetric may not be empty");
  REQUIRE(f);
  CHECK(c->Line(*f) == 13);
  CHECK(c->Find("multiple tracing is not currently supported", true));
  CHECK(c->Find("multiple providers is not currently supported", true));
  f = c->Find("randomSamplingPercentage must be in range [0.0, 100.0]");
  REQUIRE(f);
  CHECK(c->Line(*f) == 25);
  CHECK(c->Find("literal tag value may not be empty"));
  CHECK(c->Find("header tag name may not be empty"));
  CHECK(c->Find("environment tag name may not be empty"));
  CHECK(c->Find("tag 'nil' may not have a nil value"));
}

TEST_CASE("Telemetry: access log filters are parsed as CEL", "[validate]") {
  auto ok = Run(ValidateTelemetry, R"(apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: t
spec:
  accessLogging:
  - providers:
    - name: envoy
    filter:
      expression: connection.mtls && request.url_path.contains('v1beta3') || response.code >= 400
)");
  CHECK(ok->findings.size() == 0);
  auto bad = Run(ValidateTelemetry, R"(apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: t
spec:
  accessLogging:
  - providers:
    - name: envoy
    filter:
      expression: ")++++"
)");
  const Finding* f = bad->Find("must be a valid CEL expression, ERROR: <input>:1:1: Syntax error:");
  REQUIRE(f);
  CHECK(bad->Line(*f) == 10);
}

TEST_CASE("Telemetry: targetRefs", "[validate]") {
  auto c = Run(ValidateTelemetry, R"(apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: t
spec:
  targetRefs:
  - kind: Pod
    name: x
  - kind: Service
)");
  CHECK(c->Find("targetRef must be to one of [core/v1/Service networking.istio.io/v1/ServiceEntry gateway.networking.k8s.io/v1/Gateway gateway.networking.k8s.io/v1/GatewayClass] but was /Pod"));
  const Finding* f = c->Find("targetRef name must be set");
  REQUIRE(f);
  CHECK(c->Line(*f) == 9);
  CHECK(c->Errors() == 2);
}

}  // namespace
}  // namespace meshctl::validate
