#include "lib/crd/cel.h"

#include <re2/re2.h>

#include <arpa/inet.h>

#include <cctype>
#include <cstring>
#include <cstdio>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <utility>
#include <vector>

#include "lib/core/strings.h"
#include "lib/validate/go_net.h"

namespace meshctl::crd {

// ---------------------------------------------------------------- values

namespace {

struct Val;
using ValList = std::vector<Val>;

struct Val {
  enum class K : uint8_t { kNull, kBool, kInt, kUint, kDouble, kString, kList, kMap, kDuration, kUrl, kIp, kCidr, kError };
  K k = K::kNull;
  bool b = false;
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
  std::string own;                    // string, error text, url source (owned)
  const std::string* ref = nullptr;   // or borrowed from the document / the AST, which outlive the evaluation
  const yaml::Node* node = nullptr;   // list/map from the document
  std::shared_ptr<ValList> list;      // list literal (node == nullptr); map literal is always empty

  static Val Err(std::string msg) {
    Val v;
    v.k = K::kError;
    v.own = std::move(msg);
    return v;
  }
  static Val Bool(bool x) {
    Val v;
    v.k = K::kBool;
    v.b = x;
    return v;
  }
  static Val Int(int64_t x) {
    Val v;
    v.k = K::kInt;
    v.i = x;
    return v;
  }
  static Val Uint(uint64_t x) {
    Val v;
    v.k = K::kUint;
    v.u = x;
    return v;
  }
  static Val Double(double x) {
    Val v;
    v.k = K::kDouble;
    v.d = x;
    return v;
  }
  static Val Str(std::string x) {
    Val v;
    v.k = K::kString;
    v.own = std::move(x);
    return v;
  }
  static Val Duration(int64_t ns) {
    Val v;
    v.k = K::kDuration;
    v.i = ns;
    return v;
  }
  // A string that stays owned by the document or the AST: copying the Val
  // copies a pointer.
  static Val StrRef(const std::string& x) {
    Val v;
    v.k = K::kString;
    v.ref = &x;
    return v;
  }
  const std::string& s() const { return ref ? *ref : own; }
  bool err() const { return k == K::kError; }
  bool numeric() const { return k == K::kInt || k == K::kUint || k == K::kDouble; }
};

// Kubernetes' CEL ip()/cidr(): Go netip.ParseAddr / ParsePrefix, with
// zones and IPv4-mapped IPv6 addresses refused, as the library refuses them.
struct IpAddr {
  bool v4 = false;
  uint8_t b[16] = {};  // v4: b[0..3]
  int bits = -1;       // prefix length for a CIDR
};

std::optional<IpAddr> ParseIp(const std::string& raw, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<IpAddr> {
    if (error) *error = why;
    return std::nullopt;
  };
  std::string go_error;
  if (!validate::ParseGoAddr(raw, &go_error))
    return fail("IP Address " + core::GoQuote(raw) + " parse error during conversion from string: " + go_error);
  if (raw.find('%') != std::string::npos) return fail("IP address " + core::GoQuote(raw) + " with zone value is not allowed");
  IpAddr a;
  if (raw.find(':') == std::string::npos) {
    a.v4 = true;
    if (inet_pton(AF_INET, raw.c_str(), a.b) != 1) return fail("IP Address " + core::GoQuote(raw) + " parse error");
    return a;
  }
  if (inet_pton(AF_INET6, raw.c_str(), a.b) != 1) return fail("IP Address " + core::GoQuote(raw) + " parse error");
  static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a.b, kMapped, 12) == 0)
    return fail("IPv4-mapped IPv6 address " + core::GoQuote(raw) + " is not allowed");
  return a;
}

std::optional<IpAddr> ParseCidr(const std::string& raw, std::string* error) {
  std::string go_error;
  if (!validate::ParseGoPrefix(raw, &go_error)) {
    if (error) *error = "network address " + core::GoQuote(raw) + " parse error during conversion from string: " + go_error;
    return std::nullopt;
  }
  size_t slash = raw.rfind('/');
  auto a = ParseIp(raw.substr(0, slash), error);
  if (!a) return std::nullopt;
  a->bits = std::stoi(raw.substr(slash + 1));
  return a;
}

// Go's netip.Addr.String(): dotted IPv4; IPv6 lower-case hex with the
// longest run (two groups or more) of zero groups as "::".
std::string FormatIp(const IpAddr& a) {
  char buf[64];
  if (a.v4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a.b[0], a.b[1], a.b[2], a.b[3]);
    return buf;
  }
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>((a.b[2 * i] << 8) | a.b[2 * i + 1]);
  int best = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) best = i, best_len = j - i;
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

std::string FormatCidr(const IpAddr& a) { return FormatIp(a) + "/" + std::to_string(a.bits); }

bool SamePrefix(const IpAddr& a, const IpAddr& b, int bits) {
  for (int i = 0; i < bits; ++i) {
    int byte = i / 8, bit = 7 - i % 8;
    if (((a.b[byte] >> bit) & 1) != ((b.b[byte] >> bit) & 1)) return false;
  }
  return true;
}

IpAddr Masked(IpAddr a) {
  int total = a.v4 ? 32 : 128;
  for (int i = a.bits; i < total; ++i) a.b[i / 8] = static_cast<uint8_t>(a.b[i / 8] & ~(1 << (7 - i % 8)));
  return a;
}

// Go's netip.Addr Is* predicates.
bool IpClass(const IpAddr& a, std::string_view what) {
  const uint8_t* b = a.b;
  bool zero = true;
  for (int i = 0; i < (a.v4 ? 4 : 16); ++i) zero = zero && b[i] == 0;
  bool loop = a.v4 ? b[0] == 127 : (zero ? false : [&] {
    for (int i = 0; i < 15; ++i)
      if (b[i]) return false;
    return b[15] == 1;
  }());
  bool llu = a.v4 ? (b[0] == 169 && b[1] == 254) : (b[0] == 0xfe && (b[1] & 0xc0) == 0x80);
  bool llm = a.v4 ? (b[0] == 224 && b[1] == 0 && b[2] == 0) : (b[0] == 0xff && (b[1] & 0x0f) == 0x02);
  bool multicast = a.v4 ? (b[0] & 0xf0) == 0xe0 : b[0] == 0xff;
  bool broadcast = a.v4 && b[0] == 255 && b[1] == 255 && b[2] == 255 && b[3] == 255;
  if (what == "unspecified") return zero;
  if (what == "loopback") return loop;
  if (what == "llunicast") return llu;
  if (what == "llmulticast") return llm;
  return !zero && !loop && !llu && !multicast && !broadcast;  // global unicast
}

std::string_view KindName(Val::K k) {
  switch (k) {
    case Val::K::kNull: return "null_type";
    case Val::K::kBool: return "bool";
    case Val::K::kInt: return "int";
    case Val::K::kUint: return "uint";
    case Val::K::kDouble: return "double";
    case Val::K::kString: return "string";
    case Val::K::kList: return "list";
    case Val::K::kMap: return "map";
    case Val::K::kDuration: return "google.protobuf.Duration";
    case Val::K::kUrl: return "kubernetes.URL";
    case Val::K::kIp: return "net.IP";
    case Val::K::kCidr: return "net.CIDR";
    case Val::K::kError: return "error";
  }
  return "?";
}

Val FromNode(const yaml::Node& n) {
  switch (n.type()) {
    case yaml::NodeType::kNull: return Val();
    case yaml::NodeType::kBool: return Val::Bool(n.AsBool().value_or(false));
    case yaml::NodeType::kInt: {
      if (auto i = n.AsInt()) return Val::Int(*i);
      return Val::Double(n.AsDouble().value_or(0));
    }
    case yaml::NodeType::kFloat: return Val::Double(n.AsDouble().value_or(0));
    case yaml::NodeType::kString: return Val::StrRef(n.text());
    case yaml::NodeType::kMap: {
      Val v;
      v.k = Val::K::kMap;
      v.node = &n;
      return v;
    }
    case yaml::NodeType::kSeq: {
      Val v;
      v.k = Val::K::kList;
      v.node = &n;
      return v;
    }
  }
  return Val();
}

size_t ListSize(const Val& v) { return v.node ? v.node->size() : (v.list ? v.list->size() : 0); }
Val ListAt(const Val& v, size_t i) { return v.node ? FromNode(v.node->at(i)) : (*v.list)[i]; }
size_t MapSize(const Val& v) { return v.node ? v.node->size() : 0; }

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// Byte offset of code point `cp` (== s.size() at the end); npos beyond.
size_t Utf8Offset(std::string_view s, int64_t cp) {
  int64_t seen = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) continue;
    if (seen == cp) return i;
    ++seen;
  }
  return seen == cp ? s.size() : std::string_view::npos;
}

}  // namespace

// ---------------------------------------------------------------- AST

// Every name the evaluator dispatches on, interned at parse time so that
// evaluation switches on a byte instead of comparing strings.
enum class N : uint8_t {
  kOther,
  kDiv,
  kSub,
  kAdd,
  kMul,
  kGt,
  kLe,
  kLt,
  kMod,
  kIn,
  kGe,
  kEq,
  kNe,
  kLowerAscii,
  kUpperAscii,
  kTrim,
  kSubstring,
  kStartsWith,
  kSplit,
  kSize,
  kReplace,
  kMatches,
  kLastIndexOf,
  kJoin,
  kIndexOf,
  kGetScheme,
  kGetPort,
  kGetHostname,
  kGetHost,
  kGetEscapedPath,
  kEndsWith,
  kContains,
  kIsUrl,
  kUrl,
  kIsIp,
  kIp,
  kIsCidr,
  kCidr,
  kIpIsCanonical,
  kFamily,
  kIsUnspecified,
  kIsLoopback,
  kIsLinkLocalMulticast,
  kIsLinkLocalUnicast,
  kIsGlobalUnicast,
  kContainsIp,
  kContainsCidr,
  kPrefixLength,
  kMasked,
  kUint,
  kString,
  kInt,
  kDyn,
  kDuration,
  kDouble,
  kMap,
  kFilter,
  kExistsOne,
  kAll,
  kExists,
  kSelf,
};

N Intern(std::string_view name) {
  static const std::pair<std::string_view, N> kNames[] = {
      {"/", N::kDiv},
      {"-", N::kSub},
      {"+", N::kAdd},
      {"*", N::kMul},
      {">", N::kGt},
      {"<=", N::kLe},
      {"<", N::kLt},
      {"%", N::kMod},
      {"in", N::kIn},
      {">=", N::kGe},
      {"==", N::kEq},
      {"!=", N::kNe},
      {"lowerAscii", N::kLowerAscii},
      {"upperAscii", N::kUpperAscii},
      {"trim", N::kTrim},
      {"substring", N::kSubstring},
      {"startsWith", N::kStartsWith},
      {"split", N::kSplit},
      {"size", N::kSize},
      {"replace", N::kReplace},
      {"matches", N::kMatches},
      {"lastIndexOf", N::kLastIndexOf},
      {"join", N::kJoin},
      {"indexOf", N::kIndexOf},
      {"getScheme", N::kGetScheme},
      {"getPort", N::kGetPort},
      {"getHostname", N::kGetHostname},
      {"getHost", N::kGetHost},
      {"getEscapedPath", N::kGetEscapedPath},
      {"endsWith", N::kEndsWith},
      {"contains", N::kContains},
      {"isURL", N::kIsUrl},
      {"url", N::kUrl},
      {"isIP", N::kIsIp},
      {"ip", N::kIp},
      {"isCIDR", N::kIsCidr},
      {"cidr", N::kCidr},
      {"ip.isCanonical", N::kIpIsCanonical},
      {"family", N::kFamily},
      {"isUnspecified", N::kIsUnspecified},
      {"isLoopback", N::kIsLoopback},
      {"isLinkLocalMulticast", N::kIsLinkLocalMulticast},
      {"isLinkLocalUnicast", N::kIsLinkLocalUnicast},
      {"isGlobalUnicast", N::kIsGlobalUnicast},
      {"containsIP", N::kContainsIp},
      {"containsCIDR", N::kContainsCidr},
      {"prefixLength", N::kPrefixLength},
      {"masked", N::kMasked},
      {"uint", N::kUint},
      {"string", N::kString},
      {"int", N::kInt},
      {"dyn", N::kDyn},
      {"duration", N::kDuration},
      {"double", N::kDouble},
      {"map", N::kMap},
      {"filter", N::kFilter},
      {"exists_one", N::kExistsOne},
      {"all", N::kAll},
      {"exists", N::kExists},
      {"self", N::kSelf},
  };
  for (const auto& [text, id] : kNames)
    if (text == name) return id;
  return N::kOther;
}


struct CelExpr {
  enum class Op : uint8_t {
    kLit, kIdent, kSelect, kHas, kCall, kMethod, kIndex, kList, kMap, kNot, kNeg, kBinary, kAnd, kOr, kCond, kMacro
  };
  Op op = Op::kLit;
  std::string name;  // identifier, field, function/method, operator, macro
  N id = N::kOther;  // Intern(name) for identifiers, functions, methods, operators, macros
  std::string var;   // macro variable
  Val lit;
  std::unique_ptr<RE2> regex;  // matches() with a literal pattern
  std::vector<std::unique_ptr<CelExpr>> args;
};

CelProgram::CelProgram(std::unique_ptr<CelExpr> root) : root_(std::move(root)) {}
CelProgram::~CelProgram() = default;

namespace {

// ---------------------------------------------------------------- lexer

struct Token {
  enum class T : uint8_t { kEnd, kIdent, kInt, kUint, kDouble, kString, kPunct };
  T t = T::kEnd;
  std::string text;  // identifier, punctuation, decoded string
  int64_t i = 0;
  uint64_t u = 0;
  double d = 0;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  core::Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    while (true) {
      while (pos_ < src_.size() && std::isspace(static_cast<unsigned char>(src_[pos_]))) ++pos_;
      if (pos_ + 1 < src_.size() && src_[pos_] == '/' && src_[pos_ + 1] == '/') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
        continue;
      }
      if (pos_ >= src_.size()) break;
      char c = src_[pos_];
      Token tok;
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t b = pos_;
        while (pos_ < src_.size() && (std::isalnum(static_cast<unsigned char>(src_[pos_])) || src_[pos_] == '_')) ++pos_;
        std::string word(src_.substr(b, pos_ - b));
        if ((word == "r" || word == "R") && pos_ < src_.size() && (src_[pos_] == '\'' || src_[pos_] == '"')) {
          auto s = ReadString(true);
          if (!s.ok()) return s.status();
          tok.t = Token::T::kString;
          tok.text = std::move(*s);
        } else {
          tok.t = Token::T::kIdent;
          tok.text = std::move(word);
        }
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        auto st = ReadNumber(tok);
        if (!st.ok()) return st;
      } else if (c == '\'' || c == '"') {
        auto s = ReadString(false);
        if (!s.ok()) return s.status();
        tok.t = Token::T::kString;
        tok.text = std::move(*s);
      } else {
        static const char* kTwo[] = {"&&", "||", "==", "!=", "<=", ">="};
        tok.t = Token::T::kPunct;
        bool two = false;
        for (const char* p : kTwo) {
          if (src_.substr(pos_, 2) == p) {
            tok.text = p;
            pos_ += 2;
            two = true;
            break;
          }
        }
        if (!two) {
          if (std::string_view("!<>+-*/%?:.,()[]{}").find(c) == std::string_view::npos)
            return core::DataError(std::string("unexpected character '") + c + "'");
          tok.text = std::string(1, c);
          ++pos_;
        }
      }
      out.push_back(std::move(tok));
    }
    out.push_back(Token{});
    return out;
  }

 private:
  core::Status ReadNumber(Token& tok) {
    size_t b = pos_;
    bool hex = src_.substr(pos_, 2) == "0x" || src_.substr(pos_, 2) == "0X";
    if (hex) pos_ += 2;
    bool is_double = false;
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (std::isdigit(static_cast<unsigned char>(c)) || (hex && std::isxdigit(static_cast<unsigned char>(c)))) {
        ++pos_;
      } else if (!hex && c == '.' && pos_ + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_ + 1]))) {
        is_double = true;
        ++pos_;
      } else if (!hex && (c == 'e' || c == 'E')) {
        is_double = true;
        ++pos_;
        if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
      } else {
        break;
      }
    }
    std::string text(src_.substr(b, pos_ - b));
    if (is_double) {
      tok.t = Token::T::kDouble;
      tok.d = std::strtod(text.c_str(), nullptr);
      return core::Status::Ok();
    }
    errno = 0;
    unsigned long long v = std::strtoull(text.c_str(), nullptr, hex ? 16 : 10);
    if (errno == ERANGE) return core::DataError("integer literal out of range: " + text);
    if (pos_ < src_.size() && (src_[pos_] == 'u' || src_[pos_] == 'U')) {
      ++pos_;
      tok.t = Token::T::kUint;
      tok.u = v;
      return core::Status::Ok();
    }
    // The sign is applied by unary minus; 9223372036854775808 only as -x.
    if (v > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max()) + 1ULL)
      return core::DataError("integer literal out of range: " + text);
    tok.t = Token::T::kInt;
    tok.u = v;
    tok.i = static_cast<int64_t>(v);
    return core::Status::Ok();
  }

  core::Result<std::string> ReadString(bool raw) {
    char q = src_[pos_];
    bool triple = src_.substr(pos_, 3) == std::string(3, q);
    pos_ += triple ? 3 : 1;
    std::string out;
    while (true) {
      if (pos_ >= src_.size()) return core::DataError("unterminated string literal");
      char c = src_[pos_];
      if (triple ? src_.substr(pos_, 3) == std::string(3, q) : c == q) {
        pos_ += triple ? 3 : 1;
        return out;
      }
      if (!triple && c == '\n') return core::DataError("newline in string literal");
      if (c == '\\' && !raw) {
        if (pos_ + 1 >= src_.size()) return core::DataError("unterminated string literal");
        char e = src_[pos_ + 1];
        pos_ += 2;
        switch (e) {
          case 'n': out += '\n'; break;
          case 't': out += '\t'; break;
          case 'r': out += '\r'; break;
          case '\\': out += '\\'; break;
          case '\'': out += '\''; break;
          case '"': out += '"'; break;
          case '`': out += '`'; break;
          case '?': out += '?'; break;
          default: return core::DataError(std::string("unsupported escape \\") + e);
        }
        continue;
      }
      out += c;
      ++pos_;
    }
  }

  std::string_view src_;
  size_t pos_ = 0;
};

// ---------------------------------------------------------------- parser

using ExprPtr = std::unique_ptr<CelExpr>;

ExprPtr Make(CelExpr::Op op, std::string name = {}) {
  auto e = std::make_unique<CelExpr>();
  e->op = op;
  if (op != CelExpr::Op::kSelect && op != CelExpr::Op::kHas) e->id = Intern(name);
  e->name = std::move(name);
  return e;
}

// Kubernetes CEL property-name escaping (apiserver/pkg/cel/escaping.go):
// a property named like a CEL reserved word is written `__namespace__`;
// `__`, `.`, `-`, `/` inside names are written `__underscores__`, `__dot__`,
// `__dash__`, `__slash__`. Returns the property name a selection means.
std::string UnescapeProperty(const std::string& name) {
  static const char* kReserved[] = {"true",   "false", "null",   "in",       "as",   "break",     "const",
                                    "continue", "else", "for",    "function", "if",   "import",    "let",
                                    "loop",   "package", "namespace", "return", "var", "void",      "while"};
  if (name.size() > 4 && name.compare(0, 2, "__") == 0 && name.compare(name.size() - 2, 2, "__") == 0) {
    std::string inner = name.substr(2, name.size() - 4);
    for (const char* kw : kReserved)
      if (inner == kw) return inner;
  }
  static const std::pair<const char*, const char*> kEscapes[] = {
      {"__underscores__", "__"}, {"__dot__", "."}, {"__dash__", "-"}, {"__slash__", "/"}};
  std::string out;
  for (size_t i = 0; i < name.size();) {
    bool replaced = false;
    for (const auto& [esc, plain] : kEscapes) {
      if (name.compare(i, std::char_traits<char>::length(esc), esc) == 0) {
        out += plain;
        i += std::char_traits<char>::length(esc);
        replaced = true;
        break;
      }
    }
    if (!replaced) out += name[i++];
  }
  return out;
}

bool IsMacroName(const std::string& n) {
  return n == "all" || n == "exists" || n == "exists_one" || n == "filter" || n == "map";
}

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : toks_(std::move(toks)) {}

  core::Result<ExprPtr> ParseAll() {
    auto e = Expr();
    if (!e.ok()) return e;
    if (Peek().t != Token::T::kEnd) return Fail("unexpected '" + Peek().text + "'");
    return e;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  bool IsPunct(std::string_view p) const { return Peek().t == Token::T::kPunct && Peek().text == p; }
  bool Accept(std::string_view p) {
    if (!IsPunct(p)) return false;
    ++pos_;
    return true;
  }
  core::Status Fail(std::string msg) const { return core::DataError(std::move(msg)); }
  core::Status Expect(std::string_view p) {
    if (Accept(p)) return core::Status::Ok();
    return Fail("expected '" + std::string(p) + "'");
  }

  core::Result<ExprPtr> Expr() {
    if (++depth_ > kMaxDepth) return Fail("expression nested too deeply");
    ASSIGN_OR_RETURN(ExprPtr cond, Or());
    if (Accept("?")) {
      ASSIGN_OR_RETURN(ExprPtr a, Or());
      RETURN_IF_ERROR(Expect(":"));
      ASSIGN_OR_RETURN(ExprPtr b, Expr());
      auto e = Make(CelExpr::Op::kCond);
      e->args.push_back(std::move(cond));
      e->args.push_back(std::move(a));
      e->args.push_back(std::move(b));
      --depth_;
      return e;
    }
    --depth_;
    return cond;
  }

  core::Result<ExprPtr> Or() {
    ASSIGN_OR_RETURN(ExprPtr l, And());
    int links = 0;
    while (Accept("||")) {
      RETURN_IF_ERROR(Chain(links));
      ASSIGN_OR_RETURN(ExprPtr r, And());
      auto e = Make(CelExpr::Op::kOr);
      e->args.push_back(std::move(l));
      e->args.push_back(std::move(r));
      l = std::move(e);
    }
    return l;
  }

  core::Result<ExprPtr> And() {
    ASSIGN_OR_RETURN(ExprPtr l, Relation());
    int links = 0;
    while (Accept("&&")) {
      RETURN_IF_ERROR(Chain(links));
      ASSIGN_OR_RETURN(ExprPtr r, Relation());
      auto e = Make(CelExpr::Op::kAnd);
      e->args.push_back(std::move(l));
      e->args.push_back(std::move(r));
      l = std::move(e);
    }
    return l;
  }

  core::Result<ExprPtr> Relation() {
    ASSIGN_OR_RETURN(ExprPtr l, Additive());
    int links = 0;
    while (true) {
      std::string op;
      for (const char* p : {"==", "!=", "<=", ">=", "<", ">"})
        if (IsPunct(p)) op = p;
      if (op.empty() && Peek().t == Token::T::kIdent && Peek().text == "in") op = "in";
      if (op.empty()) return l;
      RETURN_IF_ERROR(Chain(links));
      ++pos_;
      ASSIGN_OR_RETURN(ExprPtr r, Additive());
      auto e = Make(CelExpr::Op::kBinary, op);
      e->args.push_back(std::move(l));
      e->args.push_back(std::move(r));
      l = std::move(e);
    }
  }

  core::Result<ExprPtr> Additive() {
    ASSIGN_OR_RETURN(ExprPtr l, Multiplicative());
    int links = 0;
    while (IsPunct("+") || IsPunct("-")) {
      RETURN_IF_ERROR(Chain(links));
      std::string op = toks_[pos_++].text;
      ASSIGN_OR_RETURN(ExprPtr r, Multiplicative());
      auto e = Make(CelExpr::Op::kBinary, op);
      e->args.push_back(std::move(l));
      e->args.push_back(std::move(r));
      l = std::move(e);
    }
    return l;
  }

  core::Result<ExprPtr> Multiplicative() {
    ASSIGN_OR_RETURN(ExprPtr l, Unary());
    int links = 0;
    while (IsPunct("*") || IsPunct("/") || IsPunct("%")) {
      RETURN_IF_ERROR(Chain(links));
      std::string op = toks_[pos_++].text;
      ASSIGN_OR_RETURN(ExprPtr r, Unary());
      auto e = Make(CelExpr::Op::kBinary, op);
      e->args.push_back(std::move(l));
      e->args.push_back(std::move(r));
      l = std::move(e);
    }
    return l;
  }

  core::Result<ExprPtr> Unary() {
    if (++depth_ > kMaxDepth) return Fail("expression nested too deeply");
    auto r = UnaryInner();
    --depth_;
    return r;
  }

  core::Result<ExprPtr> UnaryInner() {
    if (Accept("!")) {
      ASSIGN_OR_RETURN(ExprPtr x, Unary());
      auto e = Make(CelExpr::Op::kNot);
      e->args.push_back(std::move(x));
      return e;
    }
    if (Accept("-")) {
      // A negative literal is folded so that -9223372036854775808 works.
      if (Peek().t == Token::T::kInt) {
        Token t = toks_[pos_++];
        auto e = Make(CelExpr::Op::kLit);
        e->lit = Val::Int(static_cast<int64_t>(0 - t.u));
        return Member(std::move(e));
      }
      ASSIGN_OR_RETURN(ExprPtr x, Unary());
      auto e = Make(CelExpr::Op::kNeg);
      e->args.push_back(std::move(x));
      return e;
    }
    ASSIGN_OR_RETURN(ExprPtr p, Primary());
    return Member(std::move(p));
  }

  core::Result<std::vector<ExprPtr>> Args(std::string_view close) {
    std::vector<ExprPtr> out;
    if (Accept(close)) return out;
    while (true) {
      ASSIGN_OR_RETURN(ExprPtr a, Expr());
      out.push_back(std::move(a));
      if (Accept(close)) return out;
      RETURN_IF_ERROR(Expect(","));
    }
  }

  core::Result<ExprPtr> Member(ExprPtr e) {
    int links = 0;
    while (true) {
      if (IsPunct(".") || IsPunct("[")) RETURN_IF_ERROR(Chain(links));
      if (Accept(".")) {
        if (Peek().t != Token::T::kIdent) return Fail("expected a field or method name after '.'");
        std::string name = toks_[pos_++].text;
        if (Accept("(")) {
          if (IsMacroName(name)) {
            if (Peek().t != Token::T::kIdent) return Fail(name + "() needs a variable name");
            std::string var = toks_[pos_++].text;
            RETURN_IF_ERROR(Expect(","));
            auto m = Make(CelExpr::Op::kMacro, name);
            m->var = var;
            m->args.push_back(std::move(e));
            ASSIGN_OR_RETURN(ExprPtr first, Expr());
            m->args.push_back(std::move(first));
            // map(v, filter, transform) has a third argument.
            if (name == "map" && Accept(",")) {
              ASSIGN_OR_RETURN(ExprPtr transform, Expr());
              m->args.push_back(std::move(transform));
            }
            RETURN_IF_ERROR(Expect(")"));
            e = std::move(m);
            continue;
          }
          ASSIGN_OR_RETURN(auto args, Args(")"));
          auto m = Make(CelExpr::Op::kMethod, name);
          m->args.push_back(std::move(e));
          for (auto& a : args) m->args.push_back(std::move(a));
          RETURN_IF_ERROR(CheckMethod(*m));
          e = std::move(m);
        } else {
          auto s = Make(CelExpr::Op::kSelect, UnescapeProperty(name));
          s->args.push_back(std::move(e));
          e = std::move(s);
        }
      } else if (Accept("[")) {
        ASSIGN_OR_RETURN(ExprPtr idx, Expr());
        RETURN_IF_ERROR(Expect("]"));
        auto x = Make(CelExpr::Op::kIndex);
        x->args.push_back(std::move(e));
        x->args.push_back(std::move(idx));
        e = std::move(x);
      } else {
        return e;
      }
    }
  }

  core::Status CheckMethod(CelExpr& m) {
    static const std::pair<const char*, int> kMethods[] = {
        {"size", 0},       {"contains", 1},   {"startsWith", 1},  {"endsWith", 1},  {"matches", 1},
        {"substring", -1}, {"lowerAscii", 0}, {"upperAscii", 0},  {"trim", 0},      {"indexOf", 1},
        {"getScheme", 0},  {"getHost", 0},    {"getHostname", 0}, {"getPort", 0},   {"getEscapedPath", 0},
        {"split", 1},      {"join", -2},      {"replace", 2},     {"lastIndexOf", 1},
        // Kubernetes' CEL IP and CIDR libraries.
        {"family", 0},     {"isUnspecified", 0}, {"isLoopback", 0}, {"isLinkLocalMulticast", 0},
        {"isLinkLocalUnicast", 0}, {"isGlobalUnicast", 0}, {"containsIP", 1}, {"containsCIDR", 1},
        {"prefixLength", 0}, {"masked", 0}, {"ip", 0},
    };
    size_t argc = m.args.size() - 1;
    for (const auto& [name, n] : kMethods) {
      if (m.name != name) continue;
      if (n >= 0 && static_cast<size_t>(n) != argc) return Fail(m.name + "() takes " + std::to_string(n) + " argument(s)");
      if (n == -1 && (argc < 1 || argc > 2)) return Fail("substring() takes 1 or 2 arguments");
      if (n == -2 && argc > 1) return Fail("join() takes 0 or 1 argument");
      if (m.name == "matches" && m.args[1]->op == CelExpr::Op::kLit && m.args[1]->lit.k == Val::K::kString) {
        RE2::Options opts;
        opts.set_log_errors(false);
        m.regex = std::make_unique<RE2>(m.args[1]->lit.s(), opts);
        if (!m.regex->ok()) return Fail("invalid regular expression: " + m.regex->error());
      }
      return core::Status::Ok();
    }
    return Fail("method " + m.name + "() is not in the evaluated CEL subset");
  }

  core::Result<ExprPtr> Primary() {
    const Token& t = Peek();
    switch (t.t) {
      case Token::T::kEnd: return Fail("unexpected end of expression");
      case Token::T::kInt: {
        if (t.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
          return Fail("integer literal out of range");
        auto e = Make(CelExpr::Op::kLit);
        e->lit = Val::Int(t.i);
        ++pos_;
        return e;
      }
      case Token::T::kUint: {
        auto e = Make(CelExpr::Op::kLit);
        e->lit = Val::Uint(t.u);
        ++pos_;
        return e;
      }
      case Token::T::kDouble: {
        auto e = Make(CelExpr::Op::kLit);
        e->lit = Val::Double(t.d);
        ++pos_;
        return e;
      }
      case Token::T::kString: {
        auto e = Make(CelExpr::Op::kLit);
        e->lit = Val::Str(t.text);
        ++pos_;
        return e;
      }
      case Token::T::kPunct: {
        if (Accept("(")) {
          ASSIGN_OR_RETURN(ExprPtr e, Expr());
          RETURN_IF_ERROR(Expect(")"));
          return e;
        }
        if (Accept("[")) {
          ASSIGN_OR_RETURN(auto items, Args("]"));
          auto e = Make(CelExpr::Op::kList);
          e->args = std::move(items);
          return e;
        }
        if (Accept("{")) {
          if (!Accept("}")) return Fail("only the empty map literal {} is in the evaluated CEL subset");
          return Make(CelExpr::Op::kMap);
        }
        return Fail("unexpected '" + t.text + "'");
      }
      case Token::T::kIdent: break;
    }
    std::string name = t.text;
    ++pos_;
    if (name == "true" || name == "false") {
      auto e = Make(CelExpr::Op::kLit);
      e->lit = Val::Bool(name == "true");
      return e;
    }
    if (name == "null") return Make(CelExpr::Op::kLit);
    if (Accept("(")) {
      if (name == "has") {
        ASSIGN_OR_RETURN(ExprPtr arg, Expr());
        RETURN_IF_ERROR(Expect(")"));
        if (arg->op != CelExpr::Op::kSelect) return Fail("has() needs a field selection");
        auto e = Make(CelExpr::Op::kHas, arg->name);
        e->args.push_back(std::move(arg->args[0]));
        return e;
      }
      static const std::pair<const char*, size_t> kFunctions[] = {
          {"size", 1}, {"int", 1}, {"uint", 1}, {"double", 1}, {"string", 1},
          {"duration", 1}, {"isURL", 1}, {"url", 1}, {"dyn", 1},
          {"isIP", 1}, {"ip", 1}, {"isCIDR", 1}, {"cidr", 1},
      };
      ASSIGN_OR_RETURN(auto args, Args(")"));
      for (const auto& [fn, n] : kFunctions) {
        if (name != fn) continue;
        if (args.size() != n) return Fail(name + "() takes " + std::to_string(n) + " argument(s)");
        auto e = Make(CelExpr::Op::kCall, name);
        e->args = std::move(args);
        return e;
      }
      return Fail("function " + name + "() is not in the evaluated CEL subset");
    }
    if (name == "ip" && pos_ + 2 < toks_.size() && toks_[pos_].text == "." && toks_[pos_ + 1].text == "isCanonical" &&
        toks_[pos_ + 2].text == "(") {
      pos_ += 3;
      ASSIGN_OR_RETURN(auto args, Args(")"));
      if (args.size() != 1) return Fail("ip.isCanonical() takes 1 argument(s)");
      auto e = Make(CelExpr::Op::kCall, "ip.isCanonical");
      e->args = std::move(args);
      return e;
    }
    if (name != "self" && !IsBound(name)) return Fail("identifier " + name + " is not in the evaluated CEL subset");
    return Make(CelExpr::Op::kIdent, name);
  }

  // Macro variables are resolved at evaluation time; any identifier other
  // than `self` that is not a macro variable makes the rule unsupported. The
  // parser does not track scopes, so it accepts every identifier used as a
  // macro variable anywhere in the rule (checked again at evaluation).
  bool IsBound(const std::string& name) const {
    for (size_t i = 0; i + 3 < toks_.size(); ++i) {
      if (toks_[i].t == Token::T::kIdent &&
          IsMacroName(toks_[i].text) &&
          toks_[i + 1].text == "(" && toks_[i + 2].t == Token::T::kIdent && toks_[i + 2].text == name)
        return true;
    }
    return false;
  }

  // cel-go's default parser recursion limit. Left-associative chains
  // (`a + b + c`, `x.y.z`) nest as deeply as they are long, so every loop
  // below counts its links against the same limit: evaluation and
  // destruction then recurse at most this deep.
  static constexpr int kMaxDepth = 250;
  core::Status Chain(int& links) const {
    if (++links + depth_ > kMaxDepth) return Fail("expression nested too deeply");
    return core::Status::Ok();
  }

  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// ---------------------------------------------------------------- evaluation

struct Binding {
  std::string_view name;
  const Val* value;
};

class Evaluator {
 public:
  explicit Evaluator(const yaml::Node& self) : self_(FromNode(self)) {}

  Val Eval(const CelExpr& e) {
    switch (e.op) {
      case CelExpr::Op::kLit: return e.lit.k == Val::K::kString ? Val::StrRef(e.lit.own) : e.lit;
      case CelExpr::Op::kIdent: {
        if (e.id == N::kSelf) return self_;
        for (auto it = scope_.rbegin(); it != scope_.rend(); ++it)
          if (it->name == e.name) return *it->value;
        return Val::Err("undeclared reference to '" + e.name + "'");
      }
      case CelExpr::Op::kSelect: {
        Val t = Eval(*e.args[0]);
        if (t.err()) return t;
        if (t.k != Val::K::kMap) return Val::Err("no such overload");
        const yaml::Node* v = t.node ? t.node->Get(e.name) : nullptr;
        if (!v) return Val::Err("no such key: " + e.name);
        return FromNode(*v);
      }
      case CelExpr::Op::kHas: {
        Val t = Eval(*e.args[0]);
        if (t.err()) return t;
        if (t.k != Val::K::kMap) return Val::Err("no such overload");
        return Val::Bool(t.node && t.node->Get(e.name) != nullptr);
      }
      case CelExpr::Op::kIndex: return Index(Eval(*e.args[0]), Eval(*e.args[1]));
      case CelExpr::Op::kList: {
        Val v;
        v.k = Val::K::kList;
        v.list = std::make_shared<ValList>();
        for (const auto& a : e.args) {
          Val x = Eval(*a);
          if (x.err()) return x;
          v.list->push_back(std::move(x));
        }
        return v;
      }
      case CelExpr::Op::kMap: {
        Val v;
        v.k = Val::K::kMap;
        return v;
      }
      case CelExpr::Op::kNot: {
        Val x = Eval(*e.args[0]);
        if (x.err()) return x;
        if (x.k != Val::K::kBool) return Val::Err("no such overload");
        return Val::Bool(!x.b);
      }
      case CelExpr::Op::kNeg: {
        Val x = Eval(*e.args[0]);
        if (x.err()) return x;
        if (x.k == Val::K::kInt) {
          if (x.i == std::numeric_limits<int64_t>::min()) return Val::Err("integer overflow");
          return Val::Int(-x.i);
        }
        if (x.k == Val::K::kDouble) return Val::Double(-x.d);
        if (x.k == Val::K::kDuration) return Val::Duration(-x.i);
        return Val::Err("no such overload");
      }
      case CelExpr::Op::kAnd:
      case CelExpr::Op::kOr: {
        bool is_and = e.op == CelExpr::Op::kAnd;
        Val l = Eval(*e.args[0]);
        if (l.k == Val::K::kBool && l.b != is_and) return l;  // short circuit
        Val r = Eval(*e.args[1]);
        if (r.k == Val::K::kBool && r.b != is_and) return r;  // absorbs an error on the left
        if (l.err()) return l;
        if (r.err()) return r;
        if (l.k != Val::K::kBool || r.k != Val::K::kBool) return Val::Err("no matching overload for '_&&_'");
        return Val::Bool(is_and);
      }
      case CelExpr::Op::kCond: {
        Val c = Eval(*e.args[0]);
        if (c.err()) return c;
        if (c.k != Val::K::kBool) return Val::Err("no matching overload for '_?_:_'");
        return Eval(*e.args[c.b ? 1 : 2]);
      }
      case CelExpr::Op::kBinary: return Binary(e.id, e.name, Eval(*e.args[0]), Eval(*e.args[1]));
      case CelExpr::Op::kMacro: return Macro(e);
      case CelExpr::Op::kCall: return Call(e);
      case CelExpr::Op::kMethod: return Method(e);
    }
    return Val::Err("internal: unknown expression");
  }

 private:
  Val Index(const Val& t, const Val& i) {
    if (t.err()) return t;
    if (i.err()) return i;
    if (t.k == Val::K::kList) {
      int64_t idx;
      if (i.k == Val::K::kInt) {
        idx = i.i;
      } else if (i.k == Val::K::kUint) {
        idx = static_cast<int64_t>(i.u);
      } else {
        return Val::Err("unsupported index type '" + std::string(KindName(i.k)) + "' in list");
      }
      if (idx < 0 || static_cast<size_t>(idx) >= ListSize(t))
        return Val::Err("index out of range: " + std::to_string(idx));
      return ListAt(t, static_cast<size_t>(idx));
    }
    if (t.k == Val::K::kMap) {
      if (i.k != Val::K::kString) return Val::Err("no such key");
      const yaml::Node* v = t.node ? t.node->Get(i.s()) : nullptr;
      if (!v) return Val::Err("no such key: " + i.s());
      return FromNode(*v);
    }
    return Val::Err("no such overload");
  }

  // -1, 0, 1, or nullopt when not comparable.
  static std::optional<int> Compare(const Val& a, const Val& b) {
    auto sign = [](auto x, auto y) { return x < y ? -1 : (y < x ? 1 : 0); };
    if (a.numeric() && b.numeric()) {
      if (a.k == Val::K::kInt && b.k == Val::K::kInt) return sign(a.i, b.i);
      if (a.k == Val::K::kUint && b.k == Val::K::kUint) return sign(a.u, b.u);
      if (a.k == Val::K::kInt && b.k == Val::K::kUint) return a.i < 0 ? -1 : sign(static_cast<uint64_t>(a.i), b.u);
      if (a.k == Val::K::kUint && b.k == Val::K::kInt) return b.i < 0 ? 1 : sign(a.u, static_cast<uint64_t>(b.i));
      auto as_double = [](const Val& v) {
        return v.k == Val::K::kInt ? static_cast<double>(v.i) : v.k == Val::K::kUint ? static_cast<double>(v.u) : v.d;
      };
      double x = as_double(a), y = as_double(b);
      if (std::isnan(x) || std::isnan(y)) return std::nullopt;
      return sign(x, y);
    }
    if (a.k != b.k) return std::nullopt;
    switch (a.k) {
      case Val::K::kString: return sign(a.s(), b.s());
      case Val::K::kBool: return sign(a.b, b.b);
      case Val::K::kDuration: return sign(a.i, b.i);
      default: return std::nullopt;
    }
  }

  static bool Equal(const Val& a, const Val& b) {
    if (a.numeric() && b.numeric()) {
      auto c = Compare(a, b);
      return c && *c == 0;
    }
    if (a.k != b.k) return false;
    switch (a.k) {
      case Val::K::kNull: return true;
      case Val::K::kBool: return a.b == b.b;
      case Val::K::kString:
      case Val::K::kUrl: return a.s() == b.s();
      case Val::K::kIp:
      case Val::K::kCidr: return a.s() == b.s();  // held in canonical form
      case Val::K::kDuration: return a.i == b.i;
      case Val::K::kList: {
        size_t n = ListSize(a);
        if (n != ListSize(b)) return false;
        for (size_t i = 0; i < n; ++i)
          if (!Equal(ListAt(a, i), ListAt(b, i))) return false;
        return true;
      }
      case Val::K::kMap: {
        size_t n = MapSize(a);
        if (n != MapSize(b)) return false;
        for (size_t i = 0; i < n; ++i) {
          const yaml::Node* other = b.node->Get(a.node->KeyAt(i).text());
          if (!other || !Equal(FromNode(a.node->ValueAt(i)), FromNode(*other))) return false;
        }
        return true;
      }
      default: return false;
    }
  }

  Val Binary(N op, const std::string& op_text, const Val& a, const Val& b) {
    if (a.err()) return a;
    if (b.err()) return b;
    auto no_overload = [&] {
      return Val::Err("no such overload: " + std::string(KindName(a.k)) + " " + op_text + " " + std::string(KindName(b.k)));
    };
    if (op == N::kEq) return Val::Bool(Equal(a, b));
    if (op == N::kNe) return Val::Bool(!Equal(a, b));
    if (op == N::kLt || op == N::kLe || op == N::kGt || op == N::kGe) {
      auto c = Compare(a, b);
      if (!c) {
        if (a.numeric() && b.numeric()) return Val::Bool(false);  // NaN
        return no_overload();
      }
      if (op == N::kLt) return Val::Bool(*c < 0);
      if (op == N::kLe) return Val::Bool(*c <= 0);
      if (op == N::kGt) return Val::Bool(*c > 0);
      return Val::Bool(*c >= 0);
    }
    if (op == N::kIn) {
      if (b.k == Val::K::kList) {
        for (size_t i = 0, n = ListSize(b); i < n; ++i)
          if (Equal(a, ListAt(b, i))) return Val::Bool(true);
        return Val::Bool(false);
      }
      if (b.k == Val::K::kMap) {
        if (a.k != Val::K::kString) return Val::Bool(false);
        return Val::Bool(b.node && b.node->Get(a.s()) != nullptr);
      }
      return no_overload();
    }
    if (op == N::kAdd) {
      if (a.k == Val::K::kString && b.k == Val::K::kString) return Val::Str(a.s() + b.s());
      if (a.k == Val::K::kList && b.k == Val::K::kList) {
        Val v;
        v.k = Val::K::kList;
        v.list = std::make_shared<ValList>();
        for (size_t i = 0, n = ListSize(a); i < n; ++i) v.list->push_back(ListAt(a, i));
        for (size_t i = 0, n = ListSize(b); i < n; ++i) v.list->push_back(ListAt(b, i));
        return v;
      }
      if (a.k == Val::K::kDuration && b.k == Val::K::kDuration) {
        int64_t r;
        if (__builtin_add_overflow(a.i, b.i, &r)) return Val::Err("integer overflow");
        return Val::Duration(r);
      }
    }
    if (a.k == Val::K::kDuration && b.k == Val::K::kDuration && op == N::kSub) {
      int64_t r;
      if (__builtin_sub_overflow(a.i, b.i, &r)) return Val::Err("integer overflow");
      return Val::Duration(r);
    }
    // Arithmetic: CEL has no implicit conversion between int, uint, double.
    if (a.k != b.k) return no_overload();
    if (a.k == Val::K::kInt) {
      int64_t r = 0;
      bool overflow = false;
      if (op == N::kAdd) overflow = __builtin_add_overflow(a.i, b.i, &r);
      else if (op == N::kSub) overflow = __builtin_sub_overflow(a.i, b.i, &r);
      else if (op == N::kMul) overflow = __builtin_mul_overflow(a.i, b.i, &r);
      else if (op == N::kDiv || op == N::kMod) {
        if (b.i == 0) return Val::Err(op == N::kDiv ? "division by zero" : "modulus by zero");
        if (a.i == std::numeric_limits<int64_t>::min() && b.i == -1) return Val::Err("integer overflow");
        r = op == N::kDiv ? a.i / b.i : a.i % b.i;
      }
      if (overflow) return Val::Err("integer overflow");
      return Val::Int(r);
    }
    if (a.k == Val::K::kUint) {
      uint64_t r = 0;
      bool overflow = false;
      if (op == N::kAdd) overflow = __builtin_add_overflow(a.u, b.u, &r);
      else if (op == N::kSub) overflow = __builtin_sub_overflow(a.u, b.u, &r);
      else if (op == N::kMul) overflow = __builtin_mul_overflow(a.u, b.u, &r);
      else if (op == N::kDiv || op == N::kMod) {
        if (b.u == 0) return Val::Err(op == N::kDiv ? "division by zero" : "modulus by zero");
        r = op == N::kDiv ? a.u / b.u : a.u % b.u;
      }
      if (overflow) return Val::Err("unsigned integer overflow");
      return Val::Uint(r);
    }
    if (a.k == Val::K::kDouble) {
      if (op == N::kAdd) return Val::Double(a.d + b.d);
      if (op == N::kSub) return Val::Double(a.d - b.d);
      if (op == N::kMul) return Val::Double(a.d * b.d);
      if (op == N::kDiv) return Val::Double(a.d / b.d);
    }
    return no_overload();
  }

  Val Macro(const CelExpr& e) {
    Val range = Eval(*e.args[0]);
    if (range.err()) return range;
    std::vector<Val> elems;
    if (range.k == Val::K::kList) {
      for (size_t i = 0, n = ListSize(range); i < n; ++i) elems.push_back(ListAt(range, i));
    } else if (range.k == Val::K::kMap) {
      for (size_t i = 0, n = MapSize(range); i < n; ++i) elems.push_back(Val::StrRef(range.node->KeyAt(i).text()));
    } else {
      return Val::Err("no such overload: " + e.name + " over " + std::string(KindName(range.k)));
    }
    if (e.id == N::kFilter || e.id == N::kMap) {
      // Expanded by cel-go into a fold: an error anywhere is the result.
      Val out;
      out.k = Val::K::kList;
      out.list = std::make_shared<ValList>();
      bool has_filter = e.id == N::kFilter || e.args.size() == 3;
      for (const Val& x : elems) {
        scope_.push_back({e.var, &x});
        Val keep = Val::Bool(true);
        if (has_filter) keep = Eval(*e.args[1]);
        Val item = x;
        if (!keep.err() && keep.k == Val::K::kBool && keep.b && e.id == N::kMap) item = Eval(*e.args.back());
        scope_.pop_back();
        if (keep.err()) return keep;
        if (keep.k != Val::K::kBool) return Val::Err("no matching overload in " + e.name + "()");
        if (item.err()) return item;
        if (keep.b) out.list->push_back(std::move(item));
      }
      return out;
    }
    size_t true_count = 0;
    std::optional<Val> first_error;
    for (const Val& x : elems) {
      scope_.push_back({e.var, &x});
      Val r = Eval(*e.args[1]);
      scope_.pop_back();
      if (r.err()) {
        if (e.id == N::kExistsOne) return r;
        if (!first_error) first_error = r;
        continue;
      }
      if (r.k != Val::K::kBool) return Val::Err("no matching overload in " + e.name + "()");
      if (e.id == N::kAll && !r.b) return Val::Bool(false);
      if (e.id == N::kExists && r.b) return Val::Bool(true);
      if (r.b) ++true_count;
    }
    if (e.id == N::kExistsOne) return Val::Bool(true_count == 1);
    if (first_error) return *first_error;
    return Val::Bool(e.id == N::kAll);
  }

  Val Call(const CelExpr& e) {
    Val a = Eval(*e.args[0]);
    if (a.err()) return a;
    const N f = e.id;
    if (f == N::kDyn) return a;
    if (f == N::kSize) return Size(a);
    if (f == N::kInt) {
      switch (a.k) {
        case Val::K::kInt: return a;
        case Val::K::kUint:
          if (a.u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return Val::Err("range error");
          return Val::Int(static_cast<int64_t>(a.u));
        case Val::K::kDouble:
          if (!(a.d > -9.2233720368547758e18 && a.d < 9.2233720368547758e18)) return Val::Err("range error");
          return Val::Int(static_cast<int64_t>(a.d));
        case Val::K::kString: {
          auto v = ParseInt(a.s());
          if (!v) return Val::Err("cannot convert \"" + a.s() + "\" to int");  // cel-go: strconv error text
          return Val::Int(*v);
        }
        case Val::K::kDuration: return Val::Int(a.i);
        default: return Val::Err("no such overload: int(" + std::string(KindName(a.k)) + ")");
      }
    }
    if (f == N::kUint) {
      switch (a.k) {
        case Val::K::kUint: return a;
        case Val::K::kInt:
          if (a.i < 0) return Val::Err("range error");
          return Val::Uint(static_cast<uint64_t>(a.i));
        case Val::K::kDouble:
          if (!(a.d >= 0 && a.d < 1.8446744073709552e19)) return Val::Err("range error");
          return Val::Uint(static_cast<uint64_t>(a.d));
        case Val::K::kString: {
          auto v = ParseInt(a.s());
          if (!v || *v < 0 || a.s()[0] == '-') return Val::Err("cannot convert \"" + a.s() + "\" to uint");
          return Val::Uint(static_cast<uint64_t>(*v));
        }
        default: return Val::Err("no such overload: uint(" + std::string(KindName(a.k)) + ")");
      }
    }
    if (f == N::kDouble) {
      switch (a.k) {
        case Val::K::kDouble: return a;
        case Val::K::kInt: return Val::Double(static_cast<double>(a.i));
        case Val::K::kUint: return Val::Double(static_cast<double>(a.u));
        case Val::K::kString: {
          char* end = nullptr;
          double d = std::strtod(a.s().c_str(), &end);
          if (a.s().empty() || *end != '\0') return Val::Err("cannot convert \"" + a.s() + "\" to double");
          return Val::Double(d);
        }
        default: return Val::Err("no such overload: double(" + std::string(KindName(a.k)) + ")");
      }
    }
    if (f == N::kString) {
      switch (a.k) {
        case Val::K::kString: return a;
        case Val::K::kInt: return Val::Str(std::to_string(a.i));
        case Val::K::kUint: return Val::Str(std::to_string(a.u));
        case Val::K::kBool: return Val::Str(a.b ? "true" : "false");
        case Val::K::kIp:
        case Val::K::kCidr: return Val::Str(a.s());
        default: return Val::Err("no such overload: string(" + std::string(KindName(a.k)) + ")");
      }
    }
    if (f == N::kDuration) {
      if (a.k == Val::K::kDuration) return a;
      if (a.k != Val::K::kString) return Val::Err("no such overload: duration(" + std::string(KindName(a.k)) + ")");
      auto ns = ParseGoDuration(a.s());
      if (!ns) return Val::Err("type conversion error from 'string' to 'google.protobuf.Duration'");
      return Val::Duration(*ns);
    }
    if (f == N::kIsIp || f == N::kIp || f == N::kIpIsCanonical || f == N::kIsCidr || f == N::kCidr) {
      if (a.k != Val::K::kString) return Val::Err("no such overload: " + e.name + "(" + std::string(KindName(a.k)) + ")");
      const bool is_cidr = f == N::kIsCidr || f == N::kCidr;
      std::string error;
      auto parsed = is_cidr ? ParseCidr(a.s(), &error) : ParseIp(a.s(), &error);
      if (f == N::kIsIp || f == N::kIsCidr) return Val::Bool(parsed.has_value());
      if (!parsed) return Val::Err(error);
      if (f == N::kIpIsCanonical) return Val::Bool(FormatIp(*parsed) == a.s());
      Val v;
      v.k = is_cidr ? Val::K::kCidr : Val::K::kIp;
      v.own = is_cidr ? FormatCidr(*parsed) : FormatIp(*parsed);
      return v;
    }
    if (f == N::kIsUrl || f == N::kUrl) {
      if (a.k != Val::K::kString) return Val::Err("no such overload: " + e.name + "(" + std::string(KindName(a.k)) + ")");
      bool ok = ParseRequestUri(a.s()).has_value();
      if (f == N::kIsUrl) return Val::Bool(ok);
      if (!ok) return Val::Err("URL parse error during conversion from string: " + a.s());
      Val v;
      v.k = Val::K::kUrl;
      v.own = a.s();
      return v;
    }
    return Val::Err("unknown function " + e.name);
  }

  static std::optional<int64_t> ParseInt(const std::string& s) {
    if (s.empty()) return std::nullopt;
    size_t i = (s[0] == '-' || s[0] == '+') ? 1 : 0;
    if (i == s.size()) return std::nullopt;
    for (size_t j = i; j < s.size(); ++j)
      if (!std::isdigit(static_cast<unsigned char>(s[j]))) return std::nullopt;
    errno = 0;
    long long v = std::strtoll(s.c_str(), nullptr, 10);
    if (errno == ERANGE) return std::nullopt;
    return v;
  }

  static Val Size(const Val& a) {
    switch (a.k) {
      case Val::K::kString: return Val::Int(static_cast<int64_t>(Utf8Length(a.s())));
      case Val::K::kList: return Val::Int(static_cast<int64_t>(ListSize(a)));
      case Val::K::kMap: return Val::Int(static_cast<int64_t>(MapSize(a)));
      default: return Val::Err("no such overload: size(" + std::string(KindName(a.k)) + ")");
    }
  }

  Val Method(const CelExpr& e) {
    Val t = Eval(*e.args[0]);
    if (t.err()) return t;
    std::vector<Val> args;
    for (size_t i = 1; i < e.args.size(); ++i) {
      args.push_back(Eval(*e.args[i]));
      if (args.back().err()) return args.back();
    }
    const N m = e.id;
    auto no_overload = [&] { return Val::Err("no such overload: " + std::string(KindName(t.k)) + "." + e.name + "()"); };
    if (m == N::kSize) return Size(t);
    if (t.k == Val::K::kIp || t.k == Val::K::kCidr) {
      auto addr = t.k == Val::K::kIp ? ParseIp(t.s(), nullptr) : ParseCidr(t.s(), nullptr);
      if (!addr) return Val::Err("invalid " + std::string(KindName(t.k)));
      auto wrap = [](Val::K k, std::string text) {
        Val v;
        v.k = k;
        v.own = std::move(text);
        return v;
      };
      if (t.k == Val::K::kIp) {
        if (m == N::kFamily) return Val::Int(addr->v4 ? 4 : 6);
        if (m == N::kIsUnspecified) return Val::Bool(IpClass(*addr, "unspecified"));
        if (m == N::kIsLoopback) return Val::Bool(IpClass(*addr, "loopback"));
        if (m == N::kIsLinkLocalMulticast) return Val::Bool(IpClass(*addr, "llmulticast"));
        if (m == N::kIsLinkLocalUnicast) return Val::Bool(IpClass(*addr, "llunicast"));
        if (m == N::kIsGlobalUnicast) return Val::Bool(IpClass(*addr, "global"));
        return no_overload();
      }
      if (m == N::kPrefixLength) return Val::Int(addr->bits);
      if (m == N::kIp) {
        IpAddr a = *addr;
        a.bits = -1;
        return wrap(Val::K::kIp, FormatIp(a));
      }
      if (m == N::kMasked) return wrap(Val::K::kCidr, FormatCidr(Masked(*addr)));
      if ((m == N::kContainsIp || m == N::kContainsCidr) && args.size() == 1) {
        std::optional<IpAddr> other;
        if (args[0].k == Val::K::kString) {
          other = m == N::kContainsIp ? ParseIp(args[0].s(), nullptr) : ParseCidr(args[0].s(), nullptr);
        } else if (args[0].k == (m == N::kContainsIp ? Val::K::kIp : Val::K::kCidr)) {
          other = m == N::kContainsIp ? ParseIp(args[0].s(), nullptr) : ParseCidr(args[0].s(), nullptr);
        } else {
          return no_overload();
        }
        if (!other) return Val::Err("invalid " + std::string(m == N::kContainsIp ? "IP" : "CIDR") + ": " + args[0].s());
        if (other->v4 != addr->v4) return Val::Bool(false);
        int need = addr->bits;
        if (m == N::kContainsCidr && other->bits < need) return Val::Bool(false);
        return Val::Bool(SamePrefix(*addr, *other, need));
      }
      return no_overload();
    }
    if (t.k == Val::K::kUrl) {
      auto u = ParseRequestUri(t.s());
      if (!u) return Val::Err("invalid URL");
      if (m == N::kGetScheme) return Val::Str(u->scheme);
      if (m == N::kGetHost) return Val::Str(u->host);
      if (m == N::kGetHostname) return Val::Str(u->hostname);
      if (m == N::kGetPort) return Val::Str(u->port);
      if (m == N::kGetEscapedPath) return Val::Str(u->escaped_path);
      return no_overload();
    }
    if (m == N::kJoin) {
      if (t.k != Val::K::kList || (!args.empty() && args[0].k != Val::K::kString)) return no_overload();
      std::string out;
      for (size_t i = 0, n = ListSize(t); i < n; ++i) {
        Val item = ListAt(t, i);
        if (item.k != Val::K::kString) return Val::Err("join: list element is not a string");
        if (i && !args.empty()) out += args[0].s();
        out += item.s();
      }
      return Val::Str(out);
    }
    if (t.k != Val::K::kString) return no_overload();
    const std::string& s = t.s();
    if (m == N::kLowerAscii || m == N::kUpperAscii) {
      std::string r = s;
      for (char& c : r) c = static_cast<char>(m == N::kLowerAscii ? std::tolower(static_cast<unsigned char>(c))
                                                                 : std::toupper(static_cast<unsigned char>(c)));
      return Val::Str(r);
    }
    if (m == N::kTrim) {
      size_t b = 0, e2 = s.size();
      while (b < e2 && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
      while (e2 > b && std::isspace(static_cast<unsigned char>(s[e2 - 1]))) --e2;
      return Val::Str(s.substr(b, e2 - b));
    }
    if (m == N::kSubstring) {
      for (const Val& a : args)
        if (a.k != Val::K::kInt) return no_overload();
      int64_t len = static_cast<int64_t>(Utf8Length(s));
      int64_t from = args[0].i, to = args.size() > 1 ? args[1].i : len;
      if (from < 0 || from > len) return Val::Err("index out of range: " + std::to_string(from));
      if (to < 0 || to > len) return Val::Err("index out of range: " + std::to_string(to));
      if (from > to)
        return Val::Err("invalid substring range. start: " + std::to_string(from) + ", end: " + std::to_string(to));
      size_t b = Utf8Offset(s, from), e2 = Utf8Offset(s, to);
      return Val::Str(s.substr(b, e2 - b));
    }
    if (args.empty() || args[0].k != Val::K::kString) return no_overload();
    const std::string& x = args[0].s();
    if (m == N::kReplace) {
      if (args.size() != 2 || args[1].k != Val::K::kString) return no_overload();
      if (x.empty()) return Val::Err("replace: empty search string is not in the evaluated CEL subset");
      std::string out;
      size_t from = 0, p;
      while ((p = s.find(x, from)) != std::string::npos) {
        out.append(s, from, p - from);
        out += args[1].s();
        from = p + x.size();
      }
      out.append(s, from, std::string::npos);
      return Val::Str(out);
    }
    if (m == N::kSplit) {
      Val out;
      out.k = Val::K::kList;
      out.list = std::make_shared<ValList>();
      if (x.empty()) {
        // Go strings.Split with an empty separator: one element per UTF-8 sequence.
        for (size_t i = 0; i < s.size();) {
          size_t j = i + 1;
          while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
          out.list->push_back(Val::Str(s.substr(i, j - i)));
          i = j;
        }
        return out;
      }
      size_t from = 0, p;
      while ((p = s.find(x, from)) != std::string::npos) {
        out.list->push_back(Val::Str(s.substr(from, p - from)));
        from = p + x.size();
      }
      out.list->push_back(Val::Str(s.substr(from)));
      return out;
    }
    if (m == N::kLastIndexOf) {
      size_t p = s.rfind(x);
      return Val::Int(p == std::string::npos ? -1 : static_cast<int64_t>(Utf8Length(std::string_view(s).substr(0, p))));
    }
    if (m == N::kContains) return Val::Bool(s.find(x) != std::string::npos);
    if (m == N::kStartsWith) return Val::Bool(s.compare(0, x.size(), x) == 0 && s.size() >= x.size());
    if (m == N::kEndsWith) return Val::Bool(s.size() >= x.size() && s.compare(s.size() - x.size(), x.size(), x) == 0);
    if (m == N::kIndexOf) {
      size_t p = s.find(x);
      return Val::Int(p == std::string::npos ? -1 : static_cast<int64_t>(Utf8Length(std::string_view(s).substr(0, p))));
    }
    if (m == N::kMatches) {
      if (e.regex) return Val::Bool(RE2::PartialMatch(s, *e.regex));
      RE2::Options opts;
      opts.set_log_errors(false);
      RE2 re(x, opts);
      if (!re.ok()) return Val::Err("invalid regular expression: " + re.error());
      return Val::Bool(RE2::PartialMatch(s, re));
    }
    return no_overload();
  }

  Val self_;
  std::vector<Binding> scope_;
};

}  // namespace

core::Result<std::unique_ptr<CelProgram>> CompileCel(std::string_view source) {
  Lexer lexer(source);
  ASSIGN_OR_RETURN(auto toks, lexer.Run());
  Parser parser(std::move(toks));
  ASSIGN_OR_RETURN(auto root, parser.ParseAll());
  return std::make_unique<CelProgram>(std::move(root));
}

bool MentionsOldSelf(std::string_view source) {
  size_t p = 0;
  while ((p = source.find("oldSelf", p)) != std::string_view::npos) {
    bool left_ok = p == 0 || !(std::isalnum(static_cast<unsigned char>(source[p - 1])) || source[p - 1] == '_');
    size_t e = p + 7;
    bool right_ok = e >= source.size() || !(std::isalnum(static_cast<unsigned char>(source[e])) || source[e] == '_');
    if (left_ok && right_ok) return true;
    p = e;
  }
  return false;
}

CelOutcome EvaluateCel(const CelProgram& program, const yaml::Node& self_node) {
  Evaluator ev(self_node);
  Val v = ev.Eval(program.root());
  CelOutcome out;
  if (v.err()) {
    out.kind = CelOutcome::Kind::kError;
    out.error = v.s();
  } else if (v.k != Val::K::kBool) {
    out.kind = CelOutcome::Kind::kError;
    out.error = "rule did not evaluate to a bool (got " + std::string(KindName(v.k)) + ")";
  } else {
    out.kind = v.b ? CelOutcome::Kind::kTrue : CelOutcome::Kind::kFalse;
  }
  return out;
}

std::optional<int64_t> ParseGoDuration(std::string_view s) {
  // Go: [-+]?([0-9]*(\.[0-9]*)?[a-z]+)+, "0" alone allowed.
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  struct Unit {
    std::string_view name;
    uint64_t ns;
  };
  static const Unit kUnits[] = {{"ns", 1},          {"us", 1000},          {"\xC2\xB5s", 1000},
                                {"\xCE\xBCs", 1000}, {"ms", 1000000},       {"s", 1000000000ULL},
                                {"m", 60000000000ULL}, {"h", 3600000000000ULL}};
  unsigned __int128 total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || std::isdigit(static_cast<unsigned char>(s[0])))) return std::nullopt;
    unsigned __int128 whole = 0;
    size_t i = 0;
    bool any_digits = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      whole = whole * 10 + static_cast<unsigned>(s[i] - '0');
      if (whole > (static_cast<unsigned __int128>(1) << 63)) return std::nullopt;
      ++i;
      any_digits = true;
    }
    unsigned __int128 frac = 0, scale = 1;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        if (scale < static_cast<unsigned __int128>(1000000000000000000ULL)) {
          frac = frac * 10 + static_cast<unsigned>(s[i] - '0');
          scale *= 10;
        }
        ++i;
        any_digits = true;
      }
    }
    if (!any_digits) return std::nullopt;
    size_t u = i;
    while (u < s.size() && !(s[u] == '.' || std::isdigit(static_cast<unsigned char>(s[u])))) ++u;
    std::string_view unit = s.substr(i, u - i);
    const Unit* found = nullptr;
    for (const auto& k : kUnits)
      if (k.name == unit) found = &k;
    if (!found) return std::nullopt;
    total += whole * found->ns + frac * found->ns / scale;
    if (total > (static_cast<unsigned __int128>(1) << 63)) return std::nullopt;
    s.remove_prefix(u);
  }
  if (!neg && total > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) return std::nullopt;
  return neg ? static_cast<int64_t>(0 - static_cast<uint64_t>(total)) : static_cast<int64_t>(total);
}

// Go's url.ParseRequestURI, shared with Istio's validators (lib/validate/go_net.h).
std::optional<ParsedUrl> ParseRequestUri(std::string_view raw) {
  auto u = validate::ParseGoUrl(raw, true, nullptr);
  if (!u) return std::nullopt;
  ParsedUrl out;
  out.scheme = u->scheme;
  out.host = u->host;
  out.port = u->port;
  out.escaped_path = u->path;
  // url.URL.Hostname(): the host without port and IPv6 brackets.
  std::string_view h = out.host;
  if (!h.empty() && h[0] == '[') {
    h = h.substr(1, h.find(']') == std::string_view::npos ? h.size() - 1 : h.find(']') - 1);
  } else if (size_t colon = h.rfind(':'); colon != std::string_view::npos) {
    h = h.substr(0, colon);
  }
  out.hostname = std::string(h);
  return out;
}

}  // namespace meshctl::crd
