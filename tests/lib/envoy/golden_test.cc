// Every table golden istioctl ships in ../shared/fixtures/envoy, reproduced
// byte for byte from the same input (skipped when ../shared is absent).
// Comparison rules are Istio's own (INDEX.md): PC/* exact, CD/* after
// trimming the whole text.
#include <sstream>

#include <catch2/catch.hpp>

#include "lib/core/strings.h"
#include "lib/envoy/summaries.h"
#include "tests/support/test_support.h"

namespace meshctl::envoy {
namespace {

constexpr int64_t kNow = 1767225600;  // 2026-01-01T00:00:00Z: ROOTCA valid, leaf expired

std::optional<std::string> Fixture(const std::string& rel) {
  auto shared = testing::SharedDir();
  if (!shared) return std::nullopt;
  return *shared + "/fixtures/envoy/istioctl/pkg/" + rel;
}

ConfigDump LoadDump(const std::string& path) {
  auto dump = ConfigDump::Load(path);
  INFO(dump.status().message());
  REQUIRE(dump.ok());
  return std::move(dump).value();
}

std::string Trimmed(const std::string& s) { return std::string(core::Trim(s)); }

TEST_CASE("golden: proxy-config all (config_dump_summary.txt)", "[proxy-config][golden]") {
  auto in = Fixture("proxyconfig/testdata/config_dump.json");
  if (!in) MESHCTL_SKIP("../shared is absent");
  ConfigDump dump = LoadDump(*in);
  // The sections rendered one after the other and on threads.
  for (size_t threads : {1, 2, 6}) {
    INFO("threads " << threads);
    AllOptions o;
    o.now_unix = kNow;
    o.threads = threads;
    std::ostringstream out;
    REQUIRE(PrintAllSummary(dump, o, out).ok());
    CHECK(out.str() == testing::ReadFileOrDie(*Fixture("proxyconfig/testdata/config_dump_summary.txt")));
    o.with_headers = true;
    std::ostringstream out2;
    REQUIRE(PrintAllSummary(dump, o, out2).ok());
    CHECK(out2.str() ==
          testing::ReadFileOrDie(*Fixture("proxyconfig/testdata/config_dump_summary_withheaders.txt")));
  }
}

TEST_CASE("golden: bootstrap -o short (versionsummary.txt)", "[proxy-config][golden]") {
  auto in = Fixture("writer/envoy/configdump/testdata/configdump.json");
  if (!in) MESHCTL_SKIP("../shared is absent");
  ConfigDump dump = LoadDump(*in);
  std::ostringstream out;
  REQUIRE(PrintBootstrapSummary(dump, out).ok());
  CHECK(Trimmed(out.str()) ==
        Trimmed(testing::ReadFileOrDie(*Fixture("writer/envoy/configdump/testdata/versionsummary.txt"))));
}

TEST_CASE("golden: ecds (ecds/output.txt)", "[proxy-config][golden]") {
  auto in = Fixture("writer/envoy/configdump/testdata/ecds/configdump.json");
  if (!in) MESHCTL_SKIP("../shared is absent");
  ConfigDump dump = LoadDump(*in);
  std::ostringstream out;
  REQUIRE(PrintEcdsSummary(dump, out).ok());
  CHECK(Trimmed(out.str()) ==
        Trimmed(testing::ReadFileOrDie(*Fixture("writer/envoy/configdump/testdata/ecds/output.txt"))));
}

TEST_CASE("golden: eds (endpoint/*_output.txt)", "[proxy-config][golden]") {
  auto in = Fixture("writer/envoy/configdump/testdata/endpoint/configdump.json");
  if (!in) MESHCTL_SKIP("../shared is absent");
  ConfigDump dump = LoadDump(*in);
  std::ostringstream out;
  REQUIRE(PrintEdsSummary(dump, EndpointFilter{}, false, out).ok());
  CHECK(Trimmed(out.str()) ==
        Trimmed(testing::ReadFileOrDie(*Fixture("writer/envoy/configdump/testdata/endpoint/emptyfilter_output.txt"))));
  EndpointFilter f;
  f.port = 8080;
  std::ostringstream out2;
  REQUIRE(PrintEdsSummary(dump, f, false, out2).ok());
  CHECK(Trimmed(out2.str()) ==
        Trimmed(testing::ReadFileOrDie(*Fixture("writer/envoy/configdump/testdata/endpoint/portfilter_output.txt"))));
}

}  // namespace
}  // namespace meshctl::envoy
