// What `meshctl` loads at start-up: commands that neither talk HTTP nor read
// certificates load neither libcurl nor libcrypto (lib/io/curl_api.cc,
// crypto_api.cc), and only proxy-status loads gRPC (the xDS module). The
// installed binary is checked the same way by tests/packaging/install_test.sh.
#include <cstdlib>

#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace meshctl {
namespace {

// LD_DEBUG=files makes the dynamic loader name every library it loads.
std::string LoadedAtStartup(const std::vector<std::string>& args) {
  ::setenv("LD_DEBUG", "files", 1);
  auto r = testing::RunMeshctl(args);
  ::unsetenv("LD_DEBUG");
  return r.err;
}

TEST_CASE("meshctl version and --help load neither libcurl nor libcrypto", "[io][startup]") {
  for (const auto& args : std::vector<std::vector<std::string>>{{"version"}, {"--help"}, {"validate", "--help"}}) {
    std::string loaded = LoadedAtStartup(args);
    INFO(args[0] << (args.size() > 1 ? " " + args[1] : std::string()));
    REQUIRE(loaded.find("libmeshctl") != std::string::npos);  // LD_DEBUG took effect
    CHECK(loaded.find("libcurl") == std::string::npos);
    CHECK(loaded.find("libcrypto") == std::string::npos);
    CHECK(loaded.find("libgrpc") == std::string::npos);
  }
}

}  // namespace
}  // namespace meshctl
