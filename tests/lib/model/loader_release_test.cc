// The text of a large file handed back while it is parsed (ParseFiles with
// `release`, LoadSnapshotReleasingText): the same resources as a parse that keeps
// the text, also when the parser has to read the whole text a second time.
#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "lib/io/files.h"
#include "lib/model/loader.h"
#include "tests/support/test_support.h"

using namespace meshctl;

namespace {

// ~1.6 MB of plain block YAML: Services with a few labels and ports each.
std::string BigMesh(size_t services) {
  std::string out;
  for (size_t i = 0; i < services; ++i) {
    out += "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-" + std::to_string(i) +
           "\n  namespace: ns-" + std::to_string(i % 7) + "\n  labels:\n    app: app-" + std::to_string(i) +
           "\n    version: v1\nspec:\n  selector:\n    app: app-" + std::to_string(i) +
           "\n  ports:\n  - name: http\n    port: 80\n    targetPort: 9080\n  - name: grpc\n    port: 81\n";
  }
  return out;
}

io::InputSet ReadFromDisk(const std::string& path) {
  std::istringstream no_stdin;
  auto in = io::ReadInputs({path}, no_stdin);
  REQUIRE(in.ok());
  return std::move(in).value();
}

// Each resource's identity, position and a value from deep in its tree.
std::vector<std::string> Summary(const model::LoadResult& r) {
  std::vector<std::string> out;
  for (const auto& res : r.snapshot.resources()) {
    const yaml::Node* port = res.Find("spec.ports[1].port");
    out.push_back(std::string(res.kind) + " " + res.FullName() + " @" + std::to_string(res.start.line) + ":" +
                  std::to_string(res.root->mark().line) + " " + (port ? port->text() : "-") + " " +
                  std::string(res.Label("app")));
  }
  return out;
}

model::LoadOptions Options(size_t threads) {
  model::LoadOptions o;
  o.threads = threads;
  return o;
}

// The file loaded keeping its text and handing it back: the same resources.
void CheckSameResources(const std::string& path, size_t threads, size_t resources) {
  io::InputSet kept = ReadFromDisk(path);
  REQUIRE(kept.files[0].content.size() > (size_t{1} << 20));
  model::LoadResult want = model::LoadSnapshot(kept, Options(threads));
  REQUIRE(want.errors.empty());
  REQUIRE(want.snapshot.size() == resources);
  io::InputSet released = ReadFromDisk(path);
  model::LoadResult got = model::LoadSnapshotReleasingText(released, Options(threads));
  REQUIRE(got.errors.empty());
  CHECK(Summary(got) == Summary(want));
}

}  // namespace

TEST_CASE("a large file's text is handed back while it is parsed, with the same resources", "[model][memory]") {
  const std::string dir = testing::MakeTempDir();
  const std::string path = dir + "/mesh.yaml";
  testing::WriteFile(path, BigMesh(9000));
  for (size_t threads : {1, 2}) {
    INFO("threads " << threads);
    io::InputSet released = ReadFromDisk(path);
    auto parsed = model::ParseFiles(released, Options(threads), &released);
    REQUIRE(parsed.size() == 1);
    REQUIRE(parsed[0].ok());
    CHECK(parsed[0]->size() == 9000);
    // The pages the parser moved past were discarded: they read as zeros now.
    const std::string& text = released.files[0].content;
    CHECK(text.find(std::string(4096, '\0')) != std::string::npos);

    CheckSameResources(path, threads, 9000);
  }
}

TEST_CASE("a second pass after pages were handed back reads the file again", "[model][memory]") {
  const std::string dir = testing::MakeTempDir();
  const std::string path = dir + "/mesh.yaml";
  // The last document is outside the block scanner's subset (an anchor and an
  // alias): the scanner has handed back most of the text by then, and libyaml
  // reads the whole stream again.
  const std::string tail =
      "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: anchored\n  namespace: ns-1\n"
      "data: &shared\n  a: b\nextra: *shared\n";
  testing::WriteFile(path, BigMesh(9000) + tail);
  for (size_t threads : {1, 2}) {
    INFO("threads " << threads);
    CheckSameResources(path, threads, 9001);
  }
}

TEST_CASE("a file changed on disk before the second pass is an error, not a mixed parse", "[model][memory]") {
  const std::string dir = testing::MakeTempDir();
  const std::string path = dir + "/mesh.yaml";
  const std::string text = BigMesh(9000) + "---\nkind: ConfigMap\napiVersion: v1\nmetadata: &m\n  name: x\n";
  testing::WriteFile(path, text);
  io::InputSet in = ReadFromDisk(path);
  // Rewritten after it was read: same size, another modification time.
  std::string changed = text;
  changed[changed.size() / 2] = changed[changed.size() / 2] == 'a' ? 'b' : 'a';
  struct stat before {};
  REQUIRE(::stat(path.c_str(), &before) == 0);
  do {
    testing::WriteFile(path, changed);
    struct stat after {};
    REQUIRE(::stat(path.c_str(), &after) == 0);
    if (after.st_mtim.tv_nsec != before.st_mtim.tv_nsec || after.st_mtim.tv_sec != before.st_mtim.tv_sec) break;
    ::usleep(2000);
  } while (true);
  model::LoadResult got = model::LoadSnapshotReleasingText(in, Options(1));
  REQUIRE(got.errors.size() == 1);
  CHECK_THAT(got.errors[0].message(), Catch::Contains(path) && Catch::Contains("changed while meshctl was reading it"));
}

TEST_CASE("small files, stdin and pipes keep their text while parsed", "[model][memory]") {
  const std::string dir = testing::MakeTempDir();
  const std::string path = dir + "/small.yaml";
  testing::WriteFile(path, BigMesh(10));
  io::InputSet in = ReadFromDisk(path);
  auto parsed = model::ParseFiles(in, Options(1), &in);
  REQUIRE(parsed[0].ok());
  CHECK(in.files[0].content == BigMesh(10));

  io::InputSet from_stdin;
  from_stdin.files.push_back({"-", BigMesh(9000)});
  auto p2 = model::ParseFiles(from_stdin, Options(1), &from_stdin);
  REQUIRE(p2[0].ok());
  CHECK(from_stdin.files[0].content == BigMesh(9000));
}
