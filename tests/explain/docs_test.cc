// docs/explain.md's walkthrough works as written: the outputs it shows are
// what the commands print today.
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace meshctl {
namespace {

TEST_CASE("explain: docs/explain.md shows what the commands print", "[explain]") {
  std::string doc = testing::ReadFileOrDie(testing::SourceDir() + "/docs/explain.md");
  auto jason = testing::RunInProcess({"explain", "request", "-f", "testdata/bookinfo", "--from",
                                      "productpage-v1.bookinfo", "http://reviews:9080/", "-H", "end-user: jason"});
  CHECK(jason.exit_code == 0);
  CHECK_THAT(doc, Catch::Contains(jason.out));
  auto weights = testing::RunInProcess(
      {"explain", "weights", "reviews", "-n", "bookinfo", "-f", "testdata/explain/base.yaml", "-f",
       "testdata/explain/subsets.yaml", "-f", "testdata/explain/missing-subset.yaml", "--config-dump",
       "testdata/explain/sleep-dump.json", "--config-dump", "testdata/explain/sleep-dump-stale.json"});
  CHECK(weights.exit_code == 79);
  CHECK_THAT(doc, Catch::Contains(weights.out));
}

TEST_CASE("explain: the request subcommand may be left out", "[explain][cli]") {
  const std::vector<std::string> walk = {"-f", "testdata/bookinfo", "--from", "productpage-v1.bookinfo",
                                         "http://reviews:9080/", "-H", "end-user: jason"};
  std::vector<std::string> with = {"explain", "request"}, without = {"explain"};
  with.insert(with.end(), walk.begin(), walk.end());
  without.insert(without.end(), walk.begin(), walk.end());
  auto a = testing::RunInProcess(with);
  auto b = testing::RunInProcess(without);
  REQUIRE(a.exit_code == 0);
  CHECK(b.exit_code == 0);
  CHECK(b.out == a.out);
  // The named subcommands and help keep their meaning.
  CHECK(testing::RunInProcess({"explain", "--help"}).out.find("Subcommands:") != std::string::npos);
  CHECK(testing::RunInProcess({"explain", "weights", "--help"}).out.find("weights") != std::string::npos);
  CHECK(testing::RunInProcess({"explain"}).exit_code == 64);
}

}  // namespace
}  // namespace meshctl
