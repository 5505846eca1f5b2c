// The dump walk (explain.md §5.4) on hand-written dumps in testdata/explain,
// on the repository's proxy-config dump and on the real istioctl dumps in
// ../shared/fixtures/envoy; the comparison of both walks; `explain weights`.
#include <map>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/test_support.h"

namespace meshctl {
namespace {

const std::vector<std::string> kCanaryConfig = {"-f", "testdata/explain/base.yaml", "-f",
                                                "testdata/explain/subsets.yaml", "-f",
                                                "testdata/explain/missing-subset.yaml"};

nlohmann::json Json(const std::vector<std::string>& args, int* code) {
  auto r = testing::RunInProcess(args);
  *code = r.exit_code;
  INFO(r.out << r.err);
  REQUIRE(!r.out.empty());
  return nlohmann::json::parse(r.out);
}

std::vector<std::string> Steps(const nlohmann::json& walk) {
  std::vector<std::string> out;
  for (const auto& h : walk["hops"]) out.push_back(h["step"].get<std::string>() + " " + h["verdict"].get<std::string>());
  return out;
}

TEST_CASE("explain dump walk: both walks agree on a proxy that is up to date", "[explain]") {
  std::vector<std::string> args = {"explain", "request", "-o", "json", "--from", "sleep.client",
                                   "http://reviews.bookinfo:9080/", "--config-dump", "testdata/explain/sleep-dump.json"};
  args.insert(args.end(), kCanaryConfig.begin(), kCanaryConfig.end());
  int code = 0;
  auto j = Json(args, &code);
  INFO(j.dump(2));
  CHECK(code == 79);  // 20 % go to the missing subset, in config and in Envoy
  CHECK(j["disagreements"].empty());
  CHECK(j["dump"]["outcome"]["result"] == "503 NC");
  CHECK(Steps(j["dump"]) == std::vector<std::string>{"D1 listener ok", "D3 filter chain ok", "D4 network filter ok",
                                                     "D5 virtual host ok", "D6 route ok", "D7 cluster ok",
                                                     "D8 endpoints ok", "D7 cluster fail"});
  CHECK(j["dump"]["hops"][3]["envoy"]["name"] == "reviews.bookinfo.svc.cluster.local:9080");
}

TEST_CASE("explain dump walk: a stale proxy is flagged", "[explain]") {
  std::vector<std::string> args = {"explain", "request", "-o", "json", "--from", "sleep.client",
                                   "http://reviews.bookinfo:9080/", "--config-dump",
                                   "testdata/explain/sleep-dump-stale.json"};
  args.insert(args.end(), kCanaryConfig.begin(), kCanaryConfig.end());
  int code = 0;
  auto j = Json(args, &code);
  std::vector<std::string> what;
  for (const auto& d : j["disagreements"]) what.push_back(d["what"]);
  CHECK(what == std::vector<std::string>{"destinations", "outcome"});
  CHECK(j["dump"]["outcome"]["reached"] == true);
}

TEST_CASE("explain dump walk: header and query matching, which Istio's simulator skips", "[explain]") {
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/dump.json", R"({"configs": [
    {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": [{"name": "0.0.0.0_80",
      "active_state": {"listener": {"name": "0.0.0.0_80",
        "address": {"socket_address": {"address": "0.0.0.0", "port_value": 80}},
        "listener_filters": [{"name": "envoy.filters.listener.http_inspector"}],
        "filter_chains": [{"filter_chain_match": {"application_protocols": ["http/1.1"]},
          "filters": [{"name": "envoy.filters.network.http_connection_manager",
            "typed_config": {"rds": {"route_config_name": "80"}}}]}]}}}]},
    {"@type": "type.googleapis.com/envoy.admin.v3.RoutesConfigDump", "dynamic_route_configs": [{"route_config": {
      "name": "80", "virtual_hosts": [{"name": "web:80", "domains": ["web", "web:80", "*.web.example"],
        "routes": [
          {"name": "beta", "match": {"prefix": "/", "headers": [{"name": "x-beta", "string_match": {"exact": "1"}}]},
           "route": {"cluster": "outbound|80|beta|web.default.svc.cluster.local"}},
          {"name": "debug", "match": {"safe_regex": {"regex": "/api/.*"},
             "query_parameters": [{"name": "debug", "present_match": true}]},
           "route": {"cluster": "outbound|80|debug|web.default.svc.cluster.local"}},
          {"name": "nobot", "match": {"prefix": "/", "headers": [{"name": "user-agent",
             "string_match": {"contains": "bot"}, "invert_match": true}]},
           "route": {"cluster": "outbound|80||web.default.svc.cluster.local"}},
          {"name": "bots", "match": {"prefix": "/"}, "direct_response": {"status": 429}}]}]}}]},
    {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "dynamic_active_clusters": [
      {"cluster": {"name": "outbound|80|beta|web.default.svc.cluster.local", "type": "EDS"}},
      {"cluster": {"name": "outbound|80||web.default.svc.cluster.local", "type": "EDS"}}]},
    {"@type": "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump", "dynamic_endpoint_configs": [
      {"endpoint_config": {"cluster_name": "outbound|80|beta|web.default.svc.cluster.local", "endpoints": [
        {"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "10.0.0.1", "port_value": 80}}},
                           "health_status": "UNHEALTHY"}]}]}},
      {"endpoint_config": {"cluster_name": "outbound|80||web.default.svc.cluster.local", "endpoints": [
        {"lb_endpoints": [{"endpoint": {"address": {"socket_address": {"address": "10.0.0.2", "port_value": 80}}},
                           "health_status": "HEALTHY"}]}]}}]}]})");
  struct Row {
    std::vector<std::string> args;
    std::string route;
    std::string result;
  };
  const std::vector<Row> rows = {
      {{"http://web/", "-H", "x-beta: 1"}, "beta", "503 UH"},             // the beta endpoint is unhealthy
      {{"http://web/api/x?debug"}, "debug", "503 NC"},                    // query present, no such cluster
      {{"http://web/api/x"}, "nobot", "routed"},                          // no query: next route
      {{"http://web/", "-H", "User-Agent: googlebot"}, "bots", "direct response"},  // inverted header
      {{"http://a.web.example/"}, "nobot", "routed"},                     // suffix wildcard domain
  };
  for (const auto& row : rows) {
    std::vector<std::string> args = {"explain", "request", "-o", "json", "--config-dump", dir + "/dump.json"};
    args.insert(args.end(), row.args.begin(), row.args.end());
    INFO(row.args.front() << " " << row.route);
    int code = 0;
    auto j = Json(args, &code);
    std::string route;
    for (const auto& h : j["dump"]["hops"])
      if (h["step"] == "D6 route") route = h["envoy"]["name"];
    CHECK(route == row.route);
    CHECK(j["dump"]["outcome"]["result"] == row.result);
  }
}

TEST_CASE("explain dump walk: the repository's sidecar dump", "[explain]") {
  // 0.0.0.0_9080 has no listener filters: no ALPN is detected, so neither
  // the TLS chain nor the HTTP chain matches and the default chain passes
  // the connection through.
  int code = 0;
  auto j = Json({"explain", "request", "-o", "json", "--host", "reviews", "--port", "9080", "--config-dump",
                 "testdata/envoy/config_dump.json"},
                &code);
  CHECK(code == 0);
  CHECK(j["dump"]["outcome"]["destinations"][0]["cluster"] == "PassthroughCluster");
  CHECK(j["dump"]["hops"][1]["details"][0] == "no filter chain matches: the default_filter_chain takes it");
}

TEST_CASE("explain dump walk: the real istioctl dumps", "[explain]") {
  auto shared = testing::SharedDir();
  if (!shared) MESHCTL_SKIP("../shared is absent: the istioctl dumps are not available");
  std::string base = *shared + "/fixtures/envoy/istioctl/pkg/";
  int code = 0;
  // describe's gateway dump: routes and clusters only. http.8080 sends
  // /productpage to a cluster the dump does not hold (it has the v1 subset).
  auto g = Json({"explain", "request", "-o", "json", "--host", "productpage.default", "--port", "8080", "--path",
                 "/productpage", "--config-dump", base + "describe/testdata/describe/http_config.json"},
                &code);
  CHECK(g["dump"]["hops"][0]["envoy"]["name"] == "http.8080");
  CHECK(g["dump"]["hops"][1]["envoy"]["name"] == "*:80");
  CHECK(g["dump"]["hops"][2]["object"] ==
        "/apis/networking.istio.io/v1alpha3/namespaces/default/virtual-service/bookinfo");
  CHECK(g["dump"]["outcome"]["result"] == "503 NC");
  // /static* is a prefix route in the same virtual host.
  auto s = Json({"explain", "request", "-o", "json", "--host", "productpage.default", "--port", "8080", "--path",
                 "/static/app.js", "--config-dump", base + "describe/testdata/describe/http_config.json"},
                &code);
  CHECK(s["dump"]["hops"][2]["summary"].get<std::string>().rfind("routes[1]", 0) == 0);
  // authz's dump: listeners only. 0.0.0.0_8000 is HTTP with RDS "8000",
  // and the walk says where the dump stops.
  auto a = Json({"explain", "request", "-o", "json", "--host", "httpbin.default", "--port", "8000", "--config-dump",
                 base + "authz/testdata/configdump.yaml"},
                &code);
  CHECK(code == 79);
  CHECK(a["dump"]["hops"][0]["envoy"]["name"] == "0.0.0.0_8000");
  CHECK(a["dump"]["hops"][2]["envoy"]["name"] == "8000");
  CHECK(a["dump"]["outcome"]["result"] == "incomplete");
  // A VIP listener: 10.96.0.10:53 (kube-dns) is matched exactly.
  auto d = Json({"explain", "request", "-o", "json", "--host", "kube-dns.kube-system", "--port", "53", "--protocol",
                 "tcp", "--dest-ip", "10.96.0.10", "--config-dump", base + "authz/testdata/configdump.yaml"},
                &code);
  CHECK(d["dump"]["hops"][0]["envoy"]["name"] == "10.96.0.10_53");
}

TEST_CASE("explain: both walks on istioctl's describe dump and the config behind it", "[explain]") {
  auto shared = testing::SharedDir();
  if (!shared) MESHCTL_SKIP("../shared is absent: the istioctl dumps are not available");
  std::string dump = *shared + "/fixtures/envoy/istioctl/pkg/describe/testdata/describe/http_config.json";
  // The two walks agree on the route config, the virtual host, the route's
  // VirtualService and the destination; they disagree only on the outcome,
  // because the saved dump lacks the cluster (it holds the v1 subset's).
  for (const char* path : {"/productpage", "/static/app.js", "/api/v1/products/1"}) {
    INFO(path);
    int code = 0;
    auto j = Json({"explain", "request", "-o", "json", "-f", "testdata/explain/bookinfo-gateway.yaml", "--from",
                   "ingress", "--host", "bookinfo.example.com", "--port", "80", "--path", path, "--config-dump", dump},
                  &code);
    CHECK(code == 79);
    CHECK(j["config"]["outcome"]["result"] == "routed");
    CHECK(j["dump"]["outcome"]["result"] == "503 NC");
    std::vector<std::string> what;
    for (const auto& d : j["disagreements"]) what.push_back(d["what"]);
    CHECK(what == std::vector<std::string>{"outcome"});
    std::map<std::string, std::string> config_names, dump_names;
    for (const auto& h : j["config"]["hops"])
      if (h.contains("envoy")) config_names[h["envoy"]["kind"]] = h["envoy"]["name"];
    for (const auto& h : j["dump"]["hops"])
      if (h.contains("envoy")) dump_names[h["envoy"]["kind"]] = h["envoy"]["name"];
    CHECK(config_names["virtual host"] == "*:80");
    CHECK(dump_names["virtual host"] == "*:80");
    CHECK(dump_names["route config"] == "http.8080");
    CHECK(config_names["cluster"] == dump_names["cluster"]);
    CHECK(config_names["cluster"] == "outbound|9080||productpage.default.svc.cluster.local");
    bool route_config = false;
    for (const auto& h : j["config"]["hops"])
      if (h["step"] == "O2 gateway") route_config = h["summary"].get<std::string>().find("\"http.8080\"") != std::string::npos;
    CHECK(route_config);
  }
  // A path the VirtualService does not route: 404 in both.
  int code = 0;
  auto miss = Json({"explain", "request", "-o", "json", "-f", "testdata/explain/bookinfo-gateway.yaml", "--from",
                    "ingress", "--host", "bookinfo.example.com", "--port", "80", "--path", "/admin", "--config-dump",
                    dump},
                   &code);
  CHECK(code == 79);
  CHECK(miss["config"]["outcome"]["result"] == "404 NR");
  CHECK(miss["dump"]["outcome"]["result"] == "404 NR");
  CHECK(miss["disagreements"].empty());
}

TEST_CASE("explain dump walk: the destination's inbound chains and RBAC (D9)", "[explain]") {
  // A STRICT destination (TLS-only chains for 9080) against a client whose
  // DestinationRule turns TLS off: the connection is reset.
  std::string dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/dest.json", R"({"configs": [
    {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": [{"name": "virtualInbound",
      "active_state": {"listener": {"name": "virtualInbound",
        "address": {"socket_address": {"address": "0.0.0.0", "port_value": 15006}},
        "filter_chains": [
          {"name": "0.0.0.0_9080", "filter_chain_match": {"destination_port": 9080, "transport_protocol": "tls",
             "application_protocols": ["istio-http/1.1", "istio-h2"]},
           "transport_socket": {"name": "envoy.transport_sockets.tls"},
           "filters": [{"name": "envoy.filters.network.http_connection_manager", "typed_config": {
             "http_filters": [{"name": "envoy.filters.http.rbac", "typed_config": {"rules": {"action": "DENY",
               "policies": {"ns[bookinfo]-policy[deny-debug]-rule[0]": {}}}}}]}}]}]}}}]}]})");
  int code = 0;
  auto j = Json({"explain", "request", "-o", "json", "-f", "testdata/explain/base.yaml", "-f",
                 "testdata/explain/subsets.yaml", "--from", "sleep.client", "http://reviews.bookinfo:9080/",
                 "--dest-config-dump", dir + "/dest.json"},
                &code);
  CHECK(code == 0);  // auto-mTLS toward a sidecar: the TLS chain takes it
  const auto& hop = j["dump"]["hops"][0];
  CHECK(hop["step"] == "D9 destination");
  CHECK_THAT(hop["summary"].get<std::string>(), Catch::Contains("STRICT at the server; the client sends mTLS"));
  CHECK(hop["details"][1] == "http rbac DENY: ns[bookinfo]-policy[deny-debug]-rule[0]");
  auto p = Json({"explain", "request", "-o", "json", "-f", "testdata/explain/base.yaml", "-f",
                 "testdata/explain/mtls.yaml", "-f", "testdata/explain/subsets.yaml", "--from", "sleep.client",
                 "http://reviews.bookinfo:9080/", "--dest-config-dump", dir + "/dest.json"},
                &code);
  CHECK(code == 79);
  CHECK(p["dump"]["outcome"]["result"] == "503 UC");

  auto shared = testing::SharedDir();
  if (!shared) MESHCTL_SKIP("../shared is absent: the istioctl dumps are not available");
  auto a = Json({"explain", "request", "-o", "json", "--host", "httpbin.default", "--port", "8000",
                 "--dest-config-dump", *shared + "/fixtures/envoy/istioctl/pkg/authz/testdata/configdump.yaml"},
                &code);
  CHECK(code == 0);
  CHECK_THAT(a["dump"]["hops"][0]["summary"].get<std::string>(), Catch::Contains("PERMISSIVE"));
  CHECK(a["dump"]["hops"][0]["details"][1] == "http rbac ALLOW: ns[default]-policy[httpbin]-rule[0]");
}

TEST_CASE("explain weights: drift between the intended split and the proxies", "[explain]") {
  std::vector<std::string> args = {"explain", "weights", "reviews", "-n", "bookinfo", "-o", "json", "--config-dump",
                                   "testdata/explain/sleep-dump.json", "--config-dump",
                                   "testdata/explain/sleep-dump-stale.json"};
  args.insert(args.end(), kCanaryConfig.begin(), kCanaryConfig.end());
  int code = 0;
  auto j = Json(args, &code);
  CHECK(code == 79);
  REQUIRE(j["routes"].size() == 1);
  const auto& r = j["routes"][0];
  CHECK(r["file"] == "testdata/explain/missing-subset.yaml");
  CHECK(r["intended"][0]["share"] == 80.0);
  CHECK(r["proxies"][0]["drift"] == false);
  CHECK(r["proxies"][1]["drift"] == true);
  CHECK(r["proxies"][1]["programmed"][0]["share"] == 100.0);

  std::vector<std::string> ok = {"explain", "weights", "reviews.bookinfo", "--config-dump",
                                 "testdata/explain/sleep-dump.json"};
  ok.insert(ok.end(), kCanaryConfig.begin(), kCanaryConfig.end());
  auto r2 = testing::RunInProcess(ok);
  CHECK(r2.exit_code == 0);
  CHECK_THAT(r2.out, Catch::Contains("No drift."));
  CHECK(testing::RunInProcess({"explain", "weights", "nothing", "-f", "testdata/explain/base.yaml", "--config-dump",
                               "testdata/explain/sleep-dump.json"})
            .exit_code == 64);
}

}  // namespace
}  // namespace meshctl
