// Protobuf messages as istioctl prints them: Go protojson (lowerCamelCase,
// Any expanded with @type) re-indented to 4 spaces, and YAML with sorted keys
// (sigs.k8s.io/yaml style). Also the reverse, for saved outputs.
#pragma once

#include <string>
#include <vector>

#include <google/protobuf/message.h>
#include <nlohmann/json.hpp>

#include "lib/core/status.h"

namespace meshctl::xds {

// 4-space indented JSON, keys in field order; an empty message is "{\n\n}"
// as Go prints it. No trailing newline.
core::Result<std::string> MessageToJson4(const google::protobuf::Message& m);

// The message as a JSON value (lowerCamelCase keys, or proto names).
core::Result<nlohmann::json> MessageToJsonValue(const google::protobuf::Message& m, bool proto_names = false);

// YAML with sorted keys, 2-space indent, ending in a newline.
std::string JsonToYaml(const nlohmann::json& j);

// Every JSON value in `text` (several documents may follow each other, as
// `-o json` prints them). DataError names `source` on bad input.
core::Result<std::vector<nlohmann::json>> ParseJsonDocuments(const std::string& text, const std::string& source);

// Parses protojson into `m` (unknown fields are an error).
core::Status JsonToMessage(const nlohmann::json& j, google::protobuf::Message& m, const std::string& source);

}  // namespace meshctl::xds
