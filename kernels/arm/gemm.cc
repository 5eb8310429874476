// AArch64 NEON GEMM / IGEMM microkernels: instantiations of kernels/simd/gemm-template.h over
// kernels/simd/vec-neon.h. 6x8 uses 12 accumulators, 2 weight vectors and up to 6 A vectors:
// it fits the 32 NEON registers with room to spare, as in the usual AArch64 f32 GEMMs.
//  - _splat: one 4-float load of A per row every 4 k, then FMLA by element (dup_lane folds into
//    the multiply-add), so A costs a quarter of a load per k;
//  - _loadsplat: one LD1R per row and k (for comparison and for hosts where by-element FMLA is
//    slower).
#include "simd/gemm-template.h"
#include "simd/vec-neon.h"
#include "ukernels.h"

using pnn::simd::GemmLoad;
using pnn::simd::Neon;

#define PNN_NEON_GEMM(gemm_fn, igemm_fn, mr, nr, load)                                           \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,       \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,          \
                          const pnn_f32_minmax_params* params) {                                 \
    pnn::simd::gemm<Neon, mr, nr, load>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride,      \
                                        params);                                                 \
  }                                                                                              \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,           \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,         \
                           size_t a_offset, const float* zero,                                   \
                           const pnn_f32_minmax_params* params) {                                \
    pnn::simd::igemm<Neon, mr, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset, \
                                         zero, params);                                          \
  }

PNN_NEON_GEMM(pnn_f32_gemm_minmax_ukernel_6x8__neonfma_splat,
              pnn_f32_igemm_minmax_ukernel_6x8__neonfma_splat, 6, 8, GemmLoad::kSplat)
PNN_NEON_GEMM(pnn_f32_gemm_minmax_ukernel_6x8__neonfma_loadsplat,
              pnn_f32_igemm_minmax_ukernel_6x8__neonfma_loadsplat, 6, 8, GemmLoad::kLoadSplat)
#undef PNN_NEON_GEMM

// One-row kernel for a batch-1 fully connected layer (GemmConfig::gemm1): 4 packed 8-column blocks
// interleaved (gemm_1row in the template), 8 independent accumulator chains, enough to cover
// the FMLA latency of the usual AArch64 cores. Its IGEMM twin is the plain 1 x 8 tile, which no
// operator picks today but every registry line must provide.
extern "C" void pnn_f32_gemm_minmax_ukernel_1x8__neonfma_splat_x4(
    size_t m, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w, float* c,
    size_t cm_stride, size_t cn_stride, const pnn_f32_minmax_params* params) {
  pnn::simd::gemm_1row<Neon, 8, 4, GemmLoad::kSplat>(m, nc, kc, a, a_stride, w, c, cm_stride,
                                                     cn_stride, params);
}
extern "C" void pnn_f32_igemm_minmax_ukernel_1x8__neonfma_splat(
    size_t m, size_t nc, size_t kc, size_t ks, const float** a, const float* w, float* c,
    size_t cm_stride, size_t cn_stride, size_t a_offset, const float* zero,
    const pnn_f32_minmax_params* params) {
  pnn::simd::igemm<Neon, 1, 8, GemmLoad::kSplat>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride,
                                                 a_offset, zero, params);
}
