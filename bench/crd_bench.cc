// Validates a manifest against CRDs the way `meshctl validate --crd` does
// and prints one JSON line with the figures for bench/README.md:
//   crd_seconds       parse + compile of the CRD file (once per run)
//   load_seconds      parse + snapshot of the manifest (the baseline every
//                     command pays; measured in the same run)
//   validate_seconds  CrdSet::Validate over every resource
// MB/s figures are manifest bytes / seconds. The CRD compile and the
// validation are repeated ROUNDS times (fastest kept); the load runs once.
//
//   meshctl_crd_bench CRD_FILE MANIFEST [ROUNDS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>

#include "lib/crd/crd_set.h"
#include "lib/io/files.h"
#include "lib/model/loader.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) {
    std::cerr << "usage: meshctl_crd_bench CRD_FILE MANIFEST [ROUNDS]\n";
    return 64;
  }
  int rounds = argc == 4 ? std::max(1, std::atoi(argv[3])) : 3;
  std::istringstream no_stdin;
  auto crd_in = meshctl::io::ReadInputs({argv[1]}, no_stdin);
  auto manifest = meshctl::io::ReadInputs({argv[2]}, no_stdin);
  if (!crd_in.ok() || !manifest.ok()) {
    std::cerr << (crd_in.ok() ? manifest.status() : crd_in.status()).message() << "\n";
    return 74;
  }
  size_t crd_bytes = 0, bytes = 0;
  for (const auto& f : crd_in->files) crd_bytes += f.content.size();
  for (const auto& f : manifest->files) bytes += f.content.size();

  double crd_best = 1e9, validate_best = 1e9;
  meshctl::crd::CrdSet set;
  for (int round = 0; round < rounds; ++round) {
    auto t0 = std::chrono::steady_clock::now();
    meshctl::model::LoadResult crd_snap = meshctl::model::LoadSnapshot(*crd_in, {});
    meshctl::crd::CrdSet fresh;
    meshctl::core::Status st = fresh.AddFromSnapshot(crd_snap.snapshot);
    crd_best = std::min(crd_best, Seconds(t0));
    if (!crd_snap.errors.empty() || !st.ok()) {
      std::cerr << (st.ok() ? crd_snap.errors.front() : st).message() << "\n";
      return 65;
    }
    set = std::move(fresh);
  }

  // The manifest is loaded once: the load is the baseline, not the subject.
  auto t0 = std::chrono::steady_clock::now();
  meshctl::model::LoadResult r = meshctl::model::LoadSnapshot(*manifest, {});
  double load_seconds = Seconds(t0);
  if (!r.errors.empty()) {
    std::cerr << r.errors.front().message() << "\n";
    return 65;
  }

  size_t resources = r.snapshot.size(), covered = 0, findings = 0, errors = 0;
  for (int round = 0; round < rounds; ++round) {
    t0 = std::chrono::steady_clock::now();
    meshctl::diag::DiagnosticSink sink;
    covered = 0;
    for (const auto& res : r.snapshot.resources()) covered += set.Validate(res, sink);
    validate_best = std::min(validate_best, Seconds(t0));
    findings = sink.size();
    errors = 0;
    for (const auto& d : sink.diagnostics()) errors += d.severity == meshctl::diag::Severity::kError;
  }
  double mb = static_cast<double>(bytes) / 1e6;
  std::printf(
      "{\"crd_bytes\": %zu, \"crd_seconds\": %.6f, \"bytes\": %zu, \"resources\": %zu, \"covered\": %zu, "
      "\"findings\": %zu, \"errors\": %zu, \"load_seconds\": %.6f, \"validate_seconds\": %.6f, "
      "\"load_mb_s\": %.1f, \"validate_mb_s\": %.1f, \"load_and_validate_mb_s\": %.1f}\n",
      crd_bytes, crd_best, bytes, resources, covered, findings, errors, load_seconds, validate_best, mb / load_seconds,
      mb / validate_best, mb / (load_seconds + validate_best));
  return 0;
}
