// The MeshConfig and MeshNetworks that analyzers read: Istio's default
// MeshConfig with the user's (ConfigMap `istio` key `mesh`, or
// --meshConfigFile) merged over it field by field, so analyzers can read any
// field without caring whether the user set it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "lib/core/status.h"
#include "lib/yaml/parser.h"

namespace meshctl::analysis {

// Istio's DefaultMeshConfig() as YAML (only fields analyzers or users care
// about; unknown fields of user configs are kept as given).
std::string_view DefaultMeshConfigYaml();

// Merges `overlay` into `base` the way Istio applies a mesh config over the
// defaults: maps merge key by key, scalars and lists replace, except
// `extensionProviders`, where entries with a new name are added to the
// defaults and entries with a known name replace it.
void MergeMeshConfig(yaml::Node& base, const yaml::Node& overlay);

// Parses `text` (MeshConfig YAML) merged over the defaults into `out`.
// An empty text gives the defaults. Errors name `source`.
core::Status BuildMeshConfig(std::string_view text, const std::string& source, yaml::Document& out);

// Reads a MeshNetworks (or MeshConfig) YAML file's first document.
core::Result<yaml::Document> ParseMeshFile(std::string_view text, const std::string& source);

}  // namespace meshctl::analysis
