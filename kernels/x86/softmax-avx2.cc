// x86 AVX2 softmax microkernels: instantiations of kernels/simd/softmax-template.h over
// kernels/simd/vec-avx2.h.
#include "simd/softmax-template.h"
#include "simd/vec-avx2.h"
#include "ukernels-softmax.h"

using pnn::simd::Avx2;

extern "C" void pnn_f32_rmax_ukernel__avx2_u32(size_t n, const float* x, float* max) {
  pnn::simd::rmax<Avx2, 4>(n, x, max);
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__avx2_u32(size_t n, const float* x, float max,
                                                               float* y, float* sum) {
  pnn::simd::raddstoreexpminusmax<Avx2, 4>(n, x, max, y, sum);
}

extern "C" void pnn_f32_vscale_ukernel__avx2_u32(size_t n, const float* x, float scale, float* y) {
  pnn::simd::vscale<Avx2, 4>(n, x, scale, y);
}
