// x86 AVX2 + FMA3 vector wrapper: 8 float lanes per __m256, with the API of
// kernels/simd/vec-wasm128.h (documented there once). Files that include it are compiled with
// -mavx2 -mfma (CMake sets the flags per file) and run only where the CPU has both.
//
// ISA specifics a kernel may see:
//  - muladd / nmuladd are fused (vfmadd / vfnmadd): one rounding; such kernels may differ from
//    the scalar ones in the last bit;
//  - min / max are vminps / vmaxps with swapped operands: exactly std::min / std::max;
//  - partial loads and stores are vmaskmovps, which never touch (nor fault on) masked-off lanes;
//  - dup_lane crosses 128-bit halves with vpermps; broadcasts from memory (load_splat) are free
//    of shuffles (vbroadcastss), so GEMM tiles here prefer loadsplat.
#pragma once

#if !defined(__AVX2__) || !defined(__FMA__)
#error "vec-avx2.h needs -mavx2 -mfma"
#endif

#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "simd/vec-common.h"

namespace pnn {
namespace simd {

struct Avx2 : VecCommon<Avx2> {
  using V = __m256;
  using VI = __m256i;
  using M = __m256;
  static constexpr size_t N = 8;

  // Lane mask for the first n lanes (0 < n < 8): lane i is all ones when i < n.
  static __m256i first_lanes(size_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }

  static V load(const float* p) { return _mm256_loadu_ps(p); }
  static V load_splat(const float* p) { return _mm256_broadcast_ss(p); }
  static V load_partial(const float* p, size_t n) { return _mm256_maskload_ps(p, first_lanes(n)); }
  static void store(float* p, V v) { _mm256_storeu_ps(p, v); }
  static void store_partial(float* p, V v, size_t n) { _mm256_maskstore_ps(p, first_lanes(n), v); }

  static V splat(float x) { return _mm256_set1_ps(x); }
  static V zero() { return _mm256_setzero_ps(); }

  static V add(V a, V b) { return _mm256_add_ps(a, b); }
  static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  static V div(V a, V b) { return _mm256_div_ps(a, b); }
  static V sqrt(V a) { return _mm256_sqrt_ps(a); }
  static V neg(V a) { return _mm256_xor_ps(a, _mm256_set1_ps(-0.0f)); }
  static V abs(V a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static V muladd(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  static V nmuladd(V a, V b, V c) { return _mm256_fnmadd_ps(a, b, c); }

  static V pmin(V a, V b) { return _mm256_min_ps(b, a); }
  static V pmax(V a, V b) { return _mm256_max_ps(b, a); }

  // Ordered, non-signalling predicates: a NaN operand compares false, as in C.
  static M lt(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static M le(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_LE_OQ); }
  static M eq(V a, V b) { return _mm256_cmp_ps(a, b, _CMP_EQ_OQ); }
  static V select(M m, V t, V f) { return _mm256_blendv_ps(f, t, m); }

  static V and_(V a, V b) { return _mm256_and_ps(a, b); }
  static V or_(V a, V b) { return _mm256_or_ps(a, b); }
  static V xor_(V a, V b) { return _mm256_xor_ps(a, b); }
  static V andnot(V a, V b) { return _mm256_andnot_ps(b, a); }

  static VI as_int(V a) { return _mm256_castps_si256(a); }
  static V as_float(VI a) { return _mm256_castsi256_ps(a); }
  static VI splat_i32(int32_t x) { return _mm256_set1_epi32(x); }
  static VI add_i32(VI a, VI b) { return _mm256_add_epi32(a, b); }
  static VI sub_i32(VI a, VI b) { return _mm256_sub_epi32(a, b); }
  template <int S>
  static VI shl_i32(VI a) {
    return _mm256_slli_epi32(a, S);
  }
  template <int S>
  static VI sra_i32(VI a) {
    return _mm256_srai_epi32(a, S);
  }

  template <int L>
  static V dup_lane(V a) {
    return _mm256_permutevar8x32_ps(a, _mm256_set1_epi32(L));
  }

  // Halves first, then the SSE order.
  static float reduce_add(V a) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
  }
  static float reduce_max(V a) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(a), _mm256_extractf128_ps(a, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_movehdup_ps(s)));
  }
};

}  // namespace simd
}  // namespace pnn
