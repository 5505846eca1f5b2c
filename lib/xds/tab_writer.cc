#include "lib/xds/tab_writer.h"

namespace meshctl::xds {

size_t RuneCount(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string TabWriter::Format() const {
  std::string out;
  std::vector<size_t> widths;
  FormatBlock(0, rows_.size(), widths, out);
  return out;
}

// Go's (*Writer).format: finds the blocks of rows that have a tab-terminated
// cell in the next column, sizes that column per block and recurses.
void TabWriter::FormatBlock(size_t line0, size_t line1, std::vector<size_t>& widths, std::string& out) const {
  const size_t column = widths.size();
  for (size_t row = line0; row < line1; ++row) {
    if (column + 1 >= rows_[row].size()) continue;
    WriteLines(line0, row, widths, out);
    line0 = row;
    size_t width = 0;
    for (; row < line1; ++row) {
      if (column + 1 >= rows_[row].size()) break;
      width = std::max(width, RuneCount(rows_[row][column]) + static_cast<size_t>(padding_));
    }
    widths.push_back(width);
    FormatBlock(line0, row, widths, out);
    widths.pop_back();
    // `row` has no cell in this column; it is written by the next
    // WriteLines call, which starts at line0.
    line0 = row;
  }
  WriteLines(line0, line1, widths, out);
}

void TabWriter::WriteLines(size_t line0, size_t line1, const std::vector<size_t>& widths, std::string& out) const {
  for (size_t i = line0; i < line1; ++i) {
    const auto& cells = rows_[i];
    for (size_t j = 0; j < cells.size(); ++j) {
      out += cells[j];
      if (j < widths.size()) {
        size_t w = RuneCount(cells[j]);
        if (widths[j] > w) out.append(widths[j] - w, ' ');
      }
    }
    out += '\n';
  }
}

}  // namespace meshctl::xds
