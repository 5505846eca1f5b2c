// The canary text patcher (lib/canary/text_patch.cc): takes a manifest the
// loader accepts, applies 1-3 pseudo-random edits of the kinds canary makes
// (replace a value, add a key, remove a key, append or prepend a list item)
// to one document's tree, patches the text, and re-parses it. When PatchText
// succeeds, the patched document must load to exactly the edited tree and
// every other document must be unchanged.
#include <random>

#include "lib/canary/text_patch.h"
#include "lib/yaml/parser.h"
#include "tests/fuzz/fuzz_target.h"

using namespace meshctl;

namespace {

void Collect(yaml::Node& n, std::vector<yaml::Node*>& out) {
  out.push_back(&n);
  if (n.IsMap()) {
    for (size_t i = 0; i < n.size(); ++i) Collect(n.MutableValueAt(i), out);
  } else if (n.IsSeq()) {
    for (size_t i = 0; i < n.size(); ++i) Collect(n.mutable_at(i), out);
  }
}

yaml::Node Fresh(std::mt19937& rng) {
  // Values canary writes (weights, subset names, hosts) plus texts that
  // need quoting in YAML.
  static const char* kStrings[] = {"v2", "reviews.default.svc.cluster.local", "a: b", "#x", "", "yes", "1.0",
                                   "- item", "{x}", "multi\nline", " lead", "null", "*ref", "'q'"};
  switch (rng() % 4) {
    case 0:
      return yaml::Node::Scalar(yaml::NodeType::kInt, std::to_string(rng() % 1000), {});
    case 1:
      return yaml::Node::Scalar(yaml::NodeType::kBool, rng() % 2 ? "true" : "false", {});
    case 2: {
      yaml::Node m = yaml::Node::Map({});
      m.Append(yaml::Node::Scalar(yaml::NodeType::kString, "subset", {}),
               yaml::Node::Scalar(yaml::NodeType::kString, "v2", {}));
      return m;
    }
    default:
      return yaml::Node::Scalar(yaml::NodeType::kString, kStrings[rng() % std::size(kStrings)], {});
  }
}

}  // namespace

MESHCTL_FUZZ_TARGET(canary_text_patch) {
  if (data.size() > 64 * 1024) return;
  const std::string text(data);
  yaml::ParseLimits limits;
  limits.max_alias_nodes = 5'000;
  auto docs = yaml::ParseYamlStream(text, "fuzz.yaml", limits);
  if (!docs.ok() || docs->empty()) return;
  // Canary only edits resources: maps with apiVersion and kind.
  std::vector<size_t> objects;
  for (size_t d = 0; d < docs->size(); ++d)
    if ((*docs)[d].root.IsMap() && (*docs)[d].root.Get("kind")) objects.push_back(d);
  if (objects.empty()) return;

  std::seed_seq seq(text.begin(), text.end());
  std::mt19937 rng(seq);
  const size_t d = objects[rng() % objects.size()];
  yaml::Node after = (*docs)[d].root;
  for (int m = 0, edits = 1 + static_cast<int>(rng() % 3); m < edits; ++m) {
    std::vector<yaml::Node*> nodes;
    Collect(after, nodes);
    yaml::Node* target = nodes[rng() % nodes.size()];
    yaml::Node fresh = Fresh(rng);
    switch (rng() % 5) {
      case 0:
        if (target != &after) *target = fresh;
        break;
      case 1:
        if (target->IsMap()) target->Set("zz-added-" + std::to_string(m), fresh);
        break;
      case 2:
        if (target->IsSeq()) target->Push(fresh);
        break;
      case 3:
        if (target->IsMap() && target->size() > 1) target->Remove(target->KeyAt(rng() % target->size()).text());
        break;
      default:
        if (target->IsSeq()) target->mutable_children().insert(target->mutable_children().begin(), fresh);
    }
  }
  auto out = canary::PatchText(text, false, {{&(*docs)[d].root, &after}}, {});
  if (!out.ok()) return;
  auto again = yaml::ParseYamlStream(*out, "patched.yaml", limits);
  MESHCTL_FUZZ_CHECK(again.ok(), "patched text does not load: " + again.status().message() + "\n" + *out);
  MESHCTL_FUZZ_CHECK(again->size() == docs->size(), "patched text has another number of documents:\n" + *out);
  for (size_t k = 0; k < docs->size(); ++k)
    MESHCTL_FUZZ_CHECK((*again)[k].root.Equals(k == d ? after : (*docs)[k].root),
                       "document " + std::to_string(k) + " of the patched text is not the " +
                           (k == d ? "edited tree" : "original") + ":\n" + *out);
}
