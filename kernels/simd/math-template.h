// The transcendental approximations documented in kernels/math-constants.h (what each
// computes, constants, error bounds), over a vector wrapper W (kernels/simd/vec-*.h): their one
// implementation. The scalar kernels and pnn::approx::exp etc. (kernels/scalar/math-approx.h) are
// VMath<Scalar1>; every vector
// level instantiates the same operations lane for lane, so a wrapper whose muladd rounds twice
// (scalar, WebAssembly SIMD) gives the same bits as the scalar functions. A wrapper with FMA
// changes a few roundings; the bounds of math-constants.h were measured without fusing, so such a
// level must be checked against them (tests/kernels/f32-vunary-test.cc does) rather than assumed to meet them.
//
// The clamps `x < lo ? lo : x` / `x > hi ? hi : x` of the documentation are W::pmax(x, lo) /
// W::pmin(x, hi): exactly those operations, NaN included.
#pragma once

#include <cstdint>
#include <type_traits>

#include "math-constants.h"
#include "simd/common-template.h"

namespace pnn {
namespace simd {

// Optional wrapper extension, announced by a `static constexpr bool kHasScalef = true` member (no
// wrapper of kernels/simd/vec-*.h has it; kernels/x86/avx512-math.h derives a wrapper that adds it):
// W::scalef(p, n) = p * 2^n for integer-valued float lanes n, rounded once (vscalefps). The
// template uses it where it otherwise forms the same single-rounded product from exponent bits,
// so results are unchanged and only instructions are saved.
template <class W, class = void>
struct HasScalef : std::false_type {};
template <class W>
struct HasScalef<W, std::enable_if_t<W::kHasScalef>> : std::true_type {};
// A wrapper may also bring its own exp_nonpositive (announced by kHasExpNonpositive), held to the
// same documented bound kExpError; kernels/x86/avx512-math.h and avx2-math.h do (a table-driven form).
template <class W, class = void>
struct HasExpNonpositive : std::false_type {};
template <class W>
struct HasExpNonpositive<W, std::enable_if_t<W::kHasExpNonpositive>> : std::true_type {};

template <class W>
struct VMath {
  using V = typename W::V;
  using VI = typename W::VI;

  static PNN_SIMD_INLINE V sign_mask() { return W::as_float(W::splat_i32(INT32_MIN)); }

  // |magnitude| with the sign of `sign`.
  static PNN_SIMD_INLINE V copysign(V magnitude, V sign) {
    const V s = sign_mask();
    return W::or_(W::andnot(magnitude, s), W::and_(sign, s));
  }

  static PNN_SIMD_INLINE V expm1_poly(V r) {
    namespace ax = pnn::approx;
    V p = W::splat(ax::kExpC6);
    p = W::muladd(p, r, W::splat(ax::kExpC5));
    p = W::muladd(p, r, W::splat(ax::kExpC4));
    p = W::muladd(p, r, W::splat(ax::kExpC3));
    p = W::muladd(p, r, W::splat(ax::kExpC2));
    return W::muladd(W::mul(r, r), p, r);
  }

  // x = n * ln2 + r, n = round(x / ln2), |r| <= ln2 / 2 (Cody-Waite, see math-constants.h); n as
  // integer lanes.
  static PNN_SIMD_INLINE void reduce_ln2(V x, VI* n, V* r) {
    namespace ax = pnn::approx;
    const V magic = W::splat(ax::kRoundMagic);
    const V t = W::muladd(x, W::splat(ax::kLog2e), magic);
    const V nf = W::sub(t, magic);
    V rr = W::nmuladd(nf, W::splat(ax::kLn2Hi), x);
    rr = W::nmuladd(nf, W::splat(ax::kLn2Lo), rr);
    *n = W::sub_i32(W::as_int(t), W::as_int(magic));
    *r = rr;
  }

  // 2^n for integer lanes n in [-126, 127].
  static PNN_SIMD_INLINE V exp2_int(VI n) {
    return W::as_float(W::template shl_i32<23>(W::add_i32(n, W::splat_i32(127))));
  }

  // --- The nonpositive domain (sigmoid's exp(-|x|), softmax's exp(x - max), GELU's Gaussian):
  // there n <= 0, so 2^(n + 64) is a normal float for every n in [-150, 0] and p * 2^n can be
  // formed as (p * 2^(n + 64)) * 2^-64: the first product is exact and the second rounds a
  // denormal result once, exactly as the split scaling of exp() does, so the results equal
  // exp()'s bit for bit with fewer operations (no upper clamp, one power instead of two, and the
  // power's exponent field straight from the magic-number sum: (n + 127 + 64) << 23 =
  // bits(t) << 23 + (191 - bits(magic)) << 23, modulo 2^32).

  // x = n * ln2 + r as reduce_ln2, with n left in the low bits of the magic-number sum *t.
  static PNN_SIMD_INLINE void reduce_ln2_sum(V x, V* t, V* r) {
    namespace ax = pnn::approx;
    const V magic = W::splat(ax::kRoundMagic);
    const V tt = W::muladd(x, W::splat(ax::kLog2e), magic);
    const V nf = W::sub(tt, magic);
    V rr = W::nmuladd(nf, W::splat(ax::kLn2Hi), x);
    rr = W::nmuladd(nf, W::splat(ax::kLn2Lo), rr);
    *t = tt;
    *r = rr;
  }

  // p * 2^n for the n in the magic-number sum t, n in [-150, 0].
  static PNN_SIMD_INLINE V scale_exp2_nonpositive(V p, V t) {
    constexpr uint32_t kBias =  // wraps modulo 2^32 by design
        (191u - __builtin_bit_cast(uint32_t, pnn::approx::kRoundMagic)) << 23;
    const V power = W::as_float(W::add_i32(W::template shl_i32<23>(W::as_int(t)),
                                           W::splat_i32(static_cast<int32_t>(kBias))));
    return W::mul(W::mul(p, power), W::splat(0x1p-64f));
  }

  // exp(x) for x <= 0 (and NaN -> NaN): exp()'s results on that domain.
  static PNN_SIMD_INLINE V exp_nonpositive(V x) {
    if constexpr (HasExpNonpositive<W>::value) return W::exp_nonpositive(x);
    x = W::pmax(x, W::splat(pnn::approx::kExpMinInput));
    V t, r;
    reduce_ln2_sum(x, &t, &r);
    const V p = W::add(W::splat(1.0f), expm1_poly(r));
    if constexpr (HasScalef<W>::value) {
      return W::scalef(p, W::sub(t, W::splat(pnn::approx::kRoundMagic)));
    } else {
      return scale_exp2_nonpositive(p, t);
    }
  }

  static PNN_SIMD_INLINE V exp(V x) {
    namespace ax = pnn::approx;
    x = W::pmax(x, W::splat(ax::kExpMinInput));
    x = W::pmin(x, W::splat(ax::kExpMaxInput));
    if constexpr (HasScalef<W>::value) {
      // p * 2^n rounded once, as the two-factor product below is (its first factor is exact).
      V t, r;
      reduce_ln2_sum(x, &t, &r);
      const V p = W::add(W::splat(1.0f), expm1_poly(r));
      return W::scalef(p, W::sub(t, W::splat(ax::kRoundMagic)));
    } else {
      VI n;
      V r;
      reduce_ln2(x, &n, &r);
      const V p = W::add(W::splat(1.0f), expm1_poly(r));
      const VI n1 = W::template sra_i32<1>(n);
      const VI n2 = W::sub_i32(n, n1);
      return W::mul(W::mul(p, exp2_int(n1)), exp2_int(n2));
    }
  }

  // expm1 for x <= 0 (NaN passes).
  static PNN_SIMD_INLINE V expm1_nonpositive(V x) {
    namespace ax = pnn::approx;
    x = W::pmax(x, W::splat(ax::kExpm1MinInput));
    VI n;
    V r;
    reduce_ln2(x, &n, &r);
    const V q = expm1_poly(r);
    const V s = exp2_int(n);
    return W::muladd(s, q, W::sub(s, W::splat(1.0f)));
  }

  static PNN_SIMD_INLINE V sigmoid(V x) {
    const V one = W::splat(1.0f);
    const V e = exp_nonpositive(W::or_(x, sign_mask()));  // exp(-|x|)
    const V q = W::div(e, W::add(one, e));
    return W::select(W::gt(x, W::zero()), W::sub(one, q), q);
  }

  static PNN_SIMD_INLINE V tanh(V x) {
    const V ax = W::abs(x);
    const V m = expm1_nonpositive(W::mul(W::splat(-2.0f), ax));
    return copysign(W::div(W::neg(m), W::add(W::splat(2.0f), m)), x);
  }

  // max(x, -FLT_MAX) keeping NaN: the linear factor of the smooth gates.
  static PNN_SIMD_INLINE V gate_factor(V x) {
    return W::pmax(x, W::splat(-pnn::approx::kFloatMax));
  }

  // exp(x + tail) for x <= 0, tail <= 0 with |tail| <= |x| (GELU's -w^2/2 carried in two floats):
  // the sum is rounded once, its rounding error (exact by Fast2Sum) joins r after the reduction,
  // where it is tiny against |r| <= ln2/2. Scaled as exp_nonpositive.
  static PNN_SIMD_INLINE V exp_with_tail_nonpositive(V x, V tail) {
    namespace ax = pnn::approx;
    const V s = W::add(x, tail);
    const V t = W::add(W::sub(x, s), tail);
    const V xc = W::pmax(s, W::splat(ax::kExpMinInput));
    V sum, r;
    reduce_ln2_sum(xc, &sum, &r);
    const V p = W::add(W::splat(1.0f), expm1_poly(W::add(r, t)));
    if constexpr (HasScalef<W>::value) {
      return W::scalef(p, W::sub(sum, W::splat(ax::kRoundMagic)));
    } else {
      return scale_exp2_nonpositive(p, sum);
    }
  }

  static PNN_SIMD_INLINE V gelu(V x) {
    namespace ax = pnn::approx;
    const V w = W::pmin(W::abs(x), W::splat(ax::kGeluMaxMagnitude));
    const V w_hi = W::and_(w, W::as_float(W::splat_i32(static_cast<int32_t>(ax::kHighHalfMask))));
    const V w_lo = W::sub(w, w_hi);
    const V h = W::mul(W::splat(0.5f), W::mul(w_hi, w_hi));
    const V l = W::muladd(w_hi, w_lo, W::mul(W::splat(0.5f), W::mul(w_lo, w_lo)));
    const V e = exp_with_tail_nonpositive(W::neg(h), W::neg(l));
    V p = W::splat(ax::kGeluP4);
    p = W::muladd(p, w, W::splat(ax::kGeluP3));
    p = W::muladd(p, w, W::splat(ax::kGeluP2));
    p = W::muladd(p, w, W::splat(ax::kGeluP1));
    p = W::muladd(p, w, W::splat(ax::kGeluP0));
    V q = W::splat(ax::kGeluQ5);
    q = W::muladd(q, w, W::splat(ax::kGeluQ4));
    q = W::muladd(q, w, W::splat(ax::kGeluQ3));
    q = W::muladd(q, w, W::splat(ax::kGeluQ2));
    q = W::muladd(q, w, W::splat(ax::kGeluQ1));
    q = W::muladd(q, w, W::splat(1.0f));
    const V c = W::mul(e, W::div(p, q));  // Phi(-|x|)
    const V phi = W::select(W::gt(x, W::zero()), W::sub(W::splat(1.0f), c), c);
    return W::mul(gate_factor(x), phi);
  }

  static PNN_SIMD_INLINE V gelu_tanh(V x) {
    namespace ax = pnn::approx;
    const V v =
        W::mul(x, W::muladd(W::splat(ax::kGeluTanhK2), W::mul(x, x), W::splat(ax::kGeluTanhK1)));
    return W::mul(gate_factor(x), sigmoid(v));
  }

  static PNN_SIMD_INLINE V silu(V x) { return W::mul(gate_factor(x), sigmoid(x)); }
};

}  // namespace simd

}  // namespace pnn
