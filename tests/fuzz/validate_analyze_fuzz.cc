// validate and analyze on a loaded snapshot: every validator (lib/validate)
// and every default analyzer (lib/analysis) over whatever the loader accepts.
// Findings must point inside the input.
#include "lib/analysis/engine.h"
#include "lib/model/loader.h"
#include "lib/validate/validate.h"
#include "tests/fuzz/fuzz_target.h"

using namespace meshctl;

MESHCTL_FUZZ_TARGET(validate_analyze) {
  io::InputSet in;
  in.files.push_back({"fuzz.yaml", std::string(data)});
  const uint32_t max_line = fuzz::MaxLines(data);

  model::LoadOptions lopts;
  lopts.default_namespace = "default";
  lopts.limits.max_alias_nodes = 20'000;
  model::LoadResult loaded = model::LoadSnapshot(in, lopts);
  validate::ValidateContext vctx;
  diag::DiagnosticSink sink;
  validate::ValidateSnapshot(loaded.snapshot, vctx, sink);
  for (const auto& d : sink.diagnostics()) {
    MESHCTL_FUZZ_CHECK(d.mark.line <= max_line, "validate finding past the end: " + d.ToString());
    (void)d.ToString();
  }

  analysis::AnalyzeOptions aopts;
  aopts.all_namespaces = true;
  analysis::AnalyzeResult result = analysis::AnalyzeInputs(in, aopts);
  for (const auto& d : result.diagnostics) {
    MESHCTL_FUZZ_CHECK(d.file.empty() || d.file == "fuzz.yaml", "analyze finding in another file: " + d.ToString());
    if (d.file == "fuzz.yaml")
      MESHCTL_FUZZ_CHECK(d.mark.line <= max_line, "analyze finding past the end: " + d.ToString());
    (void)d.ToString();
  }
  for (const auto& e : result.load_errors) MESHCTL_FUZZ_CHECK(!e.ok(), "ok load error");
}
