// A syntax-only parser for the Common Expression Language (CEL), enough to
// decide what cel-go's `Parse` (no type checking) accepts: lexical rules,
// operator precedence, member/index/call chains, list/map/message literals,
// and the macro argument shapes (`has(a.b)`, `x.all(v, p)`...) that cel-go
// rejects at parse time. Used for Telemetry access-log filters, which Istio
// validates with the parser only.
//
// Error texts follow cel-go's layout (`ERROR: <input>:L:C: Syntax error: ...`);
// the wording after "Syntax error:" is ours, not ANTLR's.
#pragma once

#include <string>
#include <string_view>

namespace meshctl::validate {

// "" when `expr` parses, else the error text.
std::string CheckCelSyntax(std::string_view expr);

}  // namespace meshctl::validate
