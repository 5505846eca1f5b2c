#include "commands/completion_tree.h"

namespace meshctl::commands {

std::vector<std::string> FlagInfo::names() const {
  std::vector<std::string> out;
  for (const auto& l : longs) out.push_back("--" + l);
  for (const auto& s : shorts) out.push_back("-" + s);
  return out;
}

namespace {

void Walk(const CLI::App& app, const std::string& path, std::vector<CmdInfo>& out) {
  CmdInfo info;
  info.path = path;
  info.names.push_back(app.get_name());
  for (const auto& a : app.get_aliases()) info.names.push_back(a);
  info.description = app.get_description();
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_positional() && opt->get_lnames().empty() && opt->get_snames().empty()) continue;
    FlagInfo f;
    f.longs = opt->get_lnames();
    f.shorts = opt->get_snames();
    f.takes_value = opt->get_type_size() != 0 && opt->get_expected_max() != 0;
    f.description = opt->get_description();
    if (f.longs.empty() && f.shorts.empty()) continue;
    info.flags.push_back(std::move(f));
  }
  std::vector<const CLI::App*> subs;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* a) { return !a->get_group().empty(); })) {
    subs.push_back(sub);
    info.children.push_back(sub->get_name());
    info.child_infos.emplace_back(sub->get_name(), sub->get_description());
    for (const auto& a : sub->get_aliases()) {
      info.children.push_back(a);
      info.child_infos.emplace_back(a, sub->get_description());
    }
  }
  out.push_back(std::move(info));
  for (const CLI::App* sub : subs) Walk(*sub, path.empty() ? sub->get_name() : path + " " + sub->get_name(), out);
}

}  // namespace

std::vector<CmdInfo> CollectCommandTree(const CLI::App& root) {
  std::vector<CmdInfo> out;
  Walk(root, "", out);
  return out;
}

}  // namespace meshctl::commands
