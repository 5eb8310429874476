// WebAssembly SIMD128 vector wrapper: 4 float lanes per v128_t.
//
// Every wrapper (this one, vec-scalar.h, the x86 and NEON ones) offers the same static
// API, documented once here (loadu, storeu, min, max, gt, ge and, without FMA, muladd / nmuladd
// derived once in kernels/simd/vec-common.h); the kernel templates are written
// against it and never name an intrinsic.
//
//   V, VI, M        float vector, int32 vector of the same width, lane mask (all ones / zeros)
//   N               float lanes per V
//   load, loadu     N floats from p, no alignment required of either: kernels use load for
//                   packed weights and loadu for caller data, so that a wrapper may specialize
//                   one day, but packers and testers do not promise more than float alignment
//   load_splat      *p in every lane
//   load_partial    reads exactly p[0, n) for 0 < n < N, zero in the other lanes
//   store, storeu, store_partial (writes exactly p[0, n) for 0 < n < N)
//   splat, zero
//   add sub mul div sqrt neg abs
//   muladd(a,b,c)   a*b + c; two roundings here (WebAssembly SIMD has no FMA); a wrapper of an
//                   ISA with FMA may fuse it, so kernels must not depend on the rounding
//   nmuladd(a,b,c)  c - a*b, likewise
//   pmin(a,b)       exactly std::min(a, b) = b < a ? b : a
//   pmax(a,b)       exactly std::max(a, b) = a < b ? b : a
//   min, max        the flavor's cheapest min / max: equal to pmin / pmax unless an operand is
//                   NaN or both are zeros of different signs (see the flavors below)
//   lt le gt ge eq  lane masks;  select(m, t, f) = m ? t : f lane by lane
//   and_, or_, xor_, andnot(a, b) = a & ~b     bitwise on float vectors
//   as_int, as_float                           bit reinterpretation
//   splat_i32, add_i32, sub_i32, shl_i32<S>, sra_i32<S> (arithmetic shift)
//   dup_lane<L>(v)  lane L of v in every lane
//   reduce_add, reduce_max (max in the pmax sense: NaN lanes may be ignored)
//   transpose4(r0..r3)  4-lane wrappers: the 4 x 4 block in r0..r3 transposed in place
//
// Flavors. WebAssembly offers two min/max pairs whose speed depends on the host: f32x4.pmin /
// pmax have the x86 minps/maxps semantics (one instruction there, compare + select on ARM),
// f32x4.min / max propagate NaN and order -0 < +0 (one instruction on ARM, a long sequence on
// x86). Wasm128 (kernels suffixed __wasmsimd or __wasmsimd_x86) maps min / max to pmin / pmax
// and so reproduces the scalar kernels exactly; Wasm128Arm (suffix __wasmsimd_arm) maps them to
// f32x4.min / max. Which one runs is the configs' choice (the .wasm cannot see its host's ISA).
//
// Relaxed SIMD (Wasm128Relaxed, kernels suffixed __wasmrelaxed, compiled only with
// -mrelaxed-simd): muladd / nmuladd are f32x4.relaxed_madd / relaxed_nmadd, which the engine
// fuses where the host has FMA (x86 FMA3, every ARMv8 core) and may compute with two roundings
// elsewhere; kernels already may not depend on that rounding. Everything else is Wasm128's, min /
// max included: relaxed_min / relaxed_max would gain nothing (pmin / pmax are one minps / maxps
// on x86, and the ARM-host lines already use f32x4.min / max, one fmin / fmax), while their
// result for a NaN operand is the engine's choice of NaN or either operand, which would break
// portnn.h's rule that a fused clamp with infinite bounds is the identity, NaN included.
// Emscripten 3.1.6's LLVM 14 knows relaxed SIMD only under its early prototype names and opcodes
// (no wasm_f32x4_relaxed_madd in its wasm_simd128.h): the builtins below emit the prototype
// f32x4.fma / fms, which wasm/tools/relaxed-opcodes.mjs re-encodes after linking as the shipped
// relaxed_madd / relaxed_nmadd, whose operand order (a*b + c, c - a*b) is the one passed here.
#pragma once

#include <wasm_simd128.h>

#include <cstddef>
#include <cstdint>

#include "simd/vec-common.h"

namespace pnn {
namespace simd {

template <bool kNativeMinMax>
struct Wasm128T : VecCommon<Wasm128T<kNativeMinMax>>, VecMulAdd<Wasm128T<kNativeMinMax>> {
  using V = v128_t;
  using VI = v128_t;
  using M = v128_t;
  static constexpr size_t N = 4;

  // Memory. WebAssembly loads and stores have no alignment requirement.
  static V load(const float* p) { return wasm_v128_load(p); }
  static V load_splat(const float* p) { return wasm_v128_load32_splat(p); }
  static V load_partial(const float* p, size_t n) {
    if (n & 2) {
      V v = wasm_v128_load64_zero(p);
      if (n & 1) v = wasm_v128_load32_lane(p + 2, v, 2);
      return v;
    }
    return wasm_v128_load32_zero(p);
  }
  static void store(float* p, V v) { wasm_v128_store(p, v); }
  static void store_partial(float* p, V v, size_t n) {
    if (n & 2) {
      wasm_v128_store64_lane(p, v, 0);
      v = wasm_i64x2_shuffle(v, v, 1, 1);
      p += 2;
    }
    if (n & 1) wasm_v128_store32_lane(p, v, 0);
  }

  static V splat(float x) { return wasm_f32x4_splat(x); }
  static V zero() { return wasm_f32x4_const_splat(0.0f); }

  // Arithmetic.
  static V add(V a, V b) { return wasm_f32x4_add(a, b); }
  static V sub(V a, V b) { return wasm_f32x4_sub(a, b); }
  static V mul(V a, V b) { return wasm_f32x4_mul(a, b); }
  static V div(V a, V b) { return wasm_f32x4_div(a, b); }
  static V sqrt(V a) { return wasm_f32x4_sqrt(a); }
  static V neg(V a) { return wasm_f32x4_neg(a); }
  static V abs(V a) { return wasm_f32x4_abs(a); }

  // Min / max. wasm pmin(a, b) = b < a ? b : a and pmax(a, b) = a < b ? b : a: the operand order
  // is that of std::min / std::max.
  static V pmin(V a, V b) { return wasm_f32x4_pmin(a, b); }
  static V pmax(V a, V b) { return wasm_f32x4_pmax(a, b); }
  static V min(V a, V b) { return kNativeMinMax ? wasm_f32x4_min(a, b) : wasm_f32x4_pmin(a, b); }
  static V max(V a, V b) { return kNativeMinMax ? wasm_f32x4_max(a, b) : wasm_f32x4_pmax(a, b); }

  // Comparisons and selection.
  static M lt(V a, V b) { return wasm_f32x4_lt(a, b); }
  static M le(V a, V b) { return wasm_f32x4_le(a, b); }
  static M eq(V a, V b) { return wasm_f32x4_eq(a, b); }
  static V select(M m, V t, V f) { return wasm_v128_bitselect(t, f, m); }

  // Bit operations.
  static V and_(V a, V b) { return wasm_v128_and(a, b); }
  static V or_(V a, V b) { return wasm_v128_or(a, b); }
  static V xor_(V a, V b) { return wasm_v128_xor(a, b); }
  static V andnot(V a, V b) { return wasm_v128_andnot(a, b); }

  // Integer lanes (exponent construction in the exp range reduction).
  static VI as_int(V a) { return a; }
  static V as_float(VI a) { return a; }
  static VI splat_i32(int32_t x) { return wasm_i32x4_splat(x); }
  static VI add_i32(VI a, VI b) { return wasm_i32x4_add(a, b); }
  static VI sub_i32(VI a, VI b) { return wasm_i32x4_sub(a, b); }
  template <int S>
  static VI shl_i32(VI a) {
    return wasm_i32x4_shl(a, S);
  }
  template <int S>
  static VI sra_i32(VI a) {
    return wasm_i32x4_shr(a, S);
  }

  template <int L>
  static V dup_lane(V a) {
    return wasm_i32x4_shuffle(a, a, L, L, L, L);
  }

  // 4 x 4 transpose in registers: row i of the block becomes its column i.
  static void transpose4(V& r0, V& r1, V& r2, V& r3) {
    const V t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5),
            t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
    const V t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5),
            t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
    r0 = wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5);
    r1 = wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7);
    r2 = wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5);
    r3 = wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7);
  }

  // Horizontal reductions.
  static float reduce_add(V a) {
    const V s = wasm_f32x4_add(a, wasm_i64x2_shuffle(a, a, 1, 0));  // {a0+a2, a1+a3, ..}
    return wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1);
  }
  static float reduce_max(V a) {
    const V s = wasm_f32x4_pmax(a, wasm_i64x2_shuffle(a, a, 1, 0));
    const V t = wasm_f32x4_pmax(s, wasm_i32x4_shuffle(s, s, 1, 0, 3, 2));
    return wasm_f32x4_extract_lane(t, 0);
  }
};

using Wasm128 = Wasm128T<false>;
using Wasm128Arm = Wasm128T<true>;

#if defined(__wasm_relaxed_simd__)
struct Wasm128Relaxed : Wasm128 {
  using V = v128_t;
  typedef float F4 __attribute__((vector_size(16)));
  // a*b + c and c - a*b, each fused or not as the host decides (see above).
  static V muladd(V a, V b, V c) { return (V)__builtin_wasm_fma_f32x4((F4)a, (F4)b, (F4)c); }
  static V nmuladd(V a, V b, V c) { return (V)__builtin_wasm_fms_f32x4((F4)a, (F4)b, (F4)c); }
};
#endif

}  // namespace simd
}  // namespace pnn
