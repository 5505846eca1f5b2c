#include "lib/xds/tab_writer.h"

#include <catch2/catch.hpp>

namespace meshctl::xds {

TEST_CASE("TabWriter pads tab-terminated cells and leaves the last cell as is", "[xds]") {
  TabWriter w(5);
  w.Row({"NAME", "CLUSTER", "SUBSCRIBED TYPES"});
  w.Row({"proxy1", "c1", "0"});
  CHECK(w.Format() == "NAME       CLUSTER     SUBSCRIBED TYPES\nproxy1     c1          0\n");
}

TEST_CASE("TabWriter: empty last cells keep the previous column's padding", "[xds]") {
  TabWriter w(1);
  w.Row({"a", "bb", ""});
  w.Row({"ccc", "d", ""});
  CHECK(w.Format() == "a   bb \nccc d  \n");
}

TEST_CASE("TabWriter: a shorter line ends the column block", "[xds]") {
  TabWriter w(2);
  w.Row({"aaaa", "b"});
  w.Row({"x"});
  w.Row({"c", "d"});
  CHECK(w.Format() == "aaaa  b\nx\nc  d\n");
}

TEST_CASE("TabWriter counts code points, not bytes", "[xds]") {
  TabWriter w(1);
  w.Row({"\xc3\xa9t\xc3\xa9", "x"});
  w.Row({"abcd", "y"});
  CHECK(w.Format() == "\xc3\xa9t\xc3\xa9  x\nabcd y\n");
}

}  // namespace meshctl::xds
