// Unary elementwise microkernels as templates over a vector wrapper W (kernels/simd/vec-*.h) and
// an op functor. Contract: kernels/ukernels.h (pnn_f32_vunary_ukernel_fn; y == x allowed).
//
// Every level, the scalar one included (kernels/scalar/scalar.cc: this template over
// vec-scalar.h), evaluates the same operations (the transcendental ones through
// kernels/simd/math-template.h), so a wrapper without FMA gives the scalar results bit for bit.
// Clamp uses the flavor's min / max: its NaN and signed-zero behavior is unspecified by the API.
#pragma once

#include <cstddef>

#include "params.h"
#include "simd/common-template.h"
#include "simd/math-template.h"

namespace pnn {
namespace simd {

template <class W>
struct VClampOp {
  typename W::V lo, hi;
  explicit VClampOp(const pnn_f32_unary_params* p) : lo(W::splat(p->min)), hi(W::splat(p->max)) {}
  PNN_SIMD_INLINE typename W::V operator()(typename W::V x) const {
    return W::min(W::max(x, lo), hi);
  }
};

template <class W>
struct VLeakyReluOp {
  typename W::V slope;
  explicit VLeakyReluOp(const pnn_f32_unary_params* p) : slope(W::splat(p->slope)) {}
  PNN_SIMD_INLINE typename W::V operator()(typename W::V x) const {
    // NaN fails the comparison and takes the scaled branch, which keeps it NaN.
    return W::select(W::ge(x, W::zero()), x, W::mul(x, slope));
  }
};

template <class W>
struct VEluOp {
  typename W::V alpha;
  explicit VEluOp(const pnn_f32_unary_params* p) : alpha(W::splat(p->alpha)) {}
  PNN_SIMD_INLINE typename W::V operator()(typename W::V x) const {
    // expm1 sees min(x, 0) so that its domain holds in every lane; NaN passes.
    const typename W::V m = W::mul(alpha, VMath<W>::expm1_nonpositive(W::pmin(x, W::zero())));
    return W::select(W::ge(x, W::zero()), x, m);
  }
};

template <class W>
struct VHardSwishOp {
  explicit VHardSwishOp(const pnn_f32_unary_params*) {}
  PNN_SIMD_INLINE typename W::V operator()(typename W::V x) const {
    // x * (relu6(x + 3) * (1/6 rounded to float)): the gate is at most 1 (6 * that rounds to
    // exactly 1), so large x never overflow and x >= 3 come out exactly; -inf meets a zero gate
    // through -FLT_MAX (gate_factor).
    const typename W::V gate =
        W::mul(W::pmin(W::pmax(W::add(x, W::splat(3.0f)), W::zero()), W::splat(6.0f)),
               W::splat(0x1.555556p-3f));
    return W::mul(VMath<W>::gate_factor(x), gate);
  }
};

// max(0, min(1, alpha * x + beta)), NaN kept (the clamps of math-constants.h's conventions).
template <class W>
struct VHardSigmoidOp {
  typename W::V alpha, beta;
  explicit VHardSigmoidOp(const pnn_f32_unary_params* p)
      : alpha(W::splat(p->alpha)), beta(W::splat(p->beta)) {}
  PNN_SIMD_INLINE typename W::V operator()(typename W::V x) const {
    return W::pmin(W::pmax(W::muladd(alpha, x, beta), W::zero()), W::splat(1.0f));
  }
};

// Ops without parameters, from a static function of VMath or a lambda-like body.
#define PNN_SIMD_PLAIN_VUNARY_OP(Name, expr)                                         \
  template <class W>                                                                 \
  struct Name {                                                                      \
    explicit Name(const pnn_f32_unary_params*) {}                                    \
    PNN_SIMD_INLINE typename W::V operator()(typename W::V x) const { return expr; } \
  };
PNN_SIMD_PLAIN_VUNARY_OP(VAbsOp, W::abs(x))
PNN_SIMD_PLAIN_VUNARY_OP(VNegOp, W::neg(x))
PNN_SIMD_PLAIN_VUNARY_OP(VSquareOp, W::mul(x, x))
PNN_SIMD_PLAIN_VUNARY_OP(VSqrtOp, W::sqrt(x))
PNN_SIMD_PLAIN_VUNARY_OP(VExpOp, VMath<W>::exp(x))
PNN_SIMD_PLAIN_VUNARY_OP(VSigmoidOp, VMath<W>::sigmoid(x))
PNN_SIMD_PLAIN_VUNARY_OP(VTanhOp, VMath<W>::tanh(x))
PNN_SIMD_PLAIN_VUNARY_OP(VGeluOp, VMath<W>::gelu(x))
PNN_SIMD_PLAIN_VUNARY_OP(VGeluTanhOp, VMath<W>::gelu_tanh(x))
PNN_SIMD_PLAIN_VUNARY_OP(VSiluOp, VMath<W>::silu(x))
#undef PNN_SIMD_PLAIN_VUNARY_OP

// An op that is one function of VMath<W>, named where the slot is mapped (kernels/instances.h:
// PNN_UNARY_SLOT_FN): erf, log, reciprocal, rsqrt, floor, ceil, round, sin, cos, softplus. Fn
// has `template <class W> static V apply(V)` (a type, not a function pointer: an intrinsic vector
// type in a template argument would lose its attributes).
template <class W, class Fn>
struct VMathFnOp {
  explicit VMathFnOp(const pnn_f32_unary_params*) {}
  PNN_SIMD_INLINE typename W::V operator()(typename W::V x) const {
    return Fn::template apply<W>(x);
  }
};

// y[i] = Op(x[i]): U vectors per main-loop iteration (all loaded before any is stored, so y == x
// is safe), then single vectors, then one partial vector that reads and writes exactly the
// remaining elements.
template <class W, template <class> class Op, size_t U>
void vunary(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) {
  using V = typename W::V;
  constexpr size_t N = W::N;
  const Op<W> op(params);
  for (; n >= U * N; n -= U * N, x += U * N, y += U * N) {
    V v[U];
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { v[u] = W::loadu(x + u * N); });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { v[u] = op(v[u]); });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { W::storeu(y + u * N, v[u]); });
  }
  if constexpr (U > 1) {
    for (; n >= N; n -= N, x += N, y += N) W::storeu(y, op(W::loadu(x)));
  }
  if constexpr (N > 1) {
    if (n != 0) W::store_partial(y, op(W::load_partial(x, n)), n);
  }
}

}  // namespace simd
}  // namespace pnn
