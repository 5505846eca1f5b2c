#include "lib/validate/cel_syntax.h"

#include <catch2/catch.hpp>

#include <string>

namespace meshctl::validate {
namespace {

TEST_CASE("CEL syntax: accepted expressions", "[validate]") {
  for (const char* e : {
           "response.code >= 400",
           "connection.mtls && request.url_path.contains('v1beta3')",
           "response.code",
           "a ? b : c ? d : e",
           "!(x in [1, 2u, 3.5, -4, 0x1F]) || {'a': 1, \"b\": 2}['a'] == 1",
           "has(request.headers.foo) && request.headers.all(k, k.size() > 0)",
           "[1, 2, 3].map(x, x * 2).exists(y, y % 2 == 0)",
           "r'raw\\d' + b\"bytes\" + '''multi\nline''' + '\\u00e9\\n\\x41\\101'",
           "google.protobuf.Duration{seconds: 1}.seconds == 1",
           "size(x) - -1 / 2.0e3 < 1 // trailing comment",
           ".top.level",
       }) {
    INFO(e);
    CHECK(CheckCelSyntax(e).empty());
  }
}

TEST_CASE("CEL syntax: rejected expressions with positions", "[validate]") {
  CHECK(CheckCelSyntax(")++++").rfind("ERROR: <input>:1:1: Syntax error: mismatched input ')' expecting {'[', '{', '(',", 0) == 0);
  CHECK(CheckCelSyntax("").rfind("ERROR: <input>:1:1: Syntax error: mismatched input '<EOF>' expecting {", 0) == 0);
  CHECK(CheckCelSyntax("a &&").find("<input>:1:5:") != std::string::npos);
  CHECK(CheckCelSyntax("a = b").find("<input>:1:3:") != std::string::npos);
  CHECK(CheckCelSyntax("'unterminated").find("<input>:1:1:") != std::string::npos);
  CHECK(CheckCelSyntax("has(x)").find("invalid argument to has() macro") != std::string::npos);
  CHECK(CheckCelSyntax("l.all(x.y, true)").find("argument must be a simple name") != std::string::npos);
  CHECK(CheckCelSyntax("if").find("reserved identifier: if") != std::string::npos);
  CHECK(CheckCelSyntax("'\\q'").find("invalid escape sequence") != std::string::npos);
  CHECK(CheckCelSyntax("(a").find("expecting ')'") != std::string::npos);
  CHECK(CheckCelSyntax("a b").find("extraneous input 'b'") != std::string::npos);
  // Second line position and caret.
  std::string e = CheckCelSyntax("a &&\n  )");
  CHECK(e.find("<input>:2:3:") != std::string::npos);
  CHECK(e.find("\n |   )\n | ..^") != std::string::npos);
  // Deep nesting is a clean error, not a crash.
  CHECK(CheckCelSyntax(std::string(5000, '(') + "1" + std::string(5000, ')')).find("recursion limit") !=
        std::string::npos);
}

}  // namespace
}  // namespace meshctl::validate
