#include <catch2/catch.hpp>

#include "tests/lib/validate/validate_testing.h"

using namespace meshctl::validate::testing;

TEST_CASE("Service ports follow istioctl validate's naming rules", "[validate]") {
  auto svc = [](const std::string& ports) {
    return ValidateText("apiVersion: v1\nkind: Service\nmetadata:\n  name: details\nspec:\n  ports:\n" + ports);
  };
  CHECK(svc("  - {name: http-web, port: 80}\n  - {name: grpc-web, port: 81}\n  - {name: HTTP2, port: 82}\n").valid());
  CHECK(svc("  - {protocol: UDP, port: 53}\n").valid());
  CHECK(svc("  - {name: x, appProtocol: https, port: 443}\n").valid());
  auto unnamed = svc("  - {port: 80}\n");
  const auto* f = unnamed.Find("service \"details//:\" has an unnamed port");
  REQUIRE(f);
  CHECK(f->line == 7);
  auto bad = svc("  - {name: web, port: 80}\n");
  CHECK(bad.Find("service \"details//:\" port \"web\" does not follow the Istio naming convention"));
  auto app = svc("  - {name: http, appProtocol: kubernetes.io/h2c, port: 80}\n");
  CHECK(app.Find("doesn't follow Istio protocol selection"));
  auto no_api = ValidateText("kind: Service\nmetadata: {name: a}\nspec:\n  ports: [{protocol: udp}]\n");
  CHECK(no_api.valid());
  auto istio_ns = ValidateText("apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: istio-system}\n"
                               "spec:\n  ports: [{port: 80}]\n");
  CHECK(istio_ns.valid());
}

TEST_CASE("Deployments without telemetry labels get a notice, not an error", "[validate]") {
  auto run = ValidateText("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: hello}\nspec:\n  template:\n"
                          "    metadata:\n      labels: {app: hello}\n");
  CHECK(run.valid());
  REQUIRE(run.findings.size() == 1);
  CHECK(run.findings[0].code == "MSH0103");
  CHECK(run.findings[0].message.find("deployment \"hello/:\" may not provide Istio metrics and telemetry labels: "
                                     "map[\"app\":\"hello\"]") == 0);
}

TEST_CASE("items of a List are validated", "[validate]") {
  auto run = ValidateText("apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n"
                          "  metadata: {name: a}\n  spec:\n    ports: [{name: web, port: 80}]\n");
  CHECK_FALSE(run.valid());
  CHECK(run.Find("does not follow the Istio naming convention"));
}
