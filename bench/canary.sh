#!/usr/bin/env bash
# Canary benchmark: on synthetic meshes (bench/gen_mesh.cc: per service a
# Service, Deployments v1/v2, a VirtualService with a header rule and a 90/10
# split, a DestinationRule) times `meshctl canary svc-0 -n team-0 --weight 50
# -o diff` (load, patch one VirtualService, render the file text, reload,
# analyze and validate everything) next to `meshctl analyze -A` and
# `meshctl validate` on the same file in the same run, the two passes canary
# runs internally. Best of N wall-clock runs.
#   bench/canary.sh [build-dir] [runs] [sizes...]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${2:-3}
shift $(( $# > 2 ? 2 : $# )) || true
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(1000 10000 50000)
out=$root/bench/out
mkdir -p "$out"
for bin in bench/meshctl_gen_mesh meshctl; do
  [ -x "$build/$bin" ] || { echo "missing $build/$bin: build first (scripts/build.sh release)" >&2; exit 69; }
done
meshctl=$build/meshctl

best() {  # best wall-clock seconds of N runs of a command (output discarded; exit status ignored)
  local b="" s e t
  for ((i = 0; i < runs; i++)); do
    s=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    e=$(date +%s.%N)
    t=$(awk "BEGIN{printf \"%.3f\", $e - $s}")
    if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t; fi
  done
  echo "$b"
}

echo "| resources | file MB | analyze -A s | validate s | canary s | canary/(analyze+validate) |"
echo "|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  f=$out/canary-mesh-$n.yaml
  "$build/bench/meshctl_gen_mesh" "$n" "$f"
  mb=$(awk "BEGIN{printf \"%.1f\", $(stat -c %s "$f") / 1048576}")
  # The change must be real: canary exits 0 and prints a diff.
  "$meshctl" canary svc-0 -n team-0 -f "$f" --weight 50 -o diff > "$out/canary-$n.diff" 2>/dev/null
  grep -q '^+      weight: 50' "$out/canary-$n.diff" || { echo "canary produced no change for $n" >&2; exit 70; }
  a=$(best "$meshctl" analyze -A "$f")
  v=$(best "$meshctl" validate "$f")
  c=$(best "$meshctl" canary svc-0 -n team-0 -f "$f" --weight 50 -o diff)
  r=$(awk "BEGIN{printf \"%.2f\", $c / ($a + $v)}")
  echo "| $n | $mb | $a | $v | $c | $r |"
done
