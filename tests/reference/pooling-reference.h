// Double-precision references for max, average and global average pooling, and the tolerance
// the float results are held to.
#pragma once

#include "reference/clamp.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "portnn.h"

namespace pnn_ref {

// Output size and leading padding of one axis, computed independently of the library:
// explicit padding as for convolution, SAME as TensorFlow (out = ceil(in/stride), the total
// padding split with the odd pixel after). ok = false when the output would be empty.
struct PoolAxis {
  bool ok;
  size_t out;
  size_t pad_before;
};

inline PoolAxis pool_axis(size_t in, uint32_t kernel, uint32_t stride, uint32_t dilation,
                          uint32_t pad_before, uint32_t pad_after, bool same) {
  const long long extent = (long long)dilation * (kernel - 1) + 1;
  if (same) {
    const long long out = ((long long)in + stride - 1) / stride;
    const long long total = std::max(0LL, (out - 1) * stride + extent - (long long)in);
    return PoolAxis{true, (size_t)out, (size_t)(total / 2)};
  }
  const long long padded = (long long)in + pad_before + pad_after;
  if (padded < extent) return PoolAxis{false, 0, 0};
  return PoolAxis{true, (size_t)((padded - extent) / stride + 1), pad_before};
}

struct PoolShape {
  bool ok;
  size_t oh, ow, pad_top, pad_left;
};

inline PoolShape pool_shape(const pnn_pooling2d_params& p, size_t ih, size_t iw) {
  const bool same = (p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  const PoolAxis y = pool_axis(ih, p.pooling_height, p.stride_height, p.dilation_height,
                               p.padding_top, p.padding_bottom, same);
  const PoolAxis x = pool_axis(iw, p.pooling_width, p.stride_width, p.dilation_width,
                               p.padding_left, p.padding_right, same);
  return PoolShape{y.ok && x.ok, y.out, x.out, y.pad_before, x.pad_before};
}

// One output element of a pooling: the value, and for averages the tolerance it is held to.
struct PoolResult {
  std::vector<double> y;
  std::vector<double> tolerance;  // 0 for max pooling: max and clamp are exact in float
  // Max pooling: iy * iw + ix of the first tap (row-major) holding the maximum, as argmax
  // pooling reports it (include/portnn.h).
  std::vector<uint32_t> index;
};

// Tolerance of a float average of `count` terms against the exact (double) average.
//
// The kernel adds the count terms one after another in float and multiplies the sum by
// fl(1/count). With u = 2^-24, the sum's error is at most (count-1)·u·sum|x| <=
// (count-1)·u·count·max|x|, i.e. (count-1)·u·max|x| once divided by count; the rounded
// reciprocal and the final product add at most 2u·|mean| <= 2u·max|x|; the clamp is monotone
// and never increases an error. Total: (count+1)·u·max|x| ~ 6e-8·(count+1)·max|x|.
// The bound used, 1e-6·(1 + max|x|)·(log2(count) + 1), is the house formula "1e-6·(1+max|x|)
// ·log2(count)" plus one unit for the scale multiplication (so count = 1, which is exact, and
// count = 2 still get headroom). It dominates the worst case above for every count <= 128, which
// is why the tests keep their reductions at or below that; typical errors grow like sqrt(count)
// and sit far below it, so a kernel that sums the wrong terms or drops one fails by orders of
// magnitude.
constexpr size_t kMaxToleratedCount = 128;
inline double average_tolerance(size_t count, double max_abs) {
  return 1e-6 * (1.0 + max_abs) * (std::log2((double)count) + 1.0);
}


// Max (is_max) or average pooling of x = [n][ih][iw][c] NHWC with params p; the output is
// [n][oh][ow][c] as given by pool_shape. Windows are visited naively tap by tap; taps in the
// padding are skipped for max and counted (include-pad) or not (exclude-pad) for average.
inline PoolResult pooling2d(bool is_max, const pnn_pooling2d_params& p, const float* x, size_t n,
                            size_t ih, size_t iw) {
  const PoolShape s = pool_shape(p, ih, iw);
  const size_t c = p.channels;
  const bool include_pad = (p.flags & PNN_FLAG_COUNT_INCLUDE_PAD) != 0;
  PoolResult r;
  r.y.assign(n * s.oh * s.ow * c, 0.0);
  r.tolerance.assign(r.y.size(), 0.0);
  r.index.assign(r.y.size(), 0);
  for (size_t b = 0; b < n; b++) {
    for (size_t oy = 0; oy < s.oh; oy++) {
      for (size_t ox = 0; ox < s.ow; ox++) {
        for (size_t ch = 0; ch < c; ch++) {
          double best = -INFINITY, sum = 0.0, max_abs = 0.0;
          size_t valid = 0, best_index = 0;
          for (size_t ky = 0; ky < p.pooling_height; ky++) {
            const long long iy =
                (long long)(oy * p.stride_height + ky * p.dilation_height) - (long long)s.pad_top;
            for (size_t kx = 0; kx < p.pooling_width; kx++) {
              const long long ix =
                  (long long)(ox * p.stride_width + kx * p.dilation_width) - (long long)s.pad_left;
              if (iy < 0 || iy >= (long long)ih || ix < 0 || ix >= (long long)iw) continue;
              const double v = x[((b * ih + (size_t)iy) * iw + (size_t)ix) * c + ch];
              if (valid == 0 || best < v) best_index = (size_t)iy * iw + (size_t)ix;
              best = valid == 0 ? v : std::max(best, v);
              sum += v;
              max_abs = std::max(max_abs, std::fabs(v));
              valid++;
            }
          }
          const size_t out = ((b * s.oh + oy) * s.ow + ox) * c + ch;
          if (is_max) {
            r.y[out] = clamp(best, p.output_min, p.output_max);
            r.index[out] = static_cast<uint32_t>(best_index);
          } else {
            const size_t taps = (size_t)p.pooling_height * p.pooling_width;
            const size_t count = include_pad ? taps : valid;
            r.y[out] = clamp(sum / (double)count, p.output_min, p.output_max);
            // The kernel sums all taps (padded ones as exact zeros).
            r.tolerance[out] = average_tolerance(taps, max_abs);
          }
        }
      }
    }
  }
  return r;
}

// Global average pooling of x = [n][w][c] into [n][c].
inline PoolResult global_average_pooling(const float* x, size_t n, size_t w, size_t c,
                                         float output_min, float output_max) {
  PoolResult r;
  r.y.assign(n * c, 0.0);
  r.tolerance.assign(n * c, 0.0);
  for (size_t b = 0; b < n; b++) {
    for (size_t ch = 0; ch < c; ch++) {
      double sum = 0.0, max_abs = 0.0;
      for (size_t i = 0; i < w; i++) {
        const double v = x[(b * w + i) * c + ch];
        sum += v;
        max_abs = std::max(max_abs, std::fabs(v));
      }
      r.y[b * c + ch] = clamp(sum / (double)w, output_min, output_max);
      r.tolerance[b * c + ch] = average_tolerance(w, max_abs);
    }
  }
  return r;
}

}  // namespace pnn_ref
