#!/usr/bin/env bash
# Builds the WebAssembly package (scripts/build-wasm.sh) and runs its Node tests
# (wasm/test/*.test.mjs with node --test) and the model zoo's JS helpers (bench/models/), then the
# ONNX conformance cases through the JS API on
# every variant (tests/onnx/README.md). Exits non-zero on any failure.
# Needs Debian's emscripten package and Node 18+ (the tests are run with Node 20); the ONNX part
# needs libonnx-testdata and python3-onnx (scripts/setup.sh installs both).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/build-wasm.sh

echo "== wasm: node --test ($(node --version))"
(cd wasm && node --test test/*.test.mjs)

echo "== wasm: the model zoo's JS helpers (bench/models/*.test.mjs: .npy, the input generator)"
node --test bench/models/

echo "== wasm: the model zoo through loadOnnx on every variant (tests/models/run-wasm.mjs)"
# The zoo and its ONNX Runtime references are cached in build/models (the native suite's
# tests/models/run.sh makes them too; both steps skip what is there).
/usr/bin/python3 bench/models/export_zoo.py --out build/models
node bench/models/reference.mjs --models build/models
node --experimental-wasm-relaxed-simd tests/models/run-wasm.mjs --models build/models

echo "== wasm: ONNX conformance (tests/onnx/conformance.mjs)"
# Debian's python3 has python3-onnx (a pyenv python3 first on PATH may not).
ONNX_DATA=/usr/share/libonnx-testdata/data
/usr/bin/python3 tests/onnx/convert.py \
  --data "$ONNX_DATA/node" "$ONNX_DATA/pytorch-converted" "$ONNX_DATA/pytorch-operator" \
  --constants kernels/math-constants.h --out build/onnx-cases
node tests/onnx/conformance.mjs build/onnx-cases
