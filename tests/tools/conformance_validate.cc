// conformance-validate MANIFEST [--floor FILE] [--verbose]
//
// Runs meshctl's validation over the cases of an istio-validate manifest
// (conformance/istio-validate/cases.yaml format: file, kind, valid,
// error_contains, error_source, ...). A case passes when valid/invalid
// matches and, for invalid cases with error_contains, some error message
// contains that text. Cases whose expected text comes from the Kubernetes
// API server (error_source: crd) are judged on validity only: their text is
// the CRD/CEL message, not Istio's validator text.
// Prints the pass rate per kind and "N passed, M failed"; exits 1 when the
// overall rate is below the floor (a percentage in FILE), 2 on bad usage.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "lib/diag/sink.h"
#include "lib/io/files.h"
#include "lib/model/loader.h"
#include "lib/validate/validate.h"
#include "lib/yaml/parser.h"

namespace {

std::string Text(const meshctl::yaml::Node* n) {
  return n && n->IsScalar() && !n->IsNull() ? n->text() : std::string();
}

}  // namespace

int main(int argc, char** argv) {
  using namespace meshctl;
  std::string manifest, floor_file;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--floor" && i + 1 < argc) floor_file = argv[++i];
    else if (a == "--verbose" || a == "-v") verbose = true;
    else if (manifest.empty()) manifest = a;
    else {
      std::cerr << "usage: conformance-validate MANIFEST [--floor FILE] [--verbose]\n";
      return 2;
    }
  }
  if (manifest.empty()) {
    std::cerr << "usage: conformance-validate MANIFEST [--floor FILE] [--verbose]\n";
    return 2;
  }
  auto content = io::ReadFile(manifest);
  if (!content.ok()) {
    std::cerr << content.status().message() << "\n";
    return 2;
  }
  auto docs = yaml::ParseYamlStream(*content, manifest);
  if (!docs.ok() || docs->empty() || !docs->front().root.IsSeq()) {
    std::cerr << manifest << ": not a list of cases\n";
    return 2;
  }
  std::string dir = manifest.substr(0, manifest.find_last_of('/') + 1);
  struct Tally {
    int pass = 0, fail = 0;
  };
  std::map<std::string, Tally> per_kind;
  int pass = 0, fail = 0;
  for (const auto& c : docs->front().root.children()) {
    std::string file = Text(c.Get("file"));
    std::string kind = Text(c.Get("kind"));
    bool want_valid = c.Get("valid") && c.Get("valid")->AsBool().value_or(false);
    std::string contains = Text(c.Get("error_contains"));
    std::string source = Text(c.Get("error_source"));

    std::stringstream empty;
    auto inputs = io::ReadInputs({dir + file}, empty);
    bool got_valid = false;
    std::vector<std::string> errors;
    if (inputs.ok()) {
      model::LoadOptions lo;
      lo.require_api_version = false;
      lo.default_namespace = "default";
      auto loaded = model::LoadSnapshot(*inputs, lo);
      for (const auto& e : loaded.errors) errors.push_back(e.message());
      diag::DiagnosticSink sink;
      validate::ValidateContext vctx;
      validate::ValidateSnapshot(loaded.snapshot, vctx, sink);
      for (const auto& d : sink.diagnostics())
        if (d.severity == diag::Severity::kError) errors.push_back(d.message);
      got_valid = errors.empty();
    } else {
      errors.push_back(inputs.status().message());
    }
    bool ok = got_valid == want_valid;
    if (ok && !want_valid && !contains.empty() && source != "crd") {
      ok = std::any_of(errors.begin(), errors.end(),
                       [&](const std::string& e) { return e.find(contains) != std::string::npos; });
    }
    (ok ? per_kind[kind].pass : per_kind[kind].fail)++;
    (ok ? pass : fail)++;
    if (!ok && verbose) {
      std::cout << "FAIL " << file << " (want " << (want_valid ? "valid" : "invalid");
      if (!contains.empty()) std::cout << ", error containing \"" << contains << "\"";
      std::cout << ")\n";
      for (const auto& e : errors) std::cout << "     got: " << e << "\n";
    }
  }
  for (const auto& [kind, t] : per_kind) {
    int total = t.pass + t.fail;
    std::printf("%-22s %4d/%-4d %6.1f%%\n", kind.c_str(), t.pass, total, 100.0 * t.pass / total);
  }
  double rate = pass + fail ? 100.0 * pass / (pass + fail) : 0;
  std::printf("%d passed, %d failed (%.1f%%)\n", pass, fail, rate);
  if (!floor_file.empty()) {
    std::ifstream in(floor_file);
    double floor = 0;
    if (!(in >> floor)) {
      std::cerr << floor_file << ": expected a percentage\n";
      return 2;
    }
    if (rate + 1e-9 < floor) {
      std::printf("FAILED: pass rate %.1f%% is below the floor %.1f%% (%s)\n", rate, floor, floor_file.c_str());
      return 1;
    }
    std::printf("floor %.1f%% met\n", floor);
  }
  return 0;
}
