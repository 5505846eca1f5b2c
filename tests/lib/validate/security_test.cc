#include "lib/validate/kinds.h"

#include <catch2/catch.hpp>

#include "tests/lib/validate/kind_test_util.h"

namespace meshctl::validate {
namespace {

using testutil::Run;

TEST_CASE("AuthorizationPolicy: valid policy has no findings", "[validate]") {
  auto c = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: allow
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  rules:
  - from:
    - source:
        principals: ["cluster.local/ns/default/sa/sleep"]
        ipBlocks: ["10.0.0.0/8", "1.2.3.4", "2001:db8::/32"]
    to:
    - operation:
        methods: ["GET"]
        ports: ["8080"]
        paths: ["/api/{*}/items/{**}"]
    when:
    - key: request.headers[x-token]
      values: ["abc"]
    - key: source.ip
      notValues: ["10.1.0.0/16"]
)");
  CHECK(c->findings.size() == 0);
}

TEST_CASE("AuthorizationPolicy: rule errors carry the policy prefix and the field position", "[validate]") {
  auto c = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: bad
  namespace: foo
spec:
  rules:
  - from:
    - source:
        ipBlocks: ["1.2.3.4/33", "01.2.3.4"]
        principals: [""]
    to:
    - operation:
        ports: ["99999", "abc"]
        paths: ["/a/{**}/{*}", "/a/{**}/b", "/{*}/x y"]
    when:
    - key: destination.namespace
      values: ["x"]
    - key: request.headers[]
      values: ["x"]
    - key: foo.bar
      values: ["x"]
    - key: source.ip
)");
  const Finding* f = c->Find("invalid policy bad.foo: bad CIDR range (1.2.3.4/33): netip.ParsePrefix(\"1.2.3.4/33\"): prefix length out of range");
  REQUIRE(f);
  CHECK(c->Line(*f) == 10);
  CHECK(c->Find("bad IP address (01.2.3.4)"));
  f = c->Find("empty value not allowed, found in Principals");
  REQUIRE(f);
  CHECK(c->Line(*f) == 11);
  f = c->Find("bad port (99999): <nil>");
  REQUIRE(f);
  CHECK(c->Line(*f) == 14);
  CHECK(c->Find("bad port (abc): strconv.ParseUint: parsing \"abc\": invalid syntax"));
  CHECK(c->Find("invalid or unsupported path a/{**}/{*}, found in Paths. {**} is not the last operator"));
  // Istio stops at the first bad path of a list; a literal after {**} is fine.
  CHECK_FALSE(c->Find("path a/{**}/b"));
  CHECK(c->Find("invalid `value` for `key` destination.namespace: attribute destination.namespace is replaced by the metadata.namespace"));
  CHECK(c->Find("bad key (request.headers[]): should have format a[b]"));
  CHECK(c->Find("unknown attribute: foo.bar"));
  f = c->Find("at least one of `values` or `notValues` must be set for key source.ip");
  REQUIRE(f);
  CHECK(c->Line(*f) == 23);
  CHECK(c->Errors() == 10);
}

TEST_CASE("AuthorizationPolicy: condition values embed Istio's multierror text", "[validate]") {
  auto c = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
spec:
  rules:
  - when:
    - key: destination.port
      values: ["80", "99999"]
    - key: remote.ip
      notValues: ["1.1.1.1/40", "x"]
    - key: request.headers
      values: ["a"]
)");
  const Finding* f = c->Find("invalid policy p.ns: invalid `value` for `key` destination.port: 1 error occurred:\n\t* bad port (99999): <nil>\n\n");
  REQUIRE(f);
  CHECK(c->Line(*f) == 10);
  CHECK(c->Find("invalid `notValue` for `key` remote.ip: 2 errors occurred:\n\t* bad CIDR range (1.1.1.1/40): netip.ParsePrefix(\"1.1.1.1/40\"): prefix length out of range\n\t* bad IP address (x)\n\n"));
  CHECK(c->Find("bad key (request.headers): should have format a[b]"));
  CHECK(c->Errors() == 3);
}

TEST_CASE("AuthorizationPolicy: path templates", "[validate]") {
  auto c = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
spec:
  rules:
  - to:
    - operation:
        paths: ["/{*}/x y/"]
        notPaths: ["/a/{id}/b", "/{**}/tail"]
)");
  CHECK(c->Find("invalid or unsupported path {*}/x y, found in Paths. Contains segment x y with invalid string literal"));
  CHECK(c->Find("invalid or unsupported path a/{id}/b, found in NotPaths. Contains '{' or '}' beyond a supported path template"));
  CHECK(c->Errors() == 2);
}

TEST_CASE("AuthorizationPolicy: CUSTOM and DENY action rules", "[validate]") {
  auto custom = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ext
  namespace: foo
spec:
  action: CUSTOM
  provider:
    name: ""
  rules:
  - from:
    - source:
        principals: ["a"]
    when:
    - key: request.auth.claims[iss]
      values: ["x"]
)");
  CHECK(custom->Find("`provider.name` must not be empty"));
  const Finding* f = custom->Find("From.Principals is currently not supported with CUSTOM action");
  REQUIRE(f);
  CHECK(custom->Line(*f) == 13);
  CHECK(custom->Find("request.auth.claims[iss] is currently not supported with CUSTOM action"));

  auto deny = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: d
spec:
  action: DENY
  provider:
    name: x
)");
  CHECK(deny->Find("invalid policy d.default: `provider` must not be with non CUSTOM action, found DENY"));
  CHECK(deny->Find("DENY action without `rules` is meaningless"));

  auto http_only = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: d
spec:
  action: DENY
  rules:
  - to:
    - operation:
        methods: ["GET"]
)");
  CHECK(http_only->Errors() == 0);
  f = http_only->Find("will deny all traffic to TCP ports", true);
  REQUIRE(f);
  CHECK(http_only->Line(*f) == 8);

  auto with_port = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: d
spec:
  action: DENY
  rules:
  - to:
    - operation:
        methods: ["GET"]
        ports: ["80"]
)");
  CHECK(with_port->findings.size() == 0);
}

TEST_CASE("AuthorizationPolicy: source shape, service accounts, trust domains", "[validate]") {
  auto c = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
spec:
  rules:
  - ~
  - from:
    - source: {}
    - source:
        namespaces: ["a"]
        serviceAccounts: ["a/b/c"]
    - source:
        trustDomains: ["a*b"]
        notServiceAccounts: ["x*"]
    to:
    - operation: {}
)");
  CHECK(c->Find("`rule` must not be nil, found at rule 0"));
  CHECK(c->Find("`from.source` must not be empty, found at rule 1"));
  CHECK(c->Find("cannot set serviceAccounts with namespaces or principals, found at rule 1"));
  CHECK(c->Find("expected format 'serviceAccount' or 'namespace/serviceAccount', found \"a/b/c\" in ServiceAccounts"));
  CHECK(c->Find("wildcard is only allowed at the start or end, found in TrustDomains: \"a*b\""));
  CHECK(c->Find("wildcard not allowed, found in NotServiceAccounts"));
  CHECK(c->Find("`to.operation` must not be empty, found at rule 1"));
}

TEST_CASE("AuthorizationPolicy: selector, targetRef and dry-run annotation", "[validate]") {
  auto c = Run(ValidateAuthorizationPolicy, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
spec:
  selector:
    matchLabels:
      app: "*"
  targetRef:
    kind: Deployment
    namespace: other
)");
  CHECK(c->Find("invalid policy p.ns: only one of targetRefs or workloadSelector can be set"));
  const Finding* f = c->Find("wildcard is not supported in selector: \"app=*\"");
  REQUIRE(f);
  CHECK(c->Line(*f) == 9);
  CHECK(c->Find("targetRef name must be set"));
  CHECK(c->Find("targetRef namespace must not be set; cross namespace referencing is not supported"));
  CHECK(c->Find("but was /Deployment"));  // the group as written

  auto dry = testutil::RunEngine(R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
  annotations:
    istio.io/dry-run: "maybe"
spec:
  action: DENY
)");
  REQUIRE(dry->findings.size() == 1);
  CHECK(dry->Find("ns/p has annotation istio.io/dry-run with invalid value (maybe): strconv.ParseBool: parsing \"maybe\": invalid syntax"));
  auto audit = testutil::RunEngine(R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
  annotations:
    istio.io/dry-run: "true"
spec:
  action: AUDIT
)");
  CHECK(audit->Find("the annotation istio.io/dry-run currently only supports action ALLOW/DENY, found action AUDIT in ns/p"));
}

TEST_CASE("RequestAuthentication: jwt rule checks with positions", "[validate]") {
  auto c = Run(ValidateRequestAuthentication, R"(apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ra
  namespace: foo
spec:
  selector: {}
  jwtRules:
  - issuer: ""
    audiences: ["a", ""]
    fromHeaders:
    - name: ""
    - ~
    fromParams: [""]
    fromCookies: [""]
    outputClaimToHeaders:
    - header: "x:bad"
      claim: sub
    - header: ok
    timeout: 100us
  - issuer: https://example.com
    jwksUri: ftp://example.com/keys
  - issuer: x
    jwksUri: "http://host:abc/keys"
  - issuer: x
    jwks: "not json"
  - issuer: x
    jwks: '{"keys":[{"kty":"RSA","n":"abc","e":"AQAB","d":"secret"}]}'
)");
  CHECK(c->Find("workload selector specified without labels", true));
  const Finding* f = c->Find("issuer or jwksUri must be non-empty string");
  REQUIRE(f);
  CHECK(c->Line(*f) == 9);
  f = c->Find("audience must be non-empty string");
  REQUIRE(f);
  CHECK(c->Line(*f) == 10);
  CHECK(c->Find("location header name must be non-empty string"));
  CHECK(c->Find("location header name must be non-null"));
  CHECK(c->Find("location query must be non-empty string"));
  CHECK(c->Find("cookie name must be non-empty string"));
  f = c->Find("header name x:bad is not a valid header name");
  REQUIRE(f);
  CHECK(c->Line(*f) == 17);
  CHECK(c->Find("outputClaimToHeaders header and claim value must be non-empty string"));
  f = c->Find("duration must be greater than 1ms");
  REQUIRE(f);
  CHECK(c->Line(*f) == 20);
  CHECK(c->Find("URI scheme \"ftp\" is not supported"));
  CHECK(c->Find("parse \"http://host:abc/keys\": invalid port \":abc\" after host"));
  CHECK(c->Find("jwks parse error: "));
  CHECK(c->Find("jwks key at index 0 contains private key material; only public keys are used for verification", true));
}

TEST_CASE("RequestAuthentication: valid rules pass", "[validate]") {
  auto c = Run(ValidateRequestAuthentication, R"(apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: ra
spec:
  targetRefs:
  - kind: Gateway
    group: gateway.networking.k8s.io
    name: gw
  jwtRules:
  - issuer: https://example.com
    jwksUri: https://example.com:8443/keys
    jwks: '{"keys":[{"kty":"EC","crv":"P-256","x":"a","y":"b"}]}'
    timeout: 5s
    outputClaimToHeaders:
    - header: x-sub
      claim: sub
)");
  CHECK(c->findings.size() == 0);
}

TEST_CASE("PeerAuthentication: port level mTLS rules", "[validate]") {
  auto c = Run(ValidatePeerAuthentication, R"(apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: pa
spec:
  portLevelMtls:
    0:
      mode: STRICT
)");
  const Finding* f = c->Find("mesh/namespace peer authentication cannot have port level mTLS");
  REQUIRE(f);
  CHECK(c->Line(*f) == 6);
  f = c->Find("port must be in range 1..65535");
  REQUIRE(f);
  CHECK(c->Line(*f) == 7);

  auto empty = Run(ValidatePeerAuthentication, R"(apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: pa
spec:
  selector:
    matchLabels:
      app: x
  portLevelMtls: {}
)");
  CHECK(empty->Errors() == 1);
  CHECK(empty->Find("port level mTLS, if defined, must have at least one element"));

  auto ok = Run(ValidatePeerAuthentication, R"(apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: pa
spec:
  selector:
    matchLabels:
      app: x
  mtls:
    mode: PERMISSIVE
  portLevelMtls:
    8080:
      mode: DISABLE
)");
  CHECK(ok->findings.size() == 0);
}

}  // namespace
}  // namespace meshctl::validate
