// x86 AVX2 softmax microkernels: instantiations of kernels/simd/softmax-template.h over
// kernels/simd/vec-avx2.h, the exp-and-sum one also over a wrapper with its own table-driven
// exp_nonpositive (below).
#include <cstdint>

#include "simd/softmax-template.h"
#include "simd/vec-avx2.h"
#include "ukernels-softmax.h"

using pnn::simd::Avx2;

namespace {

// The AVX2 wrapper plus the optional exp_nonpositive of kernels/simd/math-template.h, the 8-lane
// port of kernels/x86/softmax-avx512.cc's: exp(z) = 2^n exp(r) with n = fl + j/8 (vpermps picks
// 2^(j/8) from an 8-entry table in a register), |r| <= ln2/16, so a quartic (r + w) + r^2 (1/2 +
// r/6 + r^2/24) where the template needs degree 6, the chain shortened by the mul r^2 beside the
// Horner steps; each table entry is the float nearest 2^(j/8) and the logarithm of its rounding
// error rho[j] joins r with the second Cody-Waite term. No vscalefps on AVX2: 2^(fl + 64) comes
// from the bits of the magic-number sum (1.5 * 2^20 + 191 leaves fl + 191 above the 3 fraction
// bits, so (t << 20) & exponent mask is it), the product th (1 + p) 2^(fl+64) is exact and the
// final * 2^-64 rounds a denormal result once, as the template's scaling does.
// Exhaustive maximum error over every float in [-inf, 0]: 6.96e-8 relative (bound kExpError,
// 1.0e-7; the template with FMA: 8.8e-8), 0.84 of a denormal step for denormal results.
struct Avx2Math : pnn::simd::Avx2 {
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

}  // namespace

extern "C" void pnn_f32_rmax_ukernel__avx2_u32(size_t n, const float* x, float* max) {
  pnn::simd::rmax<Avx2, 4>(n, x, max);
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__avx2_lut8_u32(size_t n, const float* x,
                                                                    float max, float* y,
                                                                    float* sum) {
  pnn::simd::raddstoreexpminusmax<Avx2Math, 4>(n, x, max, y, sum);
}

extern "C" void pnn_f32_vscale_ukernel__avx2_u32(size_t n, const float* x, float scale, float* y) {
  pnn::simd::vscale<Avx2, 4>(n, x, scale, y);
}
