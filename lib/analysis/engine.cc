#include "lib/analysis/engine.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <numeric>
#include <tuple>
#include <set>
#include <unordered_map>

#include "lib/analysis/mesh_config.h"
#include "lib/core/strings.h"

namespace meshctl::analysis {

namespace {

// Istio's AddDefaultResources: the ingress gateway Pod and Service the test
// harness adds when ingressControllerMode is not OFF. `%S` is the ingress
// Service name from the mesh config.
std::string DefaultIngressYaml(const std::string& istio_ns, const std::string& service) {
  return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + service + "-dummypod\n  namespace: " + istio_ns +
         "\n  labels:\n    istio: ingressgateway\nspec:\n  containers:\n  - name: istio-proxy\n---\n"
         "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + service + "\n  namespace: " + istio_ns +
         "\nspec:\n  selector:\n    istio: ingressgateway\n  ports:\n"
         "  - {name: http2, nodePort: 31380, port: 80, protocol: TCP, targetPort: 80}\n"
         "  - {name: https, nodePort: 31390, port: 443, protocol: TCP, targetPort: 443}\n"
         "  - {name: tcp, nodePort: 31400, port: 31400, protocol: TCP, targetPort: 31400}\n"
         "  - {name: tls, nodePort: 31447, port: 15443, protocol: TCP, targetPort: 15443}\n";
}

// The documents read so far and their resources, kept here until replaced copies are
// dropped. The resources are in one array, document by document (`counts[i]` from
// document i), which the snapshot then adopts whole instead of copying.
struct Pending {
  std::vector<std::vector<yaml::Document>> runs;  // each file's documents, as parsed
  std::vector<size_t> counts;  // one per document, in load order
  std::vector<model::Resource> resources;

  size_t documents() const { return counts.size(); }
  // Calls fn(document index, resource) in load order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    size_t at = 0;
    for (size_t i = 0; i < counts.size(); ++i)
      for (size_t end = at + counts[i]; at < end; ++at) fn(i, resources[at]);
  }
};

// The revision's mesh ConfigMap among the documents (MeshConfigMapNames: the
// first name present with a `mesh` or `meshNetworks` key wins, so another
// istio-* ConfigMap is never taken for it; of one name, the last copy). With clusters, only
// the first cluster's (or untagged documents') ConfigMaps count: the mesh
// config is the primary cluster's.
const model::Resource* FindMeshConfigMap(const Pending& pending, const std::vector<uint32_t>& doc_cluster,
                                         const AnalyzeOptions& opts) {
  std::string primary = opts.clusters.empty() ? "" : opts.clusters.front().first;
  for (const std::string& name : MeshConfigMapNames(opts.revision)) {
    const model::Resource* found = nullptr;
    pending.ForEach([&](size_t i, const model::Resource& r) {
      if (i < doc_cluster.size() && doc_cluster[i] != 0 && opts.clusters[doc_cluster[i] - 1].first != primary) return;
      if (r.Is(model::kinds::kConfigMap) && r.name == name && r.ns == opts.istio_namespace &&
          (r.Find("data.mesh") || r.Find("data.meshNetworks")))
        found = &r;
    });
    if (found) return found;
  }
  return nullptr;
}

// "FILE (data.KEY)", or "ConfigMap NS/NAME (data.KEY)" for a live one.
std::string ConfigMapSource(const model::Resource& cm, const std::string& key) {
  return (cm.file.empty() ? "ConfigMap " + cm.ns + "/" + cm.name : std::string(cm.file)) + " (data." + key + ")";
}

// Turns one parsed input file into documents and resources; `keep` decides
// which resources stay. Same rules as model::LoadSnapshot (List expansion,
// ignored namespaces), which this mirrors so the harness can filter and replace.
void LoadInto(const io::InputFile& file, core::Result<std::vector<yaml::Document>> parsed,
              const model::LoadOptions& load, const std::function<bool(const model::Resource&)>& keep,
              Pending& out, AnalyzeResult& result) {
  if (!parsed.ok()) {
    result.load_errors.push_back(parsed.status());
    result.unparsed_files.push_back(file.path);
    return;
  }
  if (parsed->empty()) {
    result.empty_files.push_back(file.path);
    return;
  }
  auto ignored = [&](const model::Resource& r) {
    if (std::find(load.ignored_namespaces.begin(), load.ignored_namespaces.end(), r.ns) !=
        load.ignored_namespaces.end())
      return true;
    return r.Is(model::kinds::kNamespace) &&
           std::find(load.ignored_namespaces.begin(), load.ignored_namespaces.end(), r.name) !=
               load.ignored_namespaces.end();
  };
  for (const yaml::Document& doc : *parsed) {
    size_t count = 0;
    const yaml::Node& root = doc.root;
    const yaml::Node* items = root.IsMap() ? root.Get("items") : nullptr;
    const yaml::Node* kind = root.IsMap() ? root.Get("kind") : nullptr;
    bool is_list = items && items->IsSeq() && kind && kind->IsString() && kind->text().size() >= 4 &&
                   kind->text().compare(kind->text().size() - 4, 4, "List") == 0;
    auto add = [&](const yaml::Node& obj, yaml::Mark start, int list_index) {
      auto r = model::MakeResource(obj, file.path, start, load);
      if (!r.ok()) {
        result.load_errors.push_back(r.status());
        if (result.unparsed_files.empty() || result.unparsed_files.back() != file.path)
          result.unparsed_files.push_back(file.path);
        return;
      }
      r->doc_index = doc.index;
      r->list_index = list_index;
      if (file.from_cluster) model::MarkFromCluster(*r);
      if (ignored(*r) || !keep(*r)) return;
      out.resources.push_back(std::move(r).value());
      ++count;
    };
    if (is_list) {
      for (size_t i = 0; i < items->size(); ++i) add(items->at(i), items->at(i).mark(), static_cast<int>(i));
    } else {
      add(root, doc.start, -1);
    }
    out.counts.push_back(count);
  }
  // The resources point into these documents: the array moves whole, they stay put.
  out.runs.push_back(std::move(*parsed));
}

// Every file of `inputs`, parsed at once (model::ParseFiles) and loaded in order.
// `release` (the same set, or null) has its text freed once parsed.
void LoadAllInto(const io::InputSet& inputs, io::InputSet* release, const model::LoadOptions& load,
                 const std::function<bool(const model::Resource&)>& keep, Pending& out, AnalyzeResult& result) {
  auto parsed = model::ParseFiles(inputs, load, release);
  if (release) io::ReleaseContents(*release);
  // Room for one resource per document, and the mesh and networks resources added at
  // the end (a List holds more: the array grows then).
  size_t documents = 0;
  for (const auto& p : parsed)
    if (p.ok()) documents += p->size();
  out.runs.reserve(out.runs.size() + inputs.files.size());
  out.counts.reserve(out.counts.size() + documents);
  out.resources.reserve(out.resources.size() + documents + 2);
  for (size_t i = 0; i < inputs.files.size(); ++i)
    LoadInto(inputs.files[i], std::move(parsed[i]), load, keep, out, result);
}

model::Resource SyntheticResource(const yaml::Document& doc, const model::GroupKind& gk, std::string_view ns,
                                  std::string_view name) {
  model::Resource r;
  r.kind = gk.kind;
  r.group = gk.group;
  r.ns = model::KeepText(ns);
  r.name = name;
  r.root = &doc.root;
  r.spec = &doc.root;
  return r;
}


// One kind/namespace/name given more than once: where each copy starts, the
// last (kept) one at the end.
struct Duplicate {
  size_t kept_doc = 0;
  size_t kept_index = 0;  // index among the kept resources of that document
  std::vector<std::string> positions;  // "file:line", in load order
};

std::string PositionOf(const model::Resource& r) {
  std::string file = r.file.empty() ? "<default>" : r.file;
  return r.start.line > 0 ? file + ":" + std::to_string(r.start.line) : file;
}

// Keeps only the last resource of each cluster/group/kind/namespace/name and
// returns the identities that had more than one copy, in the order their first
// copies were loaded. Copies are found by sorting indexes, which needs 8 bytes per
// resource (a hash map of identities cost ~120 bytes each, 6 MB of the 50k peak).
std::vector<Duplicate> DropReplaced(Pending& pending, const std::vector<uint32_t>& doc_cluster) {
  auto& rs = pending.resources;
  std::vector<uint32_t> doc_of(rs.size());
  size_t at = 0;
  pending.ForEach([&](size_t i, const model::Resource&) { doc_of[at++] = static_cast<uint32_t>(i); });
  auto identity = [&](uint32_t i) {
    const model::Resource& r = rs[i];
    return std::tie(doc_cluster[doc_of[i]], r.group, r.kind, r.ns, r.name);
  };
  std::vector<uint32_t> by_identity(rs.size());
  std::iota(by_identity.begin(), by_identity.end(), uint32_t{0});
  // Stable: the copies of one identity stay in load order, the kept one last.
  std::stable_sort(by_identity.begin(), by_identity.end(),
                   [&](uint32_t a, uint32_t b) { return identity(a) < identity(b); });
  struct Group {
    size_t first, end;  // range of by_identity
  };
  std::vector<Group> groups;
  for (size_t a = 0, b = 0; a < by_identity.size(); a = b) {
    for (b = a + 1; b < by_identity.size() && identity(by_identity[a]) == identity(by_identity[b]);) ++b;
    if (b - a > 1) groups.push_back({a, b});
  }
  // Nothing replaced (the usual case): every resource stays where it is.
  if (groups.empty()) return {};
  std::sort(groups.begin(), groups.end(),
            [&](const Group& x, const Group& y) { return by_identity[x.first] < by_identity[y.first]; });
  std::vector<Duplicate> out;
  std::vector<bool> dropped(rs.size(), false);
  std::vector<size_t> kept_of(rs.size(), SIZE_MAX);  // resource -> its entry in out
  for (const Group& g : groups) {
    Duplicate d;
    for (size_t k = g.first; k < g.end; ++k) {
      d.positions.push_back(PositionOf(rs[by_identity[k]]));
      if (k + 1 < g.end) dropped[by_identity[k]] = true;
    }
    kept_of[by_identity[g.end - 1]] = out.size();
    out.push_back(std::move(d));
  }
  // Compact the kept resources in place, in order.
  size_t from = 0, to = 0;
  for (size_t i = 0; i < pending.documents(); ++i) {
    size_t kept = 0;
    for (size_t end = from + pending.counts[i]; from < end; ++from) {
      if (dropped[from]) continue;
      if (kept_of[from] != SIZE_MAX) {
        out[kept_of[from]].kept_doc = i;
        out[kept_of[from]].kept_index = kept;
      }
      ++kept;
      if (to != from) rs[to] = std::move(rs[from]);
      ++to;
    }
    pending.counts[i] = kept;
  }
  rs.erase(rs.begin() + static_cast<std::ptrdiff_t>(to), rs.end());
  return out;
}
}  // namespace

std::vector<const Analyzer*> SelectAnalyzers(const std::vector<std::string>& names, std::vector<std::string>* unknown) {
  std::vector<const Analyzer*> out;
  for (const auto& n : names) {
    std::vector<const Analyzer*> found = FindAnalyzers(n);
    if (found.empty()) {
      if (unknown) unknown->push_back(n);
      continue;
    }
    for (const Analyzer* a : found)
      if (std::find(out.begin(), out.end(), a) == out.end()) out.push_back(a);
  }
  if (out.empty())
    for (const auto& a : AllAnalyzers())
      if (!a->Metadata().not_in_all) out.push_back(a.get());
  std::sort(out.begin(), out.end(), [](const Analyzer* a, const Analyzer* b) { return a->Metadata().id < b->Metadata().id; });
  return out;
}

std::vector<std::string> MeshConfigMapNames(const std::string& revision) {
  if (revision.empty() || revision == "default") return {"istio"};
  return {"istio-" + revision, "istio"};
}

const yaml::Node* FindMeshConfig(const model::Snapshot& snap, const std::string& istio_ns,
                                 std::vector<yaml::Document>& storage) {
  const model::Resource* cm = snap.Find(model::kinds::kConfigMap, istio_ns, "istio");
  std::string text;
  std::string source = "<default mesh config>";
  if (cm) {
    const yaml::Node* mesh = cm->Find("data.mesh");
    if (mesh && mesh->IsString()) {
      text = mesh->text();
      source = cm->file + " (data.mesh)";
    }
  }
  yaml::Document doc;
  if (!BuildMeshConfig(text, source, doc).ok() && !BuildMeshConfig("", source, doc).ok()) return nullptr;
  storage.clear();
  storage.push_back(std::move(doc));
  return &storage.front().root;
}

namespace {

AnalyzeResult Analyze(const io::InputSet& inputs, io::InputSet* release, const AnalyzeOptions& opts) {
  AnalyzeResult result;
  std::vector<const Analyzer*> selected = SelectAnalyzers(opts.analyzers, &result.unknown_analyzers);

  model::LoadOptions load;
  load.default_namespace = opts.harness || opts.all_namespaces ? "" : opts.ns;
  load.ignored_namespaces = opts.ignored_namespaces;

  // Kinds the selected analyzers read (the harness loads only those).
  std::set<std::pair<std::string, std::string>> input_kinds;
  for (const Analyzer* a : selected)
    for (const auto& gk : a->Metadata().inputs) input_kinds.emplace(gk.group, gk.kind);
  auto keep = [&](const model::Resource& r) {
    return !opts.harness || input_kinds.count({r.group, r.kind}) > 0;
  };

  // Mesh config: --meshConfigFile, else the revision's mesh ConfigMap
  // (found after loading), else the defaults.
  Pending pending;
  LoadAllInto(inputs, release, load, keep, pending, result);
  // Per-cluster inputs: remember which documents belong to which cluster (0 for
  // none, else 1 + the index in opts.clusters of the first cluster of that name).
  std::vector<uint32_t> doc_cluster(pending.documents(), 0);
  for (size_t c = 0; c < opts.clusters.size(); ++c) {
    LoadAllInto(opts.clusters[c].second, nullptr, load, keep, pending, result);
    size_t first = 0;
    while (opts.clusters[first].first != opts.clusters[c].first) ++first;
    doc_cluster.resize(pending.documents(), static_cast<uint32_t>(first + 1));
  }

  std::string mesh_text = opts.mesh_config_yaml;
  std::string mesh_source = opts.mesh_config_source.empty() ? "mesh config" : opts.mesh_config_source;
  std::string networks_text = opts.mesh_networks_yaml;
  std::string networks_source = opts.mesh_networks_source;
  if (const model::Resource* cm = FindMeshConfigMap(pending, doc_cluster, opts)) {
    const yaml::Node* mesh = cm->Find("data.mesh");
    if (mesh_text.empty() && mesh && mesh->IsString()) {
      mesh_text = mesh->text();
      mesh_source = ConfigMapSource(*cm, "mesh");
    }
    // (Istio's analyzer tests give mesh networks as a file only.)
    const yaml::Node* networks = cm->Find("data.meshNetworks");
    if (!opts.harness && networks_text.empty() && networks && networks->IsString() && !networks->text().empty()) {
      networks_text = networks->text();
      networks_source = ConfigMapSource(*cm, "meshNetworks");
    }
  }
  auto mesh_doc = std::make_unique<yaml::Document>();
  result.mesh_error = BuildMeshConfig(mesh_text, mesh_source, *mesh_doc);
  if (!result.mesh_error.ok()) (void)BuildMeshConfig("", mesh_source, *mesh_doc);
  std::unique_ptr<yaml::Document> networks_doc;
  if (!networks_text.empty()) {
    auto n = ParseMeshFile(networks_text, networks_source);
    if (n.ok()) {
      networks_doc = std::make_unique<yaml::Document>(std::move(n).value());
    } else if (result.mesh_error.ok()) {
      result.mesh_error = n.status();
    }
  }

  if (opts.harness) {
    const yaml::Node* mode = mesh_doc->root.Get("ingressControllerMode");
    if (!mode || mode->ToScalarString() != "OFF") {
      const yaml::Node* svc = mesh_doc->root.Get("ingressService");
      std::string name = svc && !svc->ToScalarString().empty() ? svc->ToScalarString() : "istio-ingressgateway";
      io::InputFile defaults{"", DefaultIngressYaml(opts.istio_namespace, name)};
      size_t first = pending.resources.size();
      LoadInto(defaults, model::ParseManifest(defaults, load.limits), load, keep, pending, result);
      for (size_t i = first; i < pending.resources.size(); ++i) pending.resources[i].file = {};
      doc_cluster.resize(pending.documents(), 0);
    }
  }
  // A later resource with the same kind/namespace/name replaces an earlier
  // one, as istioctl's file store and a cluster (the last apply wins) do.
  // Outside the harness, each replaced identity is reported once (MSH0206).
  std::vector<Duplicate> duplicates = DropReplaced(pending, doc_cluster);

  // Resource addresses are final once in the snapshot; tag clusters by
  // (document, position) after Finalize.
  const std::vector<size_t>& counts = pending.counts;  // resources per document (they stay)
  result.snapshot.Adopt(std::move(pending.runs), std::move(pending.resources), 2);  // and the mesh, networks
  model::Resource mesh_res = SyntheticResource(*mesh_doc, kMeshConfigKind, opts.istio_namespace, "meshconfig");
  const yaml::Node* mesh_root = &mesh_doc->root;
  result.snapshot.AddDocument(std::move(mesh_doc), {std::move(mesh_res)});
  const yaml::Node* networks_root = nullptr;
  if (!networks_doc) {
    networks_doc = std::make_unique<yaml::Document>();
    networks_doc->root = yaml::Node::Map({});
  } else {
    networks_root = &networks_doc->root;
  }
  model::Resource net_res = SyntheticResource(*networks_doc, kMeshNetworksKind, opts.istio_namespace, "meshnetworks");
  result.snapshot.AddDocument(std::move(networks_doc), {std::move(net_res)});
  result.snapshot.Finalize();
  {
    size_t idx = 0;
    const auto& all = result.snapshot.resources();
    for (size_t i = 0; i < counts.size(); ++i) {
      for (size_t k = 0; k < counts[i] && idx < all.size(); ++k, ++idx)
        if (doc_cluster[i] != 0) result.clusters[&all[idx]] = opts.clusters[doc_cluster[i] - 1].first;
    }
  }

  for (const Analyzer* a : selected) {
    bool missing = false;
    if (!opts.harness && opts.skip_without_runtime_inputs)
      for (const auto& gk : a->Metadata().needs)
        if (result.snapshot.OfKind(gk).empty()) missing = true;
    (missing ? result.skipped : result.executed).push_back(a);
  }

  AnalysisContext ctx{result.snapshot};
  ctx.istio_namespace = opts.istio_namespace;
  ctx.mesh_config = mesh_root;
  ctx.mesh_networks = networks_root;
  ctx.clusters = &result.clusters;
  ctx.istio_services_absent =
      !opts.harness && result.snapshot.OfKindIn(model::kinds::kService, opts.istio_namespace).empty();

  diag::DiagnosticSink sink;
  RunAnalyzers(result.executed, ctx, sink, opts.analyzer_threads);
  if (!opts.harness) {
    // The kept copy's address: resources are stored document by document.
    std::vector<size_t> doc_offset(counts.size() + 1, 0);
    for (size_t i = 0; i < counts.size(); ++i) doc_offset[i + 1] = doc_offset[i] + counts[i];
    const auto& all = result.snapshot.resources();
    for (const Duplicate& d : duplicates) {
      size_t idx = doc_offset[d.kept_doc] + d.kept_index;
      if (idx >= all.size()) continue;
      std::vector<std::string> earlier(d.positions.begin(), d.positions.end() - 1);
      sink.Report("MSH0206", all[idx], "",
                  {all[idx].Origin(), core::Join(earlier, ", "), d.positions.back()});
    }
  }

  diag::FilterOptions filter;
  if (!opts.all_namespaces && !opts.harness) filter.namespace_filter = opts.ns;
  filter.suppressions = opts.suppressions;
  std::vector<diag::Diagnostic> found = sink.Take();
  // Multi-cluster: each finding says which cluster its resource is in
  // (before de-duplication, so the same finding in two clusters stays two).
  if (!opts.clusters.empty())
    for (auto& d : found) {
      auto it = d.resource ? result.clusters.find(d.resource) : result.clusters.end();
      if (it != result.clusters.end()) d.cluster = it->second;
    }
  result.diagnostics = diag::FilterDiagnostics(std::move(found), filter);
  return result;
}

}  // namespace

AnalyzeResult AnalyzeInputs(const io::InputSet& inputs, const AnalyzeOptions& opts) {
  return Analyze(inputs, nullptr, opts);
}

AnalyzeResult AnalyzeInputsReleasingText(io::InputSet& inputs, const AnalyzeOptions& opts) {
  return Analyze(inputs, &inputs, opts);
}

}  // namespace meshctl::analysis
