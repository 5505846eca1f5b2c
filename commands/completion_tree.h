// A flat description of the CLI11 command tree (every command path with its
// flags and children), used to generate completions and by the drift test
// that checks completions/ and man/ against the real flags.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

namespace meshctl::commands {

struct FlagInfo {
  std::vector<std::string> longs;   // without dashes
  std::vector<std::string> shorts;  // without dashes
  bool takes_value = false;
  std::string description;
  // "--long" and "-s" spellings.
  std::vector<std::string> names() const;
};

struct CmdInfo {
  std::string path;                   // "" for the root, "proxy-config cluster"
  std::vector<std::string> names;     // name and aliases
  std::string description;
  std::vector<FlagInfo> flags;
  std::vector<std::string> children;  // child names and aliases
  std::vector<std::pair<std::string, std::string>> child_infos;  // (name, description), aliases too
};

// Depth-first, parents before children, in registration order. Hidden
// subcommands (empty group) are left out.
std::vector<CmdInfo> CollectCommandTree(const CLI::App& root);

}  // namespace meshctl::commands
