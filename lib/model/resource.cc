#include "lib/model/resource.h"

#include <mutex>
#include <set>

namespace meshctl::model {

std::string_view KeepText(std::string_view text) {
  if (const std::string* pooled = yaml::InternText(text)) return *pooled;
  // The text pools are full: keep it here instead (set nodes do not move).
  static std::mutex mu;
  static auto* kept = new std::set<std::string, std::less<>>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = kept->find(text);
  if (it == kept->end()) it = kept->emplace(text).first;
  return *it;
}

namespace {

const yaml::Node* MetaMap(const yaml::Node* metadata, std::string_view field) {
  if (!metadata) return nullptr;
  const yaml::Node* m = metadata->Get(field);
  return (m && m->IsMap()) ? m : nullptr;
}

std::map<std::string, std::string> StringMap(const yaml::Node* m) {
  std::map<std::string, std::string> out;
  if (!m) return out;
  for (size_t i = 0; i < m->size(); ++i) {
    const auto& v = m->ValueAt(i);
    if (v.IsScalar() && !v.IsNull()) out.emplace(m->KeyAt(i).text(), v.ToScalarString());
  }
  return out;
}

std::string_view MapValue(const yaml::Node* m, std::string_view key) {
  if (!m) return {};
  const yaml::Node* v = m->Get(key);
  if (!v || !v->IsScalar() || v->IsNull()) return {};
  return v->text();
}

}  // namespace

std::string_view Resource::Label(std::string_view key) const { return MapValue(MetaMap(metadata, "labels"), key); }
bool Resource::HasLabel(std::string_view key) const {
  auto* m = MetaMap(metadata, "labels");
  return m && m->Get(key);
}
std::map<std::string, std::string> Resource::Labels() const { return StringMap(MetaMap(metadata, "labels")); }
std::string_view Resource::Annotation(std::string_view key) const {
  return MapValue(MetaMap(metadata, "annotations"), key);
}
bool Resource::HasAnnotation(std::string_view key) const {
  auto* m = MetaMap(metadata, "annotations");
  return m && m->Get(key);
}
std::map<std::string, std::string> Resource::Annotations() const {
  return StringMap(MetaMap(metadata, "annotations"));
}

std::string Resource::FullName() const { return ns.empty() ? std::string(name) : ns + "/" + name; }
std::string Resource::Origin() const { return kind + " " + FullName(); }

yaml::Mark Resource::Locate(std::string_view path) const {
  if (!root) return start;
  yaml::Mark m = root->Locate(path);
  return m.known() ? m : start;
}

}  // namespace meshctl::model
