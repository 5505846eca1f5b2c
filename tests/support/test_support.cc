#include "tests/support/test_support.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "commands/command.h"

namespace meshctl::testing {

namespace fs = std::filesystem;

std::string SourceDir() { return MESHCTL_SOURCE_DIR; }

std::optional<std::string> SharedDir() {
  fs::path p = fs::path(SourceDir()).parent_path() / "shared";
  if (fs::is_directory(p / "conformance")) return p.string();
  return std::nullopt;
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << content;
  REQUIRE(out.good());
}

std::string MakeTempDir() {
  std::string tmpl = (fs::temp_directory_path() / "meshctl-test-XXXXXX").string();
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  REQUIRE(::mkdtemp(buf.data()) != nullptr);
  return buf.data();
}

void CheckGolden(const std::string& golden_path, const std::string& actual) {
  std::string full = SourceDir() + "/" + golden_path;
  const char* update = std::getenv("MESHCTL_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    WriteFile(full, actual);
    return;
  }
  INFO("golden: " << golden_path << " (MESHCTL_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(full));
  CHECK(ReadFileOrDie(full) == actual);
}

RunResult RunMeshctl(const std::vector<std::string>& args, const std::string& stdin_text) {
  // stdin and the outputs go through temporary files: no pipe deadlocks.
  std::string dir = MakeTempDir();
  std::string in_path = dir + "/stdin", out_path = dir + "/stdout", err_path = dir + "/stderr";
  WriteFile(in_path, stdin_text);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    int in = ::open(in_path.c_str(), O_RDONLY);
    int out = ::open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(err, 2);
    // Paths in tests are relative to the repository root.
    if (::chdir(SourceDir().c_str()) != 0) ::_exit(126);
    std::vector<char*> argv;
    std::string bin = MESHCTL_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = ReadFileOrDie(out_path);
  r.err = ReadFileOrDie(err_path);
  fs::remove_all(dir);
  return r;
}

RunResult RunInProcess(const std::vector<std::string>& args, const std::string& stdin_text) {
  std::istringstream in(stdin_text);
  std::ostringstream out, err;
  commands::CommandContext ctx;
  ctx.in = &in;
  ctx.out = &out;
  ctx.err = &err;
  std::vector<const char*> argv = {"meshctl"};
  for (const auto& a : args) argv.push_back(a.c_str());
  RunResult r;
  r.exit_code = commands::RunCli(static_cast<int>(argv.size()), argv.data(), ctx);
  r.out = out.str();
  r.err = err.str();
  return r;
}

}  // namespace meshctl::testing
