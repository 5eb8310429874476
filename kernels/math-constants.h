// Constants and documented error bounds of the float approximations of the transcendental
// functions behind the activation and softmax kernels (exp, expm1, sigmoid, tanh, GELU through the
// normal CDF, SiLU): what each computes, its constants and its documented error bound. The one
// implementation is VMath<W> in kernels/simd/math-template.h, written operation by operation in a
// form every vector wrapper evaluates lane for lane: range reduction with float bit tricks,
// fixed-degree polynomials and rationals in Horner form, clamps and selects instead of branches,
// one division at most, no libm calls. kernels/scalar/math-approx.h defines the scalar functions
// (that template over the one-lane wrapper); this header holds only what the template and the tests
// both need, so the template does not include its own scalar instantiation.
//
// Conventions:
//  - NaN in gives NaN out: clamps are written as `x < lo ? lo : x`, which lets NaN through
//    (every comparison with NaN is false), and NaN reaches the result through arithmetic.
//  - Saturation is explicit: exp overflows to +inf and underflows to +0, sigmoid and tanh reach
//    exactly 0 / +-1, and the smooth gates (SiLU, GELU) give -0 at -inf, their limit, instead
//    of the NaN of -inf * 0.
//  - Each function states its measured maximum error as |y - f(x)| <= rel * |f(x)| + abs,
//    against f evaluated in double, measured over EVERY float of the stated domain (an
//    exhaustive sweep without fused multiply-add, run when the coefficients were chosen). The
//    constants k*Error below hold those bounds, rounded up; tests/kernels/f32-vunary-test.cc asserts them over
//    a dense sweep and derives the operator tolerances from them. `abs` counts in denormal steps
//    (2^-149) where a result, or an intermediate that a factor then scales, can be denormal and
//    so cannot carry `rel` relative accuracy; GELU's tanh form needs a larger one (see there).
//  - Coefficients were fitted in 40-digit arithmetic (Chebyshev fit for the expm1 polynomial,
//    Lawson-iterated least squares for the GELU rational), then rounded to float.
#pragma once

#include <cstdint>

namespace pnn {
namespace approx {

// An error bound |y - f(x)| <= rel * |f(x)| + abs.
struct ErrorBound {
  double rel;
  double abs;
};

constexpr double kDenormalStep = 1.4012984643248171e-45;  // 2^-149

// Largest finite float: the smooth gates clamp their linear factor to it so that -inf * 0
// becomes -FLT_MAX * 0 = -0.
constexpr float kFloatMax = 0x1.fffffep+127f;

// ---------------------------------------------------------------------------------------------
// Shared range reduction: x = n * ln2 + r with n = round(x / ln2), |r| <= ln2 / 2.

// Adding 1.5 * 2^23 to a float of magnitude < 2^22 rounds it to an integer (round to nearest
// even) held in the low mantissa bits: the bit pattern difference is that integer (n in
// [-150, 128] for the clamped inputs; garbage for NaN, which is harmless: r is NaN then).
constexpr float kRoundMagic = 0x1.8p23f;
constexpr float kLog2e = 0x1.715476p+0f;
// ln2 split in two (Cody-Waite): kLn2Hi has 9 trailing zero bits so n * kLn2Hi is exact for
// |n| <= 2^9, and x - n * kLn2Hi is exact (Sterbenz) — r loses no bits to the reduction.
constexpr float kLn2Hi = 0x1.62e400p-1f;
constexpr float kLn2Lo = 0x1.7f7d1cp-20f;

// expm1(r) on [-ln2/2, ln2/2] as r + r^2 * P(r), P of degree 4: |P - (expm1(r) - r)/r^2| <=
// 6.5e-8, i.e. a relative error below 2.3e-8 on the polynomial itself before float rounding.
constexpr float kExpC2 = 0x1.000000p-1f;
constexpr float kExpC3 = 0x1.5554dep-3f;
constexpr float kExpC4 = 0x1.55551ap-5f;
constexpr float kExpC5 = 0x1.120b62p-7f;
constexpr float kExpC6 = 0x1.6d10fcp-10f;

// ---------------------------------------------------------------------------------------------
// exp(x) = 2^n * (1 + expm1_poly(r)), 2^n applied as two normal factors 2^floor(n/2) and
// 2^(n - floor(n/2)): neither 2^128 nor a denormal power needs constructing, and a denormal
// result is rounded once.
// Domain: every float. exp(x) overflows to +inf for x > 88.72284 and is +0 below -103.97 (where
// the true value is under half the smallest denormal); +inf -> +inf, -inf -> +0, NaN -> NaN.
// Measured: rel 8.84e-8 (0.74 ulp) for normal results; denormal results (x < -87.34) are off
// by at most 0.75 of a denormal step.
constexpr ErrorBound kExpError = {1.0e-7, kDenormalStep};
constexpr float kExpMinInput = -104.0f;  // exp(-104) < 2^-150: rounds to +0
constexpr float kExpMaxInput = 89.0f;    // exp(89) > FLT_MAX: the scaling overflows to +inf

// ---------------------------------------------------------------------------------------------
// expm1(x) = exp(x) - 1 for x <= 0 (the branch ELU and tanh need), as
// (2^n - 1) + 2^n * expm1_poly(r): for n = 0 this is the polynomial alone, so the relative
// accuracy holds down to x -> 0 where exp(x) - 1 would cancel; below -20 the result rounds to -1.
// Domain: x <= 0 (and NaN -> NaN; -inf -> -1). Larger x are not supported.
// Measured: rel 9.88e-8 over every float in [-inf, 0].
constexpr ErrorBound kExpm1Error = {1.2e-7, 0.0};
constexpr float kExpm1MinInput = -20.0f;  // expm1(-20) = -1 + 2e-9 rounds to -1

// ---------------------------------------------------------------------------------------------
// sigmoid(x) = 1 / (1 + exp(-x)), from e = exp(-|x|) in (0, 1]: q = e / (1 + e) is sigmoid(-|x|)
// with no cancellation, and sigmoid(|x|) = 1 - q (q <= 1/2, so the subtraction is benign).
// Domain: every float; sigmoid(+inf) = 1 (already from x > 17.33), sigmoid(-inf) = +0 (from
// x < -103.97), NaN -> NaN.
// Measured: rel 1.77e-7 for normal results; denormal results (x < -87.34) are off by at most
// 0.75 of a denormal step.
constexpr ErrorBound kSigmoidError = {2.0e-7, kDenormalStep};

// ---------------------------------------------------------------------------------------------
// tanh(x) = sign(x) * -m / (2 + m), m = expm1(-2|x|) in [-1, 0]: accurate near 0 through expm1,
// and exactly +-1 once m rounds to -1 (|x| >= 9.01 and +-inf). NaN -> NaN.
// Measured: rel 1.93e-7 over every float.
constexpr ErrorBound kTanhError = {2.2e-7, 0.0};

// ---------------------------------------------------------------------------------------------
// GELU, exact form: x/2 * (1 + erf(x / sqrt 2)) = x * Phi(x), Phi the normal CDF.
// erf itself is never formed: 1 + erf cancels for x < 0, which would leave only absolute
// accuracy where GELU is small. Instead, with w = |x|,
//   c = Phi(-w) = 0.5 * erfc(w / sqrt 2) = exp(-w^2 / 2) * G(w),
//   G(w) = 0.5 * erfcx(w / sqrt 2) ~ P(w) / Q(w), P of degree 4, Q of degree 5, all
//   coefficients positive (Horner never cancels), fitted relative error 5.9e-9 on [0, 14.5];
// then Phi(x) = c for x <= 0 and 1 - c (c <= 1/2: no cancellation) for x > 0: the same shape
// as sigmoid, relative accuracy on both sides. exp(-w^2 / 2) needs w^2 without rounding (an
// error of one ulp in w^2 / 2 ~ 100 would cost 100 ulps), so w is split in two halves of 12
// significant bits whose products are exact (w^2 / 2 = h + l, exact up to the rounding of l:
// w_lo < 2^-11 w, so |l| < 2^-10 h), and the low part goes to exp as a tail.
// w is clamped to 14.5, past which exp(-w^2 / 2) is already +0.
// gelu(+inf) = +inf, gelu(-inf) = -0, NaN -> NaN.
// Measured: rel 4.67e-7 (the float evaluation of P / Q contributes most of it) together with
// an absolute 9.2 denormal steps where Phi is denormal (x < -13.1: its last step scaled by |x|).
constexpr ErrorBound kGeluError = {5.0e-7, 16 * kDenormalStep};
constexpr float kGeluP0 = 0x1.000000p-1f;
constexpr float kGeluP1 = 0x1.c0d1d4p-2f;
constexpr float kGeluP2 = 0x1.774626p-3f;
constexpr float kGeluP3 = 0x1.4ce104p-5f;
constexpr float kGeluP4 = 0x1.0dc7cep-8f;
constexpr float kGeluQ1 = 0x1.acab1ap+0f;
constexpr float kGeluQ2 = 0x1.33d85cp+0f;
constexpr float kGeluQ3 = 0x1.e0bfc6p-2f;
constexpr float kGeluQ4 = 0x1.a13a72p-4f;
constexpr float kGeluQ5 = 0x1.521da4p-7f;
constexpr float kGeluMaxMagnitude = 14.5f;
constexpr uint32_t kHighHalfMask = 0xFFFFF000u;  // keeps 12 significant bits

// ---------------------------------------------------------------------------------------------
// GELU, tanh form: x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), computed through the
// identity 1 + tanh(u) = 2 * sigmoid(2u) as x * sigmoid(x * (k1 + k2 * x^2)), which keeps the
// relative accuracy of sigmoid for negative x. The argument carries a few roundings which the
// steep sigmoid tail magnifies (relative error ~ |2u| * 2e-7), but only where the result is
// tiny, hence the small absolute term.
// gelu_tanh(+inf) = +inf, gelu_tanh(-inf) = -0, NaN -> NaN.
// Measured: rel 6.0e-7 together with abs 3.4e-9 (largest near x = -2.4) over every float;
// relative alone, 1.35e-5 (at x = -10.09, where the result is 1e-38).
constexpr ErrorBound kGeluTanhError = {6.5e-7, 3.5e-9};
constexpr float kGeluTanhK1 = 0x1.988454p+0f;  // 2 * sqrt(2 / pi)
constexpr float kGeluTanhK2 = 0x1.2444f2p-4f;  // 2 * sqrt(2 / pi) * 0.044715

// ---------------------------------------------------------------------------------------------
// SiLU: x * sigmoid(x). silu(+inf) = +inf, silu(-inf) = -0, NaN -> NaN.
// Measured: rel 2.27e-7 together with abs 52 denormal steps (sigmoid's denormal step scaled by
// |x| <= 104) over every float.
constexpr ErrorBound kSiluError = {2.5e-7, 104 * kDenormalStep};

}  // namespace approx
}  // namespace pnn
