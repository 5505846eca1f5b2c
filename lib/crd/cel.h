// A small evaluator for the CEL subset that CRD `x-kubernetes-validations`
// rules use in practice (all 36 distinct rules of Istio's CRDs fall inside
// it). A rule that uses anything outside the subset does not compile: the
// caller then reports it as "not evaluated" instead of guessing.
//
// The subset (semantics as cel-go with the Kubernetes libraries):
//   literals       int, uint (`1u`), double, string ('..', "..", r'..'),
//                  bool, null, list `[a, b]`, empty map `{}`
//   variables      `self`, macro variables; nothing else (`oldSelf` rules are
//                  transition rules and never run on create)
//   operators      ! - * / % + (int, double, string, list) == != < <= > >=
//                  (numbers compare across int/uint/double, durations,
//                  strings) `in` (list, map keys) && || (error-absorbing as
//                  in CEL) ?: , field selection, index `x[i]` / `m['k']`
//   macros         has(x.f), x.all(v, p), x.exists(v, p), x.exists_one(v, p),
//                  x.filter(v, p), x.map(v, f), x.map(v, p, f) over lists
//                  and map keys
//   functions      size(x) / x.size(), int(), uint(), double(), string(),
//                  duration() (Go time.ParseDuration syntax), string methods
//                  contains startsWith endsWith matches (RE2) substring
//                  lowerAscii upperAscii trim indexOf lastIndexOf split
//                  replace, list.join(), isURL(s), url(s) with
//                  getScheme getHost getHostname getPort getEscapedPath
//                  (Go url.ParseRequestURI rules)
// Values come from the YAML tree: ints are int, floats double, strings
// string, maps and sequences map and list. To extend: add a case in
// Evaluator::Call / Evaluator::Method (cel.cc; methods are listed in
// Parser::CheckMethod) and a test in tests/lib/crd/cel_test.cc.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lib/core/status.h"
#include "lib/yaml/node.h"

namespace meshctl::crd {

struct CelExpr;

class CelProgram {
 public:
  explicit CelProgram(std::unique_ptr<CelExpr> root);
  ~CelProgram();
  const CelExpr& root() const { return *root_; }

 private:
  std::unique_ptr<CelExpr> root_;
};

// Parses `source`. An error means "outside the evaluated subset" (or not CEL
// at all); its message says which construct.
core::Result<std::unique_ptr<CelProgram>> CompileCel(std::string_view source);

// True when `source` mentions `oldSelf` (a transition rule).
bool MentionsOldSelf(std::string_view source);

struct CelOutcome {
  enum class Kind { kTrue, kFalse, kError };
  Kind kind = Kind::kTrue;
  std::string error;  // for kError: cel-go's text ("no such key: value")
};

// Evaluates `program` with `self` bound to `self_node`.
CelOutcome EvaluateCel(const CelProgram& program, const yaml::Node& self_node);

// Go's time.ParseDuration; nullopt when the text is not a duration. Exposed
// for tests.
std::optional<int64_t> ParseGoDuration(std::string_view s);

// Go's url.ParseRequestURI: the lower-cased scheme on success.
struct ParsedUrl {
  std::string scheme, host, hostname, port, escaped_path;
};
std::optional<ParsedUrl> ParseRequestUri(std::string_view s);

}  // namespace meshctl::crd
