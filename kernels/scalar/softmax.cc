// Scalar softmax microkernels: instantiations of kernels/simd/softmax-template.h over the
// one-lane wrapper kernels/simd/vec-scalar.h. Four accumulators per reduction, like the four
// lanes of the smallest SIMD level, combined as (s0 + s1) + (s2 + s3).
#include "simd/softmax-template.h"
#include "simd/vec-scalar.h"
#include "ukernels-softmax.h"

using pnn::simd::Scalar1;

extern "C" void pnn_f32_rmax_ukernel__scalar_u4(size_t n, const float* x, float* max) {
  pnn::simd::rmax<Scalar1, 4>(n, x, max);
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__scalar_u4(size_t n, const float* x, float max,
                                                                float* y, float* sum) {
  pnn::simd::raddstoreexpminusmax<Scalar1, 4>(n, x, max, y, sum);
}

extern "C" void pnn_f32_vscale_ukernel__scalar_u4(size_t n, const float* x, float scale, float* y) {
  pnn::simd::vscale<Scalar1, 4>(n, x, scale, y);
}
