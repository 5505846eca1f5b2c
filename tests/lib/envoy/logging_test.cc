#include "lib/envoy/logging.h"

#include <catch2/catch.hpp>

namespace meshctl::envoy {
namespace {

const char kListing[] = "active loggers:\n  admin: warning\n  http: info\n  router: info\n";

TEST_CASE("log levels become istioctl's /logging queries", "[proxy-config]") {
  using V = std::vector<std::string>;
  CHECK(*BuildLogQueries("", false, kListing) == V{});
  CHECK(*BuildLogQueries("debug", false, kListing) == V{"level=debug"});
  CHECK(*BuildLogQueries("warn", false, kListing) == V{"level=warning"});
  CHECK(*BuildLogQueries("router=trace,info,admin:off", false, kListing) ==
        V{"level=info", "router=trace", "admin=off"});
  CHECK(*BuildLogQueries("envoy::http:debug", false, kListing) == V{"http=debug"});
  CHECK(*BuildLogQueries("anything", true, kListing) == V{"level=warning"});
}

TEST_CASE("log levels are validated like istioctl", "[proxy-config]") {
  auto bad_level = BuildLogQueries("loud", false, kListing);
  CHECK(bad_level.status().message() == "unrecognized logging level: loud");
  CHECK(bad_level.status().ExitCode() == 1);
  CHECK(BuildLogQueries("nope:debug", false, kListing).status().message() == "unrecognized logger name: nope");
  CHECK(BuildLogQueries("nope:loud", false, kListing).status().message() == "unrecognized logger name: nope");
  CHECK(BuildLogQueries("http:loud", false, kListing).status().message() == "unrecognized logging level: loud");
  CHECK(CanonicalLogLevel("none").empty());  // istioctl's help mentions it; it is not a level
}

}  // namespace
}  // namespace meshctl::envoy
