#include "lib/xds/human_duration.h"

#include <catch2/catch.hpp>

namespace meshctl::xds {

TEST_CASE("HumanDuration matches Kubernetes' duration.HumanDuration", "[xds]") {
  using namespace std::chrono;
  CHECK(HumanDuration(-seconds(3)) == "<invalid>");
  CHECK(HumanDuration(-milliseconds(1500)) == "0s");
  CHECK(HumanDuration(seconds(0)) == "0s");
  CHECK(HumanDuration(seconds(45)) == "45s");
  CHECK(HumanDuration(seconds(119)) == "119s");
  CHECK(HumanDuration(seconds(120)) == "2m");
  CHECK(HumanDuration(seconds(182)) == "3m2s");
  CHECK(HumanDuration(minutes(170)) == "170m");
  CHECK(HumanDuration(minutes(5 * 60 + 3)) == "5h3m");
  CHECK(HumanDuration(hours(7)) == "7h");
  CHECK(HumanDuration(hours(30)) == "30h");
  CHECK(HumanDuration(hours(24 * 3 + 4)) == "3d4h");
  CHECK(HumanDuration(hours(24 * 3)) == "3d");
  CHECK(HumanDuration(hours(24 * 400)) == "400d");
  CHECK(HumanDuration(hours(24 * (365 * 2 + 10))) == "2y10d");
  CHECK(HumanDuration(hours(24 * 365 * 9)) == "9y");
}

}  // namespace meshctl::xds
