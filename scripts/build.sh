#!/usr/bin/env bash
# Configures and builds meshctl.
#   scripts/build.sh [release|asan] [build-dir]
# release: optimized, warnings as errors (the default compiler, gcc on Debian).
# asan: clang-14, AddressSanitizer + UBSan, -O1, warnings as errors, with
# coverage instrumentation so the same tree holds the unit suite and the
# libFuzzer targets (build-asan/fuzz/fuzz_*, docs/fuzzing.md). CXX_ASAN
# overrides the compiler.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
kind=${1:-release}
case "$kind" in
  release) dir=${2:-$root/build}; flags=(-DCMAKE_BUILD_TYPE=Release -DMESHCTL_WERROR=ON) ;;
  asan)    dir=${2:-$root/build-asan}
           cxx=${CXX_ASAN:-clang++-14}
           flags=(-DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-g -O1" -DCMAKE_CXX_COMPILER="$cxx"
                  -DMESHCTL_WERROR=ON -DMESHCTL_SANITIZE=ON -DMESHCTL_FUZZ=ON)
           # A tree configured with another compiler (the old gcc ASan build)
           # cannot be switched in place: start it afresh.
           if [ -f "$dir/CMakeCache.txt" ] && ! grep -q "^CMAKE_CXX_COMPILER:[A-Z]*=.*$(basename "$cxx")\$" "$dir/CMakeCache.txt"; then
             rm -rf "$dir"
           fi ;;
  *) echo "usage: scripts/build.sh [release|asan] [build-dir]" >&2; exit 64 ;;
esac
# ccache keys on paths relative to the checkout, so a fresh clone elsewhere
# (CI) reuses objects an earlier build of the same sources left in the cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
generator=()
command -v ninja >/dev/null 2>&1 && generator=(-G Ninja)
jobs=$(nproc 2>/dev/null || echo 2)
cmake -S "$root" -B "$dir" "${generator[@]}" "${flags[@]}" >/dev/null
cmake --build "$dir" -j "$jobs" ${MESHCTL_BUILD_TARGET:+--target $MESHCTL_BUILD_TARGET}
