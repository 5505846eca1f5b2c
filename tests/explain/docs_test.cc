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

}  // namespace
}  // namespace meshctl
