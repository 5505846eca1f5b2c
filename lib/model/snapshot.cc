#include "lib/model/snapshot.h"

#include <cstdint>
#include <set>
#include <functional>
#include <stdexcept>

namespace meshctl::model {

std::string Snapshot::Key(const GroupKind& gk, std::string_view ns, std::string_view name) {
  // '\x1f' cannot appear in group, kind, namespace or name.
  std::string k;
  k.reserve(gk.group.size() + gk.kind.size() + ns.size() + name.size() + 3);
  k.append(gk.group).append(1, '\x1f').append(gk.kind).append(1, '\x1f').append(ns).append(1, '\x1f').append(name);
  return k;
}

namespace {

// The key of a lookup, built in a reused per-thread buffer: lookups are the
// analyzers' inner loops, and a fresh string per call was a malloc per call.
const std::string& LookupKey(const GroupKind& gk, std::string_view ns, std::string_view name) {
  thread_local std::string k;
  k.clear();
  k.append(gk.group).append(1, '\x1f').append(gk.kind).append(1, '\x1f').append(ns).append(1, '\x1f').append(name);
  return k;
}

}  // namespace

void Snapshot::AddDocument(std::unique_ptr<yaml::Document> doc, std::vector<Resource> resources) {
  docs_.push_back(std::move(doc));
  for (auto& r : resources) resources_.push_back(std::move(r));
}

void Snapshot::Reserve(size_t documents, size_t resources) {
  docs_.reserve(docs_.size() + documents);
  resources_.reserve(resources_.size() + resources);
}

namespace {

// Moves `from`'s items to the end of `to`; into an empty `to`, the whole array moves.
template <typename T>
void MoveAppend(std::vector<T>& to, std::vector<T>& from) {
  if (to.empty()) {
    to = std::move(from);
    return;
  }
  to.reserve(to.size() + from.size());
  for (auto& item : from) to.push_back(std::move(item));
}

}  // namespace

void Snapshot::KeepDocuments(std::vector<yaml::Document> docs) {
  if (!docs.empty()) doc_runs_.push_back(std::move(docs));
}

void Snapshot::Adopt(std::vector<std::vector<yaml::Document>> runs, std::vector<Resource> resources, size_t room) {
  MoveAppend(doc_runs_, runs);
  MoveAppend(resources_, resources);
  Reserve(room, room);
}

size_t Snapshot::NameHash(const GroupKind& gk, std::string_view ns, std::string_view name) {
  std::hash<std::string_view> hash;
  size_t h = hash(name);
  for (std::string_view part : {ns, gk.kind, gk.group}) h = (h ^ hash(part)) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 32);
}

size_t Snapshot::NameSlot(const GroupKind& gk, std::string_view ns, std::string_view name) const {
  const size_t mask = by_name_.size() - 1;
  for (size_t at = NameHash(gk, ns, name) & mask;; at = (at + 1) & mask) {
    uint32_t slot = by_name_[at];
    if (slot == kNoResource) return at;
    const Resource& r = resources_[slot];
    if (r.name == name && r.ns == ns && r.Is(gk)) return at;
  }
}

void Snapshot::Finalize() {
  by_kind_.clear();
  by_kind_ns_.clear();
  if (resources_.size() >= kNoResource) throw std::length_error("too many resources");
  size_t slots = 16;
  while (slots < 2 * resources_.size()) slots *= 2;
  by_name_.assign(slots, kNoResource);
  for (size_t i = 0; i < resources_.size(); ++i) {
    const Resource& r = resources_[i];
    GroupKind gk = r.gk();
    by_kind_[Key(gk, "", "")].push_back(&r);
    by_kind_ns_[Key(gk, r.ns, "")].push_back(&r);
    // The first definition wins; duplicates are reported by checks, not hidden here.
    uint32_t& slot = by_name_[NameSlot(gk, r.ns, r.name)];
    if (slot == kNoResource) slot = static_cast<uint32_t>(i);
  }
}

std::span<const Resource* const> Snapshot::OfKind(const GroupKind& gk) const {
  auto it = by_kind_.find(LookupKey(gk, "", ""));
  if (it == by_kind_.end()) return {};
  return it->second;
}

std::span<const Resource* const> Snapshot::OfKindIn(const GroupKind& gk, std::string_view ns) const {
  auto it = by_kind_ns_.find(LookupKey(gk, ns, ""));
  if (it == by_kind_ns_.end()) return {};
  return it->second;
}

const Resource* Snapshot::Find(const GroupKind& gk, std::string_view ns, std::string_view name) const {
  if (by_name_.empty()) return nullptr;
  uint32_t slot = by_name_[NameSlot(gk, ns, name)];
  return slot == kNoResource ? nullptr : &resources_[slot];
}

std::vector<std::string> Snapshot::Namespaces() const {
  std::set<std::string> s;
  for (const auto& r : resources_)
    if (!r.ns.empty()) s.insert(r.ns);
  return {s.begin(), s.end()};
}

}  // namespace meshctl::model
