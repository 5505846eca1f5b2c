// The table of entry points the xDS module (libmeshctl_xds, lib/xds's gRPC
// and protobuf code) hands to libmeshctl's front (module_loader.cc). Internal
// to lib/xds: callers use proxy_status.h and config_diff.h as before.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "lib/core/status.h"
#include "lib/xds/config_diff.h"
#include "lib/xds/proxy_status.h"

namespace meshctl::xds {

// Bumped whenever the table changes; the front refuses a module of another
// version (a stale install) instead of calling through a wrong layout.
inline constexpr uint32_t kModuleApiVersion = 2;

struct ModuleApi {
  uint32_t version;
  core::Status (*proxy_status)(const StatusOptions& o, std::ostream& out, std::ostream& err);
  core::Status (*proxy_diff)(const DiffOptions& o, std::ostream& out);
  core::Result<MeshVersions> (*fetch_mesh_versions)(const std::vector<DialOptions>& xds,
                                                    const std::string& istio_namespace);
};

}  // namespace meshctl::xds

// The one symbol the front looks up in the module.
extern "C" const meshctl::xds::ModuleApi* meshctl_xds_module();
