// Helpers for lib/validate tests: validate YAML text, look for a finding by
// message substring and check its position.
#pragma once

#include <string>
#include <vector>

#include "lib/diag/sink.h"
#include "lib/model/loader.h"
#include "lib/validate/validate.h"

namespace meshctl::validate::testing {

struct Got {
  std::string code;
  diag::Severity severity;
  std::string message;
  uint32_t line = 0, column = 0;
};

struct Run {
  std::vector<Got> findings;
  std::vector<std::string> load_errors;
  bool valid() const {
    if (!load_errors.empty()) return false;
    for (const auto& f : findings)
      if (f.severity == diag::Severity::kError) return false;
    return true;
  }
  // The first finding whose message contains `text`, or nullptr.
  const Got* Find(const std::string& text) const {
    for (const auto& f : findings)
      if (f.message.find(text) != std::string::npos) return &f;
    return nullptr;
  }
  std::string Dump() const {
    std::string s;
    for (const auto& e : load_errors) s += "load: " + e + "\n";
    for (const auto& f : findings)
      s += f.code + " " + std::to_string(f.line) + ":" + std::to_string(f.column) + " " + f.message + "\n";
    return s;
  }
};

inline Run ValidateText(const std::string& text, const std::string& ns = "default") {
  io::InputSet in;
  in.files.push_back({"test.yaml", text});
  model::LoadOptions opts;
  opts.default_namespace = ns;
  opts.require_api_version = false;
  auto loaded = model::LoadSnapshot(in, opts);
  Run run;
  for (const auto& e : loaded.errors) run.load_errors.push_back(e.message());
  diag::DiagnosticSink sink;
  ValidateContext ctx;
  ctx.default_namespace = ns;
  ValidateSnapshot(loaded.snapshot, ctx, sink);
  for (const auto& d : sink.diagnostics())
    run.findings.push_back({d.code, d.severity, d.message, d.mark.line, d.mark.column});
  return run;
}

}  // namespace meshctl::validate::testing

namespace meshctl::validate::testing {

// An object of `kind` (networking.istio.io/v1 unless `api` says otherwise)
// named n in namespace ns whose spec is `spec` (indented by two spaces).
// The first spec line is line 7.
inline std::string Object(const std::string& kind, const std::string& spec,
                          const std::string& api = "networking.istio.io/v1") {
  return "apiVersion: " + api + "\nkind: " + kind + "\nmetadata:\n  name: n\n  namespace: ns\nspec:\n" + spec;
}

struct RuleCase {
  std::string spec;
  const char* message;  // substring of an expected finding; "" = resource must be valid without warnings
  uint32_t line;        // 0 = position not checked
  uint32_t column;
  bool warning = false;
};

// Checks every case of a table for `kind`.
inline void CheckRules(const std::string& kind, const std::vector<RuleCase>& cases) {
  for (const auto& c : cases) {
    auto run = ValidateText(Object(kind, c.spec));
    INFO(kind << " spec:\n" << c.spec << "\nfindings:\n" << run.Dump());
    if (std::string(c.message).empty()) {
      CHECK(run.findings.empty());
      continue;
    }
    const Got* f = run.Find(c.message);
    if (!f) {
      FAIL_CHECK("no finding contains: " << c.message);
      continue;
    }
    CHECK((f->severity == diag::Severity::kWarning) == c.warning);
    if (!c.warning) CHECK_FALSE(run.valid());
    if (c.line) {
      CHECK(f->line == c.line);
      CHECK(f->column == c.column);
    }
  }
}

}  // namespace meshctl::validate::testing
