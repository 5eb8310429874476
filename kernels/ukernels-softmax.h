// softmax microkernel types and declarations (see kernels/ukernels.h for the conventions).
//
// Softmax over a row of n floats runs three kernels, so that each one is a single streaming
// pass a SIMD level can vectorize on its own:
//   rmax                 : m = max_i x[i]
//   raddstoreexpminusmax : y[i] = exp(x[i] - m), stored, and s = sum_i y[i]
//   vscale               : y[i] = y[i] * (1 / s)
// exp is kernels/scalar/math-approx.h's pnn::approx::exp (mirrored by every SIMD level; bounds in
// kernels/math-constants.h), whose argument x - m <= 0 never overflows: the largest term is
// exactly 1, the sum is in [1, n].
//
// Sizes: n >= 1 (floats, contiguous). y may equal x (in place) but must not partially overlap
// it. NaN: the maximum of a row holding NaN is unspecified, but NaN then reaches every output
// of the row through the sum. Summation order is fixed by the kernel (it never depends on the
// caller's tiling or threads), so a row's result is reproducible bit for bit.
#pragma once

#include <cstddef>
#include <cstdint>

#include "params.h"

// *max = max_{i < n} x[i].
typedef void (*pnn_f32_rmax_ukernel_fn)(size_t n, const float* x, float* max);

// y[i] = exp(x[i] - max) for i < n; *sum = the sum of the stored y[i].
typedef void (*pnn_f32_raddstoreexpminusmax_ukernel_fn)(size_t n, const float* x, float max,
                                                        float* y, float* sum);

// y[i] = x[i] * scale for i < n.
typedef void (*pnn_f32_vscale_ukernel_fn)(size_t n, const float* x, float scale, float* y);

#define PNN_RMAX(arch, fn, tile) extern "C" void fn(size_t, const float*, float*);
#define PNN_RADDSTOREEXPMINUSMAX(arch, fn, tile) \
  extern "C" void fn(size_t, const float*, float, float*, float*);
#define PNN_VSCALE(arch, fn, tile) extern "C" void fn(size_t, const float*, float, float*);
#include "f32-softmax.inc"
#undef PNN_RMAX
#undef PNN_RADDSTOREEXPMINUSMAX
#undef PNN_VSCALE
