// The AVX2 level's own code (kernels/x86/avx2.cc includes it, the only file compiled with its
// flags): table-driven sigmoid (and the gates built on it) for the unary ops, and a table-driven
// exp_nonpositive for softmax, the 8-lane ports of kernels/x86/avx512-math.h's. Its own namespace,
// included by that one file only, so no other flag class emits these symbols (kernels/README.md,
// the one-definition rule).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "math-constants.h"
#include "params.h"
#include "simd/common-template.h"
#include "simd/vec-avx2.h"

namespace pnn {
namespace avx2_level {

// Sigmoid with an 8-entry table in a register (vpermps picks an entry per lane from the low 3
// bits of the magic-number sum), the reduced argument |r| <= ln2/16, so a quartic (Horner) where
// the template needs exp's degree-6 polynomial, a division, a select and a subtraction. As in the
// AVX-512 form (see there for the derivation), one formula for both signs:
//   xc = min(x, 18), x = n ln2 + r with n = fl + j/8, |r| <= ln2/16,
//   sigmoid(x) = S / (S + m), S = 2^(fl+25) (1 + j/8), m = th[j] (1 + p) ~ S e^-x,
// S straight from the bits of t = x log2(e) + magic: the magic 1.5 * 2^20 + 152 leaves n + 152
// in the low 11 bits of t as an 8.3 fixed-point number, so t << 20 is S. The lower clamp on t as
// an integer (vpmaxsd) keeps n >= -150.125 (S >= 2^-126 normal); below x = -104, m keeps growing
// through the quartic in -r (increasing) and the result stays under 2^-150, +0 at -inf.
// A 16-entry table would need two vpermps and a blend per table; the quartic costs one fma.
// Each table entry is the float nearest 2^25 (1 + j/8) 2^(-j/8), and the logarithm of its
// rounding error (rho) joins the reduced argument with the second Cody-Waite term.
// Exhaustive maximum error (every float, FMA as here): 1.70e-7 relative for normal results
// (bound kSigmoidError, 2.0e-7), within rel + one denormal step for denormal ones (worst case
// 0.85 of the bound). Timings: kernels/f32-vunary.inc.
struct Lut8Sigmoid {
  __m256 hi, rho;
  Lut8Sigmoid()
      : hi(_mm256_setr_ps(0x1p+25f, 0x1.0818ep+25f, 0x1.0d163cp+25f, 0x1.0f6ddap+25f,
                          0x1.0f876cp+25f, 0x1.0dbe1cp+25f, 0x1.0a61e4p+25f, 0x1.05b8ccp+25f)),
        rho(_mm256_setr_ps(0.0f, -0x1.cab76cp-27f, -0x1.2a99dep-31f, -0x1.2f1474p-27f,
                           0x1.845e9ep-25f, 0x1.91ecc8p-25f, 0x1.125002p-25f, -0x1.c86d4ap-26f)) {}

  PNN_SIMD_INLINE __m256 operator()(__m256 x) const {
    // min(18, x) keeps a NaN x (vminps returns its second operand when either is NaN).
    const __m256 xc = _mm256_min_ps(_mm256_set1_ps(18.0f), x);
    // t = x log2(e) + 1.5 * 2^20 + 152 rounded to a multiple of 1/8, then t >= the t of
    // n = -150.125 (0x49C0000F): a negative t (x below about -1e6 or -inf) or a negative NaN
    // is a negative integer and is raised too.
    const __m256 magic = _mm256_set1_ps(0x1.80098p+20f);
    const __m256i idx = _mm256_max_epi32(
        _mm256_castps_si256(_mm256_fmadd_ps(xc, _mm256_set1_ps(0x1.715476p+0f), magic)),
        _mm256_set1_epi32(0x49C0000F));
    const __m256 n = _mm256_sub_ps(_mm256_castsi256_ps(idx), magic);
    // -r = n ln2 - x in two steps (Cody-Waite, ln2 = hi + lo), the second one together with the
    // table entry's correction rho, added last: p = -r + r^2/2 - r^3/6 + r^4/24 (Horner).
    const __m256 mr1 = _mm256_fmsub_ps(n, _mm256_set1_ps(0x1.62e430p-1f), xc);
    const __m256 w =
        _mm256_fmadd_ps(n, _mm256_set1_ps(-0x1.05c610p-29f), _mm256_permutevar8x32_ps(rho, idx));
    __m256 q = _mm256_fmadd_ps(_mm256_set1_ps(0x1.555556p-5f), mr1, _mm256_set1_ps(0x1.555556p-3f));
    q = _mm256_fmadd_ps(q, mr1, _mm256_set1_ps(0.5f));
    q = _mm256_fmadd_ps(q, mr1, _mm256_set1_ps(1.0f));
    const __m256 p = _mm256_fmadd_ps(q, mr1, w);
    const __m256 th = _mm256_permutevar8x32_ps(hi, idx);
    const __m256 s = _mm256_castsi256_ps(_mm256_slli_epi32(idx, 20));
    return _mm256_div_ps(s, _mm256_fmadd_ps(th, p, _mm256_add_ps(th, s)));
  }
};

template <class W>
struct VSigmoidLut8Op {
  Lut8Sigmoid sigmoid;
  explicit VSigmoidLut8Op(const pnn_f32_unary_params*) {}
  PNN_SIMD_INLINE __m256 operator()(__m256 x) const { return sigmoid(x); }
};

// SiLU = max(x, -FLT_MAX) * sigmoid(x) (the template's gate_factor: -inf gives -0).
template <class W>
struct VSiluLut8Op {
  Lut8Sigmoid sigmoid;
  explicit VSiluLut8Op(const pnn_f32_unary_params*) {}
  PNN_SIMD_INLINE __m256 operator()(__m256 x) const {
    return _mm256_mul_ps(_mm256_max_ps(_mm256_set1_ps(-pnn::approx::kFloatMax), x), sigmoid(x));
  }
};

// GELU, tanh form: x * sigmoid(x (k1 + k2 x^2)), as the template computes it.
template <class W>
struct VGeluTanhLut8Op {
  Lut8Sigmoid sigmoid;
  explicit VGeluTanhLut8Op(const pnn_f32_unary_params*) {}
  PNN_SIMD_INLINE __m256 operator()(__m256 x) const {
    namespace ax = pnn::approx;
    const __m256 v =
        _mm256_mul_ps(x, _mm256_fmadd_ps(_mm256_set1_ps(ax::kGeluTanhK2), _mm256_mul_ps(x, x),
                                         _mm256_set1_ps(ax::kGeluTanhK1)));
    return _mm256_mul_ps(_mm256_max_ps(_mm256_set1_ps(-ax::kFloatMax), x), sigmoid(v));
  }
};

}  // namespace avx2_level
}  // namespace pnn

namespace pnn {
namespace avx2_level {

// The AVX2 wrapper plus the optional exp_nonpositive of kernels/simd/math-template.h, the 8-lane
// port of kernels/x86/avx512-math.h's: exp(z) = 2^n exp(r) with n = fl + j/8 (vpermps picks
// 2^(j/8) from an 8-entry table in a register), |r| <= ln2/16, so a quartic (r + w) + r^2 (1/2 +
// r/6 + r^2/24) where the template needs degree 6, the chain shortened by the mul r^2 beside the
// Horner steps; each table entry is the float nearest 2^(j/8) and the logarithm of its rounding
// error rho[j] joins r with the second Cody-Waite term. No vscalefps on AVX2: 2^(fl + 64) comes
// from the bits of the magic-number sum (1.5 * 2^20 + 191 leaves fl + 191 above the 3 fraction
// bits, so (t << 20) & exponent mask is it), the product th (1 + p) 2^(fl+64) is exact and the
// final * 2^-64 rounds a denormal result once, as the template's scaling does.
// Exhaustive maximum error over every float in [-inf, 0]: 6.96e-8 relative (bound kExpError,
// 1.0e-7; the template with FMA: 8.8e-8), 0.84 of a denormal step for denormal results.
struct Avx2ExpMath : pnn::simd::Avx2 {
  static constexpr bool kHasExpNonpositive = true;
  static V exp_nonpositive(V x) {
    const __m256 hi =
        _mm256_setr_ps(0x1p+0f, 0x1.172b84p+0f, 0x1.306fep+0f, 0x1.4bfdaep+0f, 0x1.6a09e6p+0f,
                       0x1.8ace54p+0f, 0x1.ae89fap+0f, 0x1.d5818ep+0f);
    const __m256 rho =
        _mm256_setr_ps(0.0f, -0x1.9c0c22p-27f, 0x1.125002p-25f, -0x1.0a3552p-25f, 0x1.26055cp-26f,
                       0x1.67a1cap-28f, -0x1.f9c306p-27f, -0x1.a5217cp-28f);
    // max(lo, x) keeps a NaN x (vmaxps returns its second operand when either is NaN).
    const __m256 z = _mm256_max_ps(_mm256_set1_ps(pnn::approx::kExpMinInput), x);
    const __m256 magic = _mm256_set1_ps(0x1.800bf0p+20f);  // 1.5 * 2^20 + 191
    const __m256 t = _mm256_fmadd_ps(z, _mm256_set1_ps(0x1.715476p+0f), magic);
    const __m256i idx = _mm256_castps_si256(t);
    const __m256 n = _mm256_sub_ps(t, magic);
    // r = z - n ln2 (Cody-Waite, ln2 = hi + lo): r1 on the chain, the small rest w beside it.
    const __m256 r1 = _mm256_fnmadd_ps(n, _mm256_set1_ps(0x1.62e430p-1f), z);
    const __m256 w =
        _mm256_fnmadd_ps(n, _mm256_set1_ps(-0x1.05c610p-29f), _mm256_permutevar8x32_ps(rho, idx));
    __m256 q = _mm256_fmadd_ps(_mm256_set1_ps(0x1.555556p-5f), r1, _mm256_set1_ps(0x1.555556p-3f));
    q = _mm256_fmadd_ps(q, r1, _mm256_set1_ps(0.5f));
    const __m256 p = _mm256_fmadd_ps(_mm256_mul_ps(r1, r1), q, _mm256_add_ps(r1, w));
    const __m256 th = _mm256_permutevar8x32_ps(hi, idx);
    const __m256 power = _mm256_and_ps(_mm256_castsi256_ps(_mm256_slli_epi32(idx, 20)),
                                       _mm256_castsi256_ps(_mm256_set1_epi32(0x7F800000)));
    return _mm256_mul_ps(_mm256_mul_ps(_mm256_fmadd_ps(th, p, th), power),
                         _mm256_set1_ps(0x1p-64f));
  }
};

}  // namespace avx2_level
}  // namespace pnn
