// IstioOperator in `meshctl validate` (lib/validate/istiooperator.cc):
// strict decoding and value checks as istioctl validate does them, on
// install-repository-shaped files in testdata/realworld/06-istiooperator.
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

const std::string kDir = "testdata/realworld/06-istiooperator";

TEST_CASE("validate rejects a misspelt IstioOperator field with its position", "[validate][realworld]") {
  auto r = RunInProcess({"validate", "-f", kDir + "/misspelt-components.yaml"});
  CHECK(r.exit_code == 1);
  std::string all = r.out + r.err;
  CHECK(all.find("could not unmarshal: json: unknown field \"componets\"") != std::string::npos);
  CHECK(all.find("misspelt-components.yaml:11") != std::string::npos);
}

TEST_CASE("validate accepts a valid IstioOperator overlay", "[validate][realworld]") {
  auto r = RunInProcess({"validate", "-f", kDir + "/good.yaml"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("is valid") != std::string::npos);
}

TEST_CASE("validate checks IstioOperator values like istioctl", "[validate][realworld]") {
  auto r = RunInProcess({"validate", "-f", kDir + "/bad-values.yaml"});
  CHECK(r.exit_code == 1);
  std::string all = r.out + r.err;
  INFO(all);
  CHECK(all.find("invalid revision specified: canary_1.24") != std::string::npos);
  CHECK(all.find("invalid value inressGateways.name: Istio-Ingress") != std::string::npos);
  CHECK(all.find("global.proxy.includeIPRanges netip.ParsePrefix(\"10.0.0.0\"): no '/'") != std::string::npos);
  CHECK(all.find("components.pilot.k8s.replicaCount should not be set when values.pilot.autoscaleEnabled is true") !=
        std::string::npos);
}

TEST_CASE("validate decodes IstioOperator types strictly", "[validate][realworld]") {
  auto r = RunInProcess({"validate", "-f", kDir + "/wrong-types.yaml"});
  CHECK(r.exit_code == 1);
  std::string all = r.out + r.err;
  INFO(all);
  CHECK(all.find("cannot unmarshal string into Go struct field ComponentSpec.spec.components.cni.enabled of type "
                 "bool") != std::string::npos);
  CHECK(all.find("unknown field \"replicas\"") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::testing
