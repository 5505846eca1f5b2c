// Golden tests for every renderer (MESHCTL_UPDATE_GOLDEN=1 rewrites them).
#include <catch2/catch.hpp>
#include <sstream>

#include "lib/output/renderer.h"
#include "tests/support/test_support.h"

using namespace meshctl;

namespace {

std::vector<diag::Diagnostic> Sample() {
  diag::Diagnostic a;
  a.code = "IST0101";
  a.severity = diag::Severity::kError;
  a.message = "Referenced host+subset in destinationrule not found: \"reviews+v4\"";
  a.kind = "VirtualService";
  a.ns = "bookinfo";
  a.name = "reviews";
  a.file = "testdata/bookinfo/traffic.yaml";
  a.mark = {45, 15};
  a.field_path = "spec.http[1].route[1].destination.host";
  diag::Diagnostic b;
  b.code = "MSH0002";
  b.severity = diag::Severity::kWarning;
  b.message = "Deployment ratings-v1 has no version label <&>";
  b.kind = "Deployment";
  b.ns = "bookinfo";
  b.name = "ratings-v1";
  b.file = "testdata/bookinfo/deployments.yaml";
  b.mark = {126, 7};
  b.field_path = "spec.template.metadata.labels";
  diag::Diagnostic c;
  c.code = "IST0118";
  c.severity = diag::Severity::kInfo;
  c.message = "Port name web (port: 9080, targetPort: 9080) doesn't follow the naming convention of Istio port.";
  c.kind = "Service";
  c.name = "reviews";
  c.file = "-";
  c.mark = {3, 1};
  diag::Diagnostic d;  // no resource
  d.code = "IST0001";
  d.severity = diag::Severity::kError;
  d.message = "Internal error: 100%, line1\nline2";
  return {a, b, c, d};
}

std::string Render(const std::string& format, bool color = false) {
  output::RenderOptions opts;
  opts.color = color;
  auto r = output::MakeRenderer(format, opts);
  REQUIRE(r.ok());
  std::ostringstream out;
  r.value()->Render(Sample(), out);
  return out.str();
}

}  // namespace

TEST_CASE("log renderer matches istioctl's lines", "[output]") {
  testing::CheckGolden("testdata/golden/output/findings.log", Render("log"));
  testing::CheckGolden("testdata/golden/output/findings-color.log", Render("log", true));
}

TEST_CASE("json and yaml renderers", "[output]") {
  testing::CheckGolden("testdata/golden/output/findings.json", Render("json"));
  testing::CheckGolden("testdata/golden/output/findings.yaml", Render("yaml"));
}

TEST_CASE("sarif and github renderers", "[output]") {
  testing::CheckGolden("testdata/golden/output/findings.sarif", Render("sarif"));
  testing::CheckGolden("testdata/golden/output/findings.github", Render("github"));
}

TEST_CASE("empty results", "[output]") {
  auto empty = [](const std::string& f) {
    std::ostringstream out;
    output::MakeRenderer(f, {}).value()->Render({}, out);
    return out.str();
  };
  CHECK(empty("log") == "\n");
  CHECK(empty("json") == "[]\n");
  CHECK(empty("yaml") == "[]\n");
  CHECK(empty("github").empty());
}

TEST_CASE("format names are case-insensitive; unknown ones are usage errors", "[output]") {
  CHECK(output::MakeRenderer("JSON", {}).ok());
  auto bad = output::MakeRenderer("xml", {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().ExitCode() == 64);
  CHECK_THAT(bad.status().message(), Catch::StartsWith("xml not a valid option for format"));
}
