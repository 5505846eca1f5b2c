// canary on real-world-shaped repositories (testdata/realworld/1x-*): the
// default target follows an existing Gateway API route, refuses two routing
// APIs on one Service, and shifts from the routes alone (backends named on
// the command line, Argo Rollouts' stable/canary Services, versions read
// from the route), warning when the stable version gets no traffic.
#include <catch2/catch.hpp>

#include <sstream>

#include "lib/canary/canary.h"
#include "lib/io/files.h"

using namespace meshctl;
using canary::CanarySpec;

namespace {

io::InputSet Inputs(const std::string& dir) {
  std::istringstream none;
  auto in = io::ReadInputs({dir}, none);
  REQUIRE(in.ok());
  return std::move(in).value();
}

CanarySpec Spec(const std::string& service, const std::string& ns, int weight) {
  CanarySpec s;
  s.service = service;
  s.ns = ns;
  s.weight = weight;
  return s;
}

std::string After(const canary::CanaryResult& r, const std::string& suffix) {
  for (const auto& f : r.files)
    if (f.path.size() >= suffix.size() && f.path.compare(f.path.size() - suffix.size(), suffix.size(), suffix) == 0)
      return f.after;
  return "";
}

bool HasCode(const canary::CanaryResult& r, const std::string& code) {
  for (const auto& d : r.findings)
    if (d.code == code) return true;
  return false;
}

}  // namespace

TEST_CASE("canary's default target patches the HTTPRoute that already routes the Service", "[canary][realworld]") {
  CanarySpec spec = Spec("reviews", "default", 10);
  spec.stable = "v1";
  spec.canary = "v2";
  auto r = canary::RunCanary(Inputs("testdata/realworld/11-gamma-httproute"), spec);
  REQUIRE(r.ok());
  CHECK(r->target == canary::Target::kGatewayApi);
  CHECK_FALSE(r->has_errors);
  REQUIRE(r->files.size() == 1);
  CHECK(r->files[0].path == "testdata/realworld/11-gamma-httproute/route.yaml");
  std::string route = r->files[0].after;
  CHECK(route.find("name: reviews-v2") != std::string::npos);
  CHECK(route.find("weight: 90") != std::string::npos);
  CHECK(route.find("weight: 10") != std::string::npos);
  CHECK(route.find("VirtualService") == std::string::npos);
  for (const auto& o : r->objects) CHECK(o.Find("kind")->text() == "HTTPRoute");
}

TEST_CASE("canary refuses a Service routed by both an HTTPRoute and a VirtualService", "[canary][realworld]") {
  CanarySpec spec = Spec("reviews", "default", 10);
  auto r = canary::RunCanary(Inputs("testdata/realworld/11-both-apis"), spec);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().ExitCode() == 65);
  CHECK(r.status().message().find("HTTPRoute default/reviews") != std::string::npos);
  CHECK(r.status().message().find("VirtualService default/reviews") != std::string::npos);
  CHECK(r.status().message().find("--target") != std::string::npos);
  // An explicit target is the user's choice.
  spec.target = canary::Target::kGatewayApi;
  CHECK(canary::RunCanary(Inputs("testdata/realworld/11-both-apis"), spec).ok());
}

TEST_CASE("new resources appended after a trailing --- leave no empty document", "[canary][realworld]") {
  CanarySpec spec = Spec("reviews", "default", 10);
  spec.stable = "v1";
  spec.canary = "v2";
  spec.target = canary::Target::kIstio;
  auto r = canary::RunCanary(Inputs("testdata/realworld/11-gamma-httproute/reviews.yaml"), spec);
  REQUIRE(r.ok());
  std::string text = After(*r, "reviews.yaml");
  REQUIRE_FALSE(text.empty());
  CHECK(text.find("---\n---") == std::string::npos);
  CHECK(text.find("kind: VirtualService") != std::string::npos);
}

TEST_CASE("canary shifts a plain HTTPRoute between backends named on the command line", "[canary][realworld]") {
  CanarySpec spec = Spec("checkout", "shop", 30);
  spec.stable_backend = "checkout-primary";
  spec.canary_backend = "checkout-preview";
  auto r = canary::RunCanary(Inputs("testdata/realworld/12-plain-httproute"), spec);
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_errors);
  CHECK(r->stable == "checkout-primary");
  std::string route = After(*r, "route.yaml");
  CHECK(route.find("weight: 70") != std::string::npos);
  CHECK(route.find("weight: 30") != std::string::npos);
  CHECK(route.find("kind: Service") == std::string::npos);  // nothing generated
  // A rule that also sends to a backend not named is left to the user.
  spec.canary_backend = "checkout-nope";
  auto bad = canary::RunCanary(Inputs("testdata/realworld/12-plain-httproute"), spec);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("checkout-preview") != std::string::npos);
  spec.stable_backend = "a";
  spec.canary_backend = "b";
  auto none = canary::RunCanary(Inputs("testdata/realworld/12-plain-httproute"), spec);
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message().find("no HTTPRoute rule") != std::string::npos);
  // Both or neither.
  spec.canary_backend.clear();
  CHECK(canary::RunCanary(Inputs("testdata/realworld/12-plain-httproute"), spec).status().ExitCode() == 64);
}

TEST_CASE("canary shifts Argo Rollouts' stable and canary Services", "[canary][realworld]") {
  CanarySpec spec = Spec("rollouts-demo", "default", 20);
  spec.stable_backend = "rollouts-demo-stable";
  spec.canary_backend = "rollouts-demo-canary";
  auto r = canary::RunCanary(Inputs("testdata/realworld/12-argo-rollout"), spec);
  REQUIRE(r.ok());
  CHECK(r->target == canary::Target::kGatewayApi);
  CHECK_FALSE(r->has_errors);
  std::string text = After(*r, "rollout.yaml");
  CHECK(text.find("weight: 80") != std::string::npos);
  CHECK(text.find("weight: 20") != std::string::npos);
}

TEST_CASE("canary promotes from the route alone and warns when the stable version gets 0%", "[canary][realworld]") {
  const std::string dir = "testdata/realworld/12-routes-only-promote";
  CanarySpec spec = Spec("reviews", "default", 100);
  auto r = canary::RunCanary(Inputs(dir), spec);
  REQUIRE(r.ok());
  CHECK(r->stable == "v1");
  CHECK(r->canary == "v2");
  std::string promoted = After(*r, "route.yaml");
  CHECK(promoted.find("weight: 0") != std::string::npos);
  CHECK(promoted.find("weight: 100") != std::string::npos);
  CHECK_FALSE(HasCode(*r, "MSH0305"));
  // The next run with the old flags would move traffic back to v1.
  io::InputSet after = Inputs(dir);
  after.files[0].content = promoted;
  spec.weight = 10;
  spec.stable = "v1";
  spec.canary = "v2";
  auto again = canary::RunCanary(after, spec);
  REQUIRE(again.ok());
  CHECK(HasCode(*again, "MSH0305"));
}
