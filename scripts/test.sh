#!/usr/bin/env bash
# Quick start (2) and CI: install dependencies, then a Release build with
# warnings as errors and the whole test suite, then the same under
# AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)
bash "$root/scripts/install-deps.sh"

echo "== release build (-Werror) and tests"
bash "$root/scripts/build.sh" release
(cd "$root/build" && ctest --output-on-failure -j "$jobs")
echo "== Debian package: build, lintian, unpack and run"
bash "$root/tests/packaging/deb_test.sh" "$root/build" "$root"

if [ "${MESHCTL_SKIP_ASAN:-0}" != "1" ]; then
  echo "== ASan+UBSan build and tests"
  bash "$root/scripts/build.sh" asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd "$root/build-asan" && ctest --output-on-failure -j "$jobs")
fi
