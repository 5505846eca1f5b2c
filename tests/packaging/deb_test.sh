#!/usr/bin/env bash
# Builds the .deb (scripts/package.sh: cpack, dpkg-shlibdeps, lintian), then
# unpacks it with dpkg-deb -x and runs the unpacked binary as a user would
# after installing: no build tree, no LD_LIBRARY_PATH.
#   tests/packaging/deb_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
fail() { echo "FAIL: $*" >&2; exit 1; }
log=$(bash "$src/scripts/package.sh" "$build" 2>&1) || { echo "$log" >&2; fail "scripts/package.sh failed"; }
echo "$log" | tail -n 3
deb=$(echo "$log" | sed -n 's/^package: //p')
[ -f "$deb" ] || fail "no package reported"
if command -v lintian >/dev/null 2>&1; then
  echo "$log" | grep -q '^lintian: clean' || fail "lintian did not pass"
fi
depends=$(dpkg-deb -f "$deb" Depends)
echo "$depends" | grep -q 'libc6' || fail "Depends does not come from dpkg-shlibdeps: '$depends'"
echo "$depends" | grep -q 'libgrpc++' || fail "Depends lacks libgrpc++: '$depends'"
# Loaded by soname at run time, so listed by hand (package.cmake).
echo "$depends" | grep -q 'libcurl4' || fail "Depends lacks libcurl4: '$depends'"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
dpkg-deb -x "$deb" "$root"
bin="$root/usr/bin/meshctl"
(cd / && env -u LD_LIBRARY_PATH "$bin" version) | grep -q '^meshctl version: ' || fail "unpacked binary does not run"
# The xDS module ships next to libmeshctl and proxy-status loads it from there.
find "$root/usr/lib" -path '*/meshctl/libmeshctl_xds.so.*' -type f | grep -q . || fail "xDS module missing from the package"
ps_out=$(echo '{}' | (cd / && env -u LD_LIBRARY_PATH "$bin" proxy-status --from-file - 2>&1)) ||
  fail "unpacked proxy-status (loads the xDS module) failed: $ps_out"
status=0
(cd "$src" && env -u LD_LIBRARY_PATH "$bin" analyze -A testdata/bookinfo >"$root/analyze.out" 2>&1) || status=$?
[ "$status" -eq 79 ] || fail "unpacked analyze exited $status, want 79 (the sample's planted findings): $(cat "$root/analyze.out")"
for p in "$src"/man/*.1; do
  [ -f "$root/usr/share/man/man1/$(basename "$p").gz" ] || fail "man page $(basename "$p") missing from the package"
done
[ -f "$root/usr/share/doc/meshctl/copyright" ] || fail "no copyright file"
echo "deb test: ok ($deb)"
