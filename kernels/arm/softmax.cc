// AArch64 NEON softmax microkernels: instantiations of kernels/simd/softmax-template.h over
// kernels/simd/vec-neon.h. Only the exponential uses multiply-add (fused here: __neonfma).
#include "simd/softmax-template.h"
#include "simd/vec-neon.h"
#include "ukernels-softmax.h"

using pnn::simd::Neon;

extern "C" void pnn_f32_rmax_ukernel__neon_u16(size_t n, const float* x, float* max) {
  pnn::simd::rmax<Neon, 4>(n, x, max);
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__neonfma_u16(size_t n, const float* x,
                                                                  float max, float* y, float* sum) {
  pnn::simd::raddstoreexpminusmax<Neon, 4>(n, x, max, y, sum);
}

extern "C" void pnn_f32_vscale_ukernel__neon_u16(size_t n, const float* x, float scale, float* y) {
  pnn::simd::vscale<Neon, 4>(n, x, scale, y);
}
