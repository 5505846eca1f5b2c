#include <catch2/catch.hpp>

#include "tests/lib/validate/validate_testing.h"

using namespace meshctl::validate::testing;

TEST_CASE("DestinationRule rules with positions", "[validate]") {
  CheckRules("DestinationRule", {
      {"  host: reviews\n  subsets:\n  - name: v1\n    labels: {version: v1}\n", "", 0, 0},
      {"  host: ''\n", "empty domain name not allowed", 7, 9},
      {"  host: reviews\n  trafficPolicy: {}\n", "traffic policy must have at least one field", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    outlierDetection:\n      consecutiveErrors: 5\n",
       "outlier detection consecutive errors is deprecated", 10, 26, true},
      {"  host: reviews\n  trafficPolicy:\n    outlierDetection:\n      maxEjectionPercent: 101\n",
       "percentage 101 is not in range 0..100", 10, 27},
      {"  host: reviews\n  trafficPolicy:\n    connectionPool: {}\n", "connection pool must have at least one field", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    connectionPool:\n      http: {maxRetries: -1}\n",
       "max retries must be non-negative", 10, 26},
      {"  host: reviews\n  trafficPolicy:\n    connectionPool:\n      http:\n        http2KeepAlive: {timeout: 5s}\n",
       "http2 keepalive interval is required", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    connectionPool:\n      tcp: {connectTimeout: 1us}\n",
       "duration must be greater than 1ms", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    connectionPool:\n      tcp: {idleTimeout: 0s}\n", "", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      consistentHash:\n        maglev: {tableSize: 1000}\n",
       "tableSize must be a prime number for maglev", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      consistentHash: {httpCookie: {ttl: 1s}}\n",
       "name required for HttpCookie", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      localityLbSetting:\n"
       "        distribute: [{from: a/b/*, to: {'a/b/*': 60}}]\n",
       "total locality weight 60 != 100", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      localityLbSetting:\n"
       "        failover: [{from: us, to: us}]\n",
       "locality lb failover settings must specify different regions", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      localityLbSetting:\n"
       "        failover: [{from: us, to: eu}]\n",
       "outlier detection policy must be provided for failover", 0, 0, true},
      {"  host: reviews\n  trafficPolicy:\n    loadBalancer:\n      warmup: {minimumPercent: 10}\n",
       "duration is required", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    tls: {mode: MUTUAL}\n", "client certificate required for mutual tls", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: c, caCertificates: x}\n",
       "cannot specify client certificates or CA certificate or CA CRL If credentialName is set", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: 'configmap://other/x'}\n",
       "invalid configmap:// credentialName: namespace must match the configuration namespace \"ns\"", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 80}\n",
       "port traffic policy must have at least one field", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    tunnel: {protocol: GET, targetHost: a.com, targetPort: 80}\n",
       "tunnel protocol must be \"CONNECT\" or \"POST\"", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    tunnel: {targetHost: a.com}\n",
       "tunnel target port is invalid: port number 0 must be in the range 1..65535", 0, 0},
      {"  host: reviews\n  trafficPolicy:\n    tunnel: {targetHost: a.com, targetPort: 1}\n    proxyProtocol: {}\n",
       "tunnel and proxyProtocol must not be set together", 0, 0},
      {"  host: reviews\n  subsets:\n  - name: v1\n  - name: v1\n", "duplicate subset names: v1", 10, 11},
      {"  host: reviews\n  subsets:\n  - name: v1\n    labels: {'a/b/c': x}\n", "invalid tag key: \"a/b/c\"", 0, 0},
      {"  host: reviews\n  workloadSelector: {}\n", "workload selector specified without labels", 0, 0, true},
      {"  host: reviews\n  workloadSelector: {matchLabels: {app: '*'}}\n",
       "wildcard is not supported in selector: \"app=*\"", 0, 0},
      {"  host: reviews\n  workloadSelector: {matchLabels: {app: a}}\n  exportTo: ['*']\n",
       "destination rule with workload selector cannot have exportTo beyond current namespace", 0, 0},
      {"  host: reviews\n  exportTo: [ns, .]\n", "duplicate entries in exportTo: . and current namespace ns", 0, 0},
      {"  host: reviews\n  exportTo: ['~']\n", "exportTo ~ (none) is not allowed for Istio configuration objects", 0, 0},
  });
}
