// Build and compatibility versions reported by `meshctl version` and used
// in documentation URLs (istio.io/v<major.minor>/...).
#pragma once

#include <string>

namespace meshctl::core {

struct VersionInfo {
  std::string version;        // meshctl's own
  std::string istio_version;  // the Istio release whose behaviour meshctl follows, "1.30"
  std::string compiler;
  std::string git_commit;  // short hash, "-dirty" when built from changed sources; "unknown" outside git
  std::string build_type;  // CMAKE_BUILD_TYPE, "+sanitizers" for the ASan/UBSan build
};

VersionInfo GetVersionInfo();

// "1.30": the Istio minor release used in istio.io documentation links.
inline constexpr const char* kIstioDocsVersion = "1.30";

}  // namespace meshctl::core
