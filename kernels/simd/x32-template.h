// The x32 data-movement kernels (kernels/ukernels-x32.h): 2-D transpose, and pad, of which copy
// (no padding) and fill (no copied columns) are the special cases, over a vector wrapper W.
// They move 32-bit elements without interpreting them: the wrappers' loads, stores and splats
// are bit moves on every level (no float arithmetic touches a value, so NaN payloads survive).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "simd/common-template.h"

namespace pnn {
namespace simd {

// y[0, n) = x[0, n), U vectors per main-loop iteration (all loaded before any is stored).
template <class W, size_t U>
PNN_SIMD_INLINE void x32_copy_row(const float* x, float* y, size_t n) {
  constexpr size_t N = W::N;
  for (; U > 1 && n >= U * N; n -= U * N) {
    typename W::V v[U];
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { v[u] = W::loadu(x + u * N); });
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { W::storeu(y + u * N, v[u]); });
    x += U * N;
    y += U * N;
  }
  for (; n >= N; n -= N) {
    W::storeu(y, W::loadu(x));
    x += N;
    y += N;
  }
  if (N > 1 && n != 0) W::store_partial(y, W::load_partial(x, n), n);
}

// y[0, n) = v.
template <class W, size_t U>
PNN_SIMD_INLINE void x32_fill_row(float* y, size_t n, typename W::V v) {
  constexpr size_t N = W::N;
  for (; U > 1 && n >= U * N; n -= U * N) {
    static_for<U>([&](auto u) PNN_SIMD_LAMBDA_INLINE { W::storeu(y + u * N, v); });
    y += U * N;
  }
  for (; n >= N; n -= N) {
    W::storeu(y, v);
    y += N;
  }
  if (N > 1 && n != 0) W::store_partial(y, v, n);
}

// Row r of y (stride y_stride elements) = `left` values, row r of x (cols elements, stride
// x_stride), `right` values. Copy and fill are this function with no padding or no columns; one
// out-of-line body serves all three kernels of a level (the calls move whole rows, so the call
// costs nothing measurable, and the .wasm files stay small).
template <class W, size_t U>
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
void x32_pad(size_t rows, size_t left, size_t cols, size_t right, const void* x, size_t x_stride,
             uint32_t value, void* y, size_t y_stride) {
  float fvalue;
  std::memcpy(&fvalue, &value, sizeof(fvalue));
  const typename W::V v = W::splat(fvalue);
  const float* in = static_cast<const float*>(x);
  float* out = static_cast<float*>(y);
  for (size_t r = 0; r < rows; r++) {
    if (left != 0) x32_fill_row<W, U>(out, left, v);
    if (cols != 0) x32_copy_row<W, U>(in, out + left, cols);
    if (right != 0) x32_fill_row<W, U>(out + left + cols, right, v);
    in += x_stride;
    out += y_stride;
  }
}

// y[j][i] = x[i][j] for i < rows, j < cols (strides in elements). A 4-lane wrapper transposes
// 4 x 4 blocks in registers (W::transpose4), also for the last 2 or 3 rows; the other edges, and
// the one-lane wrapper, move elements one at a time, TILE rows of x per pass (writes to y in
// TILE-element runs).
template <class W, size_t TILE>
void x32_transpose(size_t rows, size_t cols, const void* x, size_t x_stride, void* y,
                   size_t y_stride) {
  const float* in = static_cast<const float*>(x);
  float* out = static_cast<float*>(y);
  size_t i = 0;
  if constexpr (W::N == 4) {
    for (; i + 4 <= rows; i += 4) {
      size_t j = 0;
      for (; j + 4 <= cols; j += 4) {
        const float* p = in + i * x_stride + j;
        typename W::V r0 = W::loadu(p), r1 = W::loadu(p + x_stride),
                      r2 = W::loadu(p + 2 * x_stride), r3 = W::loadu(p + 3 * x_stride);
        W::transpose4(r0, r1, r2, r3);
        float* q = out + j * y_stride + i;
        W::storeu(q, r0);
        W::storeu(q + y_stride, r1);
        W::storeu(q + 2 * y_stride, r2);
        W::storeu(q + 3 * y_stride, r3);
      }
      for (; j < cols; j++) {
        for (size_t r = 0; r < 4; r++) out[j * y_stride + i + r] = in[(i + r) * x_stride + j];
      }
    }
    // 2 or 3 rows left (an RGB image's NCHW -> NHWC transpose is 3 rows of H * W): the same
    // blocks with the last row loaded again in the missing ones, each output column stored
    // partially (exactly its `left` elements).
    const size_t left = rows - i;
    if (left >= 2) {
      const size_t third = left - 1 < 2 ? left - 1 : 2;
      size_t j = 0;
      for (; j + 4 <= cols; j += 4) {
        const float* p = in + i * x_stride + j;
        typename W::V r0 = W::loadu(p), r1 = W::loadu(p + x_stride),
                      r2 = W::loadu(p + third * x_stride), r3 = r2;
        W::transpose4(r0, r1, r2, r3);
        float* q = out + j * y_stride + i;
        W::store_partial(q, r0, left);
        W::store_partial(q + y_stride, r1, left);
        W::store_partial(q + 2 * y_stride, r2, left);
        W::store_partial(q + 3 * y_stride, r3, left);
      }
      for (; j < cols; j++) {
        for (size_t r = 0; r < left; r++) out[j * y_stride + i + r] = in[(i + r) * x_stride + j];
      }
      i = rows;
    }
  }
  for (; i < rows; i += TILE) {
    const size_t block = rows - i < TILE ? rows - i : TILE;
    for (size_t j = 0; j < cols; j++) {
      for (size_t r = 0; r < block; r++) out[j * y_stride + i + r] = in[(i + r) * x_stride + j];
    }
  }
}

}  // namespace simd
}  // namespace pnn
