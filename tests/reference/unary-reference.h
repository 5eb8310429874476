// Double-precision reference for the unary ops, and the tolerance each op is held to.
#pragma once

#include <cfloat>
#include <cmath>
#include <limits>
#include <vector>

#include "portnn.h"
#include "scalar/math-approx.h"

namespace pnn_ref {

// Zeros, denormals, the normal range's ends, infinities, NaNs, and the thresholds the
// approximations document (saturation, overflow, underflow, clamps).
inline std::vector<float> special_values() {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> v = {0.0f,    1e-45f,    1e-40f,    FLT_MIN,    1e-30f, 1e-7f,      1e-3f,
                          0.3466f, 0.5f,      1.0f,      2.9999998f, 3.0f,   3.0000002f, 3.9855f,
                          4.0f,    5.6f,      9.01f,     13.2f,      14.5f,  17.33f,     20.0f,
                          87.33f,  88.72283f, 88.72284f, 88.7229f,   89.0f,  103.97f,    104.0f,
                          105.0f,  1e4f,      1e19f,     1e20f,      1e30f,  FLT_MAX,    inf};
  const size_t positives = v.size();
  for (size_t i = 0; i < positives; i++) v.push_back(-v[i]);
  v.push_back(nan);
  v.push_back(-nan);
  return v;
}

// sigmoid in double without overflow warnings or cancellation on either side.
inline double sigmoid(double x) {
  if (x >= 0) return 1.0 / (1.0 + std::exp(-x));
  const double e = std::exp(x);
  return e / (1.0 + e);
}

// y = f(x) as the header documents it, evaluated in double. Two rewrites keep the reference
// accurate where the literal formula cancels in double too (x < -8: 1 + erf(x/sqrt2) and
// 1 + tanh(u) are 1 - (1 - tiny)): GELU uses 1 + erf(z) = erfc(-z), and its tanh form uses the
// identity 1 + tanh(u) = 2 * sigmoid(2u). At -inf the smooth gates (hardswish, GELU, SiLU)
// take their limit, -0, rather than the NaN of -inf * 0 (see kernels/scalar/math-approx.h).
inline double unary(pnn_unary_op op, double x, const pnn_unary_params& p, bool gelu_tanh = false) {
  const bool gate = op == pnn_unary_hardswish || op == pnn_unary_gelu || op == pnn_unary_silu;
  if (gate && std::isinf(x)) return x > 0 ? x : -0.0;
  switch (op) {
    case pnn_unary_clamp:
      return std::fmin(std::fmax(x, p.min), p.max);
    case pnn_unary_leaky_relu:
      return x >= 0 ? x : p.negative_slope * x;
    case pnn_unary_elu:
      return x >= 0 ? x : p.alpha * std::expm1(x);
    case pnn_unary_sigmoid:
      return sigmoid(x);
    case pnn_unary_tanh:
      return std::tanh(x);
    case pnn_unary_hardswish:
      return x * std::fmin(std::fmax(x + 3.0, 0.0), 6.0) / 6.0;
    case pnn_unary_gelu:
      if (gelu_tanh) {
        const double u = std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x);
        return x * sigmoid(2.0 * u);
      }
      return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
    case pnn_unary_silu:
      return x * sigmoid(x);
    case pnn_unary_abs:
      return std::fabs(x);
    case pnn_unary_negate:
      return -x;
    case pnn_unary_square:
      return x * x;
    case pnn_unary_sqrt:
      return std::sqrt(x);
    case pnn_unary_exp:
      return std::exp(x);
    case pnn_unary_hard_sigmoid: {
      const double v = static_cast<double>(p.alpha) * x + p.beta;  // NaN stays (fmax would drop it)
      return std::isnan(v) ? v : std::fmin(std::fmax(v, 0.0), 1.0);
    }
    case pnn_unary_erf:
      return std::erf(x);
    case pnn_unary_log:
      return std::log(x);
    case pnn_unary_reciprocal:
      return 1.0 / x;
    case pnn_unary_rsqrt:
      return 1.0 / std::sqrt(x);
    case pnn_unary_floor:
      return std::floor(x);
    case pnn_unary_ceil:
      return std::ceil(x);
    case pnn_unary_round:
      return std::nearbyint(x);  // the default rounding mode: to nearest, halves to even
    case pnn_unary_sin:
      return std::sin(x);
    case pnn_unary_cos:
      return std::cos(x);
    case pnn_unary_softplus:
      return x > 0 ? x + std::log1p(std::exp(-x)) : std::log1p(std::exp(x));
  }
  return NAN;
}

// pow(a, b) in double with the rules of include/portnn.h (C's pow has them all).
inline double pow(double a, double b) { return std::pow(a, b); }

// ------------------------------------------------------------------------------------------
// Tolerances: |y - ref| <= rel * |ref| + abs, from the documented bound of each kernel.
//  - transcendental ops: the measured bounds of kernels/scalar/math-approx.h; ELU adds the
//    rounding of alpha * expm1 (and a denormal step, for a tiny alpha);
//  - clamp, abs, negate: exact;
//  - leaky relu, square, sqrt: one correctly rounded operation, half an ulp (2^-24 relative),
//    plus a denormal step where the product underflows;
//  - hardswish: four roundings (x + 3, the constant 1/6, gate * 1/6, x * gate), 4 * 2^-24;
//  - floor, ceil, round: exact; reciprocal one rounding, rsqrt two (sqrt, then 1 / that);
//  - hard sigmoid: absolute, from its two roundings (see there).
using pnn::approx::ErrorBound;
constexpr double kHalfUlp = 0x1p-24;

inline ErrorBound unary_error_bound(pnn_unary_op op, bool gelu_tanh = false) {
  namespace ax = pnn::approx;
  switch (op) {
    case pnn_unary_clamp:
    case pnn_unary_abs:
    case pnn_unary_negate:
      return {0.0, 0.0};
    case pnn_unary_leaky_relu:
    case pnn_unary_square:
      return {kHalfUlp, ax::kDenormalStep};
    case pnn_unary_sqrt:
      return {kHalfUlp, 0.0};
    case pnn_unary_elu:
      return {ax::kExpm1Error.rel + kHalfUlp, ax::kExpm1Error.abs + ax::kDenormalStep};
    case pnn_unary_sigmoid:
      return ax::kSigmoidError;
    case pnn_unary_tanh:
      return ax::kTanhError;
    case pnn_unary_hardswish:
      return {4 * kHalfUlp, ax::kDenormalStep};
    case pnn_unary_gelu:
      return gelu_tanh ? ax::kGeluTanhError : ax::kGeluError;
    case pnn_unary_silu:
      return ax::kSiluError;
    case pnn_unary_exp:
      return ax::kExpError;
    case pnn_unary_hard_sigmoid:
      // alpha * x rounds (within 2^-24 (|beta| + 1) where the result is not clamped), the sum
      // rounds (2^-24): 3 * 2^-24 absolute for the |beta| <= 1 the tests use; fused, less.
      return {0.0, 6 * kHalfUlp};
    case pnn_unary_floor:
    case pnn_unary_ceil:
    case pnn_unary_round:
      return {0.0, 0.0};
    case pnn_unary_reciprocal:
      return {kHalfUlp, ax::kDenormalStep};
    case pnn_unary_rsqrt:
      // sqrt and the division each round: (1 + 2^-24)^2 - 1.
      return {2 * kHalfUlp + kHalfUlp * kHalfUlp, 0.0};
    case pnn_unary_erf:
      return ax::kErfError;
    case pnn_unary_log:
      return ax::kLogError;
    case pnn_unary_sin:
      return ax::kSinError;
    case pnn_unary_cos:
      return ax::kCosError;
    case pnn_unary_softplus:
      return ax::kSoftplusError;
  }
  return {0.0, 0.0};
}

// True when float result y is acceptable for the exact value ref: NaN for NaN; the same
// infinity for an infinite ref or for a ref beyond the float range (which rounds to it unless
// the approximation stays within the bound of FLT_MAX); within the bound otherwise.
inline bool within_bound(float y, double ref, ErrorBound b) {
  if (std::isnan(ref)) return std::isnan(y);
  if (std::isnan(y)) return false;
  if (std::isinf(y) && std::isinf(ref)) return (y > 0) == (ref > 0);
  if (std::isinf(y)) return std::fabs(ref) > FLT_MAX && (y > 0) == (ref > 0);
  return std::fabs(static_cast<double>(y) - ref) <= b.rel * std::fabs(ref) + b.abs;
}

}  // namespace pnn_ref
