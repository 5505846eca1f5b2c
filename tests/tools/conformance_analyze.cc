// conformance-analyze MANIFEST: runs the real analysis engine over Istio's
// analyzer conformance cases (../shared/conformance/istio-analyze/cases.yaml)
// with the test-harness semantics described in that folder's README, and
// compares each case's (code, resource) multiset with `expected`.
// Prints `PASS id` / `FAIL id: expected [...] got [...]` per case and ends
// with `N passed, M failed`. Input paths are relative to the working
// directory (run it from the manifest's folder).
//
// Options: --floor FILE  exit 1 when the pass count is below the number in
//                        FILE (the committed floor);
//          --case ID     run only that case (repeatable);
//          -v            print the rendered messages of failing cases.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "lib/analysis/engine.h"
#include "lib/io/files.h"
#include "lib/yaml/parser.h"

namespace {

using meshctl::yaml::Node;

std::string Str(const Node* n) { return n && !n->IsNull() ? n->ToScalarString() : ""; }

std::vector<std::string> StrList(const Node* n) {
  std::vector<std::string> out;
  if (n && n->IsSeq())
    for (const auto& c : n->children()) out.push_back(c.ToScalarString());
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
  return s + "]";
}

}  // namespace

int main(int argc, char** argv) {
  std::string manifest, floor_file;
  std::vector<std::string> only;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--floor" && i + 1 < argc) {
      floor_file = argv[++i];
    } else if (a == "--case" && i + 1 < argc) {
      only.push_back(argv[++i]);
    } else if (a == "-v") {
      verbose = true;
    } else if (manifest.empty()) {
      manifest = a;
    } else {
      std::cerr << "usage: conformance-analyze MANIFEST [--floor FILE] [--case ID]... [-v]\n";
      return 64;
    }
  }
  if (manifest.empty()) {
    std::cerr << "usage: conformance-analyze MANIFEST [--floor FILE] [--case ID]... [-v]\n";
    return 64;
  }
  auto text = meshctl::io::ReadFile(manifest);
  if (!text.ok()) {
    std::cerr << text.status().message() << "\n";
    return 74;
  }
  auto docs = meshctl::yaml::ParseYamlStream(*text, manifest);
  if (!docs.ok() || docs->empty() || !docs->front().root.IsSeq()) {
    std::cerr << manifest << ": not a list of cases"
              << (docs.ok() ? "" : ": " + docs.status().message()) << "\n";
    return 65;
  }
  int passed = 0, failed = 0;
  for (const Node& c : docs->front().root.children()) {
    std::string id = Str(c.Get("id"));
    if (!only.empty() && std::find(only.begin(), only.end(), id) == only.end()) continue;
    std::vector<std::string> expected;
    if (const Node* e = c.Get("expected"); e && e->IsSeq())
      for (const auto& m : e->children()) expected.push_back(Str(m.Get("code")) + " " + Str(m.Get("resource")));

    std::vector<std::string> got;
    std::string problem;
    meshctl::analysis::AnalyzeOptions opts;
    opts.harness = true;
    opts.ns = "";
    opts.all_namespaces = true;
    opts.analyzers = {Str(c.Get("analyzer_name"))};
    std::vector<std::string> paths = StrList(c.Get("inputs"));
    // Per-cluster inputs: {cluster1: [files], cluster2: [files]} (or a list
    // of file lists, named cluster1, cluster2, ...), each its own store.
    std::vector<std::pair<std::string, std::vector<std::string>>> cluster_paths;
    if (const Node* ci = c.Get("cluster_inputs"); ci && ci->IsMap()) {
      for (size_t i = 0; i < ci->size(); ++i) cluster_paths.emplace_back(ci->KeyAt(i).ToScalarString(), StrList(&ci->ValueAt(i)));
    } else if (ci && ci->IsSeq()) {
      for (size_t i = 0; i < ci->size(); ++i)
        cluster_paths.emplace_back("cluster" + std::to_string(i + 1), StrList(&ci->at(i)));
    }
    auto read_opt = [&](const char* key, std::string& into, std::string& source) {
      std::string path = Str(c.Get(key));
      if (path.empty()) return;
      auto t = meshctl::io::ReadFile(path);
      if (!t.ok()) {
        problem = t.status().message();
        return;
      }
      into = *t;
      source = path;
    };
    read_opt("mesh_config", opts.mesh_config_yaml, opts.mesh_config_source);
    read_opt("mesh_networks", opts.mesh_networks_yaml, opts.mesh_networks_source);
    std::istringstream no_stdin;
    auto inputs = meshctl::io::ReadInputs(paths, no_stdin);
    if (!inputs.ok()) problem = inputs.status().message();
    for (const auto& [cluster, files] : cluster_paths) {
      auto set = meshctl::io::ReadInputs(files, no_stdin);
      if (!set.ok()) {
        problem = set.status().message();
        continue;
      }
      opts.clusters.emplace_back(cluster, std::move(set).value());
    }
    std::vector<std::string> rendered;
    if (problem.empty()) {
      auto result = meshctl::analysis::AnalyzeInputs(*inputs, opts);
      if (!result.unknown_analyzers.empty()) problem = "unknown analyzer " + result.unknown_analyzers.front();
      for (const auto& d : result.diagnostics) {
        got.push_back(d.code + " " + d.Origin());
        rendered.push_back(d.ToString());
      }
    }
    std::vector<std::string> e_sorted = expected, g_sorted = got;
    std::sort(e_sorted.begin(), e_sorted.end());
    std::sort(g_sorted.begin(), g_sorted.end());
    if (problem.empty() && e_sorted == g_sorted) {
      ++passed;
      std::cout << "PASS " << id << "\n";
    } else {
      ++failed;
      std::cout << "FAIL " << id << ": expected " << Join(e_sorted) << " got " << Join(g_sorted)
                << (problem.empty() ? "" : " (" + problem + ")") << "\n";
      if (verbose)
        for (const auto& r : rendered) std::cout << "    " << r << "\n";
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (!floor_file.empty()) {
    std::ifstream in(floor_file);
    int floor = 0;
    if (!(in >> floor)) {
      std::cerr << floor_file << ": expected a number of cases\n";
      return 65;
    }
    if (passed < floor) {
      std::cerr << "conformance below the floor: " << passed << " passed < " << floor << " (" << floor_file << ")\n";
      return 1;
    }
  }
  return 0;
}
