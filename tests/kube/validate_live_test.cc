// `meshctl validate --crd-from-cluster` against the fake API server: the
// cluster's CRDs give the same findings as the same CRD files with --crd.
#include <catch2/catch.hpp>

#include "tests/kube/fake_cluster.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

TEST_CASE("validate --crd-from-cluster checks against the cluster's CRDs", "[kube][validate]") {
  if (!HaveFakeTools()) MESHCTL_SKIP("needs /usr/bin/python3 and openssl");
  FakeApiServer fake({"testdata/crd/widgets.example.com.yaml"});
  std::string kc = fake.WriteKubeconfig();
  auto live = RunMeshctl({"validate", "--crd-from-cluster", "--kubeconfig", kc, "-f",
                          "testdata/crd/resources/widgets-invalid.yaml"});
  auto files = RunMeshctl({"validate", "--crd", "testdata/crd/widgets.example.com.yaml", "-f",
                           "testdata/crd/resources/widgets-invalid.yaml"});
  CHECK(live.out.find(kFakeToken) == std::string::npos);
  CHECK(live.err.find(kFakeToken) == std::string::npos);
  CHECK(files.exit_code == 1);
  CHECK(live.exit_code == files.exit_code);
  CHECK(live.out == files.out);
  CHECK(live.err == files.err);
  CHECK((live.out + live.err).find("x-kubernetes-validations") != std::string::npos);
  auto valid = RunMeshctl({"validate", "--crd-from-cluster", "--kubeconfig", kc, "-f",
                           "testdata/crd/resources/widgets-valid.yaml"});
  CHECK(valid.exit_code == 0);
  bool listed = false;
  for (const auto& r : fake.Requests())
    listed = listed || r["path"] == "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
  CHECK(listed);
  // Without the CRD, nothing is known about widgets (the same as no --crd).
  FakeApiServer empty;
  auto none = RunMeshctl({"validate", "--crd-from-cluster", "--kubeconfig", empty.WriteKubeconfig(), "-f",
                          "testdata/crd/resources/widgets-invalid.yaml"});
  auto plain = RunMeshctl({"validate", "-f", "testdata/crd/resources/widgets-invalid.yaml"});
  CHECK(none.exit_code == plain.exit_code);
  // RBAC refused: exit 69 naming the resource.
  FakeApiServer forbidden({}, {"--forbid", "list:customresourcedefinitions"});
  auto r = RunMeshctl({"validate", "--crd-from-cluster", "--kubeconfig", forbidden.WriteKubeconfig(), "-f",
                       "testdata/crd/resources/widgets-valid.yaml"});
  CHECK(r.exit_code == 69);
  CHECK(r.err.find("customresourcedefinitions") != std::string::npos);
  CHECK(r.err.find(forbidden.url()) != std::string::npos);
}

}  // namespace
}  // namespace meshctl::testing
