#include <catch2/catch.hpp>

#include "lib/core/base64.h"

using namespace meshctl::core;

TEST_CASE("base64 encoding: RFC 4648's vectors and every byte", "[core]") {
  CHECK(EncodeBase64("") == "");
  CHECK(EncodeBase64("f") == "Zg==");
  CHECK(EncodeBase64("fo") == "Zm8=");
  CHECK(EncodeBase64("foo") == "Zm9v");
  CHECK(EncodeBase64("foob") == "Zm9vYg==");
  CHECK(EncodeBase64("fooba") == "Zm9vYmE=");
  CHECK(EncodeBase64("foobar") == "Zm9vYmFy");
  CHECK(EncodeBase64(std::string("\xff\xfe\x00", 3)) == "//4A");  // high bytes, the 63/62 digits, NUL
  CHECK(EncodeBase64("user:pa ss") == "dXNlcjpwYSBzcw==");
}
