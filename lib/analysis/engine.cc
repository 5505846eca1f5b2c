#include "lib/analysis/engine.h"

#include <algorithm>

namespace meshctl::analysis {

std::vector<const Analyzer*> SelectAnalyzers(const std::vector<std::string>& names, std::vector<std::string>* unknown) {
  std::vector<const Analyzer*> out;
  for (const auto& n : names) {
    const Analyzer* a = FindAnalyzer(n);
    if (!a) {
      if (unknown) unknown->push_back(n);
      continue;
    }
    if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  if (out.empty())
    for (const auto& a : AllAnalyzers()) out.push_back(a.get());
  std::sort(out.begin(), out.end(), [](const Analyzer* a, const Analyzer* b) { return a->Metadata().id < b->Metadata().id; });
  return out;
}

const yaml::Node* FindMeshConfig(const model::Snapshot& snap, const std::string& istio_ns,
                                 std::vector<yaml::Document>& storage) {
  const model::Resource* cm = snap.Find(model::kinds::kConfigMap, istio_ns, "istio");
  if (!cm) return nullptr;
  const yaml::Node* mesh = cm->Find("data.mesh");
  if (!mesh || !mesh->IsString()) return nullptr;
  auto docs = yaml::ParseYamlStream(mesh->text(), cm->file + " (data.mesh)");
  if (!docs.ok() || docs->empty()) return nullptr;
  storage = std::move(docs).value();
  return &storage.front().root;
}

AnalyzeResult AnalyzeInputs(const io::InputSet& inputs, const AnalyzeOptions& opts) {
  AnalyzeResult result;
  model::LoadOptions load;
  load.default_namespace = opts.all_namespaces ? "" : opts.ns;
  load.ignored_namespaces = opts.ignored_namespaces;
  model::LoadResult loaded = model::LoadSnapshot(inputs, load);
  result.load_errors = std::move(loaded.errors);
  result.empty_files = std::move(loaded.empty_files);
  result.snapshot = std::move(loaded.snapshot);

  result.executed = SelectAnalyzers(opts.analyzers, &result.unknown_analyzers);
  AnalysisContext ctx{result.snapshot};
  ctx.istio_namespace = opts.istio_namespace;
  std::vector<yaml::Document> mesh_storage;
  ctx.mesh_config = FindMeshConfig(result.snapshot, opts.istio_namespace, mesh_storage);

  diag::DiagnosticSink sink;
  RunAnalyzers(result.executed, ctx, sink);

  diag::FilterOptions filter;
  if (!opts.all_namespaces) filter.namespace_filter = opts.ns;
  filter.suppressions = opts.suppressions;
  result.diagnostics = diag::FilterDiagnostics(sink.Take(), filter);
  return result;
}

}  // namespace meshctl::analysis
