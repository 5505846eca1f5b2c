#!/bin/sh
# LIST + analyze of a 10,000-resource cluster served by the fake API server
# (tests/kube/fake_apiserver.py, paged at 500) next to `analyze` of the same
# resources from a file, plus the fake's own serving time (the same GETs
# replayed with one curl process). Prints a Markdown table.
#   bench/live_analyze.sh [BUILD_DIR] [N]   (defaults: build 10000)
set -eu
BUILD=${1:-build}
N=${2:-10000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TMP=$(mktemp -d)
FAKE_PID=
cleanup() { [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT
cd "$TMP"
"$ROOT/$BUILD/bench/meshctl_gen_mesh" "$N" mesh.yaml
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt \
  -subj /CN=ca -days 1 >/dev/null 2>&1
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout s.key -out s.csr -subj /CN=l \
  >/dev/null 2>&1
printf 'subjectAltName=IP:127.0.0.1\n' > ext
openssl x509 -req -in s.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out s.crt -days 1 -extfile ext \
  >/dev/null 2>&1
mkfifo in
sleep 3600 > in &
SLEEPER=$!
/usr/bin/python3 "$ROOT/tests/kube/fake_apiserver.py" --cert s.crt --key s.key --token bench-token \
  --record rec.jsonl mesh.yaml < in > port &
FAKE_PID=$!
i=0; while [ ! -s port ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
PORT=$(awk '{print $2}' port)
cat > kc <<EOK
apiVersion: v1
kind: Config
clusters: [{name: b, cluster: {server: "https://127.0.0.1:$PORT", certificate-authority: $TMP/ca.crt}}]
users: [{name: u, user: {token: bench-token}}]
contexts: [{name: b, context: {cluster: b, user: u}}]
current-context: b
EOK
now() { date +%s.%N; }
best() { awk 'BEGIN{m=1e9} {if ($1<m) m=$1} END{printf "%.3f", m}'; }
: > t_file; : > t_live; : > t_serve
for r in 1 2 3; do
  a=$(now); "$ROOT/$BUILD/meshctl" analyze -A --use-kube=false -o json mesh.yaml > file.json 2>/dev/null || true
  b=$(now); echo "$b - $a" | bc -l >> t_file
  : > rec.jsonl
  a=$(now); "$ROOT/$BUILD/meshctl" analyze -A --kubeconfig kc -o json > live.json 2>/dev/null || true
  b=$(now); echo "$b - $a" | bc -l >> t_live
  # The same GETs, replayed by one curl process: the fake's serving + transfer time.
  /usr/bin/python3 -c "
import json, urllib.parse
for l in open('rec.jsonl'):
    r = json.loads(l)
    q = urllib.parse.urlencode([(k, v) for k, vs in r['query'].items() for v in vs])
    print('url = \"https://127.0.0.1:$PORT' + r['path'] + ('?' + q if q else '') + '\"')
    print('output = \"/dev/null\"')
" > urls
  a=$(now); curl -s --compressed --cacert ca.crt -H "Authorization: Bearer bench-token" --config urls
  b=$(now); echo "$b - $a" | bc -l >> t_serve
done
kill "$SLEEPER" 2>/dev/null || true
lists=$(grep -c '"limit"' rec.jsonl || true)
ff=$(/usr/bin/python3 -c "import json; print(len(json.load(open('file.json'))))")
fl=$(/usr/bin/python3 -c "import json; print(len(json.load(open('live.json'))))")
F=$(best < t_file); L=$(best < t_live); S=$(best < t_serve)
echo "| resources | file analyze s | live LIST+analyze s | fake serving s | live / (file + serving) | LIST requests | findings file / live |"
echo "|---|---|---|---|---|---|---|"
awk -v n="$N" -v f="$F" -v l="$L" -v s="$S" -v q="$lists" -v a="$ff" -v b="$fl" 'BEGIN {
  printf "| %d | %.3f | %.3f | %.3f | %.2f | %d | %d / %d |\n", n, f, l, s, l / (f + s), q, a, b }'
