#include "lib/envoy/json_view.h"

#include <yaml-cpp/yaml.h>

#include <charconv>

#include "lib/json/parser.h"

namespace meshctl::envoy {

namespace dom = simdjson::dom;

std::string LowerCamel(std::string_view snake) {
  std::string out;
  out.reserve(snake.size());
  bool upper = false;
  for (char c : snake) {
    if (c == '_') {
      upper = true;
      continue;
    }
    out += upper && c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
    upper = false;
  }
  return out;
}

JsonView JsonView::operator[](std::string_view key) const {
  dom::object obj;
  if (!present_ || e_.get_object().get(obj) != simdjson::SUCCESS) return {};
  dom::element v;
  if (obj.at_key(key).get(v) == simdjson::SUCCESS) return JsonView(v);
  if (key.find('_') != std::string_view::npos) {
    std::string camel = LowerCamel(key);
    if (obj.at_key(camel).get(v) == simdjson::SUCCESS) return JsonView(v);
  }
  return {};
}

JsonView JsonView::At(size_t i) const {
  dom::array arr;
  if (!present_ || e_.get_array().get(arr) != simdjson::SUCCESS) return {};
  dom::element v;
  if (arr.at(i).get(v) != simdjson::SUCCESS) return {};
  return JsonView(v);
}

size_t JsonView::size() const {
  if (!present_) return 0;
  dom::array arr;
  if (e_.get_array().get(arr) == simdjson::SUCCESS) return arr.size();
  dom::object obj;
  if (e_.get_object().get(obj) == simdjson::SUCCESS) return obj.size();
  return 0;
}

std::vector<JsonView> JsonView::Items() const {
  std::vector<JsonView> out;
  ForEach([&](JsonView v) { out.push_back(v); });
  return out;
}

std::string_view JsonView::Str() const {
  std::string_view s;
  if (!present_ || e_.get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

int64_t JsonView::Int(int64_t fallback) const {
  if (!present_) return fallback;
  int64_t i;
  if (e_.get_int64().get(i) == simdjson::SUCCESS) return i;
  uint64_t u;
  if (e_.get_uint64().get(u) == simdjson::SUCCESS) return static_cast<int64_t>(u);
  double d;
  if (e_.get_double().get(d) == simdjson::SUCCESS) return static_cast<int64_t>(d);
  std::string_view s;
  if (e_.get_string().get(s) == simdjson::SUCCESS) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && p == s.data() + s.size()) return v;
  }
  return fallback;
}

bool JsonView::Bool(bool fallback) const {
  bool b;
  if (!present_ || e_.get_bool().get(b) != simdjson::SUCCESS) return fallback;
  return b;
}

std::string JsonView::Minified() const {
  if (!present_) return {};
  return simdjson::minify(e_);
}

std::string JsonView::ScalarText() const {
  if (!present_) return {};
  if (e_.is_string()) return std::string(Str());
  return simdjson::minify(e_);
}

// ---- JsonDocument

core::Status JsonDocument::ParseBuffer() {
  auto err = parser_.parse(buffer_).get(root_);
  if (err == simdjson::SUCCESS) return core::Status::Ok();
  if (err == simdjson::EMPTY) return core::DataError(source_ + ": empty input, expected JSON");
  // simdjson does not say where; the position-tracking loader does.
  auto positioned = json::ParseJsonStream(text(), source_);
  if (!positioned.ok()) return positioned.status();
  return core::DataError(source_ + ": invalid JSON: " + simdjson::error_message(err));
}

core::Result<std::unique_ptr<JsonDocument>> JsonDocument::Parse(std::string_view content, const std::string& source) {
  std::unique_ptr<JsonDocument> doc(new JsonDocument());
  doc->source_ = source;
  doc->buffer_ = simdjson::padded_string(content);
  RETURN_IF_ERROR(doc->ParseBuffer());
  return doc;
}

core::Result<std::unique_ptr<JsonDocument>> JsonDocument::Load(const std::string& path) {
  std::unique_ptr<JsonDocument> doc(new JsonDocument());
  doc->source_ = path;
  if (simdjson::padded_string::load(path).get(doc->buffer_) != simdjson::SUCCESS) {
    return core::IoError("cannot read " + path);
  }
  RETURN_IF_ERROR(doc->ParseBuffer());
  return doc;
}

// ---- writers

namespace {

void WriteJsonString(std::string_view s, std::ostream& out) {
  static const char kHex[] = "0123456789abcdef";
  out << '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      case '\b': out << "\\b"; break;
      case '\f': out << "\\f"; break;
      default:
        if (c < 0x20) {
          out << "\\u00" << kHex[c >> 4] << kHex[c & 15];
        } else {
          out << static_cast<char>(c);
        }
    }
  }
  out << '"';
}

void Indent(std::ostream& out, int n) {
  for (int i = 0; i < n; ++i) out << ' ';
}

void WriteJsonValue(const JsonView& v, std::ostream& out, int indent, int depth) {
  if (v.IsObject()) {
    if (v.size() == 0) {
      out << "{}";
      return;
    }
    out << "{\n";
    size_t i = 0, n = v.size();
    v.ForEachField([&](std::string_view k, JsonView x) {
      Indent(out, indent * (depth + 1));
      WriteJsonString(k, out);
      out << ": ";
      WriteJsonValue(x, out, indent, depth + 1);
      out << (++i < n ? ",\n" : "\n");
    });
    Indent(out, indent * depth);
    out << "}";
  } else if (v.IsArray()) {
    if (v.size() == 0) {
      out << "[]";
      return;
    }
    out << "[\n";
    size_t i = 0, n = v.size();
    v.ForEach([&](JsonView x) {
      Indent(out, indent * (depth + 1));
      WriteJsonValue(x, out, indent, depth + 1);
      out << (++i < n ? ",\n" : "\n");
    });
    Indent(out, indent * depth);
    out << "]";
  } else if (v.IsString()) {
    WriteJsonString(v.Str(), out);
  } else if (v.present()) {
    out << v.Minified();
  } else {
    out << "null";
  }
}

// True when a plain YAML scalar with this text would not read back as the
// same string (numbers, booleans, null, empty, leading indicators...).
bool NeedsQuotes(std::string_view s) {
  if (s.empty()) return true;
  static const char* const kWords[] = {"true", "false", "yes", "no", "on", "off", "null", "~", "y", "n"};
  std::string lower;
  for (char c : s) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  for (const char* w : kWords) {
    if (lower == w) return true;
  }
  bool numeric = true;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E' || c == '_')) {
      numeric = false;
      break;
    }
  }
  if (numeric) return true;
  if (lower == ".inf" || lower == "-.inf" || lower == ".nan") return true;
  return false;
}

void EmitYaml(const JsonView& v, YAML::Emitter& e) {
  if (v.IsObject()) {
    e << YAML::BeginMap;
    v.ForEachField([&](std::string_view k, JsonView x) {
      e << YAML::Key;
      std::string key(k);
      if (NeedsQuotes(key)) e << YAML::DoubleQuoted;
      e << key << YAML::Value;
      EmitYaml(x, e);
    });
    e << YAML::EndMap;
  } else if (v.IsArray()) {
    e << YAML::BeginSeq;
    v.ForEach([&](JsonView x) { EmitYaml(x, e); });
    e << YAML::EndSeq;
  } else if (v.IsString()) {
    std::string s(v.Str());
    if (NeedsQuotes(s)) e << YAML::DoubleQuoted;
    e << s;
  } else if (v.IsNull() || !v.present()) {
    e << YAML::Null;
  } else {
    e << v.Minified();
  }
}

}  // namespace

void WriteJson(const JsonView& v, std::ostream& out, int indent) {
  WriteJsonValue(v, out, indent, 0);
  out << "\n";
}

void WriteJsonArray(const std::vector<JsonView>& items, std::ostream& out, int indent) {
  if (items.empty()) {
    out << "[]\n";
    return;
  }
  out << "[\n";
  for (size_t i = 0; i < items.size(); ++i) {
    Indent(out, indent);
    WriteJsonValue(items[i], out, indent, 1);
    out << (i + 1 < items.size() ? ",\n" : "\n");
  }
  out << "]\n";
}

void WriteYaml(const JsonView& v, std::ostream& out) {
  YAML::Emitter e;
  e.SetIndent(2);
  e.SetSeqFormat(YAML::Block);
  EmitYaml(v, e);
  out << e.c_str() << "\n";
}

void WriteYamlArray(const std::vector<JsonView>& items, std::ostream& out) {
  if (items.empty()) {
    out << "[]\n";
    return;
  }
  YAML::Emitter e;
  e.SetIndent(2);
  e << YAML::BeginSeq;
  for (const auto& it : items) EmitYaml(it, e);
  e << YAML::EndSeq;
  out << e.c_str() << "\n";
}

}  // namespace meshctl::envoy
