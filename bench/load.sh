#!/usr/bin/env bash
# Load benchmark (foundation): generates synthetic meshes of 1k, 10k and 50k
# resources and reports, for each, meshctl's load time (parse + resources +
# snapshot indexes), MB/s and peak RSS next to a plain libyaml event parse of
# the same file measured in the same run (the floor). Best of N runs.
#   bench/load.sh [build-dir] [runs]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
runs=${2:-3}
out=$root/bench/out
mkdir -p "$out"
for bin in meshctl_gen_mesh meshctl_yaml_floor meshctl_load_bench; do
  [ -x "$build/bench/$bin" ] || { echo "missing $build/bench/$bin: build first (scripts/build.sh release)" >&2; exit 69; }
done

# peak RSS in KiB of a command, through GNU time when present, else /proc.
peak_rss() {
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f '%M' -o "$out/rss" "$@" > "$out/last.json"
    cat "$out/rss"
  else
    "$@" > "$out/last.json" & pid=$!; peak=0
    while kill -0 $pid 2>/dev/null; do
      r=$(awk '/VmHWM/ {print $2}' /proc/$pid/status 2>/dev/null || echo 0); [ "${r:-0}" -gt "$peak" ] && peak=$r
      sleep 0.01
    done
    wait $pid; echo "$peak"
  fi
}

best_seconds() {  # runs a bench binary N times, prints the best "seconds" and the peak RSS
  local best="" rss=0 s r
  for ((i = 0; i < runs; i++)); do
    r=$(peak_rss "$@")
    s=$(sed -E 's/.*"seconds": ([0-9.]+).*/\1/' "$out/last.json")
    if [ -z "$best" ] || awk "BEGIN{exit !($s < $best)}"; then best=$s; fi
    [ "$r" -gt "$rss" ] && rss=$r
  done
  echo "$best $rss"
}

printf '| resources | file MB | floor s | floor MB/s | load s | load MB/s | load/floor | peak RSS MB | RSS/file |\n'
printf '|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for n in 1000 10000 50000; do
  f=$out/mesh-$n.yaml
  [ -f "$f" ] || "$build/bench/meshctl_gen_mesh" "$n" "$f"
  bytes=$(stat -c %s "$f")
  read -r floor_s floor_rss < <(best_seconds "$build/bench/meshctl_yaml_floor" "$f")
  read -r load_s load_rss < <(best_seconds "$build/bench/meshctl_load_bench" "$f")
  awk -v n="$n" -v b="$bytes" -v fs="$floor_s" -v ls="$load_s" -v rss="$load_rss" 'BEGIN {
    mb = b / 1048576;
    printf "| %d | %.1f | %.3f | %.1f | %.3f | %.1f | %.2f | %.1f | %.1fx |\n",
      n, mb, fs, mb / fs, ls, mb / ls, fs / ls, rss / 1024, (rss * 1024) / b }'
done

# Wall-clock ratios move with whatever else the machine runs; instruction
# counts do not. callgrind's totals for the 1k file, less each program's
# start-up (the same program on an empty file: dynamic linking of gRPC,
# protobuf and the rest is a fixed per-process cost), give a load-independent
# ratio of meshctl's load to the floor.
if command -v valgrind >/dev/null 2>&1; then
  f=$out/mesh-1000.yaml
  : > "$out/empty.yaml"
  ir() { valgrind --tool=callgrind --callgrind-out-file="$out/cg.out" "$@" >/dev/null 2>"$out/cg.err";
         awk '/^summary:/ {print $2}' "$out/cg.out"; }
  floor_ir=$(( $(ir "$build/bench/meshctl_yaml_floor" "$f") - $(ir "$build/bench/meshctl_yaml_floor" "$out/empty.yaml") ))
  load_ir=$(( $(ir "$build/bench/meshctl_load_bench" "$f") - $(ir "$build/bench/meshctl_load_bench" "$out/empty.yaml") ))
  awk -v a="$floor_ir" -v b="$load_ir" 'BEGIN { printf "\ninstructions (callgrind, 1k file, start-up subtracted): floor %d, load %d, floor/load %.2f\n", a, b, a / b }'
fi
