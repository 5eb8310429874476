// x86 SSE2 softmax microkernels: instantiations of kernels/simd/softmax-template.h over
// kernels/simd/vec-sse2.h.
#include "simd/softmax-template.h"
#include "simd/vec-sse2.h"
#include "ukernels-softmax.h"

using pnn::simd::Sse2;

extern "C" void pnn_f32_rmax_ukernel__sse2_u16(size_t n, const float* x, float* max) {
  pnn::simd::rmax<Sse2, 4>(n, x, max);
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__sse2_u16(size_t n, const float* x, float max,
                                                               float* y, float* sum) {
  pnn::simd::raddstoreexpminusmax<Sse2, 4>(n, x, max, y, sum);
}

extern "C" void pnn_f32_vscale_ukernel__sse2_u16(size_t n, const float* x, float scale, float* y) {
  pnn::simd::vscale<Sse2, 4>(n, x, scale, y);
}
