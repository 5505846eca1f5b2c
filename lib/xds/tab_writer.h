// A byte-for-byte reimplementation of Go's text/tabwriter as istioctl uses it
// (minwidth 0, tabwidth 8, pad char ' ', no flags): every cell but the last of
// a row is aligned; a column's width is the widest cell plus `padding` over a
// block of consecutive rows that all have that (tab-terminated) cell; width is
// counted in Unicode code points. The last cell of a row is never padded.
#pragma once

#include <string>
#include <vector>

namespace meshctl::xds {

class TabWriter {
 public:
  explicit TabWriter(int padding) : padding_(padding) {}

  // Adds one row; cells[0..n-2] are tab-terminated, cells[n-1] is the tail.
  // Go's "a\tb\t" is {"a", "b", ""}.
  void Row(std::vector<std::string> cells) { rows_.push_back(std::move(cells)); }

  // The formatted text, one '\n'-terminated line per row.
  std::string Format() const;

 private:
  void FormatBlock(size_t line0, size_t line1, std::vector<size_t>& widths, std::string& out) const;
  void WriteLines(size_t line0, size_t line1, const std::vector<size_t>& widths, std::string& out) const;

  int padding_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of Unicode code points in UTF-8 text (what tabwriter measures).
size_t RuneCount(const std::string& s);

}  // namespace meshctl::xds
