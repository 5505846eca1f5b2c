#include "lib/canary/text_patch.h"

#include <algorithm>
#include <cstdint>

#include <fmt/format.h>

#include "lib/json/parser.h"
#include "lib/yaml/parser.h"
#include "lib/yaml/writer.h"

namespace meshctl::canary {

namespace {

struct TextEdit {
  size_t begin;
  size_t end;
  std::string replacement;
};

bool IsDocMarker(std::string_view line) {
  auto marker = [&](std::string_view m) {
    return line.substr(0, 3) == m && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
  };
  return marker("---") || marker("...");
}

class Patcher {
 public:
  Patcher(const std::string& text, bool json) : text_(text), json_(json) {
    style_.indentless_sequences = yaml::UsesIndentlessSequences(text);
    starts_.push_back(0);
    for (size_t i = 0; i < text.size(); ++i)
      if (text[i] == '\n') starts_.push_back(i + 1);
  }

  std::vector<TextEdit>& edits() { return edits_; }

  // Patches `o` into `n` in place; false when the node cannot be patched
  // where it is (the caller then replaces the enclosing entry).
  bool Diff(const yaml::Node& o, const yaml::Node& n) {
    if (o.Equals(n)) return true;
    if (!o.mark().known()) return false;
    if (o.IsScalar() && n.IsScalar()) return ReplaceScalar(o, n);
    if (o.IsMap() && n.IsMap()) return DiffMap(o, n);
    if (o.IsSeq() && n.IsSeq()) return DiffSeq(o, n);
    return false;
  }

  // Replaces the whole document that holds `o` (YAML) or the whole file (JSON).
  core::Status ReplaceDocument(const yaml::Node& o, const yaml::Node& n) {
    if (json_) {
      // Keep the file's indentation (kubectl writes 4 spaces, most tools 2).
      int indent = 2;
      for (size_t i = 1; i < starts_.size(); ++i) {
        std::string_view l = Line(i);
        int ind = Indent(l);
        if (ind > 0 && static_cast<size_t>(ind) < l.size()) {
          indent = ind;
          break;
        }
      }
      edits_.push_back({0, text_.size(), yaml::WriteJson(n, indent)});
      return core::Status::Ok();
    }
    size_t line = o.mark().line ? o.mark().line - 1 : 0;
    size_t first = line;
    while (first > 0 && !IsDocMarker(Line(first - 1))) --first;
    size_t last = line + 1;
    while (last < starts_.size() && !IsDocMarker(Line(last))) ++last;
    ASSIGN_OR_RETURN(std::string body, yaml::WriteYaml(n, style_));
    size_t end = last < starts_.size() ? starts_[last] : text_.size();
    edits_.push_back({starts_[first], end, body});
    return core::Status::Ok();
  }

 private:
  std::string_view Line(size_t i) const {
    size_t b = starts_[i];
    size_t e = i + 1 < starts_.size() ? starts_[i + 1] : text_.size();
    std::string_view v(text_.data() + b, e - b);
    if (!v.empty() && v.back() == '\n') v.remove_suffix(1);
    return v;
  }
  size_t LineEnd(size_t i) const { return i + 1 < starts_.size() ? starts_[i + 1] : text_.size(); }
  size_t Offset(yaml::Mark m) const {
    size_t line = m.line - 1;
    if (line >= starts_.size()) return text_.size();
    return std::min(text_.size(), starts_[line] + (m.column ? m.column - 1 : 0));
  }
  static int Indent(std::string_view line) {
    int n = 0;
    while (static_cast<size_t>(n) < line.size() && line[static_cast<size_t>(n)] == ' ') ++n;
    return n;
  }
  static bool BlankOrComment(std::string_view line) {
    size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    return i == line.size() || line[i] == '#';
  }
  // The end offset (after the newline) of the last content line of a block
  // that starts on line `first` (0-based). A later line belongs to the block
  // while it is indented more than `limit`, or exactly `limit` and starts
  // with '-' when `dash_at_limit` (a compact sequence under a key).
  size_t BlockEnd(size_t first, int limit, bool dash_at_limit) const {
    size_t last_content = first;
    for (size_t i = first + 1; i < starts_.size(); ++i) {
      std::string_view l = Line(i);
      if (i + 1 == starts_.size() && l.empty()) break;
      if (IsDocMarker(l)) break;
      if (BlankOrComment(l)) continue;
      int ind = Indent(l);
      bool inside = ind > limit || (dash_at_limit && ind == limit && l[static_cast<size_t>(ind)] == '-');
      if (!inside) break;
      last_content = i;
    }
    return LineEnd(last_content);
  }

  // End of a scalar token that starts at `off` on one line; npos when it
  // does not look like the scalar `text`.
  size_t ScalarEnd(size_t off, const yaml::Node& o) const {
    if (off >= text_.size()) return std::string::npos;
    char c = text_[off];
    if (c == '"' || c == '\'') {
      for (size_t i = off + 1; i < text_.size() && text_[i] != '\n'; ++i) {
        if (c == '"' && text_[i] == '\\') {
          ++i;
          continue;
        }
        if (text_[i] == c) {
          if (c == '\'' && i + 1 < text_.size() && text_[i + 1] == '\'') {
            ++i;
            continue;
          }
          return i + 1;
        }
      }
      return std::string::npos;
    }
    const std::string& t = o.IsNull() && o.text().empty() ? o.text() : o.text();
    if (t.empty() || text_.compare(off, t.size(), t) != 0) return std::string::npos;
    size_t end = off + t.size();
    if (end < text_.size()) {
      char after = text_[end];
      if (!(after == '\n' || after == '\r' || after == ' ' || after == '\t' || after == ',' || after == '}' ||
            after == ']'))
        return std::string::npos;
    }
    return end;
  }

  bool ReplaceScalar(const yaml::Node& o, const yaml::Node& n) {
    size_t off = Offset(o.mark());
    size_t end = ScalarEnd(off, o);
    if (end == std::string::npos) return false;
    std::string repl;
    if (json_) {
      repl = yaml::WriteJson(n, 0);
    } else {
      auto w = yaml::WriteYaml(n);
      if (!w.ok()) return false;
      repl = *w;
    }
    while (!repl.empty() && repl.back() == '\n') repl.pop_back();
    if (repl.find('\n') != std::string::npos) return false;
    edits_.push_back({off, end, repl});
    return true;
  }

  bool IsFlow(const yaml::Node& o) const {
    size_t off = Offset(o.mark());
    return off < text_.size() && (text_[off] == '{' || text_[off] == '[');
  }

  // Replaces `key: old` (block style) by `key: new`.
  bool ReplaceEntry(const yaml::Node& key, const yaml::Node& old_value, const yaml::Node& new_value) {
    // WriteYamlEntry writes the key as a string: a null, bool or number key
    // (`: x`, `1: x`) would come back as another key. Let the caller
    // replace the enclosing node, whose writer keeps key types.
    if (json_ || !key.mark().known() || !key.IsString()) return false;
    size_t off = Offset(key.mark());
    size_t line = key.mark().line - 1;
    int indent = static_cast<int>(key.mark().column) - 1;
    size_t end = BlockEnd(line, indent, old_value.IsSeq());
    auto entry = yaml::WriteYamlEntry(key.text(), new_value, indent, style_.indentless_sequences);
    if (!entry.ok()) return false;
    edits_.push_back({off, end, *entry});
    return true;
  }

  // Start of the line that holds `off`, when only blanks (and, with
  // `allow_dash`, a sequence dash) precede `off` on it; npos otherwise.
  size_t LineStartIfLeading(size_t off, bool allow_dash) const {
    size_t i = off;
    while (i > 0 && text_[i - 1] != '\n') {
      char c = text_[i - 1];
      if (c != ' ' && !(allow_dash && c == '-')) return std::string::npos;
      --i;
    }
    return i;
  }

  // Lines of `body` indented by `indent` spaces (empty lines stay empty).
  static std::string Indented(const std::string& body, int indent) {
    std::string out, pad(static_cast<size_t>(indent), ' ');
    size_t s = 0;
    while (s < body.size()) {
      size_t nl = body.find('\n', s);
      if (nl == std::string::npos) nl = body.size();
      std::string l = body.substr(s, nl - s);
      out += (l.empty() ? "" : pad) + l + "\n";
      s = nl + 1;
    }
    return out;
  }

  void Insert(size_t at, std::string add) {
    if (at > 0 && text_[at - 1] != '\n') add = "\n" + add;
    edits_.push_back({at, at, std::move(add)});
  }

  // Maps: common keys keep their order and are patched in place; keys that
  // are gone are deleted with their block; new keys go after the last line.
  bool DiffMap(const yaml::Node& o, const yaml::Node& n) {
    if (IsFlow(o) && !json_) return false;
    if (o.size() == 0) return false;
    std::vector<size_t> new_of_old(o.size(), SIZE_MAX);
    size_t last_common = 0;
    bool any_common = false;
    for (size_t i = 0; i < o.size(); ++i) {
      for (size_t j = 0; j < n.size(); ++j) {
        if (!n.KeyAt(j).Equals(o.KeyAt(i))) continue;
        if (any_common && j < last_common) return false;  // reordered
        new_of_old[i] = j;
        last_common = j;
        any_common = true;
        break;
      }
    }
    // New keys must all come after the last common key.
    std::vector<size_t> added;
    for (size_t j = 0; j < n.size(); ++j) {
      bool common = std::find(new_of_old.begin(), new_of_old.end(), j) != new_of_old.end();
      if (common) continue;
      if (any_common && j < last_common) return false;
      added.push_back(j);
    }
    if (json_ && (!added.empty() || std::count(new_of_old.begin(), new_of_old.end(), SIZE_MAX) > 0)) return false;
    int indent = static_cast<int>(o.mark().column) - 1;
    for (size_t i = 0; i < o.size(); ++i) {
      if (new_of_old[i] == SIZE_MAX) {
        // Delete `key: value`; only when the key starts its line.
        size_t begin = LineStartIfLeading(Offset(o.KeyAt(i).mark()), false);
        if (begin == std::string::npos) return false;
        edits_.push_back({begin, BlockEnd(o.KeyAt(i).mark().line - 1, indent, o.ValueAt(i).IsSeq()), ""});
        continue;
      }
      size_t saved = edits_.size();
      if (Diff(o.ValueAt(i), n.ValueAt(new_of_old[i]))) continue;
      edits_.resize(saved);
      if (!ReplaceEntry(o.KeyAt(i), o.ValueAt(i), n.ValueAt(new_of_old[i]))) return false;
    }
    if (added.empty()) return true;
    size_t last = o.size() - 1;
    size_t at = BlockEnd(o.KeyAt(last).mark().line - 1, indent, o.ValueAt(last).IsSeq());
    std::string add;
    for (size_t j : added) {
      if (!n.KeyAt(j).IsString()) return false;  // see ReplaceEntry
      auto entry = yaml::WriteYamlEntry(n.KeyAt(j).text(), n.ValueAt(j), indent, style_.indentless_sequences);
      if (!entry.ok()) return false;
      add += std::string(static_cast<size_t>(indent), ' ') + *entry;
    }
    Insert(at, std::move(add));
    return true;
  }

  // Sequences: an item of the new list that still has the position of an
  // old item is that item (patched in place); other new items are inserted
  // where they stand, old items without a successor are deleted.
  bool DiffSeq(const yaml::Node& o, const yaml::Node& n) {
    if (json_) {
      if (o.size() != n.size()) return false;
      for (size_t i = 0; i < o.size(); ++i)
        if (!Diff(o.at(i), n.at(i))) return false;
      return true;
    }
    if (IsFlow(o) || o.size() == 0) return false;
    std::vector<size_t> old_of_new(n.size(), SIZE_MAX);
    std::vector<bool> used(o.size(), false);
    size_t last = 0;
    bool any = false;
    for (size_t j = 0; j < n.size(); ++j) {
      yaml::Mark m = n.at(j).mark();
      if (!m.known()) continue;
      for (size_t i = 0; i < o.size(); ++i) {
        if (used[i] || o.at(i).mark().line != m.line || o.at(i).mark().column != m.column) continue;
        if (any && i < last) return false;
        used[i] = true;
        old_of_new[j] = i;
        last = i;
        any = true;
        break;
      }
    }
    // Items must start on their dash line: `- name: x`, `- x`.
    std::vector<size_t> item_begin(o.size());
    for (size_t i = 0; i < o.size(); ++i) {
      item_begin[i] = LineStartIfLeading(Offset(o.at(i).mark()), true);
      if (item_begin[i] == std::string::npos) return false;
      // Only this sequence's own dash may precede the item: in `- - x` the
      // line also starts an item of the outer sequence, and text inserted
      // at the line start would land in the outer one.
      if (std::count(text_.begin() + static_cast<std::ptrdiff_t>(item_begin[i]),
                     text_.begin() + static_cast<std::ptrdiff_t>(Offset(o.at(i).mark())), '-') != 1)
        return false;
    }
    size_t first = Offset(o.at(0).mark());
    // The item's own dash is before it (an item that is itself a compact
    // sequence, `- - x`, starts with a dash of its own).
    size_t dash = first > item_begin[0] ? first - 1 : first;
    while (dash > item_begin[0] && text_[dash] != '-') --dash;
    if (text_[dash] != '-') return false;
    int indent = static_cast<int>(dash - item_begin[0]);
    auto item_end = [&](size_t i) { return BlockEnd(o.at(i).mark().line - 1, indent, false); };

    for (size_t i = 0; i < o.size(); ++i)
      if (!used[i]) edits_.push_back({item_begin[i], item_end(i), ""});
    size_t j = 0;
    while (j < n.size()) {
      if (old_of_new[j] != SIZE_MAX) {
        if (!Diff(o.at(old_of_new[j]), n.at(j))) return false;
        ++j;
        continue;
      }
      // A run of new items, inserted before the next kept item or at the end.
      yaml::Node run = yaml::Node::Seq({});
      while (j < n.size() && old_of_new[j] == SIZE_MAX) run.Push(n.at(j++));
      size_t at = j < n.size() ? item_begin[old_of_new[j]] : item_end(o.size() - 1);
      auto body = yaml::WriteYaml(run, style_);
      if (!body.ok()) return false;
      Insert(at, Indented(*body, indent));
    }
    return true;
  }

  const std::string& text_;
  bool json_;
  yaml::WriteOptions style_;
  std::vector<size_t> starts_;
  std::vector<TextEdit> edits_;
};

}  // namespace

namespace {

// The patched text, from in-place edits or (`whole`) with every changed
// document re-written entire.
core::Result<std::string> Apply(const std::string& text, bool json, const std::vector<TreeChange>& changes,
                                const std::vector<const yaml::Node*>& appended, bool whole) {
  // Positions count every line break the YAML reader sees; the patcher
  // counts LF (CRLF included). A bare CR, NEL, LS or PS would shift every
  // position after it and put edits on the wrong lines: refuse.
  if (!changes.empty()) {
    size_t line = 1;
    for (size_t i = 0; i < text.size(); ++i) {
      const bool bare_cr = text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n');
      const bool unicode = text.compare(i, 2, "\xC2\x85") == 0 || text.compare(i, 3, "\xE2\x80\xA8") == 0 ||
                           text.compare(i, 3, "\xE2\x80\xA9") == 0;
      if (bare_cr || unicode)
        return core::DataError(fmt::format("{}:{}: {} as a line break cannot be patched in place; use LF or CRLF "
                                           "line endings", line, i - (text.rfind('\n', i) == std::string::npos
                                                                          ? 0 : text.rfind('\n', i) + 1) + 1,
                                           bare_cr ? "a CR without LF" : "a Unicode line separator (NEL, LS, PS)"));
      if (text[i] == '\n') ++line;
    }
  }
  Patcher p(text, json);
  for (const auto& c : changes) {
    size_t saved = p.edits().size();
    if (!whole && p.Diff(*c.before, *c.after)) continue;
    p.edits().resize(saved);
    RETURN_IF_ERROR(p.ReplaceDocument(*c.before, *c.after));
  }
  std::vector<TextEdit> edits = std::move(p.edits());
  // By start, and at one start a pure insertion before the range that
  // starts there: text added after an item's last line lands where the next
  // item begins, and that item may be the one being deleted (the insertion
  // is not inside the deletion and must not be swallowed by it).
  std::stable_sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) {
    if (a.begin != b.begin) return a.begin < b.begin;
    return (a.end == a.begin) && (b.end != b.begin);
  });
  // A whole-document or whole-file replacement swallows edits inside it.
  std::vector<TextEdit> merged;
  for (auto& e : edits) {
    if (!merged.empty() && e.begin < merged.back().end) {
      if (e.end <= merged.back().end && merged.back().end - merged.back().begin >= e.end - e.begin) continue;
      return core::Internal("overlapping text edits while patching a file");
    }
    merged.push_back(std::move(e));
  }
  std::string out;
  size_t pos = 0;
  for (const auto& e : merged) {
    out.append(text, pos, e.begin - pos);
    out += e.replacement;
    pos = e.end;
  }
  out.append(text, pos, std::string::npos);
  if (!appended.empty()) {
    if (json) return core::InvalidArgument("cannot add resources to a JSON file");
    yaml::WriteOptions style;
    style.indentless_sequences = yaml::UsesIndentlessSequences(text);
    if (!out.empty() && out.back() != '\n') out += '\n';
    // A file that already ends with a document separator (`---` as its last
    // line, common in generated manifests) gets no second one: that would
    // leave an empty document between the two.
    bool open_separator = false;
    {
      size_t end = out.find_last_not_of(" \t\r\n");
      if (end != std::string::npos) {
        size_t begin = out.rfind('\n', end);
        begin = begin == std::string::npos ? 0 : begin + 1;
        open_separator = out.compare(begin, end + 1 - begin, "---") == 0;
        if (open_separator) out.resize(end + 1), out += '\n';
      }
    }
    for (const auto* doc : appended) {
      ASSIGN_OR_RETURN(std::string body, yaml::WriteYaml(*doc, style));
      if (!out.empty() && !open_separator) out += "---\n";
      open_separator = false;
      out += body;
    }
  }
  return out;
}

// True when `out` reads back as `text` with exactly the changes applied:
// the same number of documents (plus the appended ones), each changed
// document equal to its new tree, every other one unchanged. This is what
// keeps a patch from ever writing a duplicate key, losing an edit or
// touching a neighbour, whatever the layout of the file.
bool ReadsBack(const std::string& text, const std::string& out, bool json, const std::vector<TreeChange>& changes,
               const std::vector<const yaml::Node*>& appended) {
  auto parse = [&](const std::string& t) {
    return json ? json::ParseJsonStream(t, "patched", {}) : yaml::ParseYamlStream(t, "patched", {});
  };
  auto before = parse(text);
  auto after = parse(out);
  if (!before.ok() || !after.ok() || after->size() != before->size() + appended.size()) return false;
  for (size_t k = 0; k < before->size(); ++k) {
    const yaml::Node& orig = (*before)[k].root;
    const yaml::Node* want = &orig;
    for (const auto& c : changes)
      if (c.before->mark().line == orig.mark().line && c.before->mark().column == orig.mark().column) want = c.after;
    if (!(*after)[k].root.Equals(*want)) return false;
  }
  for (size_t k = 0; k < appended.size(); ++k)
    if (!(*after)[before->size() + k].root.Equals(*appended[k])) return false;
  return true;
}

}  // namespace

core::Result<std::string> PatchText(const std::string& text, bool json, const std::vector<TreeChange>& changes,
                                    const std::vector<const yaml::Node*>& appended) {
  ASSIGN_OR_RETURN(std::string out, Apply(text, json, changes, appended, false));
  if (changes.empty() || ReadsBack(text, out, json, changes, appended)) return out;
  // The in-place edits do not read back as the change (a layout the
  // patcher misjudged): re-write the changed documents whole instead.
  ASSIGN_OR_RETURN(out, Apply(text, json, changes, appended, true));
  if (ReadsBack(text, out, json, changes, appended)) return out;
  uint32_t line = changes.front().before->mark().line;
  return core::DataError(fmt::format(
      "{}: this document cannot be patched safely: the changed text would not read back as the intended change "
      "(its layout confuses the patcher); change it by hand, or re-format it (e.g. with kubectl or yq) and retry",
      line ? std::to_string(line) : std::string("?")));
}

}  // namespace meshctl::canary
