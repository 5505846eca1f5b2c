#include "lib/xds/unified_diff.h"

#include <catch2/catch.hpp>

namespace meshctl::xds {

TEST_CASE("UnifiedDiff is empty for equal texts", "[xds]") { CHECK(UnifiedDiff("a\nb\n", "a\nb\n", "x", "y").empty()); }

TEST_CASE("UnifiedDiff prints go-difflib hunks with context", "[xds]") {
  std::string a, b;
  for (int i = 1; i <= 20; ++i) {
    a += std::to_string(i) + "\n";
    b += (i == 10 ? std::string("ten") : std::to_string(i)) + "\n";
  }
  std::string d = UnifiedDiff(a, b, "Istiod Clusters", "Envoy Clusters", 2);
  CHECK(d ==
        "--- Istiod Clusters\n+++ Envoy Clusters\n@@ -8,5 +8,5 @@\n 8\n 9\n-10\n+ten\n 11\n 12\n");
}

TEST_CASE("UnifiedDiff handles insertions at the end and empty sides", "[xds]") {
  CHECK(UnifiedDiff("", "x\n", "a", "b") == "--- a\n+++ b\n@@ -0,0 +1 @@\n+x\n");
  CHECK(UnifiedDiff("x\n", "", "a", "b") == "--- a\n+++ b\n@@ -1 +0,0 @@\n-x\n");
  CHECK(UnifiedDiff("a\nb\n", "a\nb\nc\n", "a", "b") == "--- a\n+++ b\n@@ -1,2 +1,3 @@\n a\n b\n+c\n");
}

TEST_CASE("UnifiedDiff falls back to a full replace past the edit budget", "[xds]") {
  std::string d = UnifiedDiff("a\nb\n", "c\nd\n", "x", "y", 7, 1);
  CHECK(d == "--- x\n+++ y\n@@ -1,2 +1,2 @@\n-a\n-b\n+c\n+d\n");
}

}  // namespace meshctl::xds
