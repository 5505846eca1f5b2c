#!/usr/bin/env bash
# Benchmark of `meshctl validate` on the synthetic mesh (bench/meshctl_gen_mesh),
# against the plain libyaml parse floor (bench/meshctl_yaml_floor) and the
# Node.js peer in ../shared/peers/node-istio-validate, all on the same file in
# the same run. Prints MB/s, peak RSS and the ratios.
#   bench/validate_bench.sh [build-dir] [resources]
# The peer is installed with npm into a temporary directory (not committed);
# without node/npm or ../shared it is skipped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
n=${2:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
file=$tmp/mesh.yaml
"$build/bench/meshctl_gen_mesh" "$n" "$file" >/dev/null
bytes=$(stat -c %s "$file")
mb=$(awk -v b="$bytes" 'BEGIN{printf "%.2f", b/1048576}')
echo "corpus: $n resources, $mb MB"

# Best of 3 CPU seconds (user+sys: the build machine is shared, so wall time
# mostly measures the neighbours) and the peak RSS (KB) of a command.
measure() {
  local best=999999 rss=0
  for _ in 1 2 3; do
    /usr/bin/time -f "%U %S %M" -o "$tmp/t" "$@" >/dev/null 2>&1 || true
    read -r u sy k < "$tmp/t"
    s=$(awk -v a="$u" -v b="$sy" 'BEGIN{print a+b}')
    best=$(awk -v a="$best" -v b="$s" 'BEGIN{print (b<a)?b:a}')
    rss=$k
  done
  echo "$best $rss"
}
rate() { awk -v m="$mb" -v s="$1" 'BEGIN{ if (s<=0) s=0.001; printf "%.1f", m/s }'; }

read -r v_s v_rss < <(measure "$build/meshctl" validate -f "$file")
read -r f_s f_rss < <(measure "$build/bench/meshctl_yaml_floor" "$file")
v_rate=$(rate "$v_s"); f_rate=$(rate "$f_s")
printf "%-28s %8s s CPU %8s MB/s %6s MB RSS\n" "meshctl validate" "$v_s" "$v_rate" "$((v_rss / 1024))"
printf "%-28s %8s s CPU %8s MB/s %6s MB RSS\n" "libyaml event parse (floor)" "$f_s" "$f_rate" "$((f_rss / 1024))"
echo "validate / floor rate: $(awk -v a="$v_rate" -v b="$f_rate" 'BEGIN{printf "%.2f", a/b}')"

peer=$root/../shared/peers/node-istio-validate
if [ -d "$peer" ] && command -v node >/dev/null && command -v npm >/dev/null; then
  cp "$peer/package.json" "$peer/peer.mjs" "$tmp/"
  if (cd "$tmp" && npm install --silent --no-audit --no-fund >/dev/null 2>&1); then
    read -r p_s p_rss < <(measure node "$tmp/peer.mjs" "$file")
    p_rate=$(rate "$p_s")
    printf "%-28s %8s s CPU %8s MB/s %6s MB RSS\n" "node peer (structure only)" "$p_s" "$p_rate" "$((p_rss / 1024))"
    echo "validate / node peer rate: $(awk -v a="$v_rate" -v b="$p_rate" 'BEGIN{printf "%.1f", a/b}')x"
  else
    echo "node peer: npm install failed, skipped"
  fi
else
  echo "node peer: ../shared or node/npm not available, skipped"
fi
