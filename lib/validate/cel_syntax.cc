#include "lib/validate/cel_syntax.h"

#include <cctype>
#include <set>
#include <vector>

namespace meshctl::validate {
namespace {

enum class Tok {
  kEnd,
  kIdent,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kTrue,
  kFalse,
  kNull,
  kPunct,  // operators and brackets, text in `text`
};

struct Token {
  Tok type = Tok::kEnd;
  std::string text;
  size_t offset = 0;
};

constexpr int kMaxDepth = 250;  // cel-go's default parse recursion limit

// The tokens that can start an expression, as ANTLR lists them in cel-go.
constexpr std::string_view kExpressionStart =
    "{'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, "
    "IDENTIFIER}";

class SyntaxError {
 public:
  size_t offset;
  std::string message;
};

class Lexer {
 public:
  explicit Lexer(std::string_view src) : src_(src) {}

  // Tokenizes everything; false with `err` set on a lexical error.
  bool Run(std::vector<Token>& out, SyntaxError& err) {
    while (true) {
      SkipSpace();
      Token t;
      t.offset = pos_;
      if (pos_ >= src_.size()) {
        t.type = Tok::kEnd;
        out.push_back(t);
        return true;
      }
      if (!Next(t, err)) return false;
      out.push_back(std::move(t));
    }
  }

 private:
  void SkipSpace() {
    while (pos_ < src_.size()) {
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  static bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
  static bool IsIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  bool Fail(SyntaxError& err, size_t at, std::string msg) {
    err = {at, std::move(msg)};
    return false;
  }

  bool Next(Token& t, SyntaxError& err) {
    char c = src_[pos_];
    // String / bytes with optional r/b prefixes.
    size_t p = pos_;
    bool raw = false, bytes = false;
    for (int k = 0; k < 2 && p < src_.size(); ++k) {
      char q = src_[p];
      if ((q == 'r' || q == 'R') && !raw) {
        raw = true;
        ++p;
      } else if ((q == 'b' || q == 'B') && !bytes) {
        bytes = true;
        ++p;
      } else {
        break;
      }
    }
    if (p < src_.size() && (src_[p] == '"' || src_[p] == '\'')) {
      pos_ = p;
      return String(t, raw, bytes, err);
    }
    if (IsIdentStart(c)) {
      size_t s = pos_;
      while (pos_ < src_.size() && IsIdentChar(src_[pos_])) ++pos_;
      t.text = std::string(src_.substr(s, pos_ - s));
      if (t.text == "true") {
        t.type = Tok::kTrue;
      } else if (t.text == "false") {
        t.type = Tok::kFalse;
      } else if (t.text == "null") {
        t.type = Tok::kNull;
      } else if (t.text == "in") {
        t.type = Tok::kPunct;
      } else {
        t.type = Tok::kIdent;
      }
      return true;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) ||
        (c == '.' && pos_ + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
      return Number(t, err);
    }
    static const char* kTwo[] = {"<=", ">=", "==", "!=", "&&", "||"};
    for (const char* op : kTwo) {
      if (src_.substr(pos_, 2) == op) {
        t.type = Tok::kPunct;
        t.text = op;
        pos_ += 2;
        return true;
      }
    }
    if (std::string_view("()[]{}.,:?!-+*/%<>").find(c) != std::string_view::npos) {
      t.type = Tok::kPunct;
      t.text = std::string(1, c);
      ++pos_;
      return true;
    }
    if (c == '=' || c == '&' || c == '|') return Fail(err, pos_, std::string("token recognition error at: '") + c + "'");
    return Fail(err, pos_, std::string("token recognition error at: '") + std::string(1, c) + "'");
  }

  bool Number(Token& t, SyntaxError& err) {
    size_t s = pos_;
    auto digits = [&] {
      size_t n = 0;
      while (pos_ < src_.size() && std::isdigit(static_cast<unsigned char>(src_[pos_]))) {
        ++pos_;
        ++n;
      }
      return n;
    };
    if (src_[pos_] == '0' && pos_ + 1 < src_.size() && (src_[pos_ + 1] == 'x' || src_[pos_ + 1] == 'X')) {
      pos_ += 2;
      size_t n = 0;
      while (pos_ < src_.size() && std::isxdigit(static_cast<unsigned char>(src_[pos_]))) {
        ++pos_;
        ++n;
      }
      if (n == 0) return Fail(err, s, "invalid hex literal");
      t.type = Tok::kInt;
    } else {
      digits();
      t.type = Tok::kInt;
      if (pos_ + 1 < src_.size() && src_[pos_] == '.' && std::isdigit(static_cast<unsigned char>(src_[pos_ + 1]))) {
        ++pos_;
        digits();
        t.type = Tok::kDouble;
      }
      if (pos_ < src_.size() && (src_[pos_] == 'e' || src_[pos_] == 'E')) {
        size_t save = pos_;
        ++pos_;
        if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-')) ++pos_;
        if (digits() == 0) {
          pos_ = save;
        } else {
          t.type = Tok::kDouble;
        }
      }
    }
    if (t.type == Tok::kInt && pos_ < src_.size() && (src_[pos_] == 'u' || src_[pos_] == 'U')) {
      ++pos_;
      t.type = Tok::kUint;
    }
    t.text = std::string(src_.substr(s, pos_ - s));
    return true;
  }

  bool String(Token& t, bool raw, bool bytes, SyntaxError& err) {
    size_t start = pos_;
    char q = src_[pos_];
    bool triple = src_.substr(pos_, 3) == std::string(3, q);
    pos_ += triple ? 3 : 1;
    while (true) {
      if (pos_ >= src_.size()) return Fail(err, start, "unterminated string literal");
      char c = src_[pos_];
      if (triple) {
        if (src_.substr(pos_, 3) == std::string(3, q)) {
          pos_ += 3;
          break;
        }
      } else {
        if (c == q) {
          ++pos_;
          break;
        }
        if (c == '\n' || c == '\r') return Fail(err, start, "unterminated string literal");
      }
      if (c == '\\' && !raw) {
        if (!Escape(err)) return false;
        continue;
      }
      ++pos_;
    }
    t.type = bytes ? Tok::kBytes : Tok::kString;
    t.text = std::string(src_.substr(start, pos_ - start));
    return true;
  }

  bool Escape(SyntaxError& err) {
    size_t at = pos_;
    ++pos_;  // backslash
    if (pos_ >= src_.size()) return Fail(err, at, "invalid escape sequence");
    char c = src_[pos_];
    auto hex = [&](int n) {
      for (int i = 0; i < n; ++i, ++pos_) {
        if (pos_ >= src_.size() || !std::isxdigit(static_cast<unsigned char>(src_[pos_]))) return false;
      }
      return true;
    };
    if (std::string_view("\\?\"'`abfnrtv").find(c) != std::string_view::npos) {
      ++pos_;
      return true;
    }
    if (c == 'x' || c == 'X') {
      ++pos_;
      return hex(2) ? true : Fail(err, at, "invalid escape sequence");
    }
    if (c == 'u') {
      ++pos_;
      return hex(4) ? true : Fail(err, at, "invalid escape sequence");
    }
    if (c == 'U') {
      ++pos_;
      return hex(8) ? true : Fail(err, at, "invalid escape sequence");
    }
    if (c >= '0' && c <= '3') {
      for (int i = 0; i < 3; ++i, ++pos_) {
        if (pos_ >= src_.size() || src_[pos_] < '0' || src_[pos_] > '7') return Fail(err, at, "invalid escape sequence");
      }
      return true;
    }
    return Fail(err, at, "invalid escape sequence");
  }

  std::string_view src_;
  size_t pos_ = 0;
};

class Parser {
 public:
  explicit Parser(const std::vector<Token>& toks) : toks_(toks) {}

  void ParseAll() {
    Expr(0);
    if (Cur().type != Tok::kEnd) Throw("extraneous input " + Describe(Cur()) + " expecting <EOF>");
  }

 private:
  // What a parsed sub-expression is, for the macro argument checks.
  enum class Shape { kOther, kIdent, kSelect };

  const Token& Cur() const { return toks_[i_]; }
  bool IsPunct(std::string_view p) const { return Cur().type == Tok::kPunct && Cur().text == p; }
  bool Accept(std::string_view p) {
    if (!IsPunct(p)) return false;
    ++i_;
    return true;
  }
  [[noreturn]] void Throw(std::string msg) const { throw SyntaxError{Cur().offset, std::move(msg)}; }
  static std::string Describe(const Token& t) { return t.type == Tok::kEnd ? "'<EOF>'" : "'" + t.text + "'"; }
  void Expect(std::string_view p) {
    if (!Accept(p)) Throw("mismatched input " + Describe(Cur()) + " expecting '" + std::string(p) + "'");
  }
  void Enter(int depth) const {
    if (depth > kMaxDepth) Throw("expression recursion limit exceeded: " + std::to_string(kMaxDepth));
  }

  Shape Expr(int depth) {
    Enter(depth);
    Shape s = Or(depth + 1);
    if (Accept("?")) {
      Or(depth + 1);
      Expect(":");
      Expr(depth + 1);
      return Shape::kOther;
    }
    return s;
  }
  Shape Or(int depth) {
    Shape s = And(depth + 1);
    while (Accept("||")) {
      And(depth + 1);
      s = Shape::kOther;
    }
    return s;
  }
  Shape And(int depth) {
    Shape s = Relation(depth + 1);
    while (Accept("&&")) {
      Relation(depth + 1);
      s = Shape::kOther;
    }
    return s;
  }
  Shape Relation(int depth) {
    Shape s = Calc(depth + 1);
    while (IsPunct("<") || IsPunct("<=") || IsPunct(">") || IsPunct(">=") || IsPunct("==") || IsPunct("!=") ||
           IsPunct("in")) {
      ++i_;
      Calc(depth + 1);
      s = Shape::kOther;
    }
    return s;
  }
  Shape Calc(int depth) {
    Shape s = Mul(depth + 1);
    while (IsPunct("+") || IsPunct("-")) {
      ++i_;
      Mul(depth + 1);
      s = Shape::kOther;
    }
    return s;
  }
  Shape Mul(int depth) {
    Shape s = Unary(depth + 1);
    while (IsPunct("*") || IsPunct("/") || IsPunct("%")) {
      ++i_;
      Unary(depth + 1);
      s = Shape::kOther;
    }
    return s;
  }
  Shape Unary(int depth) {
    Enter(depth);
    if (IsPunct("!") || IsPunct("-")) {
      while (IsPunct("!") || IsPunct("-")) ++i_;
      Member(depth + 1);
      return Shape::kOther;
    }
    return Member(depth + 1);
  }

  // Arguments of a call; returns their shapes.
  std::vector<Shape> Args(int depth) {
    std::vector<Shape> shapes;
    if (Accept(")")) return shapes;
    do {
      shapes.push_back(Expr(depth + 1));
    } while (Accept(","));
    Expect(")");
    return shapes;
  }

  void CheckMacro(const std::string& name, bool receiver, const std::vector<Shape>& args, size_t at) const {
    auto fail = [&](const std::string& msg) { throw SyntaxError{at, msg}; };
    if (!receiver && name == "has" && args.size() == 1 && args[0] != Shape::kSelect)
      fail("invalid argument to has() macro");
    if (receiver && (name == "all" || name == "exists" || name == "exists_one" || name == "filter" ||
                     (name == "map" && (args.size() == 2 || args.size() == 3)))) {
      if ((name != "map" && args.size() != 2)) return;  // not a macro: an ordinary call
      if (args[0] != Shape::kIdent) fail("argument must be a simple name");
    }
  }

  Shape Member(int depth) {
    Enter(depth);
    Shape s = Primary(depth + 1);
    bool qualified_name = s == Shape::kIdent;
    while (true) {
      if (Accept(".")) {
        if (Cur().type != Tok::kIdent) Throw("no viable alternative at input '." + Cur().text + "'");
        std::string name = Cur().text;
        size_t at = Cur().offset;
        ++i_;
        if (Accept("(")) {
          CheckMacro(name, true, Args(depth + 1), at);
          s = Shape::kOther;
          qualified_name = false;
        } else {
          s = Shape::kSelect;
        }
      } else if (Accept("[")) {
        Expr(depth + 1);
        Expect("]");
        s = Shape::kOther;
        qualified_name = false;
      } else if (IsPunct("{") && qualified_name) {
        ++i_;
        FieldInits(depth + 1);
        s = Shape::kOther;
        qualified_name = false;
      } else {
        return s;
      }
    }
  }

  void FieldInits(int depth) {
    if (Accept("}")) return;
    while (true) {
      if (Cur().type != Tok::kIdent) Throw("mismatched input " + Describe(Cur()) + " expecting IDENTIFIER");
      ++i_;
      Expect(":");
      Expr(depth + 1);
      if (Accept(",")) {
        if (Accept("}")) return;
        continue;
      }
      Expect("}");
      return;
    }
  }

  Shape Primary(int depth) {
    Enter(depth);
    const Token& t = Cur();
    switch (t.type) {
      case Tok::kIdent: {
        static const std::set<std::string> kReserved = {"as",  "break",  "const",   "continue", "else",
                                                        "for", "function", "if",    "import",   "let",
                                                        "loop", "package", "namespace", "return", "var",
                                                        "void", "while"};
        if (kReserved.count(t.text)) Throw("reserved identifier: " + t.text);
        std::string name = t.text;
        size_t at = t.offset;
        ++i_;
        if (Accept("(")) {
          CheckMacro(name, false, Args(depth + 1), at);
          return Shape::kOther;
        }
        return Shape::kIdent;
      }
      case Tok::kInt:
      case Tok::kUint:
      case Tok::kDouble:
      case Tok::kString:
      case Tok::kBytes:
      case Tok::kTrue:
      case Tok::kFalse:
      case Tok::kNull:
        ++i_;
        return Shape::kOther;
      case Tok::kEnd:
        Throw("mismatched input '<EOF>' expecting " + std::string(kExpressionStart));
      case Tok::kPunct:
        break;
    }
    if (Accept(".")) {
      if (Cur().type != Tok::kIdent) Throw("no viable alternative at input '." + Cur().text + "'");
      ++i_;
      if (Accept("(")) {
        Args(depth + 1);
        return Shape::kOther;
      }
      return Shape::kIdent;
    }
    if (Accept("(")) {
      Expr(depth + 1);
      Expect(")");
      return Shape::kOther;
    }
    if (Accept("[")) {
      if (Accept("]")) return Shape::kOther;
      while (true) {
        Expr(depth + 1);
        if (Accept(",")) {
          if (Accept("]")) return Shape::kOther;
          continue;
        }
        Expect("]");
        return Shape::kOther;
      }
    }
    if (Accept("{")) {
      if (Accept("}")) return Shape::kOther;
      while (true) {
        Expr(depth + 1);
        Expect(":");
        Expr(depth + 1);
        if (Accept(",")) {
          if (Accept("}")) return Shape::kOther;
          continue;
        }
        Expect("}");
        return Shape::kOther;
      }
    }
    Throw("mismatched input " + Describe(t) + " expecting " + std::string(kExpressionStart));
  }

  const std::vector<Token>& toks_;
  size_t i_ = 0;
};

std::string Format(std::string_view src, const SyntaxError& e) {
  size_t line = 1, col = 1, line_start = 0;
  for (size_t i = 0; i < e.offset && i < src.size(); ++i) {
    if (src[i] == '\n') {
      ++line;
      col = 1;
      line_start = i + 1;
    } else {
      ++col;
    }
  }
  size_t line_end = src.find('\n', line_start);
  std::string_view text = src.substr(line_start, line_end == std::string_view::npos ? std::string_view::npos
                                                                                    : line_end - line_start);
  std::string out = "ERROR: <input>:" + std::to_string(line) + ":" + std::to_string(col) +
                    ": Syntax error: " + e.message + "\n | " + std::string(text) + "\n | " +
                    std::string(col - 1, '.') + "^";
  return out;
}

}  // namespace

std::string CheckCelSyntax(std::string_view expr) {
  // cel-go's default expression size limit (code points; bytes bound it from above).
  if (expr.size() > 100000) {
    return "ERROR: <input>:-1:0: expression code point size exceeds limit: size: " + std::to_string(expr.size()) +
           ", limit 100000";
  }
  std::vector<Token> toks;
  SyntaxError err{0, ""};
  Lexer lexer(expr);
  if (!lexer.Run(toks, err)) return Format(expr, err);
  try {
    Parser(toks).ParseAll();
  } catch (const SyntaxError& e) {
    return Format(expr, e);
  }
  return "";
}

}  // namespace meshctl::validate
