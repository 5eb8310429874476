// x86 SSE2 vector wrapper: 4 float lanes per __m128, with the API of kernels/simd/vec-wasm128.h
// (documented there once). SSE2 is the x86-64 baseline, so these kernels run on every x86-64 CPU
// and the files that instantiate them need no ISA flag.
//
// ISA specifics a kernel may see:
//  - no FMA: muladd / nmuladd round twice, as the scalar kernels do;
//  - minps(a, b) = a < b ? a : b, so pmin / pmax are one instruction with swapped operands, and
//    min / max equal them exactly (the scalar kernels' results, NaN and signed zeros included);
//  - no blendv (SSE4.1): select is and / andnot / or.
#pragma once

#if !defined(__SSE2__)
#error "vec-sse2.h needs SSE2 (x86-64 baseline)"
#endif

#include <emmintrin.h>

#include <cstddef>
#include <cstdint>

#include "simd/vec-common.h"

namespace pnn {
namespace simd {

struct Sse2 : VecCommon<Sse2>, VecMulAdd<Sse2> {
  using V = __m128;
  using VI = __m128i;
  using M = __m128;
  static constexpr size_t N = 4;

  // Memory. Packed weights and caller data promise float alignment only: unaligned forms.
  static V load(const float* p) { return _mm_loadu_ps(p); }
  static V load_splat(const float* p) { return _mm_set1_ps(*p); }
  static V load_partial(const float* p, size_t n) {
    if (n & 2) {
      // Two floats as one 64-bit load of an unaligned type: p need not be 8-byte aligned (a
      // double* access there is undefined, and UBSan reports it).
      V v = _mm_castsi128_ps(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
      if (n & 1) v = _mm_movelh_ps(v, _mm_load_ss(p + 2));
      return v;
    }
    return _mm_load_ss(p);
  }
  static void store(float* p, V v) { _mm_storeu_ps(p, v); }
  static void store_partial(float* p, V v, size_t n) {
    if (n & 2) {
      _mm_storel_epi64(reinterpret_cast<__m128i*>(p), _mm_castps_si128(v));  // as the load
      v = _mm_movehl_ps(v, v);
      p += 2;
    }
    if (n & 1) _mm_store_ss(p, v);
  }

  static V splat(float x) { return _mm_set1_ps(x); }
  static V zero() { return _mm_setzero_ps(); }

  // Arithmetic.
  static V add(V a, V b) { return _mm_add_ps(a, b); }
  static V sub(V a, V b) { return _mm_sub_ps(a, b); }
  static V mul(V a, V b) { return _mm_mul_ps(a, b); }
  static V div(V a, V b) { return _mm_div_ps(a, b); }
  static V sqrt(V a) { return _mm_sqrt_ps(a); }
  static V neg(V a) { return _mm_xor_ps(a, _mm_set1_ps(-0.0f)); }
  static V abs(V a) { return _mm_andnot_ps(_mm_set1_ps(-0.0f), a); }

  // Min / max: minps(b, a) = b < a ? b : a = std::min(a, b); maxps(b, a) = b > a ? b : a =
  // std::max(a, b).
  static V pmin(V a, V b) { return _mm_min_ps(b, a); }
  static V pmax(V a, V b) { return _mm_max_ps(b, a); }

  // Comparisons and selection.
  static M lt(V a, V b) { return _mm_cmplt_ps(a, b); }
  static M le(V a, V b) { return _mm_cmple_ps(a, b); }
  static M eq(V a, V b) { return _mm_cmpeq_ps(a, b); }
  static V select(M m, V t, V f) { return _mm_or_ps(_mm_and_ps(m, t), _mm_andnot_ps(m, f)); }

  // Bit operations. andnot(a, b) = a & ~b (andnps computes ~first & second).
  static V and_(V a, V b) { return _mm_and_ps(a, b); }
  static V or_(V a, V b) { return _mm_or_ps(a, b); }
  static V xor_(V a, V b) { return _mm_xor_ps(a, b); }
  static V andnot(V a, V b) { return _mm_andnot_ps(b, a); }

  // Integer lanes.
  static VI as_int(V a) { return _mm_castps_si128(a); }
  static V as_float(VI a) { return _mm_castsi128_ps(a); }
  static VI splat_i32(int32_t x) { return _mm_set1_epi32(x); }
  static VI add_i32(VI a, VI b) { return _mm_add_epi32(a, b); }
  static VI sub_i32(VI a, VI b) { return _mm_sub_epi32(a, b); }
  template <int S>
  static VI shl_i32(VI a) {
    return _mm_slli_epi32(a, S);
  }
  template <int S>
  static VI sra_i32(VI a) {
    return _mm_srai_epi32(a, S);
  }

  template <int L>
  static V dup_lane(V a) {
    return _mm_shuffle_ps(a, a, _MM_SHUFFLE(L, L, L, L));
  }

  // 4 x 4 transpose in registers: row i of the block becomes its column i.
  static void transpose4(V& r0, V& r1, V& r2, V& r3) { _MM_TRANSPOSE4_PS(r0, r1, r2, r3); }

  // Horizontal reductions: (a0 + a2) + (a1 + a3).
  static float reduce_add(V a) {
    const V s = _mm_add_ps(a, _mm_movehl_ps(a, a));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_shuffle_ps(s, s, _MM_SHUFFLE(1, 1, 1, 1))));
  }
  static float reduce_max(V a) {
    const V s = _mm_max_ps(a, _mm_movehl_ps(a, a));
    return _mm_cvtss_f32(_mm_max_ss(s, _mm_shuffle_ps(s, s, _MM_SHUFFLE(1, 1, 1, 1))));
  }
};

}  // namespace simd
}  // namespace pnn
