# Cross-compiles portnn for 64-bit ARM Linux on a Debian x86-64 host, and runs what it builds
# (ctest, try_run) under qemu-user. Needs Debian's g++-aarch64-linux-gnu and qemu-user, and the
# arm64 libraries from Debian multiarch (`dpkg --add-architecture arm64`: libgtest-dev:arm64 and
# libstdc++6:arm64 installed, pthreadpool and cpuinfo unpacked; see below). scripts/test-arm.sh
# sets all of it up. Usage:
#   cmake -S . -B build/arm -G Ninja -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(PORTNN_AARCH64_TRIPLE aarch64-linux-gnu)

set(CMAKE_C_COMPILER ${PORTNN_AARCH64_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${PORTNN_AARCH64_TRIPLE}-g++)
# Debian multiarch: the arm64 libraries live in /usr/lib/aarch64-linux-gnu beside the host's, and
# the architecture-independent headers in /usr/include serve both. The cross compiler searches
# those by itself; CMake's find_* look in lib/<CMAKE_LIBRARY_ARCHITECTURE> of the usual prefixes,
# so it must name the target's directory, never the host's.
set(CMAKE_LIBRARY_ARCHITECTURE ${PORTNN_AARCH64_TRIPLE})
set(CMAKE_FIND_ROOT_PATH /usr/${PORTNN_AARCH64_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)  # build tools are the host's

# Not every arm64 -dev package installs beside the host's: libpthreadpool0/-dev have no
# Multi-Arch support (installing the arm64 ones removes the host's, and libxnnpack-dev with them)
# and libcpuinfo-dev:arm64 clashes with the host's over /usr/lib/cmake/cpuinfo. scripts/test-arm.sh
# unpacks those arm64 packages into a private prefix instead (PORTNN_AARCH64_PREFIX, the root the
# .debs were extracted into), searched first; the test binaries find its libraries at run time
# through the build RPATH CMake records for them.
set(PORTNN_AARCH64_PREFIX "" CACHE PATH "Extra root holding unpacked arm64 Debian packages")
if(PORTNN_AARCH64_PREFIX)
  list(APPEND CMAKE_PREFIX_PATH ${PORTNN_AARCH64_PREFIX}/usr)
endif()

# ctest runs the aarch64 test binaries under qemu. They run against the multiarch arm64 runtime
# (libc6:arm64 and libstdc++6:arm64 at their normal paths, the unpacked libraries through the
# RPATH), not the cross sysroot: `qemu-aarch64 -L /usr/aarch64-linux-gnu` would pair the
# sysroot's dynamic loader with the multiarch libc.so.6 (found through /etc/ld.so.cache), two
# glibc builds that must not mix (pthread_create then hangs).
find_program(PORTNN_QEMU_AARCH64 qemu-aarch64)
if(PORTNN_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${PORTNN_QEMU_AARCH64})
endif()
