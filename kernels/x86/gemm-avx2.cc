// AVX2 + FMA3 GEMM / IGEMM microkernels: instantiations of kernels/simd/gemm-template.h over
// kernels/simd/vec-avx2.h. The registry (kernels/f32-gemm.inc) orders them and records the
// measurements behind the choice.
#include "simd/gemm-template.h"
#include "simd/vec-avx2.h"
#include "ukernels.h"

using pnn::simd::Avx2;
using pnn::simd::GemmLoad;

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
  pnn::simd::gemm<Avx2, MR, NR, LOAD>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
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
    pnn::simd::igemm_rows<Avx2, mr, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride, \
                                              a_offset, zero, params);                      \
  }

// One-row kernels for a batch-1 fully connected layer (GemmConfig::gemm1): `blocks` packed
// NR-column blocks interleaved (gemm_1row in the template). Their IGEMM twins are the plain
// 1 x NR tile, which no operator picks but every registry line must provide.
#define PNN_X86_GEMM_1ROW(gemm_fn, igemm_fn, nr, blocks, load)                                  \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,      \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,         \
                          const pnn_f32_minmax_params* params) {                                \
    pnn::simd::gemm_1row<Avx2, nr, blocks, load>(m, nc, kc, a, a_stride, w, c, cm_stride,       \
                                                 cn_stride, params);                            \
  }                                                                                             \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,          \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,        \
                           size_t a_offset, const float* zero,                                  \
                           const pnn_f32_minmax_params* params) {                               \
    pnn::simd::igemm<Avx2, 1, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset, \
                                        zero, params);                                          \
  }

// 6 x 16: 12 ymm accumulators, 2 weight vectors and a broadcast: 15 of the 16 ymm registers.
PNN_X86_GEMM(pnn_f32_gemm_minmax_ukernel_6x16__avx2_loadsplat,
             pnn_f32_igemm_minmax_ukernel_6x16__avx2_loadsplat, 6, 16, GemmLoad::kLoadSplat)
PNN_X86_GEMM_1ROW(pnn_f32_gemm_minmax_ukernel_1x16__avx2_loadsplat_x4,
                  pnn_f32_igemm_minmax_ukernel_1x16__avx2_loadsplat, 16, 4, GemmLoad::kLoadSplat)
#undef PNN_X86_GEMM
#undef PNN_X86_GEMM_1ROW
