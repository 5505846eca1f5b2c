#include <catch2/catch.hpp>

#include "tests/lib/validate/validate_testing.h"

using namespace meshctl::validate::testing;

TEST_CASE("Sidecar rules with positions", "[validate]") {
  CheckRules("Sidecar", {
      {"  egress:\n  - hosts: [./*, istio-system/*]\n", "", 0, 0},
      {"  egress:\n  - hosts: ['~/*']\n", "", 0, 0},
      {"  workloadSelector: {labels: {app: a}}\n", "sidecar: empty configuration provided", 0, 0},
      {"  workloadSelector: {}\n  egress:\n  - hosts: ['*/*']\n",
       "sidecar: workload selector specified without labels, will be applied to all services in namespace", 0, 0, true},
      {"  ingress:\n  - defaultEndpoint: 127.0.0.1:80\n", "sidecar: port is required for ingress listeners", 0, 0},
      {"  ingress:\n  - port: {number: 80, protocol: HTTP, name: http, targetPort: 9}\n    defaultEndpoint: 127.0.0.1:8080\n",
       "targetPort has no impact on Sidecars", 0, 0},
      {"  ingress:\n  - port: {number: 80, protocol: HTTP, name: http}\n    defaultEndpoint: 1.1.1.1:8080\n",
       "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>", 9, 22},
      {"  ingress:\n  - port: {number: 80, protocol: HTTP, name: http}\n    defaultEndpoint: 127.0.0.1\n",
       "address 127.0.0.1: missing port in address", 0, 0},
      {"  ingress:\n  - port: {number: 80, protocol: HTTP, name: http}\n    defaultEndpoint: 127.0.0.1:x\n",
       "sidecar: defaultEndpoint port (x) is not a number", 0, 0},
      {"  ingress:\n  - port: {number: 80, protocol: HTTP, name: http}\n  - port: {number: 80, protocol: HTTP, name: h2}\n",
       "sidecar: ports on IP bound listeners must be unique", 0, 0},
      {"  ingress:\n  - port: {number: 80, protocol: HTTP, name: http}\n    tls: {mode: SIMPLE, credentialName: x}\n",
       "sidecar: credentialName is not currently supported", 0, 0},
      {"  ingress:\n  - port: {number: 443, protocol: HTTPS, name: https}\n    tls: {mode: ISTIO_MUTUAL}\n",
       "configuration is invalid: cannot set mode to ISTIO_MUTUAL in sidecar ingress tls", 0, 0},
      {"  ingress:\n  - port: {number: 80, protocol: TCP, name: tcp}\n    connectionPool: {http: {maxRetries: 1}}\n",
       "sidecar: HTTP connection pool settings are configured for port 80 (\"tcp\") but its protocol is not HTTP (TCP)",
       0, 0, true},
      {"  egress:\n  - hosts: ['*/*']\n  - port: {number: 80, protocol: HTTP, name: http}\n    hosts: ['*/*']\n",
       "sidecar: the egress listener with empty port should be the last listener in the list", 0, 0},
      {"  egress:\n  - port: {number: 0, protocol: HTTP, name: http}\n    hosts: ['*/*']\n",
       "sidecar: ports with 0 value must have a unix domain socket bind address", 0, 0},
      {"  egress:\n  - port: {number: 80, protocol: HTTP, name: http}\n", "sidecar: egress listener must contain at least one host",
       0, 0},
      {"  egress:\n  - hosts: [a.com]\n", "host must be of form namespace/dnsName", 8, 13},
      {"  egress:\n  - hosts: [ns/reviews]\n", "short names (non FQDN) are not allowed", 0, 0},
      {"  egress:\n  - hosts: [Ns_x/a.com]\n", "invalid namespace value \"Ns_x\" in sidecar", 0, 0},
      {"  egress:\n  - hosts: [ns/a.com, ns/a.com]\n", "duplicated egress host: ns/a.com", 0, 0, true},
      {"  egress:\n  - hosts: ['*/*', ns/a.com]\n", "`*/*` host select all resources, no other hosts can be added", 0, 0, true},
      {"  outboundTrafficPolicy:\n    mode: REGISTRY_ONLY\n    egressProxy: {host: a.com, port: {number: 80}}\n",
       "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode", 0, 0},
      {"  outboundTrafficPolicy:\n    mode: ALLOW_ANY\n    egressProxy: {host: a.com}\n",
       "sidecar: egress_proxy port must be non-nil", 0, 0},
      {"  outboundTrafficPolicy:\n    mode: 3\n",
       "sidecar: ALLOW_ANY_DYNAMIC_DNS mode is only supported in MeshConfig, not in Sidecar resource", 0, 0},
      {"  inboundConnectionPool: {}\n", "connection pool must have at least one field", 0, 0},
  });
}
