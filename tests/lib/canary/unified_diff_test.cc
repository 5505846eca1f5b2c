#include <catch2/catch.hpp>

#include <random>
#include <sstream>

#include "lib/canary/unified_diff.h"
#include "lib/core/strings.h"

using meshctl::canary::UnifiedDiff;

namespace {

// Applies a unified diff to `before` by its hunk headers and lines; a
// malformed diff fails the test. Independent of how the diff was made.
std::string Apply(const std::string& before, const std::string& diff) {
  std::vector<std::string> a;
  std::stringstream in(before);
  for (std::string l; std::getline(in, l);) a.push_back(l);
  std::vector<std::string> out;
  size_t next = 0;  // first line of `a` not yet copied
  std::stringstream d(diff);
  std::string line;
  std::getline(d, line);
  REQUIRE(line.rfind("--- ", 0) == 0);
  std::getline(d, line);
  REQUIRE(line.rfind("+++ ", 0) == 0);
  while (std::getline(d, line)) {
    REQUIRE(line.rfind("@@ -", 0) == 0);
    size_t start = std::stoul(line.substr(4));
    size_t comma = line.find(',', 4), space = line.find(' ', 4);
    size_t count = comma != std::string::npos && comma < space ? std::stoul(line.substr(comma + 1)) : 1;
    size_t first = count == 0 ? start : start - 1;
    REQUIRE(first >= next);
    while (next < first) out.push_back(a[next++]);
    size_t consumed = 0;
    while (consumed < count || (d.peek() == '+')) {
      if (!std::getline(d, line)) break;
      if (line.empty()) FAIL("empty diff line");
      char op = line[0];
      std::string text = line.substr(1);
      if (op == ' ' || op == '-') {
        REQUIRE(next < a.size());
        CHECK(a[next] == text);
        ++next;
        ++consumed;
        if (op == ' ') out.push_back(text);
      } else if (op == '+') {
        out.push_back(text);
      } else {
        FAIL("bad diff line: " << line);
      }
    }
  }
  while (next < a.size()) out.push_back(a[next++]);
  std::string r;
  for (const auto& l : out) r += l + "\n";
  return r;
}

}  // namespace

TEST_CASE("unified diff: equal texts give nothing", "[canary]") { CHECK(UnifiedDiff("a\nb\n", "a\nb\n", "a", "b").empty()); }

TEST_CASE("unified diff: one changed line with context", "[canary]") {
  std::string before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
  std::string after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
  CHECK(UnifiedDiff(before, after, "a/f", "b/f") ==
        "--- a/f\n+++ b/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
}

TEST_CASE("unified diff: insertion into an empty file and a missing final newline", "[canary]") {
  CHECK(UnifiedDiff("", "x\n", "/dev/null", "b/f") == "--- /dev/null\n+++ b/f\n@@ -0,0 +1 @@\n+x\n");
  CHECK(UnifiedDiff("x", "x\n", "a", "b") == "--- a\n+++ b\n@@ -1 +1 @@\n-x\n\\ No newline at end of file\n+x\n");
}

TEST_CASE("unified diff: random edits apply back to the new text", "[canary]") {
  std::mt19937 rng(42);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> lines;
    int n = static_cast<int>(rng() % 40);
    for (int i = 0; i < n; ++i) lines.push_back("l" + std::to_string(rng() % 8));
    std::vector<std::string> changed = lines;
    int edits = static_cast<int>(rng() % 6);
    for (int e = 0; e < edits; ++e) {
      size_t pos = changed.empty() ? 0 : rng() % (changed.size() + 1);
      switch (rng() % 3) {
        case 0: changed.insert(changed.begin() + static_cast<long>(pos), "new" + std::to_string(e)); break;
        case 1:
          if (pos < changed.size()) changed.erase(changed.begin() + static_cast<long>(pos));
          break;
        default:
          if (pos < changed.size()) changed[pos] = "mod" + std::to_string(e);
      }
    }
    std::string a, b;
    for (const auto& l : lines) a += l + "\n";
    for (const auto& l : changed) b += l + "\n";
    std::string diff = UnifiedDiff(a, b, "a", "b");
    INFO("round " << round << "\n" << a << "=>\n" << b << "diff:\n" << diff);
    if (a == b) {
      CHECK(diff.empty());
    } else {
      CHECK(Apply(a, diff) == b);
    }
  }
}
