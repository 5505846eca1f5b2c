// Strict decoding of a resource's `spec` the way istioctl does it
// (github.com/golang/protobuf/jsonpb without AllowUnknownFields): every key
// must be a field of the proto message (JSON or proto name), every value of
// the field's type. The result is a *normalised* copy of the spec that the
// per-kind validators read:
//   * keys renamed to the JSON (lowerCamelCase) name, so `sni_hosts` and
//     `sniHosts` look the same to a validator;
//   * `null` values and empty repeated fields `[]` removed (proto: absent);
//   * enum values given as numbers replaced by their name when defined;
//   * quoted integers ("80") turned into integers;
//   * positions (Mark) kept from the source, so findings still point at
//     file:line:col.
//
// Message types are described by a small schema language (see
// schemas_networking.cc for the grammar and an example); the descriptors are
// parsed once, on first use, from the sources listed in SchemaSources().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/yaml/node.h"

namespace meshctl::validate {

enum class ScalarKind : uint8_t {
  kString, kBool, kInt32, kInt64, kUInt32, kUInt64, kDouble, kBytes,
  kDuration,   // google.protobuf.Duration: a Go duration string
  kStruct,     // google.protobuf.Struct: any JSON object
  kValue,      // google.protobuf.Value / ListValue / Any: any JSON
  kEnum,       // see FieldDesc::enum_type
  kMessage,    // see FieldDesc::message_type
  kEmpty,      // google.protobuf.Empty: an object with no fields
};

struct EnumDesc;
struct MessageDesc;

struct FieldDesc {
  std::string proto_name;  // snake_case as in the .proto
  std::string json_name;   // lowerCamelCase (protoc's rule)
  ScalarKind kind = ScalarKind::kString;
  bool repeated = false;
  bool is_map = false;
  ScalarKind map_key = ScalarKind::kString;  // string or an integer kind
  bool wrapper = false;                      // google.protobuf.*Value: nullable scalar
  const EnumDesc* enum_type = nullptr;
  const MessageDesc* message_type = nullptr;
  std::string type_name;  // as written in the schema, resolved after parsing
};

struct EnumDesc {
  std::string full_name;  // istio.networking.v1alpha3.ServerTLSSettings.TLSmode
  std::vector<std::pair<std::string, int64_t>> values;
  std::optional<int64_t> Number(std::string_view name) const;
  const std::string* Name(int64_t number) const;  // nullptr when undefined
};

struct MessageDesc {
  std::string full_name;  // istio.networking.v1alpha3.HTTPRoute
  std::vector<FieldDesc> fields;
  const FieldDesc* FindField(std::string_view json_or_proto_name) const;
};

// The parsed descriptor pool (all schema sources).
class SchemaPool {
 public:
  static const SchemaPool& Get();
  const MessageDesc* FindMessage(std::string_view full_name) const;
  const EnumDesc* FindEnum(std::string_view full_name) const;
  // Problems found while parsing the schema sources (a bug in a schema
  // source; a unit test asserts this is empty).
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  SchemaPool();
  std::map<std::string, std::unique_ptr<MessageDesc>, std::less<>> messages_;
  std::map<std::string, std::unique_ptr<EnumDesc>, std::less<>> enums_;
  std::vector<std::string> errors_;
};

// The schema texts, one per proto package group (schemas_*.cc).
const std::vector<std::string_view>& SchemaSources();

struct DecodeError {
  std::string message;     // jsonpb's text, without "cannot parse proto message: "
  std::string field_path;  // relative to the decoded node ("http[0].route")
  yaml::Mark mark;
};

// Decodes `in` as message `m`. Returns the normalised node, or the first
// error (jsonpb stops at the first one).
struct DecodeResult {
  yaml::Node node;
  std::optional<DecodeError> error;
};
DecodeResult DecodeMessage(const yaml::Node* in, const MessageDesc& m);

// True when DecodeMessage(in, m) would succeed and return a node equal to
// `*in` (types, texts, entry order and positions): validators can then read
// `in` in place, without the copy. It walks the tree once and allocates
// nothing; false does not mean invalid, only "decode to find out".
bool IsNormalMessage(const yaml::Node* in, const MessageDesc& m);

// Go's time.ParseDuration; nanoseconds, nullopt when invalid.
std::optional<int64_t> ParseGoDuration(std::string_view s);

}  // namespace meshctl::validate
