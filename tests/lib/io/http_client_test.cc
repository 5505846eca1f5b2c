// The libcurl client against a local fake server: methods, paths, bodies and
// every transport fault mapped to Unavailable with the URL in the message.
#include "lib/io/http_client.h"

#include <catch2/catch.hpp>

#include "tests/support/fake_http_server.h"

namespace meshctl::io {
namespace {

using testing::FakeHttpServer;
using testing::FakeResponse;
using testing::RecordedRequest;

TEST_CASE("http client sends method, path, query and body", "[proxy-config][http]") {
  FakeHttpServer server([](const RecordedRequest& r) {
    FakeResponse resp;
    resp.body = "{\"echo\":\"" + r.method + "\"}";
    return resp;
  });
  auto client = NewCurlHttpClient();
  HttpRequest req;
  req.method = "POST";
  req.url = "http://" + server.address() + "/logging?level=debug";
  req.body = "x=1";
  req.content_type = "application/x-www-form-urlencoded";
  auto resp = client->Do(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 200);
  CHECK(resp->body == "{\"echo\":\"POST\"}");
  CHECK(resp->content_type == "application/json");
  auto reqs = server.requests();
  REQUIRE(reqs.size() == 1);
  CHECK(reqs[0].method == "POST");
  CHECK(reqs[0].path == "/logging");
  CHECK(reqs[0].query == "level=debug");
  CHECK(reqs[0].body == "x=1");
}

TEST_CASE("http client reports non-200 through CheckHttpOk", "[proxy-config][http]") {
  FakeHttpServer server([](const RecordedRequest&) {
    FakeResponse resp;
    resp.status = 500;
    resp.body = "admin exploded\n";
    return resp;
  });
  auto client = NewCurlHttpClient();
  HttpRequest req;
  req.url = "http://" + server.address() + "/config_dump";
  auto resp = client->Do(req);
  REQUIRE(resp.ok());
  CHECK(resp->status == 500);
  auto st = CheckHttpOk(req, *resp);
  CHECK(st.code() == core::StatusCode::kUnavailable);
  CHECK(st.message() == "GET " + req.url + ": HTTP 500: admin exploded");
}

TEST_CASE("http client transport faults are Unavailable naming the URL", "[proxy-config][http]") {
  auto client = NewCurlHttpClient();
  SECTION("slow response past the timeout") {
    FakeHttpServer server([](const RecordedRequest&) {
      FakeResponse r;
      r.delay_ms = 3000;
      r.body = "{}";
      return r;
    });
    HttpRequest req;
    req.url = "http://" + server.address() + "/config_dump";
    req.timeout = std::chrono::milliseconds(200);
    auto resp = client->Do(req);
    REQUIRE_FALSE(resp.ok());
    CHECK(resp.status().code() == core::StatusCode::kUnavailable);
    CHECK_THAT(resp.status().message(), Catch::Contains(server.address()));
    CHECK_THAT(resp.status().message(), Catch::Contains("timed out after 200ms"));
  }
  SECTION("truncated body") {
    FakeHttpServer server([](const RecordedRequest&) {
      FakeResponse r;
      r.body = std::string(4000, 'x');
      r.truncate_body = true;
      return r;
    });
    HttpRequest req;
    req.url = "http://" + server.address() + "/config_dump";
    auto resp = client->Do(req);
    REQUIRE_FALSE(resp.ok());
    CHECK(resp.status().code() == core::StatusCode::kUnavailable);
    CHECK_THAT(resp.status().message(), Catch::Contains("truncated"));
  }
  SECTION("connection closed without a response") {
    FakeHttpServer server([](const RecordedRequest&) {
      FakeResponse r;
      r.close_without_response = true;
      return r;
    });
    HttpRequest req;
    req.url = "http://" + server.address() + "/config_dump";
    auto resp = client->Do(req);
    REQUIRE_FALSE(resp.ok());
    CHECK(resp.status().code() == core::StatusCode::kUnavailable);
    CHECK_THAT(resp.status().message(), Catch::Contains("connection closed without a response"));
  }
  SECTION("connection refused") {
    int port;
    {
      FakeHttpServer gone([](const RecordedRequest&) { return FakeResponse{}; });
      port = gone.port();
    }
    HttpRequest req;
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/config_dump";
    auto resp = client->Do(req);
    REQUIRE_FALSE(resp.ok());
    CHECK(resp.status().code() == core::StatusCode::kUnavailable);
    CHECK_THAT(resp.status().message(), Catch::StartsWith("GET " + req.url + ": connection refused"));
  }
  SECTION("body larger than the limit") {
    FakeHttpServer server([](const RecordedRequest&) {
      FakeResponse r;
      r.body = std::string(10000, 'x');
      return r;
    });
    HttpRequest req;
    req.url = "http://" + server.address() + "/config_dump";
    req.max_body_bytes = 100;
    auto resp = client->Do(req);
    REQUIRE_FALSE(resp.ok());
    CHECK(resp.status().code() == core::StatusCode::kDataError);
  }
}

}  // namespace
}  // namespace meshctl::io
