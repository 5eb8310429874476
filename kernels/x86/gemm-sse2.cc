// SSE2 GEMM / IGEMM microkernels: instantiations of kernels/simd/gemm-template.h over
// kernels/simd/vec-sse2.h. The registry (kernels/f32-gemm.inc) orders them and records the
// measurements behind the choice.
#include "simd/gemm-template.h"
#include "simd/vec-sse2.h"
#include "ukernels.h"

using pnn::simd::GemmLoad;
using pnn::simd::Sse2;

namespace {

// GEMM over m <= MR rows with the smallest tile that holds them: the template's tile computes
// all MR rows whatever m (rows past m alias row m - 1), which would cost a full tile for the last
// rows of an M that is not a multiple of MR (pw_7: 49 rows). Every row accumulates in the same
// order whatever the tile, so the results do not depend on how M is split.
template <size_t MR, size_t NR, GemmLoad LOAD>
void gemm_rows(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
               float* c, size_t cm_stride, size_t cn_stride, const pnn_f32_minmax_params* params) {
  if constexpr (MR > 1) {
    if (m < MR) {
      gemm_rows<MR - 1, NR, LOAD>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
      return;
    }
  }
  pnn::simd::gemm<Sse2, MR, NR, LOAD>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
}

}  // namespace

// MR x NR tiles; the last rows of an IGEMM also run on a tile of their own size (igemm_rows).
#define PNN_X86_GEMM(gemm_fn, igemm_fn, mr, nr, load)                                       \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,  \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,     \
                          const pnn_f32_minmax_params* params) {                            \
    gemm_rows<mr, nr, load>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);    \
  }                                                                                         \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,      \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,    \
                           size_t a_offset, const float* zero,                              \
                           const pnn_f32_minmax_params* params) {                           \
    pnn::simd::igemm_rows<Sse2, mr, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride, \
                                              a_offset, zero, params);                      \
  }

// One-row kernels for a batch-1 fully connected layer (GemmConfig::gemm1): `blocks` packed
// NR-column blocks interleaved (gemm_1row in the template). Their IGEMM twins are the plain
// 1 x NR tile, which no operator picks but every registry line must provide.
#define PNN_X86_GEMM_1ROW(gemm_fn, igemm_fn, nr, blocks, load)                                  \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,      \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,         \
                          const pnn_f32_minmax_params* params) {                                \
    pnn::simd::gemm_1row<Sse2, nr, blocks, load>(m, nc, kc, a, a_stride, w, c, cm_stride,       \
                                                 cn_stride, params);                            \
  }                                                                                             \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,          \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,        \
                           size_t a_offset, const float* zero,                                  \
                           const pnn_f32_minmax_params* params) {                               \
    pnn::simd::igemm<Sse2, 1, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset, \
                                        zero, params);                                          \
  }

// 4 x 8: 8 xmm accumulators, 2 weight vectors, a splat and the product: 12 of the 16 xmm
// registers (SSE2 has no FMA: mul then add, rounded twice as in the scalar kernels).
PNN_X86_GEMM(pnn_f32_gemm_minmax_ukernel_4x8__sse2_loadsplat,
             pnn_f32_igemm_minmax_ukernel_4x8__sse2_loadsplat, 4, 8, GemmLoad::kLoadSplat)
PNN_X86_GEMM(pnn_f32_gemm_minmax_ukernel_4x8__sse2_splat,
             pnn_f32_igemm_minmax_ukernel_4x8__sse2_splat, 4, 8, GemmLoad::kSplat)
PNN_X86_GEMM_1ROW(pnn_f32_gemm_minmax_ukernel_1x8__sse2_splat_x4,
                  pnn_f32_igemm_minmax_ukernel_1x8__sse2_splat, 8, 4, GemmLoad::kSplat)
#undef PNN_X86_GEMM
#undef PNN_X86_GEMM_1ROW
