// Shared by tests/lib/yaml/block_scanner_test.cc and the yaml_block_scanner
// fuzz target: the events a source delivers, written one per line with
// what the tree builder reads of them, and a tree comparison that includes
// positions.
#pragma once

#include <string>
#include <vector>

#include <fmt/format.h>

#include "lib/yaml/events.h"
#include "lib/yaml/parser.h"

namespace meshctl::testing {

class EventRecorder final : public yaml::events::Sink {
 public:
  core::Status OnEvent(const yaml::events::Event& e) override {
    using yaml::events::Kind;
    switch (e.kind) {
      case Kind::kStreamEnd: lines.push_back("STREAM-END"); break;
      case Kind::kDocumentStart: lines.push_back("DOC+"); break;
      case Kind::kDocumentEnd: lines.push_back(fmt::format("DOC- end_line={}", e.end_line)); break;
      case Kind::kScalar:
        lines.push_back(fmt::format("SCALAR {}:{} plain={} implicit={} tag=[{}] anchor=[{}] [{}]", e.line, e.column,
                                    e.plain, e.plain_implicit, e.tag, e.anchor, e.value));
        break;
      case Kind::kSequenceStart:
      case Kind::kMappingStart:
        lines.push_back(fmt::format("{} {}:{} tag=[{}] anchor=[{}]", e.kind == Kind::kMappingStart ? "MAP+" : "SEQ+",
                                    e.line, e.column, e.tag, e.anchor));
        break;
      case Kind::kSequenceEnd: lines.push_back("SEQ-"); break;
      case Kind::kMappingEnd: lines.push_back("MAP-"); break;
      case Kind::kAlias: lines.push_back(fmt::format("ALIAS {}:{} [{}]", e.line, e.column, e.anchor)); break;
    }
    return core::Status::Ok();
  }
  core::Status OnParseError(size_t line, size_t column, std::string problem) override {
    error = fmt::format("{}:{}: {}", line, column, problem);
    return core::DataError(error);
  }

  std::vector<std::string> lines;
  std::string error;  // libyaml's parse error, if any
};

// "" when the two event lists are equal, else the first difference.
inline std::string FirstEventDifference(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (size_t i = 0; i < a.size() || i < b.size(); ++i) {
    const std::string& x = i < a.size() ? a[i] : "(end)";
    const std::string& y = i < b.size() ? b[i] : "(end)";
    if (x != y) return fmt::format("event {}: block scanner `{}`, libyaml `{}`", i, x, y);
  }
  return "";
}

// "" when the trees are equal including every node's position, else where
// they first differ.
inline std::string FirstTreeDifference(const yaml::Node& a, const yaml::Node& b, const std::string& path = "") {
  if (a.type() != b.type() || a.text() != b.text() || a.mark().line != b.mark().line ||
      a.mark().column != b.mark().column || a.children().size() != b.children().size())
    return fmt::format("at {}: {} `{}` {}:{} vs {} `{}` {}:{}", path.empty() ? "root" : path,
                       yaml::NodeTypeName(a.type()), a.text(), a.mark().line, a.mark().column,
                       yaml::NodeTypeName(b.type()), b.text(), b.mark().line, b.mark().column);
  for (size_t i = 0; i < a.children().size(); ++i) {
    std::string d = FirstTreeDifference(a.children()[i], b.children()[i], fmt::format("{}/{}", path, i));
    if (!d.empty()) return d;
  }
  return "";
}

// "" when ParseYamlStream gives the same result with and without the block
// scanner: the same error message, or the same documents (index, start,
// tree with positions).
inline std::string ScannerParity(std::string_view text, yaml::ParseLimits limits = {}) {
  limits.block_scanner = true;
  auto fast = yaml::ParseYamlStream(text, "in.yaml", limits);
  limits.block_scanner = false;
  auto slow = yaml::ParseYamlStream(text, "in.yaml", limits);
  if (fast.ok() != slow.ok() || (!fast.ok() && fast.status().message() != slow.status().message()))
    return fmt::format("results differ: `{}` vs `{}`", fast.ok() ? "ok" : fast.status().message(),
                       slow.ok() ? "ok" : slow.status().message());
  if (!fast.ok()) return "";
  if (fast->size() != slow->size()) return fmt::format("{} documents vs {}", fast->size(), slow->size());
  for (size_t i = 0; i < fast->size(); ++i) {
    const auto& x = (*fast)[i];
    const auto& y = (*slow)[i];
    if (x.index != y.index || x.start.line != y.start.line || x.start.column != y.start.column)
      return fmt::format("document {}: index/start {} {}:{} vs {} {}:{}", i, x.index, x.start.line, x.start.column,
                         y.index, y.start.line, y.start.column);
    std::string d = FirstTreeDifference(x.root, y.root);
    if (!d.empty()) return fmt::format("document {}: {}", i, d);
  }
  return "";
}

}  // namespace meshctl::testing
