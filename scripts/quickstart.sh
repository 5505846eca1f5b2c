#!/usr/bin/env bash
# Quick start (1): install dependencies, build, and analyze the sample mesh.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/scripts/install-deps.sh"
bash "$root/scripts/build.sh" release
cd "$root"
echo "+ meshctl analyze -A testdata/bookinfo"
status=0
build/meshctl analyze -A testdata/bookinfo || status=$?
# 79 means "findings at or above the failure threshold": the sample has some on purpose.
if [ "$status" -ne 0 ] && [ "$status" -ne 79 ]; then exit "$status"; fi
