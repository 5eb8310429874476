#!/usr/bin/env bash
# Cross-builds portnn and its tests for aarch64 (NEON) and runs them under qemu-user: every test
# twice, at the best level the emulated CPU offers (NEON) and with PORTNN_ISA=scalar forced (the
# <test>-scalar entries of tests/CMakeLists.txt). Then checks from the test log that the default
# runs said pnn_isa_name() = neon and the forced ones scalar. Exits non-zero on any failure.
#
# Sets up what is missing first (Debian multiarch: the arm64 architecture, the cross compiler,
# qemu-user and the arm64 libraries, some unpacked into the build tree rather than installed: see
# below), so a fresh machine needs nothing else; apt-get update runs only when the package lists
# lack what is asked for. Never removes or replaces a host package. qemu timings mean nothing:
# this is for correctness only.
#
# Usage: scripts/test-arm.sh        (build tree: build/arm, or $PORTNN_ARM_BUILD_DIR; JOBS=N)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${PORTNN_ARM_BUILD_DIR:-build/arm}
case "$BUILD_DIR" in /*) ;; *) BUILD_DIR="$PWD/$BUILD_DIR" ;; esac
JOBS=${JOBS:-$(nproc)}
t_start=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Packages. Installed with apt (all Multi-Arch: same, so they sit beside the host's; --no-remove
# makes apt refuse rather than replace a host package): the cross compiler, qemu-user, GoogleTest
# for arm64 and the arm64 C++ runtime the test binaries run against. Unpacked instead, into a
# private prefix (see cmake/toolchains/aarch64-linux-gnu.cmake): pthreadpool, which has no
# Multi-Arch support (its arm64 package would replace the host's, and libxnnpack-dev with it),
# and cpuinfo, whose arm64 -dev package clashes with the host's over one file.
HOST_PACKAGES=(g++-aarch64-linux-gnu qemu-user)
ARM_PACKAGES=(libgtest-dev:arm64 libstdc++6:arm64)
UNPACKED=(libpthreadpool0 libpthreadpool-dev libcpuinfo0 libcpuinfo-dev)
PREFIX="$BUILD_DIR/arm64-deps"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Another apt client (e.g. a parallel setup) may hold the dpkg lock for a while: wait for it.
APT=($SUDO apt-get -o DPkg::Lock::Timeout=600 -y -q)

lists_updated=0
apt_update() { [ $lists_updated -eq 1 ] || { "${APT[@]}" update; lists_updated=1; }; }

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "test-arm: adding the arm64 architecture"
  $SUDO dpkg --add-architecture arm64
  apt_update  # no arm64 package lists yet
fi

missing=()
for p in "${HOST_PACKAGES[@]}" "${ARM_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test-arm: cross toolchain, qemu-user and arm64 runtime present"
else
  echo "test-arm: installing ${missing[*]}"
  if ! "${APT[@]}" install --no-remove "${missing[@]}"; then
    apt_update  # lists missing or stale (a fresh machine)
    "${APT[@]}" install --no-remove "${missing[@]}"
  fi
fi

if [ ! -f "$PREFIX/.complete" ]; then
  echo "test-arm: unpacking ${UNPACKED[*]} (arm64) into $PREFIX"
  rm -rf "$PREFIX" && mkdir -p "$PREFIX/debs"
  debs=("${UNPACKED[@]/%/:arm64}")
  # Downloads into the build tree, which apt's unprivileged sandbox user may not reach.
  download() { (cd "$PREFIX/debs" && apt-get download -q -o APT::Sandbox::User=root "${debs[@]}"); }
  if ! download; then
    apt_update
    download
  fi
  for deb in "$PREFIX"/debs/*.deb; do dpkg-deb -x "$deb" "$PREFIX"; done
  touch "$PREFIX/.complete"
fi
t_installed=$(date +%s)

# ---------------------------------------------------------------------------------------------
# Configure and build (tests only), then run the suite under qemu.
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_TOOLCHAIN_FILE="$PWD/cmake/toolchains/aarch64-linux-gnu.cmake" \
  -DPORTNN_AARCH64_PREFIX="$PREFIX" \
  -DPORTNN_ISA=auto -DPORTNN_BUILD_TESTS=ON -DPORTNN_BUILD_BENCHMARKS=OFF >/dev/null
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
