// Walks one object against a compiled CRD schema the way kube-apiserver
// validates a custom resource on create, and describes every violation the
// way kube-apiserver words it (`spec.replicas: Invalid value: "string":
// spec.replicas in body must be of type integer: "string"`), with the
// position of the offending node.
//
// Decisions (documented in lib/crd/README.md):
// * Unknown fields (not declared, outside x-kubernetes-preserve-unknown-fields)
//   are violations of kind kUnknownField, as kubectl's default
//   `--validate=strict` reports them (`unknown field "spec.foo"`); the
//   apiserver alone would silently prune them.
// * A node whose type is wrong gets only the type error (the apiserver may add
//   follow-up errors for the same node).
// * CEL rules run after the node's schema checks, only on nodes that are
//   present and not null, exactly like the apiserver; rules outside the CEL
//   subset (cel.h) are counted, not guessed.
#pragma once

#include <string>
#include <vector>

#include "lib/crd/schema.h"
#include "lib/yaml/node.h"

namespace meshctl::crd {

struct Violation {
  enum class Kind { kSchema, kUnknownField, kCel };
  Kind kind = Kind::kSchema;
  std::string path;     // kube form: spec.ports[0].port
  std::string locator;  // meshctl field path: spec.ports[0].port, metadata.labels['a.b/c']
  yaml::Mark mark;      // where the offending node (or the key of an unknown field) is
  std::string message;  // the whole apiserver-style text
};

struct ValidationReport {
  std::vector<Violation> violations;
  size_t cel_evaluated = 0;      // rule evaluations performed
  size_t cel_not_evaluated = 0;  // rule applications skipped (outside the subset)
  std::vector<std::string> unsupported_rules;  // distinct rule texts skipped, in first-seen order
};

// Validates a whole custom resource (`object` is the document root) against
// the version's openAPIV3Schema. apiVersion, kind and metadata at the root are
// always allowed (they are ObjectMeta, validated separately).
void ValidateObject(const Schema& root, const yaml::Node& object, ValidationReport& out);

// Formats a value as kube-apiserver prints a field.Error's BadValue.
std::string FormatBadValue(const yaml::Node& n);

}  // namespace meshctl::crd
