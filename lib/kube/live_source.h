// Resources read from a live cluster for analyze, validate and canary.
// They enter the same loader as files: each LIST becomes one InputFile
// holding a JSON List, marked from_cluster so the loader gives its resources
// no file:line and renderers can say where they came from. Analyzers never
// learn the difference.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/io/files.h"
#include "lib/kube/client.h"
#include "lib/model/kinds.h"

namespace meshctl::kube {

// The key a file resource and a live one share: "group/Kind/ns/name".
std::string ObjectKey(std::string_view group, std::string_view kind, std::string_view ns, std::string_view name);

struct AnalyzeListOptions {
  std::string istio_namespace = "istio-system";
  // -r: Istio kinds keep objects without an istio.io/rev label or with this
  // one ("" keeps everything).
  std::string revision = "default";
  // Keys of resources given in files: the file wins, the live object is left out.
  std::set<std::string> overridden;
  int page_size = 500;
};

// What istioctl analyze lists (spec §2.2), all cluster-wide and paged:
// workloads, Services, Namespaces (without the system ones), Secrets (without
// Helm releases and service-account tokens), the Istio namespace's istio*
// ConfigMaps, Nodes, webhook configurations, and every Istio and Gateway API
// kind the server serves (v1 first, older versions as fallback; a missing
// CRD is an empty kind).
core::Result<io::InputSet> ListForAnalyze(Client& client, const AnalyzeListOptions& options);

// The kinds ListForAnalyze reads, for messages and tests.
std::vector<model::GroupKind> AnalyzeKinds();

// GET /api/v1/namespaces/{ns}: false on 404.
core::Result<bool> NamespaceExists(Client& client, const std::string& ns);

// The ResourceType for a kind meshctl knows (nullopt for others).
std::optional<ResourceType> TypeFor(std::string_view group, std::string_view kind);

// LISTs of the given kinds (namespace "" = all), as from_cluster InputFiles.
core::Result<io::InputSet> ListKinds(Client& client, const std::vector<model::GroupKind>& kinds,
                                     const std::string& ns, int page_size = 500);

}  // namespace meshctl::kube
