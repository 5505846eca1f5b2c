// Table tests for every analyzer: each row runs one analyzer (Istio's
// test-harness semantics: no default namespace, default ingress gateway
// resources) over a fixture in testdata/analysis/ and compares
// (line, code, resource) with the fixture's markers:
//
//   some: field  # expect: IST0101 VirtualService shop/reviews, IST0112 VirtualService shop/reviews
//   some: field  # expect[virtualservice.destination-rule]: IST0101 ...
//
// A marker expects findings on its own line; a bracketed marker only for the
// analyzers listed. A row expects the markers whose code the analyzer emits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "lib/analysis/engine.h"
#include "tests/support/test_support.h"

namespace meshctl::analysis {
namespace {

struct Marker {
  int line;
  std::vector<std::string> only;  // analyzer ids; empty = any
  std::string code;
  std::string resource;
};

std::vector<Marker> ReadMarkers(const std::string& path) {
  std::vector<Marker> out;
  std::istringstream in(meshctl::testing::ReadFileOrDie(path));
  std::string line;
  static const std::regex kMarker(R"(# expect(?:\[([^\]]*)\])?: (.*)$)");
  for (int n = 1; std::getline(in, line); ++n) {
    std::smatch m;
    if (!std::regex_search(line, m, kMarker)) continue;
    std::vector<std::string> only;
    std::stringstream ids(m[1].str());
    for (std::string id; std::getline(ids, id, ',');) only.push_back(id);
    std::stringstream items(m[2].str());
    for (std::string item; std::getline(items, item, ',');) {
      item.erase(0, item.find_first_not_of(' '));
      size_t sp = item.find(' ');
      out.push_back({n, only, item.substr(0, sp), item.substr(sp + 1)});
    }
  }
  return out;
}

std::string Key(int line, const std::string& code, const std::string& resource) {
  return std::to_string(line) + " " + code + " " + resource;
}

struct Row {
  const char* file;
  const char* analyzer;
};

const Row kRows[] = {
    {"gateways.yaml", "gateway.ingress-port"},
    {"gateways.yaml", "gateway.secret"},
    {"gateway-conflicts.yaml", "gateway.conflicting"},
    {"gateway-certificates.yaml", "gateway.certificate"},
    {"virtualservice-gateways.yaml", "virtualservice.gateway"},
    {"selectors.yaml", "sidecar.selector"},
    {"selectors.yaml", "telemetry.selector"},
    {"selectors.yaml", "telemetry.default-selector"},
    {"selectors.yaml", "telemetry.provider"},
    {"authz.yaml", "security.authorization-policies"},
    {"destinationrules.yaml", "destinationrule.ca-certificate"},
    {"destinationrules.yaml", "destinationrule.subset-select-pod"},
    {"virtualservices.yaml", "virtualservice.destination-host"},
    {"virtualservices.yaml", "virtualservice.destination-rule"},
    {"virtualservices.yaml", "virtualservice.conflicting-mesh-hosts"},
    {"virtualservices.yaml", "virtualservice.weights"},
    {"routing-rules.yaml", "virtualservice.unreachable-rules"},
    {"routing-rules.yaml", "virtualservice.weights"},
    {"routing-rules.yaml", "virtualservice.delegate"},
    {"serviceentries.yaml", "serviceentry.addresses"},
    {"serviceentries.yaml", "serviceentry.conflicting-protocol"},
    {"status-and-workloads.yaml", "status.conditions"},
    {"status-and-workloads.yaml", "workload.application-uid"},
    {"status-and-workloads.yaml", "security.blocked-cidrs"},
    {"status-and-workloads.yaml", "deprecation.fields"},
    {"status-and-workloads.yaml", "k8sgateway.crd-version"},
    {"webhooks.yaml", "webhook.injector"},
    {"webhooks.yaml", "webhook.external-control-plane"},
    {"injection.yaml", "injection.namespace"},
    {"injection.yaml", "injection.image"},
    {"injection.yaml", "injection.image-auto"},
    {"envoyfilters.yaml", "envoyfilter.patch"},
    {"annotations.yaml", "annotations.istio"},
    {"annotations.yaml", "annotations.alpha"},
    {"services.yaml", "service.port-name"},
    {"services.yaml", "deployment.multi-service"},
    {"services.yaml", "service.selector-no-workload"},
    {"services.yaml", "workload.labels"},
    {"services.yaml", "workload.app-protocol-conflict"},
    {"gateway-pods.yaml", "k8sgateway.selector"},
    {"gateway-pods.yaml", "virtualservice.jwt-claim-route"},
};

AnalyzeResult RunHarness(const std::vector<std::string>& files, const std::string& analyzer,
                         const std::string& mesh_config = "", const std::string& mesh_networks = "") {
  std::vector<std::string> paths;
  for (const auto& f : files) paths.push_back(meshctl::testing::SourceDir() + "/testdata/analysis/" + f);
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs(paths, no_stdin);
  REQUIRE(inputs.ok());
  AnalyzeOptions opts;
  opts.harness = true;
  opts.all_namespaces = true;
  opts.ns.clear();
  opts.analyzers = {analyzer};
  opts.mesh_config_yaml = mesh_config;
  opts.mesh_networks_yaml = mesh_networks;
  return AnalyzeInputs(*inputs, opts);
}

TEST_CASE("every analyzer reports the fixture's expected findings at the marked lines", "[analysis]") {
  std::set<std::string> used;  // "file:line code resource" of markers some row expects
  for (const Row& row : kRows) {
    DYNAMIC_SECTION(row.analyzer << " on " << row.file) {
      const Analyzer* a = FindAnalyzer(row.analyzer);
      REQUIRE(a != nullptr);
      const auto& codes = a->Metadata().codes;
      std::vector<std::string> expected;
      for (const Marker& m : ReadMarkers(meshctl::testing::SourceDir() + "/testdata/analysis/" + row.file)) {
        if (!m.only.empty() && std::find(m.only.begin(), m.only.end(), row.analyzer) == m.only.end()) continue;
        if (std::find(codes.begin(), codes.end(), m.code) == codes.end()) continue;
        expected.push_back(Key(m.line, m.code, m.resource));
      }
      AnalyzeResult result = RunHarness({row.file}, row.analyzer);
      CHECK(result.load_errors.empty());
      std::vector<std::string> actual;
      for (const auto& d : result.diagnostics) actual.push_back(Key(static_cast<int>(d.mark.line), d.code, d.Origin()));
      std::sort(expected.begin(), expected.end());
      std::sort(actual.begin(), actual.end());
      CHECK(actual == expected);
    }
  }
}

TEST_CASE("every fixture marker is expected by some table row", "[analysis]") {
  for (const char* file : {"gateways.yaml", "gateway-conflicts.yaml", "gateway-certificates.yaml",
                           "virtualservice-gateways.yaml", "selectors.yaml", "authz.yaml", "destinationrules.yaml",
                           "virtualservices.yaml", "routing-rules.yaml", "serviceentries.yaml",
                           "status-and-workloads.yaml", "webhooks.yaml", "injection.yaml", "envoyfilters.yaml",
                           "annotations.yaml", "services.yaml", "gateway-pods.yaml"}) {
    for (const Marker& m : ReadMarkers(meshctl::testing::SourceDir() + "/testdata/analysis/" + file)) {
      bool covered = false;
      for (const Row& row : kRows) {
        if (std::string(row.file) != file) continue;
        if (!m.only.empty() && std::find(m.only.begin(), m.only.end(), row.analyzer) == m.only.end()) continue;
        const auto& codes = FindAnalyzer(row.analyzer)->Metadata().codes;
        covered = covered || std::find(codes.begin(), codes.end(), m.code) != codes.end();
      }
      INFO(file << ":" << m.line << " " << m.code);
      CHECK(covered);
    }
  }
}

TEST_CASE("every registered analyzer has a table row or a dedicated test", "[analysis]") {
  // Analyzers that need a mesh config, mesh networks or clusters are tested
  // below; schema.validation (IST0106/IST0133) is validate's and tested there.
  const std::set<std::string> dedicated = {"telemetry.lightstep", "mesh.networks", "service.multicluster",
                                           "schema.validation", "ambient.waypoint", "ambient.namespace"};
  for (const auto& a : AllAnalyzers()) {
    std::string id(a->Metadata().id);
    bool has_row = dedicated.count(id) > 0;
    for (const Row& row : kRows) has_row = has_row || id == row.analyzer;
    INFO(id);
    CHECK(has_row);
  }
}

TEST_CASE("lightstep providers from the mesh config are reported as deprecated", "[analysis]") {
  const std::string mesh = "extensionProviders:\n- name: ls\n  lightstep: {service: ls.svc, port: 443}\n";
  std::string dir = meshctl::testing::MakeTempDir();
  meshctl::testing::WriteFile(dir + "/t.yaml",
                              "apiVersion: telemetry.istio.io/v1\nkind: Telemetry\nmetadata:\n  name: tracing\n"
                              "  namespace: istio-system\nspec:\n  tracing:\n  - providers: [{name: ls}]\n");
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs({dir + "/t.yaml"}, no_stdin);
  REQUIRE(inputs.ok());
  AnalyzeOptions opts;
  opts.harness = true;
  opts.all_namespaces = true;
  opts.analyzers = {"telemetry.LightstepAnalyzer"};
  opts.mesh_config_yaml = mesh;
  auto result = AnalyzeInputs(*inputs, opts);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "IST0002");
  CHECK(result.diagnostics[0].message ==
        "Deprecated: The Lightstep provider ls is deprecated, please migrate to OpenTelemetry provider.");
  CHECK(result.diagnostics[0].mark.line == 1);
  // Without the provider in the mesh config there is nothing to report.
  opts.mesh_config_yaml.clear();
  CHECK(AnalyzeInputs(*inputs, opts).diagnostics.empty());
}

TEST_CASE("mesh networks with an unknown registry are reported on the MeshNetworks resource", "[analysis]") {
  const std::string networks =
      "networks:\n  n1:\n    endpoints:\n    - fromRegistry: Kubernetes\n  n2:\n    endpoints:\n"
      "    - fromRegistry: cluster-b\n";
  std::istringstream no_stdin;
  io::InputSet none;
  AnalyzeOptions opts;
  opts.harness = true;
  opts.all_namespaces = true;
  opts.analyzers = {"mesh.networks"};
  opts.mesh_networks_yaml = networks;
  auto result = AnalyzeInputs(none, opts);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].Origin() == "MeshNetworks istio-system/meshnetworks");
  CHECK(result.diagnostics[0].message == "Unknown service registry cluster-b in network n2");
}

TEST_CASE("the mesh config is the revision's ConfigMap istio-REV, else istio, with its meshNetworks", "[analysis]") {
  std::istringstream no_stdin;
  auto inputs =
      io::ReadInputs({meshctl::testing::SourceDir() + "/testdata/analysis/revisions/mesh-configmaps.yaml"}, no_stdin);
  REQUIRE(inputs.ok());
  auto codes = [&](const std::string& revision) {
    AnalyzeOptions opts;
    opts.all_namespaces = true;
    opts.revision = revision;
    opts.analyzers = {"telemetry.ProviderAnalyzer", "meshnetworks.MeshNetworksAnalyzer"};
    auto result = AnalyzeInputs(*inputs, opts);
    INFO(revision);
    CHECK(result.mesh_error.ok());
    std::set<std::string> out;
    for (const auto& d : result.diagnostics) out.insert(d.code + " " + d.Origin());
    return out;
  };
  const std::set<std::string> from_istio = {"IST0157 Telemetry shop/access-logs",
                                            "IST0126 MeshNetworks istio-system/meshnetworks"};
  CHECK(codes("default") == from_istio);
  CHECK(codes("") == from_istio);
  CHECK(codes("stable") == from_istio);  // no istio-stable: the istio ConfigMap
  CHECK(codes("canary").empty());        // istio-canary: a default provider, no mesh networks
  CHECK(MeshConfigMapNames("canary") == std::vector<std::string>{"istio-canary", "istio"});
  CHECK(MeshConfigMapNames("default") == std::vector<std::string>{"istio"});
  // --meshConfigFile still wins over any ConfigMap.
  AnalyzeOptions opts;
  opts.all_namespaces = true;
  opts.revision = "canary";
  opts.analyzers = {"telemetry.ProviderAnalyzer"};
  opts.mesh_config_yaml = "rootNamespace: istio-system\n";
  auto result = AnalyzeInputs(*inputs, opts);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].code == "IST0157");
}

TEST_CASE("a Service that differs between clusters is reported once with the clusters and reasons", "[analysis]") {
  std::string dir = meshctl::testing::MakeTempDir();
  auto svc = [](const std::string& name, const std::string& extra) {
    return "apiVersion: v1\nkind: Service\nmetadata:\n  name: " + name + "\n  namespace: shop\nspec:\n" + extra +
           "  ports:\n  - {name: http, port: 80, protocol: TCP}\n";
  };
  meshctl::testing::WriteFile(dir + "/c1.yaml", svc("same", "") + "---\n" + svc("headless", "") + "---\n" +
                                                    svc("only-here", ""));
  meshctl::testing::WriteFile(dir + "/c2.yaml", svc("same", "") + "---\n" + svc("headless", "  clusterIP: None\n"));
  std::istringstream no_stdin;
  AnalyzeOptions opts;
  opts.harness = true;
  opts.all_namespaces = true;
  opts.analyzers = {"services.MultiClusterServiceAnalyzer"};
  opts.clusters.emplace_back("east", *io::ReadInputs({dir + "/c1.yaml"}, no_stdin));
  opts.clusters.emplace_back("west", *io::ReadInputs({dir + "/c2.yaml"}, no_stdin));
  auto result = AnalyzeInputs(io::InputSet{}, opts);
  REQUIRE(result.diagnostics.size() == 1);
  CHECK(result.diagnostics[0].Origin() == "Service shop/headless");
  CHECK(result.diagnostics[0].message ==
        "The service headless in namespace \"shop\" is inconsistent across clusters [\"east\" \"west\"], which can "
        "lead to undefined behaviors. The inconsistent behaviors are: service has mixed mode like headless and "
        "clusterIP.");
  // The finding names its cluster, as istioctl prints it.
  CHECK(result.diagnostics[0].cluster == "east");
  CHECK(result.diagnostics[0].ToString().rfind("Warning [IST0170] [cluster-east] (Service shop/headless ", 0) == 0);
}

TEST_CASE("harness mode adds Istio's default ingress gateway resources; the CLI mode does not", "[analysis]") {
  // The Gateways select istio=ingressgateway: only the default pod matches
  // it, and the default Service exposes 80 but not 8080.
  auto harness = RunHarness({"gateway-conflicts.yaml"}, "gateway.ingress-port");
  REQUIRE(harness.diagnostics.size() == 1);
  CHECK(harness.diagnostics[0].code == "IST0162");
  CHECK(harness.diagnostics[0].Origin() == "Gateway edge/other-port");
  std::istringstream no_stdin;
  auto inputs = io::ReadInputs({meshctl::testing::SourceDir() + "/testdata/analysis/gateway-conflicts.yaml"}, no_stdin);
  REQUIRE(inputs.ok());
  AnalyzeOptions cli;
  cli.all_namespaces = true;
  cli.analyzers = {"gateway.ingress-port"};
  auto result = AnalyzeInputs(*inputs, cli);
  // No Pods or Services in the input: the analyzer is skipped, not run.
  CHECK(result.diagnostics.empty());
  REQUIRE(result.skipped.size() == 1);
  CHECK(result.skipped[0]->Metadata().id == "gateway.ingress-port");
}

TEST_CASE("analyzer selection accepts meshctl ids and Istio names alike", "[analysis]") {
  std::vector<std::string> unknown;
  auto by_id = SelectAnalyzers({"service.port-name"}, &unknown);
  auto by_istio = SelectAnalyzers({"service.PortNameAnalyzer"}, &unknown);
  CHECK(unknown.empty());
  REQUIRE(by_id.size() == 1);
  CHECK(by_id == by_istio);
  // Alpha annotations run only when named, as in Istio.
  auto all = SelectAnalyzers({}, nullptr);
  for (const Analyzer* a : all) CHECK(a->Metadata().id != "annotations.alpha");
}

}  // namespace
}  // namespace meshctl::analysis
