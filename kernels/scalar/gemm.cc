// Scalar GEMM and IGEMM microkernels: instantiations of kernels/simd/gemm-template.h over the
// one-lane wrapper kernels/simd/vec-scalar.h (4x4 tile, one broadcast load of A per row and k).
#include "simd/gemm-template.h"
#include "simd/vec-scalar.h"
#include "ukernels.h"

using pnn::simd::GemmLoad;
using pnn::simd::Scalar1;

extern "C" void pnn_f32_gemm_minmax_ukernel_4x4__scalar(size_t mr, size_t nc, size_t kc,
                                                        const float* a, size_t a_stride,
                                                        const float* w, float* c, size_t cm_stride,
                                                        size_t cn_stride,
                                                        const pnn_f32_minmax_params* params) {
  pnn::simd::gemm<Scalar1, 4, 4, GemmLoad::kLoadSplat>(mr, nc, kc, a, a_stride, w, c, cm_stride,
                                                       cn_stride, params);
}

extern "C" void pnn_f32_igemm_minmax_ukernel_4x4__scalar(size_t mr, size_t nc, size_t kc, size_t ks,
                                                         const float** a, const float* w, float* c,
                                                         size_t cm_stride, size_t cn_stride,
                                                         size_t a_offset, const float* zero,
                                                         const pnn_f32_minmax_params* params) {
  pnn::simd::igemm<Scalar1, 4, 4, GemmLoad::kLoadSplat>(mr, nc, kc, ks, a, w, c, cm_stride,
                                                        cn_stride, a_offset, zero, params);
}
