// RenderProxyVersions formats what the xDS module fetched; it needs no gRPC,
// so it stays in libmeshctl (CMakeLists.txt keeps it out of the module).
#include <string>
#include <vector>

#include "lib/core/strings.h"
#include "lib/xds/proxy_status.h"

namespace meshctl::xds {

std::string RenderProxyVersions(const MeshVersions& v) {
  if (v.data_plane.empty()) return "none";
  std::vector<std::string> parts;
  for (const auto& [ver, n] : v.data_plane) parts.push_back(ver + " (" + std::to_string(n) + " proxies)");
  return core::Join(parts, ", ");
}

}  // namespace meshctl::xds
