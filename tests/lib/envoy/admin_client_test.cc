// AdminClient: istioctl's query strings, address parsing, error mapping.
#include "lib/envoy/admin_client.h"

#include <catch2/catch.hpp>

#include "tests/support/fake_http_server.h"

namespace meshctl::envoy {
namespace {

using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;

TEST_CASE("AdminBaseUrl accepts istioctl-style addresses", "[proxy-config]") {
  CHECK(*AdminBaseUrl("localhost") == "http://localhost:15000");
  CHECK(*AdminBaseUrl("10.0.0.1:15001") == "http://10.0.0.1:15001");
  CHECK(*AdminBaseUrl("https://envoy.local:9901/") == "https://envoy.local:9901");
  CHECK(*AdminBaseUrl("[::1]:15000") == "http://[::1]:15000");
  CHECK(*AdminBaseUrl("[::1]") == "http://[::1]:15000");
  CHECK(AdminBaseUrl("ftp://x:1").status().code() == core::StatusCode::kInvalidArgument);
  CHECK(AdminBaseUrl("host:0").status().code() == core::StatusCode::kInvalidArgument);
  CHECK(AdminBaseUrl("host:99999").status().code() == core::StatusCode::kInvalidArgument);
  CHECK(AdminBaseUrl("host:15000/path").status().code() == core::StatusCode::kInvalidArgument);
  CHECK(AdminBaseUrl("::1").status().code() == core::StatusCode::kInvalidArgument);
  CHECK(AdminBaseUrl("").status().code() == core::StatusCode::kInvalidArgument);
}

TEST_CASE("AdminClient sends istioctl's paths and queries", "[proxy-config]") {
  FakeHttpServer server([](const RecordedRequest&) {
    FakeResponse r;
    r.body = "{}";
    return r;
  });
  auto http = io::NewCurlHttpClient();
  AdminClient admin(*http, AdminOptions{*AdminBaseUrl(server.address()), {}, std::chrono::milliseconds(5000)});
  REQUIRE(admin.ConfigDump(DumpSection::kClusters).ok());
  REQUIRE(admin.ConfigDump(DumpSection::kListeners).ok());
  REQUIRE(admin.ConfigDump(DumpSection::kRoutes).ok());
  REQUIRE(admin.ConfigDump(DumpSection::kSecrets).ok());
  REQUIRE(admin.ConfigDump(DumpSection::kBootstrap).ok());
  REQUIRE(admin.ConfigDump(DumpSection::kAllWithEds).ok());
  REQUIRE(admin.ConfigDump(DumpSection::kFull).ok());
  REQUIRE(admin.ClustersJson().ok());
  REQUIRE(admin.Logging("").ok());
  REQUIRE(admin.Logging("http=debug").ok());
  REQUIRE(admin.ServerInfo().ok());
  REQUIRE(admin.Stats("json", "cluster.*rq").ok());
  REQUIRE(admin.Stats("prom", "").ok());
  auto reqs = server.requests();
  std::vector<std::string> seen;
  for (const auto& r : reqs) seen.push_back(r.method + " " + r.path + (r.query.empty() ? "" : "?" + r.query));
  std::vector<std::string> want = {
      "GET /config_dump?mask=dynamic_active_clusters,dynamic_warming_clusters,static_clusters",
      "GET /config_dump?mask=dynamic_listeners,static_listeners",
      "GET /config_dump?mask=dynamic_route_configs,static_route_configs",
      "GET /config_dump?mask=dynamic_active_secrets,dynamic_warming_secrets",
      "GET /config_dump?mask=bootstrap",
      "GET /config_dump?include_eds=true",
      "GET /config_dump",
      "GET /clusters?format=json",
      "POST /logging",
      "POST /logging?http=debug",
      "GET /server_info",
      "GET /stats?format=json&filter=cluster.%2Arq",
      "GET /stats/prometheus",
  };
  CHECK(seen == want);
}

TEST_CASE("AdminClient maps HTTP errors to Unavailable with status and body", "[proxy-config]") {
  FakeHttpServer server([](const RecordedRequest&) {
    FakeResponse r;
    r.status = 503;
    r.body = "not ready";
    return r;
  });
  auto http = io::NewCurlHttpClient();
  AdminClient admin(*http, AdminOptions{*AdminBaseUrl(server.address()), {}, std::chrono::milliseconds(5000)});
  auto dump = admin.ConfigDump(DumpSection::kBootstrap);
  REQUIRE_FALSE(dump.ok());
  CHECK(dump.status().code() == core::StatusCode::kUnavailable);
  CHECK(dump.status().message() ==
        "GET http://" + server.address() + "/config_dump?mask=bootstrap: HTTP 503: not ready");
  CHECK(dump.status().ExitCode() == 69);
}

}  // namespace
}  // namespace meshctl::envoy
