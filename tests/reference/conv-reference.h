// Double-precision reference for 2-D convolution (NHWC), straight from the formula in portnn.h,
// plus the output-size / padding rules and the tolerance the tests compare with.
#pragma once

#include "reference/clamp.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "portnn.h"

namespace pnn_ref {

// Output size and leading padding of one axis. Returns false when the output would be empty.
// Explicit padding: out = (in + before + after - extent) / stride + 1.
// TensorFlow SAME:  out = ceil(in / stride); total = max((out-1)*stride + extent - in, 0),
//                   before = total / 2 (the extra pixel goes after).
inline bool conv_axis(int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                      int64_t pad_before, int64_t pad_after, bool same, int64_t* out,
                      int64_t* before) {
  const int64_t extent = dilation * (kernel - 1) + 1;
  if (same) {
    *out = (in + stride - 1) / stride;
    const int64_t total = std::max<int64_t>((*out - 1) * stride + extent - in, 0);
    *before = total / 2;
    return true;
  }
  const int64_t padded = in + pad_before + pad_after;
  if (padded < extent) return false;
  *out = (padded - extent) / stride + 1;
  *before = pad_before;
  return true;
}

// Output height and width of `p` for an ih x iw input; false when the output would be empty.
inline bool conv_output_size(const pnn_convolution2d_params& p, size_t ih, size_t iw, size_t* oh,
                             size_t* ow) {
  const bool same = (p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  int64_t h, w, before;
  if (!conv_axis(ih, p.kernel_height, p.stride_height, p.dilation_height, p.padding_top,
                 p.padding_bottom, same, &h, &before) ||
      !conv_axis(iw, p.kernel_width, p.stride_width, p.dilation_width, p.padding_left,
                 p.padding_right, same, &w, &before))
    return false;
  *oh = static_cast<size_t>(h);
  *ow = static_cast<size_t>(w);
  return true;
}

struct ConvOutput {
  size_t oh = 0, ow = 0;
  std::vector<double> value;      // unclamped sum, [batch][oh][ow][groups*GOC]
  std::vector<double> magnitude;  // |bias| + sum |x*w| of the same sum, for the tolerance
};

// The reference result (before the clamp), or an empty output when the shape is invalid.
inline ConvOutput conv2d_nhwc(const pnn_convolution2d_params& p, size_t batch, size_t ih, size_t iw,
                              const float* input, const float* kernel, const float* bias) {
  ConvOutput r;
  const bool same = (p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  int64_t oh, ow, pt, pl;
  if (!conv_axis(ih, p.kernel_height, p.stride_height, p.dilation_height, p.padding_top,
                 p.padding_bottom, same, &oh, &pt) ||
      !conv_axis(iw, p.kernel_width, p.stride_width, p.dilation_width, p.padding_left,
                 p.padding_right, same, &ow, &pl))
    return r;
  const size_t g_n = p.groups, gic = p.group_input_channels, goc = p.group_output_channels;
  const size_t cin = g_n * gic, cout = g_n * goc, kh = p.kernel_height, kw = p.kernel_width;
  r.oh = oh;
  r.ow = ow;
  r.value.assign(batch * oh * ow * cout, 0.0);
  r.magnitude.assign(r.value.size(), 0.0);
  for (size_t n = 0; n < batch; n++) {
    for (int64_t oy = 0; oy < oh; oy++) {
      for (int64_t ox = 0; ox < ow; ox++) {
        for (size_t g = 0; g < g_n; g++) {
          for (size_t oc = 0; oc < goc; oc++) {
            const size_t o = g * goc + oc;
            double acc = bias != nullptr ? bias[o] : 0.0;
            double mag = std::fabs(acc);
            for (size_t ky = 0; ky < kh; ky++) {
              const int64_t iy = oy * p.stride_height + ky * p.dilation_height - pt;
              if (iy < 0 || iy >= static_cast<int64_t>(ih)) continue;
              for (size_t kx = 0; kx < kw; kx++) {
                const int64_t ix = ox * p.stride_width + kx * p.dilation_width - pl;
                if (ix < 0 || ix >= static_cast<int64_t>(iw)) continue;
                const float* x = input + ((n * ih + iy) * iw + ix) * cin + g * gic;
                const float* w = kernel + ((o * kh + ky) * kw + kx) * gic;
                for (size_t ic = 0; ic < gic; ic++) {
                  const double t = static_cast<double>(x[ic]) * w[ic];
                  acc += t;
                  mag += std::fabs(t);
                }
              }
            }
            const size_t idx = ((n * oh + oy) * ow + ox) * cout + o;
            r.value[idx] = acc;
            r.magnitude[idx] = mag;
          }
        }
      }
    }
  }
  return r;
}

// Tolerance of one float32 output against the double reference.
//
// The kernels compute each output as a float32 recursive sum: the bias, then the K = kh*kw*GIC
// products added one by one (every product and every addition rounded once). The classic bound
// for that computation is |y - exact| <= gamma(K+1) * (|bias| + sum |x*w|), with
// gamma(n) = n*u / (1 - n*u) and u = 2^-24. For K + 1 <= kMaxConvReduction = 160,
// gamma(160) = 9.54e-6 < 1e-5, so 1e-5 * magnitude is a proven bound, not a fitted one; the tests
// keep their reduction lengths within it (and assert so). Fused multiply-adds only remove
// roundings. The clamp is 1-Lipschitz, so the bound survives it. The absolute 1e-6 covers
// results whose terms fall into the subnormal range, where the relative bound does not hold.
constexpr size_t kMaxConvReduction = 160;
inline double conv_tolerance(double magnitude) { return 1e-5 * magnitude + 1e-6; }

// Magnitudes for the same tolerance when the operator runs Winograd F(2x2, 3x3) (3x3, stride 1,
// dilation 1, one group; src/winograd.h). It computes an output as
//   y = bias + sum over the 16 points e of a_e * sum_ic V[e][ic] * U[e][ic]
// with V = B^T d B (each a signed sum of 4 inputs: two float additions deep), U = G g G^T
// (computed in double, rounded once) and a_e in {0, 1, -1} (A^T m A: four float additions deep,
// then the bias). Every rounding error is bounded by u times the magnitude of what it rounds, and
// every intermediate is bounded by the same sum with absolute values throughout, so with
//   W[e][ic] = sum |B^T| |d| |B|  (the inputs of V),  Ug[e][ic] = sum |G| |g| |G^T|,
//   magnitude = |bias| + sum_e |a_e| sum_ic W[e][ic] * Ug[e][ic]
// the classic argument gives |y - exact| <= gamma(GIC + 8) * magnitude: GIC roundings of the
// channel sum, 2 of V, 1 of U, 5 of the output transform and bias (a product's rounding is
// counted in its sum's, as for direct convolution). So conv_tolerance(magnitude) is a proven
// bound while GIC + 8 < kMaxConvReduction. The magnitude exceeds direct convolution's
// sum |x*w| (the transforms' cross terms cancel in the result but not in the rounding errors):
// the algorithm is less accurate, and the bound says by how much.
inline std::vector<double> winograd_magnitude(const pnn_convolution2d_params& p, size_t batch,
                                              size_t ih, size_t iw, const float* input,
                                              const float* kernel, const float* bias) {
  static const double kBT[4][4] = {{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}};
  static const double kG[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
  static const double kAT[2][4] = {{1, 1, 1, 0}, {0, 1, -1, -1}};
  const bool same = (p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  int64_t oh, ow, pt, pl;
  std::vector<double> mag;
  if (!conv_axis(ih, 3, 1, 1, p.padding_top, p.padding_bottom, same, &oh, &pt) ||
      !conv_axis(iw, 3, 1, 1, p.padding_left, p.padding_right, same, &ow, &pl))
    return mag;
  const size_t gic = p.group_input_channels, goc = p.group_output_channels;
  // Ug[e][oc][ic]
  std::vector<double> ug(16 * goc * gic, 0.0);
  for (size_t r = 0; r < 4; r++)
    for (size_t s = 0; s < 4; s++)
      for (size_t oc = 0; oc < goc; oc++)
        for (size_t ic = 0; ic < gic; ic++) {
          double sum = 0.0;
          for (size_t y = 0; y < 3; y++)
            for (size_t x = 0; x < 3; x++)
              sum += std::fabs(kG[r][y]) * std::fabs(kG[s][x]) *
                     std::fabs(kernel[((oc * 3 + y) * 3 + x) * gic + ic]);
          ug[((r * 4 + s) * goc + oc) * gic + ic] = sum;
        }
  mag.assign(batch * oh * ow * goc, 0.0);
  std::vector<double> w(16 * gic);
  for (size_t n = 0; n < batch; n++) {
    for (int64_t oy = 0; oy < oh; oy++) {
      for (int64_t ox = 0; ox < ow; ox++) {
        // W of the tile holding (oy, ox): its 4x4 patch starts at (oy & ~1, ox & ~1) - padding.
        const int64_t y0 = (oy & ~int64_t{1}) - pt, x0 = (ox & ~int64_t{1}) - pl;
        std::fill(w.begin(), w.end(), 0.0);
        for (size_t r = 0; r < 4; r++)
          for (size_t s = 0; s < 4; s++)
            for (int64_t py = 0; py < 4; py++)
              for (int64_t px = 0; px < 4; px++) {
                const double coef = std::fabs(kBT[r][py]) * std::fabs(kBT[s][px]);
                const int64_t iy = y0 + py, ix = x0 + px;
                if (coef == 0.0 || iy < 0 || iy >= static_cast<int64_t>(ih) || ix < 0 ||
                    ix >= static_cast<int64_t>(iw))
                  continue;
                const float* d = input + ((n * ih + iy) * iw + ix) * gic;
                for (size_t ic = 0; ic < gic; ic++)
                  w[(r * 4 + s) * gic + ic] += coef * std::fabs(d[ic]);
              }
        const size_t i = oy & 1, j = ox & 1;
        for (size_t oc = 0; oc < goc; oc++) {
          double m = bias != nullptr ? std::fabs(bias[oc]) : 0.0;
          for (size_t r = 0; r < 4; r++)
            for (size_t s = 0; s < 4; s++) {
              if (kAT[i][r] == 0.0 || kAT[j][s] == 0.0) continue;
              const double* ugp = &ug[((r * 4 + s) * goc + oc) * gic];
              const double* wp = &w[(r * 4 + s) * gic];
              for (size_t ic = 0; ic < gic; ic++) m += wp[ic] * ugp[ic];
            }
          mag[((n * oh + oy) * ow + ox) * goc + oc] = m;
        }
      }
    }
  }
  return mag;
}

}  // namespace pnn_ref
