// Scalar GEMM and IGEMM microkernels, written once as templates over the register tile.
#include <algorithm>

#include "ukernels.h"

namespace {

// Accumulates acc[MR][NR] += A-rows x packed W for one NR block, then clamps and stores.
template <size_t MR, size_t NR>
inline void store_block(size_t mr, size_t nr, float (&acc)[MR][NR], float* c, size_t cm_stride,
                        const pnn_f32_minmax_params* params) {
  const float vmin = params->min, vmax = params->max;
  for (size_t i = 0; i < mr; i++) {
    for (size_t j = 0; j < nr; j++) {
      c[i * cm_stride + j] = std::min(std::max(acc[i][j], vmin), vmax);
    }
  }
}

template <size_t MR, size_t NR>
void gemm(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
          float* c, size_t cm_stride, size_t cn_stride, const pnn_f32_minmax_params* params) {
  const float* arow[MR];
  for (size_t i = 0; i < MR; i++) arow[i] = a + std::min(i, mr - 1) * a_stride;
  while (nc != 0) {
    float acc[MR][NR];
    for (size_t i = 0; i < MR; i++)
      for (size_t j = 0; j < NR; j++) acc[i][j] = w[j];
    w += NR;
    for (size_t k = 0; k < kc; k++) {
      for (size_t i = 0; i < MR; i++) {
        const float av = arow[i][k];
        for (size_t j = 0; j < NR; j++) acc[i][j] += av * w[j];
      }
      w += NR;
    }
    const size_t nr = std::min(nc, NR);
    store_block<MR, NR>(mr, nr, acc, c, cm_stride, params);
    c += cn_stride;
    nc -= nr;
  }
}

template <size_t MR, size_t NR>
void igemm(size_t mr, size_t nc, size_t kc, size_t ks, const float** a, const float* w, float* c,
           size_t cm_stride, size_t cn_stride, size_t a_offset, const float* zero,
           const pnn_f32_minmax_params* params) {
  while (nc != 0) {
    float acc[MR][NR];
    for (size_t i = 0; i < MR; i++)
      for (size_t j = 0; j < NR; j++) acc[i][j] = w[j];
    w += NR;
    const float** ap = a;
    for (size_t p = 0; p < ks; p++) {
      const float* arow[MR];
      for (size_t i = 0; i < MR; i++) {
        const float* r = ap[std::min(i, mr - 1)];
        arow[i] = r == zero ? r : r + a_offset;
      }
      ap += MR;
      for (size_t k = 0; k < kc; k++) {
        for (size_t i = 0; i < MR; i++) {
          const float av = arow[i][k];
          for (size_t j = 0; j < NR; j++) acc[i][j] += av * w[j];
        }
        w += NR;
      }
    }
    const size_t nr = std::min(nc, NR);
    store_block<MR, NR>(mr, nr, acc, c, cm_stride, params);
    c += cn_stride;
    nc -= nr;
  }
}

}  // namespace

extern "C" void pnn_f32_gemm_minmax_ukernel_4x4__scalar(size_t mr, size_t nc, size_t kc,
                                                        const float* a, size_t a_stride,
                                                        const float* w, float* c,
                                                        size_t cm_stride, size_t cn_stride,
                                                        const pnn_f32_minmax_params* params) {
  gemm<4, 4>(mr, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
}

extern "C" void pnn_f32_igemm_minmax_ukernel_4x4__scalar(size_t mr, size_t nc, size_t kc,
                                                         size_t ks, const float** a,
                                                         const float* w, float* c,
                                                         size_t cm_stride, size_t cn_stride,
                                                         size_t a_offset, const float* zero,
                                                         const pnn_f32_minmax_params* params) {
  igemm<4, 4>(mr, nc, kc, ks, a, w, c, cm_stride, cn_stride, a_offset, zero, params);
}
