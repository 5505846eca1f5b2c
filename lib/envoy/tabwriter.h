// Go text/tabwriter (minwidth 0, pad char ' ', no flags), reproduced byte for
// byte because istioctl prints every table through it. Write rows of
// tab-separated cells with Write("a\tb\tc\n"), then Flush into a stream.
// Rules (proxy-status-config.md §1.6): only tab-terminated cells are
// aligned; the text after a line's last tab is written as is; column widths
// are computed per block of consecutive lines that have that column; widths
// count code points.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace meshctl::envoy {

class TabWriter {
 public:
  explicit TabWriter(int padding) : padding_(padding) {}

  // Appends text; '\t' ends a cell, '\n' ends a line.
  void Write(std::string_view text);
  // Convenience: cells joined by '\t' plus '\n'. The rvalue form keeps the
  // strings instead of copying them (tables of 100,000 rows).
  void Row(const std::vector<std::string>& cells);
  void Row(std::vector<std::string>&& cells);
  // Formats everything written so far into `out` and clears the buffer.
  void Flush(std::ostream& out);

 private:
  struct Line {
    std::vector<std::string> cells;  // the last cell is not tab-terminated
  };
  size_t Format(std::ostream& out, size_t line0, size_t line1);
  void WriteLines(std::ostream& out, size_t line0, size_t line1);
  // Formatted text is gathered here and written in large pieces (one
  // stream call per cell and pad cost more than the formatting).
  void Emit(std::ostream& out, bool force);

  int padding_;
  std::vector<Line> lines_ = {Line{{""}}};
  std::vector<size_t> widths_;
  std::string pending_;
};

// Number of UTF-8 code points in s.
size_t RuneCount(std::string_view s);

}  // namespace meshctl::envoy
