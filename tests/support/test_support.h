// Shared test helpers: running the built binary, locating ../shared, goldens.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace meshctl::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the built meshctl with `args` (no shell) in the repository root,
// feeding `stdin_text`.
RunResult RunMeshctl(const std::vector<std::string>& args, const std::string& stdin_text = "");

// Runs meshctl in-process through the CLI entry point (fast, no fork).
RunResult RunInProcess(const std::vector<std::string>& args, const std::string& stdin_text = "");

// The repository root (where testdata/ is).
std::string SourceDir();
// ../shared next to the repository, or nullopt when absent (a user's clone).
std::optional<std::string> SharedDir();

// Compares `actual` with the golden file (path relative to the repo root);
// with MESHCTL_UPDATE_GOLDEN=1 it rewrites the golden instead.
void CheckGolden(const std::string& golden_path, const std::string& actual);

std::string ReadFileOrDie(const std::string& path);
// A fresh temporary directory for one test.
std::string MakeTempDir();
void WriteFile(const std::string& path, const std::string& content);

}  // namespace meshctl::testing

// Catch2 v2 has no SKIP: say why and leave the test case.
#define MESHCTL_SKIP(msg) \
  do {                    \
    WARN(msg);            \
    return;               \
  } while (0)
