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

// |x| = n * pi/2 + r for a finite |x| > 1 (and NaN for +inf), n mod 4 in *quadrant: the exact
// reduction of math-constants.h, one float at a time.
inline float reduce_pio2_exact(float x, uint32_t* quadrant) {
  namespace ax = pnn::approx;
  const uint32_t bits = __builtin_bit_cast(uint32_t, x);
  const int exponent = static_cast<int>(bits >> 23) - 127;
  *quadrant = 0;
  if (exponent > 127) return x - x;  // +inf: NaN
  const uint64_t m = (bits & 0x7FFFFFu) | 0x800000u;
  const int q = exponent - 23;  // x = m * 2^q
  // Bits of 2/pi are numbered from 1 (weight 2^-1). Bit i contributes m * 2^(q - i), a
  // multiple of 8 for i <= q - 3: the window starts at bit max(1, q - 2).
  const int start = q - 2 > 1 ? q - 2 : 1;
  const int word = (start - 1) / 32, shift = (start - 1) % 32;
  uint32_t w[3];
  for (int j = 0; j < 3; j++) {
    const uint64_t pair = (static_cast<uint64_t>(ax::kTwoOverPiBits[word + j]) << 32) |
                          ax::kTwoOverPiBits[word + j + 1];
    w[j] = static_cast<uint32_t>(pair >> (32 - shift));
  }
  // P = m * window (120 bits, as hi:lo); the window's last bit has weight 2^-(start + 95), so
  // m * window * 2^(q - start - 95) is x * 2/pi mod 8 up to less than 2^-69.
  const uint64_t p0 = m * w[2], p1 = m * w[1], p2 = m * w[0];
  uint64_t lo = p0 + (p1 << 32);
  uint64_t hi = (p1 >> 32) + (lo < p0 ? 1 : 0);
  hi += p2;
  const int point = start + 95 - q;  // binary point: bits below it are the fraction (93..96)
  // Integer part mod 8 and the 64 fraction bits just below the point.
  const uint32_t n = static_cast<uint32_t>(hi >> (point - 64)) & 7u;
  const uint64_t frac = (hi << (128 - point)) | (lo >> (point - 64));
  // Round to the nearest integer: a fraction >= 1/2 means n + 1 and a negative remainder.
  const uint64_t half = uint64_t{1} << 63;
  const double f = frac >= half ? -static_cast<double>(~frac + 1) : static_cast<double>(frac);
  *quadrant = (n + (frac >= half ? 1u : 0u)) & 3u;
  return static_cast<float>(f * 0x1p-64 * ax::kPio2Double);
}

template <class W>
struct VMath {
  using V = typename W::V;
  using VI = typename W::VI;
  using M = typename W::M;

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

  // The high 12 significant bits of w (products of two such halves are exact).
  static PNN_SIMD_INLINE V high_half(V w) {
    return W::and_(w, W::as_float(W::splat_i32(static_cast<int32_t>(pnn::approx::kHighHalfMask))));
  }

  // G(w) ~ 0.5 * erfcx(w / sqrt 2) = Phi(-w) / exp(-w^2 / 2) for w in [0, 14.5] (GELU's rational).
  static PNN_SIMD_INLINE V gaussian_tail_ratio(V w) {
    namespace ax = pnn::approx;
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
    return W::div(p, q);
  }

  static PNN_SIMD_INLINE V gelu(V x) {
    namespace ax = pnn::approx;
    const V w = W::pmin(W::abs(x), W::splat(ax::kGeluMaxMagnitude));
    const V w_hi = high_half(w);
    const V w_lo = W::sub(w, w_hi);
    const V h = W::mul(W::splat(0.5f), W::mul(w_hi, w_hi));
    const V l = W::muladd(w_hi, w_lo, W::mul(W::splat(0.5f), W::mul(w_lo, w_lo)));
    const V e = exp_with_tail_nonpositive(W::neg(h), W::neg(l));
    const V c = W::mul(e, gaussian_tail_ratio(w));  // Phi(-|x|)
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

  // --- Ops added for whole models (math-constants.h documents each).

  // p, then p = p * z + c for each coefficient c in turn (Horner, highest degree first).
  static PNN_SIMD_INLINE V horner(V, V p) { return p; }
  template <class... Cs>
  static PNN_SIMD_INLINE V horner(V z, V p, float c, Cs... cs) {
    return horner(z, W::muladd(p, z, W::splat(c)), cs...);
  }

  // Correctly rounded per operation (one division; sqrt then division).
  static PNN_SIMD_INLINE V reciprocal(V x) { return W::div(W::splat(1.0f), x); }
  static PNN_SIMD_INLINE V rsqrt(V x) { return W::div(W::splat(1.0f), W::sqrt(x)); }

  // Small integers k (|k| < 2^22) to float, through the magic-number sum.
  static PNN_SIMD_INLINE V int_to_float(VI k) {
    const V magic = W::splat(pnn::approx::kRoundMagic);
    return W::sub(W::as_float(W::add_i32(k, W::as_int(magic))), magic);
  }

  // Bits of a where the integer mask m (all ones or zero per lane) is set, of b elsewhere.
  static PNN_SIMD_INLINE V blend_bits(VI m, V a, V b) {
    const V mf = W::as_float(m);
    return W::or_(W::and_(a, mf), W::andnot(b, mf));
  }

  static PNN_SIMD_INLINE V round_even(V x) {
    const V limit = W::splat(pnn::approx::kRoundIntegerMagic);
    const V ax = W::abs(x);
    const V r = W::sub(W::add(ax, limit), limit);
    // |x| >= 2^23, +-inf and NaN fail the comparison and pass unchanged.
    return copysign(W::select(W::lt(ax, limit), r, ax), x);
  }

  static PNN_SIMD_INLINE V floor(V x) {
    const V r = round_even(x);
    return W::select(W::gt(r, x), W::sub(r, W::splat(1.0f)), r);
  }

  static PNN_SIMD_INLINE V ceil(V x) { return W::neg(floor(W::neg(x))); }

  // k * ln2 + log(1 + f) for f in [sqrt(2)/2 - 1, sqrt(2) - 1] given exactly, k integer-valued.
  static PNN_SIMD_INLINE V log1p_scaled(V f, V k) {
    namespace ax = pnn::approx;
    const V s = W::div(f, W::add(W::splat(2.0f), f));
    const V z = W::mul(s, s);
    const V q = horner(z, W::splat(ax::kLogC11), ax::kLogC9, ax::kLogC7, ax::kLogC5, ax::kLogC3);
    const V r = W::mul(z, q);
    const V lo = W::nmuladd(s, W::sub(f, r), W::mul(k, W::splat(ax::kLn2Lo)));
    return W::muladd(k, W::splat(ax::kLn2Hi), W::add(f, lo));
  }

  static PNN_SIMD_INLINE V log(V x) {
    namespace ax = pnn::approx;
    const V tiny = W::splat(0x1p-126f);
    const M denormal = W::lt(x, tiny);
    const V xs = W::select(denormal, W::mul(x, W::splat(0x1p23f)), x);
    const V adjust = W::select(denormal, W::splat(-23.0f), W::zero());
    const VI d = W::sub_i32(W::as_int(xs), W::splat_i32(static_cast<int32_t>(ax::kLogSqrtHalfBits)));
    const VI k = W::template sra_i32<23>(d);
    const V mantissa = W::and_(W::as_float(d), W::as_float(W::splat_i32(0x007FFFFF)));
    const V m = W::as_float(
        W::add_i32(W::as_int(mantissa), W::splat_i32(static_cast<int32_t>(ax::kLogSqrtHalfBits))));
    V y = log1p_scaled(W::sub(m, W::splat(1.0f)), W::add(int_to_float(k), adjust));
    const V inf = W::splat(__builtin_inff());
    y = W::select(W::lt(x, inf), y, x);  // +inf, and NaN
    y = W::select(W::eq(x, W::zero()), W::neg(inf), y);
    return W::select(W::lt(x, W::zero()), W::splat(__builtin_nanf("")), y);
  }

  static PNN_SIMD_INLINE V softplus(V x) {
    namespace ax = pnn::approx;
    const V e = exp_nonpositive(W::or_(x, sign_mask()));  // exp(-|x|)
    const M big = W::gt(e, W::splat(ax::kSqrt2Minus1));
    const V half = W::splat(0.5f);
    const V f = W::select(big, W::sub(W::mul(half, e), half), e);
    const V k = W::select(big, W::splat(1.0f), W::zero());
    return W::add(W::pmax(x, W::zero()), log1p_scaled(f, k));
  }

  static PNN_SIMD_INLINE V erf(V x) {
    namespace ax = pnn::approx;
    const V t = W::abs(x);
    // Taylor branch (x * P(x^2)); keeps the sign and -0.
    const V z = W::mul(x, x);
    const V p = horner(z, W::splat(ax::kErfC11), ax::kErfC10, ax::kErfC9, ax::kErfC8, ax::kErfC7,
                       ax::kErfC6, ax::kErfC5, ax::kErfC4, ax::kErfC3, ax::kErfC2, ax::kErfC1,
                       ax::kErfC0);
    const V small = W::mul(x, p);
    // 1 - erfc(t), erfc(t) = 2 exp(-t^2) G(t sqrt 2), t^2 = h + l exactly up to the rounding of l.
    const V tc = W::pmin(t, W::splat(ax::kErfMaxMagnitude));
    const V t_hi = high_half(tc);
    const V t_lo = W::sub(tc, t_hi);
    const V h = W::mul(t_hi, t_hi);
    const V l = W::muladd(W::add(t_hi, t_hi), t_lo, W::mul(t_lo, t_lo));
    const V e = exp_with_tail_nonpositive(W::neg(h), W::neg(l));
    const V erfc = W::mul(W::add(e, e), gaussian_tail_ratio(W::mul(tc, W::splat(ax::kSqrt2))));
    const V large = copysign(W::sub(W::splat(1.0f), erfc), x);
    return W::select(W::lt(t, W::splat(ax::kErfTaylorMax)), small, large);
  }

  // sin (phase 0) or cos (phase 1) of |x|, from the reduction |x| = n * pi/2 + r: the quadrant
  // n + phase picks +-sin r or +-cos r.
  template <int PHASE>
  static PNN_SIMD_INLINE V sincos_abs(V x) {
    namespace ax = pnn::approx;
    const V a = W::abs(x);
    const V magic = W::splat(ax::kRoundMagic);
    V t = W::muladd(a, W::splat(ax::kTwoOverPi), magic);
    const V nf = W::sub(t, magic);
    V r = W::nmuladd(nf, W::splat(ax::kPio2A), a);
    r = W::nmuladd(nf, W::splat(ax::kPio2B), r);
    r = W::nmuladd(nf, W::splat(ax::kPio2C), r);
    const V limit = W::splat(ax::kTrigFastMax);
    // Lanes beyond the fast reduction's domain (and +-inf): reduced exactly, one by one.
    if (W::reduce_max(W::select(W::gt(a, limit), W::splat(1.0f), W::zero())) != 0.0f) {
      float as[W::N], rs[W::N], ts[W::N];
      W::storeu(as, a);
      W::storeu(rs, r);
      W::storeu(ts, t);
      for (size_t i = 0; i < W::N; i++) {
        if (!(as[i] > ax::kTrigFastMax)) continue;
        uint32_t quadrant;
        rs[i] = reduce_pio2_exact(as[i], &quadrant);
        ts[i] = ax::kRoundMagic + static_cast<float>(quadrant);
      }
      r = W::loadu(rs);
      t = W::loadu(ts);
    }
    const V z = W::mul(r, r);
    const V sp = horner(z, W::splat(ax::kSinC9), ax::kSinC7, ax::kSinC5, ax::kSinC3);
    const V sin_r = W::muladd(W::mul(r, z), sp, r);
    const V cp = horner(z, W::splat(ax::kCosC10), ax::kCosC8, ax::kCosC6, ax::kCosC4);
    const V cos_r = W::muladd(W::mul(z, z), cp, W::nmuladd(W::splat(0.5f), z, W::splat(1.0f)));
    const VI q = W::add_i32(W::as_int(t), W::splat_i32(PHASE));
    const V y = blend_bits(W::template sra_i32<31>(W::template shl_i32<31>(q)), cos_r, sin_r);
    return W::xor_(y, W::and_(W::as_float(W::template shl_i32<30>(q)), sign_mask()));
  }

  static PNN_SIMD_INLINE V sin(V x) {
    return W::xor_(sincos_abs<0>(x), W::and_(x, sign_mask()));
  }
  static PNN_SIMD_INLINE V cos(V x) { return sincos_abs<1>(x); }

  // pow(a, b) with the rules of include/portnn.h (see math-constants.h, kPowError).
  static PNN_SIMD_INLINE V pow(V a, V b) {
    namespace ax = pnn::approx;
    const V one = W::splat(1.0f);
    const V zero = W::zero();
    const V inf = W::splat(__builtin_inff());
    const V aa = W::abs(a);
    V y = exp(W::mul(b, log(aa)));
    // Is b an integer, and odd? |b| + 2^23 rounds |b| < 2^23 to an integer held in the low bits.
    const V bb = W::abs(b);
    const V two23 = W::splat(ax::kRoundIntegerMagic);
    const V tb = W::add(bb, two23);
    const M big = W::le(two23, bb);  // an integer (+inf included); NaN fails
    const V integer = W::select(big, one, W::select(W::eq(W::sub(tb, two23), bb), one, zero));
    V odd = W::as_float(W::template shl_i32<31>(W::as_int(W::select(big, bb, tb))));
    odd = W::select(W::lt(bb, W::splat(0x1p24f)), odd, zero);
    odd = W::select(W::eq(integer, one), odd, zero);
    y = W::xor_(y, W::and_(a, odd));  // negative base, odd integer exponent
    // Negative finite base, non-integer exponent: NaN.
    const M finite_negative = W::lt(W::neg(inf), a);
    y = W::select(W::lt(a, zero),
                  W::select(finite_negative,
                            W::select(W::eq(integer, zero), W::splat(__builtin_nanf("")), y), y),
                  y);
    y = W::select(W::eq(aa, one), W::select(W::eq(bb, inf), one, y), y);  // (-1)^+-inf
    y = W::select(W::eq(b, zero), one, y);
    return W::select(W::eq(a, one), one, y);
  }
};

}  // namespace simd

}  // namespace pnn
