// `meshctl analyze` flags this area owns: --explain, --meshConfigFile,
// --istio-test-harness, repeatable --analyzer.
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

TEST_CASE("analyze --explain prints meaning, fix and documentation URL", "[analysis][cli]") {
  RunResult r = RunInProcess({"analyze", "--explain", "ist0101"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("IST0101 ReferencedResourceNotFound (Error)") != std::string::npos);
  CHECK(r.out.find("How to fix it:") != std::string::npos);
  CHECK(r.out.find("https://istio.io/") != std::string::npos);
  RunResult msh = RunInProcess({"analyze", "--explain", "MSH0204"});
  CHECK(msh.exit_code == 0);
  CHECK(msh.out.find("docs/analyze.md#msh0204") != std::string::npos);
  CHECK(msh.out.find("Reported by: service.selector-no-workload") != std::string::npos);
  RunResult bad = RunInProcess({"analyze", "--explain", "IST9999"});
  CHECK(bad.exit_code == 64);
  CHECK(bad.err.find("unknown message code") != std::string::npos);
}

TEST_CASE("analyze --meshConfigFile changes what mesh-config analyzers see", "[analysis][cli]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/se.yaml",
            "apiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata:\n  name: db\n  namespace: default\n"
            "spec:\n  hosts: [db.example.com]\n  resolution: DNS\n  ports:\n  - {number: 5432, name: tcp, protocol: TCP}\n");
  WriteFile(dir + "/mesh.yaml",
            "defaultConfig:\n  proxyMetadata:\n    ISTIO_META_DNS_CAPTURE: \"true\"\n"
            "    ISTIO_META_DNS_AUTO_ALLOCATE: \"true\"\n");
  RunResult plain = RunInProcess({"analyze", "--analyzer", "serviceentry.Analyzer", "--failure-threshold", "Warning",
                                  dir + "/se.yaml"});
  CHECK(plain.exit_code == 79);
  CHECK(plain.out.find("IST0134") != std::string::npos);
  CHECK(plain.out.find("se.yaml:10") != std::string::npos);
  RunResult with_mesh = RunInProcess({"analyze", "--analyzer", "serviceentry.Analyzer", "--meshConfigFile",
                                      dir + "/mesh.yaml", "--failure-threshold", "Warning", dir + "/se.yaml"});
  CHECK(with_mesh.exit_code == 0);
  CHECK(with_mesh.out.find("IST0134") == std::string::npos);
  RunResult missing = RunInProcess({"analyze", "--meshConfigFile", dir + "/nope.yaml", dir + "/se.yaml"});
  CHECK(missing.exit_code == 74);
  WriteFile(dir + "/bad.yaml", "defaultConfig: [unclosed\n");
  RunResult bad = RunInProcess({"analyze", "--meshConfigFile", dir + "/bad.yaml", dir + "/se.yaml"});
  CHECK(bad.exit_code == 65);
  CHECK(bad.err.find("bad.yaml") != std::string::npos);
}

TEST_CASE("analyze --istio-test-harness keeps resources without namespace unqualified", "[analysis][cli]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/vs.yaml",
            "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: web\nspec:\n"
            "  hosts: [web]\n  gateways: [missing]\n  http:\n  - route:\n    - destination: {host: web}\n");
  RunResult r = RunInProcess({"analyze", "--istio-test-harness", "--analyzer", "virtualservice.GatewayAnalyzer",
                              "--analyzer", "virtualservice.weights", dir + "/vs.yaml"});
  CHECK(r.exit_code == 79);
  CHECK(r.out.find("Error [IST0101] (VirtualService web " + dir + "/vs.yaml:7) Referenced gateway not found: \"missing\"") !=
        std::string::npos);
  RunResult cli = RunInProcess({"analyze", "--analyzer", "virtualservice.GatewayAnalyzer", dir + "/vs.yaml"});
  CHECK(cli.out.find("(VirtualService default/web ") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::testing
