// Double-precision reference for 2-D deconvolution (NHWC), straight from the scatter formula in
// portnn.h (each input pixel adds kernel-weighted patches into the output), so it shares no
// logic with the operator's gather (indirection) form.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "portnn.h"
#include "reference/conv-reference.h"

namespace pnn_ref {

// Output size of one transposed axis; false when it would be empty.
inline bool deconv_axis(int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                        int64_t adjustment, int64_t pad_before, int64_t pad_after, int64_t* out) {
  *out = stride * (in - 1) + adjustment + dilation * (kernel - 1) + 1 - pad_before - pad_after;
  return *out >= 1;
}

// The reference result before the clamp (ConvOutput: value and magnitude per output), or an
// empty output when the shape is invalid.
inline ConvOutput deconv2d_nhwc(const pnn_deconvolution2d_params& p, size_t batch, size_t ih,
                                size_t iw, const float* input, const float* kernel,
                                const float* bias) {
  ConvOutput r;
  int64_t oh, ow;
  if (!deconv_axis(ih, p.kernel_height, p.stride_height, p.dilation_height, p.adjustment_height,
                   p.padding_top, p.padding_bottom, &oh) ||
      !deconv_axis(iw, p.kernel_width, p.stride_width, p.dilation_width, p.adjustment_width,
                   p.padding_left, p.padding_right, &ow))
    return r;
  const size_t groups = p.groups, gic = p.group_input_channels, goc = p.group_output_channels;
  const size_t cin = groups * gic, cout = groups * goc, kh = p.kernel_height, kw = p.kernel_width;
  r.oh = oh;
  r.ow = ow;
  // Every output starts at its bias; the scatter below adds the products.
  r.value.resize(batch * oh * ow * cout);
  for (size_t i = 0; i < r.value.size(); i++) r.value[i] = bias != nullptr ? bias[i % cout] : 0.0;
  r.magnitude = r.value;
  for (double& m : r.magnitude) m = std::fabs(m);
  for (size_t n = 0; n < batch; n++) {
    for (size_t iy = 0; iy < ih; iy++) {
      for (size_t ix = 0; ix < iw; ix++) {
        for (size_t ky = 0; ky < kh; ky++) {
          const int64_t y = int64_t(iy * p.stride_height + ky * p.dilation_height) - p.padding_top;
          if (y < 0 || y >= oh) continue;
          for (size_t kx = 0; kx < kw; kx++) {
            const int64_t x = int64_t(ix * p.stride_width + kx * p.dilation_width) - p.padding_left;
            if (x < 0 || x >= ow) continue;
            for (size_t g = 0; g < groups; g++) {
              const float* in = input + ((n * ih + iy) * iw + ix) * cin + g * gic;
              for (size_t oc = 0; oc < goc; oc++) {
                const size_t o = g * goc + oc;
                const float* w = kernel + ((o * kh + ky) * kw + kx) * gic;
                const size_t i = ((n * oh + y) * ow + x) * cout + o;
                for (size_t ic = 0; ic < gic; ic++) {
                  const double t = double(in[ic]) * w[ic];
                  r.value[i] += t;
                  r.magnitude[i] += std::fabs(t);
                }
              }
            }
          }
        }
      }
    }
  }
  return r;
}

}  // namespace pnn_ref
