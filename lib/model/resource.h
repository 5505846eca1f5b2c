// One loaded Kubernetes-style object: its identity (apiVersion, kind,
// namespace, name), typed accessors for metadata, the spec subtree, and
// where it came from (file and document start), so any field path can be
// turned into file:line:col.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "lib/model/kinds.h"
#include "lib/yaml/node.h"

namespace meshctl::model {

// A view of text that lives at least as long as the resource holding it: its
// tree's scalars (which stay until the tree goes), string literals, or KeepText's
// store. A temporary std::string would leave it dangling, so taking one does not
// compile. It reads as a std::string where one is wanted (a copy).
class TextView : public std::string_view {
 public:
  constexpr TextView() = default;
  constexpr TextView(const char* s) : std::string_view(s) {}
  constexpr TextView(std::string_view s) : std::string_view(s) {}
  TextView(const std::string& s) : std::string_view(s) {}
  TextView(std::string&&) = delete;

  operator std::string() const { return std::string(data(), size()); }

  friend std::string operator+(TextView a, TextView b) { return Join(a, b); }
  friend std::string operator+(TextView a, const char* b) { return Join(a, b); }
  friend std::string operator+(const char* a, TextView b) { return Join(a, b); }
  friend std::string operator+(TextView a, const std::string& b) { return Join(a, b); }
  friend std::string operator+(const std::string& a, TextView b) { return Join(a, b); }

 private:
  static std::string Join(std::string_view a, std::string_view b) {
    std::string out;
    out.reserve(a.size() + b.size());
    out.append(a).append(b);
    return out;
  }
};

// `text` copied into a store that lasts until the process exits (equal texts share
// one copy): for the few fields that do not come from a tree, such as a defaulted
// namespace or a file name.
std::string_view KeepText(std::string_view text);

// One Kubernetes object of a loaded mesh. It is a view of its document's tree:
// the node pointers and the identity fields point into it, so a resource is used
// only while its tree (its Snapshot) is alive.
struct Resource {
  TextView api_version;
  TextView group;
  TextView version;
  TextView kind;
  TextView name;
  TextView ns;  // after defaulting (see namespace_defaulted)
  TextView file;  // path as given, "-" for stdin, "" for a live object
  const KindInfo* info = nullptr;  // nullptr for kinds meshctl does not know

  const yaml::Node* root = nullptr;      // the whole object
  const yaml::Node* metadata = nullptr;  // nullptr when absent
  const yaml::Node* spec = nullptr;      // nullptr when absent

  yaml::Mark start;        // istioctl's document start line
  uint32_t doc_index = 0;  // document index in the file
  int list_index = -1;     // index in a `kind: List`, -1 otherwise
  bool namespace_defaulted = false;
  bool from_cluster = false;  // read from the API server (io::InputFile::from_cluster)

  GroupKind gk() const { return {group, kind}; }
  bool Is(const GroupKind& k) const { return group == k.group && kind == k.kind; }

  // Labels / annotations as written (non-string values are skipped).
  std::string_view Label(std::string_view key) const;
  bool HasLabel(std::string_view key) const;
  std::map<std::string, std::string> Labels() const;
  std::string_view Annotation(std::string_view key) const;
  bool HasAnnotation(std::string_view key) const;
  std::map<std::string, std::string> Annotations() const;

  // "Kind ns/name", or "Kind name" when the namespace is empty (istioctl's origin).
  std::string Origin() const;
  // "ns/name" or "name".
  std::string FullName() const;

  // Position of a field path rooted at the object (`spec.ports[0].port`);
  // the deepest existing ancestor when the path does not exist, the document
  // start when nothing matches.
  yaml::Mark Locate(std::string_view path) const;
  const yaml::Node* Find(std::string_view path) const { return root ? root->Find(path) : nullptr; }
};

}  // namespace meshctl::model
