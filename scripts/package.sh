#!/usr/bin/env bash
# Builds the Debian package from a release build:
#   scripts/package.sh [build-dir]      -> build-dir/meshctl_<version>_<arch>.deb
# Runs lintian on it when lintian is installed (scripts/install-deps.sh
# installs it); warnings fail the build, and the package needs no overrides.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$root/build}
[ -f "$dir/CMakeCache.txt" ] || bash "$root/scripts/build.sh" release "$dir"
# Debian keeps libraries in the multiarch folder: the private library goes to
# /usr/lib/<triplet>/meshctl (ldconfig's folders stay untouched, so the
# package needs no ldconfig trigger). Only install paths change: no recompile.
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || gcc -print-multiarch)
cmake -S "$root" -B "$dir" -DCMAKE_INSTALL_LIBDIR="lib/$multiarch" >/dev/null
cmake --build "$dir" -j "$(nproc 2>/dev/null || echo 2)"
(cd "$dir" && cpack -G DEB >/dev/null)
deb=$(ls -t "$dir"/meshctl_*.deb | head -n 1)
echo "package: $deb"
if command -v lintian >/dev/null 2>&1; then
  # lintian refuses to run as root without this flag; the package is only read.
  lintian --allow-root --fail-on error,warning "$deb"
  echo "lintian: clean"
else
  echo "lintian: not installed, skipped (apt-get install lintian)"
fi
