// TabWriter reproduces Go's text/tabwriter (padding, blocks, trailing cells).
#include "lib/envoy/tabwriter.h"

#include <sstream>

#include <catch2/catch.hpp>

namespace meshctl::envoy {
namespace {

std::string Format(int padding, const std::string& text) {
  TabWriter w(padding);
  w.Write(text);
  std::ostringstream out;
  w.Flush(out);
  return out.str();
}

TEST_CASE("tabwriter pads tab-terminated cells to the column width plus padding", "[proxy-config][tabwriter]") {
  CHECK(Format(5, "NAME\tPORT\tX\nlonger-name\t1\tlast cell is not padded\n") ==
        "NAME            PORT     X\n"
        "longer-name     1        last cell is not padded\n");
  // An empty trailing cell leaves the previous column's padding behind.
  CHECK(Format(5, "A\tB\nxx\t\n") == "A      B\nxx     \n");
  CHECK(Format(1, "a\tb\n") == "a b\n");
}

TEST_CASE("tabwriter blocks end at a line without the column", "[proxy-config][tabwriter]") {
  // The second block's column 0 is sized on its own.
  CHECK(Format(2, "aaaaaa\tx\n\nb\ty\n") == "aaaaaa  x\n\nb  y\n");
  // A line with fewer cells ends the block of the deeper column only.
  CHECK(Format(1, "a\tbbbb\tc\nd\te\nf\tg\th\n") == "a bbbb c\nd e\nf g h\n");
}

TEST_CASE("tabwriter counts code points, not bytes", "[proxy-config][tabwriter]") {
  CHECK(Format(1, "\xc3\xa9t\xc3\xa9\tx\nab\ty\n") == "\xc3\xa9t\xc3\xa9 x\nab  y\n");
  CHECK(RuneCount("\xe2\x82\xac") == 1);
}

TEST_CASE("tabwriter Row equals Write of the joined cells", "[proxy-config][tabwriter]") {
  TabWriter a(3), b(3);
  a.Row({"x", "yy", "z"});
  a.Row({"with\ttab", "q"});
  b.Write("x\tyy\tz\nwith\ttab\tq\n");
  std::ostringstream oa, ob;
  a.Flush(oa);
  b.Flush(ob);
  CHECK(oa.str() == ob.str());
  CHECK(Format(3, "") == "");
}

}  // namespace
}  // namespace meshctl::envoy
