// Kernel selection for bilinear interpolation (resize): the first usable line of
// kernels/f32-ibilinear.inc, chosen once (thread-safe function-local static).
#pragma once

#include <cstddef>

#include "ukernels-ibilinear.h"

namespace pnn {

struct IbilinearConfig {
  pnn_f32_ibilinear_ukernel_fn fn;  // NULL when no registered kernel is usable
  size_t channel_tile;
  const char* name;
};

// Never NULL.
const IbilinearConfig* get_ibilinear_config();

}  // namespace pnn
