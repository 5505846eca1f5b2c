// The YAML event stream lib/yaml builds trees from, and its two sources:
// libyaml's event parser (every input) and a scanner for the plain block
// subset that Kubernetes manifests are written in (most inputs, several
// times faster). Both feed the same StreamBuilder in parser.cc, so a tree
// does not depend on which one read the text. Internal to lib/yaml and its
// tests; everything else calls ParseYamlStream.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/yaml/parser.h"

namespace meshctl::yaml::events {

enum class Kind : uint8_t {
  kStreamEnd,
  kDocumentStart,
  kDocumentEnd,
  kScalar,
  kSequenceStart,
  kSequenceEnd,
  kMappingStart,
  kMappingEnd,
  kAlias,
};

// What the tree builder reads of an event, in libyaml's terms. Marks are
// 0-based as libyaml reports them; views are valid during OnEvent only.
struct Event {
  Kind kind = Kind::kStreamEnd;
  bool plain = false;           // scalar: plain style (not quoted, not a block scalar)
  bool plain_implicit = false;  // scalar: plain and untagged (libyaml's plain_implicit)
  size_t line = 0;              // start mark
  size_t column = 0;
  size_t end_line = 0;          // kDocumentEnd: line of the end mark
  std::string_view value;       // scalar text (escapes resolved)
  std::string_view tag;         // "" when none
  std::string_view anchor;      // anchor of a node, or the name an alias refers to; "" when none
};

class Sink {
 public:
  virtual ~Sink() = default;
  // A non-ok status stops the source, which returns it.
  virtual core::Status OnEvent(const Event& e) = 0;
  // libyaml could not read the text: `problem` at the 0-based mark (for a
  // reader error, bad bytes, `offset` is where they are).
  virtual core::Status OnParseError(size_t line, size_t column, std::string problem) = 0;
};

// Every event of `content` from libyaml, ending with kStreamEnd, or the first
// parse error (through Sink::OnParseError) or sink error.
core::Status ReadWithLibyaml(std::string_view content, Sink& sink);

enum class BlockScan {
  kAccepted,   // every event was delivered, ending with kStreamEnd
  kDeclined,   // the text is outside the subset; some events may have been delivered
  kSinkError,  // the sink refused an event (its status is kept by the sink)
};

// Reads `content` when it lies in the block subset the scanner handles, and
// declines otherwise, so the caller reads it again with libyaml. Within the
// subset the events are exactly libyaml's (kinds, texts, styles, marks),
// which tests/lib/yaml/block_scanner_test.cc and the yaml_block_scanner
// fuzz target check. The subset (see block_scanner.cc): printable ASCII and
// LF only, ending in LF; `---` separators; block maps and sequences
// (indentless ones included); single-line plain, single-quoted and
// double-quoted (no escapes) scalars; `[]` and `{}`; comments. Anchors,
// aliases, tags, flow collections with content, block scalars, multi-line
// scalars, directives and `...` are declined.
BlockScan ReadBlockSubset(std::string_view content, Sink& sink);

// ParseYamlStream on several threads (parser.cc). Where a stream of the
// block subset is cut: offsets of lines that are exactly `---`, {0} for one
// piece (limits.threads and limits.chunk_bytes decide).
std::vector<size_t> ChunkStarts(std::string_view content, const ParseLimits& limits);
// The documents of `content` read piece by piece from `starts` (the first
// is 0) by the block scanner, at once; nullopt when a piece is declined.
std::optional<std::vector<Document>> ParseBlockChunks(std::string_view content, const std::string& filename,
                                                      const ParseLimits& limits, const std::vector<size_t>& starts);

}  // namespace meshctl::yaml::events
