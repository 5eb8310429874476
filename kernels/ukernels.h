// Microkernel function types and the declarations of every registered kernel. The declarations
// come from the same X-macro registries (kernels/*.inc) that the configs and tests include.
//
// Conventions for all kernels (see kernels/README.md for the full contract):
//  - strides and counts are in elements (floats), not bytes;
//  - kernels never allocate, never branch on the ISA, never print;
//  - the caller owns tiling, remainders and threads.
#pragma once

#include <cstddef>
#include <cstdint>

#include "params.h"

// GEMM: C[mr][nc] = clamp(A[mr][kc] * W + bias), over packed weights.
//   mr <= MR rows; row i of A at a + i*a_stride, row i of C at c + i*cm_stride.
//   w holds, for each block of NR columns: NR biases, then kc groups of NR weights
//   (see src/packing.h). The kernel walks all nc columns, NR at a time, advancing c by
//   cn_stride between blocks; the last block may be partial (only nc % NR columns written).
typedef void (*pnn_f32_gemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, const float* a,
                                        size_t a_stride, const float* w, float* c,
                                        size_t cm_stride, size_t cn_stride,
                                        const struct pnn_f32_minmax_params* params);

// Indirect GEMM (convolution): like GEMM but the A rows come from an indirection buffer.
//   a holds ks groups of MR pointers: a[p*MR + i] is the row of input pixel i for kernel tap p,
//   each pointing at kc contiguous floats. A pointer equal to `zero` is used as is (the zero
//   row for padding); every other pointer is displaced by a_offset elements.
//   w holds, per NR block: NR biases, then ks*kc groups of NR weights (tap-major).
typedef void (*pnn_f32_igemm_ukernel_fn)(size_t mr, size_t nc, size_t kc, size_t ks,
                                         const float** a, const float* w, float* c,
                                         size_t cm_stride, size_t cn_stride, size_t a_offset,
                                         const float* zero,
                                         const struct pnn_f32_minmax_params* params);

// Winograd F(2x2, 3x3) transforms (src/winograd.h: the algorithm and the layouts).
// Input: rows[i * 4 + j] points at the `channels` floats of pixel (i, j) of one 4x4 input patch
//   (a zero row of at least `channels` floats where the patch leaves the image); writes
//   v[e * point_stride + c] = (B^T d B)[e] for the 16 points e and c < channels.
// Output: reads m[e * point_stride + c] for the 16 points; writes
//   out[i * 2 + j][c] = clamp(bias[c] + (A^T m A)[i][j]) for c < channels, skipping the output
//   pixels whose pointer is NULL (past the image's edge). bias is not NULL.
// Both read and write exactly these floats.
typedef void (*pnn_f32_winograd_input_ukernel_fn)(size_t channels, const float* const* rows,
                                                  float* v, size_t point_stride);
typedef void (*pnn_f32_winograd_output_ukernel_fn)(size_t channels, const float* m,
                                                   size_t point_stride, const float* bias,
                                                   float* const* out,
                                                   const struct pnn_f32_minmax_params* params);

// Unary elementwise: y[i] = f(x[i]) for i < n. x == y allowed.
typedef void (*pnn_f32_vunary_ukernel_fn)(size_t n, const float* x, float* y,
                                          const struct pnn_f32_unary_params* params);

#define PNN_GEMM(arch, gemm, igemm, mr, nr)                                               \
  extern "C" void gemm(size_t, size_t, size_t, const float*, size_t, const float*, float*, \
                       size_t, size_t, const struct pnn_f32_minmax_params*);             \
  extern "C" void igemm(size_t, size_t, size_t, size_t, const float**, const float*, float*, \
                        size_t, size_t, size_t, const float*,                            \
                        const struct pnn_f32_minmax_params*);
#include "f32-gemm.inc"
#undef PNN_GEMM

#define PNN_WINOGRAD(arch, input, output)                                           \
  extern "C" void input(size_t, const float* const*, float*, size_t);               \
  extern "C" void output(size_t, const float*, size_t, const float*, float* const*, \
                         const struct pnn_f32_minmax_params*);
#include "f32-winograd.inc"
#undef PNN_WINOGRAD

#define PNN_VUNARY(arch, op, fn, tile) \
  extern "C" void fn(size_t, const float*, float*, const struct pnn_f32_unary_params*);
#include "f32-vunary.inc"
#undef PNN_VUNARY

// The other families keep their types and declarations in headers of their own.
#include "ukernels-dwconv.h"
#include "ukernels-pooling.h"
#include "ukernels-softmax.h"
#include "ukernels-vbinary.h"
#include "ukernels-x32.h"
#include "ukernels-norm.h"
