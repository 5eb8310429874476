#!/usr/bin/env bash
# Builds everything and runs every test suite; exits non-zero if any suite failed.
#   native:     configure + build (build/test), ctest (kernel testers, operator tests, status
#               and hostile-input tests; on x86-64 each compiled level forced in turn), then
#               the installed-package consumer test, the model zoo through the ONNX importer
#               against ONNX Runtime at every level (tests/models/run.sh), then (x86-64) builds
#               with the CMake option
#               PORTNN_ISA=avx2 and =scalar (fewer levels compiled in) and their suites;
#   wasm:       the three .wasm builds and the JS package's tests under `node --test`, then the
#               kernel testers built with em++ -msimd128 and run in Node (every wasm kernel,
#               x86-host and ARM-host variants);
#   web:        the package in headless Chromium (isolated and plain pages), the packed package
#               built into web apps by Vite, webpack, esbuild and Rollup (tests/bundlers/), the
#               WASI build;
#   arm:        the aarch64 cross build, its whole suite under qemu at the NEON level and with
#               the scalar level forced;
#   sanitizers: the native suite under ASan+UBSan, the TSan concurrency test, the fuzz targets.
# Every suite runs even when an earlier one failed; the summary at the end lists them.
# Usage: scripts/test.sh [suite...]   (default: all; e.g. `scripts/test.sh native wasm`)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}
SUITES=("$@")
[ ${#SUITES[@]} -eq 0 ] && SUITES=(native wasm web arm sanitizers)

scripts/setup.sh || { echo "test: setup failed"; exit 1; }

suite_native() {
  cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPORTNN_BUILD_TESTS=ON -DPORTNN_BUILD_BENCHMARKS=ON >/dev/null &&
  cmake --build build/test -j "$JOBS" &&
  ctest --test-dir build/test --output-on-failure -j "$JOBS" &&
  tests/consumer/run.sh "$ROOT/build/test" &&
  tests/models/run.sh "$ROOT/build/test" &&
  native_partial_builds
}
# The build option PORTNN_ISA=<level> compiles that level and those below it only: the
# registries' guards and the per-level test entries must hold with fewer levels too.
native_partial_builds() {
  case "$(uname -m)" in x86_64|amd64) ;; *) return 0 ;; esac
  local level
  for level in avx2 scalar; do
    echo "== native: PORTNN_ISA=$level build (build/test-isa-$level)"
    cmake -S . -B "build/test-isa-$level" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DPORTNN_ISA=$level -DPORTNN_BUILD_TESTS=ON -DPORTNN_BUILD_BENCHMARKS=OFF >/dev/null &&
    cmake --build "build/test-isa-$level" -j "$JOBS" &&
    ctest --test-dir "build/test-isa-$level" --output-on-failure -j "$JOBS" || return 1
  done
}
suite_wasm() { scripts/test-wasm-node.sh && scripts/test-wasm-kernels.sh; }
suite_web() { scripts/test-web.sh; }
suite_arm() { scripts/test-arm.sh; }
suite_sanitizers() { scripts/test-sanitizers.sh; }

declare -a RESULTS=()
status=0
for s in "${SUITES[@]}"; do
  if ! declare -F "suite_$s" >/dev/null; then
    echo "test: unknown suite '$s' (native, wasm, web, arm, sanitizers)"; exit 2
  fi
  echo
  echo "======== $s"
  t0=$(date +%s)
  if "suite_$s"; then r=passed; else r=FAILED; status=1; fi
  RESULTS+=("$(printf '%-11s %-7s %4ds' "$s" "$r" $(( $(date +%s) - t0 )))")
done

echo
echo "======== summary"
printf '%s\n' "${RESULTS[@]}"
[ $status -eq 0 ] && echo "test: all suites passed" || echo "test: FAILURES above"
exit $status
