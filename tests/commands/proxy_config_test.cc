// `meshctl proxy-config`: offline views over testdata/envoy (goldens written
// by MESHCTL_UPDATE_GOLDEN=1 and reviewed), filters, -o json|yaml (checked by
// meaning against istioctl's goldens when ../shared is present), error exit
// codes, and the online path against a local fake admin server (exact
// methods, paths and queries; faults).
#include <yaml-cpp/yaml.h>

#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lib/core/strings.h"
#include "tests/support/fake_http_server.h"
#include "tests/support/test_support.h"

namespace meshctl {
namespace {

using testing::CheckGolden;
using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;
using testing::RunInProcess;

const std::string kDump = "testdata/envoy/config_dump.json";
const std::string kClusters = "testdata/envoy/clusters.json";

std::string Src(const std::string& rel) { return testing::SourceDir() + "/" + rel; }

std::optional<std::string> SharedFixture(const std::string& rel) {
  auto shared = testing::SharedDir();
  if (!shared) return std::nullopt;
  return *shared + "/fixtures/envoy/istioctl/pkg/" + rel;
}

// ---- offline tables

TEST_CASE("proxy-config tables from a saved dump match their goldens", "[proxy-config]") {
  struct Case {
    std::vector<std::string> args;
    std::string golden;
  };
  std::vector<Case> cases = {
      {{"proxy-config", "cluster", "-f", Src(kDump)}, "cluster.txt"},
      {{"pc", "c", "-f", Src(kDump), "--fqdn", "reviews", "--subset", "v1"}, "cluster_fqdn_subset.txt"},
      {{"pc", "clusters", "-f", Src(kDump), "--port", "443"}, "cluster_port.txt"},
      {{"pc", "c", "-f", Src(kDump), "--direction", "inbound"}, "cluster_direction.txt"},
      {{"pc", "listener", "-f", Src(kDump)}, "listener.txt"},
      {{"pc", "l", "-f", Src(kDump), "--verbose=false"}, "listener_short.txt"},
      {{"pc", "listeners", "-f", Src(kDump), "--port", "9080", "--type", "http+tcp"}, "listener_port_type.txt"},
      {{"pc", "l", "-f", Src(kDump), "--address", "FD00::5"}, "listener_address.txt"},
      {{"pc", "route", "-f", Src(kDump)}, "route.txt"},
      {{"pc", "r", "-f", Src(kDump), "--verbose=false"}, "route_short.txt"},
      {{"pc", "routes", "-f", Src(kDump), "--name", "80"}, "route_name.txt"},
      {{"pc", "eds", "-f", Src(kDump)}, "eds.txt"},
      {{"pc", "eds", "-f", Src(kDump), "--status", "unhealthy"}, "eds_status.txt"},
      {{"pc", "endpoint", "-f", Src(kClusters)}, "endpoint.txt"},
      {{"pc", "ep", "-f", Src(kClusters), "--cluster", "OUTBOUND|9080||reviews.default.svc.cluster.local",
        "--address", "10.1.0.8"},
       "endpoint_filtered.txt"},
      {{"pc", "secret", "-f", Src(kDump)}, "secret.txt"},
      {{"pc", "b", "-f", Src(kDump), "-o", "short"}, "bootstrap_short.txt"},
      {{"pc", "ecds", "-f", Src(kDump)}, "ecds.txt"},
      {{"pc", "all", "-f", Src(kDump)}, "all.txt"},
      {{"pc", "a", "-f", Src(kDump), "--with-headers", "--port", "9080"}, "all_headers_port.txt"},
  };
  for (const auto& c : cases) {
    INFO(core::Join(c.args, " "));
    auto r = RunInProcess(c.args);
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.err.empty());
    CheckGolden("testdata/envoy/golden/" + c.golden, r.out);
  }
}

TEST_CASE("proxy-config stats and server-info read saved admin output", "[proxy-config]") {
  auto stats = RunInProcess({"pc", "stats", "-f", Src("testdata/envoy/stats.txt")});
  CHECK(stats.exit_code == 0);
  CHECK(stats.out == testing::ReadFileOrDie(Src("testdata/envoy/stats.txt")));
  auto info = RunInProcess({"pc", "server-info", "-f", Src("testdata/envoy/server_info.json"), "-o", "yaml"});
  CHECK(info.exit_code == 0);
  auto node = YAML::Load(info.out);
  CHECK(node["state"].as<std::string>() == "LIVE");
  CHECK(node["command_line_options"]["concurrency"].as<int>() == 2);
  auto bad = RunInProcess({"pc", "server-info", "-f", "-"}, "LIVE");
  CHECK(bad.exit_code == 65);
}

TEST_CASE("proxy-config reads a dump from stdin", "[proxy-config]") {
  auto from_file = RunInProcess({"pc", "cluster", "-f", Src(kDump)});
  auto from_stdin = RunInProcess({"pc", "cluster", "-f", "-"}, testing::ReadFileOrDie(Src(kDump)));
  CHECK(from_stdin.exit_code == 0);
  CHECK(from_stdin.out == from_file.out);
}

// ---- structured output

// Keys compared without case or underscores, so Envoy's snake_case output
// and istioctl's protojson camelCase goldens compare by meaning.
nlohmann::json Normalize(const nlohmann::json& v) {
  if (v.is_object()) {
    nlohmann::json o = nlohmann::json::object();
    for (auto it = v.begin(); it != v.end(); ++it) {
      std::string k;
      for (char c : it.key()) {
        if (c != '_') k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      o[k] = Normalize(it.value());
    }
    return o;
  }
  if (v.is_array()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : v) a.push_back(Normalize(x));
    return a;
  }
  return v;
}

nlohmann::json YamlToJson(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json o = nlohmann::json::object();
    for (const auto& kv : n) o[kv.first.as<std::string>()] = YamlToJson(kv.second);
    return o;
  }
  if (n.IsSequence()) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& x : n) a.push_back(YamlToJson(x));
    return a;
  }
  if (n.IsNull()) return nullptr;
  std::string s = n.as<std::string>();
  if (n.Tag() == "!") return s;  // quoted
  long long i;
  if (YAML::convert<long long>::decode(n, i)) return i;
  double d;
  if (YAML::convert<double>::decode(n, d)) return d;
  bool b;
  if (YAML::convert<bool>::decode(n, b)) return b;
  return s;
}

TEST_CASE("proxy-config -o json|yaml use istioctl's camelCase field names and selection", "[proxy-config]") {
  auto j = RunInProcess({"pc", "cluster", "-f", Src(kDump), "-o", "json", "--fqdn", "reviews"});
  REQUIRE(j.exit_code == 0);
  auto parsed = nlohmann::json::parse(j.out);
  REQUIRE(parsed.is_array());
  REQUIRE(parsed.size() == 3);
  CHECK(parsed[0]["name"] == "outbound_.9080_.v2_.reviews.default.svc.cluster.local");  // unparsed: fqdn = name
  CHECK(parsed[1]["name"] == "outbound|9080||reviews.default.svc.cluster.local");
  CHECK(parsed[2]["name"] == "outbound|9080|v1|reviews.default.svc.cluster.local");
  CHECK_FALSE(parsed[0].contains("@type"));  // messages in a list, as istioctl prints them
  CHECK(parsed[2]["metadata"]["filterMetadata"]["istio"]["config"] ==
        "/apis/networking.istio.io/v1alpha3/namespaces/default/destination-rule/reviews");
  CHECK(j.out.rfind("[\n    {\n        \"name\"", 0) == 0);  // 4-space indent, like istioctl

  auto y = RunInProcess({"pc", "listener", "-f", Src(kDump), "-o", "yaml", "--port", "443"});
  REQUIRE(y.exit_code == 0);
  auto node = YAML::Load(y.out);
  REQUIRE(node.IsSequence());
  REQUIRE(node.size() == 1);
  CHECK(node[0]["name"].as<std::string>() == "10.0.0.5_443");
  CHECK(YamlToJson(node)[0]["filterChains"][0]["filterChainMatch"]["destinationPort"] == 443);

  auto all = RunInProcess({"pc", "all", "-f", Src(kDump), "-o", "json"});
  REQUIRE(all.exit_code == 0);
  CHECK(nlohmann::json::parse(all.out) == nlohmann::json::parse(testing::ReadFileOrDie(Src(kDump))));

  auto b = RunInProcess({"pc", "bootstrap", "-f", Src(kDump)});  // default -o json
  REQUIRE(b.exit_code == 0);
  auto bj = nlohmann::json::parse(b.out);
  CHECK_FALSE(bj.contains("@type"));
  CHECK(bj["bootstrap"]["node"]["metadata"]["ISTIO_VERSION"] == "1.24.0");

  auto eds = RunInProcess({"pc", "eds", "-f", Src(kDump), "-o", "json", "--status", "unhealthy"});
  REQUIRE(eds.exit_code == 0);
  auto ej = nlohmann::json::parse(eds.out);
  REQUIRE(ej.size() == 1);
  REQUIRE(ej[0]["endpoints"].size() == 2);
  CHECK(ej[0]["endpoints"][0]["lbEndpoints"].size() == 1);
  CHECK_FALSE(ej[0]["endpoints"][1].contains("lbEndpoints"));
}

TEST_CASE("proxy-config json/yaml match istioctl's goldens by meaning", "[proxy-config][golden]") {
  auto ecds_in = SharedFixture("writer/envoy/configdump/testdata/ecds/configdump.json");
  if (!ecds_in) MESHCTL_SKIP("../shared is absent");
  struct Case {
    std::vector<std::string> args;
    std::string golden;
  };
  const std::string cd = "writer/envoy/configdump/testdata/";
  std::vector<Case> cases = {
      {{"pc", "ecds", "-f", *SharedFixture(cd + "ecds/configdump.json"), "-o", "json"}, cd + "ecds/output.json"},
      {{"pc", "ecds", "-f", *SharedFixture(cd + "ecds/configdump.json"), "-o", "yaml"}, cd + "ecds/output.yaml"},
      {{"pc", "eds", "-f", *SharedFixture(cd + "endpoint/configdump.json"), "-o", "json"},
       cd + "endpoint/emptyfilter_output.json"},
      {{"pc", "eds", "-f", *SharedFixture(cd + "endpoint/configdump.json"), "-o", "yaml"},
       cd + "endpoint/emptyfilter_output.yaml"},
      {{"pc", "eds", "-f", *SharedFixture(cd + "endpoint/configdump.json"), "-o", "json", "--port", "8080"},
       cd + "endpoint/portfilter_output.json"},
      {{"pc", "eds", "-f", *SharedFixture(cd + "endpoint/configdump.json"), "-o", "yaml", "--port", "8080"},
       cd + "endpoint/portfilter_output.yaml"},
      {{"pc", "bootstrap", "-f", *SharedFixture(cd + "configdump.json")}, cd + "bootstrapdump.json"},
  };
  for (const auto& c : cases) {
    INFO(core::Join(c.args, " "));
    auto r = RunInProcess(c.args);
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    std::string golden = testing::ReadFileOrDie(*SharedFixture(c.golden));
    bool yaml = c.golden.size() > 5 && c.golden.substr(c.golden.size() - 5) == ".yaml";
    nlohmann::json want = yaml ? YamlToJson(YAML::Load(golden)) : nlohmann::json::parse(golden);
    nlohmann::json got = yaml ? YamlToJson(YAML::Load(r.out)) : nlohmann::json::parse(r.out);
    // Exactly, field names included: istioctl prints protojson's camelCase.
    CHECK(got == want);
    // --raw keeps the dump's own names; the meaning stays the same.
    auto args = c.args;
    args.push_back("--raw");
    auto raw = RunInProcess(args);
    REQUIRE(raw.exit_code == 0);
    nlohmann::json raw_got = yaml ? YamlToJson(YAML::Load(raw.out)) : nlohmann::json::parse(raw.out);
    CHECK(Normalize(raw_got) == Normalize(want));
  }
}

// Field names convert; map keys and google.protobuf.Struct keys do not
// (protojson leaves them as written), and --raw leaves everything as written.
TEST_CASE("proxy-config camelCase keeps map and Struct keys; --raw keeps snake_case", "[proxy-config]") {
  const std::string dump = R"({"configs": [
    {"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
     "bootstrap": {"node": {"id": "sidecar~1", "user_agent_name": "envoy",
                            "metadata": {"ISTIO_VERSION": "1.24", "app_containers": "a_b"}}}},
    {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
     "dynamic_active_clusters": [{"cluster": {
       "@type": "type.googleapis.com/envoy.config.cluster.v3.Cluster",
       "name": "outbound|80||a.default.svc.cluster.local", "connect_timeout": "10s",
       "metadata": {"filter_metadata": {"my_filter": {"some_key": "v"}}},
       "typed_extension_protocol_options": {"envoy.extensions.upstreams.http.v3.HttpProtocolOptions": {
         "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
         "explicit_http_config": {"http2_protocol_options": {}}}},
       "transport_socket": {"name": "t", "typed_config": {
         "@type": "type.googleapis.com/udpa.type.v1.TypedStruct", "type_url": "x",
         "value": {"snake_key": 1}}}}}]}]})";
  auto j = RunInProcess({"pc", "cluster", "-f", "-", "-o", "json"}, dump);
  REQUIRE(j.exit_code == 0);
  auto c = nlohmann::json::parse(j.out).at(0);
  CHECK(c["connectTimeout"] == "10s");
  CHECK(c["metadata"]["filterMetadata"]["my_filter"]["some_key"] == "v");
  auto& opts = c["typedExtensionProtocolOptions"]["envoy.extensions.upstreams.http.v3.HttpProtocolOptions"];
  CHECK(opts.contains("explicitHttpConfig"));
  CHECK(opts["explicitHttpConfig"].contains("http2ProtocolOptions"));
  CHECK(c["transportSocket"]["typedConfig"]["typeUrl"] == "x");
  CHECK(c["transportSocket"]["typedConfig"]["value"]["snake_key"] == 1);
  CHECK(j.out.find("connect_timeout") == std::string::npos);

  auto y = RunInProcess({"pc", "cluster", "-f", "-", "-o", "yaml"}, dump);
  REQUIRE(y.exit_code == 0);
  CHECK(YamlToJson(YAML::Load(y.out)) == nlohmann::json::array({c}));

  auto raw = RunInProcess({"pc", "cluster", "-f", "-", "-o", "json", "--raw"}, dump);
  REQUIRE(raw.exit_code == 0);
  auto rc = nlohmann::json::parse(raw.out).at(0);
  CHECK(rc["connect_timeout"] == "10s");
  CHECK(rc["typed_extension_protocol_options"].is_object());

  auto b = RunInProcess({"pc", "bootstrap", "-f", "-"}, dump);
  REQUIRE(b.exit_code == 0);
  auto bj = nlohmann::json::parse(b.out);
  CHECK(bj["bootstrap"]["node"]["userAgentName"] == "envoy");
  CHECK(bj["bootstrap"]["node"]["metadata"]["ISTIO_VERSION"] == "1.24");  // a Struct: keys as written
  CHECK(bj["bootstrap"]["node"]["metadata"]["app_containers"] == "a_b");
}

// The YAML writer quotes every string that would read back as something else.
TEST_CASE("proxy-config -o yaml round-trips awkward strings", "[proxy-config]") {
  nlohmann::json names = nlohmann::json::array(
      {"yes", "No", "on", "~", "null", "", " lead", "trail ", "a: b", "a #b", "#c", "- x", "-", "0777", "1e3",
       "0x1F", ".inf", "2001-12-14", "1000", "@x", "*a", "&a", "!t", "|", ">", "'q'", "\"dq\"", "tab\there",
       "line\nbreak", "back\\slash", "\u00e9t\u00e9", "nel\u0085x", "ls\u2028x", "{a}", "[b]", "%p", "`t`",
       "key:", "<<", "=", "plain/path-ok_1.2.3"});
  nlohmann::json clusters = nlohmann::json::array();
  for (const auto& n : names) {
    clusters.push_back({{"cluster", {{"@type", "type.googleapis.com/envoy.config.cluster.v3.Cluster"},
                                     {"name", n}, {"alt_stat_name", n}}}});
  }
  nlohmann::json dump = {{"configs", nlohmann::json::array({{{"@type", "type.googleapis.com/envoy.admin.v3.ClustersConfigDump"},
                                                              {"dynamic_active_clusters", clusters}}})}};
  auto y = RunInProcess({"pc", "cluster", "-f", "-", "-o", "yaml"}, dump.dump());
  REQUIRE(y.exit_code == 0);
  auto back = YAML::Load(y.out);
  REQUIRE(back.IsSequence());
  std::multiset<std::string> want, got;
  for (const auto& n : names) want.insert(n.get<std::string>());
  for (const auto& item : back) {
    INFO(y.out);
    REQUIRE(item["name"].IsScalar());
    CHECK(item["altStatName"].as<std::string>() == item["name"].as<std::string>());
    // A string that reads back as another type would come out unquoted.
    CHECK(YamlToJson(item["name"]).is_string());
    got.insert(item["name"].as<std::string>());
  }
  CHECK(got == want);
}

// ---- errors

TEST_CASE("proxy-config error paths and exit codes", "[proxy-config]") {
  auto none = RunInProcess({"pc", "cluster"});
  CHECK(none.exit_code == 64);
  CHECK_THAT(none.err, Catch::Contains("--admin-address") && Catch::Contains("--file"));

  auto both = RunInProcess({"pc", "cluster", "-f", Src(kDump), "--admin-address", "127.0.0.1:1"});
  CHECK(both.exit_code == 64);

  auto bad_format = RunInProcess({"pc", "cluster", "-f", Src(kDump), "-o", "table"});
  CHECK(bad_format.exit_code == 64);

  auto missing = RunInProcess({"pc", "cluster", "-f", "/nonexistent/dump.json"});
  CHECK(missing.exit_code == 74);
  CHECK_THAT(missing.err, Catch::Contains("/nonexistent/dump.json"));

  auto dir = testing::MakeTempDir();
  testing::WriteFile(dir + "/bad.json", "{\"configs\": [\n  {\"@type\": }\n]}\n");
  auto bad = RunInProcess({"pc", "listener", "-f", dir + "/bad.json"});
  CHECK(bad.exit_code == 65);
  CHECK_THAT(bad.err, Catch::StartsWith("Error: " + dir + "/bad.json:2:"));
  CHECK(bad.out.empty());

  auto empty = RunInProcess({"pc", "route", "-f", "-"}, "{}");
  CHECK(empty.exit_code == 65);
  CHECK(empty.err ==
        "Error: config dump has no configuration type type.googleapis.com/envoy.admin.v3.RoutesConfigDump\n");

  auto not_dump = RunInProcess({"pc", "cluster", "-f", "-"}, "[1, 2]");
  CHECK(not_dump.exit_code == 65);

  auto no_clusters = RunInProcess(
      {"pc", "cluster", "-f", "-"}, R"({"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.ClustersConfigDump"}]})");
  CHECK(no_clusters.exit_code == 1);
  CHECK(no_clusters.err == "Error: no clusters found\n");

  auto endpoint_empty = RunInProcess({"pc", "endpoint", "-f", "-"}, "{}");
  CHECK(endpoint_empty.exit_code == 0);
  CHECK(endpoint_empty.out == "ENDPOINT     STATUS     OUTLIER CHECK     CLUSTER\n");

  auto log_format = RunInProcess({"pc", "log", "--admin-address", "127.0.0.1:1", "-o", "json"});
  CHECK(log_format.exit_code == 64);

  auto bad_addr = RunInProcess({"pc", "cluster", "--admin-address", "ftp://x:1"});
  CHECK(bad_addr.exit_code == 64);
  auto bad_timeout = RunInProcess({"pc", "cluster", "--admin-address", "127.0.0.1:1", "--timeout", "soon"});
  CHECK(bad_timeout.exit_code == 64);
}

// ---- online: a fake Envoy admin endpoint

// Serves testdata/envoy as Envoy would; faults by path.
class FakeEnvoy {
 public:
  FakeEnvoy()
      : dump_(testing::ReadFileOrDie(Src(kDump))),
        clusters_(testing::ReadFileOrDie(Src(kClusters))),
        logging_(testing::ReadFileOrDie(Src("testdata/envoy/logging.txt"))),
        server_info_(testing::ReadFileOrDie(Src("testdata/envoy/server_info.json"))),
        server_([this](const RecordedRequest& r) { return Handle(r); }) {}

  FakeResponse Handle(const RecordedRequest& r) {
    FakeResponse resp;
    if (r.path == "/config_dump" && r.method == "GET") {
      resp.body = dump_;
    } else if (r.path == "/clusters" && r.query == "format=json") {
      resp.body = clusters_;
    } else if (r.path == "/logging" && r.method == "POST") {
      resp.content_type = "text/plain";
      resp.body = logging_;
    } else if (r.path == "/server_info") {
      resp.body = server_info_;
    } else if (r.path == "/stats") {
      resp.content_type = "text/plain";
      resp.body = "server.live: 1\n";
    } else {
      resp.status = 404;
      resp.body = "invalid path. admin commands are:\n";
    }
    return resp;
  }

  std::string address() const { return server_.address(); }
  std::vector<std::string> Requests() const {
    std::vector<std::string> out;
    for (const auto& r : server_.requests()) out.push_back(r.method + " " + r.path + (r.query.empty() ? "" : "?" + r.query));
    return out;
  }

 private:
  std::string dump_, clusters_, logging_, server_info_;
  FakeHttpServer server_;
};

TEST_CASE("proxy-config online sends istioctl's admin queries and prints what --file prints", "[proxy-config]") {
  FakeEnvoy envoy;
  struct Case {
    std::string kind;
    std::string request;
    std::string file;
  };
  std::vector<Case> cases = {
      {"cluster", "GET /config_dump?mask=dynamic_active_clusters,dynamic_warming_clusters,static_clusters", kDump},
      {"listener", "GET /config_dump?mask=dynamic_listeners,static_listeners", kDump},
      {"route", "GET /config_dump?mask=dynamic_route_configs,static_route_configs", kDump},
      {"secret", "GET /config_dump?mask=dynamic_active_secrets,dynamic_warming_secrets", kDump},
      {"bootstrap", "GET /config_dump?mask=bootstrap", kDump},
      {"eds", "GET /config_dump?include_eds=true", kDump},
      {"ecds", "GET /config_dump?include_eds=true", kDump},
      {"all", "GET /config_dump?include_eds=true", kDump},
      {"endpoint", "GET /clusters?format=json", kClusters},
  };
  size_t seen = 0;
  for (const auto& c : cases) {
    INFO(c.kind);
    auto online = RunInProcess({"pc", c.kind, "--admin-address", envoy.address()});
    INFO(online.err);
    CHECK(online.exit_code == 0);
    auto offline = RunInProcess({"pc", c.kind, "-f", Src(c.file)});
    CHECK(online.out == offline.out);
    auto reqs = envoy.Requests();
    REQUIRE(reqs.size() == seen + 1);
    CHECK(reqs.back() == c.request);
    seen = reqs.size();
  }
  auto info = RunInProcess({"pc", "server-info", "--admin-address", "http://" + envoy.address(), "-o", "short"});
  CHECK(info.exit_code == 0);
  CHECK(info.out == "Envoy Version: abc123/1.32.2/Clean/RELEASE/BoringSSL\nState:         LIVE\nUptime:        3600s\n");
  auto stats = RunInProcess({"pc", "stats", "--admin-address", envoy.address(), "--filter", "server\\.live"});
  CHECK(stats.exit_code == 0);
  CHECK(stats.out == "server.live: 1\n");
  CHECK(envoy.Requests().back() == "GET /stats?filter=server%5C.live");
}

TEST_CASE("proxy-config log lists and sets levels with POST", "[proxy-config]") {
  SECTION("list") {
    FakeEnvoy envoy;
    auto r = RunInProcess({"pc", "log", "--admin-address", envoy.address()});
    CHECK(r.exit_code == 0);
    CHECK(r.out == envoy.address() + ":\n" + testing::ReadFileOrDie(Src("testdata/envoy/logging.txt")));
    CHECK(envoy.Requests() == std::vector<std::string>{"POST /logging"});
  }
  SECTION("set all then per logger") {
    FakeEnvoy envoy;
    auto r = RunInProcess({"pc", "o", "--admin-address", envoy.address(), "--level", "http:debug,warn,envoy::router=trace"});
    INFO(r.err);
    CHECK(r.exit_code == 0);
    CHECK(envoy.Requests() == std::vector<std::string>{"POST /logging", "POST /logging?level=warning",
                                                       "POST /logging?http=debug", "POST /logging?router=trace"});
  }
  SECTION("reset") {
    FakeEnvoy envoy;
    auto r = RunInProcess({"pc", "log", "--admin-address", envoy.address(), "-r"});
    CHECK(r.exit_code == 0);
    CHECK(envoy.Requests() == std::vector<std::string>{"POST /logging", "POST /logging?level=warning"});
  }
  SECTION("validation as istioctl: names before levels, nothing changed") {
    FakeEnvoy envoy;
    struct Bad {
      std::string level;
      std::string error;
    };
    for (const auto& b : std::vector<Bad>{{"xxx", "unrecognized logging level: xxx"},
                                          {"xxx:debug", "unrecognized logger name: xxx"},
                                          {"http:yyy", "unrecognized logging level: yyy"},
                                          {"xxx:yyy", "unrecognized logger name: xxx"}}) {
      auto r = RunInProcess({"pc", "log", "--admin-address", envoy.address(), "--level", b.level});
      CHECK(r.exit_code == 1);
      CHECK(r.err == "Error: " + b.error + "\n");
    }
    for (const auto& req : envoy.Requests()) CHECK(req == "POST /logging");
  }
  SECTION("setting levels needs a live Envoy") {
    auto r = RunInProcess({"pc", "log", "-f", Src("testdata/envoy/logging.txt"), "--level", "debug"});
    CHECK(r.exit_code == 64);
  }
}

TEST_CASE("proxy-config transport faults exit 69 naming the address", "[proxy-config]") {
  struct Fault {
    std::string name;
    FakeResponse resp;
    std::vector<std::string> extra_args;
    std::string expect;
    int exit_code;
  };
  FakeResponse slow;
  slow.delay_ms = 3000;
  slow.body = "{}";
  FakeResponse http500;
  http500.status = 500;
  http500.body = "upstream connect error";
  FakeResponse truncated;
  truncated.body = testing::ReadFileOrDie(Src(kDump));
  truncated.truncate_body = true;
  FakeResponse not_json;
  not_json.body = "<html>proxy login</html>";
  not_json.content_type = "text/html";
  FakeResponse closed;
  closed.close_without_response = true;
  std::vector<Fault> faults = {
      {"slow", slow, {"--timeout", "300ms"}, "timed out after 300ms", 69},
      {"500", http500, {}, ": HTTP 500: upstream connect error", 69},
      {"truncated", truncated, {}, "truncated", 69},
      {"not json", not_json, {}, "/config_dump?mask=dynamic_active_clusters,dynamic_warming_clusters,static_clusters:1:1:", 65},
      {"closed", closed, {}, "connection closed without a response", 69},
  };
  for (const auto& f : faults) {
    INFO(f.name);
    FakeHttpServer server([&](const RecordedRequest&) { return f.resp; });
    std::vector<std::string> args = {"pc", "cluster", "--admin-address", server.address()};
    args.insert(args.end(), f.extra_args.begin(), f.extra_args.end());
    auto r = RunInProcess(args);
    CHECK(r.exit_code == f.exit_code);
    CHECK_THAT(r.err, Catch::Contains(server.address()));
    CHECK_THAT(r.err, Catch::Contains(f.expect));
    CHECK(r.out.empty());
  }
  {
    // https:// to a plain HTTP server: the TLS handshake fails, even unverified.
    FakeHttpServer plain([](const RecordedRequest&) { return FakeResponse{}; });
    auto tls = RunInProcess({"pc", "bootstrap", "--admin-address", "https://" + plain.address(),
                             "--insecure-skip-verify", "--timeout", "5s"});
    CHECK(tls.exit_code == 69);
    CHECK_THAT(tls.err, Catch::Contains("https://" + plain.address() + "/config_dump?mask=bootstrap"));
  }
  int port;
  {
    FakeHttpServer gone([](const RecordedRequest&) { return FakeResponse{}; });
    port = gone.port();
  }
  auto refused = RunInProcess({"pc", "listener", "--admin-address", "127.0.0.1:" + std::to_string(port)});
  CHECK(refused.exit_code == 69);
  CHECK_THAT(refused.err, Catch::Contains("GET http://127.0.0.1:" + std::to_string(port) +
                                          "/config_dump?mask=dynamic_listeners,static_listeners: connection refused"));
}

}  // namespace
}  // namespace meshctl
