#!/usr/bin/env bash
# Builds everything and runs every test suite; exits non-zero on any failure.
# Usage: scripts/test.sh            (set-up included; build tree in build/test)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
JOBS=${JOBS:-$(nproc)}

scripts/setup.sh

echo "== native: configure and build (build/test)"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPORTNN_BUILD_TESTS=ON -DPORTNN_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build/test -j "$JOBS"

echo "== native: tests"
ctest --test-dir build/test --output-on-failure -j "$JOBS"

if [ -x tests/consumer/run.sh ]; then
  echo "== consumer: install and build examples/ against the package"
  tests/consumer/run.sh "$ROOT/build/test"
fi

echo "== all tests passed"
