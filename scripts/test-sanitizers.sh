#!/usr/bin/env bash
# The sanitizer and fuzz suite; exits non-zero on any failure.
#   1. the whole native test suite built with clang-14 under AddressSanitizer (with LeakSanitizer)
#      and UndefinedBehaviorSanitizer, no recovery: build/asan, run by ctest;
#   2. tests/concurrency-test built under ThreadSanitizer: build/tsan;
#   3. the libFuzzer targets of tests/fuzz (ASan + UBSan), each run for a bounded time from its
#      seed corpus by scripts/fuzz.sh: build/fuzz; prints executions and exec/s per target.
# Installs clang-14 and libclang-rt-14-dev with apt-get when they are absent.
#
# Usage: scripts/test-sanitizers.sh [asan] [tsan] [fuzz]   (no argument: all three)
# Environment: FUZZ_SECONDS (per target, default 18: twelve targets two at a time take 108 s, near the 90 s
#              three took at 45 s), FUZZ_JOBS (fuzz targets run at once,
#              default 2), JOBS (build parallelism, default: nproc), SANITIZER_BUILD_ROOT
#              (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}
FUZZ_SECONDS=${FUZZ_SECONDS:-18}
BUILD_ROOT=${SANITIZER_BUILD_ROOT:-build}
START=$(date +%s)
elapsed() { echo "$(( $(date +%s) - START ))s"; }
STEPS=" ${*:-asan tsan fuzz} "
for step in $STEPS; do
  case "$step" in asan|tsan|fuzz) ;; *) echo "unknown step: $step (asan, tsan, fuzz)" >&2; exit 2 ;; esac
done
want() { [[ "$STEPS" == *" $1 "* ]]; }

# --- toolchain -------------------------------------------------------------------------------
missing=()
for p in clang-14 libclang-rt-14-dev; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "sanitizers: installing ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get install -y --no-install-recommends "${missing[@]}"; then
    $SUDO apt-get update
    $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  fi
fi
scripts/setup.sh >/dev/null
export CC=clang-14 CXX=clang++-14

SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
export ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1:strict_string_checks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

# --- 1. ASan + UBSan: every test -------------------------------------------------------------
if want asan; then
echo "== sanitizers: ASan+UBSan build ($BUILD_ROOT/asan)"
cmake -S . -B "$BUILD_ROOT/asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPORTNN_BUILD_TESTS=ON -DPORTNN_BUILD_BENCHMARKS=OFF \
  -DCMAKE_C_FLAGS="$SAN" -DCMAKE_CXX_FLAGS="$SAN" \
  -DCMAKE_EXE_LINKER_FLAGS="$SAN" -DCMAKE_SHARED_LINKER_FLAGS="$SAN" >/dev/null
cmake --build "$BUILD_ROOT/asan" -j "$JOBS"
echo "== sanitizers: ASan+UBSan tests ($(elapsed))"
ctest --test-dir "$BUILD_ROOT/asan" --output-on-failure -j "$JOBS"
fi

# --- 2. TSan: concurrent operators -----------------------------------------------------------
# ThreadSanitizer of clang 14 cannot map its shadow under the 32-bit mmap randomization of newer
# kernels; running without address randomization sidesteps that where setarch is available.
if want tsan; then
echo "== sanitizers: TSan build ($BUILD_ROOT/tsan) ($(elapsed))"
TSAN="-fsanitize=thread -fno-omit-frame-pointer"
cmake -S . -B "$BUILD_ROOT/tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPORTNN_BUILD_TESTS=ON -DPORTNN_BUILD_BENCHMARKS=OFF \
  -DCMAKE_C_FLAGS="$TSAN" -DCMAKE_CXX_FLAGS="$TSAN" \
  -DCMAKE_EXE_LINKER_FLAGS="$TSAN" -DCMAKE_SHARED_LINKER_FLAGS="$TSAN" >/dev/null
cmake --build "$BUILD_ROOT/tsan" -j "$JOBS" --target concurrency-test
NORAND=()
if command -v setarch >/dev/null && setarch "$(uname -m)" -R true 2>/dev/null; then
  NORAND=(setarch "$(uname -m)" -R)
fi
echo "== sanitizers: TSan concurrency-test ($(elapsed))"
TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1" \
  "${NORAND[@]}" "$BUILD_ROOT/tsan/tests/concurrency-test"
fi

# --- 3. fuzz targets -------------------------------------------------------------------------
# A bounded run of every target (scripts/fuzz.sh: FUZZ_SECONDS each, FUZZ_JOBS at a time);
# scripts/fuzz.sh alone runs them as long as asked.
failed=0
if want fuzz; then
echo "== sanitizers: fuzz targets ($(elapsed))"
if ! FUZZ_BUILD_DIR="$BUILD_ROOT/fuzz" FUZZ_JOBS="${FUZZ_JOBS:-2}" JOBS="$JOBS" \
     scripts/fuzz.sh "$FUZZ_SECONDS"; then
  failed=1
fi
fi
if [ "$failed" -ne 0 ]; then
  echo "== sanitizers: FAILED ($(elapsed))"
  exit 1
fi
echo "== sanitizers: all passed ($(elapsed))"
