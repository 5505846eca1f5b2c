// `kind: List` whose items are not objects is an error with a position.
#include <catch2/catch.hpp>

#include "lib/model/loader.h"

using namespace meshctl;

namespace {

model::LoadResult Load(const std::string& text) {
  io::InputSet set;
  set.files.push_back({"l.yaml", text});
  return model::LoadSnapshot(set, {});
}

}  // namespace

TEST_CASE("List items must be a sequence of objects", "[model]") {
  auto five = Load("apiVersion: v1\nkind: List\nitems: 5\n");
  REQUIRE(five.errors.size() == 1);
  CHECK(five.errors[0].message() == "l.yaml:3:8: List items must be a sequence of objects, found int");
  CHECK(five.snapshot.size() == 0);
  auto map = Load("apiVersion: v1\nkind: ServiceList\nitems: {a: 1}\n");
  REQUIRE(map.errors.size() == 1);
  CHECK_THAT(map.errors[0].message(), Catch::Contains("l.yaml:3:8: ServiceList items"));
  auto scalars = Load("apiVersion: v1\nkind: List\nitems:\n- 5\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: n}\n");
  REQUIRE(scalars.errors.size() == 1);
  CHECK_THAT(scalars.errors[0].message(), Catch::StartsWith("l.yaml:4:3:"));
  CHECK(scalars.snapshot.size() == 1);
  CHECK(Load("apiVersion: v1\nkind: List\nitems: null\n").errors.empty());
}
