#include "lib/validate/schema.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>
#include <system_error>

#include <fmt/format.h>

#include "lib/core/strings.h"

namespace meshctl::validate {

using yaml::Node;
using yaml::NodeType;

std::optional<int64_t> EnumDesc::Number(std::string_view name) const {
  for (const auto& [n, v] : values)
    if (n == name) return v;
  return std::nullopt;
}

const std::string* EnumDesc::Name(int64_t number) const {
  for (const auto& [n, v] : values)
    if (v == number) return &n;
  return nullptr;
}

const FieldDesc* MessageDesc::FindField(std::string_view name) const {
  for (const auto& f : fields)
    if (f.json_name == name || f.proto_name == name) return &f;
  return nullptr;
}

namespace {

// protoc's JSON name: drop '_' and upper-case the letter after it.
std::string JsonName(std::string_view proto) {
  std::string out;
  bool upper = false;
  for (char c : proto) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

struct Builtin {
  std::string_view name;
  ScalarKind kind;
  bool wrapper;
};

constexpr Builtin kBuiltins[] = {
    {"string", ScalarKind::kString, false},      {"bool", ScalarKind::kBool, false},
    {"int32", ScalarKind::kInt32, false},        {"int64", ScalarKind::kInt64, false},
    {"uint32", ScalarKind::kUInt32, false},      {"uint64", ScalarKind::kUInt64, false},
    {"double", ScalarKind::kDouble, false},      {"float", ScalarKind::kDouble, false},
    {"bytes", ScalarKind::kBytes, false},        {"Duration", ScalarKind::kDuration, false},
    {"Struct", ScalarKind::kStruct, false},      {"Value", ScalarKind::kValue, false},
    {"ListValue", ScalarKind::kValue, false},    {"Any", ScalarKind::kValue, false},
    {"Empty", ScalarKind::kEmpty, false},        {"Timestamp", ScalarKind::kString, false},
    {"StringValue", ScalarKind::kString, true},  {"BoolValue", ScalarKind::kBool, true},
    {"Int32Value", ScalarKind::kInt32, true},    {"Int64Value", ScalarKind::kInt64, true},
    {"UInt32Value", ScalarKind::kUInt32, true},  {"UInt64Value", ScalarKind::kUInt64, true},
    {"DoubleValue", ScalarKind::kDouble, true},  {"FloatValue", ScalarKind::kDouble, true},
};

const Builtin* FindBuiltin(std::string_view n) {
  for (const auto& b : kBuiltins)
    if (b.name == n) return &b;
  return nullptr;
}

bool ParseKeyType(std::string_view t, ScalarKind& out) {
  const Builtin* b = FindBuiltin(t);
  if (!b || b->wrapper) return false;
  if (b->kind != ScalarKind::kString && b->kind != ScalarKind::kInt32 && b->kind != ScalarKind::kInt64 &&
      b->kind != ScalarKind::kUInt32 && b->kind != ScalarKind::kUInt64 && b->kind != ScalarKind::kBool)
    return false;
  out = b->kind;
  return true;
}

}  // namespace

SchemaPool::SchemaPool() {
  // Pass 1: parse every source into descriptors with unresolved type names.
  for (std::string_view src : SchemaSources()) {
    std::string package;
    MessageDesc* current = nullptr;
    std::istringstream in{std::string(src)};
    std::string line;
    int lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
      std::vector<std::string> words;
      {
        std::istringstream ws(line);
        std::string w;
        while (ws >> w) words.push_back(w);
      }
      if (words.empty()) continue;
      auto where = [&] { return fmt::format("schema {}:{}: ", package, lineno); };
      if (words[0] == "package" && words.size() == 2) {
        package = words[1];
        current = nullptr;
      } else if (words[0] == "message" && words.size() == 2) {
        auto m = std::make_unique<MessageDesc>();
        m->full_name = package + "." + words[1];
        current = m.get();
        if (messages_.count(m->full_name)) errors_.push_back(where() + "duplicate message " + m->full_name);
        messages_[m->full_name] = std::move(m);
      } else if (words[0] == "enum" && words.size() >= 2) {
        auto e = std::make_unique<EnumDesc>();
        e->full_name = package + "." + words[1];
        for (size_t i = 2; i < words.size(); ++i) {
          auto eq = words[i].find('=');
          if (eq == std::string::npos) {
            errors_.push_back(where() + "enum value without =number: " + words[i]);
            continue;
          }
          e->values.emplace_back(words[i].substr(0, eq), std::stoll(words[i].substr(eq + 1)));
        }
        enums_[e->full_name] = std::move(e);
        current = nullptr;
      } else if (current && words.size() == 2) {
        FieldDesc f;
        f.proto_name = words[0];
        f.json_name = JsonName(words[0]);
        std::string_view t = words[1];
        if (t.substr(0, 2) == "[]") {
          f.repeated = true;
          t.remove_prefix(2);
        } else if (t.substr(0, 4) == "map<" && t.back() == '>') {
          auto comma = t.find(',');
          if (comma == std::string_view::npos || !ParseKeyType(t.substr(4, comma - 4), f.map_key)) {
            errors_.push_back(where() + "bad map type " + std::string(t));
            continue;
          }
          f.is_map = true;
          t = t.substr(comma + 1, t.size() - comma - 2);
        }
        f.type_name = std::string(t);
        current->fields.push_back(std::move(f));
      } else {
        errors_.push_back(where() + "cannot parse line: " + line);
      }
    }
  }
  // Pass 2: resolve type names with protobuf scoping (innermost first).
  for (auto& [name, m] : messages_) {
    for (auto& f : m->fields) {
      if (const Builtin* b = FindBuiltin(f.type_name)) {
        f.kind = b->kind;
        f.wrapper = b->wrapper;
        continue;
      }
      std::string scope = m->full_name;
      bool found = false;
      while (!found) {
        std::string candidate = scope.empty() ? f.type_name : scope + "." + f.type_name;
        if (auto it = messages_.find(candidate); it != messages_.end()) {
          f.kind = ScalarKind::kMessage;
          f.message_type = it->second.get();
          found = true;
        } else if (auto et = enums_.find(candidate); et != enums_.end()) {
          f.kind = ScalarKind::kEnum;
          f.enum_type = et->second.get();
          found = true;
        } else if (scope.empty()) {
          break;
        } else {
          auto dot = scope.rfind('.');
          scope = dot == std::string::npos ? "" : scope.substr(0, dot);
        }
      }
      if (!found) errors_.push_back("schema: " + name + "." + f.proto_name + ": unknown type " + f.type_name);
    }
  }
}

const SchemaPool& SchemaPool::Get() {
  static const SchemaPool* pool = new SchemaPool();
  return *pool;
}

const MessageDesc* SchemaPool::FindMessage(std::string_view full_name) const {
  auto it = messages_.find(full_name);
  return it == messages_.end() ? nullptr : it->second.get();
}

const EnumDesc* SchemaPool::FindEnum(std::string_view full_name) const {
  auto it = enums_.find(full_name);
  return it == enums_.end() ? nullptr : it->second.get();
}

// ---------------------------------------------------------------------------
// Go time.ParseDuration

std::optional<int64_t> ParseGoDuration(std::string_view s) {
  std::string_view orig = s;
  (void)orig;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  // Accumulate in long double-free integer arithmetic with overflow checks.
  uint64_t total = 0;
  const uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (neg ? 1 : 0);
  while (!s.empty()) {
    if (!(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return std::nullopt;
    uint64_t whole = 0;
    size_t i = 0;
    bool pre = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (whole > (std::numeric_limits<uint64_t>::max() - 9) / 10) return std::nullopt;
      whole = whole * 10 + static_cast<uint64_t>(s[i] - '0');
      ++i;
      pre = true;
    }
    uint64_t frac = 0;
    uint64_t scale = 1;
    bool post = false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        if (scale < 1'000'000'000'000'000'000ULL) {
          frac = frac * 10 + static_cast<uint64_t>(s[i] - '0');
          scale *= 10;
        }
        ++i;
        post = true;
      }
    }
    if (!pre && !post) return std::nullopt;
    size_t u = i;
    while (u < s.size() && s[u] != '.' && !std::isdigit(static_cast<unsigned char>(s[u]))) ++u;
    std::string_view unit = s.substr(i, u - i);
    uint64_t mult;
    if (unit == "ns") mult = 1;
    else if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") mult = 1000;
    else if (unit == "ms") mult = 1'000'000;
    else if (unit == "s") mult = 1'000'000'000;
    else if (unit == "m") mult = 60'000'000'000ULL;
    else if (unit == "h") mult = 3'600'000'000'000ULL;
    else return std::nullopt;  // missing or unknown unit
    if (whole > kMax / mult) return std::nullopt;
    uint64_t v = whole * mult;
    if (post) v += static_cast<uint64_t>(static_cast<long double>(frac) * mult / scale);
    if (v > kMax || total > kMax - v) return std::nullopt;
    total += v;
    s.remove_prefix(u);
  }
  if (neg) return -static_cast<int64_t>(total - 1) - 1;
  return static_cast<int64_t>(total);
}

// ---------------------------------------------------------------------------
// Decoding

namespace {

std::string_view JsonTypeName(const Node& n) {
  switch (n.type()) {
    case NodeType::kMap: return "object";
    case NodeType::kSeq: return "array";
    case NodeType::kBool: return "bool";
    case NodeType::kInt:
    case NodeType::kFloat: return "number";
    case NodeType::kNull: return "null";
    default: return "string";
  }
}

std::string_view GoTypeName(ScalarKind k) {
  switch (k) {
    case ScalarKind::kInt32: return "int32";
    case ScalarKind::kInt64: return "int64";
    case ScalarKind::kUInt32: return "uint32";
    case ScalarKind::kUInt64: return "uint64";
    case ScalarKind::kDouble: return "float64";
    case ScalarKind::kBool: return "bool";
    default: return "string";
  }
}

// The text jsonpb would see for a scalar (numbers as written, strings quoted).
std::string RawJson(const Node& n) {
  if (n.IsString()) return core::GoQuote(n.text());
  if (n.IsMap()) return "{...}";
  if (n.IsSeq()) return "[...]";
  return n.ToScalarString();
}

struct Err {
  std::string message;
  std::vector<std::string> path;  // innermost last after reversal
  yaml::Mark mark;
};

class Decoder {
 public:
  std::optional<Err> Message(const Node* in, const MessageDesc& m, Node& out);

 private:
  std::optional<Err> Singular(const Node& in, const FieldDesc& f, Node& out);
  std::optional<Err> Integer(const Node& in, ScalarKind k, Node& out);
};

Err Fail(const Node& at, std::string msg) { return Err{std::move(msg), {}, at.mark()}; }

std::optional<Err> Decoder::Message(const Node* in, const MessageDesc& m, Node& out) {
  out = Node::Map(in ? in->mark() : yaml::Mark{});
  if (!in || in->IsNull()) return std::nullopt;
  if (!in->IsMap())
    return Fail(*in, fmt::format("json: cannot unmarshal {} into Go value of type map[string]json.RawMessage",
                                 JsonTypeName(*in)));
  const Node* first_unknown_key = nullptr;
  for (size_t i = 0; i < in->size(); ++i) {
    const Node& key = in->KeyAt(i);
    const Node& val = in->ValueAt(i);
    std::string k = key.ToScalarString();
    const FieldDesc* f = m.FindField(k);
    if (!f) {
      if (!first_unknown_key) first_unknown_key = &key;
      continue;
    }
    if (val.IsNull()) continue;  // null = absent
    Node decoded;
    std::optional<Err> e;
    if (f->repeated) {
      if (!val.IsSeq()) {
        e = Fail(val, fmt::format("json: cannot unmarshal {} into Go value of type []json.RawMessage",
                                  JsonTypeName(val)));
      } else {
        if (val.size() == 0) continue;  // [] = absent
        decoded = Node::Seq(val.mark());
        for (size_t j = 0; j < val.size() && !e; ++j) {
          Node item;
          e = Singular(val.at(j), *f, item);
          if (e) e->path.push_back("[" + std::to_string(j) + "]");
          else decoded.Push(std::move(item));
        }
      }
    } else if (f->is_map) {
      if (!val.IsMap()) {
        e = Fail(val, fmt::format("json: cannot unmarshal {} into Go value of type map[string]json.RawMessage",
                                  JsonTypeName(val)));
      } else {
        decoded = Node::Map(val.mark());
        for (size_t j = 0; j < val.size() && !e; ++j) {
          const Node& mk = val.KeyAt(j);
          std::string ks = mk.ToScalarString();
          if (f->map_key != ScalarKind::kString && f->map_key != ScalarKind::kBool) {
            Node tmp;
            auto ke = Integer(Node::Scalar(NodeType::kString, ks, mk.mark()), f->map_key, tmp);
            if (ke) {
              e = Fail(mk, fmt::format("json: cannot unmarshal number {} into Go value of type {}", ks,
                                       GoTypeName(f->map_key)));
              break;
            }
          }
          Node item;
          if (val.ValueAt(j).IsNull() && f->kind == ScalarKind::kMessage) {
            item = Node::Map(val.ValueAt(j).mark());
          } else {
            e = Singular(val.ValueAt(j), *f, item);
          }
          if (e) {
            e->path.push_back("['" + ks + "']");
          } else {
            decoded.Append(Node::Scalar(NodeType::kString, ks, mk.mark()), std::move(item));
          }
        }
      }
    } else {
      e = Singular(val, *f, decoded);
    }
    if (e) {
      e->path.push_back(f->json_name);
      return e;
    }
    out.Append(Node::Scalar(NodeType::kString, f->json_name, key.mark()), std::move(decoded));
  }
  if (first_unknown_key) {
    Err e = Fail(*first_unknown_key, fmt::format("unknown field {} in {}",
                                                 core::GoQuote(first_unknown_key->ToScalarString()), m.full_name));
    e.path.push_back(first_unknown_key->ToScalarString());
    return e;
  }
  return std::nullopt;
}

std::optional<Err> Decoder::Integer(const Node& in, ScalarKind k, Node& out) {
  std::string text;
  if (in.IsInt()) {
    text = in.text();
  } else if (in.IsString() || in.type() == NodeType::kFloat) {
    text = in.IsString() ? std::string(core::Trim(in.text())) : in.text();
  } else {
    return Fail(in, fmt::format("json: cannot unmarshal {} into Go value of type {}", JsonTypeName(in),
                                GoTypeName(k)));
  }
  auto bad = [&] {
    return Fail(in, fmt::format("json: cannot unmarshal number {} into Go value of type {}", text, GoTypeName(k)));
  };
  // The YAML layer resolved ints already (0x.., 0o.., octal); AsInt covers them.
  std::optional<int64_t> v;
  if (in.IsInt()) {
    v = in.AsInt();
  } else {
    std::string_view t = text;
    bool neg = !t.empty() && t[0] == '-';
    std::string_view digits = (neg || (!t.empty() && t[0] == '+')) ? t.substr(1) : t;
    if (!digits.empty() && digits.size() <= 19 &&
        digits.find_first_not_of("0123456789") == std::string_view::npos) {
      v = std::stoll(std::string(t));
    }
  }
  if (!v) {
    // uint64 beyond int64 is still fine for uint64 fields.
    if (k == ScalarKind::kUInt64 && !text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
        text.size() <= 20) {
      out = Node::Scalar(NodeType::kInt, text, in.mark());
      return std::nullopt;
    }
    return bad();
  }
  int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
  if (k == ScalarKind::kInt32) lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
  if (k == ScalarKind::kUInt32) lo = 0, hi = std::numeric_limits<uint32_t>::max();
  if (k == ScalarKind::kUInt64) lo = 0;
  if (*v < lo || *v > hi) return bad();
  out = Node::Scalar(NodeType::kInt, std::to_string(*v), in.mark());
  return std::nullopt;
}

bool IsBase64(std::string_view s) {
  size_t n = 0;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '-' || c == '_') {
      ++n;
    } else if (c == '=' || c == '\n' || c == '\r') {
      continue;
    } else {
      return false;
    }
  }
  return n % 4 != 1;
}

std::optional<Err> Decoder::Singular(const Node& in, const FieldDesc& f, Node& out) {
  switch (f.kind) {
    case ScalarKind::kMessage:
      if (in.IsNull()) {
        out = Node::Map(in.mark());
        return std::nullopt;
      }
      return Message(&in, *f.message_type, out);
    case ScalarKind::kStruct:
      if (!in.IsMap())
        return Fail(in, fmt::format("json: cannot unmarshal {} into Go value of type map[string]json.RawMessage",
                                    JsonTypeName(in)));
      out = in;
      return std::nullopt;
    case ScalarKind::kValue:
      out = in;
      return std::nullopt;
    case ScalarKind::kEmpty:
      if (!in.IsMap() || in.size() != 0) return Fail(in, "unexpected content for google.protobuf.Empty");
      out = in;
      return std::nullopt;
    case ScalarKind::kString:
      if (!in.IsString())
        return Fail(in, fmt::format("json: cannot unmarshal {} into Go value of type string", JsonTypeName(in)));
      out = in;
      return std::nullopt;
    case ScalarKind::kBytes:
      if (!in.IsString())
        return Fail(in, fmt::format("json: cannot unmarshal {} into Go value of type string", JsonTypeName(in)));
      if (!IsBase64(in.text())) return Fail(in, "illegal base64 data at input byte 0");
      out = in;
      return std::nullopt;
    case ScalarKind::kBool:
      if (!in.IsBool()) return Fail(in, fmt::format("invalid value for bool type: {}", RawJson(in)));
      out = in;
      return std::nullopt;
    case ScalarKind::kInt32:
    case ScalarKind::kInt64:
    case ScalarKind::kUInt32:
    case ScalarKind::kUInt64:
      return Integer(in, f.kind, out);
    case ScalarKind::kDouble:
      if (in.IsNumber()) {
        out = in;
        return std::nullopt;
      }
      if (in.IsString()) {
        std::string t(core::Trim(in.text()));
        if (t == "NaN" || t == "Infinity" || t == "-Infinity") {
          out = Node::Scalar(NodeType::kFloat, t == "NaN" ? ".nan" : (t[0] == '-' ? "-.inf" : ".inf"), in.mark());
          return std::nullopt;
        }
        char* end = nullptr;
        std::strtod(t.c_str(), &end);
        if (!t.empty() && end && *end == '\0') {
          out = Node::Scalar(NodeType::kFloat, t, in.mark());
          return std::nullopt;
        }
      }
      return Fail(in, fmt::format("json: cannot unmarshal {} into Go value of type float64", JsonTypeName(in)));
    case ScalarKind::kDuration: {
      if (!in.IsString())
        return Fail(in, fmt::format("bad Duration: json: cannot unmarshal {} into Go value of type string",
                                    JsonTypeName(in)));
      if (!ParseGoDuration(in.text()))
        return Fail(in, fmt::format("bad Duration: time: invalid duration {}", core::GoQuote(in.text())));
      out = in;
      return std::nullopt;
    }
    case ScalarKind::kEnum: {
      if (in.IsString()) {
        if (!f.enum_type->Number(in.text()))
          return Fail(in, fmt::format("unknown value {} for enum {}", core::GoQuote(core::GoQuote(in.text())),
                                      f.enum_type->full_name));
        out = in;
        return std::nullopt;
      }
      if (in.IsInt()) {
        auto v = in.AsInt();
        if (!v || *v < std::numeric_limits<int32_t>::min() || *v > std::numeric_limits<int32_t>::max())
          return Fail(in, fmt::format("json: cannot unmarshal number {} into Go value of type int32", in.text()));
        if (const std::string* name = f.enum_type->Name(*v)) {
          out = Node::Scalar(NodeType::kString, *name, in.mark());
        } else {
          out = Node::Scalar(NodeType::kInt, std::to_string(*v), in.mark());
        }
        return std::nullopt;
      }
      return Fail(in, fmt::format("unknown value {} for enum {}", core::GoQuote(RawJson(in)),
                                  f.enum_type->full_name));
    }
  }
  return std::nullopt;
}

// The read-only twin of Decoder: true only where Decoder would succeed and
// produce a node equal to its input in types, texts, order and positions.
// Conservative: anything Decoder would rewrite or reject (proto names, nulls,
// empty lists, quoted or non-canonical numbers, numeric enums, integer map
// keys) answers false, and the caller decodes a copy as before.
bool NormalSingular(const Node& in, const FieldDesc& f);

bool NormalMessage(const Node& in, const MessageDesc& m) {
  if (!in.IsMap()) return false;
  for (size_t i = 0; i < in.size(); ++i) {
    const Node& key = in.KeyAt(i);
    const Node& val = in.ValueAt(i);
    if (!key.IsString()) return false;
    const FieldDesc* f = m.FindField(key.text());
    if (!f || f->json_name != key.text() || val.IsNull()) return false;
    if (f->repeated) {
      if (!val.IsSeq() || val.size() == 0) return false;
      for (size_t j = 0; j < val.size(); ++j)
        if (!NormalSingular(val.at(j), *f)) return false;
    } else if (f->is_map) {
      if (!val.IsMap() || (f->map_key != ScalarKind::kString && f->map_key != ScalarKind::kBool)) return false;
      for (size_t j = 0; j < val.size(); ++j)
        if (!val.KeyAt(j).IsString() || !NormalSingular(val.ValueAt(j), *f)) return false;
    } else if (!NormalSingular(val, *f)) {
      return false;
    }
  }
  return true;
}

bool NormalSingular(const Node& in, const FieldDesc& f) {
  switch (f.kind) {
    case ScalarKind::kMessage: return NormalMessage(in, *f.message_type);
    case ScalarKind::kStruct: return in.IsMap();
    case ScalarKind::kValue: return true;
    case ScalarKind::kEmpty: return in.IsMap() && in.size() == 0;
    case ScalarKind::kString: return in.IsString();
    case ScalarKind::kBytes: return in.IsString() && IsBase64(in.text());
    case ScalarKind::kBool: return in.IsBool();
    case ScalarKind::kInt32:
    case ScalarKind::kInt64:
    case ScalarKind::kUInt32:
    case ScalarKind::kUInt64: {
      if (!in.IsInt()) return false;
      std::optional<int64_t> v = in.AsInt();
      if (!v) return false;
      int64_t lo = std::numeric_limits<int64_t>::min(), hi = std::numeric_limits<int64_t>::max();
      if (f.kind == ScalarKind::kInt32) lo = std::numeric_limits<int32_t>::min(), hi = std::numeric_limits<int32_t>::max();
      if (f.kind == ScalarKind::kUInt32) lo = 0, hi = std::numeric_limits<uint32_t>::max();
      if (f.kind == ScalarKind::kUInt64) lo = 0;
      if (*v < lo || *v > hi) return false;
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *v);
      return ec == std::errc() && std::string_view(buf, static_cast<size_t>(end - buf)) == in.text();
    }
    case ScalarKind::kDouble: return in.IsNumber();
    case ScalarKind::kDuration: return in.IsString() && ParseGoDuration(in.text()).has_value();
    case ScalarKind::kEnum: return in.IsString() && f.enum_type->Number(in.text()).has_value();
  }
  return false;
}

}  // namespace

DecodeResult DecodeMessage(const Node* in, const MessageDesc& m) {
  DecodeResult r;
  Decoder d;
  if (auto e = d.Message(in, m, r.node)) {
    DecodeError de;
    de.message = std::move(e->message);
    de.mark = e->mark;
    for (auto it = e->path.rbegin(); it != e->path.rend(); ++it) {
      if (!de.field_path.empty() && (*it)[0] != '[') de.field_path += '.';
      de.field_path += *it;
    }
    r.error = std::move(de);
  }
  return r;
}

bool IsNormalMessage(const Node* in, const MessageDesc& m) { return in != nullptr && NormalMessage(*in, m); }

}  // namespace meshctl::validate
