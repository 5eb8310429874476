// The operations every vector wrapper (kernels/simd/vec-*.h) derives the same way from its own
// primitives, written once: a wrapper derives from VecCommon<itself> (CRTP) and, when its ISA has
// no fused multiply-add, from VecMulAdd<itself>. A wrapper that has a better form of one of them
// declares its own, which hides this one (NEON's and WebAssembly's min / max). The vector type is
// deduced per call (the wrapper is incomplete where its bases are instantiated, and an intrinsic
// vector type as a template argument would lose its attributes).
#pragma once

#include <cstddef>

namespace pnn {
namespace simd {

template <class D>
struct VecCommon {
  // No wrapper needs aligned memory: loadu / storeu are load / store (see vec-wasm128.h).
  static auto loadu(const float* p) { return D::load(p); }
  template <class V>
  static void storeu(float* p, V v) {
    D::store(p, v);
  }
  // min / max: the exact std::min / std::max forms, unless the wrapper has a cheaper flavor; and
  // a > b as b < a, a >= b as b <= a (NaN operands false either way).
  template <class V>
  static V min(V a, V b) {
    return D::pmin(a, b);
  }
  template <class V>
  static V max(V a, V b) {
    return D::pmax(a, b);
  }
  template <class V>
  static auto gt(V a, V b) {
    return D::lt(b, a);
  }
  template <class V>
  static auto ge(V a, V b) {
    return D::le(b, a);
  }
};

// Multiply-add without fusion: a*b + c and c - a*b, each rounding twice (the scalar results).
template <class D>
struct VecMulAdd {
  template <class V>
  static V muladd(V a, V b, V c) {
    return D::add(D::mul(a, b), c);
  }
  template <class V>
  static V nmuladd(V a, V b, V c) {
    return D::sub(c, D::mul(a, b));
  }
};

}  // namespace simd
}  // namespace pnn
