// Loads a file into meshctl's model (parse + resources + snapshot indexes)
// the way analyze/validate do, and prints bytes, resources and seconds as one
// JSON line. Peak RSS is measured by the calling script (/usr/bin/time).
#include <chrono>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "lib/io/files.h"
#include "lib/model/loader.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: meshctl_load_bench FILE\n";
    return 64;
  }
  std::istringstream no_stdin;
  auto inputs = meshctl::io::ReadInputs({argv[1]}, no_stdin);
  if (!inputs.ok()) {
    std::cerr << inputs.status().message() << "\n";
    return 74;
  }
  size_t bytes = 0;
  for (const auto& f : inputs->files) bytes += f.content.size();
  auto t0 = std::chrono::steady_clock::now();
  meshctl::model::LoadResult r = meshctl::model::LoadSnapshot(*inputs, {});
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!r.errors.empty()) {
    std::cerr << r.errors.front().message() << "\n";
    return 65;
  }
  std::printf("{\"bytes\": %zu, \"resources\": %zu, \"seconds\": %.6f}\n", bytes, r.snapshot.size(), secs);
  return 0;
}
