#!/usr/bin/env bash
# meshctl's SARIF output checked against the SARIF 2.1.0 JSON schema (OASIS),
# the check GitHub code scanning applies on upload. The schema is not in any
# Debian package; the npm package @datadog/datadog-ci-plugin-sarif bundles it,
# so the test takes it from there (cached under $XDG_CACHE_HOME) and
# validates with Debian's python3-jsonschema. Skips, saying why, when npm or
# the registry is not reachable.
#   tests/ci/sarif_schema_test.sh MESHCTL_BINARY SOURCE_DIR
set -euo pipefail
bin=$1 src=$2
skip() { echo "SKIP: $*"; exit 0; }
command -v node >/dev/null 2>&1 || skip "node is not installed"
command -v npm >/dev/null 2>&1 || skip "npm is not installed"
/usr/bin/python3 -c 'import jsonschema' 2>/dev/null || skip "python3-jsonschema is not installed"
cache=${XDG_CACHE_HOME:-$HOME/.cache}/meshctl-test/sarif
schema="$cache/sarif-schema-2.1.0.json"
if [ ! -s "$schema" ]; then
  mkdir -p "$cache"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && timeout 120 npm pack --silent @datadog/datadog-ci-plugin-sarif@5.25.0 >/dev/null 2>&1) ||
    skip "npm could not fetch @datadog/datadog-ci-plugin-sarif (offline?)"
  tar -xzf "$work"/*.tgz -C "$work"
  node "$src/tests/ci/extract_sarif_schema.js" "$work/package/dist/bundle.js" >"$schema.tmp"
  mv "$schema.tmp" "$schema"
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
check() {  # check NAME ARGS... : run meshctl, validate its stdout
  local name=$1; shift
  local status=0
  (cd "$src" && "$bin" "$@" >"$out" 2>/dev/null) || status=$?
  [ "$status" -eq 0 ] || [ "$status" -eq 79 ] || { echo "FAIL: $name: meshctl exited $status"; exit 1; }
  /usr/bin/python3 - "$schema" "$out" "$name" <<'PY'
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(doc), key=lambda e: list(e.path))
for e in errors[:10]:
    print(f"FAIL: {sys.argv[3]}: {'/'.join(map(str, e.path))}: {e.message}")
if errors:
    sys.exit(1)
runs = doc.get("runs", [])
print(f"ok: {sys.argv[3]}: {sum(len(r.get('results', [])) for r in runs)} results valid against SARIF 2.1.0")
PY
}
check "analyze bookinfo" analyze -A -o sarif testdata/bookinfo
check "analyze testdata/analysis" analyze -A -o sarif testdata/analysis
check "analyze, no findings" analyze -o sarif testdata/bookinfo/namespace.yaml
