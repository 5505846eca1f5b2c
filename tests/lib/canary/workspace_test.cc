// The write order that keeps a multi-file --in-place change consistent at
// every step, and line endings of CRLF files (lib/canary/workspace.h).
#include <catch2/catch.hpp>

#include "lib/canary/canary.h"
#include "lib/canary/workspace.h"

using namespace meshctl;

namespace {

const char* kDrV1 =
    "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: bookinfo\n"
    "spec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n";
const char* kDrV1V2 =
    "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: reviews\n  namespace: bookinfo\n"
    "spec:\n  host: reviews\n  subsets:\n  - name: v1\n    labels:\n      version: v1\n  - name: v2\n    labels:\n"
    "      version: v2\n";
const char* kVsV1 =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: bookinfo\n"
    "spec:\n  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n";
const char* kVsSplit =
    "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata:\n  name: reviews\n  namespace: bookinfo\n"
    "spec:\n  hosts:\n  - reviews\n  http:\n  - route:\n    - destination:\n        host: reviews\n        subset: v1\n"
    "      weight: 90\n    - destination:\n        host: reviews\n        subset: v2\n      weight: 10\n";

}  // namespace

TEST_CASE("UnresolvedSubsets lists route subsets no DestinationRule defines", "[canary][inplace]") {
  io::InputSet set;
  set.files = {{"vs.yaml", kVsSplit}, {"dr.yaml", kDrV1}};
  CHECK(canary::UnresolvedSubsets(set, "default") == std::set<std::string>{"bookinfo/reviews+v2"});
  set.files[1].content = kDrV1V2;
  CHECK(canary::UnresolvedSubsets(set, "default").empty());
}

TEST_CASE("adding a subset: the DestinationRule is written before the VirtualService", "[canary][inplace]") {
  io::InputSet inputs;
  // The VirtualService's file comes first in input order, so writing in
  // input order would route to v2 before v2 exists.
  inputs.files = {{"a-vs.yaml", kVsV1}, {"b-dr.yaml", kDrV1}};
  std::vector<canary::FileChange> changes = {{"a-vs.yaml", kVsV1, kVsSplit, false},
                                             {"b-dr.yaml", kDrV1, kDrV1V2, false}};
  CHECK(canary::SafeWriteOrder(inputs, changes, "default") == std::vector<size_t>{1, 0});
}

TEST_CASE("removing a subset: routes leave it before the DestinationRule drops it", "[canary][inplace]") {
  io::InputSet inputs;
  inputs.files = {{"a-dr.yaml", kDrV1V2}, {"b-vs.yaml", kVsSplit}};
  std::vector<canary::FileChange> changes = {{"a-dr.yaml", kDrV1V2, kDrV1, false},
                                             {"b-vs.yaml", kVsSplit, kVsV1, false}};
  CHECK(canary::SafeWriteOrder(inputs, changes, "default") == std::vector<size_t>{1, 0});
}

TEST_CASE("broken references the input already has do not change the order", "[canary][inplace]") {
  io::InputSet inputs;
  // v2 is already missing before the change and stays missing: input order.
  inputs.files = {{"a-vs.yaml", kVsSplit}, {"b-dr.yaml", kDrV1}};
  std::string vs2 = std::string(kVsSplit) + "    timeout: 5s\n";
  std::string dr2 = std::string(kDrV1) + "  trafficPolicy: {}\n";
  std::vector<canary::FileChange> changes = {{"a-vs.yaml", kVsSplit, vs2, false}, {"b-dr.yaml", kDrV1, dr2, false}};
  CHECK(canary::SafeWriteOrder(inputs, changes, "default") == std::vector<size_t>{0, 1});
}

TEST_CASE("CRLF detection and conversion", "[canary][inplace]") {
  CHECK(canary::UsesCrlf("a: 1\r\nb: 2\r\n"));
  CHECK_FALSE(canary::UsesCrlf("a: 1\nb: 2\n"));
  CHECK_FALSE(canary::UsesCrlf("a: 1\nb: 2\nc: 3\r\n"));
  CHECK(canary::ToCrlf("a\nb\r\nc\n") == "a\r\nb\r\nc\r\n");
}

TEST_CASE("a canary over CRLF files keeps CRLF line endings", "[canary][inplace]") {
  auto crlf = [](std::string s) { return canary::ToCrlf(s); };
  std::string svc =
      "apiVersion: v1\nkind: Service\nmetadata:\n  name: reviews\n  namespace: bookinfo\nspec:\n  selector:\n"
      "    app: reviews\n  ports:\n  - name: http\n    port: 9080\n";
  std::string deps;
  for (const char* v : {"v1", "v2"})
    deps += std::string("---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: reviews-") + v +
            "\n  namespace: bookinfo\nspec:\n  selector:\n    matchLabels:\n      app: reviews\n      version: " + v +
            "\n  template:\n    metadata:\n      labels:\n        app: reviews\n        version: " + v +
            "\n    spec:\n      containers:\n      - name: reviews\n        image: reviews:" + v + "\n";
  io::InputSet inputs;
  inputs.files = {{"svc.yaml", crlf(svc + deps)}, {"traffic.yaml", crlf(std::string(kDrV1) + "---\n" + kVsV1)}};
  canary::CanarySpec spec;
  spec.service = "reviews";
  spec.ns = "bookinfo";
  spec.weight = 10;
  auto r = canary::RunCanary(inputs, spec);
  INFO((r.ok() ? std::string() : r.status().message()));
  REQUIRE(r.ok());
  REQUIRE_FALSE(r->files.empty());
  for (const auto& f : r->files) {
    INFO(f.path << ":\n" << f.after);
    CHECK(f.after != f.before);
    for (size_t i = 0; i < f.after.size(); ++i)
      if (f.after[i] == '\n') REQUIRE((i > 0 && f.after[i - 1] == '\r'));
  }
}
