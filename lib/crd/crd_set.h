// The CustomResourceDefinitions given with `meshctl validate --crd`, compiled
// once, and the check of any custom resource against the OpenAPI v3 schema
// (and the CEL rules, within the evaluated subset) of its CRD version, as
// kube-apiserver + `kubectl apply --validate=strict` would on create.
//
// Findings (catalog MSH0110-MSH0116, messages in kube-apiserver's words):
//   MSH0110 schema violation (type, required, enum, pattern, bounds, lists…)
//   MSH0111 unknown field (kubectl strict field validation; pruned otherwise)
//   MSH0112 x-kubernetes-validations rule failed (or failed to evaluate)
//   MSH0113 Info: rules outside the evaluated CEL subset, with a count
//   MSH0114 apiVersion not defined / not served by the CRD
//   MSH0115 Warning: deprecated CRD version
//   MSH0116 metadata.name is not a valid object name
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lib/core/status.h"
#include "lib/crd/schema.h"
#include "lib/diag/sink.h"
#include "lib/io/files.h"
#include "lib/io/input_source.h"
#include "lib/model/resource.h"
#include "lib/model/snapshot.h"

namespace meshctl::crd {

class CrdSet {
 public:
  CrdSet();
  ~CrdSet();
  CrdSet(CrdSet&&) noexcept;
  CrdSet& operator=(CrdSet&&) noexcept;

  // Adds every apiextensions.k8s.io/v1 CustomResourceDefinition in `snap`;
  // a malformed CRD/schema -> core::DataError naming file:line:col. Other
  // resources in `snap` are ignored. A CRD for a group/kind already present
  // replaces it (the last one wins, as with `kubectl apply`).
  core::Status AddFromSnapshot(const model::Snapshot& snap);
  // Adds one CRD given as its document root (`file` names it in errors).
  core::Status AddCrd(const yaml::Node& crd, const std::string& file);

  size_t size() const { return by_gk_.size(); }
  // True when some CRD defines group/kind (any version).
  bool Covers(std::string_view group, std::string_view kind) const;
  // Validates r against the schema of r.group/r.version/r.kind, reporting
  // into sink (positions from field paths). Returns false when no CRD covers r.
  bool Validate(const model::Resource& r, diag::DiagnosticSink& sink) const;

  struct Stats {
    size_t crds = 0;
    size_t versions = 0;
    size_t cel_rules = 0;              // x-kubernetes-validations entries (transition rules excluded)
    size_t cel_rules_unsupported = 0;  // of which outside the evaluated subset
  };
  Stats stats() const;

 private:
  struct Version {
    std::string name;
    bool served = false;
    bool deprecated = false;
    std::string deprecation_warning;
    std::unique_ptr<Schema> schema;
    size_t cel_rules = 0, cel_unsupported = 0;
  };
  struct Crd {
    std::string name, group, kind, scope;
    std::vector<Version> versions;
  };

  std::unordered_map<std::string, std::unique_ptr<Crd>> by_gk_;  // "group/Kind"
};

// `meshctl validate --crd FILE|DIR`: parses every file of `inputs` (as read by
// io::ReadInputs) and adds its CRDs. A file that does not parse or a
// malformed CRD is a DataError with file:line:col; inputs holding no
// CustomResourceDefinition at all are a DataError too (a wrong path is more
// likely than an intended no-op).
// Documents that are not CustomResourceDefinitions (a kustomization.yaml
// in Gateway API's CRD folder, a Namespace) are skipped, each with a line
// in `notes` ("FILE:LINE: ..."), when `notes` is given.
core::Result<CrdSet> LoadCrdSet(const io::InputSet& inputs, std::vector<std::string>* notes = nullptr);
// Same, reading through `source` first (an unreadable path is its IoError).
core::Result<CrdSet> LoadCrdSet(io::InputSource& source, std::vector<std::string>* notes = nullptr);

// Checks an object name the way the apiserver checks custom resource names
// (DNS-1123 subdomain); "" when valid, else the kube-style reason.
std::string ObjectNameProblem(std::string_view name);

}  // namespace meshctl::crd
