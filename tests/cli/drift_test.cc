// completions/ and man/ must cover every subcommand and long flag of the
// real command tree: this test walks the CLI11 tree and fails on anything
// missing (fix: scripts/gen-completions.sh, and the man page).
#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "commands/command.h"
#include "commands/completion_tree.h"
#include "tests/support/test_support.h"

using namespace meshctl;

namespace {

std::vector<commands::CmdInfo> Tree() {
  static commands::CommandContext ctx;
  static CLI::App app{"meshctl", "meshctl"};
  static bool built = false;
  if (!built) {
    commands::BuildApp(app, ctx);
    built = true;
  }
  return commands::CollectCommandTree(app);
}

// roff escapes '-' as '\-'; undo that so flags can be searched as typed.
std::string ManText(const std::string& path) {
  std::string s = testing::ReadFileOrDie(path), out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size() && s[i + 1] == '-') continue;
    out += s[i];
  }
  return out;
}

}  // namespace

TEST_CASE("completion files are what `meshctl completion` generates", "[cli][drift]") {
  for (const char* shell : {"bash", "zsh", "fish"}) {
    INFO("shell " << shell << ": run scripts/gen-completions.sh");
    auto r = testing::RunInProcess({"completion", shell});
    REQUIRE(r.exit_code == 0);
    std::string file = std::string(shell) == "bash" ? "meshctl.bash" : std::string(shell) == "zsh" ? "_meshctl" : "meshctl.fish";
    CHECK(testing::ReadFileOrDie(testing::SourceDir() + "/completions/" + file) == r.out);
  }
}

TEST_CASE("every subcommand and long flag is in the completions and man pages", "[cli][drift]") {
  std::string bash = testing::ReadFileOrDie(testing::SourceDir() + "/completions/meshctl.bash");
  std::string zsh = testing::ReadFileOrDie(testing::SourceDir() + "/completions/_meshctl");
  std::string fish = testing::ReadFileOrDie(testing::SourceDir() + "/completions/meshctl.fish");
  std::string root_man = ManText(testing::SourceDir() + "/man/meshctl.1");
  for (const auto& cmd : Tree()) {
    if (cmd.path.empty()) continue;
    std::string top = cmd.path.substr(0, cmd.path.find(' '));
    std::string man_path = testing::SourceDir() + "/man/meshctl-" + top + ".1";
    INFO("command: " << cmd.path);
    REQUIRE(std::filesystem::exists(man_path));
    std::string man = ManText(man_path);
    CHECK_THAT(bash, Catch::Contains("'" + cmd.path + "')"));
    CHECK_THAT(zsh, Catch::Contains("'" + cmd.path + "')"));
    CHECK_THAT(fish, Catch::Contains("__meshctl_at '" + cmd.path + "'"));
    if (top == cmd.path) CHECK_THAT(root_man, Catch::Contains(".B " + top));
    else CHECK_THAT(man, Catch::Contains(cmd.names.front()));
    for (const auto& f : cmd.flags) {
      for (const auto& l : f.longs) {
        INFO("flag: --" << l);
        CHECK_THAT(bash, Catch::Contains("--" + l));
        CHECK_THAT(zsh, Catch::Contains("--" + l));
        CHECK_THAT(fish, Catch::Contains("-l " + l));
        CHECK_THAT(man, Catch::Contains("--" + l));
      }
    }
  }
}
