// One-lane wrapper (N = 1) with the API of kernels/simd/vec-wasm128.h: the scalar kernels
// (kernels/scalar/) are the kernel templates instantiated over it, so every level shares one
// source. min / max have the std::min / std::max semantics; muladd rounds twice.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "simd/vec-common.h"

namespace pnn {
namespace simd {

struct Scalar1 : VecCommon<Scalar1>, VecMulAdd<Scalar1> {
  using V = float;
  using VI = int32_t;
  using M = bool;
  static constexpr size_t N = 1;

  static V load(const float* p) { return *p; }
  static V load_splat(const float* p) { return *p; }
  // With N = 1 there is never a partial vector; kept for the shared template code.
  static V load_partial(const float* p, size_t) { return *p; }
  static void store(float* p, V v) { *p = v; }
  static void store_partial(float* p, V v, size_t) { *p = v; }

  static V splat(float x) { return x; }
  static V zero() { return 0.0f; }

  static V add(V a, V b) { return a + b; }
  static V sub(V a, V b) { return a - b; }
  static V mul(V a, V b) { return a * b; }
  static V div(V a, V b) { return a / b; }
  static V sqrt(V a) { return std::sqrt(a); }
  static V neg(V a) { return -a; }
  static V abs(V a) { return as_float(as_int(a) & INT32_MAX); }

  static V pmin(V a, V b) { return b < a ? b : a; }
  static V pmax(V a, V b) { return a < b ? b : a; }

  static M lt(V a, V b) { return a < b; }
  static M le(V a, V b) { return a <= b; }
  static M eq(V a, V b) { return a == b; }
  static V select(M m, V t, V f) { return m ? t : f; }

  static V and_(V a, V b) { return as_float(as_int(a) & as_int(b)); }
  static V or_(V a, V b) { return as_float(as_int(a) | as_int(b)); }
  static V xor_(V a, V b) { return as_float(as_int(a) ^ as_int(b)); }
  static V andnot(V a, V b) { return as_float(as_int(a) & ~as_int(b)); }

  static VI as_int(V a) {
    VI i;
    std::memcpy(&i, &a, sizeof i);
    return i;
  }
  static V as_float(VI a) {
    V f;
    std::memcpy(&f, &a, sizeof f);
    return f;
  }
  static VI splat_i32(int32_t x) { return x; }
  // Wrapping integer arithmetic, as in the vector lanes.
  static VI add_i32(VI a, VI b) {
    return static_cast<VI>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
  }
  static VI sub_i32(VI a, VI b) {
    return static_cast<VI>(static_cast<uint32_t>(a) - static_cast<uint32_t>(b));
  }
  template <int S>
  static VI shl_i32(VI a) {
    return static_cast<VI>(static_cast<uint32_t>(a) << S);
  }
  template <int S>
  static VI sra_i32(VI a) {
    return a >> S;  // arithmetic on every compiler this project supports (C++20 guarantees it)
  }

  template <int L>
  static V dup_lane(V a) {
    return a;
  }

  static float reduce_add(V a) { return a; }
  static float reduce_max(V a) { return a; }
};

}  // namespace simd
}  // namespace pnn
