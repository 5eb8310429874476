// The instances of the reduction and normalization family (kernels/f32-norm.inc, templates in
// kernels/simd/norm-template.h): included at the end of each level file, after
// kernels/instances.h (whose PNN_WRAPPER and unroll it uses), so that the family lives in files
// of its own. One `extern "C"` kernel per registry line of the including level.
#pragma once

#include "simd/norm-template.h"
#include "ukernels-norm.h"

#define PNN_RREDUCE(arch, op, fn, tile)                                       \
  extern "C" void fn(size_t n, const float* x, float* out) {                  \
    using W = PNN_WRAPPER(arch);                                              \
    pnn::simd::rreduce<W, op, pnn::instances::unroll<W, tile>()>(n, x, out);  \
  }
#define PNN_RSUMSQDEV(arch, fn, tile)                                          \
  extern "C" void fn(size_t n, const float* x, float c, float* out) {          \
    using W = PNN_WRAPPER(arch);                                               \
    pnn::simd::rsumsqdev<W, pnn::instances::unroll<W, tile>()>(n, x, c, out);  \
  }
#define PNN_VNORM(arch, fn, tile)                                                              \
  extern "C" void fn(size_t n, const float* x, float mean, float scale, const float* gamma,    \
                     const float* beta, float* y) {                                            \
    using W = PNN_WRAPPER(arch);                                                               \
    pnn::simd::vnorm<W, pnn::instances::unroll<W, tile>()>(n, x, mean, scale, gamma, beta, y); \
  }
#define PNN_VPRELU(arch, fn, tile)                                                   \
  extern "C" void fn(size_t n, const float* x, const float* slope, float* y) {       \
    using W = PNN_WRAPPER(arch);                                                     \
    pnn::simd::vprelu<W, pnn::instances::unroll<W, tile>()>(n, x, slope, y);         \
  }
#include "f32-norm.inc"
#undef PNN_RREDUCE
#undef PNN_RSUMSQDEV
#undef PNN_VNORM
#undef PNN_VPRELU
