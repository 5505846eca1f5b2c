// Replays every saved fuzz input through its target's body, in every build
// (release and ASan): tests/fuzz/regressions/<target>/* (minimised inputs
// that once crashed or broke an invariant) and tests/fuzz/seeds/<target>/*.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "tests/fuzz/fuzz_target.h"
#include "tests/support/test_support.h"

namespace fs = std::filesystem;
using meshctl::fuzz::FindTarget;

namespace {

std::string Slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Target names of tests/fuzz/targets.txt, in order.
std::vector<std::string> TableNames() {
  std::ifstream f("tests/fuzz/targets.txt");
  std::vector<std::string> names;
  std::string line;
  while (std::getline(f, line))
    if (!line.empty() && line[0] >= 'a' && line[0] <= 'z') names.push_back(line.substr(0, line.find(' ')));
  return names;
}

size_t Replay(const fs::path& dir) {
  size_t n = 0;
  for (const auto& sub : fs::directory_iterator(dir)) {
    if (!sub.is_directory()) continue;
    const std::string name = sub.path().filename().string();
    const auto* target = FindTarget(name);
    INFO("folder " << sub.path() << " names no fuzz target");
    REQUIRE(target != nullptr);
    for (const auto& e : fs::directory_iterator(sub.path())) {
      if (!e.is_regular_file()) continue;
      const std::string input = Slurp(e.path());
      INFO("replaying " << e.path().string() << " (" << input.size() << " bytes)");
      CHECK_NOTHROW(target->fn(input));
      ++n;
    }
  }
  return n;
}

}  // namespace

TEST_CASE("fuzz: every row of targets.txt has a linked target and the other way round", "[fuzz]") {
  auto names = TableNames();
  REQUIRE_FALSE(names.empty());
  std::set<std::string> in_table(names.begin(), names.end());
  CHECK(in_table.size() == names.size());
  for (const auto& n : names) {
    INFO(n);
    CHECK(FindTarget(n) != nullptr);
  }
  for (const auto& t : meshctl::fuzz::AllTargets()) {
    INFO(t.name << " is linked but has no row in tests/fuzz/targets.txt");
    CHECK(in_table.count(t.name) == 1);
  }
}

TEST_CASE("fuzz: the regression folder replays clean", "[fuzz]") {
  size_t n = Replay("tests/fuzz/regressions");
  // The merge-key use-after-free input (issue 15) is among them.
  CHECK(fs::exists("tests/fuzz/regressions/yaml_loader/merge-key-sequence-of-maps.yaml"));
  CHECK(n >= 1);
}

TEST_CASE("fuzz: the committed seeds replay clean", "[fuzz]") {
  if (!fs::exists("tests/fuzz/seeds")) MESHCTL_SKIP("no committed seeds");
  CHECK(Replay("tests/fuzz/seeds") >= 1);
}
