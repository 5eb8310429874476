// Kernel selection for bilinear interpolation (resize): the first usable line of
// kernels/f32-ibilinear.inc, chosen once (thread-safe function-local static).
#pragma once

#include <cstddef>

#include "select.h"
#include "ukernels-ibilinear.h"

namespace pnn {

// tile: channels per register block.
using IbilinearConfig = KernelChoice<pnn_f32_ibilinear_ukernel_fn>;

// Never NULL.
const IbilinearConfig* get_ibilinear_config();

}  // namespace pnn
