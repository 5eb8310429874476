#!/usr/bin/env bash
# Runs the kernel testers (tests/kernels/*-test.cc, one case per registry line) and the unary
# and softmax operator tests (tests/operators/) against the WebAssembly SIMD128 and relaxed-SIMD
# kernels: builds them with Emscripten (relaxed-simd variant, which holds both levels; GoogleTest
# from Debian's sources; the CMake project is tests/wasm/) as Node programs and runs each with
# node --experimental-wasm-relaxed-simd (Node 20 validates relaxed SIMD only behind it). There
# every wasm kernel is runnable, the ARM-host variants (*__wasmsimd_arm_*) and the relaxed ones
# (*__wasmrelaxed*) included, so this is where those are tested directly on an x86 machine.
# Each binary first lists the registry entries its tester covers (tests/wasm/kernel-report.cc);
# the script fails if any wasm entry is not runnable, if a tester skipped one, or on any test
# failure, and names the failing wasm kernels (the failed cases are named after them). Configures once, then rebuilds only what changed: a rerun with nothing to rebuild
# takes seconds.
#
# Usage: scripts/test-wasm-kernels.sh
#   PORTNN_WASM_KERNEL_TEST_DIR  build tree (default build/wasm-kernel-tests)
#   JOBS                         parallel compile jobs (default: nproc)
# Needs Debian's emscripten (3.1.6), libgtest-dev (for /usr/src/googletest), cmake, ninja, node.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BUILD_DIR=${PORTNN_WASM_KERNEL_TEST_DIR:-build/wasm-kernel-tests}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$ROOT/$BUILD_DIR" ;; esac
JOBS=${JOBS:-$(nproc)}
# Emscripten's JS optimizer needs Debian's acorn, which a NodeSource node does not search.
export NODE_PATH=${NODE_PATH:+$NODE_PATH:}/usr/share/nodejs

for tool in emcmake node; do
  command -v $tool >/dev/null 2>&1 || { echo "test-wasm-kernels: $tool not found" >&2; exit 1; }
done
[ -f /usr/src/googletest/CMakeLists.txt ] || {
  echo "test-wasm-kernels: /usr/src/googletest missing (Debian package libgtest-dev)" >&2; exit 1; }

t0=$(date +%s)
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  echo "== wasm kernel tests: configure $BUILD_DIR"
  emcmake cmake -S "$ROOT/tests/wasm" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
echo "== wasm kernel tests: build"
cmake --build "$BUILD_DIR" -j "$JOBS" || { echo "test-wasm-kernels: build failed" >&2; exit 1; }
t1=$(date +%s)

# Per tester: a gtest filter for TESTs that cannot hold on wasm32 (a 64-bit size_t assumed,
# native-only behaviour); empty runs them all. None needs excluding today: the operator tests of
# unary-test and softmax-test (softmax's SizeOverflow included: SIZE_MAX-based) pass on a 32-bit
# size_t and run the wasm kernels through the operators, so they stay.
TESTERS=(f32-gemm-test f32-winograd-test f32-dwconv-test f32-pooling-test f32-vbinary-test f32-vunary-test
         f32-softmax-test x32-test f32-ibilinear-test unary-test softmax-test f32-norm-test
         softmax-axis-test)
declare -A FILTER=()
for t in "${TESTERS[@]}"; do FILTER[$t]=""; done

status=0
summary=()
for t in "${TESTERS[@]}"; do
  log="$BUILD_DIR/$t.log"
  args=()
  [ -n "${FILTER[$t]}" ] && args+=("--gtest_filter=${FILTER[$t]}")
  echo "== node $t.js ${args[*]}"
  rc=0
  ( cd "$BUILD_DIR" && node --experimental-wasm-relaxed-simd "$t.js" "${args[@]}" ) >"$log" 2>&1 || rc=$?
  problems=()
  [ $rc -eq 0 ] || problems+=("exit status $rc")
  grep -q '^\[  PASSED  \]' "$log" || problems+=("no PASSED line")
  if grep -q '^wasm-kernel-report: .* NOT-RUNNABLE' "$log"; then problems+=("wasm kernel not runnable"); fi
  if grep -qE '^skipping .*wasm(simd|relaxed)' "$log"; then problems+=("wasm kernel skipped"); fi
  { grep -E '^wasm-kernel-report: .*\[wasm(simd|relaxed)' "$log" || true; } | sed 's/^wasm-kernel-report: /  /'
  { grep '^skipping ' "$log" || true; } | sed 's/^/  /' 
  tests=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) tests\?.*/\1/p' "$log" | tail -1)
  x86=$(grep -c '^wasm-kernel-report: .*\[wasmsimd-x86-host\] runnable' "$log" || true)
  arm=$(grep -c '^wasm-kernel-report: .*\[wasmsimd-arm-host\] runnable' "$log" || true)
  generic=$(grep -c '^wasm-kernel-report: .*\[wasmsimd\] runnable' "$log" || true)
  relaxed=$(grep -c '^wasm-kernel-report: .*\[wasmrelaxed\] runnable' "$log" || true)
  line=$(printf '%-18s tests passed %4s   wasm entries: %2d generic, %d x86-host, %d arm-host, %2d relaxed' \
           "$t" "${tests:-0}" "$generic" "$x86" "$arm" "$relaxed")
  if [ ${#problems[@]} -ne 0 ]; then
    status=1
    # Each registry line is a case named after its kernel: collect the failed wasm ones.
    bad=$(grep -E '^\[  FAILED  \] ' "$log" | grep -oE 'pnn_f32_[a-z0-9_]*__wasm(simd|relaxed)[a-z0-9_]*' \
            | sort -u | tr '\n' ' ' || true)
    line+="   FAILED: ${problems[*]}${bad:+; failing wasm kernels: $bad}"
    echo "---- $t: first failures (full log: $log)"
    { grep -A8 ': Failure$' "$log" || true; } | head -40
    { grep -E '^\[  FAILED  \] [A-Za-z]|Aborted|RuntimeError' "$log" || true; } | sort -u | head -20
  fi
  summary+=("$line")
done
t2=$(date +%s)

echo "== wasm kernel tests summary (build $((t1 - t0)) s, run $((t2 - t1)) s; logs in $BUILD_DIR/*.log)"
printf '  %s\n' "${summary[@]}"
[ $status -eq 0 ] && echo "test-wasm-kernels: all passed" || echo "test-wasm-kernels: FAILED" >&2
exit $status
