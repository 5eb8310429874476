// x32 data-movement microkernels: they move 32-bit elements (floats here, by their bits) without
// interpreting them, for weight packing (src/packing.cc) and layout changes in the operators
// (batch matmul's A^T). Strides and counts are in elements. A kernel reads exactly the input
// elements named and writes exactly the output elements named (the gaps between strided rows are
// left untouched); input and output must not overlap.
#pragma once

#include <cstddef>
#include <cstdint>

// y[j * y_stride + i] = x[i * x_stride + j] for i < rows, j < cols.
typedef void (*pnn_x32_transpose_ukernel_fn)(size_t rows, size_t cols, const void* x,
                                             size_t x_stride, void* y, size_t y_stride);
// y[r * y_stride + j] = x[r * x_stride + j] for r < rows, j < cols.
typedef void (*pnn_x32_copy_ukernel_fn)(size_t rows, size_t cols, const void* x, size_t x_stride,
                                        void* y, size_t y_stride);
// y[r * y_stride + j] = value for r < rows, j < cols.
typedef void (*pnn_x32_fill_ukernel_fn)(size_t rows, size_t cols, uint32_t value, void* y,
                                        size_t y_stride);
// Row r of y (left + cols + right elements at y + r * y_stride): `left` values, then
// x[r * x_stride + j] for j < cols, then `right` values.
typedef void (*pnn_x32_pad_ukernel_fn)(size_t rows, size_t left, size_t cols, size_t right,
                                       const void* x, size_t x_stride, uint32_t value, void* y,
                                       size_t y_stride);

#define PNN_X32_TRANSPOSE(arch, fn, tile) \
  extern "C" void fn(size_t, size_t, const void*, size_t, void*, size_t);
#include "x32-transpose.inc"
#undef PNN_X32_TRANSPOSE
#define PNN_X32_COPY(arch, fn, tile) \
  extern "C" void fn(size_t, size_t, const void*, size_t, void*, size_t);
#include "x32-copy.inc"
#undef PNN_X32_COPY
#define PNN_X32_FILL(arch, fn, tile) extern "C" void fn(size_t, size_t, uint32_t, void*, size_t);
#include "x32-fill.inc"
#undef PNN_X32_FILL
#define PNN_X32_PAD(arch, fn, tile) \
  extern "C" void fn(size_t, size_t, size_t, size_t, const void*, size_t, uint32_t, void*, size_t);
#include "x32-pad.inc"
#undef PNN_X32_PAD
