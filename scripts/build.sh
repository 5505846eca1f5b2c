#!/usr/bin/env bash
# Configures and builds meshctl.
#   scripts/build.sh [release|asan] [build-dir]
# release: optimized, warnings as errors. asan: AddressSanitizer + UBSan.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
case "$kind" in
  release) dir=${2:-$root/build}; flags=(-DCMAKE_BUILD_TYPE=Release -DMESHCTL_WERROR=ON) ;;
  asan)    dir=${2:-$root/build-asan}; flags=(-DCMAKE_BUILD_TYPE=Debug -DMESHCTL_WERROR=ON -DMESHCTL_SANITIZE=ON) ;;
  *) echo "usage: scripts/build.sh [release|asan] [build-dir]" >&2; exit 64 ;;
esac
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere
# (CI) reuses objects an earlier build of the same sources left in the cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$dir" "${generator[@]}" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs"
