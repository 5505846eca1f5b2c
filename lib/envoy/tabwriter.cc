#include "lib/envoy/tabwriter.h"

namespace meshctl::envoy {

size_t RuneCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

void TabWriter::Write(std::string_view text) {
  for (char c : text) {
    if (c == '\t') {
      lines_.back().cells.emplace_back();
    } else if (c == '\n') {
      lines_.push_back(Line{{""}});
    } else {
      lines_.back().cells.back() += c;
    }
  }
}

void TabWriter::Row(const std::vector<std::string>& cells) { Row(std::vector<std::string>(cells)); }

void TabWriter::Row(std::vector<std::string>&& cells) {
  bool plain = true;
  for (const auto& c : cells) {
    for (char ch : c) plain &= ch != '\t' && ch != '\n';
  }
  if (!plain || lines_.back().cells.size() != 1 || !lines_.back().cells[0].empty()) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) Write("\t");
      Write(cells[i]);
    }
    Write("\n");
    return;
  }
  // Fast path: a whole row at the start of a line.
  lines_.back().cells = std::move(cells);
  if (lines_.back().cells.empty()) lines_.back().cells.emplace_back();
  lines_.push_back(Line{{""}});
}

void TabWriter::Emit(std::ostream& out, bool force) {
  if (pending_.empty() || (!force && pending_.size() < (size_t{1} << 16))) return;
  out.write(pending_.data(), static_cast<std::streamsize>(pending_.size()));
  pending_.clear();
}

void TabWriter::WriteLines(std::ostream& out, size_t line0, size_t line1) {
  for (size_t i = line0; i < line1; ++i) {
    const auto& cells = lines_[i].cells;
    for (size_t j = 0; j < cells.size(); ++j) {
      pending_ += cells[j];
      if (j < widths_.size()) {
        size_t w = RuneCount(cells[j]);
        if (widths_[j] > w) pending_.append(widths_[j] - w, ' ');
      }
    }
    // Every buffered line but the trailing open one ended with '\n'.
    if (i + 1 < lines_.size()) pending_ += '\n';
    Emit(out, false);
  }
}

size_t TabWriter::Format(std::ostream& out, size_t line0, size_t line1) {
  size_t column = widths_.size();
  for (size_t cur = line0; cur < line1; ++cur) {
    if (column + 1 >= lines_[cur].cells.size()) continue;
    // A block of lines that all have a tab-terminated cell in this column.
    WriteLines(out, line0, cur);
    line0 = cur;
    size_t width = 0;
    for (; cur < line1; ++cur) {
      const auto& cells = lines_[cur].cells;
      if (column + 1 >= cells.size()) break;
      size_t w = RuneCount(cells[column]) + static_cast<size_t>(padding_);
      if (w > width) width = w;
    }
    widths_.push_back(width);
    Format(out, line0, cur);
    widths_.pop_back();
    line0 = cur;
    if (cur >= line1) break;
    --cur;  // re-examine the line that ended the block
  }
  WriteLines(out, line0, line1);
  return line1;
}

void TabWriter::Flush(std::ostream& out) {
  Format(out, 0, lines_.size());
  Emit(out, true);
  lines_ = {Line{{""}}};
  widths_.clear();
}

}  // namespace meshctl::envoy
