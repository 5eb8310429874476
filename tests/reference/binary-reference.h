// Reference for the binary elementwise ops with NumPy broadcasting.
//
// Tolerance: none. Add, subtract, multiply and divide are correctly rounded in float, and a
// float op computed in double then rounded to float gives that same correctly rounded result
// (double has more than 2*24+2 significand bits), so the operator must match this reference
// exactly. Minimum and maximum are exact. Squared difference is two float roundings in every
// implementation ((a - b) rounded, then its square rounded), so the reference rounds the same
// two steps. Values compare with ==, so the sign of a zero minimum/maximum (unspecified) does
// not matter.
#pragma once

#include <cmath>
#include <cstddef>
#include <utility>
#include <vector>

#include "math-constants.h"
#include "portnn.h"

namespace pnn_ref {

// f(a, b) rounded to float, before the clamp.
inline float binary_op(pnn_binary_op op, float a, float b) {
  const double x = a, y = b;
  switch (op) {
    case pnn_binary_add:
      return static_cast<float>(x + y);
    case pnn_binary_subtract:
      return static_cast<float>(x - y);
    case pnn_binary_multiply:
      return static_cast<float>(x * y);
    case pnn_binary_divide:
      return static_cast<float>(x / y);
    case pnn_binary_minimum:
      return static_cast<float>(x < y ? x : y);
    case pnn_binary_maximum:
      return static_cast<float>(x > y ? x : y);
    case pnn_binary_squared_difference: {
      const double d = static_cast<float>(x - y);
      return static_cast<float>(d * d);
    }
    case pnn_binary_pow:  // C's pow has the rules of include/portnn.h; compared within pow_ok
      return static_cast<float>(std::pow(x, y));
  }
  return NAN;
}

// Pow is not exact: y (an unclamped kernel result) is acceptable for a^b when it is within the
// documented bound of kernels/math-constants.h (kPowError, kPowLogRel), NaN for NaN, the same
// infinity for an infinite or overflowing a^b.
inline bool pow_ok(float y, float a, float b) {
  const double r = std::pow(static_cast<double>(a), static_cast<double>(b));
  if (std::isnan(r)) return std::isnan(y);
  if (std::isnan(y)) return false;
  if (std::isinf(y)) return std::fabs(r) > 0x1.fffffep+127 && (y > 0) == (r > 0);
  if (r == 0) return y == 0 && std::signbit(y) == std::signbit(r);
  const double ln = std::isinf(r) ? 0.0 : std::fabs(std::log(std::fabs(r)));
  const double rel = pnn::approx::kPowError.rel + pnn::approx::kPowLogRel * ln;
  return std::fabs(static_cast<double>(y) - r) <= rel * std::fabs(r) + pnn::approx::kPowError.abs;
}

// The fused clamp; a NaN result stays NaN (the API leaves NaN under a clamp unspecified, the
// tests only feed NaN with infinite bounds).
inline float clamp(float v, float lo, float hi) {
  if (std::isnan(v)) return v;
  return v < lo ? lo : v > hi ? hi : v;
}

// Output shape of NumPy broadcasting (empty when incompatible).
inline std::vector<size_t> broadcast_shape(const std::vector<size_t>& sa,
                                           const std::vector<size_t>& sb) {
  const size_t n = sa.size() > sb.size() ? sa.size() : sb.size();
  std::vector<size_t> out(n);
  for (size_t i = 0; i < n; i++) {
    const size_t a = i < n - sa.size() ? 1 : sa[i - (n - sa.size())];
    const size_t b = i < n - sb.size() ? 1 : sb[i - (n - sb.size())];
    if (a != b && a != 1 && b != 1) return {};
    out[i] = a > b ? a : b;
  }
  return out;
}

// Flat index into an operand of shape `s` for the output multi-index `idx` (of out.size() dims):
// the operand is aligned at the last dim and a size-1 dim always reads index 0.
inline size_t operand_index(const std::vector<size_t>& s, const std::vector<size_t>& idx) {
  const size_t lead = idx.size() - s.size();
  size_t flat = 0;
  for (size_t i = 0; i < s.size(); i++) flat = flat * s[i] + (s[i] == 1 ? 0 : idx[lead + i]);
  return flat;
}

// The operand pairs (a, b) of every output element of the broadcast of sa and sb, in output
// order.
inline std::vector<std::pair<float, float>> broadcast_operands(const std::vector<size_t>& sa,
                                                               const std::vector<float>& a,
                                                               const std::vector<size_t>& sb,
                                                               const std::vector<float>& b) {
  const std::vector<size_t> out = broadcast_shape(sa, sb);
  size_t count = 1;
  for (size_t d : out) count *= d;
  std::vector<std::pair<float, float>> pairs(count);
  std::vector<size_t> idx(out.size(), 0);
  for (size_t i = 0; i < count; i++) {
    pairs[i] = {a[operand_index(sa, idx)], b[operand_index(sb, idx)]};
    for (size_t d = out.size(); d-- > 0;) {
      if (++idx[d] < out[d]) break;
      idx[d] = 0;
    }
  }
  return pairs;
}

// y = clamp(f(a, b)) over the broadcast of sa and sb, walking every output index.
inline std::vector<float> binary(pnn_binary_op op, const std::vector<size_t>& sa,
                                 const std::vector<float>& a, const std::vector<size_t>& sb,
                                 const std::vector<float>& b, float lo = -INFINITY,
                                 float hi = INFINITY) {
  std::vector<float> y;
  for (const auto& p : broadcast_operands(sa, a, sb, b))
    y.push_back(clamp(binary_op(op, p.first, p.second), lo, hi));
  return y;
}

}  // namespace pnn_ref
