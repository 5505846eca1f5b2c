// Bounded reads and identity-keeping in-place writes (lib/io/files.h;
// docs/reliability.md "Input limits and safe writes").
#include <catch2/catch.hpp>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <sstream>

#include "lib/io/files.h"
#include "tests/support/test_support.h"

using namespace meshctl;
namespace fs = std::filesystem;

namespace {

unsigned Mode(const std::string& path) {
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("reads are capped in total; the message names the limit and the flag", "[io][limits]") {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/a.yaml", std::string(600, 'a'));
  testing::WriteFile(dir + "/b.yaml", std::string(600, 'b'));
  std::istringstream in(std::string(2000, 's'));
  io::ReadOptions opts;
  opts.max_bytes = 1000;
  // Each file fits, both together do not.
  CHECK(io::ReadInputs({dir + "/a.yaml"}, in, opts).ok());
  auto both = io::ReadInputs({dir + "/a.yaml", dir + "/b.yaml"}, in, opts);
  REQUIRE_FALSE(both.ok());
  CHECK(both.status().ExitCode() == 65);
  CHECK_THAT(both.status().message(), Catch::Contains("1000 bytes limit") && Catch::Contains("--max-input-size"));
  auto stdin_too_big = io::ReadInputs({"-"}, in, opts);
  REQUIRE_FALSE(stdin_too_big.ok());
  CHECK_THAT(stdin_too_big.status().message(), Catch::Contains("standard input"));
  fs::remove_all(dir);
}

TEST_CASE("devices are refused; /dev/zero does not grow memory", "[io][limits]") {
  std::istringstream in;
  auto zero = io::ReadInputs({"/dev/zero"}, in);
  REQUIRE_FALSE(zero.ok());
  CHECK(zero.status().ExitCode() == 74);
  CHECK_THAT(zero.status().message(), Catch::Contains("/dev/zero") && Catch::Contains("character device"));
  auto one = io::ReadFile("/dev/zero");
  REQUIRE_FALSE(one.ok());
  CHECK_THAT(one.status().message(), Catch::Contains("not a regular file or a pipe"));
}

TEST_CASE("a FIFO nobody writes to is given up after a bounded wait; one with a writer is read", "[io][limits]") {
  std::string dir = testing::MakeTempDir();
  std::string fifo = dir + "/in.yaml";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  io::ReadOptions opts;
  opts.fifo_wait = std::chrono::milliseconds(50);
  auto r = io::ReadFile(fifo, opts);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().ExitCode() == 74);
  CHECK_THAT(r.status().message(), Catch::Contains("no process opened the FIFO for writing"));

  // A pipe with data in it (what `|`, `<(...)` and /dev/fd/N are).
  int p[2];
  REQUIRE(::pipe(p) == 0);
  std::string text = "kind: Service\n";
  REQUIRE(::write(p[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  ::close(p[1]);
  auto piped = io::ReadFile("/dev/fd/" + std::to_string(p[0]), opts);
  ::close(p[0]);
  REQUIRE(piped.ok());
  CHECK(*piped == text);
  fs::remove_all(dir);
}

TEST_CASE("the same file named twice (or through a link) is read once", "[io]") {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/a.yaml", "a: 1\n");
  fs::create_symlink(dir + "/a.yaml", dir + "/link.yaml");
  std::istringstream in;
  auto r = io::ReadInputs({dir + "/a.yaml", dir + "/a.yaml", dir + "/link.yaml", dir}, in);
  REQUIRE(r.ok());
  REQUIRE(r->files.size() == 1);
  CHECK(r->files[0].path == dir + "/a.yaml");
  fs::remove_all(dir);
}

TEST_CASE("read errors say why: missing, directory, symlink loop, dangling link", "[io]") {
  std::string dir = testing::MakeTempDir();
  fs::create_directory(dir + "/d");
  fs::create_symlink(dir + "/loop2", dir + "/loop1");
  fs::create_symlink(dir + "/loop1", dir + "/loop2");
  fs::create_symlink(dir + "/gone", dir + "/dangling");
  CHECK_THAT(io::ReadFile(dir + "/nope").status().message(), Catch::Contains("No such file or directory"));
  CHECK_THAT(io::ReadFile(dir + "/d").status().message(), Catch::Contains("is a directory"));
  CHECK_THAT(io::ReadFile(dir + "/loop1").status().message(), Catch::Contains("symbolic links"));
  std::istringstream in;
  CHECK_THAT(io::ReadInputs({dir + "/dangling"}, in).status().message(),
             Catch::Contains("symbolic link to a missing file"));
  fs::remove_all(dir);
}

TEST_CASE("an unreadable subdirectory is named itself, not its parent", "[io]") {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/sub/secret/x.yaml", "a: 1\n");
  testing::WriteFile(dir + "/sub/ok.yaml", "a: 1\n");
  fs::permissions(dir, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                           fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir + "/sub", fs::perms::owner_all | fs::perms::others_read | fs::perms::others_exec);
  fs::permissions(dir + "/sub/secret", fs::perms::none);
  // Root reads any directory: walk as nobody in a child process then.
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    std::istringstream in;
    auto r = io::ReadInputs({dir}, in);
    if (r.ok()) ::_exit(1);
    bool named = r.status().message().find("\"" + dir + "/sub/secret\"") != std::string::npos;
    ::_exit(named && r.status().ExitCode() == 74 ? 0 : 2);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  fs::permissions(dir + "/sub/secret", fs::perms::owner_all);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // 1: read anyway, 2: wrong directory named, 3: no setuid
  fs::remove_all(dir);
}

TEST_CASE("UTF-16 with a byte order mark is decoded to UTF-8; broken UTF-16 is an error", "[io]") {
  std::string le("\xFF\xFE", 2), be("\xFE\xFF", 2);
  // "a: é\n" and U+1F600 as a surrogate pair.
  std::u16string text = u"a: \u00e9\nb: \U0001F600\n";
  for (char16_t u : text) {
    le += static_cast<char>(u & 0xFF);
    le += static_cast<char>(u >> 8);
    be += static_cast<char>(u >> 8);
    be += static_cast<char>(u & 0xFF);
  }
  std::string utf8 = "a: \xC3\xA9\nb: \xF0\x9F\x98\x80\n";
  CHECK(*io::DecodeUtf16(le, "x") == utf8);
  CHECK(*io::DecodeUtf16(be, "x") == utf8);
  CHECK(*io::DecodeUtf16("plain: text\n", "x") == "plain: text\n");
  std::string lone("\xFF\xFE" "a\0\n\0\x00\xD8", 8);
  auto bad = io::DecodeUtf16(lone, "x.yaml");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().ExitCode() == 65);
  CHECK_THAT(bad.status().message(), Catch::Contains("x.yaml:2: invalid UTF-16"));
}

TEST_CASE("byte sizes parse with binary and decimal suffixes", "[io]") {
  CHECK(*io::ParseByteSize("4096") == 4096);
  CHECK(*io::ParseByteSize("256Mi") == (uint64_t{256} << 20));
  CHECK(*io::ParseByteSize("1Gi") == (uint64_t{1} << 30));
  CHECK(*io::ParseByteSize("2M") == 2000000);
  for (const char* bad : {"", "0", "-1", "1.5Gi", "12Q", "Mi", "99999999999999999999999"})
    CHECK_FALSE(io::ParseByteSize(bad).ok());
}

TEST_CASE("in-place writes refuse a read-only file (also as root) and leave it untouched", "[io][inplace]") {
  std::string dir = testing::MakeTempDir();
  std::string path = dir + "/ro.yaml";
  testing::WriteFile(path, "old\n");
  ::chmod(path.c_str(), 0444);
  auto st = io::WriteFileInPlace(path, "new\n");
  REQUIRE_FALSE(st.ok());
  CHECK(st.ExitCode() == 74);
  CHECK_THAT(st.message(), Catch::Contains("read-only (mode 0444)"));
  CHECK(testing::ReadFileOrDie(path) == "old\n");
  CHECK(Mode(path) == 0444);
  fs::remove_all(dir);
}

TEST_CASE("in-place writes go through a symlink and keep mode and owner", "[io][inplace]") {
  std::string dir = testing::MakeTempDir();
  std::string target = dir + "/real/target.yaml";
  testing::WriteFile(target, "old\n");
  ::chmod(target.c_str(), 0640);
  std::string link = dir + "/link.yaml";
  fs::create_symlink(target, link);
  if (::geteuid() == 0) REQUIRE(::chown(target.c_str(), 1234, 5678) == 0);
  REQUIRE(io::WriteFileInPlace(link, "new\n").ok());
  CHECK(fs::is_symlink(link));
  CHECK(fs::read_symlink(link) == target);
  CHECK(testing::ReadFileOrDie(target) == "new\n");
  CHECK(Mode(target) == 0640);
  if (::geteuid() == 0) {
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK(st.st_uid == 1234);
    CHECK(st.st_gid == 5678);
  }
  fs::remove_all(dir);
}

TEST_CASE("in-place writes refuse a file with several hard links", "[io][inplace]") {
  std::string dir = testing::MakeTempDir();
  std::string a = dir + "/a.yaml", b = dir + "/b.yaml";
  testing::WriteFile(a, "old\n");
  REQUIRE(::link(a.c_str(), b.c_str()) == 0);
  auto st = io::WriteFileInPlace(a, "new\n");
  REQUIRE_FALSE(st.ok());
  CHECK(st.ExitCode() == 74);
  CHECK_THAT(st.message(), Catch::Contains("2 hard links"));
  CHECK(testing::ReadFileOrDie(a) == "old\n");
  CHECK(fs::hard_link_count(a) == 2);
  fs::remove_all(dir);
}

TEST_CASE("stale temporary files of a killed run are removed; others are kept", "[io][inplace]") {
  std::string dir = testing::MakeTempDir();
  std::string path = dir + "/f.yaml";
  testing::WriteFile(path, "old\n");
  // A pid that cannot be running (above pid_max), one from earlier versions
  // without a pid, a live one (ours is skipped: use the parent), and files
  // that only look similar.
  testing::WriteFile(dir + "/.f.yaml.meshctl-999999999-AbC123", "stale");
  testing::WriteFile(dir + "/.f.yaml.meshctl-Zx9Yw8", "stale, old pattern");
  std::string live = dir + "/.f.yaml.meshctl-" + std::to_string(::getppid()) + "-Qq1234";
  testing::WriteFile(live, "a running writer's");
  testing::WriteFile(dir + "/.f.yaml.meshctl-notes.txt", "user file");
  testing::WriteFile(dir + "/.g.yaml.meshctl-Zx9Yw8", "another file's");
  REQUIRE(io::WriteFileInPlace(path, "new\n").ok());
  CHECK_FALSE(fs::exists(dir + "/.f.yaml.meshctl-999999999-AbC123"));
  CHECK_FALSE(fs::exists(dir + "/.f.yaml.meshctl-Zx9Yw8"));
  CHECK(fs::exists(live));
  CHECK(fs::exists(dir + "/.f.yaml.meshctl-notes.txt"));
  CHECK(fs::exists(dir + "/.g.yaml.meshctl-Zx9Yw8"));
  CHECK(testing::ReadFileOrDie(path) == "new\n");
  fs::remove_all(dir);
}

TEST_CASE("WriteFileAtomic gives a new file the mode asked for", "[io][inplace]") {
  std::string dir = testing::MakeTempDir();
  REQUIRE(io::WriteFileAtomic(dir + "/x.bak", "b", 0644u).ok());
  CHECK(Mode(dir + "/x.bak") == 0644);
  REQUIRE(io::WriteFileAtomic(dir + "/x.bak", "b", 0600u).ok());
  CHECK(Mode(dir + "/x.bak") == 0600);
  fs::remove_all(dir);
}
