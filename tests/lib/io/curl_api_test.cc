// lib/io/curl_api: libcurl, loaded on first use (start-up not loading it is
// tests/cli/startup_test.cc).
#include "lib/io/curl_api.h"

#include <catch2/catch.hpp>


namespace meshctl::io {
namespace {

TEST_CASE("libcurl loads once and works through the table", "[io]") {
  auto a = LoadCurl();
  REQUIRE(a.ok());
  auto b = LoadCurl();
  REQUIRE(b.ok());
  CHECK(*a == *b);
  CHECK(&Curl() == *a);
  CURL* c = Curl().easy_init();
  REQUIRE(c != nullptr);
  CHECK(Curl().easy_setopt(c, CURLOPT_URL, "http://127.0.0.1:1/") == CURLE_OK);
  CHECK(Curl().easy_setopt(c, CURLOPT_TIMEOUT_MS, 5L) == CURLE_OK);
  CHECK(Curl().easy_setopt(c, CURLOPT_ACCEPT_ENCODING, nullptr) == CURLE_OK);
  CHECK(std::string(Curl().easy_strerror(CURLE_COULDNT_CONNECT)).find("connect") != std::string::npos);
  Curl().easy_cleanup(c);
}

}  // namespace
}  // namespace meshctl::io
