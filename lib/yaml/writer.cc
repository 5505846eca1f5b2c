#include "lib/yaml/writer.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "lib/yaml/parser.h"

namespace meshctl::yaml {

bool NeedsQuotes(const std::string& text) {
  if (text.empty()) return true;
  // `--- x` and `... x` at the start of a line are document markers: a plain
  // key or item written there would end the document (found by fuzzing).
  if ((text.rfind("---", 0) == 0 || text.rfind("...", 0) == 0) &&
      (text.size() == 3 || text[3] == ' ' || text[3] == '\t'))
    return true;
  // A plain `<<` key is a merge key when read back; the string is quoted.
  if (text == "<<") return true;
  return ResolvePlainScalar(text) != NodeType::kString;
}

namespace {

// A literal block (`|`) round-trips only for text that ends with exactly one
// newline and has no trailing blanks or carriage returns on its lines.
bool LiteralSafe(const std::string& s) {
  if (s.size() < 2 || s.back() != '\n' || s[s.size() - 2] == '\n') return false;
  if (s.front() == ' ' || s.front() == '\t') return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\r' || c == '\t') return false;
    if (c == '\n' && i > 0 && s[i - 1] == ' ') return false;
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') return false;
  }
  return true;
}

// NEL, LS and PS are line breaks to a YAML 1.1 reader (libyaml, go-yaml v2)
// but not to yaml-cpp, which would write them raw into a plain scalar.
bool HasYaml11Break(const std::string& s) {
  return s.find("\xC2\x85") != std::string::npos || s.find("\xE2\x80\xA8") != std::string::npos ||
         s.find("\xE2\x80\xA9") != std::string::npos;
}

void EmitString(YAML::Emitter& out, const std::string& s) {
  if (HasYaml11Break(s)) {
    // Double-quoted with \u escapes: the only form that keeps them.
    out << YAML::EscapeNonAscii << YAML::DoubleQuoted << s << YAML::EmitNonAscii;
    return;
  }
  if (s.find('\n') != std::string::npos) {
    if (LiteralSafe(s)) {
      out << YAML::Literal << s;
    } else {
      out << YAML::DoubleQuoted << s;
    }
    return;
  }
  if (NeedsQuotes(s)) {
    out << YAML::DoubleQuoted << s;
    return;
  }
  out << s;
}

void Emit(YAML::Emitter& out, const Node& n) {
  switch (n.type()) {
    case NodeType::kNull:
      out << YAML::Null;
      return;
    case NodeType::kBool:
      out << (n.AsBool().value_or(false) ? "true" : "false");
      return;
    case NodeType::kInt:
    case NodeType::kFloat:
      // The spelling as written is a valid plain number (that is how it was typed).
      out << n.text();
      return;
    case NodeType::kString:
      EmitString(out, n.text());
      return;
    case NodeType::kMap:
      if (n.size() == 0) {
        out << YAML::Flow << YAML::BeginMap << YAML::EndMap;
        return;
      }
      out << YAML::BeginMap;
      for (size_t i = 0; i < n.size(); ++i) {
        out << YAML::Key;
        const Node& k = n.KeyAt(i);
        if (k.IsString()) {
          EmitString(out, k.text());
        } else {
          Emit(out, k);
        }
        out << YAML::Value;
        Emit(out, n.ValueAt(i));
      }
      out << YAML::EndMap;
      return;
    case NodeType::kSeq:
      if (n.size() == 0) {
        out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
        return;
      }
      out << YAML::BeginSeq;
      for (const auto& item : n.children()) Emit(out, item);
      out << YAML::EndSeq;
      return;
  }
}

core::Result<std::string> Finish(YAML::Emitter& out, bool indentless) {
  if (!out.good()) return core::Internal("cannot write YAML: " + out.GetLastError());
  std::string s = out.c_str();
  if (s.empty() || s.back() != '\n') s += '\n';
  return indentless ? IndentlessSequences(s) : s;
}

struct Line {
  int indent;
  std::string_view text;  // without the indentation
};

std::vector<Line> SplitLines(std::string_view s) {
  std::vector<Line> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    std::string_view l = s.substr(start, nl - start);
    int ind = 0;
    while (static_cast<size_t>(ind) < l.size() && l[static_cast<size_t>(ind)] == ' ') ++ind;
    out.push_back({ind, l.substr(static_cast<size_t>(ind))});
    start = nl + 1;
  }
  return out;
}

// For a line `[- ]*key:` (a key whose value is on the next lines), the
// column of the key; -1 otherwise. `literal` is set for `key: |`.
int KeyOnlyColumn(const Line& l, bool* literal) {
  *literal = false;
  std::string_view t = l.text;
  int col = l.indent;
  while (t.size() >= 2 && t[0] == '-' && t[1] == ' ') {
    t.remove_prefix(2);
    col += 2;
  }
  if (t.empty() || t[0] == '#') return -1;
  size_t colon_space = std::string_view::npos;
  if (t[0] != '"') colon_space = t.find(": ");
  if (colon_space != std::string_view::npos) {
    std::string_view value = t.substr(colon_space + 2);
    if (value == "|" || value == "|-" || value == "|+" || value == ">" || value == ">-") *literal = true;
    return *literal ? col : -1;
  }
  if (t.back() != ':') return -1;
  return col;
}

}  // namespace

core::Result<std::string> WriteYaml(const Node& node, const WriteOptions& opts) {
  try {
    YAML::Emitter out;
    out.SetIndent(opts.indent);
    Emit(out, node);
    return Finish(out, opts.indentless_sequences);
  } catch (const std::exception& e) {
    return core::Internal(std::string("cannot write YAML: ") + e.what());
  }
}

core::Result<std::string> WriteYamlStream(const std::vector<const Node*>& docs, const WriteOptions& opts) {
  std::string all;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i) all += "---\n";
    ASSIGN_OR_RETURN(std::string one, WriteYaml(*docs[i], opts));
    all += one;
  }
  return all;
}

core::Result<std::string> WriteYamlEntry(const std::string& key, const Node& value, int indent,
                                         bool indentless_sequences) {
  Node m = Node::Map({});
  m.Set(key, value);
  WriteOptions opts;
  opts.indentless_sequences = indentless_sequences;
  ASSIGN_OR_RETURN(std::string text, WriteYaml(m, opts));
  std::string pad(static_cast<size_t>(indent), ' ');
  std::string out;
  size_t start = 0;
  bool first = true;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(start, nl - start);
    if (!first && !line.empty()) out += pad;
    out += line;
    out += '\n';
    first = false;
    start = nl + 1;
  }
  return out;
}

std::string IndentlessSequences(const std::string& yaml) {
  std::vector<Line> lines = SplitLines(yaml);
  struct Block {
    int key_column;  // lines indented at most this much end the block
    int shift;
  };
  std::vector<Block> open;
  int literal_column = -1;  // inside a literal block: lines deeper than this
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    bool blank = l.text.empty();
    if (!blank) {
      while (!open.empty() && l.indent <= open.back().key_column) open.pop_back();
      if (literal_column >= 0 && l.indent <= literal_column) literal_column = -1;
    }
    int shift = 0;
    for (const auto& b : open) shift += b.shift;
    if (!blank) out.append(static_cast<size_t>(std::max(0, l.indent - shift)), ' ');
    out.append(l.text);
    out += '\n';
    if (blank || literal_column >= 0) continue;
    bool literal = false;
    int col = KeyOnlyColumn(l, &literal);
    if (col < 0) continue;
    if (literal) {
      literal_column = col;
      continue;
    }
    size_t j = i + 1;
    while (j < lines.size() && lines[j].text.empty()) ++j;
    if (j < lines.size() && lines[j].indent == col + 2 && !lines[j].text.empty() && lines[j].text[0] == '-' &&
        (lines[j].text.size() == 1 || lines[j].text[1] == ' '))
      open.push_back({col, 2});
  }
  return out;
}

bool UsesIndentlessSequences(std::string_view text) {
  std::vector<Line> lines = SplitLines(text);
  for (size_t i = 0; i + 1 < lines.size(); ++i) {
    bool literal = false;
    int col = KeyOnlyColumn(lines[i], &literal);
    if (col < 0 || literal) continue;
    const Line& next = lines[i + 1];
    if (next.text.size() < 2 || next.text[0] != '-' || next.text[1] != ' ') continue;
    if (next.indent == col) return true;
    if (next.indent > col) return false;
  }
  return true;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

namespace {

// True for text that is already a JSON number.
bool IsJsonNumber(const std::string& t) {
  size_t i = 0, n = t.size();
  if (i < n && t[i] == '-') ++i;
  if (i >= n || !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
  if (t[i] == '0' && i + 1 < n && std::isdigit(static_cast<unsigned char>(t[i + 1]))) return false;
  while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i < n && t[i] == '.') {
    ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    if (i >= n || !std::isdigit(static_cast<unsigned char>(t[i]))) return false;
    while (i < n && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  }
  return i == n;
}

void Json(std::string& out, const Node& n, int indent, int depth) {
  auto newline = [&](int d) {
    if (indent <= 0) return;
    out += '\n';
    out.append(static_cast<size_t>(indent * d), ' ');
  };
  switch (n.type()) {
    case NodeType::kNull: out += "null"; return;
    case NodeType::kBool: out += n.AsBool().value_or(false) ? "true" : "false"; return;
    case NodeType::kInt: {
      auto i = n.AsInt();
      if (i) {
        out += std::to_string(*i);
      } else {
        AppendJsonString(out, n.text());
      }
      return;
    }
    case NodeType::kFloat: {
      if (IsJsonNumber(n.text())) {
        out += n.text();
        return;
      }
      auto d = n.AsDouble();
      if (d && std::isfinite(*d)) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.17g", *d);
        out += buf;
      } else {
        AppendJsonString(out, n.text());
      }
      return;
    }
    case NodeType::kString: AppendJsonString(out, n.text()); return;
    case NodeType::kMap: {
      if (n.size() == 0) {
        out += "{}";
        return;
      }
      out += '{';
      for (size_t i = 0; i < n.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        AppendJsonString(out, n.KeyAt(i).IsNull() ? "null" : n.KeyAt(i).text());
        out += indent > 0 ? ": " : ":";
        Json(out, n.ValueAt(i), indent, depth + 1);
      }
      newline(depth);
      out += '}';
      return;
    }
    case NodeType::kSeq: {
      if (n.size() == 0) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < n.size(); ++i) {
        if (i) out += ',';
        newline(depth + 1);
        Json(out, n.at(i), indent, depth + 1);
      }
      newline(depth);
      out += ']';
      return;
    }
  }
}

}  // namespace

std::string WriteJson(const Node& node, int indent) {
  std::string out;
  Json(out, node, indent, 0);
  out += '\n';
  return out;
}

}  // namespace meshctl::yaml
