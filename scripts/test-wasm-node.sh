#!/usr/bin/env bash
# Builds the WebAssembly package (scripts/build-wasm.sh) and runs its Node tests
# (wasm/test/*.test.mjs with node --test). Exits non-zero on any failure.
# Needs Debian's emscripten package and Node 18+ (the tests are run with Node 20).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-wasm.sh

echo "== wasm: node --test ($(node --version))"
cd wasm
node --test test/*.test.mjs
