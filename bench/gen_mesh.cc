// Writes a synthetic mesh for benchmarks: for each service a Service, two
// Deployments (v1, v2), a VirtualService with a header match and a 90/10
// split, and a DestinationRule with v1/v2 subsets, spread over 50 namespaces.
//
//   meshctl_gen_mesh RESOURCES OUT.yaml     (RESOURCES is rounded to a multiple of 5)
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: meshctl_gen_mesh RESOURCES OUT.yaml\n";
    return 64;
  }
  long resources = std::strtol(argv[1], nullptr, 10);
  if (resources < 5) {
    std::cerr << "RESOURCES must be at least 5\n";
    return 64;
  }
  std::ofstream out(argv[2], std::ios::binary);
  if (!out) {
    std::cerr << "cannot write " << argv[2] << "\n";
    return 74;
  }
  long services = resources / 5;
  for (long i = 0; i < services; ++i) {
    std::string ns = "team-" + std::to_string(i % 50);
    std::string name = "svc-" + std::to_string(i);
    out << "apiVersion: v1\nkind: Service\nmetadata:\n  name: " << name << "\n  namespace: " << ns
        << "\n  labels:\n    app: " << name << "\nspec:\n  selector:\n    app: " << name
        << "\n  ports:\n  - name: http\n    port: 9080\n    targetPort: 9080\n---\n";
    for (const char* v : {"v1", "v2"}) {
      out << "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " << name << "-" << v
          << "\n  namespace: " << ns << "\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: " << name
          << "\n      version: " << v << "\n  template:\n    metadata:\n      labels:\n        app: " << name
          << "\n        version: " << v << "\n    spec:\n      containers:\n      - name: app\n        image: "
          << "registry.example.com/" << name << ":" << v
          << "\n        ports:\n        - containerPort: 9080\n        resources:\n          requests:\n"
          << "            cpu: 100m\n            memory: 128Mi\n---\n";
    }
    out << "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: " << name
        << "\n  namespace: " << ns << "\nspec:\n  hosts:\n  - " << name
        << "\n  http:\n  - match:\n    - headers:\n        end-user:\n          exact: jason\n    route:\n"
        << "    - destination:\n        host: " << name << "\n        subset: v2\n  - route:\n"
        << "    - destination:\n        host: " << name << "\n        subset: v1\n      weight: 90\n"
        << "    - destination:\n        host: " << name << "\n        subset: v2\n      weight: 10\n"
        << "    timeout: 10s\n    retries:\n      attempts: 3\n      perTryTimeout: 2s\n---\n";
    out << "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: " << name
        << "\n  namespace: " << ns << "\nspec:\n  host: " << name
        << "\n  trafficPolicy:\n    connectionPool:\n      tcp:\n        maxConnections: 100\n  subsets:\n"
        << "  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n      version: v2\n"
        << (i + 1 < services ? "---\n" : "");
  }
  return out ? 0 : 74;
}
