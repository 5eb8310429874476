// Scalar softmax microkernels (see kernels/ukernels-softmax.h). Four independent accumulators
// per reduction, like the four lanes of the smallest SIMD level, combined in a fixed order.
#include "math-approx.h"
#include "ukernels.h"

extern "C" void pnn_f32_rmax_ukernel__scalar_u4(size_t n, const float* x, float* max) {
  float m0 = x[0], m1 = x[0], m2 = x[0], m3 = x[0];
  for (; n >= 4; n -= 4, x += 4) {
    m0 = x[0] > m0 ? x[0] : m0;
    m1 = x[1] > m1 ? x[1] : m1;
    m2 = x[2] > m2 ? x[2] : m2;
    m3 = x[3] > m3 ? x[3] : m3;
  }
  for (; n != 0; n--, x++) m0 = *x > m0 ? *x : m0;
  m0 = m1 > m0 ? m1 : m0;
  m2 = m3 > m2 ? m3 : m2;
  *max = m2 > m0 ? m2 : m0;
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__scalar_u4(size_t n, const float* x, float max,
                                                                float* y, float* sum) {
  float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
  for (; n >= 4; n -= 4, x += 4, y += 4) {
    const float e0 = pnn::approx::exp(x[0] - max);
    const float e1 = pnn::approx::exp(x[1] - max);
    const float e2 = pnn::approx::exp(x[2] - max);
    const float e3 = pnn::approx::exp(x[3] - max);
    y[0] = e0;
    y[1] = e1;
    y[2] = e2;
    y[3] = e3;
    s0 += e0;
    s1 += e1;
    s2 += e2;
    s3 += e3;
  }
  for (; n != 0; n--) {
    const float e = pnn::approx::exp(*x++ - max);
    *y++ = e;
    s0 += e;
  }
  *sum = (s0 + s1) + (s2 + s3);
}

extern "C" void pnn_f32_vscale_ukernel__scalar_u4(size_t n, const float* x, float scale, float* y) {
  for (; n >= 4; n -= 4, x += 4, y += 4) {
    const float v0 = x[0], v1 = x[1], v2 = x[2], v3 = x[3];
    y[0] = v0 * scale;
    y[1] = v1 * scale;
    y[2] = v2 * scale;
    y[3] = v3 * scale;
  }
  for (; n != 0; n--) *y++ = *x++ * scale;
}
