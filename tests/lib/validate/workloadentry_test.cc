#include <catch2/catch.hpp>

#include "tests/lib/validate/validate_testing.h"

using namespace meshctl::validate::testing;

TEST_CASE("WorkloadEntry rules with positions", "[validate]") {
  CheckRules("WorkloadEntry", {
      {"  address: 1.2.3.4\n  ports: {http: 8080}\n  labels: {app: a}\n", "", 0, 0},
      {"  address: vm.example.com\n", "", 0, 0},
      {"  ports: {http: 8080}\n", "address is required", 0, 0},
      {"  network: n1\n", "address is unset with network \"n1\"", 0, 0, true},
      {"  address: unix://rel/x\n", "rel/x is not an absolute path to a file", 0, 0},
      {"  address: unix:///sock\n  ports: {http: 80}\n", "unix endpoint unix:///sock must not include ports", 0, 0},
      {"  address: a_b.com\n", "endpoint address \"a_b.com\" is not a valid FQDN or an IP address", 7, 12},
      {"  address: 1.2.3.4\n  ports: {http_x: 80}\n", "invalid port name: http_x", 0, 0},
      {"  address: 1.2.3.4\n  ports: {http: 70000}\n", "port number 70000 must be in the range 1..65535", 0, 0},
      {"  address: 1.2.3.4\n  labels: {app: '-x'}\n", "invalid tag value: \"-x\"", 0, 0},
  });
}

TEST_CASE("WorkloadGroup rules with positions", "[validate]") {
  CheckRules("WorkloadGroup", {
      {"  template: {}\n  probe: {httpGet: {port: 8080, scheme: HTTPS, httpHeaders: [{name: x-a, value: b}]}}\n", "", 0,
       0},
      {"  probe: {tcpSocket: {port: 80}}\n", "template is required", 0, 0},
      {"  metadata: {labels: {'a b': c}}\n  template: {}\n", "invalid labels: invalid tag key: \"a b\"", 0, 0},
      {"  template: {}\n  probe: {periodSeconds: -1, exec: {command: [x]}}\n", "periodSeconds must be non-negative", 0, 0},
      {"  template: {}\n  probe: {httpGet: {port: 80, scheme: FTP}}\n", "httpGet.scheme must be one of \"HTTPS\", \"HTTP\"",
       0, 0},
      {"  template: {}\n  probe: {httpGet: {port: 80, httpHeaders: [{name: 'a b'}]}}\n",
       "header name a b is not a valid header name", 0, 0},
      {"  template: {}\n  probe: {tcpSocket: {port: 0}}\n", "port number 0 must be in the range 1..65535", 0, 0},
      {"  template: {}\n  probe: {exec: {}}\n", "exec.command is required", 0, 0},
      {"  template: {}\n  probe: {timeoutSeconds: 1}\n", "unknown health check method <nil>", 0, 0},
      {"  template: {}\n  probe: {grpc: {port: 80}}\n", "unknown health check method *v1alpha3.ReadinessProbe_Grpc", 0, 0},
  });
}
