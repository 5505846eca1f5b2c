// Unit checks of the pieces the proxy-config tables are made of.
#include "lib/envoy/summaries.h"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "lib/envoy/certificate.h"
#include "tests/support/test_support.h"

namespace meshctl::envoy {
namespace {

std::unique_ptr<JsonDocument> Doc(const std::string& text) {
  auto d = JsonDocument::Parse(text, "test");
  REQUIRE(d.ok());
  return std::move(d).value();
}

TEST_CASE("subset keys parse like Istio's", "[proxy-config]") {
  auto k = ParseSubsetKey("outbound|9080|v1|reviews.default.svc.cluster.local");
  CHECK(k.parsed);
  CHECK(k.direction == "outbound");
  CHECK(k.port == 9080);
  CHECK(k.subset == "v1");
  CHECK(k.fqdn == "reviews.default.svc.cluster.local");
  auto srv = ParseSubsetKey("outbound_.80_.v2_.web|x|y|z");
  CHECK(srv.direction == "outbound");
  CHECK(srv.port == 80);
  CHECK(srv.subset == "v2");
  CHECK(srv.fqdn == "web|x|y|z");
  auto plain = ParseSubsetKey("BlackHoleCluster");
  CHECK_FALSE(plain.parsed);
  CHECK(plain.fqdn == "BlackHoleCluster");
  CHECK(ParseSubsetKey("inbound|bad||").port == 0);
}

TEST_CASE("Istio config paths name the resource", "[proxy-config]") {
  auto d = Doc(R"({"a":{"filter_metadata":{"istio":{"config":"/apis/networking.istio.io/v1alpha3/namespaces/ns1/virtual-service/vs"}}},
                  "b":{"filter_metadata":{"istio":{"config":"/elsewhere"}}}, "c":{}})");
  CHECK(DescribeIstioConfig(d->root()["a"]) == "vs.ns1");
  CHECK(DescribeIstioConfig(d->root()["b"]) == "<unknown>");
  CHECK(DescribeIstioConfig(d->root()["c"]) == "");
}

TEST_CASE("route domains are shortened like istioctl", "[proxy-config]") {
  CHECK(DescribeRouteDomains({}) == "");
  CHECK(DescribeRouteDomains({"a:80"}) == "a:80");
  CHECK(DescribeRouteDomains({"a", "a:80"}) == "a");
  CHECK(DescribeRouteDomains({"x.ns.svc.cluster.local", "x.ns", "x.ns.svc"}) == "x.ns");
  CHECK(DescribeRouteDomains({"a", "b", "c", "d"}) == "a, b + 2 more...");
  CHECK(DescribeRouteDomains({"[::1]", "[::1]:80", "b"}) == "[::1], b");
}

TEST_CASE("filter chain MATCH and listener TYPE", "[proxy-config]") {
  auto d = Doc(R"({
    "m1": {"server_names": ["a", "b"], "transport_protocol": "tls",
           "application_protocols": ["http/1.0", "http/1.1", "h2c", "istio-http/1.0", "istio-http/1.1", "istio-h2"],
           "prefix_ranges": [{"address_prefix": "10.0.0.0", "prefix_len": 8}, {"address_prefix": "::1", "prefix_len": 128}],
           "destination_port": 80},
    "m2": {"application_protocols": ["h2", "custom"]},
    "l": {"filter_chains": [{"filters": [{"name": "envoy.filters.network.tcp_proxy",
                                         "typed_config": {"cluster": "BlackHoleCluster"}}]}],
          "default_filter_chain": {"filters": [{"name": "envoy.filters.network.tcp_proxy", "typed_config": {"cluster": "x"}}]}},
    "camel": {"filterChains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
                                            "typedConfig": {"rds": {"routeConfigName": "80"}}}]}]}})");
  CHECK(DescribeFilterChainMatch(d->root()["m1"]) ==
        "SNI: a,b; Trans: tls; App: HTTP TLS; Addr: 10.0.0.0/8,::1/128:80");
  CHECK(DescribeFilterChainMatch(d->root()["m2"]) == "App: h2,custom");
  CHECK(DescribeFilterChainMatch(d->root()["missing"]) == "ALL");
  CHECK(ListenerType(d->root()["l"]) == "TCP");
  CHECK(ListenerType(d->root()["camel"]) == "HTTP");
  CHECK(DescribeFilterChainDestination(d->root()["camel"]["filterChains"].At(0)) == "Route: 80");
  CHECK(DescribeFilterChainDestination(d->root()["l"]["filter_chains"].At(0)) == "Non-HTTP/Non-TCP");
}

TEST_CASE("secrets: SPIFFE trust domains add the TRUST DOMAIN column", "[proxy-config]") {
  // The testdata leaf certificate (SAN spiffe://example.org/...) twice: as a
  // chain and as a SPIFFE trust bundle.
  auto src = ConfigDump::Load(testing::SourceDir() + "/testdata/envoy/config_dump.json");
  REQUIRE(src.ok());
  auto secrets = src->Section(type_url::kSecrets);
  REQUIRE(secrets.ok());
  std::string leaf(
      (*secrets)["dynamic_active_secrets"].At(0)["secret"]["tls_certificate"]["certificate_chain"]["inline_bytes"].Str());
  std::string text = R"({"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
    "dynamic_active_secrets":[
      {"name":"default","secret":{"tls_certificate":{"certificate_chain":{"inline_bytes":")" + leaf + R"("}}}},
      {"name":"ROOTCA","secret":{"validation_context":{"custom_validator_config":{"typed_config":
        {"trust_domains":[{"name":"td.one","trust_bundle":{"inline_bytes":")" + leaf + R"("}}]}}}}}]}]})";
  auto dump = ConfigDump::Parse(text, "secrets");
  REQUIRE(dump.ok());
  std::ostringstream out;
  REQUIRE(PrintSecretSummary(*dump, false, 4102444800 /* 2100-01-01 */, out).ok());
  CHECK(out.str() ==
        "RESOURCE NAME     TYPE           STATUS     VALID CERT     SERIAL NUMBER                        NOT AFTER  "
        "              NOT BEFORE               TRUST DOMAIN\n"
        "default           Cert Chain     ACTIVE     true           00000000000000000000000000005eed     "
        "2126-11-02T01:02:38Z     2026-11-26T01:02:38Z     example.org\n"
        "ROOTCA            Cert Chain     ACTIVE     true           00000000000000000000000000005eed     "
        "2126-11-02T01:02:38Z     2026-11-26T01:02:38Z     td.one\n");
  std::ostringstream none;
  auto empty = ConfigDump::Parse(R"({"configs":[{"@type":"type.googleapis.com/envoy.admin.v3.SecretsConfigDump"}]})", "e");
  REQUIRE(PrintSecretSummary(*empty, false, 0, none).ok());
  CHECK(none.str() == "No active or warming secrets found.\n");
}

TEST_CASE("certificate helpers", "[proxy-config]") {
  CHECK(*DecodeBase64("aGVsbG8=") == "hello");
  CHECK(*DecodeBase64("aGVs\nbG8") == "hello");
  CHECK_FALSE(DecodeBase64("***").has_value());
  CHECK(FormatRfc3339(0) == "1970-01-01T00:00:00Z");
  CHECK_FALSE(ParseFirstCertificate("").parsed);
  CHECK_FALSE(ParseFirstCertificate("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n").parsed);
  CHECK_FALSE(CertificateInfo{}.ValidAt(100));
}

TEST_CASE("JsonView reads snake_case and camelCase, numbers as strings", "[proxy-config]") {
  auto d = Doc(R"({"user_agent_name": "x", "userAgentVersion": "y", "n": "42", "m": 7, "f": 1.5, "b": true, "s": "a\"b"})");
  JsonView r = d->root();
  CHECK(r["user_agent_name"].Str() == "x");
  CHECK(r["user_agent_version"].Str() == "y");
  CHECK(r["n"].Int() == 42);
  CHECK(r["m"].Int() == 7);
  CHECK(r["f"].Int() == 1);
  CHECK(r["b"].Bool());
  CHECK(r["missing"]["deeper"].At(3).Str().empty());
  CHECK(r["s"].Minified() == R"("a\"b")");
  auto bad = JsonDocument::Parse("{\n  \"a\": [1,\n}", "dump.json");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == core::StatusCode::kDataError);
  CHECK_THAT(bad.status().message(), Catch::StartsWith("dump.json:3:1:"));
  CHECK(JsonDocument::Parse("", "e").status().message() == "e: empty input, expected JSON");
}


// JsonDocument::Load maps regular files with zero pages after the end (the
// parser reads up to 64 bytes past it): sizes at and just below a page
// boundary must parse like any other; what it does not map (UTF-16, a file
// over the limit, a missing one) goes through lib/io with lib/io's messages.
TEST_CASE("JsonDocument::Load maps files of every size and leaves the rest to lib/io", "[proxy-config]") {
  std::string dir = testing::MakeTempDir();
  auto write = [&](const std::string& name, const std::string& bytes) {
    std::string path = dir + "/" + name;
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  };
  const long page = sysconf(_SC_PAGESIZE);
  REQUIRE(page > 64);
  for (long size : {page, page - 1, page - 63, 2 * page, 2 * page + 1}) {
    // {"k":"xxx...x"} padded to `size` bytes: a string that ends at the end.
    std::string text = "{\"k\":\"" + std::string(static_cast<size_t>(size) - 8, 'x') + "\"}";
    REQUIRE(text.size() == static_cast<size_t>(size));
    auto doc = JsonDocument::Load(write("f" + std::to_string(size) + ".json", text));
    REQUIRE(doc.ok());
    CHECK((*doc)->root()["k"].Str().size() == static_cast<size_t>(size) - 8);
    CHECK((*doc)->text() == text);
  }
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string(R"({"k":"v"})")) utf16 += std::string{c, '\0'};
  auto decoded = JsonDocument::Load(write("u16.json", utf16));
  REQUIRE(decoded.ok());
  CHECK((*decoded)->root()["k"].Str() == "v");
  io::ReadOptions small;
  small.max_bytes = 4;
  auto big = JsonDocument::Load(write("big.json", R"({"k":"v"})"), small);
  REQUIRE_FALSE(big.ok());
  CHECK_THAT(big.status().message(), Catch::Contains("--max-input-size"));
  auto missing = JsonDocument::Load(dir + "/missing.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == core::StatusCode::kIoError);
  auto owned = JsonDocument::ParseOwned(std::string(R"({"k":[1,2]})"), "owned");
  REQUIRE(owned.ok());
  CHECK((*owned)->root()["k"].size() == 2);
  CHECK((*owned)->text() == R"({"k":[1,2]})");
}

}  // namespace
}  // namespace meshctl::envoy

namespace meshctl::envoy {
namespace {

struct AllRun {
  std::string text;
  core::Status status;
};

AllRun RunAll(const ConfigDump& dump, size_t threads) {
  AllOptions o;
  o.with_headers = true;
  o.now_unix = 1767225600;
  o.threads = threads;
  std::ostringstream out;
  AllRun r;
  r.status = PrintAllSummary(dump, o, out);
  r.text = out.str();
  return r;
}

TEST_CASE("all: sections on several threads print what one thread prints", "[proxy-config]") {
  auto dump = ConfigDump::Load(testing::SourceDir() + "/testdata/envoy/config_dump.json");
  REQUIRE(dump.ok());
  AllRun one = RunAll(*dump, 1);
  REQUIRE(one.status.ok());
  CHECK(one.text.find("------ ENDPOINTS INFO ------") != std::string::npos);
  for (size_t threads : {2, 3, 6, 16}) {
    INFO("threads " << threads);
    AllRun many = RunAll(*dump, threads);
    CHECK(many.status.ok());
    CHECK(many.text == one.text);
  }
}

TEST_CASE("all: a failing section ends the output where one thread would", "[proxy-config]") {
  // The cluster name is a number: the CLUSTER section fails, so LISTENER and
  // later sections must not appear even though threads rendered them.
  auto bad = ConfigDump::Parse(R"({"configs": [
    {"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", "bootstrap": {"node": {"id": "a~1.2.3.4~p.ns~ns.svc.cluster.local"}}},
    {"@type": "type.googleapis.com/envoy.admin.v3.ClustersConfigDump", "dynamic_active_clusters": [{"cluster": {"name": 5}}]},
    {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "dynamic_listeners": []},
    {"@type": "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump", "dynamic_endpoint_configs": []}
  ]})", "bad.json");
  REQUIRE(bad.ok());
  AllRun one = RunAll(*bad, 1);
  REQUIRE_FALSE(one.status.ok());
  CHECK(one.text.find("CLUSTER INFO") != std::string::npos);
  CHECK(one.text.find("LISTENER INFO") == std::string::npos);
  for (size_t threads : {2, 6}) {
    AllRun many = RunAll(*bad, threads);
    CHECK(many.text == one.text);
    CHECK(many.status.code() == one.status.code());
    CHECK(many.status.message() == one.status.message());
  }

  // No EndpointsConfigDump (a plain /config_dump): every other section,
  // then the error.
  auto full = nlohmann::json::parse(testing::ReadFileOrDie(testing::SourceDir() + "/testdata/envoy/config_dump.json"));
  auto& configs = full["configs"];
  for (auto it = configs.begin(); it != configs.end();) {
    if ((*it)["@type"] == "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump")
      it = configs.erase(it);
    else
      ++it;
  }
  auto no_eds = ConfigDump::Parse(full.dump(), "plain.json");
  REQUIRE(no_eds.ok());
  AllRun a = RunAll(*no_eds, 1), b = RunAll(*no_eds, 4);
  CHECK(a.text == b.text);
  CHECK(a.text.find("ENDPOINTS") == std::string::npos);
  INFO(b.status.message());
  CHECK(b.status.message().find("endpoints not found") != std::string::npos);
  CHECK(a.text.find("SECRET INFO") != std::string::npos);
}

}  // namespace
}  // namespace meshctl::envoy
