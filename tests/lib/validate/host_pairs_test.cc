// MatchingHostPairs (lib/validate/helpers.h) finds exactly the pairs Istio's
// nested HostMatches loop finds, in the same order, without the loop.
#include <catch2/catch.hpp>

#include <random>

#include "lib/validate/helpers.h"

using meshctl::validate::HostMatches;
using meshctl::validate::MatchingHostPairs;

TEST_CASE("MatchingHostPairs equals the quadratic loop on random host lists", "[validate]") {
  std::mt19937 rng(7);
  const std::vector<std::string> parts = {"a", "b", "ab", "example.com", "b.example.com", "svc"};
  for (int round = 0; round < 300; ++round) {
    std::vector<std::string> hosts;
    size_t n = rng() % 12;
    for (size_t i = 0; i < n; ++i) {
      std::string h;
      int kind = static_cast<int>(rng() % 4);
      if (kind == 0) h = "*";
      else if (kind == 1) h = "*." + parts[rng() % parts.size()];
      else if (kind == 2) h = "*" + parts[rng() % parts.size()];
      if (kind != 0) h += parts[rng() % parts.size()];
      if (kind == 3 && rng() % 2) h = parts[rng() % parts.size()] + "." + parts[rng() % parts.size()];
      hosts.push_back(h);
    }
    std::vector<std::pair<size_t, size_t>> want;
    for (size_t i = 0; i < hosts.size(); ++i)
      for (size_t j = i + 1; j < hosts.size(); ++j)
        if (HostMatches(hosts[i], hosts[j])) want.emplace_back(i, j);
    INFO("round " << round);
    CHECK(MatchingHostPairs(hosts) == want);
  }
}

TEST_CASE("MatchingHostPairs stops at its limit", "[validate]") {
  std::vector<std::string> hosts(300, "same.example.com");
  CHECK(MatchingHostPairs(hosts, 100).size() == 100);
  std::vector<std::string> distinct;
  for (int i = 0; i < 40000; ++i) distinct.push_back("h" + std::to_string(i) + ".example.com");
  CHECK(MatchingHostPairs(distinct).empty());
}
