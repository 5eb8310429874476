#!/usr/bin/env bash
# Consumer test: installs a built portnn tree into a temporary prefix, then builds and runs the
# example (examples/) against that installation twice — through the CMake package
# (find_package(portnn) + portnn::portnn) and through pkg-config alone — so a broken install rule,
# package config or portnn.pc fails here rather than on a user's machine.
# Usage: tests/consumer/run.sh BUILD_DIR     (BUILD_DIR: an already built portnn build tree)
# Exits non-zero on any failure; removes its temporary directory in every case.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=$(cd "$1" && pwd)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/portnn-consumer.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
PREFIX="$TMP/prefix"
CXX=${CXX:-c++}

fail() {
  echo "consumer: FAILED: $*" >&2
  exit 1
}

echo "consumer: installing $BUILD_DIR into a temporary prefix"
cmake --install "$BUILD_DIR" --prefix "$PREFIX" >"$TMP/install.log" ||
  { cat "$TMP/install.log" >&2; fail "cmake --install"; }
[ -f "$PREFIX/include/portnn.h" ] || fail "include/portnn.h was not installed"

# --- 1. CMake package ---------------------------------------------------------------------------
echo "consumer: find_package(portnn) build of examples/"
GEN=()
if command -v ninja >/dev/null 2>&1; then GEN=(-G Ninja); fi
cmake -S "$ROOT/examples" -B "$TMP/cmake-build" "${GEN[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$PREFIX" -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF \
  >"$TMP/configure.log" 2>&1 || { cat "$TMP/configure.log" >&2; fail "configuring examples/"; }
# The package must come from the fresh installation, not from something already on the system.
found_dir=$(sed -n 's/^portnn_DIR:PATH=//p' "$TMP/cmake-build/CMakeCache.txt")
case "$found_dir" in
  "$PREFIX"/*) ;;
  *) fail "find_package(portnn) found '$found_dir', not the installation under $PREFIX" ;;
esac
cmake --build "$TMP/cmake-build" >"$TMP/build.log" 2>&1 ||
  { cat "$TMP/build.log" >&2; fail "building examples/ with the CMake package"; }
echo "consumer: running the CMake-built example"
"$TMP/cmake-build/chain" || fail "the CMake-built example (exit $?)"
echo "consumer: running the graph runtime example (MobileNet v2, include/portnn-graph.h)"
[ -f "$PREFIX/include/portnn-graph.h" ] || fail "include/portnn-graph.h was not installed"
"$TMP/cmake-build/mobilenet_v2" 1 2 || fail "the CMake-built mobilenet_v2 example (exit $?)"
echo "consumer: running it again with PORTNN_ISA=scalar"
PORTNN_ISA=scalar "$TMP/cmake-build/chain" >"$TMP/scalar.log" ||
  { cat "$TMP/scalar.log"; fail "the CMake-built example with PORTNN_ISA=scalar"; }
grep -q 'pnn_isa_name): scalar$' "$TMP/scalar.log" ||
  { cat "$TMP/scalar.log"; fail "PORTNN_ISA=scalar did not select the scalar kernels"; }

# --- 2. pkg-config only -------------------------------------------------------------------------
echo "consumer: pkg-config build of examples/chain.cc"
# <prefix>/lib/pkgconfig normally; GNUInstallDirs may have chosen another libdir (lib64...).
pc_file=$(find "$PREFIX" -name portnn.pc -path '*/pkgconfig/*' | head -n 1)
[ -n "$pc_file" ] || fail "portnn.pc was not installed"
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc_file")
pc_prefix=$(pkg-config --variable=prefix portnn) || fail "pkg-config cannot find portnn.pc"
# The .pc must point into the prefix it was installed to (cmake --install --prefix relocates).
[ "$(cd "$pc_prefix" 2>/dev/null && pwd -P)" = "$(cd "$PREFIX" && pwd -P)" ] ||
  fail "portnn.pc says prefix=$pc_prefix but it was installed under $PREFIX"
PC_CFLAGS=$(pkg-config --cflags portnn) || fail "pkg-config --cflags portnn"
PC_LIBS=$(pkg-config --libs portnn) || fail "pkg-config --libs portnn"
# shellcheck disable=SC2086  # the flags are word lists
"$CXX" -std=c++17 -O2 -o "$TMP/chain-pkgconfig" "$ROOT/examples/chain.cc" $PC_CFLAGS $PC_LIBS ||
  fail "building examples/chain.cc with: $CXX $PC_CFLAGS ... $PC_LIBS"
echo "consumer: running the pkg-config-built example"
"$TMP/chain-pkgconfig" || fail "the pkg-config-built example (exit $?)"

# The header promises C99 and the .pc must be enough to link the C++-inside static library from
# a C program (it lists libstdc++ and libm for that).
echo "consumer: C99 program via pkg-config"
CC=${CC:-cc}
cat >"$TMP/c99.c" <<'C_EOF'
#include <portnn.h>
#include <stdio.h>
int main(void) {
  enum pnn_status status = pnn_initialize();
  if (status != pnn_status_success) {
    fprintf(stderr, "pnn_initialize: %s\n", pnn_status_string(status));
    return 1;
  }
  printf("portnn %s from C, kernels %s\n", pnn_version_string(), pnn_isa_name());
  return 0;
}
C_EOF
# shellcheck disable=SC2086
"$CC" -std=c99 -pedantic-errors -Wall -Wextra -Werror -o "$TMP/c99" "$TMP/c99.c" $PC_CFLAGS $PC_LIBS ||
  fail "building a C99 program with: $CC $PC_CFLAGS ... $PC_LIBS"
"$TMP/c99" || fail "the C99 program (exit $?)"

echo "consumer: OK (CMake package, pkg-config, C99)"
