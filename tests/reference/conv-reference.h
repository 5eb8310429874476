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


}  // namespace pnn_ref
