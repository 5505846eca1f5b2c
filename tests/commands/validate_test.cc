#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

using meshctl::testing::MakeTempDir;
using meshctl::testing::RunInProcess;
using meshctl::testing::RunMeshctl;
using meshctl::testing::WriteFile;

namespace {

const char* kBadVs =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: r}\nspec:\n  hosts: [a]\n"
    "  http:\n  - route: [{destination: {host: a}, weight: -1}]\n";
const char* kGoodDr =
    "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d, namespace: ns}\nspec:\n"
    "  host: a\n  trafficPolicy:\n    outlierDetection: {consecutiveErrors: 5}\n";

}  // namespace

TEST_CASE("validate prints istioctl's lines with positions and exits 1 on errors", "[validate-cmd]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/bad.yaml", kBadVs);
  WriteFile(dir + "/dr.yaml", kGoodDr);
  auto r = RunInProcess({"validate", "-f", dir + "/bad.yaml", "-f", dir + "/dr.yaml"});
  CHECK(r.exit_code == 1);
  CHECK(r.err == "Error: 1 error occurred:\n\t* VirtualService//r: weight -1 < 0 (" + dir + "/bad.yaml:7:46)\n\n");
  CHECK(r.out == "\"" + dir + "/dr.yaml\" has warnings: \n\t* DestinationRule/ns/d: outlier detection consecutive "
                 "errors is deprecated, use consecutiveGatewayErrors or consecutive5xxErrors instead (" + dir +
                 "/dr.yaml:7:43)\n\n");
  auto f = RunInProcess({"validate", "--exit-code-findings", dir + "/bad.yaml"});
  CHECK(f.exit_code == 79);
}

TEST_CASE("validate: valid files, stdin, directories", "[validate-cmd]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/a.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n");
  auto r = RunInProcess({"validate", "-f", dir});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "\"" + dir + "/a.yaml\" is valid\n");
  auto s = RunInProcess({"validate", "-f", "-"}, "kind: Service\nmetadata: {name: a}\nspec: {ports: [{name: http}]}\n");
  CHECK(s.exit_code == 0);
  CHECK(s.out == "validation succeed\n");
}

TEST_CASE("validate: usage, unreadable and unparsable input", "[validate-cmd]") {
  auto none = RunInProcess({"validate"});
  CHECK(none.exit_code == 64);
  CHECK(none.err.find("you must specify resources by --filename") != std::string::npos);
  auto fmt = RunInProcess({"validate", "-o", "xml", "-f", "x.yaml"});
  CHECK(fmt.exit_code == 64);
  auto missing = RunInProcess({"validate", "-f", "/nonexistent/x.yaml"});
  CHECK(missing.exit_code == 74);
  std::string dir = MakeTempDir();
  WriteFile(dir + "/broken.yaml", "a: [\n");
  auto broken = RunInProcess({"validate", "-f", dir + "/broken.yaml"});
  CHECK(broken.exit_code == 65);
  CHECK(broken.err.find("broken.yaml:2:1") != std::string::npos);
  WriteFile(dir + "/dup.yaml", "apiVersion: v1\nkind: Service\nkind: Service\n");
  auto dup = RunInProcess({"validate", "-f", dir + "/dup.yaml"});
  CHECK(dup.exit_code == 65);
  CHECK(dup.err.find("key \"kind\" already set in map") != std::string::npos);
}

TEST_CASE("validate -o json/sarif/github go through the shared renderers", "[validate-cmd]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/bad.yaml", kBadVs);
  auto j = RunMeshctl({"validate", "-o", "json", "-f", dir + "/bad.yaml"});
  CHECK(j.exit_code == 1);
  CHECK(j.out.find("\"code\": \"MSH0100\"") != std::string::npos);
  CHECK(j.out.find("\"line\": 7") != std::string::npos);
  CHECK(j.out.find("weight -1 \\u003c 0") != std::string::npos);
  auto g = RunInProcess({"validate", "-o", "github", "-f", dir + "/bad.yaml"});
  CHECK(g.out.find("::error file=" + dir + "/bad.yaml,line=7,col=46,title=MSH0100") != std::string::npos);
  auto s = RunInProcess({"validate", "-o", "sarif", "-f", dir + "/bad.yaml"});
  CHECK(s.out.find("\"ruleId\": \"MSH0100\"") != std::string::npos);
}

TEST_CASE("analyze reports validation errors as IST0106", "[validate-cmd]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/bad.yaml", kBadVs);
  auto r = RunInProcess({"analyze", "--analyzer", "schema.validation", dir + "/bad.yaml"});
  CHECK(r.exit_code == 79);
  CHECK(r.out.find("Error [IST0106] (VirtualService default/r " + dir + "/bad.yaml:7) Schema validation error: weight -1 < 0") !=
        std::string::npos);
}
