// The xDS module's entry point (see module_api.h). Linked with -Bsymbolic, so
// these addresses are the module's own functions, not libmeshctl's fronts.
#include "lib/xds/module_api.h"

extern "C" const meshctl::xds::ModuleApi* meshctl_xds_module() {
  static const meshctl::xds::ModuleApi kApi = {
      meshctl::xds::kModuleApiVersion,
      &meshctl::xds::ProxyStatus,
      &meshctl::xds::ProxyDiff,
      &meshctl::xds::FetchMeshVersions,
  };
  return &kApi;
}
