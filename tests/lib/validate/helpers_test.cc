#include <catch2/catch.hpp>

#include "lib/validate/helpers.h"

using namespace meshctl::validate;

TEST_CASE("H-FQDN and H-WILDDOMAIN follow Istio's label rules", "[validate]") {
  CHECK(CheckFQDN("reviews") == "");
  CHECK(CheckFQDN("istio.io.") == "");
  CHECK(CheckFQDN("") == "empty domain name not allowed");
  CHECK(CheckFQDN("1.1.1.1") == "domain name \"1.1.1.1\" invalid (top level domain \"1\" cannot be all-numeric)");
  CHECK(CheckFQDN("a..b") == "domain name \"a..b\" invalid (label \"\" invalid)");
  CHECK(CheckFQDN(std::string(256, 'a')).find("too long (max 255)") != std::string::npos);
  CHECK(CheckWildcardDomain("*") == "");
  CHECK(CheckWildcardDomain("*.bar.com") == "");
  CHECK(CheckWildcardDomain("*foo") == "");
  CHECK(CheckWildcardDomain("*-foo.bar.com") == "");
  CHECK(CheckWildcardDomain("foo.*.com") == "domain name \"*.com\" invalid (label \"*\" invalid)");
  CHECK(CheckWildcardDomain("foo*.bar.com") == "domain name \"foo*.bar.com\" invalid (label \"foo*\" invalid)");
  CHECK(CheckWildcardDomain("1.1.1.1") != "");
  CHECK(CheckWildcardDomainGw("outbound_.80_._.foo.com", true) == "");
  CHECK(CheckWildcardDomainGw("outbound_.x_._.foo.com", true).find("should follow") != std::string::npos);
  CHECK(CheckPartialWildcard("*bar.com") == "partial wildcard \"*bar.com\" not allowed");
  CHECK(CheckPartialWildcard("*.bar.com") == "");
}

TEST_CASE("IP addresses and subnets are Go netip's", "[validate]") {
  CHECK(IsIP("10.0.0.1"));
  CHECK(IsIP("::1"));
  CHECK(IsIP("fe80::1%eth0"));
  CHECK_FALSE(IsIP("010.0.0.1"));
  CHECK_FALSE(IsIP("1.2.3"));
  CHECK_FALSE(IsIP("10.0.0.0/8"));
  CHECK(CheckIP("nope") == "nope is not a valid IP");
  CHECK(CheckSubnet("10.0.0.0/8") == "");
  CHECK(CheckSubnet("2001:db8::/32") == "");
  CHECK(CheckSubnet("10.0.0.0/33") != "");
  CHECK(CheckSubnet("1.2.3.4") == "");
}

TEST_CASE("ports, durations, port names, protocols", "[validate]") {
  CHECK(CheckPort(0) == "port number 0 must be in the range 1..65535");
  CHECK(CheckPort(65536) != "");
  CHECK(CheckPort(8080) == "");
  CHECK(CheckDuration(500'000) == "duration must be greater than 1ms");
  CHECK(CheckDuration(1'500'000) == "only durations to ms precision are supported");
  CHECK(CheckDuration(2'000'000) == "");
  CHECK(CheckPortName("http-web") == "");
  CHECK(CheckPortName("") == "invalid port name: ");
  CHECK(CheckProtocol("") == "");
  CHECK(CheckProtocol("grpc-web") == "");
  CHECK(CheckProtocol("foo") == "unsupported protocol: foo");
}

TEST_CASE("header names and values", "[validate]") {
  CHECK(CheckMatchHeaderName("@request.auth.claims.group") == "");
  CHECK(CheckMatchHeaderName(":authority") == "");
  CHECK(CheckMatchHeaderName("a b") == "header name a b is not a valid header name");
  CHECK(CheckHeaderWithAuthorityName("host") == "");
  CHECK(CheckHeaderWithAuthorityName(":path") == "invalid header \":path\": header cannot have \":\" prefix");
  CHECK(CheckHeaderOperationName("Host") == "invalid header \"Host\": cannot set Host header");
  CHECK(CheckCorsHeaderName("*") == "");
  CHECK(CheckHeaderValue("100%%") == "");
  CHECK(CheckHeaderValue("%HOSTNAME%") == "");
  CHECK(CheckHeaderValue("%REQ(x-foo)%") == "");
  CHECK(CheckHeaderValue("%UPSTREAM_METADATA([\"a\", \"b\"])%") == "");
  CHECK(CheckHeaderValue("abc%123").find("Un-terminated variable expression") != std::string::npos);
  CHECK(CheckHeaderValue("%START_TIME%%").find("Un-escaped %") != std::string::npos);
  CHECK(CheckHeaderValue("a\x01") == "header value configuration a\x01 is invalid");
}

TEST_CASE("regexes are RE2 with Istio's wording", "[validate]") {
  CHECK(CheckRegex("^/api/.*", "uri") == "");
  CHECK(CheckRegex("", "uri") == "\"uri\": regex string match should not be empty");
  CHECK(CheckRegex("(abc", "uri").find("Istio uses RE2 style regex-based match") != std::string::npos);
  CHECK(CheckRegex("(?=x)", "uri") != "");  // lookahead is not RE2
  CHECK(CheckRegex(std::string(1025, 'a'), "uri") == "\"uri\": regex is too large, max length allowed is 1024");
}

TEST_CASE("host matching and subsets use Istio's wildcard semantics", "[validate]") {
  CHECK(HostMatches("*.com", "foo.com"));
  CHECK(HostMatches("*.foo.com", "*.com"));
  CHECK_FALSE(HostMatches("a.com", "b.com"));
  CHECK(HostSubsetOf("foo.bar.com", "*.bar.com"));
  CHECK_FALSE(HostSubsetOf("*.com", "*.bar.com"));
  CHECK_FALSE(HostSubsetOf("*.bar.com", "foo.bar.com"));
}
