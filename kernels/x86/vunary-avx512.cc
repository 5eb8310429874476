// x86 AVX-512F unary elementwise microkernels: instantiations of kernels/simd/vunary-template.h
// over kernels/simd/vec-avx512.h (plus vscalefps), except sigmoid, hand-written below because the
// template's form measured 1.4x slower than XNNPACK. The transcendental ops use fused
// multiply-add; tests/unary-test.cc holds them to the bounds of kernels/scalar/math-approx.h.
// GCC 12 reports its own _mm512_undefined_ps() (inside _mm512_min_ps / _mm512_max_ps) as "may be
// used uninitialized" once inlined here: a false positive (GCC bug 105593), silenced for this file.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <cstdint>

#include "simd/vec-avx512.h"
#include "simd/vunary-template.h"
#include "ukernels.h"

namespace {

// The AVX-512 wrapper plus the optional vscalefps of kernels/simd/math-template.h: the final 2^n
// scaling of exp in one instruction instead of four, with the same single rounding.
struct Avx512Math : pnn::simd::Avx512 {
  static constexpr bool kHasScalef = true;
  static V scalef(V p, V n) { return _mm512_scalef_ps(p, n); }
};

// Sigmoid with a 16-entry table in registers (vpermps picks an entry per lane from the low 4 bits
// of the magic-number sum), so that the reduced argument |r| <= ln2/32 needs a cubic only,
// against the degree-6 polynomial of the template (kernels/simd/math-template.h). Its speed is
// set by the length of the dependency chain per vector more than by the instruction count
// (measured: dropping an instruction off the chain saves ~5%, dropping one beside it nothing), so
// the formulation keeps the chain short:
//   a = min(|x|, 104), a = n ln2 + r with n a multiple of 1/16 and |r| <= ln2/32, and
//   exp(-a) = 2^-floor(n) * m, m = 2^-frac(n) * exp(-r) in (1/2, 1] (table entry times a cubic);
//   sigmoid(-a) = m / (2^floor(n) + m), sigmoid(a) = 2^floor(n) / (2^floor(n) + m),
// one division either way, whose numerator is selected beside the chain rather than after it.
// Numerator and denominator are scaled by 2^-64 (folded into the table) so that 2^floor(n) <=
// 2^150 never overflows and a denormal result is rounded once, by the division. Each table entry
// is the float nearest 2^-64 * 2^(-j/16), and the logarithm of its rounding error joins the
// reduced argument, so the table adds no error of its own (without it: 2.24e-7, over the bound).
// Exhaustive maximum error 1.81e-7 relative (bound kSigmoidError, 2.0e-7),
// under one denormal step for denormal results.
struct Lut16Sigmoid {
  // 2^-64 * 2^(-j/16) = hi[j] * exp(rho[j]): the float nearest, and the logarithm of its rounding
  // error, which the reduced argument absorbs.
  __m512 hi, rho;
  Lut16Sigmoid()
      : hi(_mm512_setr_ps(0x1.000000p-64f, 0x1.ea4afap-65f, 0x1.d5818ep-65f, 0x1.c199bep-65f,
                          0x1.ae89fap-65f, 0x1.9c4918p-65f, 0x1.8ace54p-65f, 0x1.7a1148p-65f,
                          0x1.6a09e6p-65f, 0x1.5ab07ep-65f, 0x1.4bfdaep-65f, 0x1.3dea64p-65f,
                          0x1.306fe0p-65f, 0x1.2387a6p-65f, 0x1.172b84p-65f, 0x1.0b5586p-65f)),
        rho(_mm512_setr_ps(0.0f, 0x1.61428ep-28f, -0x1.a5217cp-28f, -0x1.6961b4p-28f,
                           -0x1.f9c306p-27f, 0x1.a3b5e4p-28f, 0x1.67a1cap-28f, -0x1.05cb44p-25f,
                           0x1.26055cp-26f, -0x1.00d8acp-27f, -0x1.0a3552p-25f, 0x1.370be4p-25f,
                           0x1.125002p-25f, 0x1.964902p-25f, -0x1.9c0c22p-27f, 0x1.8d96d4p-25f)) {}

  PNN_SIMD_INLINE __m512 operator()(__m512 x) const {
    // min(104, |x|) keeps a NaN (vminps returns its second operand when either is NaN); past 104
    // the result is 0 or 1 either way.
    const __m512 a = _mm512_min_ps(_mm512_set1_ps(104.0f), _mm512_abs_ps(x));
    // t = a * log2(e) rounded to a multiple of 1/16 (1.5 * 2^19 leaves 4 fraction bits).
    const __m512 magic = _mm512_set1_ps(0x1.8p19f);
    const __m512 t = _mm512_fmadd_ps(a, _mm512_set1_ps(0x1.715476p+0f), magic);
    const __m512i idx = _mm512_castps_si512(t);
    const __m512 n = _mm512_sub_ps(t, magic);
    // -r = n * ln2 - a in two steps (Cody-Waite, ln2 = hi + lo), the second one together with
    // the table entry's correction rho, computed beside the chain: mr = -r + rho.
    const __m512 mr1 = _mm512_fmsub_ps(n, _mm512_set1_ps(0x1.62e430p-1f), a);
    const __m512 w =
        _mm512_fmadd_ps(n, _mm512_set1_ps(-0x1.05c610p-29f), _mm512_permutexvar_ps(idx, rho));
    // exp(mr) - 1 = mr + mr^2 (1/2 + mr/6), the square term from mr1 alone (|w| < 3e-7 moves it
    // by under 1e-8 relative), so that the sum mr1 + w is formed beside the chain.
    const __m512 q = _mm512_fmadd_ps(_mm512_set1_ps(0x1.555556p-3f), mr1, _mm512_set1_ps(0.5f));
    const __m512 p = _mm512_fmadd_ps(_mm512_mul_ps(mr1, mr1), q, _mm512_add_ps(mr1, w));
    const __m512 th = _mm512_permutexvar_ps(idx, hi);
    const __m512 m = _mm512_fmadd_ps(th, p, th);
    const __m512 s = _mm512_scalef_ps(_mm512_set1_ps(0x1p-64f), n);  // 2^-64 * 2^floor(n)
    const __mmask16 pos = _mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_GT_OQ);
    return _mm512_div_ps(_mm512_mask_mov_ps(m, pos, s), _mm512_add_ps(s, m));
  }
};

template <class W>
struct VSigmoidLut16Op {
  Lut16Sigmoid sigmoid;
  explicit VSigmoidLut16Op(const pnn_f32_unary_params*) {}
  PNN_SIMD_INLINE __m512 operator()(__m512 x) const { return sigmoid(x); }
};

}  // namespace

#define PNN_X86_VUNARY(fn, Op, unroll)                                                         \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) { \
    pnn::simd::vunary<Avx512Math, Op, unroll>(n, x, y, params);                                \
  }

PNN_X86_VUNARY(pnn_f32_vclamp_ukernel__avx512f_u32, pnn::simd::VClampOp, 2)
PNN_X86_VUNARY(pnn_f32_vlrelu_ukernel__avx512f_u32, pnn::simd::VLeakyReluOp, 2)
PNN_X86_VUNARY(pnn_f32_vabs_ukernel__avx512f_u32, pnn::simd::VAbsOp, 2)
PNN_X86_VUNARY(pnn_f32_vneg_ukernel__avx512f_u32, pnn::simd::VNegOp, 2)
PNN_X86_VUNARY(pnn_f32_vsqr_ukernel__avx512f_u32, pnn::simd::VSquareOp, 2)
PNN_X86_VUNARY(pnn_f32_vsqrt_ukernel__avx512f_u32, pnn::simd::VSqrtOp, 2)
PNN_X86_VUNARY(pnn_f32_vhswish_ukernel__avx512f_u32, pnn::simd::VHardSwishOp, 2)
PNN_X86_VUNARY(pnn_f32_velu_ukernel__avx512f_u64, pnn::simd::VEluOp, 4)
PNN_X86_VUNARY(pnn_f32_vexp_ukernel__avx512f_u64, pnn::simd::VExpOp, 4)
PNN_X86_VUNARY(pnn_f32_vsigmoid_ukernel__avx512f_u64, VSigmoidLut16Op, 4)
PNN_X86_VUNARY(pnn_f32_vtanh_ukernel__avx512f_u64, pnn::simd::VTanhOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelu_ukernel__avx512f_u64, pnn::simd::VGeluOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelutanh_ukernel__avx512f_u64, pnn::simd::VGeluTanhOp, 4)
PNN_X86_VUNARY(pnn_f32_vsilu_ukernel__avx512f_u64, pnn::simd::VSiluOp, 4)
#undef PNN_X86_VUNARY
