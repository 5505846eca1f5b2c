#include "lib/validate/go_net.h"

#include <catch2/catch.hpp>

#include <string>

namespace meshctl::validate {
namespace {

TEST_CASE("ParseGoUrl follows net/url", "[validate]") {
  std::string err;
  auto u = ParseGoUrl("HTTPS://user@example.com:8443/a/b?x=1", false, &err);
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->port == "8443");
  CHECK(u->path == "/a/b");
  CHECK_FALSE(ParseGoUrl("ghcr.io/x", true, &err));
  CHECK(err == "parse \"ghcr.io/x\": invalid URI for request");
  CHECK(ParseGoUrl("ghcr.io/x", false, &err));
  CHECK_FALSE(ParseGoUrl("http://h:x/", false, &err));
  CHECK(err == "parse \"http://h:x/\": invalid port \":x\" after host");
  CHECK_FALSE(ParseGoUrl(":foo", false, &err));
  CHECK(err == "parse \":foo\": missing protocol scheme");
  CHECK_FALSE(ParseGoUrl("a:b/c", true, &err) == std::nullopt);  // opaque with scheme "a"
  CHECK_FALSE(ParseGoUrl("1a:b", false, &err));
  CHECK(err == "parse \"1a:b\": first path segment in URL cannot contain colon");
  CHECK_FALSE(ParseGoUrl("http://a b/", false, &err));
  CHECK(err == "parse \"http://a b/\": invalid character \" \" in host name");
  CHECK_FALSE(ParseGoUrl("http://h/%zz", false, &err));
  CHECK(err == "parse \"http://h/%zz\": invalid URL escape \"%zz\"");
  CHECK_FALSE(ParseGoUrl("http://h/\x01", false, &err));
  CHECK(err.find("invalid control character in URL") != std::string::npos);
}

TEST_CASE("ParseGoAddr / ParseGoPrefix follow net/netip", "[validate]") {
  std::string err;
  CHECK(ParseGoAddr("1.2.3.4", &err));
  CHECK(ParseGoAddr("::1", &err));
  CHECK(ParseGoAddr("fe80::1%eth0", &err));
  CHECK(ParseGoAddr("::ffff:1.2.3.4", &err));
  CHECK_FALSE(ParseGoAddr("01.2.3.4", &err));
  CHECK_FALSE(ParseGoAddr("1.2.3", &err));
  CHECK_FALSE(ParseGoAddr("256.1.1.1", &err));
  CHECK_FALSE(ParseGoAddr("abc", &err));
  CHECK(err == "ParseAddr(\"abc\"): unable to parse IP");
  CHECK(ParseGoPrefix("10.0.0.0/8", &err));
  CHECK(ParseGoPrefix("2001:db8::/32", &err));
  CHECK_FALSE(ParseGoPrefix("10.0.0.0/33", &err));
  CHECK(err == "netip.ParsePrefix(\"10.0.0.0/33\"): prefix length out of range");
  CHECK_FALSE(ParseGoPrefix("10.0.0.0/08", &err));
  CHECK(err == "netip.ParsePrefix(\"10.0.0.0/08\"): bad bits after slash: \"08\"");
  CHECK_FALSE(ParseGoPrefix("fe80::1%eth0/64", &err));
  CHECK(err == "netip.ParsePrefix(\"fe80::1%eth0/64\"): IPv6 zones cannot be present in a prefix");
}

}  // namespace
}  // namespace meshctl::validate
