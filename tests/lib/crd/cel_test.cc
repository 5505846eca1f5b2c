#include "lib/crd/cel.h"

#include <catch2/catch.hpp>

#include <string>

#include "lib/yaml/parser.h"

using meshctl::crd::CelOutcome;
using meshctl::crd::CompileCel;
using meshctl::crd::EvaluateCel;
using meshctl::crd::ParseGoDuration;
using meshctl::crd::ParseRequestUri;

namespace {

meshctl::yaml::Node Yaml(const std::string& text) {
  auto docs = meshctl::yaml::ParseYamlStream(text, "self.yaml");
  REQUIRE(docs.ok());
  REQUIRE(docs->size() == 1);
  return docs->front().root;
}

// "true", "false" or "error: <text>".
std::string Eval(const std::string& rule, const std::string& self_yaml) {
  auto prog = CompileCel(rule);
  INFO(rule << (prog.ok() ? "" : " -> " + prog.status().message()));
  REQUIRE(prog.ok());
  auto out = EvaluateCel(**prog, Yaml(self_yaml));
  switch (out.kind) {
    case CelOutcome::Kind::kTrue: return "true";
    case CelOutcome::Kind::kFalse: return "false";
    case CelOutcome::Kind::kError: return "error: " + out.error;
  }
  return "?";
}

}  // namespace

TEST_CASE("CEL subset: evaluation table", "[crd]") {
  struct Row {
    const char* rule;
    const char* self;
    const char* want;
  };
  const Row rows[] = {
      // Istio's rule families (istio-validation.md §8).
      {"duration(self) >= duration('1ms')", "'1ms'", "true"},
      {"duration(self) >= duration('1ms')", "'999us'", "false"},
      {"duration(self) >= duration('1ms')", "'1h30m'", "true"},
      {"duration(self) >= duration('1ms')", "'-1s'", "false"},
      {"duration(self) >= duration('1ms')", "'10'",
       "error: type conversion error from 'string' to 'google.protobuf.Duration'"},
      {"0 < self && self <= 65535", "80", "true"},
      {"0 < self && self <= 65535", "0", "false"},
      {"0 < self && self <= 65535", "65536", "false"},
      {"!self.contains(\"*\")", "'app-*'", "false"},
      {"self.all(key, !key.contains(\"*\"))", "{app: x, 'a*': y}", "false"},
      {"self.all(key, key.size() != 0)", "{'': x}", "false"},
      {"self.all(key, key.size() != 0)", "{a: x}", "true"},
      {"self.startsWith(\"unix://\") ? (self.substring(7, 8) == \"/\" || self.substring(7, 8) == \"@\") : true",
       "'unix://relative'", "false"},
      {"self.startsWith(\"unix://\") ? (self.substring(7, 8) == \"/\" || self.substring(7, 8) == \"@\") : true",
       "'unix:///abs'", "true"},
      {"self.startsWith(\"unix://\") ? (self.substring(7, 8) == \"/\" || self.substring(7, 8) == \"@\") : true",
       "'unix://'", "error: index out of range: 8"},
      {"self.all(key, size(key) < 63 && key.matches(\"^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$\"))",
       "{http: 1, 'bad_name': 2}", "false"},
      {"(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1",
       "{selector: {}, targetRefs: []}", "false"},
      {"(has(self.selector) ? 1 : 0) + (has(self.targetRef) ? 1 : 0) + (has(self.targetRefs) ? 1 : 0) <= 1",
       "{selector: {}}", "true"},
      {"self.all(l1, self.exists_one(l2, l1.number == l2.number))", "[{number: 80}, {number: 80}]", "false"},
      {"self.all(l1, self.exists_one(l2, l1.number == l2.number))", "[{number: 80}, {number: 81}]", "true"},
      {"!((has(self.addresses) ? self.addresses : []).exists(k, k.contains(\"/\")) && "
       "!((has(self.resolution) ? self.resolution : \"NONE\") in [\"STATIC\", \"NONE\"]))",
       "{addresses: [10.0.0.0/8], resolution: DNS}", "false"},
      {"!((has(self.addresses) ? self.addresses : []).exists(k, k.contains(\"/\")) && "
       "!((has(self.resolution) ? self.resolution : \"NONE\") in [\"STATIC\", \"NONE\"]))",
       "{addresses: [10.0.0.0/8]}", "true"},
      {"self.all(key, 0 < int(key) && int(key) <= 65535)", "{'8080': x}", "true"},
      {"self.all(key, 0 < int(key) && int(key) <= 65535)", "{'0': x}", "false"},
      {"has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? "
       "self.selector.matchLabels : {}).size() > 0) : true",
       "{portLevelMtls: {'80': {mode: STRICT}}}", "false"},
      {"has(self.portLevelMtls) ? (((has(self.selector) && has(self.selector.matchLabels)) ? "
       "self.selector.matchLabels : {}).size() > 0) : true",
       "{portLevelMtls: {'80': {}}, selector: {matchLabels: {app: a}}}", "true"},
      {"((has(self.operation) ? self.operation : \"\") == \"UPSERT\") ? (self.value != \"\") : true",
       "{operation: UPSERT}", "error: no such key: value"},
      {"url(self).getScheme() in [\"http\", \"https\"]", "'https://example.com/jwks'", "true"},
      {"url(self).getScheme() in [\"http\", \"https\"]", "'ftp://example.com'", "false"},
      {"isURL(self) ? (url(self).getScheme() in [\"\", \"http\", \"https\", \"file\", \"oci\"]) : "
       "(isURL(\"http://\" + self) && url(\"http://\" + self).getScheme() in [\"\", \"http\", \"https\", \"file\", "
       "\"oci\"])",
       "'registry.example.com/plugin:1'", "true"},
      {"isURL(self) ? (url(self).getScheme() in [\"\", \"http\", \"https\", \"file\", \"oci\"]) : "
       "(isURL(\"http://\" + self) && url(\"http://\" + self).getScheme() in [\"\", \"http\", \"https\", \"file\", "
       "\"oci\"])",
       "'s3://bucket/x'", "false"},
      {"has(self.wasm) != has(self.lua)", "{wasm: {}, lua: {}}", "false"},
      {"self in [\"\", \"HTTP\", \"HTTPS\"]", "HTTP", "true"},
      {"self in [\"\", \"HTTP\", \"HTTPS\"]", "http", "false"},
      // CEL semantics the evaluator must keep.
      {"self.x == 1 || true", "{}", "true"},     // || absorbs an error on the left
      {"true || self.x == 1", "{}", "true"},
      {"self.x == 1 && false", "{}", "false"},   // && absorbs it when the other side is false
      {"self.x == 1 && true", "{}", "error: no such key: x"},
      {"self.a.all(x, x > 1) ", "{a: [2, 3]}", "true"},
      {"self.a.exists(x, x > 2)", "{a: [2, 3]}", "true"},
      {"self.a.exists_one(x, x > 1)", "{a: [2, 3]}", "false"},
      {"self.a[1] == 3 && self.m['k'] == 'v'", "{a: [2, 3], m: {k: v}}", "true"},
      {"self.a[5] == 3", "{a: [2, 3]}", "error: index out of range: 5"},
      {"1 == 1.0 && 2u > 1 && 1.5 < 2", "{}", "true"},  // heterogeneous numeric comparison
      {"1 + 1u == 2", "{}", "error: no such overload: int + uint"},
      {"9223372036854775807 + 1 > 0", "{}", "error: integer overflow"},
      {"-9223372036854775808 < 0", "{}", "true"},
      {"7 / 2 == 3 && 7 % 2 == 1 && 1 / 0 == 0", "{}", "error: division by zero"},
      {"'héllo'.size() == 5 && size('ab') == 2", "{}", "true"},
      {"'abc'.substring(1) == 'bc' && 'ABC'.lowerAscii() == 'abc' && ' x '.trim() == 'x'", "{}", "true"},
      {"'abc'.indexOf('c') == 2 && 'abc'.endsWith('bc')", "{}", "true"},
      {"string(12) + 'x' == '12x' && int('-4') == -4 && double('1.5') == 1.5 && uint(3) == 3u", "{}", "true"},
      {"int('x') == 1", "{}", "error: cannot convert \"x\" to int"},
      {"[1, 2] + [3] == [1, 2, 3] && !('a' in {}) && 'k' in self", "{k: 1}", "true"},
      {"r'a\\d' == 'a\\\\d' && \"\"\"x\"\"\" == 'x'", "{}", "true"},
      {"self.matches('^a+$')", "aaa", "true"},
      {"self.matches('^a+$')", "aab", "false"},
      {"self[0] == null && self[1] != null", "[~, 1]", "true"},
      {"self", "5", "error: rule did not evaluate to a bool (got int)"},
      {"dyn(self) == 5 ? true : false", "5", "true"},
      {"self.map(x, x * 2) == [2, 4] && self.filter(x, x > 1) == [2] && self.map(x, x > 1, x * 10) == [20]",
       "[1, 2]", "true"},
      {"size(self.filter(k, k.startsWith('a'))) == 1 && self.map(k, k + '!') == ['ab!', 'b!']", "{ab: 1, b: 2}",
       "true"},
      {"self.map(x, x.y) == []", "[{z: 1}]", "error: no such key: y"},
      {"self.split(',') == ['a', '', 'b'] && 'x'.split('') == ['x'] && ['a', 'b'].join('-') == 'a-b'", "'a,,b'",
       "true"},
      {"'aXbX'.replace('X', '_') == 'a_b_' && 'abcabc'.lastIndexOf('c') == 5 && [1].join() == ''", "{}",
       "error: join: list element is not a string"},
      // Kubernetes property-name escaping.
      {"has(self.__namespace__) && self.__namespace__ == 'ns' && self.a__dash__b == 1 && self.x__dot__y == 2 && "
       "self.p__slash__q == 3 && self.u__underscores__v == 4",
       "{namespace: ns, a-b: 1, x.y: 2, p/q: 3, u__v: 4}", "true"},
      {"has(self.__namespace__)", "{name: x}", "false"},
      {"duration('1m') + duration('30s') == duration('90s') && duration('2s') - duration('1s') == duration('1s')",
       "{}", "true"},
  };
  for (const auto& r : rows) {
    INFO(r.rule << "  with self = " << r.self);
    CHECK(Eval(r.rule, r.self) == r.want);
  }
}

TEST_CASE("CEL subset: what does not compile is reported and never guessed", "[crd]") {
  const char* unsupported[] = {
      "quantity(self).isGreaterThan(quantity('1'))",
      "self.split(',', 2).size() == 2",      // split with a limit
      "isHostname(self)",                   // the IP library is evaluated; other k8s libraries are not
      "{'a': 1}.size() == 1",               // non-empty map literal
      "other == 1",                         // unknown variable
      "self.foo(",                          // syntax error
      "self == 'unterminated",
      "1 +",
      "self.matches('(')",                  // bad literal regex
  };
  for (const char* rule : unsupported) {
    INFO(rule);
    CHECK_FALSE(CompileCel(rule).ok());
  }
  CHECK(meshctl::crd::MentionsOldSelf("self == oldSelf"));
  CHECK_FALSE(meshctl::crd::MentionsOldSelf("self.oldSelfie == 1"));
  // Deep nesting fails cleanly instead of exhausting the stack.
  CHECK_FALSE(CompileCel(std::string(100000, '!') + "true").ok());
  CHECK_FALSE(CompileCel(std::string(100000, '(') + "1" + std::string(100000, ')')).ok());
  // Long left-associative chains nest as deeply as they are long.
  std::string sum = "1", path = "self", both = "true";
  for (int i = 0; i < 20000; ++i) {
    sum += " + 1";
    path += ".a";
    both += " && true";
  }
  CHECK_FALSE(CompileCel(sum + " > 0").ok());
  CHECK_FALSE(CompileCel("has(" + path + ")").ok());
  CHECK_FALSE(CompileCel(both).ok());
  // ... while realistic lengths stay fine.
  CHECK(CompileCel("1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 == 8 && self.a.b.c.d.e.f.g == 1").ok());
}

TEST_CASE("Go time.ParseDuration", "[crd]") {
  CHECK(ParseGoDuration("1ms") == 1000000);
  CHECK(ParseGoDuration("1.5s") == 1500000000);
  CHECK(ParseGoDuration("1m30s") == 90000000000);
  CHECK(ParseGoDuration("2h") == 7200000000000);
  CHECK(ParseGoDuration("-1s") == -1000000000);
  CHECK(ParseGoDuration("+5us") == 5000);
  CHECK(ParseGoDuration("3\xC2\xB5s") == 3000);
  CHECK(ParseGoDuration("0") == 0);
  CHECK(ParseGoDuration(".5s") == 500000000);
  CHECK(ParseGoDuration("1.s") == 1000000000);
  CHECK_FALSE(ParseGoDuration(""));
  CHECK_FALSE(ParseGoDuration("10"));
  CHECK_FALSE(ParseGoDuration("1d"));
  CHECK_FALSE(ParseGoDuration("s"));
  CHECK_FALSE(ParseGoDuration("."));
  CHECK_FALSE(ParseGoDuration("1.5.5s"));
  CHECK_FALSE(ParseGoDuration("9999999999h"));
}

TEST_CASE("Go url.ParseRequestURI", "[crd]") {
  auto u = ParseRequestUri("HTTPS://user@example.com:8443/a%20b?x=1");
  REQUIRE(u);
  CHECK(u->scheme == "https");
  CHECK(u->host == "example.com:8443");
  CHECK(u->hostname == "example.com");
  CHECK(u->port == "8443");
  CHECK(u->escaped_path == "/a%20b");
  CHECK(ParseRequestUri("/just/a/path"));
  CHECK(ParseRequestUri("oci://ghcr.io/x/y:1"));
  CHECK(ParseRequestUri("mailto:a@b"));  // opaque
  CHECK(ParseRequestUri("http://[::1]:80/"));
  CHECK_FALSE(ParseRequestUri(""));
  CHECK_FALSE(ParseRequestUri("example.com/x"));     // invalid URI for request
  CHECK_FALSE(ParseRequestUri(":foo"));              // missing protocol scheme
  CHECK_FALSE(ParseRequestUri("http://host:port/"));  // invalid port
  CHECK_FALSE(ParseRequestUri("http://a b/"));        // invalid character in host
  CHECK_FALSE(ParseRequestUri("http://x/%zz"));       // bad escape
  CHECK_FALSE(ParseRequestUri("http://x/\n"));        // control byte
  CHECK_FALSE(ParseRequestUri("http://[::1/"));       // missing ']'
}

// Kubernetes' CEL IP and CIDR libraries (k8s.io/apiserver/pkg/cel/library
// ip.go, cidr.go), which Gateway API and other CRDs use in their rules.
TEST_CASE("CEL: the isIP / ip() / isCIDR / cidr() family", "[crd][realworld]") {
  struct Case {
    const char* rule;
    const char* self;
    const char* want;
  } cases[] = {
      {"isIP(self)", "10.0.0.1", "true"},
      {"isIP(self)", "2001:db8::1", "true"},
      {"isIP(self)", "10.0.0.010", "false"},       // Go rejects leading zeros
      {"isIP(self)", "::ffff:10.0.0.1", "false"},  // IPv4-mapped IPv6 is refused
      {"isIP(self)", "fe80::1%eth0", "false"},     // zones are refused
      {"isIP(self)", "example.com", "false"},
      {"ip.isCanonical(self)", "2001:db8::1", "true"},
      {"ip.isCanonical(self)", "2001:DB8:0:0::1", "false"},
      {"ip(self).family() == 6", "2001:db8::1", "true"},
      {"ip(self).family() == 4", "192.168.1.7", "true"},
      {"ip(self).isLoopback()", "127.0.0.1", "true"},
      {"ip(self).isLoopback()", "::1", "true"},
      {"ip(self).isUnspecified()", "0.0.0.0", "true"},
      {"ip(self).isLinkLocalUnicast()", "169.254.169.254", "true"},
      {"ip(self).isLinkLocalMulticast()", "ff02::1", "true"},
      {"ip(self).isGlobalUnicast()", "8.8.8.8", "true"},
      {"ip(self).isGlobalUnicast()", "255.255.255.255", "false"},
      {"string(ip(self)) == '2001:db8::1'", "2001:0db8:0:0:0:0:0:1", "true"},
      {"ip(self) == ip('2001:db8::1')", "2001:db8:0::1", "true"},
      {"isCIDR(self)", "10.0.0.0/8", "true"},
      {"isCIDR(self)", "10.0.0.0/33", "false"},
      {"isCIDR(self)", "10.0.0.0", "false"},
      {"cidr(self).prefixLength()", "10.1.0.0/16", "error: rule did not evaluate to a bool"},
      {"cidr(self).prefixLength() == 16", "10.1.0.0/16", "true"},
      {"cidr(self).containsIP('10.1.2.3')", "10.1.0.0/16", "true"},
      {"cidr(self).containsIP(ip('10.2.0.1'))", "10.1.0.0/16", "false"},
      {"cidr(self).containsCIDR('10.1.128.0/17')", "10.1.0.0/16", "true"},
      {"cidr(self).containsCIDR(cidr('10.0.0.0/8'))", "10.1.0.0/16", "false"},
      {"cidr(self).containsIP('2001:db8::1')", "10.0.0.0/8", "false"},
      {"string(cidr(self).masked()) == '10.1.0.0/16'", "10.1.2.3/16", "true"},
      {"string(cidr(self).ip()) == '10.1.2.3'", "10.1.2.3/16", "true"},
      {"cidr(self).containsIP('10.0.0.1')", "2001:db8::/32", "false"},
  };
  for (const auto& c : cases) {
    INFO(c.rule << " on " << c.self);
    std::string got = Eval(c.rule, std::string("\"") + c.self + "\"");
    if (std::string(c.want).rfind("error:", 0) == 0) {
      CHECK(got.rfind("error:", 0) == 0);
    } else {
      CHECK(got == c.want);
    }
  }
  auto bad = Eval("ip(self).family() == 4", "\"10.0.0.010\"");
  CHECK_THAT(bad, Catch::Contains("parse error during conversion from string"));
}
