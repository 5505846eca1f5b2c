// Analyzers on several threads report exactly what they report on one, in
// the same order: RunAnalyzers gives each analyzer a sink of its own and
// appends the sinks in analyzer order.
#include <catch2/catch.hpp>

#include <sstream>

#include "lib/analysis/engine.h"
#include "lib/analysis/registry.h"
#include "tests/support/test_support.h"

namespace meshctl::analysis {
namespace {

std::string Describe(const diag::Diagnostic& d) {
  return d.code + " " + d.Origin() + " " + d.file + ":" + std::to_string(d.mark.line) + ":" +
         std::to_string(d.mark.column) + " " + d.field_path + " " + d.message;
}

std::vector<std::string> Describe(const std::vector<diag::Diagnostic>& ds) {
  std::vector<std::string> out;
  out.reserve(ds.size());
  for (const auto& d : ds) out.push_back(Describe(d));
  return out;
}

io::InputSet ReadAll(const std::vector<std::string>& paths) {
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs(paths, no_stdin);
  REQUIRE(inputs.ok());
  return std::move(inputs).value();
}

TEST_CASE("analyzers on several threads report what one thread reports, in the same order",
          "[analysis][threads]") {
  const std::string root = meshctl::testing::SourceDir() + "/testdata/";
  io::InputSet inputs = ReadAll({root + "analysis", root + "realworld", root + "bookinfo", root + "canary"});
  AnalyzeOptions opts;
  opts.all_namespaces = true;
  opts.analyzer_threads = 1;
  AnalyzeResult one = AnalyzeInputs(inputs, opts);
  REQUIRE(!one.diagnostics.empty());

  // The raw findings, before sorting and de-duplication, in report order.
  AnalysisContext ctx{one.snapshot};
  auto mesh = one.snapshot.OfKind(kMeshConfigKind);
  REQUIRE(!mesh.empty());
  ctx.mesh_config = mesh[0]->root;
  diag::DiagnosticSink serial;
  RunAnalyzers(one.executed, ctx, serial, 1);
  REQUIRE(serial.size() > 10);
  for (size_t threads : {2, 3, 8}) {
    diag::DiagnosticSink parallel;
    RunAnalyzers(one.executed, ctx, parallel, threads);
    CHECK(Describe(parallel.diagnostics()) == Describe(serial.diagnostics()));
  }

  // And what analyze prints.
  opts.analyzer_threads = 4;
  AnalyzeResult four = AnalyzeInputs(inputs, opts);
  CHECK(Describe(four.diagnostics) == Describe(one.diagnostics));
}

TEST_CASE("an analyzer that throws on a worker thread fails the run on the caller's thread",
          "[analysis][threads]") {
  class Throwing final : public Analyzer {
   public:
    const AnalyzerMetadata& Metadata() const override {
      static const AnalyzerMetadata m{"test.throws", "", "throws", {}, {}};
      return m;
    }
    void Analyze(const AnalysisContext&, diag::DiagnosticSink&) const override { throw std::runtime_error("boom"); }
  };
  model::Snapshot snap;
  snap.Finalize();
  AnalysisContext ctx{snap};
  Throwing t;
  std::vector<const Analyzer*> list(6, &t);
  diag::DiagnosticSink sink;
  CHECK_THROWS_WITH(RunAnalyzers(list, ctx, sink, 3), "boom");
}

}  // namespace
}  // namespace meshctl::analysis
