// x86 AVX-512F softmax microkernels: instantiations of kernels/simd/softmax-template.h over
// kernels/simd/vec-avx512.h.
#include "simd/softmax-template.h"
// GCC 12 reports its own _mm512_undefined_ps() (inside _mm512_min_ps / _mm512_max_ps) as "may be
// used uninitialized" once inlined here: a false positive (GCC bug 105593), silenced for this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "simd/vec-avx512.h"
#include "ukernels-softmax.h"

namespace {

// The AVX-512 wrapper plus two optional extensions of kernels/simd/math-template.h: vscalefps,
// and its own exp_nonpositive, table-driven. exp(z) = 2^n * exp(r) with n a multiple of 1/16
// (vpermps picks 2^frac(n) from a 16-entry table in a register), |r| <= ln2/32, so a cubic
// suffices where the template needs degree 6; each table entry is the float nearest 2^(j/16)
// and the logarithm of its rounding error rho[j] joins r, so the table adds no error of its own.
// The dependency chain per vector is about half the template's (the polynomial in Estrin form,
// the corrections beside the chain), which is what limits the throughput here: 7.1 -> 5.9 us
// for the exp pass of softmax_64x1000. Exhaustive maximum error 7.2e-8 relative over [-108, 0]
// (bound kExpError, 1.0e-7; the template: 8.8e-8), 0.85 of a denormal step for denormal results.
struct Avx512Math : pnn::simd::Avx512 {
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

}  // namespace

extern "C" void pnn_f32_rmax_ukernel__avx512f_u64(size_t n, const float* x, float* max) {
  pnn::simd::rmax<Avx512Math, 4>(n, x, max);
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__avx512f_u64(size_t n, const float* x,
                                                                  float max, float* y, float* sum) {
  pnn::simd::raddstoreexpminusmax<Avx512Math, 4>(n, x, max, y, sum);
}

extern "C" void pnn_f32_vscale_ukernel__avx512f_u64(size_t n, const float* x, float scale,
                                                    float* y) {
  pnn::simd::vscale<Avx512Math, 4>(n, x, scale, y);
}
