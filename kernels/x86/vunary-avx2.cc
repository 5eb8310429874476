// x86 AVX2 + FMA3 unary elementwise microkernels: instantiations of kernels/simd/vunary-template.h
// over kernels/simd/vec-avx2.h, except sigmoid and the gates built on it (SiLU, GELU's tanh
// form), hand-written below: the 8-lane port of kernels/x86/vunary-avx512.cc's table-driven
// sigmoid. The transcendental ops use fused multiply-add; tests/unary-test.cc holds them to the
// bounds of kernels/scalar/math-approx.h.
#include <cstdint>

#include "simd/vec-avx2.h"
#include "simd/vunary-template.h"
#include "ukernels.h"

namespace {

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
// 0.85 of the bound). Timings and rejected variants: kernels/f32-vunary.inc.
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

}  // namespace

#define PNN_X86_VUNARY(fn, Op, unroll)                                                         \
  extern "C" void fn(size_t n, const float* x, float* y, const pnn_f32_unary_params* params) { \
    pnn::simd::vunary<pnn::simd::Avx2, Op, unroll>(n, x, y, params);                           \
  }

PNN_X86_VUNARY(pnn_f32_vclamp_ukernel__avx2_u32, pnn::simd::VClampOp, 4)
PNN_X86_VUNARY(pnn_f32_vlrelu_ukernel__avx2_u32, pnn::simd::VLeakyReluOp, 4)
PNN_X86_VUNARY(pnn_f32_vabs_ukernel__avx2_u32, pnn::simd::VAbsOp, 4)
PNN_X86_VUNARY(pnn_f32_vneg_ukernel__avx2_u32, pnn::simd::VNegOp, 4)
PNN_X86_VUNARY(pnn_f32_vsqr_ukernel__avx2_u32, pnn::simd::VSquareOp, 4)
PNN_X86_VUNARY(pnn_f32_vsqrt_ukernel__avx2_u16, pnn::simd::VSqrtOp, 2)
PNN_X86_VUNARY(pnn_f32_vhswish_ukernel__avx2_u32, pnn::simd::VHardSwishOp, 4)
PNN_X86_VUNARY(pnn_f32_velu_ukernel__avx2_u32, pnn::simd::VEluOp, 4)
PNN_X86_VUNARY(pnn_f32_vexp_ukernel__avx2_u32, pnn::simd::VExpOp, 4)
PNN_X86_VUNARY(pnn_f32_vsigmoid_ukernel__avx2_lut8_u32, VSigmoidLut8Op, 4)
PNN_X86_VUNARY(pnn_f32_vtanh_ukernel__avx2_u32, pnn::simd::VTanhOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelu_ukernel__avx2_u32, pnn::simd::VGeluOp, 4)
PNN_X86_VUNARY(pnn_f32_vgelutanh_ukernel__avx2_lut8_u32, VGeluTanhLut8Op, 4)
PNN_X86_VUNARY(pnn_f32_vsilu_ukernel__avx2_lut8_u32, VSiluLut8Op, 4)
#undef PNN_X86_VUNARY
