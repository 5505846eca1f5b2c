// Every resource loaded for one run, owned together with the parsed
// documents they point into, and indexed so that checks stay linear in the
// number of resources: by kind, by kind+namespace, by kind+namespace+name.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "lib/model/resource.h"
#include "lib/yaml/parser.h"

namespace meshctl::model {

class Snapshot {
 public:
  Snapshot() = default;
  Snapshot(Snapshot&&) = default;
  Snapshot& operator=(Snapshot&&) = default;

  // Adds a parsed document (and the resources found in it). The snapshot
  // keeps the document alive; resources must point into it.
  void AddDocument(std::unique_ptr<yaml::Document> doc, std::vector<Resource> resources);
  // Room for this many more documents and resources: loading a mesh of 20k
  // objects then holds one exact array instead of a doubled one (and the
  // copy made while it grew) at its peak.
  void Reserve(size_t documents, size_t resources);
  // Keeps a file's documents alive in the one array the parser returned them in,
  // instead of one allocation per document; resources added with AddResource or
  // Adopt may point into them (the array is never resized: they do not move).
  void KeepDocuments(std::vector<yaml::Document> docs);
  void AddResource(Resource r) { resources_.push_back(std::move(r)); }
  // Takes documents (runs, as KeepDocuments keeps them) and their resources whole, with
  // room for `room` more documents and resources. On an empty snapshot the resource
  // array moves in instead of being copied, so a large load never holds it twice.
  void Adopt(std::vector<std::vector<yaml::Document>> runs, std::vector<Resource> resources, size_t room);
  // Builds the indexes; call once after the last AddDocument.
  void Finalize();

  const std::vector<Resource>& resources() const { return resources_; }
  size_t size() const { return resources_.size(); }

  // All resources of a kind, in load order.
  std::span<const Resource* const> OfKind(const GroupKind& gk) const;
  // Resources of a kind in one namespace, in load order.
  std::span<const Resource* const> OfKindIn(const GroupKind& gk, std::string_view ns) const;
  const Resource* Find(const GroupKind& gk, std::string_view ns, std::string_view name) const;
  // Namespaces that hold at least one resource, sorted.
  std::vector<std::string> Namespaces() const;

 private:
  static std::string Key(const GroupKind& gk, std::string_view ns, std::string_view name);
  static size_t NameHash(const GroupKind& gk, std::string_view ns, std::string_view name);
  // The slot of by_name_ that holds this resource, else the empty slot where it would go.
  size_t NameSlot(const GroupKind& gk, std::string_view ns, std::string_view name) const;

  std::vector<std::unique_ptr<yaml::Document>> docs_;
  std::vector<std::vector<yaml::Document>> doc_runs_;
  std::vector<Resource> resources_;
  std::unordered_map<std::string, std::vector<const Resource*>> by_kind_;     // Key(gk, "", "")
  std::unordered_map<std::string, std::vector<const Resource*>> by_kind_ns_;  // Key(gk, ns, "")
  // By kind, namespace and name: open addressing (linear probing, at most half full)
  // over indexes into resources_, hashed from the fields themselves. 4 bytes a slot;
  // a map of key strings was ~130 bytes a resource, 6 MB of the 50k peak.
  std::vector<uint32_t> by_name_;
  static constexpr uint32_t kNoResource = UINT32_MAX;
};

}  // namespace meshctl::model
