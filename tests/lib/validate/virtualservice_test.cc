#include <catch2/catch.hpp>

#include "tests/lib/validate/validate_testing.h"

using namespace meshctl::validate::testing;

TEST_CASE("VirtualService rules with positions", "[validate]") {
  CheckRules("VirtualService", {
      {"  hosts: [reviews]\n  http:\n  - route:\n    - destination: {host: reviews}\n", "", 0, 0},
      {"  hosts: [reviews]\n", "http, tcp or tls must be provided in virtual service", 7, 3},
      {"  gateways: [gw]\n  http:\n  - route: [{destination: {host: a}}]\n",
       "delegate virtual service must have no gateways specified", 7, 3},
      {"  hosts: ['*']\n  http:\n  - route: [{destination: {host: a}}]\n",
       "wildcard host * is not allowed for virtual services bound to the mesh gateway", 7, 11},
      {"  hosts: ['*.com', a.com]\n  gateways: [gw]\n  http:\n  - route: [{destination: {host: a}}]\n",
       "duplicate hosts in virtual service: *.com & a.com", 7, 20},
      {"  hosts: [a]\n  gateways: [gw.ns]\n  http:\n  - route: [{destination: {host: a}}]\n",
       "using legacy gatewayName format \"gw.ns\"; prefer the <namespace>/<name> format: \"ns/gw\"", 8, 14, true},
      {"  hosts: [a]\n  gateways: [ns/gw_1]\n  http:\n  - route: [{destination: {host: a}}]\n",
       "invalid value for gateway name: \"gw_1\"", 8, 14},
      {"  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a}\n      weight: -15\n",
       "weight -15 < 0", 11, 15},
      {"  hosts: [a]\n  http:\n  - route:\n    - destination: {host: a}\n    - destination: {host: b}\n",
       "total destination weight = 0", 9, 5},
      {"  hosts: [a]\n  http:\n  - redirect: {uri: /x}\n    route: [{destination: {host: a}}]\n",
       "HTTP route cannot contain both route and redirect", 9, 5},
      {"  hosts: [a]\n  http:\n  - match: [{uri: {prefix: /}}]\n", "HTTP route, redirect or direct_response is required", 9, 5},
      {"  hosts: [a]\n  http:\n  - match:\n    - headers: {'@request.auth.claims.x': {exact: v}}\n"
       "    route: [{destination: {host: a}}]\n",
       "JWT claim based routing (key: @request.auth.claims.x) is only supported for gateway", 0, 0},
      {"  hosts: [a]\n  http:\n  - match:\n    - uri: {regex: '(x'}\n    route: [{destination: {host: a}}]\n",
       "\"uri\": error parsing regexp", 10, 20},
      {"  hosts: [a]\n  http:\n  - match:\n    - headers: {x: {prefix: ''}}\n    route: [{destination: {host: a}}]\n",
       "\"headers\": prefix string match should not be empty", 0, 0},
      {"  hosts: [a]\n  http:\n  - fault: {}\n    route: [{destination: {host: a}}]\n",
       "HTTP fault injection must have an abort and/or a delay", 9, 5},
      {"  hosts: [a]\n  http:\n  - fault: {abort: {httpStatus: 700}}\n    route: [{destination: {host: a}}]\n",
       "HTTP status 700 is not in range 200-599", 9, 33},
      {"  hosts: [a]\n  http:\n  - fault: {abort: {grpcStatus: NOPE}}\n    route: [{destination: {host: a}}]\n",
       "gRPC status \"NOPE\" is not supported", 0, 0},
      {"  hosts: [a]\n  http:\n  - fault: {abort: {percentage: {value: 50}}}\n    route: [{destination: {host: a}}]\n",
       "abort configured, but error type not set", 0, 0, true},
      {"  hosts: [a]\n  http:\n  - timeout: 0.5ms\n    route: [{destination: {host: a}}]\n",
       "duration must be greater than 1ms", 9, 14},
      {"  hosts: [a]\n  http:\n  - retries: {attempts: 3, retryOn: 'foo,503'}\n    route: [{destination: {host: a}}]\n",
       "\"foo\" is not a valid retryOn policy", 0, 0},
      {"  hosts: [a]\n  http:\n  - retries: {attempts: 0, perTryTimeout: 1s}\n    route: [{destination: {host: a}}]\n",
       "http retry policy configured when attempts are set to 0 (disabled)", 0, 0},
      {"  hosts: [a]\n  http:\n  - redirect: {}\n", "redirect must specify URI, authority, scheme, or port", 9, 5},
      {"  hosts: [a]\n  http:\n  - redirect: {uri: /a, redirectCode: 200}\n",
       "200 is not a valid redirect code, must be 3xx", 0, 0},
      {"  hosts: [a]\n  http:\n  - directResponse: {status: 700}\n", "HTTP status 700 is not in range 200-599", 0, 0},
      {"  hosts: [a]\n  http:\n  - rewrite: {}\n    route: [{destination: {host: a}}]\n",
       "rewrite must specify at least one of URI, UriRegexRewrite, or authority", 0, 0},
      {"  hosts: [a]\n  http:\n  - rewrite: {authority: x}\n    headers: {request: {set: {host: yy}}}\n"
       "    route: [{destination: {host: a}}]\n",
       "authority header cannot be set multiple times: have \"x\", attempting to set \"yy\"", 0, 0},
      {"  hosts: [a]\n  http:\n  - corsPolicy: {allowMethods: [get]}\n    route: [{destination: {host: a}}]\n",
       "\"get\" is not a supported HTTP method", 0, 0},
      {"  hosts: [a]\n  http:\n  - mirrorPercentage: {value: 101}\n    mirror: {host: b}\n"
       "    route: [{destination: {host: a}}]\n",
       "mirror_percentage must have a max value of 100 (it has 101.000000)", 0, 0},
      {"  hosts: [a]\n  http:\n  - route: [{destination: {host: a}}]\n    headers: {response: {set: {':x': v}}}\n",
       "invalid header \":x\": header cannot have \":\" prefix", 0, 0},
      {"  hosts: [a]\n  http:\n  - route: [{destination: {host: a, subset: v_1}}]\n", "subset name is invalid: v_1", 0, 0},
      {"  hosts: [a]\n  http:\n  - route: [{destination: {host: a}}]\n  - route: [{destination: {host: b}}]\n",
       "virtualService rule #0 not used (only the last rule can have no matches)", 9, 5, true},
      {"  hosts: [a]\n  http:\n  - match: [{uri: {prefix: /a}}]\n    route: [{destination: {host: a}}]\n"
       "  - match: [{uri: {prefix: /ab}}]\n    route: [{destination: {host: a}}]\n",
       "virtualService rule #1 match #0 of prefix /ab is not used (duplicate/overlapping match in rule #0 of prefix /a "
       "on #0)", 11, 13, true},
      {"  hosts: [a]\n  http:\n  - match: [{uri: {prefix: /a}, name: m}]\n    route: [{destination: {host: a}}]\n"
       "  - match: [{uri: {prefix: /a}}]\n    route: [{destination: {host: a}}]\n",
       "virtualService rule #1 match #0 is not used (duplicate/overlapping match in rule #0)", 0, 0, true},
      {"  hosts: [a.com]\n  gateways: [gw]\n  tls:\n  - match: [{sniHosts: [b.com]}]\n"
       "    route: [{destination: {host: a}}]\n",
       "SNI host \"b.com\" is not a compatible subset of any of the virtual service hosts: [a.com]", 10, 25},
      {"  hosts: [a.com]\n  tls:\n  - route: [{destination: {host: a}}]\n",
       "TLS route must have at least one match condition", 0, 0},
      {"  hosts: [a.com]\n  tcp:\n  - match: [{port: 80}]\n", "TCP route is required", 0, 0},
      {"  hosts: [a.com]\n  tcp:\n  - match: [{destinationSubnets: [1.2.3.4/40]}]\n"
       "    route: [{destination: {host: a}}]\n",
       "\"1.2.3.4/40\" is not a valid CIDR block", 0, 0},
      {"  hosts: [a]\n  exportTo: ['*', ns2]\n  http:\n  - route: [{destination: {host: a}}]\n",
       "cannot have both public (*) and non-public exportTo values for a resource", 0, 0},
  });
}

TEST_CASE("VirtualService route semantics annotation relaxes destination checks", "[validate]") {
  auto run = ValidateText(
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: n\n"
      "  annotations: {internal.istio.io/route-semantics: gateway}\nspec:\n  hosts: [a.com]\n"
      "  gateways: [ns/gw.x]\n  http:\n  - route: [{destination: {host: '*'}}]\n");
  INFO(run.Dump());
  CHECK(run.valid());
}
