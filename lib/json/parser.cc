#include "lib/core/strings.h"
#include "lib/json/parser.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <unordered_set>

#include <fmt/format.h>

namespace meshctl::json {

using core::Result;
using core::Status;
using yaml::Mark;
using yaml::Node;
using yaml::NodeType;

namespace {

class JsonReader {
 public:
  JsonReader(std::string_view s, const std::string& filename, const yaml::ParseLimits& limits, bool strict = false)
      : s_(s), filename_(filename), limits_(limits), strict_(strict) {}

  Result<std::vector<yaml::Document>> Run() {
    std::vector<yaml::Document> docs;
    // A UTF-8 byte order mark is allowed and skipped.
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3, col_ = 1;
    SkipSpace();
    uint32_t index = 0;
    while (pos_ < s_.size()) {
      yaml::Document d;
      d.start = Here();
      Node n;
      RETURN_IF_ERROR(ParseValue(n, 0));
      d.root = std::move(n);
      d.index = index++;
      docs.push_back(std::move(d));
      SkipSpace();
    }
    return docs;
  }

 private:
  Mark Here() const { return Mark{line_, col_}; }
  Status Error(Mark m, std::string_view msg) const {
    return core::DataError(fmt::format("{}:{}:{}: {}", filename_, m.line, m.column, msg));
  }
  Status ErrorHere(std::string_view msg) const {
    if (pos_ >= s_.size()) return Error(Here(), fmt::format("unexpected end of input: {}", msg));
    return Error(Here(), msg);
  }
  void Advance() {
    if (s_[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else if ((static_cast<unsigned char>(s_[pos_]) & 0xC0) != 0x80) {
      ++col_;  // count characters, not UTF-8 continuation bytes
    }
    ++pos_;
  }
  void SkipSpace() {
    while (pos_ < s_.size()) {
      char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') Advance();
      else break;
    }
  }

  Status ParseValue(Node& out, uint32_t depth);
  Status ParseString(std::string& out);
  Status ParseNumber(Node& out);
  Status ParseLiteral(Node& out);

  std::string_view s_;
  const std::string& filename_;
  yaml::ParseLimits limits_;
  bool strict_ = false;
  size_t pos_ = 0;
  uint32_t line_ = 1, col_ = 1;
};

Status JsonReader::ParseValue(Node& out, uint32_t depth) {
  SkipSpace();
  if (pos_ >= s_.size()) return ErrorHere("expected a value");
  Mark at = Here();
  char c = s_[pos_];
  if (c == '{' || c == '[') {
    if (depth >= limits_.max_depth) return Error(at, fmt::format("nesting deeper than {} levels", limits_.max_depth));
    bool is_obj = c == '{';
    out = is_obj ? Node::Map(at) : Node::Seq(at);
    Advance();
    SkipSpace();
    char close = is_obj ? '}' : ']';
    if (pos_ < s_.size() && s_[pos_] == close) {
      Advance();
      return Status::Ok();
    }
    std::unordered_set<std::string> keys;
    while (true) {
      SkipSpace();
      if (is_obj) {
        if (pos_ >= s_.size() || s_[pos_] != '"') return ErrorHere("expected a string key");
        Mark key_at = Here();
        std::string key;
        RETURN_IF_ERROR(ParseString(key));
        if (!keys.insert(key).second) return Error(key_at, fmt::format("key \"{}\" already set in map", key));
        SkipSpace();
        if (pos_ >= s_.size() || s_[pos_] != ':') return ErrorHere("expected ':' after object key");
        Advance();
        Node value;
        RETURN_IF_ERROR(ParseValue(value, depth + 1));
        out.Append(Node::Scalar(NodeType::kString, std::move(key), key_at), std::move(value));
      } else {
        Node item;
        RETURN_IF_ERROR(ParseValue(item, depth + 1));
        out.Push(std::move(item));
      }
      SkipSpace();
      if (pos_ >= s_.size()) return ErrorHere(fmt::format("expected ',' or '{}'", close));
      if (s_[pos_] == ',') {
        Advance();
        continue;
      }
      if (s_[pos_] == close) {
        Advance();
        return Status::Ok();
      }
      return ErrorHere(fmt::format("expected ',' or '{}'", close));
    }
  }
  if (c == '"') {
    std::string text;
    RETURN_IF_ERROR(ParseString(text));
    out = Node::Scalar(NodeType::kString, std::move(text), at);
    return Status::Ok();
  }
  if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber(out);
  return ParseLiteral(out);
}

Status JsonReader::ParseString(std::string& out) {
  Advance();  // opening quote
  while (true) {
    if (pos_ >= s_.size()) return ErrorHere("unterminated string");
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c == '"') {
      Advance();
      return Status::Ok();
    }
    if (c < 0x20) return ErrorHere("control character in string");
    if (c != '\\') {
      if (strict_ && c >= 0x80) {
        // One whole UTF-8 sequence, shortest form, no surrogates.
        size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
        bool ok = n > 0 && c < 0xF5 && pos_ + n <= s_.size();
        for (size_t i = 1; ok && i < n; ++i) ok = (static_cast<unsigned char>(s_[pos_ + i]) & 0xC0) == 0x80;
        if (ok && n == 3) {
          auto c1 = static_cast<unsigned char>(s_[pos_ + 1]);
          ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);
        }
        if (ok && n == 4) {
          auto c1 = static_cast<unsigned char>(s_[pos_ + 1]);
          ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
        }
        if (!ok) return ErrorHere(fmt::format("invalid UTF-8 byte 0x{:02x} in string", c));
        for (size_t i = 0; i < n; ++i) {
          out += s_[pos_];
          Advance();
        }
        continue;
      }
      out += static_cast<char>(c);
      Advance();
      continue;
    }
    Advance();
    if (pos_ >= s_.size()) return ErrorHere("unterminated escape");
    char e = s_[pos_];
    switch (e) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto hex4 = [&](size_t at, uint32_t& v) {
          if (at + 4 > s_.size()) return false;
          v = 0;
          for (size_t i = at; i < at + 4; ++i) {
            char h = s_[i];
            v <<= 4;
            if (h >= '0' && h <= '9') v |= static_cast<uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f') v |= static_cast<uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F') v |= static_cast<uint32_t>(h - 'A' + 10);
            else return false;
          }
          return true;
        };
        uint32_t cp;
        Mark escape_at{line_, col_ > 1 ? col_ - 1 : col_};
        if (!hex4(pos_ + 1, cp)) return ErrorHere("invalid \\u escape");
        for (int i = 0; i < 4; ++i) Advance();
        if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 6 < s_.size() && s_[pos_ + 1] == '\\' && s_[pos_ + 2] == 'u') {
          uint32_t lo;
          if (hex4(pos_ + 3, lo) && lo >= 0xDC00 && lo < 0xE000) {
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            for (int i = 0; i < 6; ++i) Advance();
          }
        }
        if (strict_ && cp >= 0xD800 && cp < 0xE000)
          return Error(escape_at, fmt::format("invalid \\u escape: lone surrogate \\u{:04x}", cp));
        core::AppendUtf8(out, cp);
        break;
      }
      default:
        return ErrorHere(fmt::format("invalid escape '\\{}'", e));
    }
    Advance();
  }
}

Status JsonReader::ParseNumber(Node& out) {
  Mark at = Here();
  size_t start = pos_;
  bool is_float = false;
  if (s_[pos_] == '-') Advance();
  auto digits = [&] {
    size_t n = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') Advance(), ++n;
    return n;
  };
  if (pos_ < s_.size() && s_[pos_] == '0') {
    Advance();
  } else if (!digits()) {
    return ErrorHere("invalid number");
  }
  if (pos_ < s_.size() && s_[pos_] == '.') {
    is_float = true;
    Advance();
    if (!digits()) return ErrorHere("invalid number: digits expected after '.'");
  }
  if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
    is_float = true;
    Advance();
    if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-')) Advance();
    if (!digits()) return ErrorHere("invalid number: digits expected in exponent");
  }
  std::string text(s_.substr(start, pos_ - start));
  if (strict_) {
    errno = 0;
    double v = std::strtod(text.c_str(), nullptr);
    if (std::isinf(v)) return Error(at, fmt::format("number {} is out of range", text));
  }
  out = Node::Scalar(is_float ? NodeType::kFloat : NodeType::kInt, std::move(text), at);
  return Status::Ok();
}

Status JsonReader::ParseLiteral(Node& out) {
  Mark at = Here();
  auto match = [&](std::string_view word) {
    if (s_.substr(pos_, word.size()) != word) return false;
    for (size_t i = 0; i < word.size(); ++i) Advance();
    return true;
  };
  if (match("true")) out = Node::Scalar(NodeType::kBool, "true", at);
  else if (match("false")) out = Node::Scalar(NodeType::kBool, "false", at);
  else if (match("null")) out = Node::Scalar(NodeType::kNull, "null", at);
  else {
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c < 0x20 || c >= 0x7f) return ErrorHere(fmt::format("invalid character 0x{:02x} looking for beginning of value", c));
    return ErrorHere(fmt::format("invalid character '{}' looking for beginning of value", static_cast<char>(c)));
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<yaml::Document>> ParseJsonStream(std::string_view content, const std::string& filename,
                                                    const yaml::ParseLimits& limits) {
  JsonReader r(content, filename, limits);
  return r.Run();
}

Result<std::vector<yaml::Document>> ParseJsonStrict(std::string_view content, const std::string& filename,
                                                    const yaml::ParseLimits& limits) {
  JsonReader r(content, filename, limits, /*strict=*/true);
  return r.Run();
}

}  // namespace meshctl::json
