#!/bin/sh
# Benchmarks `meshctl analyze` (all default analyzers) on synthetic meshes of
# 1k, 10k and 50k resources next to a plain libyaml event parse of the same
# file (the floor), both measured in this run. Prints a Markdown table.
#   bench/analyze_bench.sh [BUILD_DIR]   (default: build)
set -eu
BUILD=${1:-build}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "| resources | MB | floor s | floor MB/s | analyze s | analyze MB/s | ratio | findings | peak RSS MB | RSS/input |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for n in 1000 10000 50000; do
  f="$TMP/mesh-$n.yaml"
  "$BUILD/bench/meshctl_gen_mesh" "$n" "$f"
  best_floor=; best=; rss=; out=
  for i in 1 2 3; do
    fl=$("$BUILD/bench/meshctl_yaml_floor" "$f" | sed 's/.*"seconds": \([0-9.]*\).*/\1/')
    /usr/bin/time -f '%M' -o "$TMP/rss" "$BUILD/bench/meshctl_analyze_bench" "$f" > "$TMP/out"
    s=$(sed 's/.*"seconds": \([0-9.]*\).*/\1/' "$TMP/out")
    if [ -z "$best_floor" ] || [ "$(echo "$fl < $best_floor" | bc -l)" = 1 ]; then best_floor=$fl; fi
    if [ -z "$best" ] || [ "$(echo "$s < $best" | bc -l)" = 1 ]; then best=$s; rss=$(cat "$TMP/rss"); out=$(cat "$TMP/out"); fi
  done
  bytes=$(echo "$out" | sed 's/.*"bytes": \([0-9]*\).*/\1/')
  findings=$(echo "$out" | sed 's/.*"findings": \([0-9]*\).*/\1/')
  awk -v n="$n" -v b="$bytes" -v fl="$best_floor" -v s="$best" -v f="$findings" -v rss="$rss" 'BEGIN {
    mb = b / 1e6; printf "| %d | %.1f | %.3f | %.1f | %.3f | %.1f | %.2f | %d | %.0f | %.1fx |\n",
      n, mb, fl, mb / fl, s, mb / s, (mb / s) / (mb / fl), f, rss / 1024, (rss * 1024) / b }'
done
