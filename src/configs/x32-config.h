// Kernel selection for the x32 data-movement families (kernels/ukernels-x32.h): transpose,
// copy, fill and constant pad, each the first usable line of its registry
// (kernels/x32-*.inc). Built once, thread-safe; never NULL, and every member is set (the scalar
// lines are always usable).
#pragma once

#include <cstddef>

#include "ukernels-x32.h"

namespace pnn {

// The kernels take any sizes, so a choice is its function and its name (no tile to plan with).
template <class Fn>
struct X32Kernel {
  Fn fn;
  const char* name;
};

struct X32Config {
  X32Kernel<pnn_x32_transpose_ukernel_fn> transpose;
  X32Kernel<pnn_x32_copy_ukernel_fn> copy;
  X32Kernel<pnn_x32_fill_ukernel_fn> fill;
  X32Kernel<pnn_x32_pad_ukernel_fn> pad;
};

const X32Config* get_x32_config();

}  // namespace pnn
