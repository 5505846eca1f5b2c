#include <catch2/catch.hpp>

#include "lib/canary/plan.h"

using namespace meshctl::canary;

TEST_CASE("plan: --steps list", "[canary]") {
  auto s = ParseSteps("1, 5,10,25%,50,100");
  REQUIRE(s.ok());
  CHECK(*s == std::vector<int>{1, 5, 10, 25, 50, 100});
  CHECK_FALSE(ParseSteps("10,5").ok());
  CHECK_FALSE(ParseSteps("0,5").ok());
  CHECK_FALSE(ParseSteps("5,101").ok());
  CHECK_FALSE(ParseSteps("5,x").ok());
  CHECK_FALSE(ParseSteps("").ok());
  CHECK(ParseSteps("10,10").status().message().find("must increase") != std::string::npos);
}

TEST_CASE("plan: --step and --max", "[canary]") {
  CHECK(*LinearSteps(10, 50) == std::vector<int>{10, 20, 30, 40, 50});
  CHECK(*LinearSteps(30, 100) == std::vector<int>{30, 60, 90, 100});
  CHECK(*LinearSteps(100, 100) == std::vector<int>{100});
  CHECK_FALSE(LinearSteps(0, 50).ok());
  CHECK_FALSE(LinearSteps(20, 10).ok());
}

TEST_CASE("plan: table", "[canary]") {
  CHECK(RenderPlanTable({10, 50, 100}, "v1", "v2") ==
        "STEP  v1 (stable)  v2 (canary)\n"
        "1     90%          10%\n"
        "2     50%          50%\n"
        "3     0%           100%\n");
  CHECK(StepDirName(2, 25) == "step-03-w25");
}
