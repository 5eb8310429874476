// Fuzz target: the output-shape arithmetic of pooling and convolution, and what the windows
// compute.
//
// Kernel, stride, dilation and padding take any uint32_t value, input sizes any size_t value
// (biased towards the edges of 32- and 64-bit sizes), with explicit, SAME or SAME_LOWER padding
// and, for pooling, ceil mode. fuzz::model_axis predicts every reshape from the header's
// formulas: a reshape they reject must fail with the out-parameters untouched; one they accept
// must report exactly the predicted size whenever its workspace is small, however large the
// input (reshape does not touch it). Small accepted cases are run on buffers of exactly the
// predicted sizes and compared with a direct evaluation of every window: exactly for max
// pooling (padding never wins), within a summation-error bound for average pooling (divisor:
// the taps in the input, or with count_include_pad the taps in the input and its padding) and
// convolution (depthwise, and grouped with 2 input and 3 output channels per group).
#include <algorithm>
#include <cmath>
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {

constexpr u128 kMaxElements = u128{1} << 12;  // buffers the target allocates to run
constexpr u128 kMaxWork = u128{1} << 16;      // taps per run

enum class Op { kMax, kAverage, kConvDepthwise, kConvGrouped };

// Output pixel (oy, ox): calls tap(iy, ix, ky, kx) for every tap inside the input; returns the
// number of taps inside the padded input (for count_include_pad).
template <typename Tap>
size_t ForWindow(const Axis& ah, const Axis& aw, const AxisModel& my, const AxisModel& mx,
                 size_t h, size_t w, size_t oy, size_t ox, Tap tap) {
  size_t padded = 0;
  for (size_t ky = 0; ky < ah.kernel; ky++) {
    const u128 ry = u128{oy} * ah.stride + u128{ky} * ah.dilation;
    if (ry >= my.pad_before + h + my.pad_after) continue;
    for (size_t kx = 0; kx < aw.kernel; kx++) {
      const u128 rx = u128{ox} * aw.stride + u128{kx} * aw.dilation;
      if (rx >= mx.pad_before + w + mx.pad_after) continue;
      padded++;
      if (ry < my.pad_before || ry - my.pad_before >= h) continue;
      if (rx < mx.pad_before || rx - mx.pad_before >= w) continue;
      tap(static_cast<size_t>(ry - my.pad_before), static_cast<size_t>(rx - mx.pad_before), ky,
          kx);
    }
  }
  return padded;
}

}  // namespace

int FuzzOutputShape(const uint8_t* data, size_t size) {
  Reader r(data, size);
  const Op op = static_cast<Op>(r.u8() % 4);
  const bool conv = op == Op::kConvDepthwise || op == Op::kConvGrouped;
  Axis ah{}, aw{};
  // Convolution kernels stay small (the weights are copied at create); pooling windows do not.
  ah.kernel = conv ? 1 + r.u8() % 6 : r.u32param();
  aw.kernel = conv ? 1 + r.u8() % 6 : r.u32param();
  ah.stride = r.u32param();
  aw.stride = r.u32param();
  const bool dilate = op != Op::kAverage && r.u8() >= 96;
  ah.dilation = dilate ? r.u32param() : 1;
  aw.dilation = dilate ? r.u32param() : 1;
  const uint8_t mode = r.u8();
  uint32_t flags = mode >= 232 ? PNN_FLAG_SAME_LOWER_PADDING
                   : mode >= 200 ? PNN_FLAG_TENSORFLOW_SAME_PADDING
                   : !conv && mode >= 150 ? PNN_FLAG_CEIL_MODE
                                          : 0;
  if ((flags & kSamePadding) == 0) {
    ah.pad_before = r.u32param();
    aw.pad_after = r.u32param();
    ah.pad_after = r.u32param();
    aw.pad_before = r.u32param();
  }
  if (op == Op::kAverage && r.flag()) flags |= PNN_FLAG_COUNT_INCLUDE_PAD;
  const size_t channels = 1 + r.u8() % 5;
  const size_t gic = op == Op::kConvGrouped ? 2 : 1, goc = op == Op::kConvGrouped ? 3 : 1;
  const size_t cin = channels * gic, cout = channels * goc;

  const u128 eh = ah.dilation * (ah.kernel - 1) + 1, ew = aw.dilation * (aw.kernel - 1) + 1;
  const u128 taps = ah.kernel * aw.kernel;
  const bool zero = ah.kernel == 0 || aw.kernel == 0 || ah.stride == 0 || aw.stride == 0 ||
                    ah.dilation == 0 || aw.dilation == 0;
  // Pooling: padding must stay inside the window's extent.
  const bool forbidden = zero || (!conv && (ah.pad_before >= eh || ah.pad_after >= eh ||
                                            aw.pad_before >= ew || aw.pad_after >= ew));
  std::vector<float> kernel, bias;
  pnn_operator_t o = Poison();
  pnn_status st;
  const char* create;
  if (conv) {
    pnn_convolution2d_params p{};
    SetAxes(&p, ah, aw, flags);
    p.kernel_height = static_cast<uint32_t>(ah.kernel);
    p.kernel_width = static_cast<uint32_t>(aw.kernel);
    p.groups = static_cast<uint32_t>(channels);
    p.group_input_channels = gic;
    p.group_output_channels = goc;
    kernel = values(static_cast<size_t>(cout * taps * gic), 3);
    bias = values(cout, 4);
    create = "pnn_create_convolution2d_nhwc_f32";
    st = pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), bias.data(), &o);
  } else {
    pnn_pooling2d_params p{};
    SetAxes(&p, ah, aw, flags);
    p.pooling_height = static_cast<uint32_t>(ah.kernel);
    p.pooling_width = static_cast<uint32_t>(aw.kernel);
    p.channels = channels;
    create = op == Op::kMax ? "pnn_create_max_pooling2d_nhwc_f32"
                            : "pnn_create_average_pooling2d_nhwc_f32";
    st = op == Op::kMax ? pnn_create_max_pooling2d_nhwc_f32(&p, &o)
                        : pnn_create_average_pooling2d_nhwc_f32(&p, &o);
  }
  ExpectCreate(st, o, !forbidden, pnn_status_invalid_parameter, create);
  if (st != pnn_status_success) return 0;

  const WindowReshape reshape = op == Op::kMax       ? pnn_reshape_max_pooling2d_nhwc_f32
                                : op == Op::kAverage ? pnn_reshape_average_pooling2d_nhwc_f32
                                                     : pnn_reshape_convolution2d_nhwc_f32;
  const char* reshape_name = op == Op::kMax ? "pnn_reshape_max_pooling2d_nhwc_f32"
                             : op == Op::kAverage ? "pnn_reshape_average_pooling2d_nhwc_f32"
                                                  : "pnn_reshape_convolution2d_nhwc_f32";
  const int rounds = 1 + r.u8() % 4;
  std::vector<float> x, y;  // the last run's buffers (bound until the next successful reshape)
  for (int round = 0; round < rounds && !r.empty(); round++) {
    const size_t n = r.u8() < 200 ? 1 : r.dim();
    const size_t h = r.dim(), w = r.dim();
    const AxisModel my = model_axis(h, ah, flags, !conv);
    const AxisModel mx = model_axis(w, aw, flags, !conv);
    if (!my.known || !mx.known) continue;
    const u128 in = prod({n, h, w, cin});
    const u128 out = prod({n, my.out, mx.out, cout});
    const bool reject =
        n == 0 || h == 0 || w == 0 || !my.valid || !mx.valid || !fits_bytes(in) || !fits_bytes(out);
    // The indirection a reshape builds: about one pointer per output pixel and tap.
    if (!reject && WorkspaceTooLarge(mul(mul(my.out, mx.out) + 8, taps) +
                                     prod({aw.kernel, ah.kernel, my.out})))
      continue;

    size_t oh = 0xABCD, ow = 0xABCD;
    const pnn_status rs = reshape(o, n, h, w, &oh, &ow, nullptr);
    if (reject) {
      ExpectFailure(rs, pnn_status_invalid_parameter, reshape_name);
      FUZZ_CHECK(oh == 0xABCD && ow == 0xABCD, "a rejected reshape wrote the output size");
      continue;
    }
    ExpectSuccess(rs, reshape_name);
    FUZZ_CHECK(oh == my.out && ow == mx.out, "%zux%zu: reported %zux%zu, the header gives %zux%zu",
               h, w, oh, ow, static_cast<size_t>(my.out), static_cast<size_t>(mx.out));
    if (in > kMaxElements || out > kMaxElements || mul(out, taps) > kMaxWork) continue;

    x = values(static_cast<size_t>(in), r.u8());
    y.assign(static_cast<size_t>(out), NAN);
    const pnn_status ss = op == Op::kMax ? pnn_setup_max_pooling2d_nhwc_f32(o, x.data(), y.data())
                          : op == Op::kAverage
                              ? pnn_setup_average_pooling2d_nhwc_f32(o, x.data(), y.data())
                              : pnn_setup_convolution2d_nhwc_f32(o, x.data(), y.data());
    ExpectSuccess(ss, "setup");
    ExpectSuccess(pnn_run_operator(o, nullptr), "pnn_run_operator");

    for (size_t b = 0; b < n; b++)
      for (size_t oy = 0; oy < oh; oy++)
        for (size_t ox = 0; ox < ow; ox++)
          for (size_t c = 0; c < cout; c++) {
            const float got = y[((b * oh + oy) * ow + ox) * cout + c];
            const float* img = x.data() + b * h * w * cin;
            double sum = 0, mag = 0;
            float max = -INFINITY;
            size_t inside = 0;
            const size_t grp = c / goc;
            const size_t padded = ForWindow(
                ah, aw, my, mx, h, w, oy, ox, [&](size_t iy, size_t ix, size_t ky, size_t kx) {
                  inside++;
                  for (size_t i = 0; i < (conv ? gic : 1); i++) {
                    const float v = img[(iy * w + ix) * cin + (conv ? grp * gic + i : c)];
                    const double t =
                        conv ? double(v) * kernel[((c * ah.kernel + ky) * aw.kernel + kx) * gic + i]
                             : v;
                    max = std::max(max, v);
                    sum += t;
                    mag += std::fabs(t);
                  }
                });
            if (op == Op::kMax) {
              FUZZ_CHECK(inside > 0, "a window without input was accepted");
              FUZZ_CHECK(got == max, "max (%zu,%zu,%zu): %g, expected %g", oy, ox, c, got, max);
            } else if (op == Op::kAverage) {
              FUZZ_CHECK(inside > 0, "a window without input was accepted");
              const double count = static_cast<double>(
                  (flags & PNN_FLAG_COUNT_INCLUDE_PAD) != 0 ? padded : inside);
              const double want = sum / count;
              // Float summation of `taps` terms: at most that many roundings of the running sum.
              const double tol = (static_cast<double>(taps) + 2) * 1.2e-7 * mag / count + 1e-30;
              FUZZ_CHECK(std::fabs(got - want) <= tol,
                         "average (%zu,%zu,%zu): %.9g, expected %.9g (%zu of %zu taps)", oy, ox,
                         c, got, want, inside, padded);
            } else {
              sum += bias[c];
              mag += std::fabs(bias[c]);
              const double tol = (static_cast<double>(taps * gic) + 2) * 1.2e-7 * mag + 1e-30;
              FUZZ_CHECK(std::fabs(got - sum) <= tol, "conv (%zu,%zu,%zu): %.9g, expected %.9g",
                         oy, ox, c, got, sum);
            }
          }
  }
  pnn_delete_operator(o);
  return 0;
}

}  // namespace fuzz
