// The block scanner (lib/yaml/block_scanner.cc) against libyaml: every text
// it accepts must give libyaml's events exactly, and every text outside its
// subset must be declined (and is then read by libyaml, which words the
// errors). The yaml_block_scanner fuzz target checks the same invariant on
// generated inputs; here it runs over hand-written cases and every YAML
// file of testdata/ and ../shared.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/support/test_support.h"
#include "lib/yaml/events.h"
#include "tests/support/yaml_events.h"

namespace fs = std::filesystem;
using meshctl::testing::EventRecorder;
using meshctl::testing::FirstEventDifference;
using meshctl::testing::ScannerParity;
using meshctl::yaml::events::BlockScan;
using meshctl::yaml::events::ReadBlockSubset;
using meshctl::yaml::events::ReadWithLibyaml;

namespace {

size_t chunked_streams = 0;  // texts CheckChunked read in several pieces

// Read in pieces (at nearly every `---` line) on threads, a stream must give
// what one pass gives: the same documents, positions, indexes and errors.
void CheckChunked(const std::string& text, BlockScan scan) {
  meshctl::yaml::ParseLimits limits;
  limits.threads = 4096;
  limits.chunk_bytes = 1;
  const std::vector<size_t> starts = meshctl::yaml::events::ChunkStarts(text, limits);
  for (size_t i = 1; i < starts.size(); ++i) {
    REQUIRE(starts[i] > starts[i - 1]);
    CHECK(text.compare(starts[i] - 1, 5, "\n---\n") == 0);
  }
  if (starts.size() > 1) {
    auto pieces = meshctl::yaml::events::ParseBlockChunks(text, "in.yaml", limits, starts);
    // Accepted as a whole means accepted piece by piece (a builder's
    // refusal, such as a duplicate key, declines too).
    if (scan == BlockScan::kAccepted && !text.empty()) {
      auto whole = meshctl::yaml::ParseYamlStream(text, "in.yaml");
      // Declined only when the text before the first cut holds no document
      // and no other cut is left.
      bool head_is_comments = true;
      for (size_t at = 0; at < starts[1]; at = text.find('\n', at) + 1)
        head_is_comments = head_is_comments && (text[at] == '\n' || text[at] == '#');
      if (whole.ok() && !(head_is_comments && starts.size() == 2)) CHECK(pieces.has_value());
      if (pieces) ++chunked_streams;
    }
  }
  const std::string parity = ScannerParity(text, limits);
  INFO("in pieces: " << parity);
  CHECK(parity.empty());
}

// The scanner's verdict on `text`; when it accepts, its events must equal
// libyaml's, and in every case ParseYamlStream must not depend on it.
BlockScan CheckAgainstLibyaml(const std::string& text) {
  EventRecorder fast;
  const BlockScan scan = ReadBlockSubset(text, fast);
  REQUIRE(scan != BlockScan::kSinkError);
  if (scan == BlockScan::kAccepted) {
    EventRecorder slow;
    INFO("libyaml: " << slow.error);
    REQUIRE(ReadWithLibyaml(text, slow).ok());
    const std::string diff = FirstEventDifference(fast.lines, slow.lines);
    INFO(diff);
    CHECK(diff.empty());
  }
  const std::string parity = ScannerParity(text);
  INFO(parity);
  CHECK(parity.empty());
  CheckChunked(text, scan);
  return scan;
}

// Counts of files read by the scanner and declined by it under `dir`.
std::pair<size_t, size_t> CheckTree(const fs::path& dir) {
  size_t accepted = 0, declined = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string ext = e.path().extension().string();
    if (!e.is_regular_file() || (ext != ".yaml" && ext != ".yml")) continue;
    INFO(e.path().string());
    (CheckAgainstLibyaml(meshctl::testing::ReadFileOrDie(e.path().string())) == BlockScan::kAccepted ? accepted : declined)++;
  }
  return {accepted, declined};
}

}  // namespace

TEST_CASE("block scanner gives libyaml's events on Kubernetes-style manifests", "[yaml][block-scanner]") {
  const char* cases[] = {
      // the shapes of every manifest: nested maps, indentless and indented sequences
      ("apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  labels:\n    app: a\nspec:\n  ports:\n  - name: http\n"
       "    port: 80\n  - name: grpc\n    port: 81\n"),
      "spec:\n  hosts:\n    - a\n    - b\n  http:\n  - route:\n    - destination:\n        host: a\n      weight: 90\n",
      // empty values: at the end, before a key, before a less indented line, after a dash
      "a:\nb: 1\nc:\n  d:\ne:\n",
      "- \n- a\n-\n-   b\n",
      "a:\n- x\n-\n- y: 2\n  z:\nd: q\n",
      "- a:\n- b:\n  - c\n- d\n",
      // compact nesting on one line
      "- - a\n  - b\n- - - c\n",
      "-   name: a\n    image: b\n",
      // quoted scalars, as values and keys, with '' and trailing comments
      "a: 'it''s'\nb: \"x: y # z\"   # c\n'k 1': ''\n\"k2\"  : \"\"\nc: '#'\n",
      // plain scalars with indicators inside, trailing spaces, comments
      "a: b#c\nd: e  # f\ng: h:i\nj: -1\nk: foo[0]{1},x\nl: a  b   \nm: ~\n-n: 1\n",
      // empty flow collections
      "a: []\nb: {}\nc:\n- []\n- {}\n",
      // documents: implicit first, explicit, empty ones, comment-only ones
      "a: 1\n---\nb: 2\n---\n---\n# only a comment\n---   # c\nc: 3\n",
      "# head\n\n---\na: 1\n",
      "---\n",
      "# nothing but comments\n\n",
      // comment and blank lines at any indentation between entries
      "a:\n  # c\n    # d\n\n  b: 1\n\n# e\nc: 2\n",
      // a root scalar, a root list
      "hello world\n",
      "- a\n- b\n",
      // types the builder resolves from plain text
      "a: yes\nb: 0777\nc: 1.5e3\nd: null\ne: 'true'\nf: 0x1F\n",
      // a merge key with a block map (no alias needed)
      "a:\n  <<:\n    x: 1\n  y: 2\n",
      // duplicate keys reach the builder, which refuses them the same way
      "a: 1\na: 2\n",
      // an indented root
      "  a: 1\n  b:\n  - c\n",
  };
  for (const char* text : cases) {
    INFO("input:\n" << text);
    CHECK(CheckAgainstLibyaml(text) == BlockScan::kAccepted);
  }
}

TEST_CASE("a stream read in pieces on threads gives the documents of one pass", "[yaml][block-scanner]") {
  const size_t before = chunked_streams;
  const char* cases[] = {
      "a: 1\n---\nb: 2\n---\n---\n# only a comment\n---\nc:\n- d\n",
      "---\n---\n---\n",
      "# head\n\n---\n\n\napiVersion: v1\nkind: A\n---\napiVersion: v1\nkind: B\n",
      // a later piece outside the subset, or refused by the builder: the
      // whole stream is read again, so the error names the same place
      "a: 1\n---\nb: 2\n---\nc: &x 1\nd: *x\n",
      "a: 1\n---\nb: 2\n---\nc: 1\nc: 2\n",
      "a: 1\n---\nb: [1,\n---\nc: 1\n",
  };
  for (const char* text : cases) {
    INFO("input:\n" << text);
    CheckAgainstLibyaml(text);
  }
  CHECK(chunked_streams - before == 3);
  // The duplicate key is reported at its line in the whole stream.
  meshctl::yaml::ParseLimits limits;
  limits.threads = 8;
  limits.chunk_bytes = 1;
  auto dup = meshctl::yaml::ParseYamlStream("a: 1\n---\nb: 2\n---\nc: 1\nc: 2\n", "dup.yaml", limits);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.status().message().rfind("dup.yaml:6:1:", 0) == 0);

  // A generated stream of many documents, cut into a few large pieces the
  // way a 2-core run cuts a large manifest.
  std::string big;
  for (int i = 0; i < 3000; ++i)
    big += "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: s" + std::to_string(i) +
           "\nspec:\n  ports:\n  - name: http\n    port: " + std::to_string(i % 1000) + "\n";
  for (uint32_t threads : {2u, 3u, 7u}) {
    meshctl::yaml::ParseLimits l;
    l.threads = threads;
    l.chunk_bytes = 4096;
    CHECK(meshctl::yaml::events::ChunkStarts(big, l).size() == threads);
    const std::string parity = ScannerParity(big, l);
    INFO(parity);
    CHECK(parity.empty());
  }
}

TEST_CASE("block scanner declines what lies outside its subset", "[yaml][block-scanner]") {
  const char* cases[] = {
      "a: &x 1\nb: *x\n",           // anchors, aliases
      "a: !!str 1\n",               // tags
      "a: |\n  text\n",             // block scalars
      "a: >\n  text\n",
      "a: [1, 2]\n",                // flow collections with content
      "a: {b: 1}\n",
      "a: b\n  c\n",                // a multi-line plain scalar
      "a: 'b\n  c'\n",              // a multi-line quoted scalar
      "a: \"b\\n\"\n",              // escapes
      "a:\tb\n",                    // tabs
      "a: b\r\n",                   // CR
      "a: caf\xc3\xa9\n",           // non-ASCII
      "a: b",                       // no final line break
      ("\xef\xbb\xbf" "a: 1\n"),    // a byte order mark
      "%YAML 1.1\n---\na: 1\n",     // directives
      "a: 1\n...\n",                // document end markers
      "--- a\n",                    // content on the `---` line
      "? a\n: b\n",                 // complex keys
      "a: b: c\n",                  // errors are libyaml's to report
      "- a\nb: 1\n",
      "a:\n  - x\n  b: 1\n",
      "a: 1\n- b\n",
      "a: 1\n b: 2\n",
      "a:\n    b: 1\n  c: 2\n",
      "a: @x\n",
      "key: - x\n",
      "",                           // nothing at all: libyaml is as fast
  };
  for (const char* text : cases) {
    INFO("input:\n" << text);
    CHECK(CheckAgainstLibyaml(text) == BlockScan::kDeclined);
  }
}

TEST_CASE("block scanner refuses no simple key libyaml accepts, and no long one it refuses", "[yaml][block-scanner]") {
  // libyaml limits a simple key to 1024 characters; the scanner leaves keys
  // near that length to libyaml.
  for (size_t n : {10u, 900u, 1030u, 2000u}) {
    const std::string text = std::string(n, 'k') + ": v\n";
    INFO("key of " << n << " characters");
    const BlockScan scan = CheckAgainstLibyaml(text);
    CHECK(scan == (n < 1000 ? BlockScan::kAccepted : BlockScan::kDeclined));
  }
}

TEST_CASE("block scanner leaves nesting past its depth bound to libyaml", "[yaml][block-scanner]") {
  std::string deep;
  for (int i = 0; i < 2000; ++i) deep += "- ";
  deep += "x\n";
  EventRecorder fast;
  CHECK(ReadBlockSubset(deep, fast) == BlockScan::kDeclined);
  // and ParseYamlStream still refuses it with libyaml's position and words
  auto docs = meshctl::yaml::ParseYamlStream(deep, "deep.yaml");
  REQUIRE_FALSE(docs.ok());
  CHECK(docs.status().message().rfind("deep.yaml:1:", 0) == 0);
  CHECK(ScannerParity(deep).empty());
}

TEST_CASE("block scanner agrees with libyaml on every YAML file of testdata", "[yaml][block-scanner]") {
  const size_t chunked_before = chunked_streams;
  auto [accepted, declined] = CheckTree(fs::path(meshctl::testing::SourceDir()) / "testdata");
  INFO(accepted << " files read by the block scanner, " << declined << " by libyaml");
  CHECK(chunked_streams - chunked_before > 10);  // multi-document files were read in pieces
  // The sample mesh and most fixtures are plain block YAML: the scanner
  // must actually be taking them, or the parity above proves nothing.
  CHECK(accepted > declined);
  CHECK(CheckAgainstLibyaml(meshctl::testing::ReadFileOrDie(meshctl::testing::SourceDir() + "/testdata/bookinfo/deployments.yaml")) ==
        BlockScan::kAccepted);
}

TEST_CASE("block scanner agrees with libyaml on every YAML file of ../shared", "[yaml][block-scanner]") {
  auto shared = meshctl::testing::SharedDir();
  if (!shared) MESHCTL_SKIP("../shared is absent");
  auto [accepted, declined] = CheckTree(*shared);
  INFO(accepted << " files read by the block scanner, " << declined << " by libyaml");
  CHECK(accepted > 0);
}
