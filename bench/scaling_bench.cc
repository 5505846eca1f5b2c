// Scaling of two inputs that were quadratic (issue 15): a stream of N empty
// documents (`---` lines) through the loader, and one VirtualService with N
// hosts through validate. Prints one JSON line per size; a linear path
// doubles its time when N doubles (`ratio` ~2), a quadratic one quadruples.
//   build/bench/meshctl_scaling_bench [N=40000] [steps=3]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "lib/model/loader.h"
#include "lib/validate/validate.h"

namespace {

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double LoadEmptyDocs(size_t n) {
  meshctl::io::InputSet set;
  std::string text = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: first\n";
  for (size_t i = 0; i < n; ++i) text += "---\n";
  text += "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: last\n";
  set.files.push_back({"docs.yaml", std::move(text)});
  auto t0 = std::chrono::steady_clock::now();
  auto r = meshctl::model::LoadSnapshot(set, {});
  double s = Seconds(t0);
  if (r.snapshot.size() != 2) std::fprintf(stderr, "unexpected resource count %zu\n", r.snapshot.size());
  return s;
}

double ValidateHosts(size_t n) {
  meshctl::io::InputSet set;
  std::string text =
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: many\n  namespace: default\n"
      "spec:\n  hosts:\n";
  for (size_t i = 0; i < n; ++i) text += "  - host-" + std::to_string(i) + ".example.com\n";
  text += "  http:\n  - route:\n    - destination:\n        host: backend\n";
  set.files.push_back({"vs.yaml", std::move(text)});
  meshctl::model::LoadOptions opts;
  opts.default_namespace = "default";
  auto r = meshctl::model::LoadSnapshot(set, opts);
  meshctl::validate::ValidateContext ctx;
  auto t0 = std::chrono::steady_clock::now();
  size_t findings = 0;
  for (const auto& res : r.snapshot.resources())
    findings += meshctl::validate::ValidateResourceDiagnostics(res, ctx).size();
  double s = Seconds(t0);
  if (findings != 0) std::fprintf(stderr, "unexpected findings: %zu\n", findings);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 40000;
  int steps = argc > 2 ? std::atoi(argv[2]) : 3;
  for (const char* what : {"empty-documents", "virtualservice-hosts"}) {
    double prev = 0;
    for (int k = 0; k < steps; ++k) {
      size_t size = n << k;
      double s = std::string(what) == "empty-documents" ? LoadEmptyDocs(size) : ValidateHosts(size);
      std::printf("{\"bench\": \"%s\", \"n\": %zu, \"seconds\": %.4f, \"ratio\": %.2f}\n", what, size, s,
                  prev > 0 ? s / prev : 0.0);
      prev = s;
    }
  }
  return 0;
}
