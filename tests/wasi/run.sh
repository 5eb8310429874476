#!/usr/bin/env bash
# The WASI check: builds examples/chain.cc (conv -> relu -> max pool -> fully connected ->
# softmax, checked stage by stage against its own double-precision version) together with the
# library sources as standalone WebAssembly programs that import nothing but
# wasi_snapshot_preview1, and runs them sandboxed under Node's node:wasi (tests/wasi/run.mjs).
#
# Two programs: scalar (no SIMD) and SIMD (-msimd128, with the wasm SIMD kernels). The SIMD one
# runs twice: with the best kernels (expects pnn_isa_name() "wasmsimd") and with PORTNN_ISA=scalar.
# A third program runs a whole model through the graph runtime: examples/mobilenet_v2.cc
# (MobileNet v2 224x224, include/portnn-graph.h), SIMD, one invoke (its results are checked
# against references by tests/mobilenet-v2-test.cc and wasm/test/mobilenet-v2.test.mjs).
# A rebuild happens only when a source, this script or the flags are newer than the programs.
#
# Usage: tests/wasi/run.sh        (build dir: $PORTNN_WASI_BUILD_DIR, default build/wasi)
# Exit status: non-zero if the build fails or any run fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${PORTNN_WASI_BUILD_DIR:-build/wasi}
mkdir -p "$OUT"

# Debian's emscripten needs Debian's acorn module, which the NodeSource node does not search.
export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
if ! command -v em++ >/dev/null; then
  echo "wasi: em++ not found (Debian package emscripten)" >&2
  exit 1
fi

# The library as CMake globs it, minus the pthreadpool wrapper (the WebAssembly builds use
# src/threadpool-web.cc, which without -pthread runs every loop on the caller's thread).
# The ONNX importer (src/onnx/) is not part of these programs: its native decoder needs protobuf,
# which has no wasm32 build here (see README, ONNX models).
mapfile -t LIB_SRCS < <(find src -name '*.cc' ! -path src/threadpool.cc ! -path 'src/onnx/*' | sort;
                        ls kernels/scalar/*.cc)
mapfile -t SIMD_SRCS < <(ls kernels/wasm/*.cc 2>/dev/null || true)

# -sSTANDALONE_WASM: a WASI program with _start and no JS glue. No memory growth: growth makes
# Emscripten import env.emscripten_notify_memory_growth; the chain needs well under 16 MiB.
# Compile flags as the CMake Release build of the wasm variants (CMakeLists.txt).
COMMON_FLAGS=(-std=c++17 -O3 -DNDEBUG -fno-exceptions -fno-rtti -Wall -Wextra -Wno-unused-parameter
              -Iinclude -Isrc -Ikernels
              -sSTANDALONE_WASM -sINITIAL_MEMORY=16MB)

stamp_of() { echo "$*" | md5sum | cut -c1-32; }

# build <name> <example source> <extra flags...>: $OUT/<name>.wasm, rebuilt only when out of date.
build() {
  local name=$1 example=$2
  shift 2
  local out="$OUT/$name.wasm" stamp="$OUT/$name.flags"
  local flags="${COMMON_FLAGS[*]} $*"
  local srcs=("${LIB_SRCS[@]}")
  if [[ " $* " == *" -msimd128 "* ]]; then srcs+=("${SIMD_SRCS[@]}"); fi
  local want
  want=$(stamp_of "$flags ${srcs[*]} $example")
  if [ -f "$out" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
     [ -z "$(find src kernels include "$example" examples/*.h tests/wasi -newer "$out" -print -quit)" ]; then
    echo "wasi: $out is up to date"
    return 0
  fi
  echo "wasi: building $out"
  rm -f "$out" "$stamp"
  em++ "${COMMON_FLAGS[@]}" "$@" "${srcs[@]}" "$example" -o "$out"
  echo "$want" > "$stamp"
}

start=$(date +%s)
build chain-scalar examples/chain.cc &
pid_scalar=$!
build chain-simd examples/chain.cc -msimd128 -DPNN_ENABLE_WASMSIMD=1 &
pid_simd=$!
status=0
wait "$pid_scalar" || status=1
wait "$pid_simd" || status=1
# MobileNet v2 needs ~20 MB (packed weights and arena) besides the image and logits.
build mobilenet-v2-simd examples/mobilenet_v2.cc -Iexamples -msimd128 -DPNN_ENABLE_WASMSIMD=1 \
  -sINITIAL_MEMORY=64MB || status=1
if [ "$status" -ne 0 ]; then
  echo "wasi: FAILED to build" >&2
  exit 1
fi
echo "wasi: build took $(( $(date +%s) - start )) s"

# run <label> <wasm> <expected pnn_isa_name> [PORTNN_ISA value]
passed=0
failed=0
run() {
  local label=$1 wasm=$2 want_isa=$3 isa=${4:-auto}
  # Always explicit, so a PORTNN_ISA in the caller's environment cannot change the expectation.
  local env_args=(--env "PORTNN_ISA=$isa")
  local log rc=0
  log=$(node --disable-warning=ExperimentalWarning tests/wasi/run.mjs "$wasm" "${env_args[@]}" 2>&1) || rc=$?
  local got_isa
  got_isa=$(sed -n 's/^kernel level (pnn_isa_name): //p' <<<"$log")
  if [ "$rc" -eq 0 ] && [ "$got_isa" = "$want_isa" ]; then
    echo "PASS wasi $label: isa $got_isa, conv kernel $(sed -n 's/^kernels: conv //p' <<<"$log"), $(grep '^top class' <<<"$log")"
    passed=$((passed + 1))
  else
    echo "FAIL wasi $label (exit $rc, isa '$got_isa', expected '$want_isa'):"
    sed 's/^/    /' <<<"$log"
    failed=$((failed + 1))
  fi
}

run "scalar build" "$OUT/chain-scalar.wasm" scalar
run "simd build, auto" "$OUT/chain-simd.wasm" wasmsimd
run "simd build, PORTNN_ISA=scalar" "$OUT/chain-simd.wasm" scalar scalar

# The model: one thread, one invoke; it must finish and report its logits.
log=$(node --disable-warning=ExperimentalWarning tests/wasi/run.mjs "$OUT/mobilenet-v2-simd.wasm" \
        --env PORTNN_ISA=auto -- 1 1 2>&1) && rc=0 || rc=$?
if [ "$rc" -eq 0 ] && grep -q '^  top 5 logits:' <<<"$log" && grep -q 'wasmsimd' <<<"$log"; then
  echo "PASS wasi mobilenet_v2 (graph runtime): $(grep -E 'run median|top 5' <<<"$log" | tr -s ' ' | tr '\n' ';')"
  passed=$((passed + 1))
else
  echo "FAIL wasi mobilenet_v2 (exit $rc):"
  sed 's/^/    /' <<<"$log"
  failed=$((failed + 1))
fi

echo "wasi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
