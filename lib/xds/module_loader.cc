// libmeshctl's front for lib/xds's gRPC entry points: ProxyStatus, ProxyDiff
// and FetchMeshVersions load the xDS module (libmeshctl_xds, next to
// libmeshctl) on first use, so no other command loads gRPC, protobuf and
// abseil at start-up. The module stays loaded until exit (gRPC keeps threads).
#include <dlfcn.h>

#include <mutex>
#include <string>

#include "lib/xds/module_api.h"

#ifndef MESHCTL_XDS_MODULE
#error "MESHCTL_XDS_MODULE (the module's file name) comes from CMakeLists.txt"
#endif

namespace meshctl::xds {

namespace {

struct Loaded {
  const ModuleApi* api = nullptr;
  std::string error;
};

// The folder libmeshctl was loaded from ("" when unknown).
std::string OwnFolder() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&OwnFolder), &info) == 0 || info.dli_fname == nullptr) return "";
  std::string path = info.dli_fname;
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? "" : path.substr(0, slash + 1);
}

Loaded Load() {
  Loaded out;
  std::string path = OwnFolder() + MESHCTL_XDS_MODULE;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    out.error = "cannot load meshctl's xDS module " + path + ": " + (why ? why : "unknown error") +
                " (reinstall meshctl: the module ships next to libmeshctl)";
    return out;
  }
  using Entry = const ModuleApi* (*)();
  auto entry = reinterpret_cast<Entry>(dlsym(handle, "meshctl_xds_module"));
  const ModuleApi* api = entry ? entry() : nullptr;
  if (api == nullptr || api->version != kModuleApiVersion) {
    out.error = "meshctl's xDS module " + path + " does not match this meshctl (reinstall meshctl)";
    return out;
  }
  out.api = api;
  return out;
}

const Loaded& Module() {
  static std::once_flag once;
  static Loaded loaded;
  std::call_once(once, [] { loaded = Load(); });
  return loaded;
}

}  // namespace

core::Status ProxyStatus(const StatusOptions& o, std::ostream& out, std::ostream& err) {
  const Loaded& m = Module();
  if (m.api == nullptr) return core::Internal(m.error);
  return m.api->proxy_status(o, out, err);
}

core::Status ProxyDiff(const DiffOptions& o, std::ostream& out) {
  const Loaded& m = Module();
  if (m.api == nullptr) return core::Internal(m.error);
  return m.api->proxy_diff(o, out);
}

core::Result<MeshVersions> FetchMeshVersions(const std::vector<DialOptions>& xds, const std::string& istio_namespace) {
  const Loaded& m = Module();
  if (m.api == nullptr) return core::Internal(m.error);
  return m.api->fetch_mesh_versions(xds, istio_namespace);
}

}  // namespace meshctl::xds
