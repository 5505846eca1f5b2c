// Strict decoding of the policy kinds' specs through the engine, using the
// descriptors of schemas_security.cc, schemas_telemetry.cc,
// schemas_extensions.cc and schemas_envoyfilter.cc.
#include <catch2/catch.hpp>

#include "lib/validate/schema.h"
#include "tests/lib/validate/kind_test_util.h"
#include "tests/lib/validate/validate_testing.h"

namespace meshctl::validate {
namespace {

using testutil::RunEngine;

TEST_CASE("Policy schemas: descriptors parse and every root message exists", "[validate]") {
  const SchemaPool& pool = SchemaPool::Get();
  for (const auto& e : pool.errors()) INFO(e);
  CHECK(pool.errors().empty());
  for (const char* m : {"istio.security.v1beta1.AuthorizationPolicy", "istio.security.v1beta1.RequestAuthentication",
                        "istio.security.v1beta1.PeerAuthentication", "istio.telemetry.v1alpha1.Telemetry",
                        "istio.extensions.v1alpha1.WasmPlugin", "istio.extensions.v1alpha1.TrafficExtension",
                        "istio.networking.v1alpha3.EnvoyFilter", "istio.networking.v1beta1.ProxyConfig"}) {
    INFO(m);
    CHECK(pool.FindMessage(m) != nullptr);
  }
}

TEST_CASE("Policy schemas: unknown fields name the nested proto message, with position", "[validate]") {
  auto c = RunEngine(R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
spec:
  rules:
  - from:
    - source:
        principal: ["x"]
)");
  REQUIRE(c->findings.size() == 1);
  const Finding& f = c->findings.items()[0];
  CHECK(f.message == "cannot parse proto message: unknown field \"principal\" in istio.security.v1beta1.Source");
  CHECK(f.mark.line == 9);

  auto tel = RunEngine(R"(apiVersion: telemetry.istio.io/v1alpha1
kind: Telemetry
metadata:
  name: t
spec:
  tracing:
  - customTags:
      a:
        literl:
          value: x
)");
  CHECK(tel->Find("unknown field \"literl\" in istio.telemetry.v1alpha1.Tracing.CustomTag"));

  auto ef = RunEngine(R"(apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: e
spec:
  configPatches:
  - applyTo: HTTP_FILTER
    match:
      listener:
        filterChain:
          filter:
            subfilter:
              name: x
)");
  CHECK(ef->Find("unknown field \"subfilter\" in istio.networking.v1alpha3.EnvoyFilter.ListenerMatch.FilterMatch"));
}

TEST_CASE("Policy schemas: enums, durations, map keys, wrappers and snake_case", "[validate]") {
  auto pa = RunEngine(R"(apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: p
spec:
  mtls:
    mode: BLAH
)");
  CHECK(pa->Find("unknown value \"\\\"BLAH\\\"\" for enum istio.security.v1beta1.PeerAuthentication.MutualTLS.Mode"));

  auto key = RunEngine(R"(apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: p
spec:
  selector:
    matchLabels:
      app: a
  portLevelMtls:
    http:
      mode: STRICT
)");
  CHECK(key->Find("cannot unmarshal number http into Go value of type uint32"));

  auto ra = RunEngine(R"(apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: r
spec:
  jwt_rules:
  - issuer: x
    jwks_uri: https://x/keys
    timeout: 10
)");
  CHECK(ra->Find("bad Duration"));

  auto ok = RunEngine(R"(apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata:
  name: r
spec:
  jwt_rules:
  - issuer: x
    jwks_uri: ftp://x/keys
    timeout: 1m30s
)");
  // Decodes (snake_case accepted), then the semantic rule sees the field.
  CHECK(ok->Find("URI scheme \"ftp\" is not supported"));
  CHECK(ok->Errors() == 1);

  auto deny = RunEngine(R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
spec:
  action: 1
)");
  CHECK(deny->Find("invalid policy p.ns: DENY action without `rules` is meaningless"));

  auto pc = RunEngine(R"(apiVersion: networking.istio.io/v1beta1
kind: ProxyConfig
metadata:
  name: p
spec:
  concurrency: "-2"
  environmentVariables:
    A: 1
)");
  CHECK(pc->Find("json: cannot unmarshal number into Go value of type string"));

  auto wasm = RunEngine(R"(apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata:
  name: w
spec:
  url: oci://x/y
  pluginConfig:
    any: [thing, {nested: true}]
  priority: 10
  phase: AUTHZ
  imagePullPolicy: Always
)");
  CHECK(wasm->findings.size() == 0);
}

TEST_CASE("Policy kinds through ValidateSnapshot: codes, severities and file positions", "[validate]") {
  auto run = testing::ValidateText(R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: p
  namespace: ns
spec:
  action: DENY
  rules:
  - to:
    - operation:
        ports: ["http"]
---
apiVersion: telemetry.istio.io/v1
kind: Telemetry
metadata:
  name: t
  namespace: ns
spec:
  accessLogging:
  - providers:
    - name: envoy
    filter:
      expression: "response.code >="
)");
  INFO(run.Dump());
  const auto* port = run.Find("invalid policy p.ns: bad port (http): strconv.ParseUint: parsing \"http\": invalid syntax");
  REQUIRE(port);
  CHECK(port->code == "MSH0100");
  CHECK(port->line == 11);
  CHECK(port->column == 17);
  const auto* cel = run.Find("must be a valid CEL expression, ERROR: <input>:1:17: Syntax error:");
  REQUIRE(cel);
  CHECK(cel->line == 23);
  CHECK(cel->column == 19);
  CHECK(!run.valid());
}

}  // namespace
}  // namespace meshctl::validate
