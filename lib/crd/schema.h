// A CRD's OpenAPI v3 schema (`openAPIV3Schema`), compiled once into a tree
// that validation walks without looking anything up by string twice:
// properties are sorted for binary search, patterns are compiled RE2
// programs (the apiserver evaluates `pattern` with Go's regexp, which is RE2
// syntax and linear time), CEL rules are parsed once.
//
// To support a new schema keyword: add a member here, read it in
// CompileSchema (schema.cc, rejecting malformed values with a position) and
// check it in SchemaValidator (schema_validator.cc).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/crd/cel.h"
#include "lib/yaml/node.h"

namespace meshctl::crd {

// A compiled `pattern` (RE2); defined in schema.cc so RE2 stays out of headers.
class Pattern;

// One `x-kubernetes-validations` entry.
struct CelRule {
  std::string rule;                 // the CEL source
  std::string message;              // `message`, "" when absent
  bool has_message_expression = false;
  std::string field_path;           // `fieldPath` (".foo.bar"), "" when absent
  std::string reason;               // `reason`, "" when absent
  bool uses_old_self = false;       // transition rule: never runs on create
  std::unique_ptr<CelProgram> program;  // nullptr when outside the evaluated subset
  std::string unsupported;          // why `program` is null
};

struct Schema {
  enum class Type : uint8_t { kAny, kObject, kArray, kString, kInteger, kNumber, kBoolean };
  enum class Additional : uint8_t { kUnset, kFalse, kTrue, kSchema };
  enum class ListType : uint8_t { kAtomic, kSet, kMap };

  Schema();
  ~Schema();
  Schema(Schema&&) noexcept;
  Schema& operator=(Schema&&) noexcept;

  Type type = Type::kAny;
  bool nullable = false;
  bool preserve_unknown_fields = false;
  bool int_or_string = false;
  bool embedded_resource = false;
  std::string format;

  std::optional<double> minimum, maximum, multiple_of;
  bool exclusive_minimum = false, exclusive_maximum = false;
  std::optional<int64_t> min_length, max_length, min_items, max_items, min_properties, max_properties;
  bool unique_items = false;

  std::string pattern_text;
  std::unique_ptr<Pattern> pattern;

  std::vector<yaml::Node> enum_values;  // copies: the CRD document may go away
  std::optional<yaml::Node> default_value;  // `default`, applied before validation
  bool has_defaults = false;  // this schema or one below it (properties, items, additionalProperties) has a default
  std::vector<std::string> required;

  // Sorted by name.
  std::vector<std::pair<std::string, std::unique_ptr<Schema>>> properties;
  Additional additional = Additional::kUnset;
  std::unique_ptr<Schema> additional_schema;
  std::unique_ptr<Schema> items;

  std::vector<std::unique_ptr<Schema>> all_of, any_of, one_of;
  std::unique_ptr<Schema> not_schema;

  ListType list_type = ListType::kAtomic;
  std::vector<std::string> list_map_keys;

  std::vector<CelRule> validations;

  const Schema* Property(std::string_view name) const;
  // Number of CEL rules in this subtree (`rules`) and how many of them the
  // evaluator cannot run (`unsupported`); transition rules are not counted.
  void CountRules(size_t& rules, size_t& unsupported) const;
};

// "object", "array", "string", "integer", "number", "boolean", "" for kAny.
std::string_view TypeName(Schema::Type t);

// Compiles `node` (an openAPIV3Schema value). `file` names the CRD's file in
// errors: "file:line:col: <what is wrong>".
core::Result<std::unique_ptr<Schema>> CompileSchema(const yaml::Node& node, const std::string& file);

// Applies the schema's defaults to `object` as kube-apiserver does on create
// before validating: an absent property (or a null one that is not
// nullable) with a default gets a copy of it, recursively through
// properties, additionalProperties and items. Inserted nodes carry the
// position of the object they were added to.
void ApplyDefaults(const Schema& s, yaml::Node& object);

// RE2 full-text search of a compiled pattern (unanchored, as Go's
// regexp.MatchString).
bool PatternMatches(const Pattern& p, std::string_view text);

}  // namespace meshctl::crd
