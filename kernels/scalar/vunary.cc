// Scalar unary elementwise microkernels.
#include <algorithm>

#include "ukernels.h"

extern "C" void pnn_f32_vclamp_ukernel__scalar_u4(size_t n, const float* x, float* y,
                                                  const pnn_f32_unary_params* params) {
  const float vmin = params->min, vmax = params->max;
  for (; n >= 4; n -= 4, x += 4, y += 4) {
    const float v0 = x[0], v1 = x[1], v2 = x[2], v3 = x[3];
    y[0] = std::min(std::max(v0, vmin), vmax);
    y[1] = std::min(std::max(v1, vmin), vmax);
    y[2] = std::min(std::max(v2, vmin), vmax);
    y[3] = std::min(std::max(v3, vmin), vmax);
  }
  for (; n != 0; n--) *y++ = std::min(std::max(*x++, vmin), vmax);
}
