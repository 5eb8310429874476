#!/usr/bin/env bash
# Installs what portnn's build, tests and benchmarks need from Debian's packages, skipping what is
# already there. Idempotent; takes well under a second when everything is present.
# Usage: scripts/setup.sh
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config
  libpthreadpool-dev libcpuinfo-dev
  libgtest-dev libbenchmark-dev
  libxnnpack-dev
  python3 nlohmann-json3-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages present"
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
  # A fresh machine may have no package lists yet.
  $SUDO apt-get update
  $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi
