#!/usr/bin/env bash
# Installs every build and test dependency of meshctl from Debian 12 packages.
# Idempotent: packages already present are left alone and apt-get is not called.
# Runs as root (CI, containers) or through sudo when available.
set -euo pipefail

packages=(
  cmake g++ make ninja-build pkg-config ccache
  clang-14 libclang-rt-14-dev
  libcli11-dev libfmt-dev libyaml-cpp-dev libyaml-dev nlohmann-json3-dev
  libcurl4-openssl-dev libssl-dev libsimdjson-dev libre2-dev
  libgrpc++-dev libprotobuf-dev protobuf-compiler protobuf-compiler-grpc
  catch2 jq python3 time
  dpkg-dev lintian man-db bash-completion python3-jsonschema
  python3-kubernetes prometheus
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
