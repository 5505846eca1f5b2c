#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz/targets.txt for SECONDS each (one
# process at a time, niced), from seeds generated now out of testdata/ and
# ../shared plus the committed seeds and regression inputs.
#   scripts/fuzz.sh [SECONDS] [TARGET...]        (default 60 s, every target)
# Needs the clang ASan tree: scripts/build.sh asan (MESHCTL_FUZZ_BUILD=dir to
# use another). Crashes, leaks, timeouts and OOMs are kept in fuzz-crashes/<target>/
# (gitignored); each one is printed to the log as base64 with the report's
# stack, and the script exits 1. Summary: execs, execs/s, findings per target.
# See docs/fuzzing.md.
set -uo pipefail
shopt -s globstar nullglob
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
seconds=${1:-60}
shift || true
build=${MESHCTL_FUZZ_BUILD:-$root/build-asan}
crashes=$root/fuzz-crashes
work=$build/fuzz
max_len=${MESHCTL_FUZZ_MAX_LEN:-65536}
case "$seconds" in ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 64 ;; esac

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

rows=()
while read -r name dict globs; do
  [[ "$name" =~ ^[a-z] ]] || continue
  if [ $# -gt 0 ]; then
    want=0
    for t in "$@"; do [ "$t" = "$name" ] && want=1; done
    [ $want = 1 ] || continue
  fi
  rows+=("$name|$dict|$globs")
done < tests/fuzz/targets.txt
[ ${#rows[@]} -gt 0 ] || { echo "fuzz: no target matches: $*" >&2; exit 64; }

# Fills $work/seeds/<name> with the seed files (named by content hash, so the
# same file reached by two globs is one seed).
make_seeds() {
  local name=$1 globs=$2 dir=$work/seeds/$1 n=0 g f
  rm -rf "$dir"
  mkdir -p "$dir"
  for g in $globs tests/fuzz/seeds/$name/* tests/fuzz/regressions/$name/*; do
    if [[ "$g" == ../shared/* ]] && [ ! -d ../shared ]; then continue; fi
    for f in $g; do
      [ -f "$f" ] || continue
      cp "$f" "$dir/$(sha1sum "$f" | cut -c1-16)"
    done
  done
  n=$(find "$dir" -type f | wc -l)
  echo "$n"
}

stat_of() {  # stat_of LOG KEY -> value of "stat::KEY: value" or "-"
  local v
  v=$(grep -a "^stat::$2:" "$1" | tail -1 | awk '{print $2}')
  echo "${v:--}"
}

summary=()
failed=0
for row in "${rows[@]}"; do
  IFS='|' read -r name dict globs <<<"$row"
  bin=$work/fuzz_$name
  if [ ! -x "$bin" ]; then
    echo "fuzz: $bin is missing; build it with scripts/build.sh asan" >&2
    failed=1
    summary+=("$(printf '%-20s %s' "$name" "NOT BUILT")")
    continue
  fi
  nseeds=$(make_seeds "$name" "$globs")
  mkdir -p "$work/corpus/$name" "$crashes/$name" "$work/logs"
  log=$work/logs/$name.log
  args=(-max_total_time="$seconds" -max_len="$max_len" -timeout=20 -rss_limit_mb=2560
        -print_final_stats=1 -artifact_prefix="$crashes/$name/")
  [ "$dict" != "-" ] && args+=(-dict="tests/fuzz/dict/$dict")
  # MESHCTL_FUZZ_RUNS=N: N executions from a fixed seed (MESHCTL_FUZZ_SEED,
  # default 1), SECONDS staying the upper bound: the same inputs every run,
  # so CI's verdict is reproducible. Without it libFuzzer explores at random.
  [ -n "${MESHCTL_FUZZ_RUNS:-}" ] && args+=(-runs="$MESHCTL_FUZZ_RUNS" -seed="${MESHCTL_FUZZ_SEED:-1}")
  touch "$log.start"
  echo "== fuzz $name: ${seconds}s, $nseeds seeds, corpus $work/corpus/$name"
  nice -n 19 "$bin" "${args[@]}" "$work/corpus/$name" "$work/seeds/$name" >"$log" 2>&1
  rc=$?
  found=()
  while IFS= read -r f; do found+=("$f"); done < <(find "$crashes/$name" -type f -newer "$log.start" 2>/dev/null)
  new=${#found[@]}
  if [ $rc -ne 0 ] || [ $new -gt 0 ]; then
    failed=1
    echo "!! fuzz $name FAILED (exit $rc, $new new finding(s)); report:"
    grep -a -A60 -m1 -E '^==[0-9]+==|runtime error|uncaught exception|ERROR: libFuzzer' "$log" | head -80
    for p in "${found[@]}"; do
      echo "-- input $p ($(stat -c %s "$p") bytes), base64:"
      base64 -w 76 "$p" | head -200
      echo "-- hex (first 512 bytes):"
      od -A x -t x1z -v -N 512 "$p"
      echo "-- reproduce: $bin $p"
    done
  fi
  summary+=("$(printf '%-20s %6ss %12s %10s %8s %6s %8s' "$name" "$seconds" \
      "$(stat_of "$log" number_of_executed_units)" "$(stat_of "$log" average_exec_per_sec)" \
      "$(stat_of "$log" new_units_added)" "$new" "$(stat_of "$log" peak_rss_mb)")")
done

echo
echo "== fuzz summary (logs in $work/logs, findings in $crashes)"
printf '%-20s %7s %12s %10s %8s %6s %8s\n' target time execs execs/s new_cov crash rss_mb
for s in "${summary[@]}"; do echo "$s"; done
if [ $failed -ne 0 ]; then
  echo "fuzz: FAILED (see the reports above)"
  exit 1
fi
echo "fuzz: 0 crashes, 0 leaks, 0 timeouts"
