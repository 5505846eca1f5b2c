#include "lib/yaml/parser.h"

#include <yaml.h>

#include <cstdlib>

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "lib/core/parallel.h"
#include "lib/yaml/events.h"

namespace meshctl::yaml {

using core::Result;

namespace {

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> set) {
  for (auto v : set)
    if (s == v) return true;
  return false;
}

bool LooksLikeYamlFloat(std::string_view s) {
  // ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ (go-yaml v2 yamlStyleFloat)
  size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  size_t digits = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (!digits) return false;
  } else {
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i, ++digits;
    if (!digits) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i;
    }
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    size_t exp = 0;
    while (i < s.size() && isdigit(static_cast<unsigned char>(s[i]))) ++i, ++exp;
    if (!exp) return false;
  }
  return i == s.size();
}

// `s` without underscores, copied into `buf` only when it has some.
std::string_view WithoutUnderscores(std::string_view s, std::string& buf) {
  if (s.find('_') == std::string_view::npos) return s;
  buf.clear();
  for (char c : s)
    if (c != '_') buf += c;
  return buf;
}

bool LooksLikeYamlInt(std::string_view s) {
  std::string clean;
  std::string_view v = WithoutUnderscores(s, clean);
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) v.remove_prefix(1);
  if (v.empty()) return false;
  auto all = [&](std::string_view d, auto pred) {
    if (d.empty()) return false;
    for (char c : d)
      if (!pred(static_cast<unsigned char>(c))) return false;
    return true;
  };
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X')) return all(v.substr(2), ::isxdigit);
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'o' || v[1] == 'O'))
    return all(v.substr(2), [](unsigned char c) { return c >= '0' && c <= '7'; });
  if (v.size() > 2 && v[0] == '0' && (v[1] == 'b' || v[1] == 'B'))
    return all(v.substr(2), [](unsigned char c) { return c == '0' || c == '1'; });
  if (v.size() > 1 && v[0] == '0') return all(v.substr(1), [](unsigned char c) { return c >= '0' && c <= '7'; });
  return all(v, ::isdigit);
}

}  // namespace

NodeType ResolvePlainScalar(std::string_view s) {
  if (s.empty()) return NodeType::kNull;
  char c = s[0];
  // Fast path: most scalars in manifests are words that start with a letter
  // none of the special spellings start with.
  switch (c) {
    case '~':
      return s.size() == 1 ? NodeType::kNull : NodeType::kString;
    case 'n': case 'N':
      if (IsOneOf(s, {"null", "Null", "NULL"})) return NodeType::kNull;
      if (IsOneOf(s, {"n", "N", "no", "No", "NO"})) return NodeType::kBool;
      return NodeType::kString;
    case 'y': case 'Y':
      return IsOneOf(s, {"y", "Y", "yes", "Yes", "YES"}) ? NodeType::kBool : NodeType::kString;
    case 't': case 'T':
      return IsOneOf(s, {"true", "True", "TRUE"}) ? NodeType::kBool : NodeType::kString;
    case 'f': case 'F':
      return IsOneOf(s, {"false", "False", "FALSE"}) ? NodeType::kBool : NodeType::kString;
    case 'o': case 'O':
      return IsOneOf(s, {"on", "On", "ON", "off", "Off", "OFF"}) ? NodeType::kBool : NodeType::kString;
    case '.':
      if (IsOneOf(s, {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"})) return NodeType::kFloat;
      break;
    case '+': case '-':
      if (IsOneOf(s.substr(1), {".inf", ".Inf", ".INF"})) return NodeType::kFloat;
      break;
    default:
      if (!(c >= '0' && c <= '9')) return NodeType::kString;
  }
  if (LooksLikeYamlInt(s)) return NodeType::kInt;
  std::string clean;
  if (LooksLikeYamlFloat(WithoutUnderscores(s, clean))) return NodeType::kFloat;
  return NodeType::kString;
}

namespace {

constexpr std::string_view kBoolTrue[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};

bool BoolValue(std::string_view s) {
  for (auto t : kBoolTrue)
    if (s == t) return true;
  return false;
}

uint64_t CountNodes(const Node& n) {
  uint64_t total = 1;
  for (const auto& c : n.children()) total += CountNodes(c);
  return total;
}

// One open collection while the event stream is consumed. Its children
// are collected on a scratch stack shared by all frames and moved into an
// exactly sized vector when the collection ends: one allocation per
// collection and no growth slack in the finished tree.
struct Frame {
  bool is_map = false;
  Mark mark;
  std::string anchor;
  uint64_t anchor_serial = 0;  // this frame's entry in StreamBuilder::open_anchors_
  size_t begin = 0;  // first child in StreamBuilder::scratch_
  std::unique_ptr<std::unordered_set<std::string>> seen;  // keys, once the map is large
  std::vector<Node> merges;  // values of `<<` keys, applied at the end
  bool merge_key = false;    // the key just read is a merge key
};

// How much text a builder reads between two hand-backs to ParseLimits::pager.
constexpr size_t kReleaseStep = size_t{256} << 10;

// Before the text is read again: what the pager handed back, put back.
core::Status RestoreText(const ParseLimits& limits) {
  return limits.pager != nullptr ? limits.pager->Restore() : core::Status::Ok();
}

// Builds the documents of a stream from its events (events.h), whichever
// source produced them.
class StreamBuilder final : public events::Sink {
 public:
  StreamBuilder(std::string_view content, const std::string& filename, const ParseLimits& limits)
      : content_(content), filename_(filename), limits_(limits) {}

  core::Status OnEvent(const events::Event& ev) override;
  core::Status OnParseError(size_t line, size_t column, std::string problem) override {
    return Error(Mark{static_cast<uint32_t>(line_base_ + line + 1), static_cast<uint32_t>(column + 1)}, problem);
  }
  // The documents, once kStreamEnd has been seen.
  std::vector<Document> TakeDocuments() { return std::move(docs_); }
  // Documents seen so far, empty ones included.
  uint32_t documents_seen() const { return doc_index_; }
  // For a piece of content_ read on its own: events then come with lines
  // counted from `offset` (the start of the 0-based line `line`), and the
  // stream is known to have `last_line` line breaks, all LF (the block
  // scanner accepts nothing else).
  void BeginAt(size_t offset, size_t line, size_t last_line) {
    cursor_pos_ = offset;
    released_to_ = offset;
    cursor_line_ = line;
    region_start_line_ = line;
    line_base_ = line;
    last_line_ = last_line;
  }

 private:
  // libyaml ends a stream whose last line has no line break on a forced
  // line break: its end mark is column 0 of a line past the last one. Nodes
  // made at the end (a missing value after a trailing `?` or `key:`) get
  // that mark; point them at the end of the last line instead.
  Mark At(size_t line, size_t column) const {
    if (column != 0 || line == 0 || line <= LastLine())
      return Mark{static_cast<uint32_t>(line + 1), static_cast<uint32_t>(column + 1)};
    size_t b = content_.find_last_of("\r\n");
    size_t from = b == std::string_view::npos ? 0 : b + 1;
    uint32_t chars = 0;  // characters, as libyaml counts columns
    for (size_t i = from; i < content_.size(); ++i) chars += (static_cast<unsigned char>(content_[i]) & 0xC0) != 0x80;
    return Mark{static_cast<uint32_t>(line), chars + 1};
  }
  Mark At(const events::Event& ev) const { return At(line_base_ + ev.line, ev.column); }
  // 0-based number of the last line, counting breaks as libyaml does
  // (LF, CR, CRLF, NEL, LS, PS); computed on first use.
  // A block mapping at column 0 asks for it, so every stream pays this scan
  // once: count LFs with the vectorised std::count, and look at bytes one by
  // one only when the text holds a CR or the lead byte of NEL/LS/PS (a
  // byte-wise compare() loop here was 16% of `analyze`'s instructions).
  size_t LastLine() const {
    if (last_line_ != SIZE_MAX) return last_line_;
    const char* b = content_.data();
    const size_t size = content_.size();
    size_t n = static_cast<size_t>(std::count(b, b + size, '\n'));
    if (std::memchr(b, '\r', size) != nullptr || std::memchr(b, '\xC2', size) != nullptr ||
        std::memchr(b, '\xE2', size) != nullptr) {
      n = 0;
      for (size_t i = 0; i < size; ++i) {
        const unsigned char c = static_cast<unsigned char>(b[i]);
        if (c == '\n' || (c == '\r' && (i + 1 == size || b[i + 1] != '\n')) ||
            (c == 0xC2 && i + 1 < size && b[i + 1] == '\x85') ||
            (c == 0xE2 && i + 2 < size && b[i + 1] == '\x80' && (b[i + 2] == '\xA8' || b[i + 2] == '\xA9')))
          ++n;
      }
    }
    last_line_ = n;
    return n;
  }
  core::Status Error(Mark m, std::string_view msg) const {
    return core::DataError(fmt::format("{}:{}:{}: {}", filename_, m.line, m.column, msg));
  }
  // merge_key: the value is a scalar `<<` that is a merge key if it is a key:
  // plain and untagged (or tagged `!` or `!!merge`), as go-yaml v2 decides.
  // A quoted "<<" is an ordinary key.
  core::Status AddValue(Node value, std::string_view anchor, bool merge_key = false);
  core::Status OnScalar(const events::Event& ev);
  core::Status OnCollectionStart(const events::Event& ev);
  core::Status OnAlias(const events::Event& ev);
  core::Result<Node> CloseCollection(Frame& f);
  Mark IstioStartLine(size_t from_line);

  std::string_view content_;
  mutable size_t last_line_ = SIZE_MAX;
  const std::string& filename_;
  ParseLimits limits_;
  std::vector<Frame> stack_;
  std::vector<Node> scratch_;
  NodeArena arena_;  // the children blocks of what this builder closes
  std::unordered_map<std::string, Node> anchors_;
  // Anchors of collections still open, by the serial of their frame. An
  // anchor is defined where it is written, before the collection's content
  // (YAML's serialization order; go-yaml v2 and yaml-cpp alike): an alias
  // inside the collection refers to the collection itself (a recursion,
  // refused), and the same name anchored again inside it is the one later
  // aliases see. Registering the collection when it closed made
  // `- &x [&x "s"]\n- *x` the list instead of "s", found by the
  // yaml_differential fuzz target.
  std::unordered_map<std::string, uint64_t> open_anchors_;
  uint64_t anchor_serial_ = 0;
  uint64_t alias_nodes_ = 0;
  std::optional<Node> root_;
  size_t cursor_pos_ = 0;   // IstioStartLine's scan position
  size_t released_to_ = 0;  // the text before it went to limits_.pager
  size_t cursor_line_ = 0;  // and its 0-based line
  // The first line with content at or after a line the cursor has been at:
  // a run of empty documents (`---` lines) is scanned once, not once per
  // document (that made 40k `---` lines quadratic).
  bool next_known_ = false;
  size_t next_line_ = 0;
  std::vector<Document> docs_;
  uint32_t doc_index_ = 0;
  size_t region_start_line_ = 0;  // 0-based line where the current document's text begins
  size_t line_base_ = 0;          // BeginAt's line: added to every event's lines
  Mark doc_start_;
};

core::Status StreamBuilder::AddValue(Node value, std::string_view anchor, bool merge_key) {
  if (!anchor.empty()) {
    std::string name(anchor);
    open_anchors_.erase(name);
    anchors_[std::move(name)] = value;
  }
  if (stack_.empty()) {
    root_ = std::move(value);
    return core::Status::Ok();
  }
  Frame& top = stack_.back();
  size_t held = scratch_.size() - top.begin;
  if (!top.is_map) {
    scratch_.push_back(std::move(value));
    return core::Status::Ok();
  }
  if (held % 2 == 0) {  // a key
    if (!value.IsScalar()) return Error(value.mark(), "mapping keys must be scalars");
    top.merge_key = merge_key;
    // Keys are text: `8080:` and `true:` become "8080" and "true" as in sigs.k8s.io/yaml.
    scratch_.push_back(std::move(value));
    return core::Status::Ok();
  }
  const Node& key = scratch_.back();
  const std::string& k = key.text();
  if (top.merge_key && (value.IsMap() || value.IsSeq())) {
    top.merges.push_back(std::move(value));
    scratch_.pop_back();
    return core::Status::Ok();
  }
  // Duplicate keys are an error, as in sigs.k8s.io/yaml's strict mode.
  bool dup = false;
  if (top.seen) {
    dup = !top.seen->insert(k).second;
  } else {
    for (size_t i = top.begin; i + 1 < scratch_.size(); i += 2) {
      if (scratch_[i].text() == k) {
        dup = true;
        break;
      }
    }
    if (!dup && held >= 31) {
      top.seen = std::make_unique<std::unordered_set<std::string>>();
      for (size_t i = top.begin; i < scratch_.size(); i += 2) top.seen->insert(scratch_[i].text());
    }
  }
  if (dup) return Error(key.mark(), fmt::format("key \"{}\" already set in map", k));
  scratch_.push_back(std::move(value));
  return core::Status::Ok();
}

core::Result<Node> StreamBuilder::CloseCollection(Frame& f) {
  Node n = f.is_map ? Node::Map(f.mark) : Node::Seq(f.mark);
  auto& children = n.mutable_children();
  children.reserve(scratch_.size() - f.begin, arena_);
  for (size_t i = f.begin; i < scratch_.size(); ++i) children.push_back(std::move(scratch_[i]));
  scratch_.resize(f.begin);
  // `<<: *base` merge keys: entries of the merged maps that the map does not
  // set itself, appended in order.
  // The sources point into `f.merges`, which outlives this loop; an earlier
  // version iterated a temporary copy of a sequence's items and kept
  // pointers into it past its end (a use-after-free on `<<: [{a: 1}]`).
  for (const Node& m : f.merges) {
    std::vector<const Node*> sources;
    if (m.IsMap()) {
      sources.push_back(&m);
    } else {
      for (const Node& item : m.children()) {
        if (!item.IsMap()) return Error(item.mark(), "map merge requires map or sequence of maps as the value");
        sources.push_back(&item);
      }
    }
    for (const Node* src : sources)
      for (size_t i = 0; i < src->size(); ++i)
        if (!n.Get(src->KeyAt(i).text())) n.Append(src->KeyAt(i), src->ValueAt(i));
  }
  return n;
}

Mark StreamBuilder::IstioStartLine(size_t from_line) {
  // from_line is 0-based and never decreases between calls: a cursor moves
  // forward through the text, so the whole stream is scanned once.
  while (cursor_line_ < from_line && cursor_pos_ < content_.size()) {
    size_t nl = content_.find('\n', cursor_pos_);
    if (nl == std::string_view::npos) return Mark{static_cast<uint32_t>(from_line + 1), 1};
    cursor_pos_ = nl + 1;
    ++cursor_line_;
  }
  if (next_known_ && cursor_line_ <= next_line_) return Mark{static_cast<uint32_t>(next_line_ + 1), 1};
  size_t pos = cursor_pos_, line = cursor_line_;
  while (pos < content_.size()) {
    size_t nl = content_.find('\n', pos);
    std::string_view l = content_.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (!l.empty() && l != "---") break;
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
    ++line;
  }
  next_known_ = true;
  next_line_ = line;
  return Mark{static_cast<uint32_t>(line + 1), 1};
}

core::Status StreamBuilder::OnScalar(const events::Event& ev) {
  std::string text(ev.value);
  NodeType type = NodeType::kString;
  const std::string_view tag = ev.tag;
  if (!tag.empty() && tag != "!") {
    if (tag == "tag:yaml.org,2002:str") type = NodeType::kString;
    else if (tag == "tag:yaml.org,2002:int") type = NodeType::kInt;
    else if (tag == "tag:yaml.org,2002:float") type = NodeType::kFloat;
    else if (tag == "tag:yaml.org,2002:bool") type = NodeType::kBool;
    else if (tag == "tag:yaml.org,2002:null") type = NodeType::kNull;
    else type = ev.plain_implicit ? ResolvePlainScalar(text) : NodeType::kString;
    // go-yaml v2 refuses a core tag its text does not resolve to
    // (`!!int abc`); keeping it would make a node no writer can print
    // back (an "int" whose text is abc). An int is a valid !!float.
    if (type != NodeType::kString) {
      NodeType resolved = ResolvePlainScalar(text);
      if (resolved != type && !(type == NodeType::kFloat && resolved == NodeType::kInt))
        return Error(At(ev), fmt::format("cannot decode !!{} `{}` as a !!{}",
                                         resolved == NodeType::kString ? "str" : NodeTypeName(resolved),
                                         text.size() > 40 ? text.substr(0, 40) + "..." : text, NodeTypeName(type)));
    }
  } else if (tag.empty() && ev.plain) {
    // The non-specific tag `!` makes even a plain scalar a string
    // (`a: !` is "", `b: ! 10` is "10"), as in go-yaml v2.
    type = ResolvePlainScalar(text);
  }
  if (type == NodeType::kBool) text = BoolValue(text) ? "true" : "false";
  const bool merge_key = text == "<<" && (ev.plain_implicit || tag == "tag:yaml.org,2002:merge");
  return AddValue(Node::Scalar(type, std::move(text), At(ev)), ev.anchor, merge_key);
}

core::Status StreamBuilder::OnCollectionStart(const events::Event& ev) {
  if (stack_.size() >= limits_.max_depth)
    return Error(At(ev), fmt::format("nesting deeper than {} levels", limits_.max_depth));
  Frame f;
  f.is_map = ev.kind == events::Kind::kMappingStart;
  if (!ev.anchor.empty()) {
    f.anchor = std::string(ev.anchor);
    f.anchor_serial = ++anchor_serial_;
    anchors_.erase(f.anchor);
    open_anchors_[f.anchor] = f.anchor_serial;
  }
  f.mark = At(ev);
  f.begin = scratch_.size();
  stack_.push_back(std::move(f));
  return core::Status::Ok();
}

core::Status StreamBuilder::OnAlias(const events::Event& ev) {
  std::string name(ev.anchor);
  if (open_anchors_.count(name) != 0) return Error(At(ev), fmt::format("anchor '{}' value contains itself", name));
  auto it = anchors_.find(name);
  if (it == anchors_.end()) return Error(At(ev), fmt::format("unknown anchor '{}' referenced", name));
  alias_nodes_ += CountNodes(it->second);
  if (alias_nodes_ > limits_.max_alias_nodes)
    return Error(At(ev),
                 fmt::format("alias expansion exceeds {} nodes (is this an alias bomb?)", limits_.max_alias_nodes));
  Node copy = it->second;
  copy.set_mark(At(ev));
  return AddValue(std::move(copy), "");
}

core::Status StreamBuilder::OnEvent(const events::Event& ev) {
  switch (ev.kind) {
    case events::Kind::kStreamEnd:
      return core::Status::Ok();
    case events::Kind::kDocumentStart:
      stack_.clear();
      scratch_.clear();
      anchors_.clear();
      open_anchors_.clear();
      alias_nodes_ = 0;
      root_.reset();
      doc_start_ = IstioStartLine(region_start_line_);
      // The documents before this one are built: nothing reads their text again.
      if (limits_.pager != nullptr && cursor_pos_ - released_to_ >= kReleaseStep) {
        limits_.pager->Release(released_to_, cursor_pos_);
        released_to_ = cursor_pos_;
      }
      return core::Status::Ok();
    case events::Kind::kDocumentEnd: {
      region_start_line_ = line_base_ + ev.end_line;
      uint32_t idx = doc_index_++;
      if (root_ && !root_->IsNull()) {
        Document d;
        d.root = std::move(*root_);
        d.start = doc_start_;
        d.index = idx;
        docs_.push_back(std::move(d));
      }
      root_.reset();
      return core::Status::Ok();
    }
    case events::Kind::kScalar:
      return OnScalar(ev);
    case events::Kind::kSequenceStart:
    case events::Kind::kMappingStart:
      return OnCollectionStart(ev);
    case events::Kind::kSequenceEnd:
    case events::Kind::kMappingEnd: {
      Frame f = std::move(stack_.back());
      stack_.pop_back();
      auto closed = CloseCollection(f);
      if (!closed.ok()) return closed.status();
      // Register the anchor unless the same name was anchored again inside.
      if (!f.anchor.empty()) {
        auto open = open_anchors_.find(f.anchor);
        if (open == open_anchors_.end() || open->second != f.anchor_serial) f.anchor.clear();
      }
      return AddValue(std::move(closed).value(), f.anchor);
    }
    case events::Kind::kAlias:
      return OnAlias(ev);
  }
  return core::Internal("yaml: unknown event");
}

// MESHCTL_YAML_SCANNER=libyaml reads every stream with libyaml, for
// benchmarks that compare the two sources and for bisecting a difference.
bool BlockScannerEnabled() {
  static const bool enabled = [] {
    const char* v = std::getenv("MESHCTL_YAML_SCANNER");
    return v == nullptr || std::string_view(v) != "libyaml";
  }();
  return enabled;
}

std::string_view View(const yaml_char_t* p) { return p ? reinterpret_cast<const char*>(p) : std::string_view(); }

}  // namespace

namespace events {

core::Status ReadWithLibyaml(std::string_view content, Sink& sink) {
  yaml_parser_t parser;
  if (!yaml_parser_initialize(&parser)) return core::Internal("libyaml: cannot initialize parser");
  std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
  yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(content.data()), content.size());
  while (true) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&parser, &ev)) {
      std::string msg = parser.problem ? parser.problem : "invalid YAML";
      if (parser.context) msg = std::string(parser.context) + ": " + msg;
      if (parser.error == YAML_READER_ERROR) {
        // Reader errors (bad UTF-8, control bytes) have an offset, not a line.
        msg = fmt::format("{} (byte offset {})", parser.problem ? parser.problem : "invalid input",
                          parser.problem_offset);
      }
      return sink.OnParseError(parser.problem_mark.line, parser.problem_mark.column, std::move(msg));
    }
    std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> ev_guard(&ev, yaml_event_delete);
    Event e;
    e.line = ev.start_mark.line;
    e.column = ev.start_mark.column;
    switch (ev.type) {
      case YAML_NO_EVENT:
      case YAML_STREAM_START_EVENT:
        continue;
      case YAML_STREAM_END_EVENT:
        e.kind = Kind::kStreamEnd;
        break;
      case YAML_DOCUMENT_START_EVENT:
        e.kind = Kind::kDocumentStart;
        break;
      case YAML_DOCUMENT_END_EVENT:
        e.kind = Kind::kDocumentEnd;
        e.end_line = ev.end_mark.line;
        break;
      case YAML_SCALAR_EVENT:
        e.kind = Kind::kScalar;
        e.value = std::string_view(reinterpret_cast<const char*>(ev.data.scalar.value), ev.data.scalar.length);
        e.plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        e.plain_implicit = ev.data.scalar.plain_implicit != 0;
        e.tag = View(ev.data.scalar.tag);
        e.anchor = View(ev.data.scalar.anchor);
        break;
      case YAML_SEQUENCE_START_EVENT:
        e.kind = Kind::kSequenceStart;
        e.tag = View(ev.data.sequence_start.tag);
        e.anchor = View(ev.data.sequence_start.anchor);
        break;
      case YAML_MAPPING_START_EVENT:
        e.kind = Kind::kMappingStart;
        e.tag = View(ev.data.mapping_start.tag);
        e.anchor = View(ev.data.mapping_start.anchor);
        break;
      case YAML_SEQUENCE_END_EVENT:
        e.kind = Kind::kSequenceEnd;
        break;
      case YAML_MAPPING_END_EVENT:
        e.kind = Kind::kMappingEnd;
        break;
      case YAML_ALIAS_EVENT:
        e.kind = Kind::kAlias;
        e.anchor = View(ev.data.alias.anchor);
        break;
    }
    if (auto st = sink.OnEvent(e); !st.ok()) return st;
    if (e.kind == Kind::kStreamEnd) return core::Status::Ok();
  }
}

// Where a large stream is cut for reading on several threads: at the starts
// of lines that are exactly `---`, near equal shares of the text, each piece
// at least `chunk_bytes`. {0} when it is not worth it.
std::vector<size_t> ChunkStarts(std::string_view content, const ParseLimits& limits) {
  std::vector<size_t> starts{0};
  const size_t chunk = std::max<size_t>(limits.chunk_bytes, 1);
  const size_t pieces = std::min<size_t>(limits.threads, content.size() / chunk);
  for (size_t i = 1; i < pieces; ++i) {
    const size_t target = content.size() / pieces * i;
    if (target <= starts.back() + chunk - 1) continue;
    size_t at = content.find("\n---\n", target - 1);
    if (at == std::string_view::npos) break;
    if (content.size() - (at + 1) < chunk) break;
    starts.push_back(at + 1);
  }
  return starts;
}

// The block-subset fast path on pieces of the stream at once: the same
// documents, positions and indexes as one pass, because a `---` line ends
// every construct the scanner accepts and each piece's builder starts where
// the whole stream's would be at that line. nullopt when a piece is outside
// the subset (or a builder refused an event): the caller reads the whole
// stream again, so errors are always those of one pass.
std::optional<std::vector<Document>> ParseBlockChunks(std::string_view content, const std::string& filename,
                                                      const ParseLimits& limits, const std::vector<size_t>& starts) {
  const size_t n = starts.size();
  auto end_of = [&](size_t i) { return i + 1 < n ? starts[i + 1] : content.size(); };
  // lines[i]: the 0-based line piece i starts on; lines[n]: the last line.
  std::vector<size_t> lines(n + 1, 0);
  for (size_t i = 0; i < n; ++i)
    lines[i + 1] = lines[i] + static_cast<size_t>(std::count(content.begin() + static_cast<std::ptrdiff_t>(starts[i]),
                                                             content.begin() + static_cast<std::ptrdiff_t>(end_of(i)),
                                                             '\n'));
  std::vector<std::unique_ptr<StreamBuilder>> builders(n);
  // Piece i's builder reads the text from piece `from` through piece i.
  auto read = [&](size_t i, size_t from) {
    builders[i] = std::make_unique<StreamBuilder>(content, filename, limits);
    builders[i]->BeginAt(starts[from], lines[from], lines[n]);
    return ReadBlockSubset(content.substr(starts[from], end_of(i) - starts[from]), *builders[i]);
  };
  std::vector<BlockScan> scans(n, BlockScan::kDeclined);
  // Pieces may outnumber the CPUs (tests cut at every `---`): threads do not.
  core::RunTasks(n, std::min(n, core::DefaultThreads()), [&](size_t i) { scans[i] = read(i, i); });
  for (auto scan : scans)
    if (scan != BlockScan::kAccepted) return std::nullopt;
  // Only the text before the first cut can hold no document (comments, blank
  // lines): then the first document's start is counted from the top of the
  // stream, as one pass counts it, so the second piece is read again from
  // there (the first contributes nothing).
  if (builders[0]->documents_seen() == 0) {
    if (!RestoreText(limits).ok()) return std::nullopt;
    if (read(1, 0) != BlockScan::kAccepted) return std::nullopt;
  }
  std::vector<Document> docs = builders[0]->TakeDocuments();
  uint32_t index_base = builders[0]->documents_seen();
  for (size_t i = 1; i < n; ++i) {
    for (auto& d : builders[i]->TakeDocuments()) {
      d.index += index_base;
      docs.push_back(std::move(d));
    }
    index_base += builders[i]->documents_seen();
  }
  return docs;
}

}  // namespace events

Result<std::vector<Document>> ParseYamlStream(std::string_view content, const std::string& filename,
                                              const ParseLimits& limits) {
  // The block scanner reads most manifests; whatever it declines, and every
  // error (libyaml's words and positions are the reference), is read again
  // from the start with libyaml by a fresh builder.
  if (limits.block_scanner && BlockScannerEnabled()) {
    if (limits.threads > 1) {
      std::vector<size_t> starts = events::ChunkStarts(content, limits);
      if (starts.size() > 1) {
        if (auto docs = events::ParseBlockChunks(content, filename, limits, starts)) return std::move(*docs);
        RETURN_IF_ERROR(RestoreText(limits));
      }
    }
    StreamBuilder fast(content, filename, limits);
    if (events::ReadBlockSubset(content, fast) == events::BlockScan::kAccepted) return fast.TakeDocuments();
    RETURN_IF_ERROR(RestoreText(limits));
  }
  ParseLimits keep_text = limits;
  keep_text.pager = nullptr;
  StreamBuilder b(content, filename, keep_text);
  if (auto st = events::ReadWithLibyaml(content, b); !st.ok()) return st;
  return b.TakeDocuments();
}

}  // namespace meshctl::yaml
