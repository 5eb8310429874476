// libFuzzer target: the output-shape arithmetic of pooling and convolution.
//
// Kernel, stride, dilation and padding take any uint32_t value, input sizes any size_t value
// (biased towards the edges of 32- and 64-bit sizes), with explicit or SAME padding. The
// header's formulas, evaluated in 128-bit arithmetic, predict every reshape:
//   out = (in + pad_before + pad_after - dilation * (kernel - 1) - 1) / stride + 1  (>= 1)
//   SAME: out = ceil(in / stride), padding as TensorFlow computes it
// plus, for pooling, "every window overlaps the input". A reshape the formulas reject must give
// invalid_parameter with the out-parameters untouched; one they accept must succeed and report
// exactly the predicted size whenever its workspace is small, however large the input (the
// reshape does not touch it). Small accepted cases are then run on buffers of exactly the
// predicted sizes and compared with a direct evaluation: exactly for max pooling (where padding
// never wins), within a summation-error bound for average pooling and convolution.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "fuzz-common.h"

namespace {

using namespace fuzz;

constexpr u128 kMaxWorkspace = u128{1} << 20;  // indirection entries a reshape may build
constexpr u128 kMaxElements = u128{1} << 15;   // buffers the target allocates to run
constexpr u128 kMaxWork = u128{1} << 20;       // taps per run

enum class Kind { kMax, kAverage, kConvDepthwise, kConvIgemm };

struct Geometry {
  uint32_t kh, kw, sh, sw, dh, dw, pt, pr, pb, pl;
  bool same;
};

// Direct evaluation of one output element's window over the input; calls tap(x) for every
// in-range tap, returns the number of taps in range.
template <typename Tap>
size_t ForWindow(const Geometry& g, const AxisModel& ay, const AxisModel& ax, size_t h, size_t w,
                 size_t oy, size_t ox, Tap tap) {
  size_t valid = 0;
  for (size_t ky = 0; ky < g.kh; ky++) {
    const u128 ry = u128{oy} * g.sh + u128{ky} * g.dh;
    if (ry < ay.pad_before || ry - ay.pad_before >= h) continue;
    for (size_t kx = 0; kx < g.kw; kx++) {
      const u128 rx = u128{ox} * g.sw + u128{kx} * g.dw;
      if (rx < ax.pad_before || rx - ax.pad_before >= w) continue;
      tap(static_cast<size_t>(ry - ay.pad_before), static_cast<size_t>(rx - ax.pad_before), ky, kx);
      valid++;
    }
  }
  return valid;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (pnn_initialize() != pnn_status_success) std::abort();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader r(data, size);
  const Kind kind = static_cast<Kind>(r.u8() % 4);
  const bool conv = kind == Kind::kConvDepthwise || kind == Kind::kConvIgemm;
  Geometry g{};
  // Convolution kernels stay small (the weights are copied at create); pooling windows do not.
  g.kh = conv ? 1 + r.u8() % 6 : r.u32param();
  g.kw = conv ? 1 + r.u8() % 6 : r.u32param();
  g.sh = r.u32param();
  g.sw = r.u32param();
  const bool dilate = kind != Kind::kAverage && r.u8() >= 96;
  g.dh = dilate ? r.u32param() : 1;
  g.dw = dilate ? r.u32param() : 1;
  g.same = r.u8() >= 200;
  if (!g.same) {
    g.pt = r.u32param();
    g.pr = r.u32param();
    g.pb = r.u32param();
    g.pl = r.u32param();
  }
  const size_t channels = 1 + r.u8() % 5;
  const size_t gic = kind == Kind::kConvIgemm ? 2 : 1, goc = kind == Kind::kConvIgemm ? 3 : 1;
  const size_t cin = conv ? channels * gic : channels, cout = conv ? channels * goc : channels;
  const bool include_pad = kind == Kind::kAverage && r.flag();

  const u128 eh = u128{g.dh} * (u128{g.kh} - 1) + 1, ew = u128{g.dw} * (u128{g.kw} - 1) + 1;
  const u128 ks = u128{g.kh} * g.kw;
  const bool zero = g.kh == 0 || g.kw == 0 || g.sh == 0 || g.sw == 0 || g.dh == 0 || g.dw == 0;
  std::vector<float> kernel, bias;
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(uintptr_t{0x10});
  pnn_status st;
  bool forbidden;
  if (conv) {
    forbidden = zero;
    pnn_convolution2d_params p{};
    p.kernel_height = g.kh;
    p.kernel_width = g.kw;
    p.stride_height = g.sh;
    p.stride_width = g.sw;
    p.dilation_height = g.dh;
    p.dilation_width = g.dw;
    p.padding_top = g.pt;
    p.padding_right = g.pr;
    p.padding_bottom = g.pb;
    p.padding_left = g.pl;
    p.groups = static_cast<uint32_t>(channels);
    p.group_input_channels = gic;
    p.group_output_channels = goc;
    p.output_min = -INFINITY;
    p.output_max = INFINITY;
    p.flags = g.same ? PNN_FLAG_TENSORFLOW_SAME_PADDING : 0;
    kernel = values(static_cast<size_t>(cout * ks * gic), 3);
    bias = values(cout, 4);
    st = pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), bias.data(), &op);
  } else {
    // Pooling: padding must stay inside the window's extent.
    forbidden = zero || ks > kSizeMax || g.pt >= eh || g.pb >= eh || g.pl >= ew || g.pr >= ew;
    pnn_pooling2d_params p{};
    p.pooling_height = g.kh;
    p.pooling_width = g.kw;
    p.stride_height = g.sh;
    p.stride_width = g.sw;
    p.dilation_height = g.dh;
    p.dilation_width = g.dw;
    p.padding_top = g.pt;
    p.padding_right = g.pr;
    p.padding_bottom = g.pb;
    p.padding_left = g.pl;
    p.channels = channels;
    p.output_min = -INFINITY;
    p.output_max = INFINITY;
    p.flags = (g.same ? PNN_FLAG_TENSORFLOW_SAME_PADDING : 0) |
              (include_pad ? PNN_FLAG_COUNT_INCLUDE_PAD : 0);
    st = kind == Kind::kMax ? pnn_create_max_pooling2d_nhwc_f32(&p, &op)
                            : pnn_create_average_pooling2d_nhwc_f32(&p, &op);
  }
  (forbidden ? stats().creates_rejected : stats().creates_ok)++;
  if (forbidden) {
    FUZZ_CHECK(st == pnn_status_invalid_parameter, "forbidden geometry gave %s",
               pnn_status_string(st));
    FUZZ_CHECK(op == nullptr, "failed create did not clear *op_out");
    return 0;
  }
  FUZZ_CHECK(st == pnn_status_success, "valid geometry gave %s", pnn_status_string(st));

  const int rounds = 1 + r.u8() % 4;
  std::vector<float> x, y;  // the last run's buffers (bound until the next successful reshape)
  for (int round = 0; round < rounds && !r.empty(); round++) {
    const size_t n = r.u8() < 200 ? 1 : r.dim();
    const size_t h = r.dim(), w = r.dim();
    const AxisModel ay = model_axis(h, g.kh, g.sh, g.dh, g.pt, g.pb, g.same, !conv);
    const AxisModel ax = model_axis(w, g.kw, g.sw, g.dw, g.pl, g.pr, g.same, !conv);
    if (!ay.known || !ax.known) {
      stats().skipped++;
      continue;
    }
    const u128 in = prod({n, h, w, cin});
    const u128 out = prod({n, ay.out, ax.out, cout});
    const bool reject =
        n == 0 || h == 0 || w == 0 || !ay.valid || !ax.valid || !fits_bytes(in) || !fits_bytes(out);
    // The indirection a reshape builds: about one pointer per output pixel and tap.
    const u128 workspace = mul(mul(ay.out, ax.out) + 8, ks) + prod({g.kw, g.kh, ay.out});
    if (!reject && workspace > kMaxWorkspace) {
      stats().skipped++;
      continue;
    }

    size_t oh = 0xABCDu, ow = 0xABCDu;
    pnn_status rs;
    switch (kind) {
      case Kind::kMax:
        rs = pnn_reshape_max_pooling2d_nhwc_f32(op, n, h, w, &oh, &ow, nullptr);
        break;
      case Kind::kAverage:
        rs = pnn_reshape_average_pooling2d_nhwc_f32(op, n, h, w, &oh, &ow, nullptr);
        break;
      default:
        rs = pnn_reshape_convolution2d_nhwc_f32(op, n, h, w, &oh, &ow, nullptr);
        break;
    }
    if (reject) {
      FUZZ_CHECK(rs == pnn_status_invalid_parameter,
                 "%zux%zux%zu: the header rejects it, reshape gave %s", n, h, w,
                 pnn_status_string(rs));
      FUZZ_CHECK(oh == 0xABCDu && ow == 0xABCDu, "a rejected reshape wrote the output size");
      stats().reshapes_rejected++;
      continue;
    }
    FUZZ_CHECK(rs == pnn_status_success, "%zux%zux%zu (out %zux%zu): valid, reshape gave %s", n, h,
               w, static_cast<size_t>(ay.out), static_cast<size_t>(ax.out), pnn_status_string(rs));
    FUZZ_CHECK(oh == ay.out && ow == ax.out, "%zux%zu: reported %zux%zu, the header gives %zux%zu",
               h, w, oh, ow, static_cast<size_t>(ay.out), static_cast<size_t>(ax.out));
    stats().reshapes_accepted++;
    if (in > kMaxElements || out > kMaxElements || mul(out, ks) > kMaxWork) continue;
    stats().reshapes_run++;

    x = values(static_cast<size_t>(in), r.u8());
    y.assign(static_cast<size_t>(out), sentinel());
    switch (kind) {
      case Kind::kMax:
        rs = pnn_setup_max_pooling2d_nhwc_f32(op, x.data(), y.data());
        break;
      case Kind::kAverage:
        rs = pnn_setup_average_pooling2d_nhwc_f32(op, x.data(), y.data());
        break;
      default:
        rs = pnn_setup_convolution2d_nhwc_f32(op, x.data(), y.data());
        break;
    }
    FUZZ_CHECK(rs == pnn_status_success, "setup gave %s", pnn_status_string(rs));
    FUZZ_CHECK(pnn_run_operator(op, nullptr) == pnn_status_success, "run");

    for (size_t b = 0; b < n; b++)
      for (size_t oy = 0; oy < oh; oy++)
        for (size_t ox = 0; ox < ow; ox++)
          for (size_t c = 0; c < cout; c++) {
            const float got = y[((b * oh + oy) * ow + ox) * cout + c];
            FUZZ_CHECK(!is_sentinel(got), "output (%zu,%zu,%zu,%zu) not written", b, oy, ox, c);
            const float* img = x.data() + b * h * w * cin;
            if (kind == Kind::kMax) {
              float m = -INFINITY;
              const size_t valid =
                  ForWindow(g, ay, ax, h, w, oy, ox, [&](size_t iy, size_t ix, size_t, size_t) {
                    m = std::max(m, img[(iy * w + ix) * cin + c]);
                  });
              FUZZ_CHECK(valid > 0, "a window without input was accepted");
              FUZZ_CHECK(got == m, "max (%zu,%zu,%zu): %g, expected %g", oy, ox, c, got, m);
            } else if (kind == Kind::kAverage) {
              double sum = 0, mag = 0;
              const size_t valid =
                  ForWindow(g, ay, ax, h, w, oy, ox, [&](size_t iy, size_t ix, size_t, size_t) {
                    const float v = img[(iy * w + ix) * cin + c];
                    sum += v;
                    mag += std::fabs(v);
                  });
              FUZZ_CHECK(valid > 0, "a window without input was accepted");
              const double count =
                  include_pad ? static_cast<double>(ks) : static_cast<double>(valid);
              const double want = sum / count;
              // float summation of ks terms: at most ks rounding errors of the running sum.
              const double tol = (static_cast<double>(ks) + 2) * 1.2e-7 * mag / count + 1e-30;
              FUZZ_CHECK(std::fabs(got - want) <= tol, "average (%zu,%zu,%zu): %.9g, expected %.9g",
                         oy, ox, c, got, want);
            } else {
              const size_t grp = c / goc;
              double sum = bias[c], mag = std::fabs(bias[c]);
              ForWindow(g, ay, ax, h, w, oy, ox, [&](size_t iy, size_t ix, size_t ky, size_t kx) {
                for (size_t i = 0; i < gic; i++) {
                  const double t = double(img[(iy * w + ix) * cin + grp * gic + i]) *
                                   kernel[((c * g.kh + ky) * g.kw + kx) * gic + i];
                  sum += t;
                  mag += std::fabs(t);
                }
              });
              const double tol = (static_cast<double>(ks * gic) + 2) * 1.2e-7 * mag + 1e-30;
              FUZZ_CHECK(std::fabs(got - sum) <= tol, "conv (%zu,%zu,%zu): %.9g, expected %.9g", oy,
                         ox, c, got, sum);
            }
          }
  }
  pnn_delete_operator(op);
  return 0;
}
