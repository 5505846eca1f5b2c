#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then use what was installed the
# way a user would: the binary (through its RPATH, from another directory),
# every man page through `man -l`, and the bash completion sourced in bash.
#   tests/packaging/install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
fail() { echo "FAIL: $*" >&2; exit 1; }

bin="$prefix/bin/meshctl"
[ -x "$bin" ] || fail "no binary at $bin"
# No LD_LIBRARY_PATH: the private library must be found through the RPATH.
(cd / && env -u LD_LIBRARY_PATH "$bin" version -o json) | grep -q '"version"' || fail "installed binary does not run"
out=$(cd "$src" && env -u LD_LIBRARY_PATH "$bin" analyze -A testdata/bookinfo 2>&1) || true
echo "$out" | grep -q "IST0" || fail "installed analyze printed no finding on testdata/bookinfo: $out"
lib=$(find "$prefix" -name 'libmeshctl.so.*' -type f | head -n 1)
[ -n "$lib" ] || fail "no private library installed"
case "$lib" in */meshctl/libmeshctl.so.*) ;; *) fail "library not in a private folder: $lib" ;; esac
find "$prefix" -name 'libmeshctl.so' | grep -q . && fail "development symlink libmeshctl.so installed"
# The xDS module (gRPC, protobuf) sits next to libmeshctl and is loaded only
# by proxy-status; nothing else links gRPC at start-up.
mod=$(find "$prefix" -name 'libmeshctl_xds.so.*' -type f | head -n 1)
[ -n "$mod" ] || fail "no xDS module installed"
case "$mod" in */meshctl/libmeshctl_xds.so.*) ;; *) fail "xDS module not in the private folder: $mod" ;; esac
ldd "$bin" | grep -q 'libgrpc' && fail "the installed binary loads gRPC at start-up: $(ldd "$bin" | grep libgrpc)"
# libcurl and libcrypto are dlopen()ed by the commands that talk HTTP or read
# certificates (lib/io/curl_api.cc, crypto_api.cc), never loaded at start-up.
ldd "$bin" | grep -Eq 'libcurl|libcrypto' && fail "the installed binary loads libcurl/libcrypto at start-up: $(ldd "$bin" | grep -E 'libcurl|libcrypto')"
ps_out=$(echo '{}' | (cd / && env -u LD_LIBRARY_PATH "$bin" proxy-status --from-file - 2>&1)) ||
  fail "installed proxy-status (loads the xDS module) failed: $ps_out"
echo "$ps_out" | grep -q "NAME" || fail "installed proxy-status printed no table: $ps_out"

pages=$(find "$prefix/share/man/man1" -name 'meshctl*.1.gz' | sort)
[ -n "$pages" ] || fail "no man pages installed"
for want in "$src"/man/*.1; do
  name=$(basename "$want")
  [ -f "$prefix/share/man/man1/$name.gz" ] || fail "man page $name not installed"
done
if command -v man >/dev/null 2>&1; then
  for p in $pages; do
    text=$(MANWIDTH=80 MAN_KEEP_FORMATTING=0 man --warnings -l "$p" 2>"$prefix/man.err" | col -b) || fail "man -l $p failed"
    [ -s "$prefix/man.err" ] && fail "man -l $p warned: $(cat "$prefix/man.err")"
    echo "$text" | grep -q "NAME" || fail "man -l $p has no NAME section"
  done
else
  echo "note: man not installed, man pages not rendered"
fi

comp="$prefix/share/bash-completion/completions/meshctl"
[ -f "$comp" ] || fail "bash completion not installed"
[ -f "$prefix/share/zsh/site-functions/_meshctl" ] || fail "zsh completion not installed"
[ -f "$prefix/share/fish/vendor_completions.d/meshctl.fish" ] || fail "fish completion not installed"
bash --norc --noprofile -c "source '$comp' && complete -p meshctl" | grep -q meshctl || fail "bash completion does not register"
echo "install test: ok ($(echo "$pages" | wc -l) man pages, prefix layout checked)"
