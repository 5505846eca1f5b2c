#include "lib/envoy/stream_writer.h"

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>

#include "lib/yaml/parser.h"

namespace meshctl::envoy {

namespace {

// Output through one reused buffer, written out every 64 KB.
class Sink {
 public:
  explicit Sink(std::ostream& out) : out_(out) { buf_.reserve(kFlushAt + 1024); }
  ~Sink() { Flush(); }
  Sink(const Sink&) = delete;
  Sink& operator=(const Sink&) = delete;

  void Put(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kFlushAt) Flush();
  }
  void Put(char c) { buf_.push_back(c); }
  void Spaces(int n) { buf_.append(static_cast<size_t>(n), ' '); }
  void Flush() {
    if (!buf_.empty()) out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    buf_.clear();
  }

 private:
  static constexpr size_t kFlushAt = 64 * 1024;
  std::ostream& out_;
  std::string buf_;
};

enum class Kind { kObject, kArray, kString, kNumber, kBool, kNull };

// The two value types behind one interface.
struct ViewOps {
  using Value = JsonView;
  static Kind KindOf(const JsonView& v) {
    if (v.IsObject()) return Kind::kObject;
    if (v.IsArray()) return Kind::kArray;
    if (v.IsString()) return Kind::kString;
    if (v.IsNumber()) return Kind::kNumber;
    if (v.IsBool()) return Kind::kBool;
    return Kind::kNull;
  }
  static size_t Size(const JsonView& v) { return v.size(); }
  template <typename F>
  static void Fields(const JsonView& v, F&& f) {
    v.ForEachField([&](std::string_view k, JsonView x) { f(k, x); });
  }
  template <typename F>
  static void Items(const JsonView& v, F&& f) {
    v.ForEach([&](JsonView x) { f(x); });
  }
  static std::string_view Str(const JsonView& v) { return v.Str(); }
  static JsonView Field(const JsonView& v, std::string_view k) { return v[k]; }
  // How a collected child is kept: views are values, copied.
  using Held = JsonView;
  static Held Hold(const JsonView& v) { return v; }
  static const JsonView& Get(const Held& h) { return h; }
  // Numbers as nlohmann::ordered_json prints them (the writers this replaces
  // went through it): integers exactly, doubles in its shortest form.
  static void Scalar(const JsonView& v, std::string& out) {
    if (v.IsBool()) {
      out = v.Bool() ? "true" : "false";
      return;
    }
    if (!v.IsNumber()) {
      out = "null";
      return;
    }
    char buf[32];
    int64_t i;
    uint64_t u;
    if (v.raw().get_int64().get(i) == simdjson::SUCCESS) {
      auto r = std::to_chars(buf, buf + sizeof buf, i);
      out.assign(buf, r.ptr);
    } else if (v.raw().get_uint64().get(u) == simdjson::SUCCESS) {
      auto r = std::to_chars(buf, buf + sizeof buf, u);
      out.assign(buf, r.ptr);
    } else {
      double d = 0;
      if (v.raw().get_double().get(d) != simdjson::SUCCESS) {
        out = "null";
        return;
      }
      out = nlohmann::ordered_json(d).dump();
    }
  }
};

struct NlohmannOps {
  using Value = nlohmann::ordered_json;
  static Kind KindOf(const Value& v) {
    if (v.is_object()) return Kind::kObject;
    if (v.is_array()) return Kind::kArray;
    if (v.is_string()) return Kind::kString;
    if (v.is_number()) return Kind::kNumber;
    if (v.is_boolean()) return Kind::kBool;
    return Kind::kNull;
  }
  static size_t Size(const Value& v) { return v.size(); }
  template <typename F>
  static void Fields(const Value& v, F&& f) {
    for (auto it = v.begin(); it != v.end(); ++it) f(std::string_view(it.key()), it.value());
  }
  template <typename F>
  static void Items(const Value& v, F&& f) {
    for (const auto& x : v) f(x);
  }
  static std::string_view Str(const Value& v) { return v.get_ref<const std::string&>(); }
  static const Value& Field(const Value& v, std::string_view k) {
    static const Value kNull;
    auto it = v.find(std::string(k));
    return it == v.end() ? kNull : *it;
  }
  using Held = const Value*;
  static Held Hold(const Value& v) { return &v; }
  static const Value& Get(const Held& h) { return *h; }
  static void Scalar(const Value& v, std::string& out) { out = v.dump(); }
};

// Where a value sits, for field naming: in a message (field names are
// converted), in a map whose values are messages (keys kept, values are
// messages), or in a map/Struct (everything below kept as written).
enum class Zone { kMessage, kMapOfMessages, kVerbatim };

bool IsOneOf(std::string_view s, std::initializer_list<std::string_view> set) {
  for (auto x : set)
    if (s == x) return true;
  return false;
}

template <typename Ops>
bool IsStructTyped(const typename Ops::Value& object) {
  const auto& t = Ops::Field(object, "@type");
  if (Ops::KindOf(t) != Kind::kString) return false;
  std::string_view type = Ops::Str(t);
  return type == "type.googleapis.com/google.protobuf.Struct" ||
         (type.size() >= 11 && type.substr(type.size() - 11) == "TypedStruct");
}

// The zone of `value`, stored under `key` of an object in zone `parent`.
template <typename Ops>
Zone ChildZone(Zone parent, std::string_view key, const typename Ops::Value& value,
               const typename Ops::Value& object) {
  if (parent == Zone::kVerbatim) return Zone::kVerbatim;
  if (parent == Zone::kMapOfMessages) return Zone::kMessage;
  // Maps of Struct or of strings, and Struct-valued fields: nothing below
  // is a field name.
  if (IsOneOf(key, {"filter_metadata", "filterMetadata", "per_filter_config", "perFilterConfig",
                    "extension_protocol_options", "extensionProtocolOptions", "key_values", "keyValues",
                    "static_layer", "staticLayer"}))
    return Zone::kVerbatim;
  // Maps whose values are messages (Any or typed): keys kept, values converted.
  if (IsOneOf(key, {"typed_filter_metadata", "typedFilterMetadata", "typed_extension_protocol_options",
                    "typedExtensionProtocolOptions", "typed_per_filter_config", "typedPerFilterConfig",
                    "policies",                                       // RBAC
                    "providers", "requirement_map", "requirementMap",  // JWT authn
                    "source_codes", "sourceCodes",                     // Lua
                    "map"}))                                           // matcher exact/prefix maps
    return Zone::kMapOfMessages;
  // TypedStruct / Struct inside an Any: its value is a Struct.
  if (key == "value" && IsStructTyped<Ops>(object)) return Zone::kVerbatim;
  // `metadata` is a core.v3.Metadata message (filter_metadata, ...) almost
  // everywhere, but a Struct on the bootstrap's node: anything else in it
  // means a Struct.
  if (key == "metadata" && Ops::KindOf(value) == Kind::kObject) {
    bool message = true;
    Ops::Fields(value, [&](std::string_view k, const auto&) {
      if (!IsOneOf(k, {"filter_metadata", "filterMetadata", "typed_filter_metadata", "typedFilterMetadata"}))
        message = false;
    });
    if (!message) return Zone::kVerbatim;
  }
  return Zone::kMessage;
}

// protojson's JSON name: underscores dropped, the letter after one upper-cased.
std::string_view OutputName(std::string_view key, Zone zone, FieldNames names, std::string& scratch) {
  if (zone != Zone::kMessage || names == FieldNames::kProtoNames || key.find('_') == std::string_view::npos)
    return key;
  scratch.clear();
  bool upper = false;
  for (char c : key) {
    if (c == '_') {
      upper = true;
      continue;
    }
    scratch += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return scratch;
}

// ---- JSON

void JsonString(std::string_view s, Sink& out) {
  static const char kHex[] = "0123456789abcdef";
  out.Put('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.Put(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
      case '"': out.Put("\\\""); break;
      case '\\': out.Put("\\\\"); break;
      case '\n': out.Put("\\n"); break;
      case '\r': out.Put("\\r"); break;
      case '\t': out.Put("\\t"); break;
      case '\b': out.Put("\\b"); break;
      case '\f': out.Put("\\f"); break;
      default: {
        char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.Put(std::string_view(esc, sizeof esc));
      }
    }
  }
  out.Put(s.substr(run));
  out.Put('"');
}

template <typename Ops>
class JsonWriter {
 public:
  JsonWriter(Sink& out, FieldNames names) : out_(out), names_(names) {}

  void Write(const typename Ops::Value& v, Zone zone, int depth, bool drop_type) {
    switch (Ops::KindOf(v)) {
      case Kind::kObject: {
        bool first = true;
        Ops::Fields(v, [&](std::string_view k, const auto& x) {
          if (drop_type && k == "@type") return;
          out_.Put(first ? "{\n" : ",\n");
          first = false;
          out_.Spaces(4 * (depth + 1));
          JsonString(OutputName(k, zone, names_, scratch_), out_);
          out_.Put(": ");
          Write(x, ChildZone<Ops>(zone, k, x, v), depth + 1, false);
        });
        if (first) {
          out_.Put("{}");
          return;
        }
        out_.Put('\n');
        out_.Spaces(4 * depth);
        out_.Put('}');
        return;
      }
      case Kind::kArray: {
        if (Ops::Size(v) == 0) {
          out_.Put("[]");
          return;
        }
        bool first = true;
        Ops::Items(v, [&](const auto& x) {
          out_.Put(first ? "[\n" : ",\n");
          first = false;
          out_.Spaces(4 * (depth + 1));
          Write(x, zone, depth + 1, false);
        });
        out_.Put('\n');
        out_.Spaces(4 * depth);
        out_.Put(']');
        return;
      }
      case Kind::kString: JsonString(Ops::Str(v), out_); return;
      default:
        Ops::Scalar(v, scalar_);
        out_.Put(scalar_);
    }
  }

 private:
  Sink& out_;
  FieldNames names_;
  std::string scratch_;
  std::string scalar_;
};

// ---- YAML (go-yaml v2's block layout, which istioctl prints)

// A string YAML would read back as the same string when written plain.
bool PlainSafe(std::string_view s) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ' || s.back() == ':') return false;
  if (std::string_view("-?:,[]{}#&*!|>'\"%@`=<").find(s.front()) != std::string_view::npos) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7F) return false;
    if (c == ':' && i + 1 < s.size() && s[i + 1] == ' ') return false;
    if (c == '#' && i > 0 && s[i - 1] == ' ') return false;
  }
  if (yaml::ResolvePlainScalar(s) != yaml::NodeType::kString) return false;
  // YAML 1.1 timestamps (2001-12-14...), which go-yaml v2 resolves too.
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  if (digit(0) && digit(1) && digit(2) && digit(3) && s.size() > 4 && s[4] == '-') return false;
  return true;
}

void YamlString(std::string_view s, Sink& out) {
  if (PlainSafe(s)) {
    out.Put(s);
    return;
  }
  static const char kHex[] = "0123456789abcdef";
  out.Put('"');
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    uint32_t cp = c;
    size_t len = 1;
    // Code points YAML reads as line breaks or non-printable: C1 (U+0080..9F,
    // NEL among them), LS, PS and the BOM.
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      cp = static_cast<unsigned char>(s[i + 1]) & 0x3F;
      cp |= 0x80;
      len = 2;
    } else if (c == 0xE2 && i + 2 < s.size() && s[i + 1] == '\x80' && (s[i + 2] == '\xA8' || s[i + 2] == '\xA9')) {
      cp = s[i + 2] == '\xA8' ? 0x2028 : 0x2029;
      len = 3;
    } else if (c == 0xEF && i + 2 < s.size() && s[i + 1] == '\xBB' && s[i + 2] == '\xBF') {
      cp = 0xFEFF;
      len = 3;
    } else if (c >= 0x20 && c != 0x7F && c != '"' && c != '\\') {
      continue;
    }
    out.Put(s.substr(run, i - run));
    run = i + len;
    i += len - 1;
    switch (cp) {
      case '"': out.Put("\\\""); break;
      case '\\': out.Put("\\\\"); break;
      case '\n': out.Put("\\n"); break;
      case '\r': out.Put("\\r"); break;
      case '\t': out.Put("\\t"); break;
      default: {
        char esc[] = {'\\', 'u', kHex[(cp >> 12) & 15], kHex[(cp >> 8) & 15], kHex[(cp >> 4) & 15], kHex[cp & 15]};
        out.Put(std::string_view(esc, sizeof esc));
      }
    }
  }
  out.Put(s.substr(run));
  out.Put('"');
}

template <typename Ops>
class YamlWriter {
 public:
  YamlWriter(Sink& out, FieldNames names) : out_(out), names_(names) {}

  // Writes `v` after the caller wrote "key:" (as_value) or "- " / nothing.
  // `indent` is the column of the collection's entries; `inline_first` when
  // the first line's indentation is already written ("- ").
  void Write(const typename Ops::Value& v, Zone zone, int indent, bool inline_first, bool drop_type) {
    switch (Ops::KindOf(v)) {
      case Kind::kObject: WriteMap(v, zone, indent, inline_first, drop_type); return;
      case Kind::kArray: WriteSeq(v, zone, indent, inline_first); return;
      case Kind::kString: YamlString(Ops::Str(v), out_); out_.Put('\n'); return;
      default:
        Ops::Scalar(v, scalar_);
        out_.Put(scalar_);
        out_.Put('\n');
    }
  }

 private:
  struct Entry {
    size_t key_at, key_len;  // in names_buf_ of the entry's depth
    typename Ops::Held value;
    std::string_view source_key;
  };
  struct Level {
    std::vector<Entry> entries;
    std::string names;
  };

  static bool IsEmptyCollection(const typename Ops::Value& v) {
    Kind k = Ops::KindOf(v);
    return (k == Kind::kObject || k == Kind::kArray) && Ops::Size(v) == 0;
  }

  void WriteMap(const typename Ops::Value& v, Zone zone, int indent, bool inline_first, bool drop_type) {
    if (levels_.size() <= depth_) levels_.emplace_back();
    Level& level = levels_[depth_];
    level.entries.clear();
    level.names.clear();
    Ops::Fields(v, [&](std::string_view k, const auto& x) {
      if (drop_type && k == "@type") return;
      std::string_view name = OutputName(k, zone, names_, scratch_);
      level.entries.push_back(Entry{level.names.size(), name.size(), Ops::Hold(x), k});
      level.names.append(name);
    });
    if (level.entries.empty()) {
      out_.Put("{}\n");
      return;
    }
    const std::string& names = level.names;
    std::stable_sort(level.entries.begin(), level.entries.end(), [&](const Entry& a, const Entry& b) {
      return std::string_view(names).substr(a.key_at, a.key_len) < std::string_view(names).substr(b.key_at, b.key_len);
    });
    ++depth_;
    // Entries are read by index: a nested map may grow levels_.
    for (size_t i = 0; i < levels_[depth_ - 1].entries.size(); ++i) {
      const Level& here = levels_[depth_ - 1];
      const Entry e = here.entries[i];
      if (i > 0 || !inline_first) out_.Spaces(indent);
      YamlString(std::string_view(here.names).substr(e.key_at, e.key_len), out_);
      out_.Put(':');
      const auto& x = Ops::Get(e.value);
      Zone child = ChildZone<Ops>(zone, e.source_key, x, v);
      Kind k = Ops::KindOf(x);
      if (IsEmptyCollection(x)) {
        out_.Put(k == Kind::kObject ? " {}\n" : " []\n");
      } else if (k == Kind::kObject) {
        out_.Put('\n');
        WriteMap(x, child, indent + 2, false, false);
      } else if (k == Kind::kArray) {
        out_.Put('\n');
        WriteSeq(x, child, indent, false);
      } else {
        out_.Put(' ');
        Write(x, child, indent, false, false);
      }
    }
    --depth_;
  }

  void WriteSeq(const typename Ops::Value& v, Zone zone, int indent, bool inline_first) {
    if (Ops::Size(v) == 0) {
      out_.Put("[]\n");
      return;
    }
    bool first = true;
    Ops::Items(v, [&](const auto& x) {
      if (!first || !inline_first) out_.Spaces(indent);
      first = false;
      out_.Put("- ");
      Kind k = Ops::KindOf(x);
      if (IsEmptyCollection(x)) {
        out_.Put(k == Kind::kObject ? "{}\n" : "[]\n");
      } else {
        Write(x, zone, indent + 2, true, false);
      }
    });
  }

  Sink& out_;
  FieldNames names_;
  std::vector<Level> levels_;
  size_t depth_ = 0;
  std::string scratch_;
  std::string scalar_;
};

template <typename Ops>
void WriteOne(const typename Ops::Value& v, const StreamOptions& o, bool drop_type, Sink& sink) {
  if (o.format == StructuredFormat::kJson) {
    JsonWriter<Ops>(sink, o.names).Write(v, Zone::kMessage, 0, drop_type);
    sink.Put('\n');
  } else {
    YamlWriter<Ops>(sink, o.names).Write(v, Zone::kMessage, 0, false, drop_type);
  }
}

}  // namespace

void StreamMessages(const std::vector<JsonView>& items, const StreamOptions& o, std::ostream& out) {
  Sink sink(out);
  if (items.empty()) {
    sink.Put("[]\n");
    return;
  }
  if (o.format == StructuredFormat::kJson) {
    JsonWriter<ViewOps> w(sink, o.names);
    for (size_t i = 0; i < items.size(); ++i) {
      sink.Put(i == 0 ? "[\n    " : ",\n    ");
      w.Write(items[i], Zone::kMessage, 1, o.drop_type);
    }
    sink.Put("\n]\n");
    return;
  }
  YamlWriter<ViewOps> w(sink, o.names);
  for (const auto& item : items) {
    sink.Put("- ");
    if (item.IsObject() && item.size() == 0) {
      sink.Put("{}\n");
    } else {
      w.Write(item, Zone::kMessage, 2, true, o.drop_type);
    }
  }
}

void StreamValue(const JsonView& v, const StreamOptions& o, std::ostream& out) {
  Sink sink(out);
  WriteOne<ViewOps>(v, o, o.drop_type, sink);
}

void StreamValue(const nlohmann::ordered_json& v, const StreamOptions& o, std::ostream& out) {
  Sink sink(out);
  WriteOne<NlohmannOps>(v, o, o.drop_type, sink);
}

}  // namespace meshctl::envoy
