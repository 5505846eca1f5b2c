#include "lib/yaml/node.h"

#include <charconv>
#include <cmath>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <thread>
#include <new>
#include <stdexcept>
#include <unordered_set>

#include <sys/mman.h>

#include "lib/core/sanitizers.h"

namespace meshctl::yaml {

std::string_view NodeTypeName(NodeType t) {
  switch (t) {
    case NodeType::kNull: return "null";
    case NodeType::kBool: return "bool";
    case NodeType::kInt: return "int";
    case NodeType::kFloat: return "float";
    case NodeType::kString: return "string";
    case NodeType::kMap: return "map";
    case NodeType::kSeq: return "list";
  }
  return "?";
}

const std::string Node::kEmptyText;
const NodeList Node::kNoChildren;

NodeList::NodeList(const NodeList& other) {
  reserve(other.size());
  for (const Node& n : other) push_back(n);
}

NodeList& NodeList::operator=(const NodeList& other) {
  if (this != &other) *this = NodeList(other);
  return *this;
}

NodeList& NodeList::operator=(NodeList&& other) noexcept {
  if (this != &other) {
    NodeList gone(std::move(*this));
    block_ = other.block_;
    other.block_ = nullptr;
  }
  return *this;
}

// A chunk starts with the count of its live blocks, plus one while it is the
// arena's current chunk. Chunks are aligned to their size, so a block finds its
// chunk from its own address.
struct NodeArena::Chunk {
  std::atomic<uint32_t> live;
};

namespace {

constexpr size_t kChunkBytes = size_t{64} << 10;
// Larger blocks (more than ~500 nodes: a map of ~250 keys) come from the heap.
constexpr size_t kMaxArenaBlock = kChunkBytes / 8;
constexpr size_t kChunkHeader = 16;  // keeps blocks 16-byte aligned, as malloc's are
#ifdef MESHCTL_ASAN
#define MESHCTL_ARENA_FROM_MALLOC 1  // chunks LeakSanitizer scans for pointers to the heap
#endif

#ifndef MESHCTL_ARENA_FROM_MALLOC
// Chunks are mapped 16 at a time. malloc cannot give size-aligned blocks without
// leaving a hole the size of the alignment before each (a huge-page heap made it
// resident); mapped chunks cost only the pages used, and each is unmapped on its own.
constexpr size_t kSlabBytes = 16 * kChunkBytes;
#endif

void Unref(NodeArena::Chunk* c) {
  if (c->live.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  c->~Chunk();
#ifdef MESHCTL_ARENA_FROM_MALLOC
  std::free(c);
#else
  munmap(c, kChunkBytes);
#endif
}

}  // namespace

NodeArena::~NodeArena() {
  if (chunk_) Unref(chunk_);
#ifndef MESHCTL_ARENA_FROM_MALLOC
  if (slab_next_ != slab_end_) munmap(slab_next_, static_cast<size_t>(slab_end_ - slab_next_));
#endif
}

void* NodeArena::NewChunk() {
#ifdef MESHCTL_ARENA_FROM_MALLOC
  return std::aligned_alloc(kChunkBytes, kChunkBytes);
#else
  if (slab_next_ == slab_end_) {
    // Map one chunk more than the slab, then unmap what lies outside the aligned slab.
    const size_t span = kSlabBytes + kChunkBytes;
    void* raw = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return nullptr;
    auto begin = reinterpret_cast<uintptr_t>(raw);
    uintptr_t aligned = (begin + kChunkBytes - 1) & ~(uintptr_t{kChunkBytes} - 1);
    if (aligned > begin) munmap(raw, aligned - begin);
    if (begin + span > aligned + kSlabBytes) munmap(reinterpret_cast<void*>(aligned + kSlabBytes), begin + span - aligned - kSlabBytes);
    slab_next_ = reinterpret_cast<char*>(aligned);
    slab_end_ = slab_next_ + kSlabBytes;
  }
  void* chunk = slab_next_;
  slab_next_ += kChunkBytes;
  return chunk;
#endif
}

void* NodeArena::Allocate(size_t bytes) {
  bytes = (bytes + 7) & ~size_t{7};
  if (bytes > kMaxArenaBlock) return nullptr;
  if (!chunk_ || used_ + bytes > kChunkBytes) {
    void* raw = NewChunk();
    if (!raw) return nullptr;
    if (chunk_) Unref(chunk_);
    chunk_ = new (raw) Chunk{{1}};
    used_ = kChunkHeader;
  }
  chunk_->live.fetch_add(1, std::memory_order_relaxed);
  void* at = reinterpret_cast<char*>(chunk_) + used_;
  used_ += bytes;
  return at;
}

NodeList::~NodeList() {
  clear();
  Free(block_);
}

void NodeList::Free(Block* block) {
  if (!block) return;
  if (!block->in_arena) {
    ::operator delete(block);
    return;
  }
  auto at = reinterpret_cast<uintptr_t>(block) & ~(uintptr_t{kChunkBytes} - 1);
  Unref(reinterpret_cast<NodeArena::Chunk*>(at));
}

void NodeList::MoveTo(Block* grown, size_t n) {
  grown->size = 0;
  grown->capacity = static_cast<uint32_t>(n) & 0x7FFFFFFFu;
  Node* to = reinterpret_cast<Node*>(grown + 1);
  const size_t count = size();
  Node* from = data();
  for (size_t i = 0; i < count; ++i) {
    new (&to[i]) Node(std::move(from[i]));
    from[i].~Node();
  }
  grown->size = static_cast<uint32_t>(count);
  Free(block_);
  block_ = grown;
}

void NodeList::reserve(size_t n) { Reserve(n, nullptr); }

void NodeList::reserve(size_t n, NodeArena& arena) { Reserve(n, &arena); }

void NodeList::Reserve(size_t n, NodeArena* arena) {
  if (n <= (block_ ? block_->capacity : 0)) return;
  if (n > INT32_MAX) throw std::length_error("NodeList too long");
  const size_t bytes = sizeof(Block) + n * sizeof(Node);
  auto* grown = arena ? static_cast<Block*>(arena->Allocate(bytes)) : nullptr;
  const bool in_arena = grown != nullptr;
  if (!grown) grown = static_cast<Block*>(::operator new(bytes));
  grown->in_arena = in_arena ? 1 : 0;
  MoveTo(grown, n);
}

void NodeList::push_back(Node item) {
  const size_t cap = block_ ? block_->capacity : 0;
  if (size() == cap) reserve(cap < 4 ? 4 : 2 * cap);
  new (data() + block_->size) Node(std::move(item));
  ++block_->size;
}

void NodeList::pop_back() {
  data()[size() - 1].~Node();
  --block_->size;
}

void NodeList::clear() {
  while (!empty()) pop_back();
}

void NodeList::resize(size_t n) {
  while (size() > n) pop_back();
  reserve(n);
  while (size() < n) push_back(Node());
}

Node* NodeList::OpenGap(size_t at, size_t count) {
  const size_t old = size();
  reserve(old + count > 2 * old ? old + count : 2 * old);
  for (size_t i = 0; i < count; ++i) push_back(Node());
  Node* d = data();
  for (size_t i = old; i-- > at;) d[i + count] = std::move(d[i]);
  return d + at;
}

Node* NodeList::insert(const Node* pos, Node item) {
  Node* slot = OpenGap(static_cast<size_t>(pos - data()), 1);
  *slot = std::move(item);
  return slot;
}

Node* NodeList::erase(const Node* first, const Node* last) {
  Node* d = data();
  const size_t from = static_cast<size_t>(first - d), to = static_cast<size_t>(last - d), count = to - from;
  for (size_t i = to; i < size(); ++i) d[i - count] = std::move(d[i]);
  for (size_t i = 0; i < count; ++i) pop_back();
  return data() + from;
}

namespace {

// Bytes in all pools, against the limit.
std::atomic<size_t> pooled_bytes{0};
std::atomic<size_t> pool_limit{size_t{256} << 20};

// A pool of interned texts. Strings sit in fixed blocks (their addresses
// never move); the set indexes them by content. nullptr from Intern: the
// pools are at the limit.
class TextPool {
 public:
  const std::string* Intern(std::string_view text) {
    if (auto it = index_.find(text); it != index_.end()) return *it;
    // The string object and its index entry count too.
    const size_t charge = text.size() + sizeof(std::string) + kIndexEntryBytes;
    const size_t limit = pool_limit.load(std::memory_order_relaxed);
    if (pooled_bytes.fetch_add(charge, std::memory_order_relaxed) + charge > limit) {
      pooled_bytes.fetch_sub(charge, std::memory_order_relaxed);
      return nullptr;
    }
    if (blocks_.empty() || used_ == kBlock) {
      blocks_.push_back(std::make_unique<std::string[]>(kBlock));
      used_ = 0;
    }
    std::string& s = blocks_.back()[used_++];
    s.assign(text);
    index_.insert(&s);
    return &s;
  }

 private:
  static constexpr size_t kBlock = 1024;
  static constexpr size_t kIndexEntryBytes = 32;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    size_t operator()(const std::string* s) const { return std::hash<std::string_view>{}(*s); }
  };
  struct Equal {
    using is_transparent = void;
    static std::string_view View(std::string_view s) { return s; }
    static std::string_view View(const std::string* s) { return *s; }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const { return View(a) == View(b); }
  };
  std::vector<std::unique_ptr<std::string[]>> blocks_;
  size_t used_ = kBlock;
  std::unordered_set<const std::string*, Hash, Equal> index_;
};

// Pools behind one lock each. A thread takes the first free one from where
// its id hashes to, so parsers on different threads do not wait for each
// other; the same text may then sit in more than one pool. Not thread_local
// pools: LeakSanitizer's tracer crashed at exit on the thread-local storage
// of gRPC's threads that had parsed (ps against two istiods).
struct Shard {
  std::mutex mu;
  TextPool pool;
};
constexpr size_t kShards = 16;

// Never destroyed: nodes anywhere (a static, another thread's result) may
// point into the pools until exit.
Shard* Shards() {
  static auto* shards = new Shard[kShards];
  return shards;
}

}  // namespace

size_t TextPoolLimit() { return pool_limit.load(std::memory_order_relaxed); }
void SetTextPoolLimit(size_t bytes) { pool_limit.store(bytes, std::memory_order_relaxed); }

const std::string* InternText(std::string_view text) {
  static const std::string kEmpty;
  if (text.empty()) return &kEmpty;
  Shard* shards = Shards();
  size_t i = std::hash<std::thread::id>{}(std::this_thread::get_id()) % kShards;
  for (size_t tries = 0; !shards[i].mu.try_lock(); ++tries) {
    i = (i + 1) % kShards;
    if (tries + 1 == kShards) {  // every pool busy: wait for this one
      shards[i].mu.lock();
      break;
    }
  }
  std::lock_guard<std::mutex> lock(shards[i].mu, std::adopt_lock);
  return shards[i].pool.Intern(text);
}

Node::Node(const Node& other)
    : line_(other.line_),
      column_(other.column_),
      type_(other.type_),
      owns_text_(other.owns_text_),
      has_children_(other.has_children_) {
  if (has_children_) new (&children_) NodeList(other.children_);
  else text_ = owns_text_ ? new std::string(*other.text_) : other.text_;
}

Node::Node(Node&& other) noexcept
    : line_(other.line_),
      column_(other.column_),
      type_(other.type_),
      owns_text_(other.owns_text_),
      has_children_(other.has_children_) {
  if (has_children_) {
    new (&children_) NodeList(std::move(other.children_));  // `other` is left empty
  } else {
    text_ = other.text_;
    if (owns_text_) {  // `other` is left an empty scalar of its type
      other.text_ = &kEmptyText;
      other.owns_text_ = 0;
    }
  }
}

Node& Node::operator=(const Node& other) {
  if (this != &other) *this = Node(other);
  return *this;
}

Node& Node::operator=(Node&& other) noexcept {
  if (this == &other) return *this;
  // `other` may live inside this node's children (n = n.at(0)): take it first.
  Node taken(std::move(other));
  Release();
  line_ = taken.line_;
  column_ = taken.column_;
  type_ = taken.type_;
  owns_text_ = taken.owns_text_;
  has_children_ = taken.has_children_;
  if (has_children_) {
    new (&children_) NodeList(std::move(taken.children_));
  } else {
    text_ = taken.text_;
    taken.text_ = &kEmptyText;
    taken.owns_text_ = 0;
  }
  return *this;
}

Node::~Node() { Release(); }

void Node::Release() {
  if (has_children_) children_.~NodeList();
  else if (owns_text_) delete text_;
  has_children_ = 0;
  owns_text_ = 0;
  text_ = &kEmptyText;
}

Node Node::Scalar(NodeType type, std::string_view text, Mark mark) {
  Node n;
  n.type_ = static_cast<uint32_t>(type);
  n.set_mark(mark);
  if (text.empty()) return n;
  if (const std::string* pooled = InternText(text)) {
    n.text_ = pooled;
  } else {
    n.text_ = new std::string(text);
    n.owns_text_ = 1;
  }
  return n;
}

Node Node::Map(Mark mark) {
  Node n;
  n.type_ = static_cast<uint32_t>(NodeType::kMap);
  n.set_mark(mark);
  n.has_children_ = 1;
  new (&n.children_) NodeList();
  return n;
}

Node Node::Seq(Mark mark) {
  Node n = Map(mark);
  n.type_ = static_cast<uint32_t>(NodeType::kSeq);
  return n;
}

NodeList& Node::mutable_children() {
  if (!has_children_) {
    Release();
    has_children_ = 1;
    new (&children_) NodeList();
  }
  return children_;
}

std::optional<bool> Node::AsBool() const {
  if (type() != NodeType::kBool) return std::nullopt;
  return text() == "true";
}

namespace {

// Parses the integer spellings go-yaml v2 accepts: decimal, 0x hex, 0o and
// leading-0 octal, 0b binary, optional sign, underscores ignored.
std::optional<int64_t> ParseYamlInt(std::string_view s) {
  std::string clean;  // only filled when the text has underscores
  std::string_view v = s;
  if (s.find('_') != std::string_view::npos) {
    clean.reserve(s.size());
    for (char c : s)
      if (c != '_') clean += c;
    v = clean;
  }
  bool neg = false;
  if (!v.empty() && (v[0] == '+' || v[0] == '-')) {
    neg = v[0] == '-';
    v.remove_prefix(1);
  }
  if (v.empty()) return std::nullopt;
  int base = 10;
  if (v.size() > 1 && v[0] == '0') {
    if (v[1] == 'x' || v[1] == 'X') base = 16, v.remove_prefix(2);
    else if (v[1] == 'o' || v[1] == 'O') base = 8, v.remove_prefix(2);
    else if (v[1] == 'b' || v[1] == 'B') base = 2, v.remove_prefix(2);
    else base = 8, v.remove_prefix(1);
  }
  if (v.empty()) return std::nullopt;
  uint64_t mag = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), mag, base);
  if (ec != std::errc() || ptr != v.data() + v.size()) return std::nullopt;
  if (neg) {
    if (mag > static_cast<uint64_t>(INT64_MAX) + 1) return std::nullopt;
    return static_cast<int64_t>(0 - mag);
  }
  if (mag > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(mag);
}

}  // namespace

std::optional<int64_t> Node::AsInt() const {
  if (type() == NodeType::kInt) return ParseYamlInt(text());
  if (type() == NodeType::kFloat) {
    // JSON numbers such as 80.0 are whole; YAML floats that are whole count too.
    auto d = AsDouble();
    if (d && std::isfinite(*d) && std::floor(*d) == *d && std::fabs(*d) < 9.2e18)
      return static_cast<int64_t>(*d);
  }
  return std::nullopt;
}

std::optional<double> Node::AsDouble() const {
  if (type() == NodeType::kInt) {
    auto i = AsInt();
    if (i) return static_cast<double>(*i);
    return std::nullopt;
  }
  if (type() != NodeType::kFloat) return std::nullopt;
  const std::string& t = text();
  std::string lower;
  for (char c : t)
    if (c != '_') lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower == ".inf" || lower == "+.inf") return HUGE_VAL;
  if (lower == "-.inf") return -HUGE_VAL;
  if (lower == ".nan") return NAN;
  char* end = nullptr;
  double d = std::strtod(lower.c_str(), &end);
  if (end == lower.c_str() || *end != '\0') return std::nullopt;
  return d;
}

std::optional<std::string_view> Node::AsString() const {
  if (type() != NodeType::kString) return std::nullopt;
  return std::string_view(text());
}

std::string Node::ToScalarString() const {
  switch (type()) {
    case NodeType::kNull: return "null";
    case NodeType::kBool: return text();
    case NodeType::kInt: {
      auto i = AsInt();
      return i ? std::to_string(*i) : text();
    }
    case NodeType::kFloat:
    case NodeType::kString: return text();
    case NodeType::kMap:
    case NodeType::kSeq: return "";
  }
  return "";
}

size_t Node::size() const {
  if (type() == NodeType::kMap) return children().size() / 2;
  if (type() == NodeType::kSeq) return children().size();
  return 0;
}

const Node* Node::Get(std::string_view key) const {
  if (type() != NodeType::kMap) return nullptr;
  const NodeList& c = children();
  const Node* n = c.data();
  for (size_t i = 0, size = c.size(); i + 1 < size; i += 2) {
    const std::string& k = n[i].text();
    if (k.size() == key.size() && std::char_traits<char>::compare(k.data(), key.data(), key.size()) == 0)
      return &n[i + 1];
  }
  return nullptr;
}

Node* Node::GetMutable(std::string_view key) {
  if (type() != NodeType::kMap) return nullptr;
  auto& c = mutable_children();
  for (size_t i = 0; i + 1 < c.size(); i += 2)
    if (c[i].text() == key) return &c[i + 1];
  return nullptr;
}

void Node::Append(Node key, Node value) {
  auto& c = mutable_children();
  c.push_back(std::move(key));
  c.push_back(std::move(value));
}

void Node::Set(std::string_view key, Node value) {
  if (Node* existing = GetMutable(key)) {
    *existing = std::move(value);
    return;
  }
  Append(Scalar(NodeType::kString, std::string(key), {}), std::move(value));
}

bool Node::Remove(std::string_view key) {
  if (type() != NodeType::kMap) return false;
  auto& c = mutable_children();
  for (size_t i = 0; i + 1 < c.size(); i += 2) {
    if (c[i].text() == key) {
      c.erase(c.begin() + static_cast<std::ptrdiff_t>(i), c.begin() + static_cast<std::ptrdiff_t>(i + 2));
      return true;
    }
  }
  return false;
}

void Node::Push(Node item) { mutable_children().push_back(std::move(item)); }

std::vector<std::string> SplitFieldPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  if (!path.empty() && path[0] == '.') i = 1;  // `{.spec.ports[0].port}` style
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(std::move(cur));
    cur.clear();
  };
  while (i < path.size()) {
    char c = path[i];
    if (c == '.') {
      flush();
      ++i;
    } else if (c == '[') {
      flush();
      size_t close = path.find(']', i);
      if (close == std::string_view::npos) close = path.size();
      std::string_view inner = path.substr(i + 1, close - i - 1);
      if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') && inner.back() == inner.front()) {
        out.emplace_back(inner.substr(1, inner.size() - 2));
      } else {
        out.push_back("[" + std::string(inner) + "]");
      }
      i = close + 1;
    } else {
      cur += c;
      ++i;
    }
  }
  flush();
  return out;
}

namespace {

// One step of a field path, read in place (no allocation): a key, or the
// text of a `[...]` segment as SplitFieldPath spells it.
struct Segment {
  std::string_view text;   // the key, or "[inner]" for an unquoted bracket
  std::string_view inner;  // for an unquoted bracket: what is between [ and ]
  bool bracket = false;    // an unquoted bracket segment
};

// Cuts the next segment of `path` starting at `*pos`, exactly as
// SplitFieldPath does (empty dotted segments are skipped, a quoted bracket
// is a key even when empty). `scratch` holds the text of an unterminated
// bracket, the only segment that is not a view of `path`. False at the end.
bool NextSegment(std::string_view path, size_t* pos, Segment* seg, std::string* scratch) {
  size_t i = *pos;
  while (i < path.size()) {
    char c = path[i];
    if (c == '.') {
      ++i;
      continue;
    }
    if (c == '[') {
      size_t close = path.find(']', i);
      bool terminated = close != std::string_view::npos;
      if (!terminated) close = path.size();
      std::string_view inner = path.substr(i + 1, close - i - 1);
      *pos = close + 1;
      if (inner.size() >= 2 && (inner.front() == '\'' || inner.front() == '"') && inner.back() == inner.front()) {
        *seg = Segment{inner.substr(1, inner.size() - 2), {}, false};
        return true;
      }
      if (terminated) {
        *seg = Segment{path.substr(i, close - i + 1), inner, true};
      } else {
        *scratch = "[" + std::string(inner) + "]";
        *seg = Segment{*scratch, inner, true};
      }
      return true;
    }
    size_t end = i;
    while (end < path.size() && path[end] != '.' && path[end] != '[') ++end;
    *seg = Segment{path.substr(i, end - i), {}, false};
    *pos = end;
    return true;
  }
  *pos = i;
  return false;
}

// Walks `path`, returning the deepest node reached, its key node (if the
// last step was a map key) and whether the whole path resolved.
struct Walk {
  const Node* node;
  const Node* key;
  bool complete;
};

Walk WalkPath(const Node& root, std::string_view path) {
  Walk w{&root, nullptr, true};
  if (!path.empty() && path[0] == '.') path.remove_prefix(1);  // `{.spec.ports[0].port}` style
  size_t pos = 0;
  Segment seg;
  std::string scratch;
  while (NextSegment(path, &pos, &seg, &scratch)) {
    const Node* next = nullptr;
    const Node* key = nullptr;
    if (seg.bracket && seg.text.size() > 2 && w.node->IsSeq()) {
      std::string digits(seg.inner);
      size_t idx = std::strtoul(digits.c_str(), nullptr, 10);
      if (idx < w.node->size()) next = &w.node->at(idx);
    } else if (w.node->IsMap()) {
      const auto& c = w.node->children();
      for (size_t i = 0; i + 1 < c.size(); i += 2) {
        if (c[i].text() == seg.text) {
          key = &c[i];
          next = &c[i + 1];
          break;
        }
      }
    }
    if (!next) {
      w.complete = false;
      return w;
    }
    w.node = next;
    w.key = key;
  }
  return w;
}

}  // namespace

const Node* Node::Find(std::string_view path) const {
  Walk w = WalkPath(*this, path);
  return w.complete ? w.node : nullptr;
}

Mark Node::Locate(std::string_view path) const {
  Walk w = WalkPath(*this, path);
  // A block map or list starts on the line after its key; the key is where
  // a reader looks for it.
  if (w.key && !w.node->IsScalar()) return w.key->mark();
  return w.node->mark();
}

Mark Node::LocateKey(std::string_view path) const {
  Walk w = WalkPath(*this, path);
  if (w.complete && w.key) return w.key->mark();
  return w.node->mark();
}

bool Node::Equals(const Node& other) const {
  if (type() != other.type()) return false;
  if (IsScalar()) return type() == NodeType::kNull || text() == other.text();
  const auto& a = children();
  const auto& b = other.children();
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!a[i].Equals(b[i])) return false;
  return true;
}

}  // namespace meshctl::yaml
