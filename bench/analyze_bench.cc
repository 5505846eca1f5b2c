// Runs the whole analysis the way `meshctl analyze -A FILE` does (load,
// every default analyzer, filter/sort/dedupe; no rendering) and prints
// bytes, resources, findings and seconds as one JSON line. Peak RSS is
// measured by the calling script (/usr/bin/time).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "lib/analysis/engine.h"
#include "lib/io/files.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: meshctl_analyze_bench FILE\n";
    return 64;
  }
  std::istringstream no_stdin;
  auto t0 = std::chrono::steady_clock::now();
  auto inputs = meshctl::io::ReadInputs({argv[1]}, no_stdin);
  if (!inputs.ok()) {
    std::cerr << inputs.status().message() << "\n";
    return 74;
  }
  size_t bytes = 0;
  for (const auto& f : inputs->files) bytes += f.content.size();
  meshctl::analysis::AnalyzeOptions opts;
  opts.all_namespaces = true;
  opts.ns.clear();
  meshctl::analysis::AnalyzeResult r = meshctl::analysis::AnalyzeInputs(*inputs, opts);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.load_errors.empty()) {
    std::cerr << r.load_errors.front().message() << "\n";
    return 65;
  }
  std::printf("{\"bytes\": %zu, \"resources\": %zu, \"findings\": %zu, \"analyzers\": %zu, \"seconds\": %.6f}\n",
              bytes, r.snapshot.size(), r.diagnostics.size(), r.executed.size(), secs);
  return 0;
}
