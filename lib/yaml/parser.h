// YAML loading through libyaml's event API (about 8x faster than building a
// yaml-cpp tree on large manifests). Produces lib/yaml Node trees with
// positions, resolves scalars as go-yaml v2 / sigs.k8s.io/yaml do, and turns
// every kind of bad input into a DataError "file:line:col: message".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/yaml/node.h"

namespace meshctl::yaml {

struct Document {
  Node root;
  // Where the document starts the way istioctl counts it: the first line of
  // the document that is neither empty nor `---` (comment lines count).
  Mark start;
  uint32_t index = 0;  // 0-based position in the stream, empty documents included
};

// Lets a parse give back the pages of its text that it has read, and get them
// back before it reads the text again (a second pass). The text's owner
// implements it: the pages must be ones it can discard and restore (the text of
// a file on disk, kept in memory no one else reads while parsing).
class TextPager {
 public:
  virtual ~TextPager() = default;
  // Bytes [from, to) of the text are read and may be discarded. Called from
  // the threads that read pieces of the text, for pieces that do not overlap.
  virtual void Release(size_t from, size_t to) = 0;
  // Puts back what Release discarded, before the text is read again.
  virtual core::Status Restore() = 0;
};

struct ParseLimits {
  uint32_t max_depth = 512;                 // nested maps/sequences
  uint64_t max_alias_nodes = 1'000'000;     // nodes created by expanding aliases
  // Read the block subset with lib/yaml's own scanner (events.h) and only
  // the rest with libyaml; the trees are the same either way. Tests turn
  // it off to compare the two.
  bool block_scanner = true;
  // A stream of at least 2 x chunk_bytes in the block subset is cut at `---`
  // lines into up to `threads` pieces of at least chunk_bytes, which are
  // read at once; the documents are the same as from one pass (a piece
  // outside the subset sends the whole stream through one pass again).
  uint32_t threads = 1;
  size_t chunk_bytes = size_t{1} << 20;
  // When set, the block scanner's passes hand back the text behind each
  // document they start (the libyaml pass, whose errors callers quote with
  // the text, does not).
  TextPager* pager = nullptr;
};

// Resolves a plain (unquoted, untagged) scalar's type per YAML 1.1 as go-yaml
// v2 does: null (~, null, empty), bool (yes/no/on/off/true/false/y/n in their
// listed spellings), int (decimal, 0x, 0o, 0b, leading-0 octal), float.
NodeType ResolvePlainScalar(std::string_view text);

// Parses a whole multi-document stream. Empty documents (only comments or
// nothing between separators) are dropped. `filename` is used in messages.
core::Result<std::vector<Document>> ParseYamlStream(std::string_view content, const std::string& filename,
                                                    const ParseLimits& limits = {});

}  // namespace meshctl::yaml
