#!/usr/bin/env bash
# Benchmarks portnn against XNNPACK (Debian's libxnnpack-dev) on every shape of bench/suite.json:
# installs what is missing, builds a Release tree in build/bench (tests off), runs portnn-bench
# through bench/report.py (progress per shape, one table per section, JSON records).
# Exits non-zero when the build or any benchmark fails.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/bench.sh [--threads N] [--json FILE] [--filter REGEX] [-- BENCHMARK_FLAGS...]
  --threads N      threads for both libraries (default 1)
  --json FILE      result records (default build/bench-results.json)
  --filter REGEX   only the benchmarks whose section/shape/impl name matches
  --help           this text
Flags after -- go to Google Benchmark (e.g. -- --benchmark_min_time=0.5).
Environment: JOBS (build parallelism), PORTNN_ISA (force a lower kernel level, e.g. scalar).
USAGE
}

ROOT=$(cd "$(dirname "$0")/.." && pwd)
JSON="$ROOT/build/bench-results.json"
THREADS=1
FILTER=""
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --help|-h) usage; exit 0 ;;
    --threads) [ $# -ge 2 ] || { usage >&2; exit 2; }; THREADS=$2; shift 2 ;;
    --threads=*) THREADS=${1#*=}; shift ;;
    --json) [ $# -ge 2 ] || { usage >&2; exit 2; }; JSON=$2; shift 2 ;;
    --json=*) JSON=${1#*=}; shift ;;
    --filter) [ $# -ge 2 ] || { usage >&2; exit 2; }; FILTER=$2; shift 2 ;;
    --filter=*) FILTER=${1#*=}; shift ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "bench.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ "$THREADS" =~ ^[1-9][0-9]*$ ]]; then
  echo "bench.sh: --threads needs a positive integer, got '$THREADS'" >&2
  exit 2
fi
# A relative --json is relative to where the script was called from, not to the checkout.
case "$JSON" in /*) ;; *) JSON="$PWD/$JSON" ;; esac

cd "$ROOT"
JOBS=${JOBS:-$(nproc)}

scripts/setup.sh

echo "== native: configure and build (build/bench, Release)"
cmake -S . -B build/bench -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPORTNN_BUILD_TESTS=OFF -DPORTNN_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build/bench -j "$JOBS" --target portnn-bench

echo "== native: benchmark"
ARGS=(--bench build/bench/bench/portnn-bench --suite bench/suite.json
      --threads "$THREADS" --json "$JSON")
if [ -n "$FILTER" ]; then ARGS+=(--filter "$FILTER"); fi
python3 bench/report.py "${ARGS[@]}" -- "${EXTRA[@]}"
