// Depthwise-convolution kernel selection from kernels/f32-dwconv.inc.
#pragma once

#include <cstddef>

#include "ukernels.h"

namespace pnn {

struct DwconvConfig {
  pnn_f32_dwconv_ukernel_fn fn;
  size_t taps;          // the tap count the kernel is unrolled for; 0: any (pass ks at run)
  size_t channel_tile;  // CT of the weight packing (kernels/ukernels-dwconv.h)
  const char* name;
};

// The best usable kernel for `taps` = kernel_height * kernel_width: the first usable registry line
// unrolled for exactly that count, else the first usable generic line. NULL only when no line is
// usable (taps == 0 also gives the generic kernel). The table is built once, thread-safely.
const DwconvConfig* get_dwconv_config(size_t taps);

}  // namespace pnn
