#include <catch2/catch.hpp>
#include <filesystem>
#include <sstream>

#include "lib/io/files.h"
#include "lib/io/input_source.h"
#include "tests/support/test_support.h"

using namespace meshctl;
namespace fs = std::filesystem;

TEST_CASE("directories are walked recursively in lexical order; other extensions skipped", "[io]") {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/b.yaml", "b");
  testing::WriteFile(dir + "/a/z.yml", "z");
  testing::WriteFile(dir + "/a/c.json", "c");
  testing::WriteFile(dir + "/readme.md", "no");
  std::istringstream in("from stdin");
  auto r = io::ReadInputs({dir, "-", "-"}, in);
  REQUIRE(r.ok());
  std::vector<std::string> names;
  for (const auto& f : r->files) names.push_back(f.path);
  CHECK(names == std::vector<std::string>{dir + "/a/c.json", dir + "/a/z.yml", dir + "/b.yaml", "-"});
  CHECK(r->files.back().content == "from stdin");
  CHECK(r->skipped == std::vector<std::string>{dir + "/readme.md"});
  fs::remove_all(dir);
}

TEST_CASE("a plain file is read whatever its extension; missing paths are I/O errors", "[io]") {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/manifest.txt", "x: 1\n");
  std::istringstream in;
  auto ok = io::NewFileSource({dir + "/manifest.txt"}, in)->Read();
  REQUIRE(ok.ok());
  CHECK(ok->files.size() == 1);
  auto missing = io::ReadInputs({dir + "/nope.yaml"}, in);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().ExitCode() == 74);
  CHECK_THAT(missing.status().message(), Catch::Contains("nope.yaml"));
  fs::remove_all(dir);
}

TEST_CASE("atomic writes replace the file whole and keep its mode", "[io]") {
  std::string dir = testing::MakeTempDir();
  std::string path = dir + "/out.yaml";
  testing::WriteFile(path, "old");
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  REQUIRE(io::WriteFileAtomic(path, "new content").ok());
  CHECK(testing::ReadFileOrDie(path) == "new content");
  CHECK((fs::status(path).permissions() & fs::perms::group_read) != fs::perms::none);
  // No temporary files are left behind.
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file();
  CHECK(n == 1);
  auto bad = io::WriteFileAtomic(dir + "/missing-dir/x.yaml", "x");
  CHECK_FALSE(bad.ok());
  CHECK(bad.ExitCode() == 74);
  fs::remove_all(dir);
}
