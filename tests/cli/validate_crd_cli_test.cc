// `meshctl validate --crd`: custom resources checked against their CRD.
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

using meshctl::testing::RunMeshctl;
using meshctl::testing::SharedDir;

TEST_CASE("validate --crd reports schema violations with positions", "[cli][crd]") {
  auto ok = RunMeshctl({"validate", "--crd", "testdata/crd/widgets.example.com.yaml",
                        "testdata/crd/resources/widgets-valid.yaml"});
  CHECK(ok.exit_code == 0);
  auto bad = RunMeshctl({"validate", "--crd", "testdata/crd/widgets.example.com.yaml",
                         "testdata/crd/resources/widgets-invalid.yaml"});
  CHECK(bad.exit_code == 1);
  CHECK_THAT(bad.err, Catch::Contains("(testdata/crd/resources/widgets-invalid.yaml:"));
  // Without --crd the same custom resources are not Istio kinds: nothing to check.
  auto none = RunMeshctl({"validate", "testdata/crd/resources/widgets-invalid.yaml"});
  CHECK(none.exit_code == 0);
}

TEST_CASE("validate --crd: bad CRD input", "[cli][crd]") {
  auto missing = RunMeshctl({"validate", "--crd", "/nonexistent/crds", "testdata/bookinfo"});
  CHECK(missing.exit_code == 74);
  CHECK_THAT(missing.err, Catch::Contains("--crd"));
  auto not_crd = RunMeshctl({"validate", "--crd", "testdata/bookinfo/services.yaml", "testdata/bookinfo"});
  CHECK(not_crd.exit_code == 65);
}

TEST_CASE("validate --crd with Istio's CRDs", "[cli][crd]") {
  auto shared = SharedDir();
  if (!shared) MESHCTL_SKIP("../shared is absent: Istio's CRDs are not available");
  auto r = RunMeshctl({"validate", "--crd", *shared + "/conformance/istio-crds/crd-all.gen.yaml",
                       "testdata/bookinfo/traffic.yaml"});
  CHECK(r.exit_code == 0);
}
