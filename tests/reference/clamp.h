// The fused clamp of the references: a double result bounded by float output_min / output_max
// (shared by the convolution, GEMM and pooling references, so any two can be included together).
#pragma once

#include <algorithm>

namespace pnn_ref {

inline double clamp(double v, float lo, float hi) {
  return std::min(std::max(v, static_cast<double>(lo)), static_cast<double>(hi));
}

}  // namespace pnn_ref
