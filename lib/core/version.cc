#include "lib/core/version.h"

namespace meshctl::core {

VersionInfo GetVersionInfo() {
  VersionInfo v;
  v.version = MESHCTL_VERSION;
  v.istio_version = kIstioDocsVersion;
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
