#!/usr/bin/env bash
# Installs what the aarch64 cross build and its qemu test run need, skipping what is there
# (called by scripts/setup.sh; scripts/test-arm.sh calls it too). Debian multiarch: the arm64
# architecture, the cross compiler, qemu-user and the arm64 libraries, some unpacked into a
# private prefix rather than installed (see below). apt-get update runs only when the package
# lists lack what is asked for. Never removes or replaces a host package.
#
# Usage: scripts/setup-arm.sh [PREFIX]   (unpacked arm64 libraries; default build/arm64-deps)
set -euo pipefail
cd "$(dirname "$0")/.."
PREFIX=${1:-build/arm64-deps}
case "$PREFIX" in /*) ;; *) PREFIX="$PWD/$PREFIX" ;; esac

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

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# Another apt client (e.g. a parallel setup) may hold the dpkg lock for a while: wait for it.
APT=($SUDO apt-get -o DPkg::Lock::Timeout=600 -y -q)

lists_updated=0
apt_update() { [ $lists_updated -eq 1 ] || { "${APT[@]}" update; lists_updated=1; }; }

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  echo "setup-arm: adding the arm64 architecture"
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
  echo "setup-arm: cross toolchain, qemu-user and arm64 runtime present"
else
  echo "setup-arm: installing ${missing[*]}"
  if ! "${APT[@]}" install --no-remove "${missing[@]}"; then
    apt_update  # lists missing or stale (a fresh machine)
    "${APT[@]}" install --no-remove "${missing[@]}"
  fi
fi

if [ ! -f "$PREFIX/.complete" ]; then
  echo "setup-arm: unpacking ${UNPACKED[*]} (arm64) into $PREFIX"
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
