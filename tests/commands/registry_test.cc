// commands/registry.cc: the command line registers only the command it
// names (BuildAppFor); the placeholders standing in for the others must look
// exactly like the real subcommands to everything at the root.
#include <catch2/catch.hpp>

#include "commands/command.h"
#include "tests/support/test_support.h"

using namespace meshctl;

namespace {

std::vector<std::string> Names(const CLI::App& sub) {
  std::vector<std::string> out = {sub.get_name()};
  for (const auto& a : sub.get_aliases()) out.push_back(a);
  return out;
}

}  // namespace

TEST_CASE("the command table's summaries and aliases are the registered ones", "[cli]") {
  commands::CommandContext ctx;
  CLI::App full{"meshctl", "meshctl"};
  commands::BuildApp(full, ctx);
  auto subs = full.get_subcommands([](const CLI::App*) { return true; });
  const auto& table = commands::AllCommands();
  REQUIRE(subs.size() == table.size());
  for (size_t i = 0; i < table.size(); ++i) {
    INFO(table[i].name);
    CHECK(subs[i]->get_name() == table[i].name);
    CHECK(subs[i]->get_description() == table[i].summary);
    std::vector<std::string> want = {table[i].name};
    if (table[i].alias) want.push_back(table[i].alias);
    CHECK(Names(*subs[i]) == want);
  }
}

TEST_CASE("a partly registered tree prints the same root help", "[cli]") {
  commands::CommandContext ctx;
  CLI::App full{"meshctl: root", "meshctl"};
  commands::BuildApp(full, ctx);
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"meshctl"}, {"meshctl", "--help"}, {"meshctl", "version"},
                                             {"meshctl", "pc", "cluster"}, {"meshctl", "-h", "v"}}) {
    commands::CommandContext ctx2;
    CLI::App lazy{"meshctl: root", "meshctl"};
    commands::BuildAppFor(lazy, ctx2, args);
    INFO(args.back());
    CHECK(lazy.help() == full.help());
    CHECK(lazy.get_subcommands([](const CLI::App*) { return true; }).size() == commands::AllCommands().size());
  }
}

TEST_CASE("only the named command gets its options; completion and --help-all get all", "[cli]") {
  auto option_count = [](const std::vector<std::string>& args, const std::string& sub) {
    commands::CommandContext ctx;
    CLI::App app{"meshctl", "meshctl"};
    commands::BuildAppFor(app, ctx, args);
    return app.get_subcommand(sub)->get_options().size();
  };
  CHECK(option_count({"meshctl", "version"}, "version") > 3);
  CHECK(option_count({"meshctl", "version"}, "analyze") < 3);  // the help flags alone
  CHECK(option_count({"meshctl", "v", "-f", "x.yaml"}, "validate") > 3);
  CHECK(option_count({"meshctl", "v", "-f", "x.yaml"}, "version") < 3);
  CHECK(option_count({"meshctl", "completion", "bash"}, "analyze") > 3);
  CHECK(option_count({"meshctl", "--help-all"}, "analyze") > 3);
  CHECK(option_count({"meshctl", "versoin"}, "analyze") > 3);  // a typo: the whole tree, as before
}

TEST_CASE("help and usage errors through the partly registered tree", "[cli]") {
  auto help = testing::RunInProcess({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("proxy-config") != std::string::npos);
  auto sub = testing::RunInProcess({"version", "--help"});
  CHECK(sub.exit_code == 0);
  CHECK(sub.out.find("--remote") != std::string::npos);
  auto typo = testing::RunInProcess({"versoin"});
  CHECK(typo.exit_code == 64);
  CHECK(typo.err.find("Did you mean this?\n\tversion") != std::string::npos);
  auto deep = testing::RunInProcess({"pc", "clustr"});
  CHECK(deep.exit_code == 64);
  CHECK(deep.err.find("unknown command \"clustr\" for \"meshctl proxy-config\"") != std::string::npos);
}
