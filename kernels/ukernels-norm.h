// Reduction and normalization microkernel types and declarations (kernels/f32-norm.inc; see
// kernels/ukernels.h for the conventions). Four lists, one template family
// (kernels/simd/norm-template.h):
//   rreduce    *out = x[0] op x[1] op ... op x[n-1], op sum, max or min (the row reductions of
//              the reduce operator, and the mean of layer norm)
//   rsumsqdev  *out = sum_i (x[i] - c)^2 (the variance of layer norm with c = its mean, the mean
//              square of RMS norm with c = 0)
//   vnorm      y[i] = ((x[i] - mean) * scale) * gamma[i] + beta[i] (layer / RMS norm with the
//              row's mean and 1 / sqrt(var + eps); batch norm's per-channel affine with mean = 0
//              and scale = 1, which are exact: x - 0 = x, x * 1 = x)
//   vprelu     y[i] = x[i] < 0 ? x[i] * slope[i] : x[i]
//
// Sizes: n >= 1 (floats, contiguous). In vnorm and vprelu y may equal x (in place) but must not
// partially overlap it. The multiply-add of vnorm may be fused (one rounding) on levels with FMA.
//
// Order: a sum is taken in a fixed order that depends on n and the level only (U vector
// accumulators added pairwise, then the lanes, then the tail in index order), never on the
// caller's tiling or threads, so results are reproducible bit for bit. max / min follow the
// library's NaN rule for minimum / maximum (a NaN element gives NaN or one of the operands).
#pragma once

#include <cstddef>
#include <cstdint>

// The reductions a rreduce line computes (its `op`).
enum pnn_rreduce_op {
  pnn_rreduce_sum = 0,
  pnn_rreduce_max = 1,
  pnn_rreduce_min = 2,
};

// *out = the op over x[0, n).
typedef void (*pnn_f32_rreduce_ukernel_fn)(size_t n, const float* x, float* out);

// *out = sum over i < n of (x[i] - c)^2.
typedef void (*pnn_f32_rsumsqdev_ukernel_fn)(size_t n, const float* x, float c, float* out);

// y[i] = ((x[i] - mean) * scale) * gamma[i] + beta[i] for i < n.
typedef void (*pnn_f32_vnorm_ukernel_fn)(size_t n, const float* x, float mean, float scale,
                                         const float* gamma, const float* beta, float* y);

// y[i] = x[i] < 0 ? x[i] * slope[i] : x[i] for i < n.
typedef void (*pnn_f32_vprelu_ukernel_fn)(size_t n, const float* x, const float* slope, float* y);

#define PNN_RREDUCE(arch, op, fn, tile) extern "C" void fn(size_t, const float*, float*);
#define PNN_RSUMSQDEV(arch, fn, tile) extern "C" void fn(size_t, const float*, float, float*);
#define PNN_VNORM(arch, fn, tile)                                                     \
  extern "C" void fn(size_t, const float*, float, float, const float*, const float*, \
                     float*);
#define PNN_VPRELU(arch, fn, tile) \
  extern "C" void fn(size_t, const float*, const float*, float*);
#include "f32-norm.inc"
#undef PNN_RREDUCE
#undef PNN_RSUMSQDEV
#undef PNN_VNORM
#undef PNN_VPRELU
