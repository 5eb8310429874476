// Binary elementwise microkernels as templates over a vector wrapper W (kernels/simd/vec-*.h),
// an op functor and the kernel form. Contract: kernels/ukernels-vbinary.h (three forms, fused
// clamp that keeps NaN, y may equal a or b).
//
// Each op and the clamp are the plain expressions (the clamp std::min(std::max(v, lo), hi), with
// pmin / pmax standing for std::min / std::max, so a NaN result survives it and infinite bounds
// are the identity), so the default flavor reproduces the scalar results bit for bit (pow
// excepted: VMath<W>::pow uses the wrapper's multiply-add, so levels with FMA round differently,
// within kPowError). The minimum / maximum ops use the flavor's min / max instead (their NaN and
// signed-zero behavior is the flavor's; see kernels/simd/vec-wasm128.h), because on some hosts
// the exact std semantics cost several instructions per vector.
#pragma once

#include <cstddef>

#include "params.h"
#include "simd/common-template.h"
#include "simd/math-template.h"
#include "ukernels-vbinary.h"

namespace pnn {
namespace simd {

// The ops, each one expression of the wrapper's operations on a and b.
#define PNN_SIMD_VBINARY_OP(Name, expr)                                                           \
  template <class W>                                                                              \
  struct Name {                                                                                   \
    static PNN_SIMD_INLINE typename W::V apply(typename W::V a, typename W::V b) { return expr; } \
  };
PNN_SIMD_VBINARY_OP(VAddOp, W::add(a, b))
PNN_SIMD_VBINARY_OP(VSubOp, W::sub(a, b))
PNN_SIMD_VBINARY_OP(VMulOp, W::mul(a, b))
PNN_SIMD_VBINARY_OP(VDivOp, W::div(a, b))
PNN_SIMD_VBINARY_OP(VMinOp, W::min(a, b))
PNN_SIMD_VBINARY_OP(VMaxOp, W::max(a, b))
#undef PNN_SIMD_VBINARY_OP
// (a - b)^2, the difference computed once.
template <class W>
struct VSqrDiffOp {
  static PNN_SIMD_INLINE typename W::V apply(typename W::V a, typename W::V b) {
    const typename W::V d = W::sub(a, b);
    return W::mul(d, d);
  }
};

// a^b: kernels/simd/math-template.h (bound and rules: kernels/math-constants.h, kPowError).
template <class W>
struct VPowOp {
  static PNN_SIMD_INLINE typename W::V apply(typename W::V a, typename W::V b) {
    return VMath<W>::pow(a, b);
  }
};

// y[i] = clamp(Op(a[i], b[i] or b[0])), or clamp(Op(b[0], a[i])) for the reversed form. U vectors
// per main-loop iteration, every input of the group loaded before any output is stored; then
// single vectors; then one partial vector reading and writing exactly the remaining elements.
template <class W, template <class> class Op, pnn_vbinary_form FORM, size_t U>
void vbinary(size_t n, const float* a, const float* b, float* y,
             const pnn_f32_minmax_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  const V vmin = W::splat(params->min);
  const V vmax = W::splat(params->max);
  V vb_scalar = W::zero();
  if constexpr (FORM != pnn_vbinary_vop) vb_scalar = W::load_splat(b);
  // Evaluates one output vector from its A vector and (vop) its B vector.
  auto eval = [&](V va, V vb) PNN_SIMD_LAMBDA_INLINE {
    V v;
    if constexpr (FORM == pnn_vbinary_vop) {
      v = Op<W>::apply(va, vb);
    } else if constexpr (FORM == pnn_vbinary_vopc) {
      v = Op<W>::apply(va, vb_scalar);
    } else {
      v = Op<W>::apply(vb_scalar, va);
    }
    return W::pmin(W::pmax(v, vmin), vmax);
  };
  constexpr size_t b_step = FORM == pnn_vbinary_vop ? 1 : 0;
  for (; n >= U * N; n -= U * N, a += U * N, b += b_step * U * N, y += U * N) {
    V va[U], vb[U];
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE {
      va[u] = W::loadu(a + u * N);
      vb[u] = FORM == pnn_vbinary_vop ? W::loadu(b + u * N) : vb_scalar;
    });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { va[u] = eval(va[u], vb[u]); });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { W::storeu(y + u * N, va[u]); });
  }
  if constexpr (U > 1) {
    for (; n >= N; n -= N, a += N, b += b_step * N, y += N) {
      const V va = W::loadu(a);
      const V vb = FORM == pnn_vbinary_vop ? W::loadu(b) : vb_scalar;
      W::storeu(y, eval(va, vb));
    }
  }
  if constexpr (N > 1) {
    if (n != 0) {
      const V va = W::load_partial(a, n);
      const V vb = FORM == pnn_vbinary_vop ? W::load_partial(b, n) : vb_scalar;
      W::store_partial(y, eval(va, vb), n);
    }
  }
}

}  // namespace simd
}  // namespace pnn
