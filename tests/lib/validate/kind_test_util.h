// Test helper for per-kind validators: load one YAML document, run a
// validator, and look findings up by message with their positions.
#pragma once

#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "lib/model/loader.h"
#include "lib/validate/findings.h"
#include "lib/validate/validate.h"
#include "lib/yaml/parser.h"

namespace meshctl::validate::testutil {

struct Checked {
  std::vector<yaml::Document> docs;
  model::Resource resource;
  Findings findings;

  // The finding whose message contains `text` (nullptr when none).
  const Finding* Find(const std::string& text, bool warning = false) const {
    for (const auto& f : findings.items())
      if (f.warning == warning && f.message.find(text) != std::string::npos) return &f;
    return nullptr;
  }
  // 1-based line of the finding's field in the document.
  uint32_t Line(const Finding& f) const { return resource.Locate(f.field_path).line; }
  size_t Errors() const {
    size_t n = 0;
    for (const auto& f : findings.items()) n += f.warning ? 0 : 1;
    return n;
  }
  size_t Warnings() const { return findings.size() - Errors(); }
  std::string Dump() const {
    std::string s;
    for (const auto& f : findings.items())
      s += (f.warning ? "W " : "E ") + f.field_path + ": " + f.message + "\n";
    return s;
  }
};

// Loads the one document of `yaml_text`; `validator` == nullptr runs the
// whole engine (strict decoding, metadata checks, the kind's validator).
inline std::unique_ptr<Checked> Run(KindValidator validator, const std::string& yaml_text) {
  auto c = std::make_unique<Checked>();
  auto docs = yaml::ParseYamlStream(yaml_text, "test.yaml");
  REQUIRE(docs.ok());
  c->docs = std::move(docs).value();
  REQUIRE(c->docs.size() == 1);
  model::LoadOptions opts;
  opts.default_namespace = "default";
  auto res = model::MakeResource(c->docs[0].root, "test.yaml", c->docs[0].start, opts);
  REQUIRE(res.ok());
  c->resource = std::move(res).value();
  if (validator)
    validator(c->resource, ValidateContext{}, c->findings);
  else
    c->findings = ValidateResource(c->resource, ValidateContext{});
  INFO(c->Dump());
  return c;
}

// The whole engine on one document.
inline std::unique_ptr<Checked> RunEngine(const std::string& yaml_text) { return Run(nullptr, yaml_text); }

}  // namespace meshctl::validate::testutil
