#include "lib/validate/kinds.h"

#include <catch2/catch.hpp>

#include "tests/lib/validate/kind_test_util.h"

namespace meshctl::validate {
namespace {

using testutil::Run;

TEST_CASE("EnvoyFilter: always warns; valid patches pass", "[validate]") {
  auto c = Run(ValidateEnvoyFilter, R"(apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: ef
spec:
  workloadSelector:
    labels:
      app: a
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      context: SIDECAR_INBOUND
      proxy:
        proxyVersion: ^1\.2[0-9].*
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
            subFilter:
              name: envoy.filters.http.router
    patch:
      operation: INSERT_BEFORE
      value:
        name: envoy.lua
        typed_config:
          "@type": type.googleapis.com/envoy.extensions.filters.http.lua.v3.Lua
          inlineCode: "function envoy_on_request(h) end"
  - applyTo: CLUSTER
    match:
      cluster:
        service: foo
    patch:
      operation: REMOVE
  - applyTo: CLUSTER
    patch:
      operation: ADD
      value:
        name: extra
        type: 1
        lbPolicy: ROUND_ROBIN
        connect_timeout: 1s
        load_assignment: {cluster_name: extra}
)");
  CHECK(c->Errors() == 0);
  REQUIRE(c->Warnings() == 1);
  CHECK(c->Find("EnvoyFilter exposes internal implementation details", true));
}

TEST_CASE("EnvoyFilter: patch structure rules with positions", "[validate]") {
  auto c = Run(ValidateEnvoyFilter, R"(apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: ef
spec:
  workloadSelector: {}
  configPatches:
  - ~
  - patch:
      operation: ADD
  - applyTo: CLUSTER
  - applyTo: CLUSTER
    patch:
      value: {}
  - applyTo: CLUSTER
    patch:
      operation: ADD
  - applyTo: LISTENER
    match:
      proxy:
        proxyVersion: a++
    patch:
      operation: ADD
      value: {}
  - applyTo: NETWORK_FILTER
    match:
      cluster:
        service: x
    patch:
      operation: ADD
      value: {}
  - applyTo: HTTP_ROUTE
    match:
      listener: {}
    patch:
      operation: MERGE
      value: {}
  - applyTo: CLUSTER
    match:
      routeConfiguration: {}
    patch:
      operation: MERGE
      value: {}
  - applyTo: WAYPOINT_IS_NOT_CHECKED
    match:
      context: WAYPOINT
)");
  CHECK(c->Find("Envoy filter: workload selector specified without labels, will be applied to all services in namespace", true));
  const Finding* f = c->Find("Envoy filter: null config patch");
  REQUIRE(f);
  CHECK(c->Line(*f) == 8);
  CHECK(c->Find("Envoy filter: missing applyTo"));
  CHECK(c->Find("Envoy filter: missing patch operation"));
  f = c->Find("Envoy filter: missing patch value for non-remove operation");
  REQUIRE(f);
  CHECK(c->Line(*f) == 16);  // the `patch:` entry
  f = c->Find("Envoy filter: invalid regex for proxy version, [error parsing regexp: invalid nested repetition operator: `++`]");
  REQUIRE(f);
  CHECK(c->Line(*f) == 21);
  CHECK(c->Find("Envoy filter: applyTo for listener class objects cannot have non listener match"));
  CHECK(c->Find("Envoy filter: applyTo for http route class objects cannot have non route configuration match"));
  CHECK(c->Find("Envoy filter: applyTo for cluster class objects cannot have non cluster match"));
  CHECK(c->Errors() == 9);
}

TEST_CASE("EnvoyFilter: filter and subfilter match rules", "[validate]") {
  auto c = Run(ValidateEnvoyFilter, R"(apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: ef
spec:
  configPatches:
  - applyTo: FILTER_CHAIN
    match:
      listener:
        filterChain:
          filter:
            name: envoy.tcp_proxy
    patch:
      operation: ADD
      value: {}
  - applyTo: HTTP_FILTER
    match:
      listener:
        filterChain:
          filter: {}
    patch:
      operation: ADD
      value: {}
  - applyTo: NETWORK_FILTER
    match:
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.http_connection_manager
            subFilter:
              name: x
    patch:
      operation: ADD
      value: {}
  - applyTo: HTTP_FILTER
    match:
      listener:
        filterChain:
          filter:
            name: envoy.filters.network.tcp_proxy
            subFilter:
              name: x
    patch:
      operation: ADD
      value: {}
  - applyTo: HTTP_FILTER
    match:
      listener:
        filterChain:
          filter:
            name: envoy.http_connection_manager
            subFilter: {}
    patch:
      operation: ADD
      value: {}
)");
  CHECK(c->Find("Envoy filter: filter match has no effect when used with FILTER_CHAIN", true));
  const Finding* f = c->Find("using deprecated filter name \"envoy.tcp_proxy\"; use \"envoy.filters.network.tcp_proxy\" instead", true);
  REQUIRE(f);
  CHECK(c->Line(*f) == 12);
  CHECK(c->Find("Envoy filter: filter match has no name to match on"));
  CHECK(c->Find("Envoy filter: subfilter match can be used with applyTo HTTP_FILTER only"));
  CHECK(c->Find("Envoy filter: subfilter match requires filter match with envoy.filters.network.http_connection_manager"));
  CHECK(c->Find("Envoy filter: subfilter match has no name to match on"));
  CHECK(c->Errors() == 4);
}

TEST_CASE("EnvoyFilter: best-effort patch value decoding", "[validate]") {
  auto c = Run(ValidateEnvoyFilter, R"(apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: ef
spec:
  configPatches:
  - applyTo: CLUSTER
    match:
      cluster: {}
    patch:
      operation: ADD
      value:
        name: false
  - applyTo: NETWORK_FILTER
    patch:
      operation: INSERT_FIRST
      value:
        typed_config:
          '@type': type.googleapis.com/envoy.config.filter.network.ext_authz.v2.ExtAuthz
  - applyTo: HTTP_FILTER
    patch:
      operation: ADD
      value:
        name: envoy.filters.http.router
        bogus: 1
)");
  const Finding* f = c->Find("Envoy filter: json: cannot unmarshal bool into Go value of type string");
  REQUIRE(f);
  CHECK(c->Line(*f) == 13);
  f = c->Find("referenced type unknown (hint: try using the v3 XDS API)");
  REQUIRE(f);
  CHECK(c->Line(*f) == 19);
  CHECK(c->Find("Envoy filter: unknown field \"bogus\" in envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter", true));
  CHECK(c->Find("using deprecated types by name without typed_config; envoy.filters.http.router", true));
  CHECK(c->Errors() == 2);
}

}  // namespace
}  // namespace meshctl::validate
