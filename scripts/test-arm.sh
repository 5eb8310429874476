#!/usr/bin/env bash
# Cross-builds portnn and its tests for aarch64 (NEON) and runs them under qemu-user: every test
# twice, at the best level the emulated CPU offers (NEON) and with PORTNN_ISA=scalar forced (the
# <test>-scalar entries of tests/CMakeLists.txt). Then checks from the test log that the default
# runs said pnn_isa_name() = neon and the forced ones scalar. Exits non-zero on any failure.
#
# Sets up what is missing first (scripts/setup-arm.sh), so a fresh machine needs nothing else.
# qemu timings mean nothing: this is for correctness only.
#
# Usage: scripts/test-arm.sh        (build tree: build/arm, or $PORTNN_ARM_BUILD_DIR; JOBS=N)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${PORTNN_ARM_BUILD_DIR:-build/arm}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
JOBS=${JOBS:-$(nproc)}
t_start=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Packages: scripts/setup-arm.sh (also run by scripts/setup.sh) installs what is missing and
# unpacks arm64 pthreadpool and cpuinfo into a private prefix.
PREFIX="$PWD/build/arm64-deps"  # shared with scripts/setup.sh
scripts/setup-arm.sh "$PREFIX"
t_installed=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Configure and build (tests only), then run the suite under qemu.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/aarch64-linux-gnu.cmake" \
  -DPORTNN_AARCH64_PREFIX="$PREFIX" \
  -DPORTNN_ISA=auto -DPORTNN_BUILD_TESTS=ON -DPORTNN_BUILD_BENCHMARKS=OFF \
  -DPORTNN_BUILD_ONNX=OFF >/dev/null  # no arm64 protobuf here; the importer's code is portable C++
cmake --build "$BUILD_DIR" -j "$JOBS"
t_built=$(date +%s)

echo "test-arm: ctest under $(qemu-aarch64 --version | head -n 1)"
status=0
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$JOBS" || status=1
t_tested=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Which level each run reported: <name>-scalar entries must say scalar, the others neon (runs
# that print no level, such as the failing-initialization ones, are left out).
LOG="$BUILD_DIR/Testing/Temporary/LastTest.log"
if [ -f "$LOG" ]; then
  awk '
    / Testing: / { name = $3; next }
    /pnn_isa_name\(\) = / && name != "" {
      isa = $NF
      want = name ~ /-scalar$/ ? "scalar" : "neon"
      verdict = isa == want ? "" : "   <- expected " want
      if (isa == want) ok[want]++; else bad++
      printf "test-arm: %-30s pnn_isa_name() = %s%s\n", name, isa, verdict | "sort"
      name = ""
    }
    END {
      close("sort")
      printf "test-arm: %d runs at neon, %d at scalar, %d at the wrong level\n",
             ok["neon"], ok["scalar"], bad
      if (bad > 0 || ok["neon"] == 0 || ok["scalar"] == 0) exit 1
    }' "$LOG" || { echo "test-arm: wrong ISA level in some runs"; status=1; }
else
  echo "test-arm: no test log at $LOG"; status=1
fi

echo "test-arm: install $((t_installed - t_start))s, configure+build $((t_built - t_installed))s," \
  "ctest $((t_tested - t_built))s, total $((t_tested - t_start))s"
[ $status -eq 0 ] && echo "test-arm: passed" || echo "test-arm: FAILED"
exit $status
