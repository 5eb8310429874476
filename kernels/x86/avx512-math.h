// The AVX-512 level's own code (kernels/x86/avx512.cc includes it, the only file compiled with
// its flags): vscalefps for the 2^n scaling of exp, a 16-entry table-driven sigmoid for the unary
// ops, and a table-driven exp_nonpositive for softmax. Its own namespace, included by that one file
// only, so no other flag class emits these symbols (kernels/README.md, the one-definition rule).
#pragma once

#include <immintrin.h>

#include <cstdint>

#include "math-constants.h"
#include "params.h"
#include "simd/common-template.h"
#include "simd/vec-avx512.h"

namespace pnn {
namespace avx512_level {

// The AVX-512 wrapper plus the optional vscalefps of kernels/simd/math-template.h: the final 2^n
// scaling of exp in one instruction instead of four, with the same single rounding.
struct Avx512Math : pnn::simd::Avx512 {
  static constexpr bool kHasScalef = true;
  static V scalef(V p, V n) { return _mm512_scalef_ps(p, n); }
};

// Sigmoid with a 16-entry table in registers (vpermps picks an entry per lane from the low 4 bits
// of the magic-number sum), so that the reduced argument |r| <= ln2/32 needs a cubic only,
// against the degree-6 polynomial of the template (kernels/simd/math-template.h). On the Zen 5
// the loop is bound by issue slots of the vector pipes (about three 512-bit arithmetic ops per
// cycle, vdivps taking more than one, vscalefps two; register moves are free), so this form
// minimizes the op count: 15 ops per vector (14 arithmetic and one integer), one formula for
// both signs and no select:
//   xc = min(x, 18) (sigmoid(18) rounds to 1), x = n ln2 + r with n = fl + j/16 (fl = floor(n))
//   and |r| <= ln2/32, and, scaling numerator and denominator by S = 2^(fl+25) (1 + j/16),
//   sigmoid(x) = 1 / (1 + e^-x) = S / (S + m), m = 2^25 (1 + j/16) 2^(-j/16) e^-r,
// m = th[j] (1 + p) from the table and a cubic, S straight from the bits of t = x log2(e) +
// magic: the magic 1.5 * 2^19 + 152 leaves n + 152 in the low 13 bits of t as a 9.4 fixed-point
// number, so t << 19 is S (exponent fl + 152, mantissa bits j), without vscalefps; n >= -150.06
// keeps S >= 2^-126 normal, x <= 18 keeps it <= 2^52. The lower clamp works on t as an integer
// (vpmaxsd, off the arithmetic pipes): below x = -104 n stays at -150.0625 while r = x - n ln2
// goes on growing negative, the cubic in -r grows (it is increasing), and the result stays under
// 2^-150, +0 at -inf (m = +inf). A NaN propagates through min (second operand) and r.
// Each table entry is the float nearest 2^25 (1 + j/16) 2^(-j/16), and the logarithm of its
// rounding error (rho) joins the reduced argument together with the second Cody-Waite term, so
// the table adds no error of its own. The denominator S + m is one fma, th p + (th + S).
// Exhaustive maximum error (every float, both signs): 1.79e-7 relative (bound kSigmoidError,
// 2.0e-7), at most one denormal step for denormal results; the previous form (|x|, the table
// scaled by 2^-64, vscalefps, a select of the numerator) measured 1.81e-7 and 20% slower.
// Measured per 16K floats (L2-resident, standalone loop, same run): XNNPACK's operator 1.45 us,
// the previous form 1.77 us, this form 1.40-1.43 us (four vectors per iteration; eight, the
// registered _u128, 1-2% faster). Rejected: vrcp14ps + a Newton step (quotient correction,
// 0.5 ulp) instead of vdivps, +25%; two FP clamps instead of vpmaxsd, +0-2%; Estrin instead of
// Horner, +4%; m and S + m as two roundings (th p + th, then + S) instead of th p + (th + S),
// +3%; a 32-entry table (vpermt2ps) with a quadratic, 3% faster but 2.26e-7, over the bound; a
// two-stage software-pipelined loop, no faster. On 1M floats through bench/portnn-bench: 91-94
// us against XNNPACK's 95-99 us (the previous form: 114 vs 97).
struct Lut16Sigmoid {
  // th[j] = 2^25 (1 + j/16) 2^(-j/16) rounded to float, rho[j] = log(exact / th[j]).
  __m512 hi, rho;
  Lut16Sigmoid()
      : hi(_mm512_setr_ps(0x1p+25f, 0x1.0477d4p+25f, 0x1.0818ep+25f, 0x1.0af348p+25f,
                          0x1.0d163cp+25f, 0x1.0e8ff8p+25f, 0x1.0f6ddap+25f, 0x1.0fbc6cp+25f,
                          0x1.0f876cp+25f, 0x1.0ed9e2p+25f, 0x1.0dbe1cp+25f, 0x1.0c3dc6p+25f,
                          0x1.0a61e4p+25f, 0x1.0832fp+25f, 0x1.05b8ccp+25f, 0x1.02fadap+25f)),
        rho(_mm512_setr_ps(0.0f, 0x1.c5057cp-25f, -0x1.cab76cp-27f, 0x1.61c35p-25f,
                           -0x1.2a99dep-31f, -0x1.12966ap-27f, -0x1.2f1474p-27f, -0x1.7e61b2p-25f,
                           0x1.845e9ep-25f, 0x1.27032ep-26f, 0x1.91ecc8p-25f, -0x1.e2fc24p-25f,
                           0x1.125002p-25f, -0x1.70e35ep-25f, -0x1.c86d4ap-26f, 0x1.2eb19ap-25f)) {}

  PNN_SIMD_INLINE __m512 operator()(__m512 x) const {
    const __m512 xc = _mm512_min_ps(_mm512_set1_ps(18.0f), x);
    // t = x log2(e) + 1.5 * 2^19 + 152 rounded to a multiple of 1/16, then t >= the t of
    // n = -150.0625 (0x4940001F): a negative t (x below about -5e5 or -inf) or a negative NaN
    // is a negative integer and is raised too.
    const __m512 magic = _mm512_set1_ps(0x1.8013p+19f);
    const __m512i idx = _mm512_max_epi32(
        _mm512_castps_si512(_mm512_fmadd_ps(xc, _mm512_set1_ps(0x1.715476p+0f), magic)),
        _mm512_set1_epi32(0x4940001F));
    const __m512 n = _mm512_sub_ps(_mm512_castsi512_ps(idx), magic);
    // -r = n ln2 - x in two steps (Cody-Waite, ln2 = hi + lo), the second one together with the
    // table entry's correction rho, and added last: p = -r + r^2/2 - r^3/6 (Horner).
    const __m512 mr1 = _mm512_fmsub_ps(n, _mm512_set1_ps(0x1.62e430p-1f), xc);
    const __m512 w =
        _mm512_fmadd_ps(n, _mm512_set1_ps(-0x1.05c610p-29f), _mm512_permutexvar_ps(idx, rho));
    const __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(0x1.555556p-3f), mr1, _mm512_set1_ps(0.5f));
    const __m512 u = _mm512_fmadd_ps(q, mr1, _mm512_set1_ps(1.0f));
    const __m512 p = _mm512_fmadd_ps(u, mr1, w);
    const __m512 th = _mm512_permutexvar_ps(idx, hi);
    const __m512 s = _mm512_castsi512_ps(_mm512_slli_epi32(idx, 19));
    return _mm512_div_ps(s, _mm512_fmadd_ps(th, p, _mm512_add_ps(th, s)));
  }
};

template <class W>
struct VSigmoidLut16Op {
  Lut16Sigmoid sigmoid;
  explicit VSigmoidLut16Op(const pnn_f32_unary_params*) {}
  PNN_SIMD_INLINE __m512 operator()(__m512 x) const { return sigmoid(x); }
};

}  // namespace avx512_level
}  // namespace pnn

namespace pnn {
namespace avx512_level {

// The AVX-512 wrapper plus two optional extensions of kernels/simd/math-template.h: vscalefps,
// and its own exp_nonpositive, table-driven. exp(z) = 2^n * exp(r) with n a multiple of 1/16
// (vpermps picks 2^frac(n) from a 16-entry table in a register), |r| <= ln2/32, so a cubic
// suffices where the template needs degree 6; each table entry is the float nearest 2^(j/16)
// and the logarithm of its rounding error rho[j] joins r, so the table adds no error of its own.
// The dependency chain per vector is about half the template's (the polynomial in Estrin form,
// the corrections beside the chain), which is what limits the throughput here: 7.1 -> 5.9 us
// for the exp pass of softmax_64x1000. Exhaustive maximum error 7.2e-8 relative over [-108, 0]
// (bound kExpError, 1.0e-7; the template: 8.8e-8), 0.85 of a denormal step for denormal results.
struct Avx512ExpMath : pnn::simd::Avx512 {
  static constexpr bool kHasScalef = true;
  static constexpr bool kHasExpNonpositive = true;
  static V scalef(V p, V n) { return _mm512_scalef_ps(p, n); }
  static V exp_nonpositive(V x) {
    const __m512 hi =
        _mm512_setr_ps(0x1.000000p+0f, 0x1.0b5586p+0f, 0x1.172b84p+0f, 0x1.2387a6p+0f,
                       0x1.306fe0p+0f, 0x1.3dea64p+0f, 0x1.4bfdaep+0f, 0x1.5ab07ep+0f,
                       0x1.6a09e6p+0f, 0x1.7a1148p+0f, 0x1.8ace54p+0f, 0x1.9c4918p+0f,
                       0x1.ae89fap+0f, 0x1.c199bep+0f, 0x1.d5818ep+0f, 0x1.ea4afap+0f);
    const __m512 rho = _mm512_setr_ps(
        0.0f, 0x1.8d96d4p-25f, -0x1.9c0c22p-27f, 0x1.964902p-25f, 0x1.125002p-25f, 0x1.370be4p-25f,
        -0x1.0a3552p-25f, -0x1.00d8acp-27f, 0x1.26055cp-26f, -0x1.05cb44p-25f, 0x1.67a1cap-28f,
        0x1.a3b5e4p-28f, -0x1.f9c306p-27f, -0x1.6961b4p-28f, -0x1.a5217cp-28f, 0x1.61428ep-28f);
    // max(lo, x) keeps a NaN x (vmaxps returns its second operand when either is NaN).
    const __m512 z = _mm512_max_ps(_mm512_set1_ps(pnn::approx::kExpMinInput), x);
    // t = z * log2(e) rounded to a multiple of 1/16 (1.5 * 2^19 leaves 4 fraction bits).
    const __m512 magic = _mm512_set1_ps(0x1.8p19f);
    const __m512 t = _mm512_fmadd_ps(z, _mm512_set1_ps(0x1.715476p+0f), magic);
    const __m512i idx = _mm512_castps_si512(t);
    const __m512 n = _mm512_sub_ps(t, magic);
    // r = z - n * ln2 (Cody-Waite, ln2 = hi + lo): r1 on the chain, the small rest w beside it.
    const __m512 r1 = _mm512_fnmadd_ps(n, _mm512_set1_ps(0x1.62e430p-1f), z);
    const __m512 w =
        _mm512_fnmadd_ps(n, _mm512_set1_ps(-0x1.05c610p-29f), _mm512_permutexvar_ps(idx, rho));
    // exp(r + w) - 1 = (r1 + w) + r1^2 (1/2 + r1/6) (truncation and the dropped w terms below
    // 1e-8 relative).
    const __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(0x1.555556p-3f), r1, _mm512_set1_ps(0.5f));
    const __m512 p = _mm512_fmadd_ps(_mm512_mul_ps(r1, r1), q, _mm512_add_ps(r1, w));
    const __m512 th = _mm512_permutexvar_ps(idx, hi);
    return _mm512_scalef_ps(_mm512_fmadd_ps(th, p, th), n);
  }
};

}  // namespace avx512_level
}  // namespace pnn
