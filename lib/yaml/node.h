// The document tree every loader produces (YAML through libyaml events, JSON
// through lib/json) and every checker reads. Each node keeps the 1-based
// line and column where it starts, so a finding can name file:line:col.
//
// Scalars keep their source text; the type is resolved once at load time the
// way Kubernetes/Istio tooling resolves it (go-yaml v2, YAML 1.1: `yes` is a
// bool, `0777` an octal int, quoted text always a string). Maps keep their key
// order; keys are nodes too, so a duplicate or unknown key has a position.
//
// A node is 16 bytes: its position and type, and one pointer. A scalar points
// at its text in a pool of interned strings that lives as long as the process
// (97 % of the scalars of a mesh repeat: keys, kinds, labels), so copying a
// scalar copies a pointer and texts are never freed one by one. The pools
// hold at most TextPoolLimit() bytes in all; past that (a fuzzer's millions
// of inputs, a long poll of a cluster) a new scalar owns a copy of its text. A map or list
// owns its children in one block (a NodeList): from the heap, or, for the trees the
// parsers build, carved from a NodeArena's chunks.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl::yaml {

struct Mark {
  uint32_t line = 0;    // 1-based; 0 = unknown
  uint32_t column = 0;  // 1-based; 0 = unknown
  bool known() const { return line != 0; }
};

enum class NodeType : uint8_t { kNull, kBool, kInt, kFloat, kString, kMap, kSeq };

// Name for messages: "null", "bool", "int", "float", "string", "map", "list".
std::string_view NodeTypeName(NodeType t);

class Node;
class NodeList;

// Where a parser's trees get their NodeList blocks: carved one after the other from
// 64 KB chunks of mapped memory, so a block of a few nodes costs no malloc header and
// no rounding (16 bytes of each ~56-byte block, a fifth of a tree). A chunk is freed when the last block
// in it is freed (from any thread) and the arena has moved on from it, so trees outlive
// the arena that built them. Not thread-safe: one arena per parsing thread.
class NodeArena {
 public:
  NodeArena() = default;
  NodeArena(const NodeArena&) = delete;
  NodeArena& operator=(const NodeArena&) = delete;
  ~NodeArena();

  struct Chunk;  // opaque: defined in node.cc

 private:
  friend class NodeList;
  // nullptr when `bytes` is too large for a chunk (the block comes from the heap).
  void* Allocate(size_t bytes);
  void* NewChunk();
  Chunk* chunk_ = nullptr;
  size_t used_ = 0;
  char* slab_next_ = nullptr;  // chunks mapped and not yet used
  char* slab_end_ = nullptr;
};

// The children of a map or list: a vector-like array in one heap block whose
// header holds size and capacity, so an empty list is a null pointer and the
// whole list is 8 bytes. Iterators are pointers; they stay valid until the
// list grows or shrinks, as with std::vector.
class NodeList {
 public:
  using value_type = Node;
  using iterator = Node*;
  using const_iterator = const Node*;

  NodeList() = default;
  NodeList(const NodeList& other);
  NodeList(NodeList&& other) noexcept : block_(other.block_) { other.block_ = nullptr; }
  NodeList& operator=(const NodeList& other);
  NodeList& operator=(NodeList&& other) noexcept;
  ~NodeList();

  size_t size() const { return block_ ? block_->size : 0; }
  bool empty() const { return size() == 0; }
  Node* data();
  const Node* data() const;
  // Defined below Node, which must be complete.
  Node* begin();
  Node* end();
  const Node* begin() const;
  const Node* end() const;
  const Node& operator[](size_t i) const;
  Node& operator[](size_t i);
  const Node& front() const;
  const Node& back() const;
  Node& front();
  Node& back();

  void reserve(size_t n);
  // reserve(n) with the block from `arena` (a list built once at its exact size).
  void reserve(size_t n, NodeArena& arena);
  void push_back(Node item);
  void pop_back();
  void clear();
  void resize(size_t n);
  // Inserts before `pos`; returns the first inserted.
  Node* insert(const Node* pos, Node item);
  template <typename It>
  Node* insert(const Node* pos, It first, It last);
  // Removes [first, last); returns where the next element now is.
  Node* erase(const Node* first, const Node* last);
  Node* erase(const Node* pos);

 private:
  struct Block {
    uint32_t size;
    uint32_t capacity : 31;
    uint32_t in_arena : 1;  // carved from a NodeArena chunk, not from the heap
  };
  // Makes room for `count` more at index `at`, shifting the tail; the slots
  // are left holding moved-from nodes.
  Node* OpenGap(size_t at, size_t count);
  // reserve(n), from `arena` when it is given and has room for the block.
  void Reserve(size_t n, NodeArena* arena);
  // Moves the nodes into `grown` (capacity set) and frees the old block.
  void MoveTo(Block* grown, size_t n);
  static void Free(Block* block);
  Block* block_ = nullptr;
};

class Node {
 public:
  Node()
      : line_(0),
        column_(0),
        type_(static_cast<uint32_t>(NodeType::kNull)),
        owns_text_(0),
        has_children_(0),
        text_(&kEmptyText) {}
  Node(const Node& other);
  Node(Node&& other) noexcept;
  Node& operator=(const Node& other);
  Node& operator=(Node&& other) noexcept;
  ~Node();

  // The text is interned (see InternText): the node keeps a pointer, not a
  // copy, unless the pools are full.
  static Node Scalar(NodeType type, std::string_view text, Mark mark);
  static Node Map(Mark mark);
  static Node Seq(Mark mark);

  NodeType type() const { return static_cast<NodeType>(type_); }
  Mark mark() const { return Mark{line_, column_}; }
  void set_mark(Mark m) {
    line_ = m.line;
    column_ = m.column > kMaxColumn ? kMaxColumn : m.column;
  }

  bool IsNull() const { return type() == NodeType::kNull; }
  bool IsMap() const { return type() == NodeType::kMap; }
  bool IsSeq() const { return type() == NodeType::kSeq; }
  bool IsScalar() const { return !IsMap() && !IsSeq(); }
  bool IsString() const { return type() == NodeType::kString; }
  bool IsBool() const { return type() == NodeType::kBool; }
  bool IsInt() const { return type() == NodeType::kInt; }
  bool IsNumber() const { return type() == NodeType::kInt || type() == NodeType::kFloat; }

  // Source text of a scalar ("" for collections). For a bool, "true"/"false"
  // whatever the spelling was; for numbers the spelling as written. The
  // reference stays valid for the life of the process.
  const std::string& text() const { return has_children_ ? kEmptyText : *text_; }
  // Typed reads; nullopt when the node is not of that type or out of range.
  std::optional<bool> AsBool() const;
  std::optional<int64_t> AsInt() const;
  std::optional<double> AsDouble() const;  // ints too
  // The string when the node is a string scalar, else nullopt.
  std::optional<std::string_view> AsString() const;
  // The value as sigs.k8s.io/yaml would print it in JSON: strings unquoted,
  // numbers and bools by their canonical text, null as "null".
  std::string ToScalarString() const;

  // ---- maps: entries() alternates key, value (key at 2i, value at 2i+1).
  size_t size() const;  // entries of a map, items of a sequence, 0 for scalars
  const Node* Get(std::string_view key) const;  // nullptr when absent or not a map
  Node* GetMutable(std::string_view key);
  const Node& KeyAt(size_t i) const { return children()[2 * i]; }
  const Node& ValueAt(size_t i) const { return children()[2 * i + 1]; }
  Node& MutableValueAt(size_t i) { return mutable_children()[2 * i + 1]; }
  void Append(Node key, Node value);  // map
  // Replaces the value under `key`, or appends the pair.
  void Set(std::string_view key, Node value);
  bool Remove(std::string_view key);

  // ---- sequences
  const Node& at(size_t i) const { return children()[i]; }
  Node& mutable_at(size_t i) { return mutable_children()[i]; }
  void Push(Node item);

  const NodeList& children() const { return has_children_ ? children_ : kNoChildren; }
  // Makes a scalar an (empty) collection of its type.
  NodeList& mutable_children();

  // Follows a field path such as `spec.http[0].route[1].destination.host`
  // (also `metadata.labels['app.kubernetes.io/name']`). nullptr when absent.
  const Node* Find(std::string_view path) const;
  // The position of the deepest node on `path` that exists; for a missing
  // leaf this is its parent, so a "field is required" finding still points
  // somewhere useful. For a map or list under a key, the key's position.
  Mark Locate(std::string_view path) const;
  // Like Locate, but the position of the key of a map entry (where the
  // entry starts) rather than of its value.
  Mark LocateKey(std::string_view path) const;

  // Structural equality: types, texts, entries in order; positions ignored.
  bool Equals(const Node& other) const;

 private:
  static const std::string kEmptyText;
  static const NodeList kNoChildren;
  void Release();

  // Position and type packed into 8 bytes next to one pointer.
  // Columns past 8M (an 8 MB line) are clamped.
  static constexpr uint32_t kMaxColumn = (1u << 23) - 1;
  uint32_t line_;
  uint32_t column_ : 23;
  uint32_t type_ : 7;
  uint32_t owns_text_ : 1;     // text_ was allocated for this node (the pools were full)
  uint32_t has_children_ : 1;  // children_ is the live member
  union {
    const std::string* text_;  // interned and never freed, or owned (owns_text_)
    NodeList children_;
  };
};
static_assert(sizeof(Node) == 16);

// What the text pools of all threads may hold together, in bytes (texts,
// their string objects and index entries; 256 MB unless set). Lowering it
// never frees what is pooled.
size_t TextPoolLimit();
void SetTextPoolLimit(size_t bytes);

inline Node* NodeList::data() { return block_ ? reinterpret_cast<Node*>(block_ + 1) : nullptr; }
inline const Node* NodeList::data() const {
  return block_ ? reinterpret_cast<const Node*>(block_ + 1) : nullptr;
}

inline Node* NodeList::begin() { return data(); }
inline Node* NodeList::end() { return data() + size(); }
inline const Node* NodeList::begin() const { return data(); }
inline const Node* NodeList::end() const { return data() + size(); }
inline const Node& NodeList::operator[](size_t i) const { return data()[i]; }
inline Node& NodeList::operator[](size_t i) { return data()[i]; }
inline const Node& NodeList::front() const { return data()[0]; }
inline const Node& NodeList::back() const { return data()[size() - 1]; }
inline Node& NodeList::front() { return data()[0]; }
inline Node& NodeList::back() { return data()[size() - 1]; }
inline Node* NodeList::erase(const Node* pos) { return erase(pos, pos + 1); }

template <typename It>
Node* NodeList::insert(const Node* pos, It first, It last) {
  const size_t at = static_cast<size_t>(pos - data());
  size_t count = 0;
  for (It i = first; i != last; ++i) ++count;
  Node* slot = OpenGap(at, count);
  for (size_t i = 0; first != last; ++first, ++i) slot[i] = *first;
  return slot;
}

// The pooled copy of `text`: equal texts share one string, which lives until
// the process exits. Threads intern into separate pools (rarely waiting); a
// string from any pool may be read from any thread. nullptr when `text` is
// not pooled yet and the pools are at TextPoolLimit().
const std::string* InternText(std::string_view text);

// Splits a field path into segments: keys and `[i]` indexes as strings
// ("spec", "http", "[0]", ...). Quoted keys in brackets are unquoted.
std::vector<std::string> SplitFieldPath(std::string_view path);

}  // namespace meshctl::yaml
