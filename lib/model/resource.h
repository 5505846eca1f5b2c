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

struct Resource {
  std::string api_version;
  std::string group;
  std::string version;
  std::string kind;
  std::string name;
  std::string ns;               // after defaulting (see namespace_defaulted)
  bool namespace_defaulted = false;
  const KindInfo* info = nullptr;  // nullptr for kinds meshctl does not know

  const yaml::Node* root = nullptr;      // the whole object
  const yaml::Node* metadata = nullptr;  // nullptr when absent
  const yaml::Node* spec = nullptr;      // nullptr when absent

  std::string file;        // path as given, "-" for stdin, "" for a live object
  bool from_cluster = false;  // read from the API server (io::InputFile::from_cluster)
  yaml::Mark start;        // istioctl's document start line
  uint32_t doc_index = 0;  // document index in the file
  int list_index = -1;     // index in a `kind: List`, -1 otherwise

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
