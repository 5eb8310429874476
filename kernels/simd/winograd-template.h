// Winograd F(2x2, 3x3) transform microkernels as templates over a vector wrapper W
// (kernels/simd/vec-*.h); contracts in kernels/ukernels.h, the algorithm and the layouts in
// src/winograd.h. Both walk the channels N lanes at a time (the last n % N with the wrapper's
// partial loads and stores, which read and write exactly the caller's floats), so a tile's 16
// points of one channel chunk stay in registers between the loads and the stores.
#pragma once

#include <cstddef>

#include "params.h"
#include "simd/common-template.h"

namespace pnn {
namespace simd {

// v[e][c] = (B^T d B)[e] for one chunk of n channels at c;
// B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]].
template <class W, bool PARTIAL>
PNN_SIMD_INLINE void winograd_input_chunk(const float* const* rows, size_t c, size_t n, float* v,
                                          size_t point_stride) {
  using V = typename W::V;
  V t[16];
  static_for<4>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
    V d[4];
    static_for<4>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
      d[i] = PARTIAL ? W::load_partial(rows[i * 4 + j] + c, n) : W::loadu(rows[i * 4 + j] + c);
    });
    t[0 + j] = W::sub(d[0], d[2]);
    t[4 + j] = W::add(d[1], d[2]);
    t[8 + j] = W::sub(d[2], d[1]);
    t[12 + j] = W::sub(d[1], d[3]);
  });
  static_for<4>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
    const V o[4] = {W::sub(t[i * 4 + 0], t[i * 4 + 2]), W::add(t[i * 4 + 1], t[i * 4 + 2]),
                    W::sub(t[i * 4 + 2], t[i * 4 + 1]), W::sub(t[i * 4 + 1], t[i * 4 + 3])};
    static_for<4>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
      float* p = v + (i * 4 + j) * point_stride + c;
      if (PARTIAL) {
        W::store_partial(p, o[j], n);
      } else {
        W::storeu(p, o[j]);
      }
    });
  });
}

template <class W>
void winograd_input_2x2_3x3(size_t channels, const float* const* rows, float* v,
                            size_t point_stride) {
  size_t c = 0;
  for (; c + W::N <= channels; c += W::N) {
    winograd_input_chunk<W, false>(rows, c, W::N, v, point_stride);
  }
  if (c < channels) winograd_input_chunk<W, true>(rows, c, channels - c, v, point_stride);
}

// out[i * 2 + j][c] = clamp(bias[c] + (A^T m A)[i][j]) for one chunk of n channels at c;
// A^T = [[1, 1, 1, 0], [0, 1, -1, -1]]. Clamped as the GEMM kernels clamp (max, then min).
template <class W, bool PARTIAL>
PNN_SIMD_INLINE void winograd_output_chunk(const float* m, size_t point_stride, size_t c, size_t n,
                                           const float* bias, float* const* out, typename W::V vmin,
                                           typename W::V vmax) {
  using V = typename W::V;
  V s[8];
  static_for<4>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
    V p[4];
    static_for<4>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
      const float* q = m + (i * 4 + j) * point_stride + c;
      p[i] = PARTIAL ? W::load_partial(q, n) : W::loadu(q);
    });
    s[0 + j] = W::add(W::add(p[0], p[1]), p[2]);
    s[4 + j] = W::sub(W::sub(p[1], p[2]), p[3]);
  });
  const V b = PARTIAL ? W::load_partial(bias + c, n) : W::loadu(bias + c);
  static_for<2>([&](auto i) PNN_SIMD_LAMBDA_INLINE {
    const V y[2] = {
        W::add(W::add(W::add(s[i * 4 + 0], s[i * 4 + 1]), s[i * 4 + 2]), b),
        W::add(W::sub(W::sub(s[i * 4 + 1], s[i * 4 + 2]), s[i * 4 + 3]), b),
    };
    static_for<2>([&](auto j) PNN_SIMD_LAMBDA_INLINE {
      float* o = out[i * 2 + j];
      if (o == nullptr) return;
      const V r = W::min(W::max(y[j], vmin), vmax);
      if (PARTIAL) {
        W::store_partial(o + c, r, n);
      } else {
        W::storeu(o + c, r);
      }
    });
  });
}

template <class W>
void winograd_output_2x2_3x3(size_t channels, const float* m, size_t point_stride,
                             const float* bias, float* const* out,
                             const pnn_f32_minmax_params* params) {
  const typename W::V vmin = W::splat(params->min);
  const typename W::V vmax = W::splat(params->max);
  size_t c = 0;
  for (; c + W::N <= channels; c += W::N) {
    winograd_output_chunk<W, false>(m, point_stride, c, W::N, bias, out, vmin, vmax);
  }
  if (c < channels) {
    winograd_output_chunk<W, true>(m, point_stride, c, channels - c, bias, out, vmin, vmax);
  }
}

}  // namespace simd
}  // namespace pnn
