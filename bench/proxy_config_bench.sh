#!/usr/bin/env bash
# proxy-config benchmark: scales an Envoy config dump to ~100 MB, then times
# `meshctl proxy-config cluster|listener|route|all --file` (tables and
# -o json|yaml) next to `jq '.configs|length'` on the same file in the same run (best wall time
# and best user+sys CPU of N runs, the system part of that best run, largest peak RSS, all from
# /usr/bin/time), plus the nlohmann-vs-simdjson parse comparison that chose the parser.
#   bench/proxy_config_bench.sh [build-dir=build] [megabytes=100] [runs=3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$root/build}
mb=${2:-100}
runs=${3:-3}
seed=$root/testdata/envoy/config_dump.json
dump=${TMPDIR:-/tmp}/meshctl-pc-bench-${mb}mb.json
meshctl=$build/meshctl
for tool in "$meshctl" "$build/bench/meshctl_gen_envoy_dump" "$build/bench/meshctl_json_parse_bench"; do
  [ -x "$tool" ] || { echo "missing $tool: build first (ninja -C $build)" >&2; exit 69; }
done
command -v jq >/dev/null || { echo "jq is required (apt-get install jq)" >&2; exit 69; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is required (apt-get install time)" >&2; exit 69; }

[ -s "$dump" ] || "$build/bench/meshctl_gen_envoy_dump" "$seed" "$dump" "$mb"
bytes=$(stat -c %s "$dump")
echo "file: $dump ($((bytes / 1000000)) MB, $(jq '.configs[1].dynamic_active_clusters|length' "$dump") clusters," \
  "$(jq '.configs[3].dynamic_listeners|length' "$dump") listeners, $(jq '[.configs[]|select(."@type"|test("Routes"))|.dynamic_route_configs[]?]|length' "$dump") route configs)"
echo "machine: $(nproc) cores, $(uname -r); runs per command: $runs (best wall time, largest peak RSS)"

# measure NAME CMD...: prints "name<TAB>wall<TAB>cpu<TAB>sys<TAB>rss_kb" (best wall, best
# user+sys CPU and the system time of that run, largest peak RSS over the runs). CPU time is
# reported next to wall time because a shared machine's load inflates wall time.
measure() {
  local name=$1; shift
  local best="" cpu="" sys="" rss=0 tf e u s m c
  tf=$(mktemp)
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %U %S %M" -o "$tf" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 70; }
    read -r e u s m < <(tail -1 "$tf")
    c=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
    if [ -z "$best" ] || awk "BEGIN{exit !($e < $best)}"; then best=$e; fi
    if [ -z "$cpu" ] || awk "BEGIN{exit !($c < $cpu)}"; then cpu=$c; sys=$s; fi
    [ "$m" -gt "$rss" ] && rss=$m
  done
  rm -f "$tf"
  printf "%s\t%s\t%s\t%s\t%s\n" "$name" "$best" "$cpu" "$sys" "$rss"
}

results=()
results+=("$(measure "jq '.configs|length'" jq '.configs|length' "$dump")")
# jq printing a selection, for scale: what `pc cluster -o json` selects.
results+=("$(measure "jq '[.configs[1].dynamic_active_clusters[].cluster]'" jq '[.configs[1].dynamic_active_clusters[].cluster]' "$dump")")
for kind in cluster listener route all; do
  results+=("$(measure "meshctl pc $kind --file" "$meshctl" proxy-config "$kind" --file "$dump")")
done
# Structured output: every selected message written out (streamed,
# camelCase names), and the whole dump for `all`.
for kind in cluster listener route all; do
  for o in json yaml; do
    results+=("$(measure "meshctl pc $kind -o $o --file" "$meshctl" proxy-config "$kind" -o "$o" --file "$dump")")
  done
done
IFS=$'\t' read -r _ jq_wall jq_cpu _ <<<"${results[0]}"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf "\n| command | wall (s) | vs jq (wall) | CPU user+sys (s) | of which sys | vs jq (CPU) | peak RSS (MB) | RSS / file |\n"
printf "|---|---:|---:|---:|---:|---:|---:|---:|\n"
for r in "${results[@]}"; do
  IFS=$'\t' read -r name wall cpu sys rss <<<"$r"
  awk -v n="$name" -v w="$wall" -v c="$cpu" -v s="$sys" -v jw="$jq_wall" -v jc="$jq_cpu" -v rss="$rss" -v b="$bytes" \
    'BEGIN{gsub(/[|]/, "\\|", n); printf "| `%s` | %.2f | %.1fx | %.2f | %.2f | %.1fx | %.0f | %.2f |\n", n, w, (w>0? jw/w : 0), c, s, (c>0? jc/c : 0), rss/1024, rss*1024/b}'
done

echo
echo "parser choice (parse + one walk over every value, best of $runs):"
for p in nlohmann simdjson; do
  tf=$(mktemp)
  line=$(/usr/bin/time -f "%M" -o "$tf" "$build/bench/meshctl_json_parse_bench" "$p" "$dump" "$runs")
  echo "  $line, peak RSS $(( $(tail -1 "$tf") / 1024 )) MB"
  rm -f "$tf"
done
