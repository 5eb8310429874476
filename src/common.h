// Internal helpers shared by the operators: checked arithmetic and parameter predicates.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "portnn.h"

namespace pnn {

// *out = a * b; false on size_t overflow (out untouched then).
inline bool checked_mul(size_t a, size_t b, size_t* out) {
  size_t r;
  if (__builtin_mul_overflow(a, b, &r)) return false;
  *out = r;
  return true;
}

inline bool checked_add(size_t a, size_t b, size_t* out) {
  size_t r;
  if (__builtin_add_overflow(a, b, &r)) return false;
  *out = r;
  return true;
}

// Product of n dims; false on overflow.
inline bool checked_product(const size_t* dims, size_t n, size_t* out) {
  size_t p = 1;
  for (size_t i = 0; i < n; i++) {
    if (!checked_mul(p, dims[i], &p)) return false;
  }
  *out = p;
  return true;
}

// A fused-clamp range is valid when neither bound is NaN and min <= max.
inline bool valid_clamp(float min, float max) {
  return !std::isnan(min) && !std::isnan(max) && min <= max;
}

// True when the float ranges [p, p + n) and [q, q + m) share an element. Compared as addresses:
// the buffers may belong to unrelated objects. Callers have checked that n and m floats fit in
// the address space.
inline bool ranges_overlap(const float* p, size_t n, const float* q, size_t m) {
  const uintptr_t pb = reinterpret_cast<uintptr_t>(p), qb = reinterpret_cast<uintptr_t>(q);
  return pb < qb + m * sizeof(float) && qb < pb + n * sizeof(float);
}

// The integer value of a C enum argument. C callers may pass any int; loading an out-of-range
// value through the C++ enum type is undefined, so the bytes are copied out instead.
template <typename E>
inline int enum_value(const E& e) {
  static_assert(sizeof(E) == sizeof(int), "C enums are int-sized here");
  int v;
  std::memcpy(&v, &e, sizeof v);
  return v;
}

inline size_t divide_round_up(size_t n, size_t q) { return (n + q - 1) / q; }
inline size_t round_up(size_t n, size_t q) { return divide_round_up(n, q) * q; }
inline size_t min_size(size_t a, size_t b) { return a < b ? a : b; }
inline size_t max_size(size_t a, size_t b) { return a > b ? a : b; }

}  // namespace pnn
