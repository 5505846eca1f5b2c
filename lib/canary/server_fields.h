// Objects read back from a cluster (`kubectl get -o json|yaml`) carry fields
// the API server owns. Printed or applied as canary's output they are noise
// at best (status, timestamps) and errors at worst: a stale resourceVersion
// makes `kubectl apply` fail with a conflict, and server-side apply refuses
// an object with managedFields. Data files that are not manifests are left
// out of a run with a note.
#pragma once

#include <string>
#include <vector>

#include "lib/io/files.h"
#include "lib/yaml/node.h"

namespace meshctl::canary {

// `object` without metadata.resourceVersion, uid, creationTimestamp,
// generation, selfLink, managedFields, the kubectl.kubernetes.io/
// last-applied-configuration annotation (and an annotations map left empty)
// and the top-level status.
yaml::Node WithoutServerFields(yaml::Node object);

// Removes from `inputs` the JSON files whose documents are not Kubernetes
// objects (no apiVersion nor kind at the top: dashboards, package.json, test
// data kept next to the manifests) and returns one note per file removed.
// Files that do not parse stay: the loader reports them.
std::vector<std::string> DropDataFiles(io::InputSet& inputs);

}  // namespace meshctl::canary
