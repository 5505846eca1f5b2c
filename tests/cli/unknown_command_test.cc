// Unknown subcommands at any level are usage errors (64) with kubectl's
// wording and a did-you-mean hint, whatever flags surround them; `--help`
// after an unknown word prints the help and exits 0, as cobra does. Also:
// `pc KIND POD.NS` without a cluster connection says how to get the data.
#include <catch2/catch.hpp>

#include "tests/support/test_support.h"

namespace meshctl::testing {
namespace {

TEST_CASE("an unknown subcommand is a usage error with a hint at every level", "[cli][realworld]") {
  auto nested = RunInProcess({"pc", "clustr", "-f", "dump.json"});
  CHECK(nested.exit_code == 64);
  CHECK(nested.err.find("unknown command \"clustr\" for \"meshctl proxy-config\"") != std::string::npos);
  CHECK(nested.err.find("Did you mean this?\n\tcluster") != std::string::npos);
  auto flag_first = RunInProcess({"--foo", "anlyze"});
  CHECK(flag_first.exit_code == 64);
  CHECK(flag_first.err.find("unknown command \"anlyze\" for \"meshctl\"") != std::string::npos);
  CHECK(flag_first.err.find("\tanalyze") != std::string::npos);
  auto flags_after = RunInProcess({"canry", "--weight", "10", "-o", "json"});
  CHECK(flags_after.exit_code == 64);
  CHECK(flags_after.err.find("\tcanary") != std::string::npos);
  // A bad flag of a real subcommand names that subcommand's help.
  auto bad_flag = RunInProcess({"pc", "cluster", "--bogus"});
  CHECK(bad_flag.exit_code == 64);
  CHECK(bad_flag.err.find("Run 'meshctl proxy-config cluster --help'") != std::string::npos);
}

TEST_CASE("meshctl nosuchcommand --help prints the root help and exits 0", "[cli][realworld]") {
  auto r = RunInProcess({"nosuchcommand", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Usage: meshctl") != std::string::npos);
  CHECK(r.err.empty());
}

TEST_CASE("pc KIND POD.NS without a usable kubeconfig explains what to do", "[cli][realworld]") {
  auto r = RunInProcess({"pc", "cluster", "reviews-v1-5b4d.bookinfo", "--kubeconfig", "/nonexistent/kubeconfig"});
  CHECK(r.exit_code == 74);
  CHECK(r.out.empty());
  CHECK(r.err.find("/nonexistent/kubeconfig") != std::string::npos);
  CHECK(r.err.find("give --admin-address HOST:15000 or -f DUMP.json") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::testing
