#include "lib/core/version.h"

#include "build_info.h"  // generated: MESHCTL_GIT_COMMIT, MESHCTL_BUILD_TYPE

namespace meshctl::core {

VersionInfo GetVersionInfo() {
  VersionInfo v;
  v.version = MESHCTL_VERSION;
  v.istio_version = kIstioDocsVersion;
  v.git_commit = MESHCTL_GIT_COMMIT;
  v.build_type = MESHCTL_BUILD_TYPE;
#if defined(__clang__)
  v.compiler = "clang " __clang_version__;
#elif defined(__GNUC__)
  v.compiler = "gcc " __VERSION__;
#else
  v.compiler = "unknown";
#endif
  return v;
}

}  // namespace meshctl::core
