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
# A fourth runs an ONNX model through the importer: tests/wasi/onnx-run.cc (SIMD) loads the zoo's
# squeezenet1_1 (bench/models/export_zoo.py) from a preopened directory, decoding it with
# src/onnx/wire-decode.cc (no protobuf for wasm32; README, ONNX models), runs it on the zoo's
# fixed-seed input, writes its output .npy into $OUT/onnx-out and compares it with ONNX Runtime's
# (bench/models/reference.mjs): max |diff| / max |ref| <= 1e-4. The export and the reference are
# cached in $MODELS_DIR (default build/models); without torchvision the model is skipped with the
# reason printed.
# A rebuild happens only when a source, this script or the flags are newer than the programs.
#
# Usage: tests/wasi/run.sh [chain] [mobilenet] [onnx]   (default: all three groups)
#        build dir: $PORTNN_WASI_BUILD_DIR (default build/wasi); models: $MODELS_DIR (build/models)
# Exit status: non-zero if the build fails or any run fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
WANT=" ${*:-chain mobilenet onnx} "
for w in $WANT; do
  case "$w" in chain|mobilenet|onnx) ;; *) echo "wasi: unknown group '$w' (chain, mobilenet, onnx)" >&2; exit 2 ;; esac
done
want() { [[ "$WANT" == *" $1 "* ]]; }
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
# The ONNX importer (src/onnx/) is only in the ONNX program (ONNX_SRCS): its import core and the
# wire decoder, not decode.cc (protobuf has no wasm32 build here; see README, ONNX models).
mapfile -t LIB_SRCS < <(find src -name '*.cc' ! -path src/threadpool.cc ! -path 'src/onnx/*' | sort;
                        ls kernels/scalar/*.cc)
mapfile -t ONNX_SRCS < <(ls src/onnx/*.cc | grep -v '/decode\.cc$'; echo tools/npy.cc)
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
     [ -z "$(find src kernels include "$example" examples/*.h tests/wasi tools/npy.* -newer "$out" -print -quit)" ]; then
    echo "wasi: $out is up to date"
    return 0
  fi
  echo "wasi: building $out"
  rm -f "$out" "$stamp"
  # Explicit: set -e does not apply inside a function called as `build ... || status=1`.
  em++ "${COMMON_FLAGS[@]}" "$@" "${srcs[@]}" "$example" -o "$out" || { rm -f "$out"; return 1; }
  echo "$want" > "$stamp"
}

start=$(date +%s)
status=0
if want chain; then
  build chain-scalar examples/chain.cc &
  pid_scalar=$!
  build chain-simd examples/chain.cc -msimd128 -DPNN_ENABLE_WASMSIMD=1 &
  pid_simd=$!
  wait "$pid_scalar" || status=1
  wait "$pid_simd" || status=1
fi
# MobileNet v2 needs ~20 MB (packed weights and arena) besides the image and logits.
want mobilenet && { build mobilenet-v2-simd examples/mobilenet_v2.cc -Iexamples -msimd128 \
  -DPNN_ENABLE_WASMSIMD=1 -sINITIAL_MEMORY=64MB || status=1; }
# The ONNX program: the file, its decoded copy, the imported weights, the packed weights and the
# arena of squeezenet1_1 (5 MB of weights) fit in 128 MiB; a model that does not fit fails to load
# with out_of_memory (the decoder probes before it copies) or at runtime creation.
# It calls WASI functions Emscripten 3.1.6's JS library does not list (path_open,
# fd_prestat_get, fd_prestat_dir_name, fd_filestat_get), which its link step reports as undefined
# although they are wasi_snapshot_preview1 imports: ERROR_ON_UNDEFINED_SYMBOLS=0 lets them
# through, and run.mjs refuses any program that imports from outside WASI, so nothing else can.
want onnx && { build onnx-run-simd tests/wasi/onnx-run.cc -Itools -DPNN_ONNX_WIRE_LOADER=1 \
  -msimd128 -DPNN_ENABLE_WASMSIMD=1 -sINITIAL_MEMORY=128MB -sERROR_ON_UNDEFINED_SYMBOLS=0 \
  "${ONNX_SRCS[@]}" || status=1; }
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

if want chain; then
  run "scalar build" "$OUT/chain-scalar.wasm" scalar
  run "simd build, auto" "$OUT/chain-simd.wasm" wasmsimd
  run "simd build, PORTNN_ISA=scalar" "$OUT/chain-simd.wasm" scalar scalar
fi

if want mobilenet; then
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
fi

if want onnx; then
  # The ONNX model: exported and referenced once (cached), then loaded through a preopen.
  MODELS_DIR=${MODELS_DIR:-build/models}
  ONNX_MODEL=squeezenet1_1
  skip_reason=""
  if [ ! -f "$MODELS_DIR/$ONNX_MODEL.onnx" ] &&
     ! /usr/bin/python3 -c 'import torchvision' >/dev/null 2>&1; then
    skip_reason="Debian's python3-torchvision is not installed (needed to export $ONNX_MODEL)"
  fi
  if [ -z "$skip_reason" ]; then
    log=$( { /usr/bin/python3 bench/models/export_zoo.py --out "$MODELS_DIR" --only "$ONNX_MODEL" &&
             node bench/models/reference.mjs --models "$MODELS_DIR" --only "$ONNX_MODEL"; } 2>&1) &&
      rc=0 || rc=$?
    if [ "$rc" -ne 0 ]; then
      echo "FAIL wasi onnx $ONNX_MODEL: export or reference failed (exit $rc):"
      sed 's/^/    /' <<<"$log"
      failed=$((failed + 1))
      skip_reason="failed"
    fi
  fi
  if [ -n "$skip_reason" ]; then
    [ "$skip_reason" = failed ] || echo "SKIP wasi onnx $ONNX_MODEL: $skip_reason"
  else
    mkdir -p "$OUT/onnx-out"
    rm -f "$OUT/onnx-out/$ONNX_MODEL.output.npy"
    log=$(node --disable-warning=ExperimentalWarning tests/wasi/run.mjs "$OUT/onnx-run-simd.wasm" \
            --env PORTNN_ISA=auto --dir "/models=$MODELS_DIR" --dir "/out=$OUT/onnx-out" -- \
            "/models/$ONNX_MODEL.onnx" "/models/$ONNX_MODEL.input.npy" \
            "/models/$ONNX_MODEL.output.npy" "/out/$ONNX_MODEL.output.npy" 2>&1) && rc=0 || rc=$?
    if [ "$rc" -eq 0 ] && grep -q '^check .* OK$' <<<"$log" &&
       [ -s "$OUT/onnx-out/$ONNX_MODEL.output.npy" ]; then
      echo "PASS wasi onnx $ONNX_MODEL (importer, wire decoder, simd): $(grep -E '^(run|check)' <<<"$log" | tr '\n' ';')"
      passed=$((passed + 1))
    else
      echo "FAIL wasi onnx $ONNX_MODEL (exit $rc):"
      sed 's/^/    /' <<<"$log"
      failed=$((failed + 1))
    fi
  fi
fi

echo "wasi: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
