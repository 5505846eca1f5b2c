#include <catch2/catch.hpp>

#include "tests/lib/validate/validate_testing.h"

using namespace meshctl::validate::testing;

TEST_CASE("ServiceEntry rules with positions", "[validate]") {
  CheckRules("ServiceEntry", {
      {"  hosts: [api.example.com]\n  ports: [{number: 443, name: https, protocol: TLS}]\n  resolution: DNS\n", "", 0, 0},
      {"  ports: [{number: 443, name: https, protocol: TLS}]\n", "service entry must have at least one host", 0, 0},
      {"  hosts: ['*']\n  ports: [{number: 80, name: http, protocol: HTTP}]\n", "invalid host *", 7, 11},
      {"  hosts: ['*a.com']\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: STATIC\n"
       "  endpoints: [{address: 1.2.3.4}]\n",
       "partial wildcard \"*a.com\" not allowed", 0, 0, true},
      {"  hosts: [a.com]\n  addresses: [10.0.0.0/8]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n"
       "  resolution: DNS\n",
       "CIDR addresses are allowed only for NONE/STATIC resolution types", 0, 0},
      {"  hosts: [a.com]\n  ports:\n  - {number: 80, name: http, protocol: HTTP}\n  - {number: 80, name: http2, protocol: HTTP}\n",
       "service entry port 80 already defined", 10, 14},
      {"  hosts: [a.com]\n  ports:\n  - {number: 80, name: http, protocol: HTTP}\n  - {number: 81, name: http, protocol: HTTP}\n",
       "service entry port name \"http\" already defined", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: FOO}]\n", "unsupported protocol: FOO", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: tcp}]\n",
       "addresses are required for ports serving TCP (or unset) protocol when IP Autoallocation is not enabled", 0, 0,
       true},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  endpoints: [{address: 1.2.3.4}]\n",
       "no endpoints should be provided for resolution type none", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: STATIC\n"
       "  endpoints: [{address: a.com}]\n",
       "endpoint address \"a.com\" is not a valid IP address", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: STATIC\n"
       "  endpoints: [{address: 1.2.3.4, ports: {grpc: 90}}]\n",
       "endpoint port grpc is not defined by the service entry", 0, 0},
      {"  hosts: ['*.a.com']\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: DNS\n",
       "hosts must be FQDN or contain only prefix wildcards if no endpoints are provided for resolution mode DNS", 0,
       0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: DNS_ROUND_ROBIN\n"
       "  endpoints: [{address: 1.2.3.4}, {address: 1.2.3.5}]\n",
       "there must only be 0 or 1 endpoint for resolution mode DNS_ROUND_ROBIN", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: DYNAMIC_DNS\n",
       "host must be wildcarded for resolution mode DYNAMIC_DNS", 0, 0},
      {"  hosts: ['*.a.com']\n  ports: [{number: 80, name: tcp, protocol: TCP}]\n  resolution: DYNAMIC_DNS\n",
       "only HTTP, TLS, GRPC, and HTTP2 protocols are supported for resolution type DYNAMIC_DNS", 0, 0},
      {"  hosts: [a.com, b.com]\n  ports: [{number: 80, name: tcp, protocol: TCP}]\n  resolution: DNS\n",
       "multiple hosts provided with non-HTTP, non-TLS ports", 0, 0},
      {"  hosts: [a.com]\n  resolution: 9\n", "unsupported resolution type 9", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  workloadSelector: {labels: {'': x}}\n",
       "empty key is not supported in selector: \"=x\"", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  resolution: STATIC\n"
       "  workloadSelector: {labels: {app: a}}\n  endpoints: [{address: 1.2.3.4}]\n",
       "only one of WorkloadSelector or Endpoints is allowed in Service Entry", 0, 0},
      {"  hosts: [a.com]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n  exportTo: ['~', ns]\n",
       "cannot export service entry to no one (~) and someone", 0, 0},
  });
}
