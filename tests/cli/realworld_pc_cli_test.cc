// Issue 13 ("Real configurations"), proxy-config on the files users save: what a new user
// sees running meshctl on ordinary repository layouts (testdata/realworld/).
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

using meshctl::testing::RunMeshctl;

namespace {
const std::string kRw = "testdata/realworld/";
}

// ---- items 14, 15: proxy-config on the file it was given

TEST_CASE("pc all on a dump without EDS prints every section, then says endpoints are missing", "[cli][realworld]") {
  auto r = RunMeshctl({"proxy-config", "all", "-f", kRw + "14-no-eds/config_dump.json"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.out, Catch::Contains("cluster/"));
  CHECK_THAT(r.out, Catch::Contains("listener/"));
  CHECK_THAT(r.out, Catch::Contains("RESOURCE NAME"));
  CHECK_THAT(r.err, Catch::Contains("endpoints not found (was include_eds=true used?)"));
  auto full = RunMeshctl({"proxy-config", "all", "-f", "testdata/envoy/config_dump.json"});
  CHECK(full.exit_code == 0);
}

TEST_CASE("pc endpoint|log|stats|server-info -f reject a file they do not read", "[cli][realworld]") {
  const std::string dump = kRw + "14-no-eds/config_dump.json";
  auto ep = RunMeshctl({"proxy-config", "endpoint", "-f", dump});
  CHECK(ep.exit_code == 65);
  CHECK(ep.out.empty());
  CHECK_THAT(ep.err, Catch::Contains(dump + " is an Envoy config dump"));
  CHECK_THAT(ep.err, Catch::Contains("/clusters?format=json"));
  CHECK_THAT(ep.err, Catch::Contains("proxy-config eds -f " + dump));
  for (const char* sub : {"log", "stats", "server-info"}) {
    INFO(sub);
    auto r = RunMeshctl({"proxy-config", sub, "-f", dump});
    CHECK(r.exit_code == 65);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Catch::Contains(dump));
  }
  CHECK(RunMeshctl({"proxy-config", "endpoint", "-f", "testdata/envoy/clusters.json"}).exit_code == 0);
  CHECK(RunMeshctl({"proxy-config", "log", "-f", "testdata/envoy/logging.txt"}).exit_code == 0);
  CHECK(RunMeshctl({"proxy-config", "stats", "-f", "testdata/envoy/stats.txt"}).exit_code == 0);
  CHECK(RunMeshctl({"proxy-config", "server-info", "-f", "testdata/envoy/server_info.json"}).exit_code == 0);
}

// ---- item 16: SPIRE federated trust bundles

TEST_CASE("pc secret shows one ROOTCA row per SPIRE trust domain", "[cli][realworld]") {
  auto r = RunMeshctl({"proxy-config", "secret", "-f", kRw + "16-spire/secrets_config_dump.json"});
  REQUIRE(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::StartsWith("RESOURCE NAME     TYPE           STATUS     VALID CERT     SERIAL NUMBER"));
  CHECK_THAT(r.out, Catch::Contains("TRUST DOMAIN\n"));
  CHECK_THAT(r.out, Catch::Contains("default           Cert Chain     ACTIVE     true           403cef6f720e14b9b54ca676b3231c4b8338a0ef"));
  CHECK_THAT(r.out, Catch::Contains("ROOTCA            CA             ACTIVE     true           1b04732b90cb07b6e401b7ebed48a880fda58149"));
  CHECK_THAT(r.out, Catch::Contains("ROOTCA            CA             ACTIVE     true           2063f4bffca51922dd6611b10b853f2e2a7f05c"));
  CHECK_THAT(r.out, Catch::Contains("east.local\n"));
  CHECK_THAT(r.out, Catch::Contains("west.local\n"));
}
