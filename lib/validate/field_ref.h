// FieldRef: a node of a resource's spec together with its field path, the
// way Istio's jsonpb decoder sees it. Semantic validators walk specs with it
// so every finding carries the exact path of the field it is about.
//
// Lookups follow jsonpb: a field is found under its JSON name (lowerCamel)
// or its proto name (snake_case); a `null` value counts as absent. Typed
// reads never fail: a value of the wrong type reads as "unset" because the
// strict decoder already reports type errors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "lib/model/resource.h"
#include "lib/yaml/node.h"

namespace meshctl::validate {

class FieldRef {
 public:
  FieldRef() = default;
  FieldRef(const yaml::Node* node, std::string path) : node_(node), path_(std::move(path)) {}
  // The resource's `spec` (absent when the resource has none).
  static FieldRef Spec(const model::Resource& r) { return FieldRef(r.spec, "spec"); }

  const yaml::Node* node() const { return node_; }
  const std::string& path() const { return path_; }
  // Written and not `null`.
  bool present() const { return node_ != nullptr && !node_->IsNull(); }
  // Written as an explicit `null` (jsonpb: same as absent, but a null list
  // element is a nil message in Go).
  bool is_null() const { return node_ != nullptr && node_->IsNull(); }
  bool IsMap() const { return node_ != nullptr && node_->IsMap(); }
  bool IsSeq() const { return node_ != nullptr && node_->IsSeq(); }

  // Message field by JSON name; the snake_case proto name is tried too.
  FieldRef operator[](std::string_view json_name) const;
  // Sequence item.
  FieldRef At(size_t i) const;
  // Items of a sequence / entries of a map; 0 for anything else.
  size_t size() const;
  // Map entry i: key text and value (path `<path>.key` or `<path>['k.e.y']`).
  std::string KeyAt(size_t i) const;
  FieldRef ValueAt(size_t i) const;

  // String value ("" when absent or not a string).
  std::string Str() const;
  // Integer, also from a quoted decimal as jsonpb accepts ("80").
  std::optional<int64_t> Int() const;
  // Number (ints too), also from a quoted number.
  std::optional<double> Number() const;
  bool Bool() const;
  // Enum value: the index of the name in `names_by_number` or the integer
  // written; `dflt` when absent; -1 for an unknown name.
  int Enum(std::span<const std::string_view> names_by_number, int dflt = 0) const;
  int Enum(std::initializer_list<std::string_view> names_by_number, int dflt = 0) const {
    return Enum(std::span<const std::string_view>(names_by_number.begin(), names_by_number.size()), dflt);
  }
  // Repeated/map field holding at least one element (jsonpb: `[]` is nil).
  bool NonEmpty() const { return size() > 0; }

 private:
  const yaml::Node* node_ = nullptr;
  std::string path_;
};

// The node when present (not absent, not null), else nullptr: for the
// node-based helpers of helpers.h.
inline const yaml::Node* Present(const FieldRef& f) { return f.present() ? f.node() : nullptr; }

// "matchLabels" -> "match_labels".
std::string SnakeCase(std::string_view json_name);
// Appends a map key to a path, quoting keys that are not plain identifiers.
std::string AppendKey(std::string_view path, std::string_view key);

}  // namespace meshctl::validate
