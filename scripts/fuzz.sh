#!/usr/bin/env bash
# Builds and runs the libFuzzer targets of tests/fuzz (clang-14, libFuzzer, ASan + UBSan).
#
# Usage: scripts/fuzz.sh [SECONDS|-runs=N] [TARGET...]
#   SECONDS    time budget per target (default 60); -runs=N: N inputs per target instead
#   TARGET     convolution, fully-connected, batch-matmul, pooling, global-average-pooling,
#              unary, binary, softmax, operator-lifecycle, output-shape, graph, deconvolution,
#              resize, data-movement, norm, onnx, onnx-decoders (default: all)
# Environment: FUZZ_JOBS       targets run at once (default 1; each target is one process)
#              FUZZ_BUILD_DIR  build directory (default build/fuzz)
#              JOBS            build parallelism (default: nproc)
#
# Each target starts from its seed corpus (written by tests/fuzz/make-seeds.py into
# $FUZZ_BUILD_DIR/seeds/<target>) and its own scratch corpus ($FUZZ_BUILD_DIR/corpus/<target>,
# kept between runs, so long runs resume where the last one stopped). While they run, a progress
# line says how far each is; at the end one line per target gives executions, exec/s and the
# result. A finding (a failed check, a sanitizer report, a crash, a leak, an input slower than
# 10 s) makes the script exit 1 and print the reproducer's path; rerun it with
#   $FUZZ_BUILD_DIR/fuzz-<target> <reproducer>
set -euo pipefail
cd "$(dirname "$0")/.."

ALL_TARGETS=(convolution fully-connected batch-matmul pooling global-average-pooling unary binary
             softmax operator-lifecycle output-shape graph deconvolution
             resize data-movement norm onnx onnx-decoders)
BUDGET=(-max_total_time=60)
BUDGET_TEXT="60 s"
if [ $# -gt 0 ]; then
  case "$1" in
    -runs=*) BUDGET=("$1"); BUDGET_TEXT="${1#-runs=} runs"; shift ;;
    ''|*[!0-9]*) ;;
    *) BUDGET=(-max_total_time="$1"); BUDGET_TEXT="$1 s"; shift ;;
  esac
fi
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then TARGETS=("${ALL_TARGETS[@]}"); fi
for t in "${TARGETS[@]}"; do
  if [[ " ${ALL_TARGETS[*]} " != *" $t "* ]]; then
    echo "fuzz: unknown target '$t' (targets: ${ALL_TARGETS[*]})" >&2
    exit 2
  fi
done
FUZZ_JOBS=${FUZZ_JOBS:-1}
BUILD=${FUZZ_BUILD_DIR:-build/fuzz}
JOBS=${JOBS:-$(nproc)}

if ! command -v clang++-14 >/dev/null; then
  echo "fuzz: clang++-14 not found (Debian: apt-get install clang-14 libclang-rt-14-dev)" >&2
  exit 2
fi
echo "== fuzz: building ${#TARGETS[@]} targets in $BUILD"
CC=clang-14 CXX=clang++-14 cmake -S tests/fuzz -B "$BUILD" -G Ninja >/dev/null
cmake --build "$BUILD" -j "$JOBS" --target fuzz-seeds "${TARGETS[@]/#/fuzz-}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$BUILD/artifacts" "$BUILD/logs"

run_target() {
  local t=$1
  mkdir -p "$BUILD/corpus/$t"
  rm -f "$BUILD/artifacts/$t-"*
  # New inputs go to the scratch corpus (first directory); the seeds are only read. Model files
  # (onnx) need room for a few nodes and weights; parameter targets read at most a few hundred.
  local max_len=512
  if [ "$t" = onnx ] || [ "$t" = onnx-decoders ]; then max_len=4096; fi
  "$BUILD/fuzz-$t" "${BUDGET[@]}" -timeout=10 -max_len="$max_len" -print_final_stats=1 \
    -artifact_prefix="$BUILD/artifacts/$t-" "$BUILD/corpus/$t" "$BUILD/seeds/$t" \
    >"$BUILD/logs/$t.log" 2>&1
}

# Executions so far: the last "#N" status line of libFuzzer's log.
executions() {
  grep -aoE '^#[0-9]+' "$BUILD/logs/$1.log" 2>/dev/null | tail -1 | tr -d '#' || true
}

echo "== fuzz: ${#TARGETS[@]} targets, $BUDGET_TEXT each, $FUZZ_JOBS at a time"
START=$(date +%s)
declare -A PID STATUS
queue=("${TARGETS[@]}")
running=()
while [ ${#queue[@]} -gt 0 ] || [ ${#running[@]} -gt 0 ]; do
  while [ ${#queue[@]} -gt 0 ] && [ ${#running[@]} -lt "$FUZZ_JOBS" ]; do
    t=${queue[0]}
    queue=("${queue[@]:1}")
    : >"$BUILD/logs/$t.log"
    run_target "$t" &
    PID[$t]=$!
    running+=("$t")
  done
  sleep 2
  still=()
  progress=""
  for t in "${running[@]}"; do
    if kill -0 "${PID[$t]}" 2>/dev/null; then
      still+=("$t")
      progress+=" $t:$(executions "$t")"
    else
      if wait "${PID[$t]}"; then STATUS[$t]=0; else STATUS[$t]=$?; fi
    fi
  done
  running=("${still[@]}")
  done_count=$(( ${#TARGETS[@]} - ${#queue[@]} - ${#running[@]} ))
  line="fuzz: $(( $(date +%s) - START ))s, $done_count/${#TARGETS[@]} done; executions:${progress:- -}"
  if [ -t 1 ]; then printf '\r\033[K%s' "$line"; elif (( ($(date +%s) - START) % 30 < 2 )); then
    echo "$line"; fi
done
if [ -t 1 ]; then echo; fi

failed=0
printf '%-32s %12s %10s  %s\n' target executions exec/s result
for t in "${TARGETS[@]}"; do
  log="$BUILD/logs/$t.log"
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  artifact=$(ls "$BUILD/artifacts/$t-"* 2>/dev/null | head -1 || true)
  if [ "${STATUS[$t]}" -eq 0 ] && [ -z "$artifact" ]; then
    result="ok"
  else
    failed=1
    result="FINDING (exit ${STATUS[$t]})${artifact:+, reproducer $artifact}"
  fi
  printf '%-32s %12s %10s  %s\n' "fuzz-$t" "${execs:-$(executions "$t")}" "${rate:-?}" "$result"
done
for t in "${TARGETS[@]}"; do
  log="$BUILD/logs/$t.log"
  if [ "${STATUS[$t]}" -ne 0 ] || ls "$BUILD/artifacts/$t-"* >/dev/null 2>&1; then
    echo "---- fuzz-$t ($log):"
    grep -aE -A12 "FUZZ_CHECK failed|ERROR: |runtime error|==ERROR|deadly signal" "$log" | head -40 || tail -20 "$log"
  fi
done
if [ "$failed" -ne 0 ]; then
  echo "== fuzz: FINDINGS ($(( $(date +%s) - START ))s)"
  exit 1
fi
echo "== fuzz: all targets clean ($(( $(date +%s) - START ))s)"
