#!/usr/bin/env bash
# Installs what portnn's build, tests and benchmarks need, skipping what is already there:
# Debian packages with apt-get, and the npm dev tools (playwright-core, onnxruntime-node, ...) with
# `npm ci` from the committed package-lock.json. Idempotent; well under a second when everything is
# present.
# Usage: scripts/setup.sh
set -euo pipefail

PACKAGES=(
  cmake ninja-build g++ pkg-config
  libpthreadpool-dev libcpuinfo-dev
  libgtest-dev libbenchmark-dev
  libxnnpack-dev
  python3 nlohmann-json3-dev
  emscripten nodejs chromium
  clang-14 libclang-rt-14-dev
  python3-onnx libonnx-testdata
  python3-torchvision
  libprotobuf-dev protobuf-compiler
)

# A package counts as present when it is installed for this machine's architecture (or is
# architecture-independent): an arm64 copy of a -dev package that is not co-installable must not
# pass for the native one.
ARCH=$(dpkg --print-architecture)
missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status} ${Architecture}\n' "$p" 2>/dev/null |
       grep -Eq "^install ok installed ($ARCH|all)\$"; then
    missing+=("$p")
  fi
done

# npm: bundled with NodeSource's nodejs; Debian's nodejs ships it as a package of its own.
if ! command -v npm >/dev/null 2>&1; then missing+=(npm); fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} Debian packages present"
else
  echo "setup: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y "${missing[@]}"; then
    # A fresh machine may have no package lists yet.
    $SUDO apt-get update
    $SUDO apt-get install -y "${missing[@]}"
  fi
fi

# npm dev tools, exactly as locked. npm rewrites node_modules/.package-lock.json on every
# install, so one older than the committed lockfile (or none) means node_modules is stale.
# No dependency's install script runs (--ignore-scripts; package.json's allowScripts denies them
# too, for npm 11's own policy): onnxruntime-node's downloads GPU extras from a host that is not
# reachable and fails, while its CPU library ships inside the package; esbuild's checks its
# platform binary, which npm installs as an optional dependency like any other; protobufjs's
# prints a version-scheme warning.
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --ignore-scripts
else
  echo "setup: npm packages present"
fi

# The aarch64 cross toolchain, qemu-user and the arm64 libraries (scripts/setup-arm.sh).
scripts/setup-arm.sh
