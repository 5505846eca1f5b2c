#include "tests/support/expect_markers.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>

#include "lib/analysis/engine.h"
#include "lib/core/strings.h"
#include "tests/support/test_support.h"

namespace meshctl::testing {

std::vector<MarkedFinding> ExpectedMarkers(const std::string& text) {
  std::vector<MarkedFinding> out;
  std::istringstream in(text);
  std::string line;
  unsigned n = 0;
  while (std::getline(in, line)) {
    ++n;
    auto pos = line.find("# expect:");
    if (pos == std::string::npos) continue;
    for (const auto& code : core::Split(line.substr(pos + 9), ',')) {
      std::string c(core::Trim(code));
      if (!c.empty()) out.push_back({n, c});
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> RunMarkedFixture(const std::string& path, const std::vector<std::string>& analyzers,
                                          const std::string& ns) {
  std::string text = ReadFileOrDie(SourceDir() + "/" + path);
  io::InputSet in;
  in.files.push_back({path, text});
  analysis::AnalyzeOptions opts;
  opts.ns = ns;
  opts.all_namespaces = ns.empty();
  opts.analyzers = analyzers;
  analysis::AnalyzeResult result = analysis::AnalyzeInputs(in, opts);
  for (const auto& e : result.load_errors) FAIL(e.message());
  REQUIRE(result.unknown_analyzers.empty());
  std::vector<MarkedFinding> got;
  std::vector<std::string> rendered;
  for (const auto& d : result.diagnostics) {
    got.push_back({d.mark.line, d.code});
    rendered.push_back(d.ToString());
  }
  std::sort(got.begin(), got.end());
  std::vector<MarkedFinding> want = ExpectedMarkers(text);
  std::ostringstream msg;
  msg << path << "\n  findings:\n";
  for (const auto& r : rendered) msg << "    " << r << "\n";
  INFO(msg.str());
  CHECK(got == want);
  return rendered;
}

}  // namespace meshctl::testing
