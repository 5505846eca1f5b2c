#!/usr/bin/env bash
# Regenerates completions/ from the built binary's command tree. Run after
# adding a subcommand or flag (tests/cli/drift_test.cc fails until you do).
#   scripts/gen-completions.sh [path/to/meshctl]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/meshctl}
"$bin" completion bash > "$root/completions/meshctl.bash"
"$bin" completion zsh > "$root/completions/_meshctl"
"$bin" completion fish > "$root/completions/meshctl.fish"
echo "completions regenerated from $bin"
