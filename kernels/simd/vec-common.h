// The operations every vector wrapper (kernels/simd/vec-*.h) derives the same way from its own
// primitives, written once: a wrapper derives from VecCommon<itself, its V> (CRTP) and, when its
// ISA has no fused multiply-add, from VecMulAdd<itself, its V>. A wrapper that has a better form
// of one of them declares its own, which hides this one (NEON's and WebAssembly's min / max).
#pragma once

#include <cstddef>

namespace pnn {
namespace simd {

template <class D, class V>
struct VecCommon {
  // No wrapper needs aligned memory: loadu / storeu are load / store (see vec-wasm128.h).
  static V loadu(const float* p) { return D::load(p); }
  static void storeu(float* p, V v) { D::store(p, v); }
  // min / max: the exact std::min / std::max forms, unless the wrapper has a cheaper flavor.
  static V min(V a, V b) { return D::pmin(a, b); }
  static V max(V a, V b) { return D::pmax(a, b); }
  // a > b is b < a and a >= b is b <= a, NaN operands false either way.
  static auto gt(V a, V b) { return D::lt(b, a); }
  static auto ge(V a, V b) { return D::le(b, a); }
};

// Multiply-add without fusion: a*b + c and c - a*b, each rounding twice (the scalar results).
template <class D, class V>
struct VecMulAdd {
  static V muladd(V a, V b, V c) { return D::add(D::mul(a, b), c); }
  static V nmuladd(V a, V b, V c) { return D::sub(c, D::mul(a, b)); }
};

}  // namespace simd
}  // namespace pnn
