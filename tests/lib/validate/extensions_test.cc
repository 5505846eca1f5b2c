#include "lib/validate/kinds.h"

#include <catch2/catch.hpp>

#include "tests/lib/validate/kind_test_util.h"

namespace meshctl::validate {
namespace {

using testutil::Run;

TEST_CASE("WasmPlugin: url, sha256, names, env and match rules", "[validate]") {
  auto missing = Run(ValidateWasmPlugin, R"(apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata:
  name: w
spec:
  sha256: ABC
)");
  CHECK(missing->Find("url field needs to be set"));
  const Finding* f = missing->Find("sha256 field must be 64 characters long");
  REQUIRE(f);
  CHECK(missing->Line(*f) == 6);

  auto c = Run(ValidateWasmPlugin, R"(apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata:
  name: w
spec:
  url: docker://ghcr.io/x/y
  sha256: ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789
  vmConfig:
    env:
    - name: A
      value: x
    - name: A
  match:
  - ports:
    - number: 70000
)");
  CHECK(c->Find("url contains unsupported scheme: docker"));
  CHECK(c->Find("sha256 field must match [a-f0-9]{64} pattern"));
  f = c->Find("duplicate env");
  REQUIRE(f);
  CHECK(c->Line(*f) == 12);
  f = c->Find("spec.Match[0].Ports[0] is out of range: 70000");
  REQUIRE(f);
  CHECK(c->Line(*f) == 15);

  auto host_env = Run(ValidateWasmPlugin, R"(apiVersion: extensions.istio.io/v1alpha1
kind: WasmPlugin
metadata:
  name: w
spec:
  url: oci://ghcr.io/x/y:v1
  vmConfig:
    env:
    - name: A
      valueFrom: HOST
      value: x
  match:
  - ~
)");
  CHECK(host_env->Find("value may only be set when valueFrom is INLINE"));
  // jsonpb reads a null selector as an empty one: no "is nil" (issue 13 item 8).
  CHECK_FALSE(host_env->Find("spec.Match[0] is nil"));
  CHECK(host_env->Errors() == 1);
}

TEST_CASE("WasmPlugin: accepted urls", "[validate]") {
  for (const char* url : {"ghcr.io/x/y:v1", "oci://ghcr.io/x/y", "file:///opt/filter.wasm", "https://a.b/c.wasm",
                          "/opt/filter.wasm"}) {
    auto c = Run(ValidateWasmPlugin, std::string("apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\n"
                                                 "metadata:\n  name: w\nspec:\n  url: \"") +
                                         url + "\"\n");
    INFO(url);
    CHECK(c->findings.size() == 0);
  }
  auto bad = Run(ValidateWasmPlugin, "apiVersion: extensions.istio.io/v1alpha1\nkind: WasmPlugin\n"
                                     "metadata:\n  name: w\nspec:\n  url: \"http://a b/%zz\"\n");
  CHECK(bad->Find("failed to"));
}

TEST_CASE("TrafficExtension: wasm xor lua, lua code and shared wasm rules", "[validate]") {
  auto both = Run(ValidateTrafficExtension, R"(apiVersion: extensions.istio.io/v1alpha1
kind: TrafficExtension
metadata:
  name: t
spec:
  wasm:
    url: ""
  lua:
    inlineCode: ""
)");
  CHECK(both->Find("exactly one of wasm or lua must be set"));
  CHECK(both->Find("lua.inlineCode cannot be empty"));
  const Finding* f = both->Find("url field needs to be set");
  REQUIRE(f);
  CHECK(both->Line(*f) == 7);

  auto neither = Run(ValidateTrafficExtension, R"(apiVersion: extensions.istio.io/v1alpha1
kind: TrafficExtension
metadata:
  name: t
spec:
  selector:
    matchLabels:
      app: a
  targetRefs:
  - kind: Gateway
    group: gateway.networking.k8s.io
    name: g
)");
  CHECK(neither->Find("exactly one of wasm or lua must be set"));
  CHECK(neither->Find("only one of targetRefs or workloadSelector can be set"));

  auto ok = Run(ValidateTrafficExtension, R"(apiVersion: extensions.istio.io/v1alpha1
kind: TrafficExtension
metadata:
  name: t
spec:
  wasm:
    url: http://test.com/test
    pluginName: x
)");
  CHECK(ok->findings.size() == 0);
}

}  // namespace
}  // namespace meshctl::validate
