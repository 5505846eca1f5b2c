// lib/io/crypto_api: OpenSSL's libcrypto, loaded on first use.
#include "lib/io/crypto_api.h"

#include <catch2/catch.hpp>

namespace meshctl::io {
namespace {

TEST_CASE("libcrypto loads once and hashes", "[io]") {
  auto a = LoadCrypto();
  REQUIRE(a.ok());
  auto b = LoadCrypto();
  REQUIRE(b.ok());
  CHECK(*a == *b);
  unsigned char digest[20];
  (*a)->sha1(reinterpret_cast<const unsigned char*>("abc"), 3, digest);
  CHECK(digest[0] == 0xa9);  // SHA-1("abc") = a9993e36...
  CHECK(digest[1] == 0x99);
  CHECK(digest[19] == 0x9d);
}

}  // namespace
}  // namespace meshctl::io
