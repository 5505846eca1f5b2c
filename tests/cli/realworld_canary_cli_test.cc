// Issue 13 ("Real configurations"), canary on `kubectl get -o json` output: what a new user
// sees running meshctl on ordinary repository layouts (testdata/realworld/).
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

using meshctl::testing::RunMeshctl;

namespace {
const std::string kRw = "testdata/realworld/";
}

// ---- item 13: canary on `kubectl get -o json` output

TEST_CASE("canary output from kubectl JSON drops server fields and skips data files", "[cli][realworld]") {
  auto r = RunMeshctl({"canary", "reviews", "-n", "bookinfo", "--stable", "v1", "--canary", "v2", "--weight", "10",
                       "-f", kRw + "13-kubectl-json"});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.err, Catch::Contains("note: skipping " + kRw +
                                    "13-kubectl-json/grafana-dashboard.json: not a Kubernetes manifest"));
  CHECK_THAT(r.out, Catch::Contains("weight: 10"));
  for (const char* gone : {"resourceVersion", "uid:", "creationTimestamp", "managedFields", "last-applied-configuration",
                           "status:", "generation:"}) {
    INFO(gone);
    CHECK_THAT(r.out, !Catch::Contains(gone));
  }
}

