// A scanner for the block-YAML subset Kubernetes manifests are written in,
// producing exactly the events libyaml produces for the same text, at a
// fraction of libyaml's cost (libyaml spends ~250 instructions per byte:
// a token queue, a character-at-a-time reader with UTF-8 decoding, a
// malloc per token and per event). It reads a line at a time and keeps a
// stack of the open block collections with their indentation, as libyaml's
// scanner does with its indent stack.
//
// What it accepts, and what libyaml does there (checked event by event by
// tests/lib/yaml/block_scanner_test.cc and the yaml_block_scanner fuzz target):
//  - printable ASCII and LF only, the text ending in LF (so columns are
//    bytes and no mark falls past the last line);
//  - `---` at column 0, alone or followed by a comment: a document start;
//    content before the first one is an implicit document;
//  - block mappings of single-line keys (`key:` then a space or the end of
//    the line) and block sequences (`- `), nested by indentation; a
//    sequence at its key's indentation (`ports:\n- name: http`) is
//    libyaml's indentless sequence; `- key: v` and `- - x` open a
//    collection at the column of their first token;
//  - single-line scalars: plain (ended by `: `, ` #` or the line's end,
//    trailing spaces dropped), single-quoted (`''` is a quote) and
//    double-quoted without backslashes; `[]` and `{}`;
//  - comment lines and blank lines anywhere, trailing comments.
// Everything else is declined, and ParseYamlStream reads the whole text
// again with libyaml: anchors, aliases and tags (`&`, `*`, `!`), block
// scalars (`|`, `>`), flow collections with content, multi-line scalars
// (a line indented deeper than its collection where no value is pending),
// `?` keys, directives, `...`, tabs, CR, non-ASCII bytes, and every error
// (libyaml words those messages). A line that fits none of the cases above
// is declined, never guessed.
#include <cstring>
#include <string>
#include <vector>

#include "lib/yaml/events.h"

namespace meshctl::yaml::events {
namespace {

// Printable ASCII and LF only. Written as one OR-reduction over the bytes
// so the compiler vectorises it: the whole text is checked before the
// first event.
bool PrintableAsciiOrLf(std::string_view s) {
  unsigned bad = 0;
  for (unsigned char c : s)
    bad |= static_cast<unsigned>((c < 0x20) & (c != '\n')) | static_cast<unsigned>(c > 0x7e);
  return bad == 0;
}

bool Blank(char c) { return c == ' ' || c == '\n'; }

// Characters that cannot start a plain scalar in block context, or that
// start something the subset does not read. `-` is handled by the caller
// (a plain scalar may start with `-` when a non-blank follows).
bool DeclinedStart(char c) {
  switch (c) {
    case '?': case ':': case ',': case '[': case ']': case '{': case '}': case '#':
    case '&': case '*': case '!': case '|': case '>': case '%': case '@': case '`':
    case '\'': case '"': case '-':
      return true;
    default:
      return false;
  }
}

// One token at the start of a node: a key (the text before `: `), a lone
// scalar, or an empty flow collection.
struct Item {
  enum Type { kKey, kScalar, kEmptySeq, kEmptyMap } type = kScalar;
  std::string_view text;
  bool plain = true;
  size_t after = 0;  // kKey: the byte after the `:`
};

constexpr size_t kMaxDepth = 1024;

class Scanner {
 public:
  Scanner(std::string_view s, Sink& sink) : s_(s), sink_(sink) {}

  BlockScan Run();

 private:
  struct Open {
    bool is_map;
    bool indentless;  // a sequence at its parent key's indentation
    size_t indent;    // column of the keys or dashes
  };
  enum class Pending : uint8_t { kNone, kValueOfKey, kItemOfDash };

  size_t Column(size_t p) const { return p - line_start_; }
  bool DashAt(size_t p) const { return s_[p] == '-' && Blank(s_[p + 1]); }

  bool Decline() {
    declined_ = true;
    return false;
  }
  bool Emit(Kind kind, size_t line, size_t column) {
    Event e;
    e.kind = kind;
    e.line = line;
    e.column = column;
    return Deliver(e);
  }
  bool EmitScalar(std::string_view text, bool plain, size_t line, size_t column) {
    Event e;
    e.kind = Kind::kScalar;
    e.value = text;
    e.plain = plain;
    e.plain_implicit = plain;
    e.line = line;
    e.column = column;
    return Deliver(e);
  }
  bool Deliver(const Event& e) {
    if (sink_.OnEvent(e).ok()) return true;
    sink_failed_ = true;
    return false;
  }

  bool ContentLine(size_t p);
  bool Node(size_t p);
  bool MapEntry(size_t p);
  bool SeqEntry(size_t p);
  bool AfterKey(const Item& key);
  bool EmitValue(const Item& item, size_t p);
  bool ScanItem(size_t p, Item& item);
  bool LineEndsAt(size_t q, size_t token_end) const;
  bool ResolvePending();
  bool CloseAll();
  bool EndDocument(size_t end_line);

  std::string_view s_;
  Sink& sink_;
  size_t line_ = 0;        // 0-based line being read
  size_t line_start_ = 0;  // its first byte
  std::vector<Open> stack_;
  Pending pending_ = Pending::kNone;
  size_t pending_indent_ = 0;  // the key's map indentation, or the dash's column
  size_t pending_line_ = 0;    // where libyaml puts the empty scalar if nothing follows:
  size_t pending_column_ = 0;  // just after the `:` or the `-`
  bool in_document_ = false;
  bool has_root_ = false;  // the document's root node has started
  bool declined_ = false;
  bool sink_failed_ = false;
  std::string unquoted_;  // a single-quoted scalar with `''` in it
};

// True when only spaces and an optional comment follow position q on the
// line; `token_end` is where the token before them ended (a comment needs a
// space before its `#`).
bool Scanner::LineEndsAt(size_t q, size_t token_end) const {
  while (s_[q] == ' ') ++q;
  return s_[q] == '\n' || (s_[q] == '#' && q > token_end);
}

bool Scanner::ScanItem(size_t p, Item& item) {
  const char c = s_[p];
  if (c == '\'' || c == '"') {
    size_t q = p + 1;
    bool doubled = false;
    for (;; ++q) {
      const char d = s_[q];
      if (d == '\n' || (c == '"' && d == '\\')) return Decline();  // multi-line, or escapes
      if (d != c) continue;
      if (c == '\'' && s_[q + 1] == '\'') {
        doubled = true;
        ++q;
        continue;
      }
      break;
    }
    std::string_view body = s_.substr(p + 1, q - p - 1);
    if (doubled) {
      unquoted_.clear();
      for (size_t i = 0; i < body.size(); ++i) {
        unquoted_ += body[i];
        if (body[i] == '\'') ++i;  // the second quote of ''
      }
      body = unquoted_;
    }
    item.text = body;
    item.plain = false;
    const size_t end = q + 1;
    size_t r = end;
    while (s_[r] == ' ') ++r;
    if (s_[r] == ':' && Blank(s_[r + 1])) {
      if (r + 1 - p > 1000) return Decline();  // libyaml's 1024-character simple keys
      item.type = Item::kKey;
      item.after = r + 1;
      return true;
    }
    item.type = Item::kScalar;
    return LineEndsAt(end, end) || Decline();
  }
  if (c == '[' || c == '{') {
    if (s_[p + 1] != (c == '[' ? ']' : '}') || !LineEndsAt(p + 2, p + 2)) return Decline();
    item.type = c == '[' ? Item::kEmptySeq : Item::kEmptyMap;
    return true;
  }
  if (DeclinedStart(c) && !(c == '-' && !Blank(s_[p + 1]))) return Decline();
  // A plain scalar: up to `: `, ` #` or the end of the line.
  size_t q = p;
  for (;; ++q) {
    const char d = s_[q];
    if (d == '\n' || (d == ':' && Blank(s_[q + 1])) || (d == '#' && s_[q - 1] == ' ')) break;
  }
  size_t end = q;
  while (s_[end - 1] == ' ') --end;
  item.text = s_.substr(p, end - p);
  item.plain = true;
  if (s_[q] == ':') {
    if (q + 1 - p > 1000) return Decline();
    item.type = Item::kKey;
    item.after = q + 1;
    return true;
  }
  item.type = Item::kScalar;
  return true;
}

// The empty scalar libyaml gives a `key:` or `-` with nothing after it.
bool Scanner::ResolvePending() {
  if (pending_ == Pending::kNone) return true;
  pending_ = Pending::kNone;
  return EmitScalar({}, true, pending_line_, pending_column_);
}

bool Scanner::CloseAll() {
  if (!ResolvePending()) return false;
  while (!stack_.empty()) {
    const bool is_map = stack_.back().is_map;
    stack_.pop_back();
    if (!Emit(is_map ? Kind::kMappingEnd : Kind::kSequenceEnd, line_, 0)) return false;
  }
  return true;
}

bool Scanner::EndDocument(size_t end_line) {
  if (!CloseAll()) return false;
  // An explicit document with nothing in it has an empty scalar root.
  if (!has_root_ && !EmitScalar({}, true, end_line, 0)) return false;
  Event e;
  e.kind = Kind::kDocumentEnd;
  e.line = end_line;
  e.end_line = end_line;
  in_document_ = false;
  return Deliver(e);
}

// A node that starts at p: a block sequence (`- `), a block mapping (a key)
// or a scalar alone.
bool Scanner::Node(size_t p) {
  // `- - - ...` nests on one line through Node/SeqEntry: bound the
  // recursion (the builder refuses 512 levels anyway; libyaml words it).
  if (stack_.size() >= kMaxDepth) return Decline();
  if (stack_.empty()) has_root_ = true;
  if (DashAt(p)) {
    stack_.push_back({false, false, Column(p)});
    return Emit(Kind::kSequenceStart, line_, Column(p)) && SeqEntry(p);
  }
  Item item;
  if (!ScanItem(p, item)) return false;
  if (item.type != Item::kKey) return EmitValue(item, p);
  stack_.push_back({true, false, Column(p)});
  return Emit(Kind::kMappingStart, line_, Column(p)) && EmitScalar(item.text, item.plain, line_, Column(p)) &&
         AfterKey(item);
}

// A scalar or an empty flow collection that starts at p.
bool Scanner::EmitValue(const Item& item, size_t p) {
  switch (item.type) {
    case Item::kKey:
      return Decline();
    case Item::kScalar:
      return EmitScalar(item.text, item.plain, line_, Column(p));
    case Item::kEmptySeq:
      return Emit(Kind::kSequenceStart, line_, Column(p)) && Emit(Kind::kSequenceEnd, line_, Column(p) + 1);
    case Item::kEmptyMap:
      return Emit(Kind::kMappingStart, line_, Column(p)) && Emit(Kind::kMappingEnd, line_, Column(p) + 1);
  }
  return Decline();
}

// What follows `key:` on its line: nothing (the value is on the next lines,
// or empty) or one scalar.
bool Scanner::AfterKey(const Item& key) {
  size_t v = key.after;
  while (s_[v] == ' ') ++v;
  if (s_[v] == '\n' || s_[v] == '#') {
    pending_ = Pending::kValueOfKey;
    pending_indent_ = stack_.back().indent;
    pending_line_ = line_;
    pending_column_ = Column(key.after);
    return true;
  }
  Item value;
  // A key here is `a: b: c`, which libyaml refuses: EmitValue declines it.
  return ScanItem(v, value) && EmitValue(value, v);
}

bool Scanner::MapEntry(size_t p) {
  Item key;
  if (!ScanItem(p, key)) return false;
  if (key.type != Item::kKey) return Decline();
  return EmitScalar(key.text, key.plain, line_, Column(p)) && AfterKey(key);
}

// `-` at p, then nothing (the item is on the next lines, or empty) or a node
// on the same line.
bool Scanner::SeqEntry(size_t p) {
  if (!DashAt(p)) return Decline();
  size_t q = p + 1;
  while (s_[q] == ' ') ++q;
  if (s_[q] == '\n' || s_[q] == '#') {
    pending_ = Pending::kItemOfDash;
    pending_indent_ = Column(p);
    pending_line_ = line_;
    pending_column_ = Column(p) + 1;
    return true;
  }
  return Node(q);
}

// A line with content at p (after its indentation).
bool Scanner::ContentLine(size_t p) {
  const size_t indent = Column(p);
  if (pending_ != Pending::kNone) {
    const Pending was = pending_;
    if (indent > pending_indent_) {
      pending_ = Pending::kNone;
      return Node(p);
    }
    if (was == Pending::kValueOfKey && indent == pending_indent_ && DashAt(p)) {
      pending_ = Pending::kNone;
      stack_.push_back({false, true, indent});
      return Emit(Kind::kSequenceStart, line_, indent) && SeqEntry(p);
    }
    if (!ResolvePending()) return false;
  }
  while (!stack_.empty()) {
    const Open& top = stack_.back();
    if (top.indent <= indent && !(top.indentless && top.indent == indent && !DashAt(p))) break;
    const bool is_map = top.is_map;
    stack_.pop_back();
    if (!Emit(is_map ? Kind::kMappingEnd : Kind::kSequenceEnd, line_, indent)) return false;
  }
  if (stack_.empty()) {
    if (has_root_) return Decline();  // a second root, or a scalar continued
    return Node(p);
  }
  const Open& top = stack_.back();
  if (top.indent != indent) return Decline();  // deeper than its collection: a continuation
  return top.is_map ? MapEntry(p) : SeqEntry(p);
}

BlockScan Scanner::Run() {
  if (s_.empty() || s_.back() != '\n' || !PrintableAsciiOrLf(s_)) return BlockScan::kDeclined;
  const size_t size = s_.size();
  bool ok = true;
  for (size_t pos = 0; ok && pos < size; ++line_) {
    line_start_ = pos;
    const char* nl = static_cast<const char*>(std::memchr(s_.data() + pos, '\n', size - pos));
    const size_t eol = static_cast<size_t>(nl - s_.data());
    size_t p = pos;
    while (s_[p] == ' ') ++p;
    pos = eol + 1;
    if (p == eol || s_[p] == '#') continue;  // blank or comment line
    if (p == line_start_ && eol - p >= 3 && (s_.compare(p, 3, "---") == 0 || s_.compare(p, 3, "...") == 0)) {
      if (s_[p] == '.' || !Blank(s_[p + 3]) || !LineEndsAt(p + 3, p + 3)) {
        ok = Decline();  // `...`, `--- text`, `----`
        break;
      }
      if (in_document_) ok = EndDocument(line_);
      if (!ok) break;
      Event e;
      e.kind = Kind::kDocumentStart;
      e.line = line_;
      ok = Deliver(e);
      in_document_ = true;
      has_root_ = false;
      continue;
    }
    if (p == line_start_ && s_[p] == '%') {
      ok = Decline();  // a directive
      break;
    }
    if (!in_document_) {
      Event e;
      e.kind = Kind::kDocumentStart;
      e.line = line_;
      ok = Deliver(e);
      if (!ok) break;
      in_document_ = true;
      has_root_ = false;
    }
    ok = ContentLine(p);
  }
  if (ok && in_document_) ok = EndDocument(line_);
  if (ok) ok = Emit(Kind::kStreamEnd, line_, 0);
  if (ok) return BlockScan::kAccepted;
  return sink_failed_ ? BlockScan::kSinkError : BlockScan::kDeclined;
}

}  // namespace

BlockScan ReadBlockSubset(std::string_view content, Sink& sink) { return Scanner(content, sink).Run(); }

}  // namespace meshctl::yaml::events
