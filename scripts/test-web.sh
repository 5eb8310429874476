#!/usr/bin/env bash
# The WebAssembly checks outside Node's own tests: the package in Debian's Chromium (driven by
# playwright-core, pages served on 127.0.0.1 with and without COOP/COEP) and the WASI build of the
# example chain under node:wasi. Installs only what is missing:
#   - Debian's chromium, if /usr/bin/chromium is absent;
#   - emscripten, if em++ is absent;
#   - the npm dev tools (npm ci at the repo root), if node_modules is missing or older than
#     package-lock.json. No tool downloads a browser.
# Then builds the three wasm variants (scripts/build-wasm.sh), runs tests/web/run-chromium.mjs,
# tests/web/run-zoo.mjs (one zoo model, squeezenet1_1, through loadOnnx in Chromium on every variant
# against onnxruntime's reference; the model is the native suite's cached export in build/models,
# or PORTNN_ZOO_DIR, else exported here alone, a few seconds; skipped with the reason only when
# Debian's torchvision is absent),
# tests/bundlers/run.mjs (the packed package built into web apps with Vite, webpack, esbuild and
# Rollup, and loaded unbundled, in a module Worker and from another origin) and tests/wasi/run.sh,
# and prints the counts. Exits non-zero if anything failed.
#
# Usage: scripts/test-web.sh
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
apt_install() {
  echo "test-web: installing $*"
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y "$@"; then
    # A fresh machine may have no package lists yet.
    $SUDO apt-get update
    $SUDO apt-get install -y "$@"
  fi
}

if [ ! -x /usr/bin/chromium ]; then apt_install chromium; fi
if ! command -v em++ >/dev/null 2>&1; then apt_install emscripten; fi

# playwright-core never downloads browsers; the variable guards against any tool that would.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# npm writes node_modules/.package-lock.json on every install: older than the committed lockfile
# (or missing) means node_modules does not reflect it.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "test-web: npm ci"
  # No install scripts, as in scripts/setup.sh (onnxruntime-node's would fail here).
  npm ci --no-audit --no-fund --ignore-scripts
fi

start=$(date +%s)
echo "== wasm: build (scripts/build-wasm.sh)"
scripts/build-wasm.sh

status=0
echo "== browser: Chromium"
chromium_log=$(mktemp)
node tests/web/run-chromium.mjs | tee "$chromium_log" || status=1

echo "== browser: a zoo model through loadOnnx in Chromium (tests/web/run-zoo.mjs)"
zoo_log=$(mktemp)
ZOO=${PORTNN_ZOO_DIR:-build/models}
ZOO_MODEL=squeezenet1_1
zoo_ready=1
if [ ! -f "$ZOO/$ZOO_MODEL.onnx" ] || ! grep -q "\"$ZOO_MODEL\"" "$ZOO/index.json" 2>/dev/null; then
  if /usr/bin/python3 -c 'import torchvision' 2>/dev/null; then
    /usr/bin/python3 bench/models/export_zoo.py --only "$ZOO_MODEL" --out "$ZOO" || { zoo_ready=0; status=1; }
  else
    echo "zoo-chromium: skipped: Debian's python3-torchvision is absent, so $ZOO_MODEL cannot be exported" | tee "$zoo_log"
    zoo_ready=0
  fi
fi
if [ "$zoo_ready" -eq 1 ]; then
  # onnxruntime-node's outputs for the model's input (.npy next to it; kept when up to date).
  if node bench/models/reference.mjs --models "$ZOO" --only "$ZOO_MODEL"; then
    node tests/web/run-zoo.mjs --models "$ZOO" --model "$ZOO_MODEL" | tee "$zoo_log" || status=1
  else
    status=1
  fi
fi

echo "== bundlers: the packed package in Vite, webpack, esbuild, Rollup, import-map, Worker and CDN pages"
bundlers_log=$(mktemp)
node tests/bundlers/run.mjs | tee "$bundlers_log" || status=1

echo "== WASI: examples/chain.cc under node:wasi"
wasi_log=$(mktemp)
tests/wasi/run.sh | tee "$wasi_log" || status=1

echo "== web summary ($(( $(date +%s) - start )) s)"
grep -E '^chromium: [0-9]+ passed' "$chromium_log" || echo "chromium: did not finish"
grep -E '^zoo-chromium: ([0-9]+ passed|skipped)' "$zoo_log" || echo "zoo-chromium: did not finish"
grep -E '^bundlers: [0-9]+ passed' "$bundlers_log" || echo "bundlers: did not finish"
grep -E '^wasi: [0-9]+ passed' "$wasi_log" || echo "wasi: did not finish"
rm -f "$chromium_log" "$zoo_log" "$bundlers_log" "$wasi_log"
if [ "$status" -ne 0 ]; then
  echo "test-web: FAILED"
  exit 1
fi
echo "test-web: all passed"
