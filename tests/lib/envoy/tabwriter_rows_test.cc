// Rows given as cells, as proxy-status's tables build them.
#include <catch2/catch.hpp>
#include <sstream>

#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

namespace {

struct RowWriter {
  explicit RowWriter(int padding) : w(padding) {}
  void Row(const std::vector<std::string>& cells) { w.Row(cells); }
  std::string Format() {
    std::ostringstream out;
    w.Flush(out);
    return out.str();
  }
  TabWriter w;
};

}  // namespace

TEST_CASE("TabWriter rows pads tab-terminated cells and leaves the last cell as is", "[envoy]") {
  RowWriter w(5);
  w.Row({"NAME", "CLUSTER", "SUBSCRIBED TYPES"});
  w.Row({"proxy1", "c1", "0"});
  CHECK(w.Format() == "NAME       CLUSTER     SUBSCRIBED TYPES\nproxy1     c1          0\n");
}

TEST_CASE("TabWriter rows: empty last cells keep the previous column's padding", "[envoy]") {
  RowWriter w(1);
  w.Row({"a", "bb", ""});
  w.Row({"ccc", "d", ""});
  CHECK(w.Format() == "a   bb \nccc d  \n");
}

TEST_CASE("TabWriter rows: a shorter line ends the column block", "[envoy]") {
  RowWriter w(2);
  w.Row({"aaaa", "b"});
  w.Row({"x"});
  w.Row({"c", "d"});
  CHECK(w.Format() == "aaaa  b\nx\nc  d\n");
}

TEST_CASE("TabWriter rows counts code points, not bytes", "[envoy]") {
  RowWriter w(1);
  w.Row({"\xc3\xa9t\xc3\xa9", "x"});
  w.Row({"abcd", "y"});
  CHECK(w.Format() == "\xc3\xa9t\xc3\xa9  x\nabcd y\n");
}

}  // namespace meshctl::envoy
