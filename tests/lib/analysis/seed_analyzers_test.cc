// The foundation's analyzers, driven by fixtures with `# expect:` markers.
#include <catch2/catch.hpp>

#include "lib/analysis/registry.h"
#include "tests/support/expect_markers.h"

using meshctl::testing::RunMarkedFixture;

TEST_CASE("service.port-name: IST0118 and IST0150", "[analysis]") {
  auto out = RunMarkedFixture("testdata/analysis/port-names.yaml", {"service.port-name"});
  CHECK(std::find(out.begin(), out.end(),
                  "Info [IST0118] (Service bad testdata/analysis/port-names.yaml:36) Port name web (port: 8080, "
                  "targetPort: 9090) doesn't follow the naming convention of Istio port.") != out.end());
  // No name and no targetPort: istioctl prints the double space and "0".
  CHECK(std::find(out.begin(), out.end(),
                  "Info [IST0118] (Service bad testdata/analysis/port-names.yaml:38) Port name  (port: 8081, "
                  "targetPort: 0) doesn't follow the naming convention of Istio port.") != out.end());
}

TEST_CASE("Istio's analyzer names select the same analyzer", "[analysis]") {
  RunMarkedFixture("testdata/analysis/port-names.yaml", {"service.PortNameAnalyzer"});
  CHECK(meshctl::analysis::FindAnalyzer("service.PortNameAnalyzer") ==
        meshctl::analysis::FindAnalyzer("service.port-name"));
}

TEST_CASE("workload.labels: MSH0001 and MSH0002", "[analysis]") {
  auto out = RunMarkedFixture("testdata/analysis/workload-labels.yaml", {"workload.labels"});
  CHECK(std::find(out.begin(), out.end(),
                  "Warning [MSH0002] (Deployment no-version testdata/analysis/workload-labels.yaml:33) Deployment "
                  "no-version has no version label (version, app.kubernetes.io/version or "
                  "service.istio.io/canonical-revision)") != out.end());
}

TEST_CASE("deployment.multi-service and app-protocol conflicts", "[analysis]") {
  auto out = RunMarkedFixture("testdata/analysis/multi-service.yaml",
                              {"deployment.multi-service", "workload.app-protocol-conflict"});
  auto has = [&](const std::string& s) { return std::find(out.begin(), out.end(), s) != out.end(); };
  CHECK(has("Warning [IST0116] (Deployment shop/reviews testdata/analysis/multi-service.yaml:12) This deployment "
            "reviews is associated with multiple services using port 53 but different protocols: "
            "[shop/reviews-dns shop/reviews-tcp]"));
  CHECK(has("Warning [IST0137] (Deployment shop/reviews testdata/analysis/multi-service.yaml:12) This deployment "
            "reviews is associated with multiple services [shop/reviews-dns shop/reviews-tcp] using targetPort "
            "\"9080\" but different ports: [9080 9090]."));
  CHECK(has("Warning [MSH0003] (Deployment shop/reviews testdata/analysis/multi-service.yaml:12) This workload "
            "Deployment reviews is associated with multiple services using port 9080 but different application "
            "protocols: [shop/reviews-http=HTTP shop/reviews-tcp=TCP]"));
}

TEST_CASE("virtualservice.destination-rule: host+subset and mirrors", "[analysis]") {
  auto out = RunMarkedFixture("testdata/analysis/vs-subsets.yaml", {"virtualservice.DestinationRuleAnalyzer"});
  auto has = [&](const std::string& s) { return std::find(out.begin(), out.end(), s) != out.end(); };
  CHECK(has("Error [IST0101] (VirtualService shop/reviews testdata/analysis/vs-subsets.yaml:33) Referenced "
            "mirror+subset in destinationrule not found: \"reviews+v9\""));
  CHECK(has("Error [IST0101] (VirtualService shop/reviews testdata/analysis/vs-subsets.yaml:29) Referenced "
            "host+subset in destinationrule not found: \"reviews.shop.svc.cluster.local+v3\""));
}
