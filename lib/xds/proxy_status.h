// `meshctl proxy-status` without a proxy argument: fetch → model → render.
// Sources: istiod's syncz over ADS (one or more control planes), the standard
// CSDS of any xDS client or control plane, or saved `-o json` output (the
// offline twin, used by the golden tests). The header is free of gRPC and
// protobuf types so commands/ can use it directly.
#pragma once

#include <chrono>
#include <ostream>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/xds/dial.h"

namespace meshctl::xds {

struct StatusOptions {
  std::vector<DialOptions> xds;         // istiod replicas/control planes, asked for syncz
  std::vector<DialOptions> csds;        // CSDS endpoints, asked FetchClientStatus
  std::vector<std::string> from_files;  // saved syncz DiscoveryResponse JSON documents ("-" = stdin text below)
  std::string stdin_text;               // contents of "-" when from_files has it
  std::string istio_namespace = "istio-system";
  std::string ns;                       // keep proxies whose NAMESPACE metadata equals this
  std::string output = "table";         // table | json | yaml
  int verbosity = 0;
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();
};

// Writes the report to `out`. When some sources fail and others answer, the
// answers are rendered, each failure goes to `err`, and the returned Status
// is the first failure (exit 69); when all fail nothing is rendered.
core::Status ProxyStatus(const StatusOptions& o, std::ostream& out, std::ostream& err);

// `meshctl version --remote`, as istioctl's xDS version: the control plane's
// version from each replica's syncz identifier (Info.version) and the data
// plane's from the proxies' ISTIO_VERSION.
struct MeshVersions {
  std::vector<std::string> control_plane;               // distinct versions, sorted
  std::vector<std::pair<std::string, int>> data_plane;  // version -> proxies, sorted by version
  int proxies = 0;
};
core::Result<MeshVersions> FetchMeshVersions(const std::vector<DialOptions>& xds, const std::string& istio_namespace);
// "1.20.0 (2 proxies), 1.19.1 (1 proxies)" as istioctl's renderProxyVersions.
std::string RenderProxyVersions(const MeshVersions& v);

}  // namespace meshctl::xds
