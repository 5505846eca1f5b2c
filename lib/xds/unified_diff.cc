#include "lib/xds/unified_diff.h"

#include <algorithm>
#include <vector>

namespace meshctl::xds {

namespace {

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string::npos) {
      out.push_back(s.substr(start) + "\n");
      break;
    }
    out.push_back(s.substr(start, nl - start + 1));
    start = nl + 1;
  }
  return out;
}

struct Op {
  char tag;  // 'e' equal, 'r' replace, 'd' delete, 'i' insert
  int i1, i2, j1, j2;
};

// Myers' greedy shortest edit script, as a list of matched (x, y) diagonals.
// Returns false when more than max_d edits are needed.
bool MyersMatches(const std::vector<std::string>& a, const std::vector<std::string>& b, int max_d,
                  std::vector<std::pair<int, int>>& matches) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int max = std::min(n + m, max_d);
  const int off = max + 1;
  std::vector<int> v(2 * max + 3, 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= max && found_d < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[off + k - 1] < v[off + k + 1])) ? v[off + k + 1] : v[off + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[off + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  if (found_d < 0) return false;
  // Walk back through the saved frontiers.
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& pv = trace[d];
    int k = x - y;
    int prev_k = (k == -d || (k != d && pv[off + k - 1] < pv[off + k + 1])) ? k + 1 : k - 1;
    int prev_x = pv[off + prev_k];
    int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) matches.emplace_back(--x, --y);
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) matches.emplace_back(--x, --y);
  std::reverse(matches.begin(), matches.end());
  return true;
}

std::vector<Op> Opcodes(const std::vector<std::string>& a, const std::vector<std::string>& b, int max_d) {
  std::vector<std::pair<int, int>> matches;
  if (!MyersMatches(a, b, max_d, matches)) matches.clear();
  std::vector<Op> ops;
  int i = 0, j = 0;
  auto flush_change = [&](int ni, int nj) {
    if (ni > i && nj > j) ops.push_back({'r', i, ni, j, nj});
    else if (ni > i) ops.push_back({'d', i, ni, j, j});
    else if (nj > j) ops.push_back({'i', i, i, j, nj});
  };
  size_t p = 0;
  while (p < matches.size()) {
    auto [mi, mj] = matches[p];
    flush_change(mi, mj);
    int si = mi, sj = mj;
    while (p < matches.size() && matches[p].first == mi && matches[p].second == mj) ++p, ++mi, ++mj;
    ops.push_back({'e', si, mi, sj, mj});
    i = mi;
    j = mj;
  }
  flush_change(static_cast<int>(a.size()), static_cast<int>(b.size()));
  return ops;
}

std::string Range(int start, int stop) {
  int beginning = start + 1, length = stop - start;
  if (length == 1) return std::to_string(beginning);
  if (length == 0) --beginning;
  return std::to_string(beginning) + "," + std::to_string(length);
}

}  // namespace

std::string UnifiedDiff(const std::string& a_text, const std::string& b_text, const std::string& from_name,
                        const std::string& to_name, int context, int max_edits) {
  if (a_text == b_text) return "";
  std::vector<std::string> a = SplitLines(a_text), b = SplitLines(b_text);
  std::vector<Op> codes = Opcodes(a, b, max_edits);
  if (codes.empty()) codes.push_back({'e', 0, 1, 0, 1});
  // difflib's get_grouped_opcodes.
  if (codes.front().tag == 'e') {
    Op& c = codes.front();
    c.i1 = std::max(c.i1, c.i2 - context);
    c.j1 = std::max(c.j1, c.j2 - context);
  }
  if (codes.back().tag == 'e') {
    Op& c = codes.back();
    c.i2 = std::min(c.i2, c.i1 + context);
    c.j2 = std::min(c.j2, c.j1 + context);
  }
  std::vector<std::vector<Op>> groups;
  std::vector<Op> group;
  for (Op c : codes) {
    if (c.tag == 'e' && c.i2 - c.i1 > 2 * context) {
      group.push_back({'e', c.i1, std::min(c.i2, c.i1 + context), c.j1, std::min(c.j2, c.j1 + context)});
      groups.push_back(group);
      group.clear();
      c.i1 = std::max(c.i1, c.i2 - context);
      c.j1 = std::max(c.j1, c.j2 - context);
    }
    group.push_back(c);
  }
  if (!group.empty() && !(group.size() == 1 && group[0].tag == 'e')) groups.push_back(group);

  std::string out = "--- " + from_name + "\n+++ " + to_name + "\n";
  for (const auto& g : groups) {
    out += "@@ -" + Range(g.front().i1, g.back().i2) + " +" + Range(g.front().j1, g.back().j2) + " @@\n";
    for (const Op& c : g) {
      if (c.tag == 'e') {
        for (int i = c.i1; i < c.i2; ++i) out += " " + a[i];
        continue;
      }
      for (int i = c.i1; i < c.i2; ++i) out += "-" + a[i];
      for (int j = c.j1; j < c.j2; ++j) out += "+" + b[j];
    }
  }
  return out;
}

}  // namespace meshctl::xds
