// Differential target for the block scanner (lib/yaml/block_scanner.cc):
// whenever it accepts an input, libyaml must accept it too and deliver the
// same events (kinds, texts, styles, tags, anchors, marks), and the trees
// ParseYamlStream builds with and without the scanner must be equal with
// their positions, or fail with the same message. This is what allows the
// scanner to replace libyaml on the inputs it reads. The same holds when
// the stream is read in pieces cut at `---` lines on threads (every
// separator a cut, so short inputs exercise it).
#include "tests/fuzz/fuzz_target.h"
#include "tests/support/yaml_events.h"

using namespace meshctl;

MESHCTL_FUZZ_TARGET(yaml_block_scanner) {
  testing::EventRecorder fast;
  const auto scan = yaml::events::ReadBlockSubset(data, fast);
  MESHCTL_FUZZ_CHECK(scan != yaml::events::BlockScan::kSinkError, "the recorder refuses nothing");
  if (scan == yaml::events::BlockScan::kAccepted) {
    testing::EventRecorder slow;
    const auto st = yaml::events::ReadWithLibyaml(data, slow);
    MESHCTL_FUZZ_CHECK(st.ok(), "libyaml refuses what the block scanner accepted: " + slow.error);
    const std::string diff = testing::FirstEventDifference(fast.lines, slow.lines);
    MESHCTL_FUZZ_CHECK(diff.empty(), diff);
  }
  yaml::ParseLimits limits;
  limits.max_alias_nodes = 20'000;  // keeps each run short
  const std::string parity = testing::ScannerParity(data, limits);
  MESHCTL_FUZZ_CHECK(parity.empty(), parity);
  limits.threads = 64;
  limits.chunk_bytes = 1;
  const std::string pieces = testing::ScannerParity(data, limits);
  MESHCTL_FUZZ_CHECK(pieces.empty(), "read in pieces: " + pieces);
}
