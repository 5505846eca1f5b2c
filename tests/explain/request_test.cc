// The request model: URLs, headers and the authority a client sends.
#include <catch2/catch.hpp>

#include "lib/explain/request.h"

namespace meshctl::explain {
namespace {

TEST_CASE("explain request: URLs", "[explain]") {
  struct Row {
    std::string url;
    bool ok;
    std::string host;
    int64_t port;
    std::string path;
    std::string authority;
  };
  const std::vector<Row> rows = {
      {"http://reviews:9080/api/v1?x=1", true, "reviews", 9080, "/api/v1", "reviews:9080"},
      {"reviews.bookinfo", true, "reviews.bookinfo", 80, "/", "reviews.bookinfo"},
      {"https://API.example.com/a%20b", true, "api.example.com", 443, "/a%20b", "api.example.com"},
      {"http://[fd00::1]:8080/x", true, "fd00::1", 8080, "/x", "fd00::1:8080"},
      {"http://reviews:80/", true, "reviews", 80, "/", "reviews"},
      {"http://reviews:0/", false, "", 0, "", ""},
      {"http://reviews:99999/", false, "", 0, "", ""},
      {"ftp://reviews/", false, "", 0, "", ""},
      {"http:///path", false, "", 0, "", ""},
      {"http://user@reviews/", false, "", 0, "", ""},
  };
  for (const auto& row : rows) {
    INFO(row.url);
    Request r;
    core::Status st = ParseUrl(row.url, r);
    CHECK(st.ok() == row.ok);
    if (!row.ok || !st.ok()) continue;
    CHECK(r.host == row.host);
    CHECK(r.port == row.port);
    CHECK(r.path == row.path);
    CHECK(r.Authority() == row.authority);
  }
  Request q;
  REQUIRE(ParseUrl("http://r/p?a=1&b=x%2Fy&a=2&flag", q).ok());
  CHECK(q.query.at("a") == "1");
  CHECK(q.query.at("b") == "x/y");
  CHECK(q.query.at("flag").empty());
}

TEST_CASE("explain request: headers", "[explain]") {
  Request r;
  REQUIRE(ParseUrl("http://reviews:9080/", r).ok());
  CHECK(AddHeader("End-User:  jason ", r).ok());
  CHECK(r.headers.at("end-user") == "jason");
  CHECK(AddHeader("Host: other:81", r).ok());
  CHECK(r.Authority() == "other:81");
  CHECK(AddHeader(":method: POST", r).ok());
  CHECK(r.method == "POST");
  CHECK_FALSE(AddHeader("no-colon", r).ok());
  CHECK_FALSE(AddHeader(": x", r).ok());
  Request empty;
  CHECK_FALSE(CheckRequest(empty).ok());
}

}  // namespace
}  // namespace meshctl::explain
