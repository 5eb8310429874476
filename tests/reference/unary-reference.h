// Double-precision reference for the unary ops.
#pragma once

#include <cmath>

#include "portnn.h"

namespace pnn_ref {

inline double unary(pnn_unary_op op, double x, const pnn_unary_params& p, bool gelu_tanh = false) {
  switch (op) {
    case pnn_unary_clamp: return std::fmin(std::fmax(x, p.min), p.max);
    case pnn_unary_leaky_relu: return x >= 0 ? x : p.negative_slope * x;
    case pnn_unary_elu: return x >= 0 ? x : p.alpha * std::expm1(x);
    case pnn_unary_sigmoid: return 1.0 / (1.0 + std::exp(-x));
    case pnn_unary_tanh: return std::tanh(x);
    case pnn_unary_hardswish: return x * std::fmin(std::fmax(x + 3.0, 0.0), 6.0) / 6.0;
    case pnn_unary_gelu:
      if (gelu_tanh) {
        const double c = std::sqrt(2.0 / M_PI);
        return 0.5 * x * (1.0 + std::tanh(c * (x + 0.044715 * x * x * x)));
      }
      return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0)));
    case pnn_unary_silu: return x / (1.0 + std::exp(-x));
    case pnn_unary_abs: return std::fabs(x);
    case pnn_unary_negate: return -x;
    case pnn_unary_square: return x * x;
    case pnn_unary_sqrt: return std::sqrt(x);
    case pnn_unary_exp: return std::exp(x);
  }
  return NAN;
}

}  // namespace pnn_ref
