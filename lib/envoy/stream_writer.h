// Streaming -o json|yaml writers for proxy-config: the selected messages go
// straight from the parsed dump (JsonView) or a small rebuilt value
// (nlohmann::ordered_json) to the output through a 64 KB buffer, with no
// copy of the whole output and no intermediate tree.
//
// Field names: istioctl prints messages through Go protojson, so field names
// come out in lowerCamelCase (`filter_chains` -> `filterChains`) while map and
// google.protobuf.Struct keys stay as written (`filter_metadata.istio`,
// the bootstrap node's `metadata.ISTIO_VERSION`). `FieldNames::kProtoNames`
// keeps the names as the dump spells them (Envoy writes snake_case).
#pragma once

#include <ostream>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/envoy/json_view.h"

namespace meshctl::envoy {

enum class FieldNames { kCamel, kProtoNames };
enum class StructuredFormat { kJson, kYaml };

struct StreamOptions {
  StructuredFormat format = StructuredFormat::kJson;
  FieldNames names = FieldNames::kCamel;
  // Leave out "@type" at the top of each written message (a list of
  // messages, or one message unwrapped from its Any, as istioctl prints).
  bool drop_type = false;
};

// JSON: Go's MarshalIndent layout with 4-space indent. YAML: block style,
// keys sorted (istioctl's JSON-to-YAML), strings quoted when they would read
// back as another type. Both end with a newline.
void StreamMessages(const std::vector<JsonView>& items, const StreamOptions& o, std::ostream& out);
void StreamValue(const JsonView& v, const StreamOptions& o, std::ostream& out);
void StreamValue(const nlohmann::ordered_json& v, const StreamOptions& o, std::ostream& out);

}  // namespace meshctl::envoy
