#include "lib/canary/server_fields.h"

#include "lib/json/parser.h"

namespace meshctl::canary {

yaml::Node WithoutServerFields(yaml::Node object) {
  if (!object.IsMap()) return object;
  object.Remove("status");
  if (yaml::Node* items = object.GetMutable("items"); items && items->IsSeq()) {
    for (size_t i = 0; i < items->size(); ++i) items->mutable_at(i) = WithoutServerFields(items->at(i));
  }
  yaml::Node* meta = object.GetMutable("metadata");
  if (!meta || !meta->IsMap()) return object;
  for (const char* k : {"resourceVersion", "uid", "creationTimestamp", "generation", "selfLink", "managedFields"})
    meta->Remove(k);
  if (yaml::Node* ann = meta->GetMutable("annotations"); ann && ann->IsMap()) {
    ann->Remove("kubectl.kubernetes.io/last-applied-configuration");
    if (ann->size() == 0) meta->Remove("annotations");
  }
  return object;
}

std::vector<std::string> DropDataFiles(io::InputSet& inputs) {
  std::vector<std::string> notes;
  auto is_data = [](const io::InputFile& f) {
    if (f.from_cluster || f.path.size() < 5 || f.path.compare(f.path.size() - 5, 5, ".json") != 0) return false;
    auto docs = json::ParseJsonStream(f.content, f.path, {});
    if (!docs.ok() || docs->empty()) return false;
    for (const auto& d : *docs) {
      const yaml::Node& root = d.root;
      if (!root.IsMap()) {
        if (!root.IsSeq()) return false;  // a bare scalar: let the loader say what it is
        continue;                         // a JSON array is data, never an object
      }
      if (root.Get("apiVersion") || root.Get("kind")) return false;
    }
    return true;
  };
  std::vector<io::InputFile> kept;
  for (auto& f : inputs.files) {
    if (is_data(f)) {
      notes.push_back("skipping " + f.path + ": not a Kubernetes manifest (its JSON has no apiVersion or kind)");
      continue;
    }
    kept.push_back(std::move(f));
  }
  inputs.files = std::move(kept);
  return notes;
}

}  // namespace meshctl::canary
