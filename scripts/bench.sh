#!/usr/bin/env bash
# Benchmarks portnn on every shape of bench/suite.json, in three parts, and ends with one combined
# table:
#   native    portnn against XNNPACK (Debian's libxnnpack-dev): builds a Release tree in
#             build/bench (tests off) and runs portnn-bench through bench/run_native.py, shape by
#             shape: portnn at the best level with 1 and N threads, portnn with PORTNN_ISA=sse2
#             and =avx2 forced (1 thread; only levels compiled in that the CPU has), XNNPACK with
#             1 and N threads; per-shape ratios, per-section geometric means, GFLOP/s, thread
#             speed-ups and the kernel that ran; then the model section: MobileNet v2 on
#             portnn's graph runtime against XNNPACK's subgraph runtime, same weights, 1 and N
#             threads, with creation time, memory and the outputs cross-checked
#             (bench/model.cc, portnn-model-bench);
#   node      the WebAssembly builds (scalar, simd, simd-threads with 1 and N threads) in Node,
#             next to TF.js's WebAssembly backend and ONNX Runtime Web (bench/js/node.mjs); then
#             the model section: MobileNet v2, same weights, on portnn's graph runtime (simd, and
#             simd-threads with 1 and N threads), as TF.js fused ops and on ONNX Runtime Web, with
#             creation times and the outputs cross-checked (node.mjs --model, bench/js/model.mjs);
#   chromium  the same in headless Chromium, on the benchmark page bench/web/ served with
#             COOP/COEP (bench/js/chromium.mjs, and --model: ONNX Runtime also on N threads);
#   models    the public model zoo (bench/models/README.md: six torchvision models exported to
#             ONNX by bench/models/export_zoo.py into build/models, cached): load and median run
#             times, peak memory and outputs checked against the references, for portnn natively
#             (portnn-run, built in the native tree) and in Node (loadOnnx, simd and
#             simd-threads), onnxruntime-node and onnxruntime-web (in Node), 1 and N threads
#             (bench/models/reference.mjs --time); then the same web rows in headless Chromium
#             (bench/models/chromium.mjs: bench/web/zoo.html in a fresh browser per configuration;
#             memory = the renderer's peak RSS) and the zoo's bar chart (<json>-models.png).
# Installs what is missing (scripts/setup.sh), builds the .wasm files (scripts/build-wasm.sh),
# the one-operator ONNX models (bench/models/make_models.py) and MobileNet v2's
# (bench/models/mobilenet_v2_onnx.py), into build/bench-models (nothing generated is
# committed). Every part
# shows its progress per shape and prints its own tables; all write their records to one JSON
# results file ({"target","impl","variant","threads","shape","median_us","gflops",...}), from which
# bench/combine.py prints the combined table and the acceptance checks (limits in
# bench/thresholds.json).
# Exits non-zero when a build or a benchmark fails (not when a check misses, unless --strict).
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/bench.sh [--threads N] [--json FILE] [--filter REGEX] [--only PARTS]
                        [--skip-native] [--skip-node] [--skip-chromium] [--skip-models]
                        [--peer-threads]
                        [--quick] [--strict] [-- BENCHMARK_FLAGS...]
  --threads N      threads of the multi-thread runs, which run next to the 1-thread ones (default
                   2). native: portnn (best level) and XNNPACK with N threads (1: no multi-thread
                   runs); WebAssembly: the pool size of the simd-threads runs (N when > 1, else 2)
  --json FILE      result records (default build/bench-results.json; rewritten by each run)
  --filter REGEX   only the shapes whose section/shape (native: section/shape/impl) matches;
                   models: only the models whose "models/<name>" matches
  --only PARTS     comma-separated parts to run: native, node, chromium, models (default: all)
  --skip-native, --skip-node, --skip-chromium, --skip-models   leave a part out
  --peer-threads   chromium: also TF.js's and ONNX Runtime's threaded builds next to portnn
                   simd-threads, N threads each (a second page)
  --quick          shorter timing (smoke test; noisier figures); native: 3 repetitions of
                   >= 0.05 s instead of 5 of >= 0.1 s; models: 3 timed runs instead of 10
  --strict         exit 1 when an acceptance check of the combined table fails
  --help           this text
Flags after -- go to Google Benchmark (native part, e.g. -- --benchmark_min_time=0.5).
Environment: JOBS (build parallelism), PORTNN_ISA (native: caps the "best" level; forced levels
above it are skipped),
PORTNN_BENCH_BUILD_DIR (native build tree, default build/bench), PORTNN_WASM_BUILD_PREFIX (wasm
build trees, see scripts/build-wasm.sh), PORTNN_BENCH_MODELS (ONNX models, default
build/bench-models), PORTNN_ZOO_DIR (the model zoo, default build/models), PORTNN_ZOO_ROUNDS
(models: rounds per configuration, each in a fresh process or browser, record = median of the
rounds' medians; default 1).
USAGE
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JSON="$ROOT/build/bench-results.json"
THREADS=2
FILTER=""
EXTRA=()
PARTS="native,node,chromium,models"
SKIP=()
PEER_THREADS=0
QUICK=0
STRICT=0
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --threads) [ $# -ge 2 ] || { usage >&2; exit 2; }; THREADS=$2; shift 2 ;;
    --threads=*) THREADS=${1#*=}; shift ;;
    --json) [ $# -ge 2 ] || { usage >&2; exit 2; }; JSON=$2; shift 2 ;;
    --json=*) JSON=${1#*=}; shift ;;
    --filter) [ $# -ge 2 ] || { usage >&2; exit 2; }; FILTER=$2; shift 2 ;;
    --filter=*) FILTER=${1#*=}; shift ;;
    --only) [ $# -ge 2 ] || { usage >&2; exit 2; }; PARTS=$2; shift 2 ;;
    --only=*) PARTS=${1#*=}; shift ;;
    --skip-native) SKIP+=(native); shift ;;
    --skip-node) SKIP+=(node); shift ;;
    --skip-chromium) SKIP+=(chromium); shift ;;
    --skip-models) SKIP+=(models); shift ;;
    --peer-threads) PEER_THREADS=1; shift ;;
    --quick) QUICK=1; shift ;;
    --strict) STRICT=1; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ "$THREADS" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench.sh: --threads needs a positive integer, got '$THREADS'" >&2
  exit 2
fi
for p in ${PARTS//,/ }; do
  case "$p" in native|node|chromium|models) ;; *) echo "bench.sh: unknown part '$p'" >&2; exit 2 ;; esac
done
want() {
  local p
  for p in "${SKIP[@]+"${SKIP[@]}"}"; do [ "$p" = "$1" ] && return 1; done
  [[ ",$PARTS," == *",$1,"* ]]
}
# A relative --json is relative to where the script was called from, not to the checkout.
case "$JSON" in /*) ;; *) JSON="$PWD/$JSON" ;; esac
WASM_THREADS=$THREADS
[ "$WASM_THREADS" -gt 1 ] || WASM_THREADS=2

cd "$ROOT"
JOBS=${JOBS:-$(nproc)}
BUILD_DIR=${PORTNN_BENCH_BUILD_DIR:-build/bench}
MODELS=${PORTNN_BENCH_MODELS:-build/bench-models}
ZOO=${PORTNN_ZOO_DIR:-build/models}
START=$(date +%s)
elapsed() { echo "$(( $(date +%s) - START )) s"; }

scripts/setup.sh

# Each run starts a fresh results file: the combined table must not mix runs.
mkdir -p "$(dirname "$JSON")"
echo '[]' > "$JSON"
status=0

if want native; then
  echo "== native: configure and build ($BUILD_DIR, Release)"
  cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DPORTNN_BUILD_TESTS=OFF -DPORTNN_BUILD_BENCHMARKS=ON >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS" --target portnn-bench portnn-model-bench

  echo "== native: benchmark ($(elapsed))"
  ARGS=(--bench "$BUILD_DIR/bench/portnn-bench" --suite bench/suite.json
        --threads "$THREADS" --json "$JSON")
  if [ -n "$FILTER" ]; then ARGS+=(--filter "$FILTER"); fi
  if [ "$QUICK" -eq 1 ]; then ARGS+=(--repetitions 3 --min-time 0.05); fi
  python3 bench/run_native.py "${ARGS[@]}" -- "${EXTRA[@]+"${EXTRA[@]}"}" || status=1
  if [ -z "$FILTER" ] || [[ model/mobilenet_v2 =~ $FILTER ]]; then
    echo "== native: model section, MobileNet v2 on the graph runtimes ($(elapsed))"
    MODEL_ARGS=(--threads "$THREADS" --json "$JSON")
    if [ "$QUICK" -eq 1 ]; then MODEL_ARGS+=(--rounds 5 --runs 2); fi
    "$BUILD_DIR/bench/portnn-model-bench" "${MODEL_ARGS[@]}" || status=1
  fi
  echo "== native: done ($(elapsed))"
fi

if want node || want chromium; then
  echo "== wasm: build (scripts/build-wasm.sh) ($(elapsed))"
  scripts/build-wasm.sh
  echo "== onnx: one-operator models for onnxruntime-web ($MODELS)"
  # Debian's python3 has python3-onnx (a pyenv python on PATH may not).
  /usr/bin/python3 bench/models/make_models.py --suite bench/suite.json --out "$MODELS"
  WEB_MODEL=0
  if [ -z "$FILTER" ] || [[ model/mobilenet_v2 =~ $FILTER ]]; then
    WEB_MODEL=1
    echo "== onnx: MobileNet v2 with the examples' weights for onnxruntime-web ($MODELS)"
    /usr/bin/python3 bench/models/mobilenet_v2_onnx.py --out "$MODELS"
  fi
  JS_ARGS=(--threads "$WASM_THREADS" --json "$JSON" --models "$MODELS")
  if [ -n "$FILTER" ]; then JS_ARGS+=(--filter "$FILTER"); fi
  if [ "$QUICK" -eq 1 ]; then JS_ARGS+=(--quick); fi
fi

if want node; then
  echo "== node: benchmark ($(elapsed))"
  node bench/js/node.mjs "${JS_ARGS[@]}" || status=1
  if [ "$WEB_MODEL" -eq 1 ]; then
    echo "== node: model section, MobileNet v2 ($(elapsed))"
    node bench/js/node.mjs --model "${JS_ARGS[@]}" || status=1
  fi
fi

if want chromium; then
  echo "== chromium: benchmark ($(elapsed))"
  CR_ARGS=("${JS_ARGS[@]}")
  if [ "$PEER_THREADS" -eq 1 ]; then CR_ARGS+=(--peer-threads); fi
  # The benchmark page as the headless run left it: bar chart and tables.
  CR_ARGS+=(--screenshot "${JSON%.json}-chromium.png")
  node bench/js/chromium.mjs "${CR_ARGS[@]}" || status=1
  if [ "$WEB_MODEL" -eq 1 ]; then
    echo "== chromium: model section, MobileNet v2 ($(elapsed))"
    node bench/js/chromium.mjs --model "${JS_ARGS[@]}" --screenshot "${JSON%.json}-chromium-model.png" \
      || status=1
  fi
fi

if want models; then
  echo "== models: the zoo ($ZOO; exported once, then cached) ($(elapsed))"
  /usr/bin/python3 bench/models/export_zoo.py --out "$ZOO" || status=1
  echo "== models: portnn-run ($BUILD_DIR) ($(elapsed))"
  ZOO_THREADS=1
  if [ "$THREADS" -gt 1 ]; then ZOO_THREADS="1,$THREADS"; fi
  ZOO_ROUNDS=${PORTNN_ZOO_ROUNDS:-1}
  ZOO_ARGS=(--time --models "$ZOO" --json "$JSON" --threads "$ZOO_THREADS" --rounds "$ZOO_ROUNDS")
  if cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPORTNN_BUILD_TESTS=OFF \
       -DPORTNN_BUILD_BENCHMARKS=ON >/dev/null &&
     cmake --build "$BUILD_DIR" -j "$JOBS" --target portnn-run; then
    ZOO_ARGS+=(--portnn-run "$BUILD_DIR/portnn-run")
  else
    echo "models: portnn-run did not build; ONNX Runtime only"
    status=1
  fi
  echo "== models: references and timings ($(elapsed))"
  if [ -n "$FILTER" ]; then ZOO_ARGS+=(--filter "$FILTER"); fi
  if [ "$QUICK" -eq 1 ]; then ZOO_ARGS+=(--quick); fi
  # portnn's WebAssembly rows (implementation portnn-wasm: loadOnnx in Node, simd on 1 thread,
  # simd-threads on N) need the .wasm files, built by the node part or here.
  if [ ! -f wasm/dist/portnn-onnx-simd.wasm ]; then
    echo "== models: wasm build for loadOnnx (scripts/build-wasm.sh) ($(elapsed))"
    scripts/build-wasm.sh || status=1
  fi
  node bench/models/reference.mjs "${ZOO_ARGS[@]}" || status=1
  # The Chromium rows (target "chromium"): portnn simd 1 thread and simd-threads N threads through
  # loadOnnx, onnxruntime-web 1 and N threads, each in a fresh headless browser on
  # bench/web/zoo.html; peak memory = the renderer process's peak RSS. The chart page shows every
  # zoo record (native, Node, Chromium) as bars, saved next to the results.
  echo "== models: Chromium (bench/models/chromium.mjs) ($(elapsed))"
  CR_ZOO_ARGS=(--models "$ZOO" --json "$JSON" --threads "1,$WASM_THREADS" --rounds "$ZOO_ROUNDS"
               --screenshot "${JSON%.json}-models.png")
  if [ -n "$FILTER" ]; then CR_ZOO_ARGS+=(--filter "$FILTER"); fi
  if [ "$QUICK" -eq 1 ]; then CR_ZOO_ARGS+=(--quick); fi
  node bench/models/chromium.mjs "${CR_ZOO_ARGS[@]}" || status=1
fi

echo "== combined ($(elapsed))"
COMBINE=("$JSON" --suite bench/suite.json)
if [ "$STRICT" -eq 1 ]; then COMBINE+=(--strict); fi
python3 bench/combine.py "${COMBINE[@]}" || status=1
echo "bench: $(elapsed) in all; records in $JSON"
exit $status
