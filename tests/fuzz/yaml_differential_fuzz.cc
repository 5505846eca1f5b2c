// Differential target: the tree lib/yaml builds from libyaml events must
// equal what yaml-cpp reads, for every input both accept.
//
// What is compared: document count, node kinds, map entries in order (keys
// included), sequence items, scalar texts, and for plain scalars the type
// lib/yaml resolved against the type the same spelling resolves to.
// Exclusions, each because the two libraries legitimately differ:
//  - inputs containing "<<": lib/yaml applies merge keys (go-yaml v2 does),
//    yaml-cpp keeps `<<` as an ordinary key;
//  - nodes with an explicit tag (`!!str 5`, `!foo x`): lib/yaml resolves
//    them as go-yaml v2 does (a `!!str` int is a string, unknown tags are
//    kept as plain scalars), yaml-cpp only records the tag;
//  - documents whose root is an empty scalar (`--- !!foo` with nothing
//    after it): lib/yaml types it by the tag (a string "" for an unknown
//    one), yaml-cpp gives a tagged Null or no document, so empty-scalar roots
//    are left out on both sides (found by this target);
//  - documents whose root is null: lib/yaml drops empty documents, yaml-cpp
//    returns a Null node for each, so null documents are removed on both sides;
//  - booleans: lib/yaml stores "true"/"false" whatever the spelling
//    (YAML 1.1 `yes`, `On`...), so the yaml-cpp spelling is mapped to its
//    go-yaml v2 value before comparing.
//  - inputs containing NEL (U+0085), LS (U+2028) or PS (U+2029): YAML 1.1
//    (libyaml, go-yaml v2) counts them as line breaks, YAML 1.2 (yaml-cpp)
//    as ordinary characters, so `a: 1<LS>` is int 1 here and the string
//    "1<LS>" there (found by this target);
//  - anchors and aliases directly followed by one of `:?%@`` (`&a: x`):
//    libyaml (YAML 1.1) ends the name there (anchor `a` on an empty key),
//    yaml-cpp (YAML 1.2) takes the character into the name (found by this
//    target);
//  - a bare CR (not followed by LF): a line break to YAML and libyaml, but
//    yaml-cpp does not end a comment at it (`# x<CR>a: 1` is one comment
//    there), found by this target;
//  - a byte order mark after the start of the stream: libyaml (and go-yaml
//    v2, its port) skips a BOM at the start of any line, yaml-cpp reads it
//    as a character of the text (`\n<BOM>` is no document here and the
//    string "\ufeff" there), found by this target;
//  - the escapes `\N` (NEL) and `\_` (no-break space) of double-quoted
//    scalars: yaml-cpp 0.7 writes them as the single bytes 0x85 and 0xA0
//    (Latin-1, not UTF-8), libyaml as U+0085 and U+00A0 (found by this
//    target; a yaml-cpp bug);
//  - a stream where yaml-cpp returns more documents than it has `---`/`...`
//    markers plus one: yaml-cpp ends an anchored root scalar at a line less
//    indented than the scalar (` &a x\n)`) and starts a second document
//    with no marker, which YAML does not allow; libyaml reads one scalar
//    `x )`, as yaml-cpp does without the anchor (found by this target);
//  - '\r' inside scalar texts: libyaml folds CR and CRLF breaks in scalars
//    to '\n' as YAML 1.1 asks; scalar texts are compared with '\r' removed
//    on both sides rather than relying on yaml-cpp doing the same.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

#include "lib/yaml/parser.h"
#include "tests/fuzz/fuzz_target.h"

using namespace meshctl;

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

std::string NoCr(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '\r'), s.end());
  return s;
}

std::string Where(const yaml::Node& ours) {
  return " at " + std::to_string(ours.mark().line) + ":" + std::to_string(ours.mark().column);
}

void Compare(const yaml::Node& ours, const YAML::Node& theirs, int depth) {
  const std::string& tag = theirs.Tag();
  if (tag != "?" && tag != "!" && !tag.empty()) return;  // explicit tag: excluded, see above
  switch (theirs.Type()) {
    case YAML::NodeType::Null:
      MESHCTL_FUZZ_CHECK(ours.IsNull(), "yaml-cpp null, lib/yaml " + std::string(yaml::NodeTypeName(ours.type())) +
                                            " '" + ours.text() + "'" + Where(ours));
      return;
    case YAML::NodeType::Scalar: {
      const std::string text = theirs.Scalar();
      if (tag == "!") {
        MESHCTL_FUZZ_CHECK(ours.IsString(), "quoted scalar not a string" + Where(ours));
        MESHCTL_FUZZ_CHECK(NoCr(ours.text()) == NoCr(text), "'" + ours.text() + "' vs yaml-cpp '" + text + "'" + Where(ours));
        return;
      }
      yaml::NodeType want = yaml::ResolvePlainScalar(text);
      MESHCTL_FUZZ_CHECK(ours.type() == want, "plain '" + text + "' resolves to " +
                                                  std::string(yaml::NodeTypeName(want)) + ", lib/yaml has " +
                                                  std::string(yaml::NodeTypeName(ours.type())) + Where(ours));
      if (want == yaml::NodeType::kBool) {
        std::string l = Lower(text);
        bool value = l == "y" || l == "yes" || l == "true" || l == "on";
        MESHCTL_FUZZ_CHECK(ours.AsBool() == value, "bool '" + text + "'" + Where(ours));
      } else if (want != yaml::NodeType::kNull) {
        MESHCTL_FUZZ_CHECK(NoCr(ours.text()) == NoCr(text), "'" + ours.text() + "' vs yaml-cpp '" + text + "'" + Where(ours));
      }
      return;
    }
    case YAML::NodeType::Sequence: {
      MESHCTL_FUZZ_CHECK(ours.IsSeq(), "yaml-cpp sequence, lib/yaml " + std::string(yaml::NodeTypeName(ours.type())) + Where(ours));
      MESHCTL_FUZZ_CHECK(ours.size() == theirs.size(), "sequence sizes differ" + Where(ours));
      size_t i = 0;
      for (const auto& item : theirs) Compare(ours.at(i++), item, depth + 1);
      return;
    }
    case YAML::NodeType::Map: {
      MESHCTL_FUZZ_CHECK(ours.IsMap(), "yaml-cpp map, lib/yaml " + std::string(yaml::NodeTypeName(ours.type())) + Where(ours));
      MESHCTL_FUZZ_CHECK(ours.size() == theirs.size(), "map sizes differ" + Where(ours));
      size_t i = 0;
      for (const auto& kv : theirs) {
        Compare(ours.KeyAt(i), kv.first, depth + 1);
        Compare(ours.ValueAt(i), kv.second, depth + 1);
        ++i;
      }
      return;
    }
    default:
      return;
  }
}

}  // namespace

MESHCTL_FUZZ_TARGET(yaml_differential) {
  if (data.size() > 64 * 1024 || data.find("<<") != std::string_view::npos) return;
  // Explicit tags: excluded (see above). yaml-cpp's handling of unknown
  // tags even changes the document count (`--- !!x a\n b` is two documents
  // there), so any input that may hold a tag is skipped (found by this target).
  if (data.find('!') != std::string_view::npos) return;
  if (data.find("\xC2\x85") != std::string_view::npos || data.find("\xE2\x80\xA8") != std::string_view::npos ||
      data.find("\xE2\x80\xA9") != std::string_view::npos)
    return;  // YAML 1.1 line breaks, see above
  if (data.find("\xEF\xBB\xBF", 1) != std::string_view::npos) return;  // a BOM, see above
  if (data.find("\\N") != std::string_view::npos || data.find("\\_") != std::string_view::npos)
    return;  // yaml-cpp's Latin-1 escapes, see above
  for (size_t i = 0; i < data.size(); ++i)
    if (data[i] == '\r' && (i + 1 == data.size() || data[i + 1] != '\n')) return;  // a bare CR, see above
  for (size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '&' && data[i] != '*') continue;
    size_t j = i + 1;
    while (j < data.size() && (std::isalnum(static_cast<unsigned char>(data[j])) || data[j] == '-' || data[j] == '_')) ++j;
    if (j > i + 1 && j < data.size() && std::string_view(":?%@`").find(data[j]) != std::string_view::npos)
      return;  // anchor names end differently, see above
  }
  yaml::ParseLimits limits;
  limits.max_alias_nodes = 20'000;
  limits.max_depth = 200;  // yaml-cpp recurses per level; keep its stack use small
  auto ours = yaml::ParseYamlStream(data, "fuzz.yaml", limits);
  if (!ours.ok()) return;  // only inputs both accept are compared
  std::vector<YAML::Node> theirs;
  try {
    theirs = YAML::LoadAll(std::string(data));
  } catch (const YAML::Exception&) {
    return;
  }
  size_t markers = 0;  // lines that start with a document marker
  for (size_t i = 0; i < data.size();) {
    if (data.substr(i, 3) == "---" || data.substr(i, 3) == "...") ++markers;
    size_t nl = data.find('\n', i);
    if (nl == std::string_view::npos) break;
    i = nl + 1;
  }
  if (theirs.size() > markers + 1) return;  // a document without a marker, see above
  std::vector<const yaml::Node*> a;
  // Roots that are null or an empty scalar are left out on both sides (see
  // above: a tagged empty root is "" here and a tagged Null, or no document
  // at all, in yaml-cpp).
  for (const auto& d : *ours)
    if (!d.root.IsNull() && !(d.root.IsScalar() && d.root.text().empty())) a.push_back(&d.root);
  std::vector<const YAML::Node*> b;
  for (const auto& d : theirs)
    if (!d.IsNull() && !(d.IsScalar() && d.Scalar().empty())) b.push_back(&d);
  MESHCTL_FUZZ_CHECK(a.size() == b.size(), "lib/yaml has " + std::to_string(a.size()) + " non-empty documents, yaml-cpp " +
                                                std::to_string(b.size()));
  for (size_t i = 0; i < a.size(); ++i) Compare(*a[i], *b[i], 0);
}
