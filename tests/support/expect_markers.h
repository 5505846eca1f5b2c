// Fixture-driven analyzer tests. A fixture marks the line a finding must
// point at with a trailing comment:
//     name: web        # expect: IST0118
// (several codes: `# expect: IST0118, MSH0003`). RunMarkedFixture loads the
// file with the real loader, runs the named analyzers, and compares the
// (line, code) pairs found with the marked ones, both ways.
#pragma once

#include <string>
#include <vector>

namespace meshctl::testing {

struct MarkedFinding {
  unsigned line;
  std::string code;
  bool operator<(const MarkedFinding& o) const { return line != o.line ? line < o.line : code < o.code; }
  bool operator==(const MarkedFinding& o) const = default;
};

// The `# expect:` markers of a file's text.
std::vector<MarkedFinding> ExpectedMarkers(const std::string& text);

// Loads `path` (relative to the repo root) in namespace `ns` ("" keeps
// namespaces empty, as Istio's test harness), runs the analyzers named by id
// or Istio name, and CHECKs the findings' lines and codes against the
// markers. Returns the rendered findings for further checks.
std::vector<std::string> RunMarkedFixture(const std::string& path, const std::vector<std::string>& analyzers,
                                          const std::string& ns = "");

}  // namespace meshctl::testing
