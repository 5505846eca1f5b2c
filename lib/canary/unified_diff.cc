#include "lib/canary/unified_diff.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace meshctl::canary {

namespace {

struct Line {
  std::string text;
  bool newline = true;  // false for a last line without '\n'
  bool operator==(const Line&) const = default;
};

std::vector<Line> SplitLines(const std::string& s) {
  std::vector<Line> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back({s.substr(start), false});
      break;
    }
    out.push_back({s.substr(start, nl - start), true});
    start = nl + 1;
  }
  return out;
}

enum class Op { kSame, kDel, kAdd };
struct Edit {
  Op op;
  size_t a;  // index in before (kSame, kDel)
  size_t b;  // index in after (kSame, kAdd)
};

// Edit script for a[a0,a1) vs b[b0,b1): LCS by dynamic programming when the
// region is small enough, else delete-all + insert-all (still a correct diff).
void DiffMiddle(const std::vector<Line>& a, size_t a0, size_t a1, const std::vector<Line>& b, size_t b0, size_t b1,
                std::vector<Edit>& out) {
  size_t n = a1 - a0, m = b1 - b0;
  constexpr size_t kMaxCells = 4'000'000;
  if (n == 0 || m == 0 || n * m > kMaxCells) {
    for (size_t i = a0; i < a1; ++i) out.push_back({Op::kDel, i, 0});
    for (size_t j = b0; j < b1; ++j) out.push_back({Op::kAdd, 0, j});
    return;
  }
  // lcs[i][j] = LCS length of a[a0+i..a1) and b[b0+j..b1).
  std::vector<uint32_t> lcs((n + 1) * (m + 1), 0);
  auto at = [&](size_t i, size_t j) -> uint32_t& { return lcs[i * (m + 1) + j]; };
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      at(i, j) = a[a0 + i] == b[b0 + j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
  size_t i = 0, j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] == b[b0 + j]) {
      out.push_back({Op::kSame, a0 + i, b0 + j});
      ++i, ++j;
    } else if (at(i + 1, j) >= at(i, j + 1)) {
      out.push_back({Op::kDel, a0 + i, 0});
      ++i;
    } else {
      out.push_back({Op::kAdd, 0, b0 + j});
      ++j;
    }
  }
  for (; i < n; ++i) out.push_back({Op::kDel, a0 + i, 0});
  for (; j < m; ++j) out.push_back({Op::kAdd, 0, b0 + j});
}

void AppendLine(std::string& out, char prefix, const Line& l) {
  out += prefix;
  out += l.text;
  out += '\n';
  if (!l.newline) out += "\\ No newline at end of file\n";
}

std::string Range(size_t start, size_t count) {
  // diff -u: an empty range names the line before it.
  if (count == 0) return std::to_string(start) + ",0";
  if (count == 1) return std::to_string(start + 1);
  return std::to_string(start + 1) + "," + std::to_string(count);
}

}  // namespace

std::string UnifiedDiff(const std::string& before, const std::string& after, const std::string& a_label,
                        const std::string& b_label, const DiffOptions& opts) {
  if (before == after) return "";
  std::vector<Line> a = SplitLines(before), b = SplitLines(after);
  size_t head = 0;
  while (head < a.size() && head < b.size() && a[head] == b[head]) ++head;
  size_t tail = 0;
  while (tail < a.size() - head && tail < b.size() - head && a[a.size() - 1 - tail] == b[b.size() - 1 - tail]) ++tail;

  std::vector<Edit> edits;
  for (size_t i = 0; i < head; ++i) edits.push_back({Op::kSame, i, i});
  DiffMiddle(a, head, a.size() - tail, b, head, b.size() - tail, edits);
  for (size_t k = tail; k > 0; --k) edits.push_back({Op::kSame, a.size() - k, b.size() - k});

  std::string out = "--- " + a_label + "\n+++ " + b_label + "\n";
  size_t ctx = static_cast<size_t>(std::max(0, opts.context));
  size_t e = 0;
  while (e < edits.size()) {
    while (e < edits.size() && edits[e].op == Op::kSame) ++e;
    if (e == edits.size()) break;
    // Hunk [start, end): from ctx lines before the first change to ctx lines
    // after the last change that is not separated by more than 2*ctx equal lines.
    size_t start = e >= ctx ? e - ctx : 0;
    size_t end = e;
    while (true) {
      while (end < edits.size() && edits[end].op != Op::kSame) ++end;
      size_t same = end;
      while (same < edits.size() && edits[same].op == Op::kSame) ++same;
      if (same < edits.size() && same - end <= 2 * ctx) {
        end = same;
        continue;
      }
      end = std::min(edits.size(), end + ctx);
      break;
    }
    // Positions of the hunk in both files.
    size_t a_start = 0, b_start = 0, a_count = 0, b_count = 0;
    bool a_set = false, b_set = false;
    for (size_t k = start; k < end; ++k) {
      const Edit& ed = edits[k];
      if (ed.op != Op::kAdd) {
        if (!a_set) a_start = ed.a, a_set = true;
        ++a_count;
      }
      if (ed.op != Op::kDel) {
        if (!b_set) b_start = ed.b, b_set = true;
        ++b_count;
      }
    }
    // An empty side starts after the lines that precede the hunk on that side.
    if (!a_set) {
      a_start = 0;
      for (size_t k = 0; k < start; ++k)
        if (edits[k].op != Op::kAdd) a_start = edits[k].a + 1;
    }
    if (!b_set) {
      b_start = 0;
      for (size_t k = 0; k < start; ++k)
        if (edits[k].op != Op::kDel) b_start = edits[k].b + 1;
    }
    out += "@@ -" + Range(a_start, a_count) + " +" + Range(b_start, b_count) + " @@\n";
    for (size_t k = start; k < end; ++k) {
      const Edit& ed = edits[k];
      if (ed.op == Op::kSame) AppendLine(out, ' ', a[ed.a]);
      if (ed.op == Op::kDel) AppendLine(out, '-', a[ed.a]);
      if (ed.op == Op::kAdd) AppendLine(out, '+', b[ed.b]);
    }
    e = end;
  }
  return out;
}

}  // namespace meshctl::canary
