// x86 AVX-512F vector wrapper: 16 float lanes per __m512, with the API of
// kernels/simd/vec-wasm128.h (documented there once). Files that include it are compiled with
// -mavx512f (plus -mavx2 -mfma for the 256-bit helpers; CMake sets the flags per file) and run
// only where the CPU has AVX-512F. Only AVX-512F instructions are used (no DQ/BW/VL), so every
// AVX-512 CPU runs them.
//
// ISA specifics a kernel may see:
//  - muladd / nmuladd are fused: one rounding;
//  - min / max are vminps / vmaxps with swapped operands: exactly std::min / std::max;
//  - lane masks M are __mmask16 (k registers), not vectors; select is a masked blend;
//  - partial loads and stores are masked (vmovups {k}): masked-off lanes are neither read nor
//    written and cannot fault.
#pragma once

#if !defined(__AVX512F__)
#error "vec-avx512.h needs -mavx512f"
#endif

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "simd/vec-common.h"

namespace pnn {
namespace simd {

struct Avx512 : VecCommon<Avx512> {
  using V = __m512;
  using VI = __m512i;
  using M = __mmask16;
  static constexpr size_t N = 16;

  // Mask of the first n lanes, 0 < n < 16.
  static __mmask16 first_lanes(size_t n) { return static_cast<__mmask16>((uint32_t{1} << n) - 1u); }

  static V load(const float* p) { return _mm512_loadu_ps(p); }
  static V load_splat(const float* p) { return _mm512_set1_ps(*p); }
  static V load_partial(const float* p, size_t n) {
    return _mm512_maskz_loadu_ps(first_lanes(n), p);
  }
  static void store(float* p, V v) { _mm512_storeu_ps(p, v); }
  static void store_partial(float* p, V v, size_t n) {
    _mm512_mask_storeu_ps(p, first_lanes(n), v);
  }

  static V splat(float x) { return _mm512_set1_ps(x); }
  static V zero() { return _mm512_setzero_ps(); }

  static V add(V a, V b) { return _mm512_add_ps(a, b); }
  static V sub(V a, V b) { return _mm512_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm512_mul_ps(a, b); }
  static V div(V a, V b) { return _mm512_div_ps(a, b); }
  static V sqrt(V a) { return _mm512_sqrt_ps(a); }
  static V neg(V a) { return xor_(a, _mm512_set1_ps(-0.0f)); }
  static V abs(V a) { return _mm512_abs_ps(a); }
  static V muladd(V a, V b, V c) { return _mm512_fmadd_ps(a, b, c); }
  static V nmuladd(V a, V b, V c) { return _mm512_fnmadd_ps(a, b, c); }

  static V pmin(V a, V b) { return _mm512_min_ps(b, a); }
  static V pmax(V a, V b) { return _mm512_max_ps(b, a); }

  static M lt(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static M le(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_LE_OQ); }
  static M eq(V a, V b) { return _mm512_cmp_ps_mask(a, b, _CMP_EQ_OQ); }
  static V select(M m, V t, V f) { return _mm512_mask_blend_ps(m, f, t); }

  // Float bitwise operations are AVX-512DQ; the integer forms are AVX-512F.
  static V and_(V a, V b) { return as_float(_mm512_and_si512(as_int(a), as_int(b))); }
  static V or_(V a, V b) { return as_float(_mm512_or_si512(as_int(a), as_int(b))); }
  static V xor_(V a, V b) { return as_float(_mm512_xor_si512(as_int(a), as_int(b))); }
  static V andnot(V a, V b) { return as_float(_mm512_andnot_si512(as_int(b), as_int(a))); }

  static VI as_int(V a) { return _mm512_castps_si512(a); }
  static V as_float(VI a) { return _mm512_castsi512_ps(a); }
  static VI splat_i32(int32_t x) { return _mm512_set1_epi32(x); }
  static VI add_i32(VI a, VI b) { return _mm512_add_epi32(a, b); }
  static VI sub_i32(VI a, VI b) { return _mm512_sub_epi32(a, b); }
  template <int S>
  static VI shl_i32(VI a) {
    return _mm512_slli_epi32(a, S);
  }
  template <int S>
  static VI sra_i32(VI a) {
    return _mm512_srai_epi32(a, S);
  }

  template <int L>
  static V dup_lane(V a) {
    return _mm512_permutexvar_ps(_mm512_set1_epi32(L), a);
  }

  static float reduce_add(V a) { return _mm512_reduce_add_ps(a); }
  static float reduce_max(V a) {
    // vmaxps semantics (NaN lanes may be dropped), halving the vector each step.
    __m256 h = _mm256_max_ps(_mm512_castps512_ps256(a),
                             _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a), 1)));
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_shuffle_ps(s, s, _MM_SHUFFLE(1, 1, 1, 1))));
  }
};

}  // namespace simd
}  // namespace pnn
