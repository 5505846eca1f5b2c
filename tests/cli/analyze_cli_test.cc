// End-to-end: the built binary on real files, checking output, messages and
// exit codes for good and bad input.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>

#include "tests/support/test_support.h"

using meshctl::testing::MakeTempDir;
using meshctl::testing::RunMeshctl;
using meshctl::testing::WriteFile;

TEST_CASE("analyze finds the sample mesh's mistakes", "[cli]") {
  auto r = RunMeshctl({"analyze", "-A", "testdata/bookinfo"});
  CHECK(r.exit_code == 79);
  CHECK_THAT(r.out, Catch::Contains("Error [IST0101] (VirtualService bookinfo/reviews testdata/bookinfo/traffic.yaml:"));
  CHECK_THAT(r.out, Catch::Contains("Referenced host+subset in destinationrule not found: \"reviews+v4\""));
  CHECK_THAT(r.out, Catch::Contains("Info [IST0118] (Service bookinfo/reviews testdata/bookinfo/services.yaml:"));
  CHECK_THAT(r.out, Catch::Contains("Warning [MSH0002] (Deployment bookinfo/ratings-v1"));
  CHECK_THAT(r.err, Catch::Contains("Error: Analyzers found issues when analyzing all namespaces."));
}

TEST_CASE("analyze thresholds and formats", "[cli]") {
  // Findings below the failure threshold: exit 0.
  auto info_only = RunMeshctl({"analyze", "-A", "--analyzer", "service.port-name", "testdata/bookinfo"});
  CHECK(info_only.exit_code == 0);
  auto fail_on_info = RunMeshctl(
      {"analyze", "-A", "--analyzer", "service.port-name", "--failure-threshold", "info", "testdata/bookinfo"});
  CHECK(fail_on_info.exit_code == 79);
  auto hidden = RunMeshctl({"analyze", "-A", "--output-threshold", "Error", "testdata/bookinfo"});
  CHECK(hidden.exit_code == 79);
  CHECK_THAT(hidden.out, !Catch::Contains("IST0118"));
  // json/yaml exit 0 on findings, as istioctl.
  auto json = RunMeshctl({"analyze", "-A", "-o", "json", "testdata/bookinfo"});
  CHECK(json.exit_code == 0);
  CHECK_THAT(json.out, Catch::Contains("\"code\": \"IST0101\""));
  auto sarif = RunMeshctl({"analyze", "-A", "-o", "sarif", "testdata/bookinfo"});
  CHECK(sarif.exit_code == 79);
  CHECK_THAT(sarif.out, Catch::Contains("\"version\": \"2.1.0\""));
  auto bad_format = RunMeshctl({"analyze", "-o", "xml", "testdata/bookinfo"});
  CHECK(bad_format.exit_code == 64);
  CHECK_THAT(bad_format.err, Catch::Contains("xml not a valid option for format"));
  auto bad_threshold = RunMeshctl({"analyze", "--failure-threshold", "fatal", "testdata/bookinfo"});
  CHECK(bad_threshold.exit_code == 64);
}

TEST_CASE("analyze namespace selection and suppression", "[cli]") {
  // Without -A, findings about other namespaces are not shown (istioctl).
  auto ns = RunMeshctl({"analyze", "testdata/bookinfo"});
  CHECK(ns.exit_code == 0);
  // istioctl lists the files it read (one a line), not the namespace.
  CHECK_THAT(ns.err, Catch::Contains("No validation issues found when analyzing testdata/bookinfo/deployments.yaml\n"));
  auto suppressed = RunMeshctl({"analyze", "-n", "bookinfo", "-S", "IST0101=VirtualService bookinfo/*",
                                "--failure-threshold", "Error", "testdata/bookinfo"});
  CHECK(suppressed.exit_code == 0);
  CHECK_THAT(suppressed.out, !Catch::Contains("IST0101"));
  auto bad_s = RunMeshctl({"analyze", "-S", "IST0101", "testdata/bookinfo"});
  CHECK(bad_s.exit_code == 64);
  auto unknown_code = RunMeshctl({"analyze", "-A", "-S", "IST9999=*", "testdata/bookinfo"});
  CHECK_THAT(unknown_code.err, Catch::Contains("Supplied message code 'IST9999' is an unknown message code"));
}

TEST_CASE("analyze reads stdin", "[cli]") {
  auto r = RunMeshctl({"analyze", "-"},
                      "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - name: foo\n    port: 81\n");
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Info [IST0118] (Service default/s -:8) Port name foo (port: 81, targetPort: 0) doesn't follow the "
                 "naming convention of Istio port.\n");
}

TEST_CASE("bad input: exit 65 with file:line:col", "[cli]") {
  std::string dir = MakeTempDir();
  struct Case {
    const char* name;
    std::string content;
    const char* expect;  // substring of stderr
  } cases[] = {
      {"malformed.yaml", "apiVersion: v1\nkind: [Service\n", "malformed.yaml:3:1: "},
      {"bad.json", "{\"apiVersion\": \"v1\",\n \"kind\": }", "bad.json:2:10: invalid character '}'"},
      {"garbage.yaml", std::string("\x7f\x45\x4c\x46\x02\x01\x01\x00\x00\x00", 10), "garbage.yaml:"},
      {"scalar.yaml", "hello\n", "scalar.yaml:1:1: expected an object with apiVersion and kind, found a string"},
      {"list.yaml", "- a\n- b\n", "list.yaml:1:1: expected an object with apiVersion and kind, found a list"},
      {"tabs.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n\tname: x\n", "tabs.yaml:4:"},
      {"deep.yaml", std::string(10000, '[') + std::string(10000, ']'), "deep.yaml:1:513: nesting deeper than 512"},
      {"dup.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  name: b\n",
       "dup.yaml:5:3: key \"name\" already set in map"},
      {"nokind.yaml", "apiVersion: v1\nmetadata:\n  name: a\n", "nokind.yaml:1:1: resource has no kind"},
      {"noapi.yaml", "kind: Service\nmetadata:\n  name: a\n", "noapi.yaml:1:1: resource has no apiVersion"},
  };
  std::string bomb = "a: &a [x,x,x,x,x,x,x,x,x,x]\n";
  std::string prev = "a";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + std::string(1, c) + " [";
    for (int i = 0; i < 10; ++i) bomb += (i ? ",*" : "*") + prev;
    bomb += "]\n";
    prev = std::string(1, c);
  }
  for (const auto& c : cases) {
    INFO(c.name);
    WriteFile(dir + "/" + c.name, c.content);
    auto r = RunMeshctl({"analyze", dir + "/" + c.name});
    CHECK(r.exit_code == 65);
    CHECK_THAT(r.err, Catch::Contains(c.expect));
  }
  WriteFile(dir + "/bomb.yaml", bomb);
  auto r = RunMeshctl({"analyze", dir + "/bomb.yaml"});
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.err, Catch::Contains("alias expansion exceeds"));
  std::filesystem::remove_all(dir);
}

TEST_CASE("bad input: a bad file does not hide findings in the good ones", "[cli]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/a-bad.yaml", "kind: [\n");
  WriteFile(dir + "/b-good.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\nspec:\n  ports:\n  - name: foo\n    port: 81\n");
  auto r = RunMeshctl({"analyze", "--failure-threshold", "Info", dir});
  // The parse error decides the exit code whatever -o is (issue 15: log gave
  // 79 and json 65 for this input); the findings are still printed.
  CHECK(r.exit_code == 65);
  CHECK_THAT(r.out, Catch::Contains("IST0118"));
  CHECK_THAT(r.err, Catch::Contains("a-bad.yaml:2:1"));
  auto r2 = RunMeshctl({"analyze", dir});
  CHECK(r2.exit_code == 65);
  std::filesystem::remove_all(dir);
}

TEST_CASE("unreadable paths: exit 74; empty files: a note and exit 0", "[cli]") {
  auto missing = RunMeshctl({"analyze", "/nonexistent/x.yaml"});
  CHECK(missing.exit_code == 74);
  CHECK_THAT(missing.err, Catch::Contains("cannot stat file \"/nonexistent/x.yaml\""));
  std::string dir = MakeTempDir();
  WriteFile(dir + "/empty.yaml", "");
  WriteFile(dir + "/comments.yaml", "# nothing\n# here\n");
  WriteFile(dir + "/notes.txt", "not yaml");
  auto empty = RunMeshctl({"analyze", dir});
  CHECK(empty.exit_code == 0);
  CHECK_THAT(empty.err, Catch::Contains("empty.yaml holds no resources"));
  CHECK_THAT(empty.err, Catch::Contains("comments.yaml holds no resources"));
  CHECK_THAT(empty.err, Catch::Contains("Skipping file " + dir + "/notes.txt"));
  if (::geteuid() != 0) {  // root reads everything
    WriteFile(dir + "/locked.yaml", "a: 1\n");
    std::filesystem::permissions(dir + "/locked.yaml", std::filesystem::perms::none);
    auto locked = RunMeshctl({"analyze", dir + "/locked.yaml"});
    CHECK(locked.exit_code == 74);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("analyze loads a document with a 1 MB line", "[cli]") {
  std::string dir = MakeTempDir();
  WriteFile(dir + "/big.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: " +
                                   std::string(1 << 20, 'x') + "\n");
  auto r = RunMeshctl({"analyze", "-A", dir + "/big.yaml"});
  CHECK(r.exit_code == 0);
  std::filesystem::remove_all(dir);
}

TEST_CASE("root command: help, version, did you mean", "[cli]") {
  auto help = RunMeshctl({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_THAT(help.out, Catch::Contains("analyze"));
  auto version = RunMeshctl({"version", "-o", "json"});
  CHECK(version.exit_code == 0);
  CHECK_THAT(version.out, Catch::Contains("\"version\": \"0.1.0\""));
  CHECK_THAT(version.out, Catch::Matches("(.|\n)*\"gitCommit\": \"([0-9a-f]{12}(-dirty)?|unknown)\"(.|\n)*"));
  CHECK_THAT(version.out, Catch::Contains("\"buildType\": \""));
  auto version_yaml = RunMeshctl({"version", "-o", "yaml"});
  CHECK(version_yaml.exit_code == 0);
  CHECK_THAT(version_yaml.out, Catch::StartsWith("meshctlVersion:\n  version: 0.1.0\n  gitCommit: "));
  auto version_short = RunMeshctl({"version"});
  CHECK_THAT(version_short.out, Catch::StartsWith("meshctl version: 0.1.0 ("));
  auto typo = RunMeshctl({"analyse"});
  CHECK(typo.exit_code == 64);
  CHECK_THAT(typo.err, Catch::Contains("Did you mean this?\n\tanalyze"));
  auto bad_flag = RunMeshctl({"analyze", "--no-such-flag"});
  CHECK(bad_flag.exit_code == 64);
  auto none = RunMeshctl({});
  CHECK(none.exit_code == 64);
}
