# pthreadpool and cpuinfo from Debian (libpthreadpool-dev, libcpuinfo-dev). Debian's pthreadpool
# ships no CMake package, so both are found as plain libraries and wrapped in imported targets
# named as upstream names them.
find_package(Threads REQUIRED)
find_path(PTHREADPOOL_INCLUDE_DIR pthreadpool.h)
find_library(PTHREADPOOL_LIBRARY pthreadpool)
find_path(CPUINFO_INCLUDE_DIR cpuinfo.h)
find_library(CPUINFO_LIBRARY cpuinfo)
if(NOT PTHREADPOOL_INCLUDE_DIR OR NOT PTHREADPOOL_LIBRARY)
  message(FATAL_ERROR "pthreadpool not found: install libpthreadpool-dev (scripts/setup.sh does)")
endif()
if(NOT CPUINFO_INCLUDE_DIR OR NOT CPUINFO_LIBRARY)
  message(FATAL_ERROR "cpuinfo not found: install libcpuinfo-dev (scripts/setup.sh does)")
endif()
if(NOT TARGET pthreadpool::pthreadpool)
  add_library(pthreadpool::pthreadpool UNKNOWN IMPORTED)
  set_target_properties(pthreadpool::pthreadpool PROPERTIES
    IMPORTED_LOCATION "${PTHREADPOOL_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PTHREADPOOL_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES Threads::Threads)
endif()
if(NOT TARGET cpuinfo::cpuinfo)
  add_library(cpuinfo::cpuinfo UNKNOWN IMPORTED)
  set_target_properties(cpuinfo::cpuinfo PROPERTIES
    IMPORTED_LOCATION "${CPUINFO_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CPUINFO_INCLUDE_DIR}")
endif()
