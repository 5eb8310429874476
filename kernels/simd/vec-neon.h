// AArch64 NEON (Advanced SIMD) vector wrapper: 4 float lanes per float32x4_t, with the API of
// kernels/simd/vec-wasm128.h (documented there once).
//
// AArch64 only: Advanced SIMD with FMA and vector division / square root is part of every
// ARMv8-A core, so nothing here needs a feature flag (32-bit ARM NEON has neither fused
// multiply-add nor vdivq / vsqrtq, and is not supported).
//
// ISA specifics a kernel may see:
//  - muladd / nmuladd are fused (FMLA / FMLS): one rounding. Kernels built on them are named
//    __neonfma; their results may differ from the scalar kernels in the last bit.
//  - min / max are FMIN / FMAX, one instruction: NaN-propagating, and -0 < +0. pmin / pmax
//    (exactly std::min / std::max) cost a compare and a bit select, so the templates use them
//    only where the exact semantics are part of the contract.
#pragma once

#if !defined(__aarch64__)
#error "vec-neon.h is for AArch64 targets"
#endif

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "simd/vec-common.h"

namespace pnn {
namespace simd {

struct Neon : VecCommon<Neon> {
  using V = float32x4_t;
  using VI = int32x4_t;
  using M = uint32x4_t;
  static constexpr size_t N = 4;

  // Memory. AArch64 vector loads and stores of floats need only float alignment.
  static V load(const float* p) { return vld1q_f32(p); }
  static V load_splat(const float* p) { return vld1q_dup_f32(p); }
  static V load_partial(const float* p, size_t n) {
    if (n & 2) {
      V v = vcombine_f32(vld1_f32(p), vdup_n_f32(0.0f));
      if (n & 1) v = vld1q_lane_f32(p + 2, v, 2);
      return v;
    }
    return vld1q_lane_f32(p, vdupq_n_f32(0.0f), 0);
  }
  static void store(float* p, V v) { vst1q_f32(p, v); }
  static void store_partial(float* p, V v, size_t n) {
    float32x2_t half = vget_low_f32(v);
    if (n & 2) {
      vst1_f32(p, half);
      half = vget_high_f32(v);
      p += 2;
    }
    if (n & 1) vst1_lane_f32(p, half, 0);
  }

  static V splat(float x) { return vdupq_n_f32(x); }
  static V zero() { return vdupq_n_f32(0.0f); }

  // Arithmetic.
  static V add(V a, V b) { return vaddq_f32(a, b); }
  static V sub(V a, V b) { return vsubq_f32(a, b); }
  static V mul(V a, V b) { return vmulq_f32(a, b); }
  static V div(V a, V b) { return vdivq_f32(a, b); }
  static V sqrt(V a) { return vsqrtq_f32(a); }
  static V neg(V a) { return vnegq_f32(a); }
  static V abs(V a) { return vabsq_f32(a); }
  static V muladd(V a, V b, V c) { return vfmaq_f32(c, a, b); }
  static V nmuladd(V a, V b, V c) { return vfmsq_f32(c, a, b); }

  // Min / max. pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a, as std::min / max.
  static V pmin(V a, V b) { return vbslq_f32(vcltq_f32(b, a), b, a); }
  static V pmax(V a, V b) { return vbslq_f32(vcltq_f32(a, b), b, a); }
  static V min(V a, V b) { return vminq_f32(a, b); }
  static V max(V a, V b) { return vmaxq_f32(a, b); }

  // Comparisons and selection.
  static M lt(V a, V b) { return vcltq_f32(a, b); }
  static M le(V a, V b) { return vcleq_f32(a, b); }
  static M eq(V a, V b) { return vceqq_f32(a, b); }
  static V select(M m, V t, V f) { return vbslq_f32(m, t, f); }

  // Bit operations.
  static V and_(V a, V b) { return bits(vandq_u32(ubits(a), ubits(b))); }
  static V or_(V a, V b) { return bits(vorrq_u32(ubits(a), ubits(b))); }
  static V xor_(V a, V b) { return bits(veorq_u32(ubits(a), ubits(b))); }
  static V andnot(V a, V b) { return bits(vbicq_u32(ubits(a), ubits(b))); }

  // Integer lanes (exponent construction in the exp range reduction).
  static VI as_int(V a) { return vreinterpretq_s32_f32(a); }
  static V as_float(VI a) { return vreinterpretq_f32_s32(a); }
  static VI splat_i32(int32_t x) { return vdupq_n_s32(x); }
  static VI add_i32(VI a, VI b) { return vaddq_s32(a, b); }
  static VI sub_i32(VI a, VI b) { return vsubq_s32(a, b); }
  template <int S>
  static VI shl_i32(VI a) {
    return vshlq_n_s32(a, S);
  }
  template <int S>
  static VI sra_i32(VI a) {
    return vshrq_n_s32(a, S);
  }

  template <int L>
  static V dup_lane(V a) {
    return vdupq_laneq_f32(a, L);
  }

  // 4 x 4 transpose in registers: row i of the block becomes its column i.
  static void transpose4(V& r0, V& r1, V& r2, V& r3) {
    const float32x4x2_t t01 = vtrnq_f32(r0, r1), t23 = vtrnq_f32(r2, r3);
    r0 = vcombine_f32(vget_low_f32(t01.val[0]), vget_low_f32(t23.val[0]));
    r1 = vcombine_f32(vget_low_f32(t01.val[1]), vget_low_f32(t23.val[1]));
    r2 = vcombine_f32(vget_high_f32(t01.val[0]), vget_high_f32(t23.val[0]));
    r3 = vcombine_f32(vget_high_f32(t01.val[1]), vget_high_f32(t23.val[1]));
  }

  // Horizontal reductions: FADDP order, (a0 + a1) + (a2 + a3); FMAXV propagates NaN lanes
  // (allowed: the API leaves NaN lanes to the wrapper).
  static float reduce_add(V a) { return vaddvq_f32(a); }
  static float reduce_max(V a) { return vmaxvq_f32(a); }

 private:
  static uint32x4_t ubits(V a) { return vreinterpretq_u32_f32(a); }
  static V bits(uint32x4_t a) { return vreinterpretq_f32_u32(a); }
};

}  // namespace simd
}  // namespace pnn
