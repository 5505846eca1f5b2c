#!/usr/bin/env bash
# Issue 14's main figure: `meshctl analyze` and `meshctl validate` against the
# libyaml floor (`meshctl_yaml_floor`, a plain libyaml event parse of the same
# file that builds nothing), on the generated 10k and 50k meshes, in
# instructions (callgrind totals, load-independent) and in wall time (minimum
# of RUNS interleaved runs of whole processes, start-up included), with CPU
# time and peak RSS. Each meshctl command is measured twice: as shipped (the
# block scanner reads the corpus) and with MESHCTL_YAML_SCANNER=libyaml, so
# the table also shows what the scanner changes. The last column takes off the
# command's fixed memory: its peak RSS on a 10-object mesh (libraries, static
# tables; for the floor, the floor on that mesh). Prints Markdown.
#   bench/floor_ratio.sh [BUILD_DIR=build] [RUNS=5] [SIZES="10000 50000"]
# MESHCTL_BENCH_CALLGRIND=0 skips the instruction counts (callgrind of the
# 50k corpus takes minutes).
set -euo pipefail
build=${1:-build}
runs=${2:-5}
sizes=${3:-10000 50000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
meshctl=$build/meshctl
floor=$build/bench/meshctl_yaml_floor

# run NAME SCANNER CMD... : one timed run; appends "wall cpu rss_kb" to $tmp/NAME.t
# (wall from the clock in nanoseconds: /usr/bin/time's %e has 10 ms steps,
# a sixth of the floor on the 10k corpus). THREADS sets MESHCTL_THREADS.
run() {
  local name=$1 scanner=$2
  shift 2
  local t0 t1
  t0=$(date +%s%N)
  MESHCTL_THREADS=${THREADS:-} MESHCTL_YAML_SCANNER=$scanner \
    /usr/bin/time -f '%U %S %M' -o "$tmp/one" "$@" >/dev/null 2>&1 || true
  t1=$(date +%s%N)
  awk -v ns=$((t1 - t0)) '{printf "%.4f %.3f %s\n", ns / 1e9, $1 + $2, $3}' "$tmp/one" >> "$tmp/$name.t"
}
# instr NAME SCANNER CMD... : callgrind total into $tmp/NAME.i
instr() {
  local name=$1 scanner=$2
  shift 2
  if [ "${MESHCTL_BENCH_CALLGRIND:-1}" = 0 ] || ! command -v valgrind >/dev/null; then echo - > "$tmp/$name.i"; return; fi
  MESHCTL_YAML_SCANNER=$scanner valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" \
    >/dev/null 2>"$tmp/cg.log" || true
  grep -o 'Collected : [0-9]*' "$tmp/cg.log" | awk '{print $3}' > "$tmp/$name.i"
}

# fixed NAME CMD... : the largest peak RSS (KB) of RUNS runs of a small command
fixed() {
  local name=$1
  shift
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f '%M' -o "$tmp/one" "$@" >/dev/null 2>&1 || true
    cat "$tmp/one"
  done | sort -n | tail -1 > "$tmp/$name.fixed"
}
"$build/bench/meshctl_gen_mesh" 10 "$tmp/mesh-10.yaml"
fixed floor "$floor" "$tmp/mesh-10.yaml"
fixed analyze "$meshctl" analyze --use-kube=false -A -o json "$tmp/mesh-10.yaml"
fixed validate "$meshctl" validate -f "$tmp/mesh-10.yaml"

echo "| corpus | command | YAML read by | instructions | floor ÷ this (instructions) | wall s (min of $runs) | floor ÷ this (wall) | CPU s (min) | peak RSS MB | RSS ÷ input | fixed MB | (RSS − fixed) ÷ input |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $sizes; do
  f=$tmp/mesh-$n.yaml
  "$build/bench/meshctl_gen_mesh" "$n" "$f"
  bytes=$(stat -c %s "$f")
  names=(floor analyze analyze_1thread validate analyze_libyaml validate_libyaml)
  for name in "${names[@]}"; do rm -f "$tmp/$name.t"; done
  for ((i = 0; i < runs; i++)); do
    run floor default "$floor" "$f"
    run analyze default "$meshctl" analyze --use-kube=false -A -o json "$f"
    THREADS=1 run analyze_1thread default "$meshctl" analyze --use-kube=false -A -o json "$f"
    run validate default "$meshctl" validate -f "$f"
    run analyze_libyaml libyaml "$meshctl" analyze --use-kube=false -A -o json "$f"
    run validate_libyaml libyaml "$meshctl" validate -f "$f"
  done
  instr floor default "$floor" "$f"
  instr analyze default "$meshctl" analyze --use-kube=false -A -o json "$f"
  echo - > "$tmp/analyze_1thread.i"  # the same instructions, on one thread
  instr validate default "$meshctl" validate -f "$f"
  instr analyze_libyaml libyaml "$meshctl" analyze --use-kube=false -A -o json "$f"
  instr validate_libyaml libyaml "$meshctl" validate -f "$f"
  fi_=$(cat "$tmp/floor.i")
  fw=$(sort -n "$tmp/floor.t" | head -1 | awk '{print $1}')
  for name in "${names[@]}"; do
    w=$(sort -n -k1 "$tmp/$name.t" | head -1 | awk '{print $1}')
    c=$(sort -n -k2 "$tmp/$name.t" | head -1 | awk '{print $2}')
    r=$(sort -n -k3 "$tmp/$name.t" | tail -1 | awk '{print $3}')
    i=$(cat "$tmp/$name.i")
    case $name in
      floor) fx=floor ;;
      analyze*) fx=analyze ;;
      *) fx=validate ;;
    esac
    fk=$(cat "$tmp/$fx.fixed")
    case $name in
      floor) cmd='`meshctl_yaml_floor`'; src=libyaml ;;
      analyze) cmd='`analyze --use-kube=false -A -o json`'; src='block scanner' ;;
      analyze_1thread) cmd='`analyze ...`, `MESHCTL_THREADS=1`'; src='block scanner' ;;
      validate) cmd='`validate -f`'; src='block scanner' ;;
      analyze_libyaml) cmd='`analyze --use-kube=false -A -o json`'; src=libyaml ;;
      validate_libyaml) cmd='`validate -f`'; src=libyaml ;;
    esac
    awk -v n="$n" -v mb="$bytes" -v cmd="$cmd" -v src="$src" -v i="$i" -v fi_="$fi_" -v w="$w" -v fw="$fw" \
        -v c="$c" -v r="$r" -v fk="$fk" 'BEGIN {
      ir = (i == "-" || fi_ == "-") ? "-" : sprintf("%.2f", fi_ / i)
      is = (i == "-") ? "-" : sprintf("%.0f", i)
      printf "| %dk (%.1f MB) | %s | %s | %s | %s | %.4f | %.2f | %.3f | %.1f | %.1fx | %.1f | %.1fx |\n",
        n / 1000, mb / 1e6, cmd, src, is, ir, w, fw / w, c, r / 1024, r * 1024 / mb, fk / 1024, (r - fk) * 1024 / mb }'
  done
done
