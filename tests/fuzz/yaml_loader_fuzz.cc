// The YAML loader with positions (lib/yaml/parser.cc): any byte string either
// loads or is a DataError naming fuzz.yaml:line:col; every mark of a loaded
// tree lies inside the text; a loaded tree written back by lib/yaml/writer
// (what canary and the YAML outputs print) loads to the same tree.
#include "lib/core/status.h"
#include "lib/yaml/parser.h"
#include "lib/yaml/writer.h"
#include "tests/fuzz/fuzz_target.h"

namespace {

using meshctl::yaml::Node;

void CheckMarks(const Node& n, uint32_t max_line, int depth) {
  MESHCTL_FUZZ_CHECK(!n.mark().known() || n.mark().line <= max_line,
                     "mark line " + std::to_string(n.mark().line) + " past the last line " + std::to_string(max_line));
  MESHCTL_FUZZ_CHECK(depth <= 1024, "tree deeper than the parser's depth limit");
  if (n.IsMap()) MESHCTL_FUZZ_CHECK(n.children().size() % 2 == 0, "map with an odd number of children");
  for (const auto& c : n.children()) CheckMarks(c, max_line, depth + 1);
}

}  // namespace

MESHCTL_FUZZ_TARGET(yaml_loader) {
  meshctl::yaml::ParseLimits limits;
  limits.max_alias_nodes = 20'000;  // keeps each run short; the limit itself is what is tested
  auto docs = meshctl::yaml::ParseYamlStream(data, "fuzz.yaml", limits);
  if (!docs.ok()) {
    MESHCTL_FUZZ_CHECK(docs.status().code() == meshctl::core::StatusCode::kDataError,
                       "not a DataError: " + docs.status().message());
    MESHCTL_FUZZ_CHECK(docs.status().message().rfind("fuzz.yaml:", 0) == 0,
                       "message does not name the file: " + docs.status().message());
    return;
  }
  const uint32_t max_line = meshctl::fuzz::MaxLines(data);
  std::vector<const Node*> roots;
  for (const auto& d : *docs) {
    CheckMarks(d.root, max_line, 0);
    MESHCTL_FUZZ_CHECK(d.root.Equals(d.root), "a tree differs from itself");
    roots.push_back(&d.root);
  }
  // Round trip through the writer. Empty documents are dropped by the
  // loader, so only non-empty streams are compared.
  auto text = meshctl::yaml::WriteYamlStream(roots);
  if (!text.ok()) return;
  auto again = meshctl::yaml::ParseYamlStream(*text, "written.yaml", limits);
  MESHCTL_FUZZ_CHECK(again.ok(), "written YAML does not load: " + again.status().message() + "\n" + *text);
  MESHCTL_FUZZ_CHECK(again->size() == docs->size(), "written YAML has another number of documents:\n" + *text);
  for (size_t i = 0; i < docs->size(); ++i)
    MESHCTL_FUZZ_CHECK((*again)[i].root.Equals((*docs)[i].root), "written YAML loads to another tree:\n" + *text);
}
