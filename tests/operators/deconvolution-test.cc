// 2-D deconvolution operator: both paths (upsampling GEMM per tap, indirect GEMM) against the
// double scatter reference (tests/reference/deconv-reference.h) over randomized shapes, thread
// count independence, create-once/reshape-many, and every error status with untouched outputs.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "configs/configs.h"
#include "reference/deconv-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

// A deconvolution's parameters in one call, read like the header's formula: kernel, stride,
// dilation and adjustment {h, w}, paddings {top, right, bottom, left}, channels {groups, GIC,
// GOC}; no clamp unless `Clamped`.
struct Deconv {
  pnn_deconvolution2d_params p{};
  using HW = std::array<uint32_t, 2>;
  Deconv(HW kernel = {1, 1}, HW stride = {1, 1}, std::array<uint32_t, 4> pad = {},
         std::array<size_t, 3> channels = {1, 1, 1}, HW dilation = {1, 1}, HW adjustment = {}) {
    std::tie(p.kernel_height, p.kernel_width) = std::tie(kernel[0], kernel[1]);
    std::tie(p.stride_height, p.stride_width) = std::tie(stride[0], stride[1]);
    std::tie(p.dilation_height, p.dilation_width) = std::tie(dilation[0], dilation[1]);
    std::tie(p.adjustment_height, p.adjustment_width) = std::tie(adjustment[0], adjustment[1]);
    std::tie(p.padding_top, p.padding_right, p.padding_bottom, p.padding_left) =
        std::tie(pad[0], pad[1], pad[2], pad[3]);
    p.groups = static_cast<uint32_t>(channels[0]);
    p.group_input_channels = channels[1];
    p.group_output_channels = channels[2];
    p.output_min = -INFINITY;
    p.output_max = INFINITY;
  }
  Deconv Clamped(float lo, float hi) const {
    Deconv d = *this;
    d.p.output_min = lo, d.p.output_max = hi;
    return d;
  }

  size_t cin() const { return p.groups * p.group_input_channels; }
  size_t cout() const { return p.groups * p.group_output_channels; }
  size_t taps() const { return size_t{p.kernel_height} * p.kernel_width; }
  size_t weights() const { return cout() * taps() * p.group_input_channels; }
  // The path rule of the header: stride == kernel, no dilation effect, no padding, no adjustment.
  bool upsampling() const {
    return p.stride_height == p.kernel_height && p.stride_width == p.kernel_width &&
           (p.kernel_height == 1 || p.dilation_height == 1) &&
           (p.kernel_width == 1 || p.dilation_width == 1) &&
           (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left |
            p.adjustment_height | p.adjustment_width) == 0;
  }
  bool fits(size_t ih, size_t iw) const {
    int64_t oh, ow;
    return pnn_ref::deconv_axis(ih, p.kernel_height, p.stride_height, p.dilation_height,
                                p.adjustment_height, p.padding_top, p.padding_bottom, &oh) &&
           pnn_ref::deconv_axis(iw, p.kernel_width, p.stride_width, p.dilation_width,
                                p.adjustment_width, p.padding_left, p.padding_right, &ow);
  }
};

// One operator under test: created from `d` with random weights (bias or none), run on inputs of
// any shape, each output checked against the scatter reference.
class Subject {
 public:
  Subject(const Deconv& d, uint32_t seed, bool with_bias = true)
      : d_(d), kernel_(RandomVector(d.weights(), seed)), bias_(RandomVector(d.cout(), seed + 1)) {
    if (!with_bias) bias_.clear();
    EXPECT_EQ(pnn_create_deconvolution2d_nhwc_f32(&d.p, kernel_.data(), bias(), &op_),
              pnn_status_success);
    const char* expected =
        d.upsampling() ? pnn::get_gemm_config()->gemm_name : pnn::get_gemm_config()->igemm_name;
    EXPECT_STREQ(pnn_operator_kernel_name(op_), expected);
  }
  ~Subject() { pnn_delete_operator(op_); }
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  // Reshape, setup and run on `pool`; the output (guards checked) and its height and width.
  std::vector<float> Run(size_t batch, size_t ih, size_t iw, const std::vector<float>& x,
                         pnn_threadpool_t pool = nullptr) {
    const pnn_status reshaped =
        pnn_reshape_deconvolution2d_nhwc_f32(op_, batch, ih, iw, &oh_, &ow_, pool);
    GuardedBuffer y(reshaped == pnn_status_success ? batch * oh_ * ow_ * d_.cout() : 0);
    for (pnn_status st : {reshaped, pnn_setup_deconvolution2d_nhwc_f32(op_, x.data(), y.data()),
                          pnn_run_operator(op_, pool)}) {
      EXPECT_EQ(st, pnn_status_success);
    }
    EXPECT_TRUE(y.CheckGuards());
    return std::vector<float>(y.data(), y.data() + y.size());
  }

  // Runs a random input of this shape and compares; returns the output.
  std::vector<float> Check(size_t batch, size_t ih, size_t iw, uint32_t seed,
                           pnn_threadpool_t pool = nullptr) {
    const std::vector<float> x = RandomVector(batch * ih * iw * d_.cin(), seed);
    std::vector<float> y = Run(batch, ih, iw, x, pool);
    Compare(batch, ih, iw, x, y);
    return y;
  }

  void Compare(size_t batch, size_t ih, size_t iw, const std::vector<float>& x,
               const std::vector<float>& y) const {
    // The indirect path sums all taps (the zero row adds exact zeros), upsampling one tap: the
    // bound of conv_tolerance holds for that many products plus the bias.
    const size_t terms = (d_.upsampling() ? 1 : d_.taps()) * d_.p.group_input_channels + 1;
    ASSERT_LE(terms, pnn_ref::kMaxConvReduction);
    const pnn_ref::ConvOutput ref =
        pnn_ref::deconv2d_nhwc(d_.p, batch, ih, iw, x.data(), kernel_.data(), bias());
    ASSERT_EQ(oh_, ref.oh);
    ASSERT_EQ(ow_, ref.ow);
    ASSERT_EQ(y.size(), ref.value.size());
    for (size_t i = 0; i < y.size(); i++) {
      const double expect = pnn_ref::clamp(ref.value[i], d_.p.output_min, d_.p.output_max);
      if (!std::isfinite(expect)) {  // NaN where the reference has NaN, the same infinity
        ASSERT_TRUE(std::isnan(expect) ? std::isnan(y[i]) : y[i] == expect) << i << ": " << y[i];
        continue;
      }
      ASSERT_NEAR(y[i], expect, pnn_ref::conv_tolerance(ref.magnitude[i]))
          << "at " << i << " of " << batch << "x" << ih << "x" << iw << " kernel "
          << d_.p.kernel_height << "x" << d_.p.kernel_width << " stride " << d_.p.stride_height
          << "x" << d_.p.stride_width << " channels " << d_.p.groups << "/"
          << d_.p.group_input_channels << "/" << d_.p.group_output_channels;
    }
  }

  pnn_operator_t op() const { return op_; }
  size_t oh() const { return oh_; }
  size_t ow() const { return ow_; }

 private:
  const float* bias() const { return bias_.empty() ? nullptr : bias_.data(); }
  Deconv d_;
  std::vector<float> kernel_, bias_;
  pnn_operator_t op_ = nullptr;
  size_t oh_ = 0, ow_ = 0;
};

// `count` random input shapes (batch 1 or 2, 1..9 pixels a side, grown until the paddings leave
// an output) on one operator.
void CheckRandomShapes(const Deconv& d, uint32_t seed, int count, bool with_bias = true) {
  Subject s(d, seed, with_bias);
  std::mt19937 rng(seed);
  for (int i = 0; i < count && !::testing::Test::HasFatalFailure(); i++) {
    const size_t batch = 1 + rng() % 2;
    size_t ih = 1 + rng() % 9, iw = 1 + rng() % 9;
    while (!d.fits(ih, iw)) ih++, iw++;
    s.Check(batch, ih, iw, seed + 17 * i);
  }
}

size_t Rand(std::mt19937& rng, size_t lo, size_t hi) { return lo + rng() % (hi - lo + 1); }

TEST(Deconvolution, UpsamplingRunsOneGemmPerTap) {
  std::mt19937 rng(1);
  for (int i = 0; i < 6; i++) {
    const uint32_t k = 1 + rng() % 3;
    const Deconv d({k, k}, {k, k}, {}, {1, Rand(rng, 1, 20), Rand(rng, 1, 37)});
    ASSERT_TRUE(d.upsampling());
    CheckRandomShapes(d, 100 + i, 2);
  }
  CheckRandomShapes(Deconv({2, 3}, {2, 3}, {}, {1, 7, 9}), 110, 3);
  // Dilation does not matter for a 1-tap axis.
  CheckRandomShapes(Deconv({1, 2}, {1, 2}, {}, {1, 4, 5}, {3, 1}), 120, 2);
  // U-Net-like: 2x2 stride 2, many channels (several NR blocks and MR tiles).
  Subject(Deconv({2, 2}, {2, 2}, {}, {1, 64, 35}), 130).Check(1, 7, 13, 131);
}

TEST(Deconvolution, StridedWithPaddingAndAdjustment) {
  // The decoder classic: 3x3, stride 2, padding 1, output padding 1 (exactly 2x the input).
  const Deconv classic({3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 5, 6}, {1, 1}, {1, 1});
  CheckRandomShapes(classic, 200, 4);
  Subject s(classic, 201);
  s.Check(1, 5, 7, 202);
  EXPECT_EQ(s.oh(), 10u);
  EXPECT_EQ(s.ow(), 14u);
  CheckRandomShapes(Deconv({4, 4}, {2, 2}, {1, 1, 1, 1}, {1, 3, 8}), 210, 4);
  CheckRandomShapes(Deconv({3, 3}, {1, 1}, {}, {1, 4, 5}), 220, 3);  // stride 1: a full conv
  CheckRandomShapes(Deconv({3, 3}, {1, 1}, {1, 1, 1, 1}, {1, 4, 5}), 230, 3);
  CheckRandomShapes(Deconv({5, 3}, {3, 2}, {2, 0, 1, 1}, {1, 2, 3}, {1, 1}, {2, 1}), 240, 4);
  // Paddings cropping more than a kernel: whole input rows fall outside.
  CheckRandomShapes(Deconv({2, 2}, {2, 2}, {3, 0, 2, 4}, {1, 2, 3}), 250, 4);
}

TEST(Deconvolution, StrideLargerThanKernelLeavesBiasOnlyPixels) {
  CheckRandomShapes(Deconv({2, 2}, {3, 3}, {}, {1, 3, 4}), 300, 4);
  CheckRandomShapes(Deconv({1, 1}, {2, 3}, {}, {1, 3, 4}, {1, 1}, {1, 2}), 310, 4);
  CheckRandomShapes(Deconv({2, 2}, {3, 3}, {}, {1, 3, 4}), 320, 2, /*with_bias=*/false);
}

TEST(Deconvolution, Dilation) {
  CheckRandomShapes(Deconv({3, 3}, {1, 1}, {}, {1, 3, 5}, {2, 2}), 400, 3);
  CheckRandomShapes(Deconv({3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 3, 5}, {2, 2}), 410, 3);
  // An adjustment below the dilation (and not the stride), as ONNX allows.
  CheckRandomShapes(Deconv({2, 3}, {1, 1}, {}, {1, 2, 4}, {3, 2}, {2, 1}), 420, 3);
}

TEST(Deconvolution, Groups) {
  for (size_t g : {2, 3}) {
    CheckRandomShapes(Deconv({2, 2}, {2, 2}, {}, {g, 3, 4}), 500 + g, 2);
    CheckRandomShapes(Deconv({3, 3}, {2, 2}, {1, 1, 1, 1}, {g, 2, 5}), 510 + g, 2);
    CheckRandomShapes(Deconv({4, 4}, {2, 2}, {1, 1, 1, 1}, {4 * g, 1, 1}), 520 + g, 2);
  }
}

TEST(Deconvolution, NoBiasAndClamps) {
  const Deconv up({2, 2}, {2, 2}, {}, {1, 5, 6}), general({3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 5, 6});
  CheckRandomShapes(up, 600, 2, false);
  CheckRandomShapes(general, 610, 2, false);
  for (auto range : {std::pair<float, float>{-0.3f, 0.4f}, {0.0f, INFINITY}, {0.25f, 0.25f}}) {
    CheckRandomShapes(up.Clamped(range.first, range.second), 620, 2);
    CheckRandomShapes(general.Clamped(range.first, range.second), 630, 2);
  }
}

TEST(Deconvolution, BatchOfThree) {
  Subject(Deconv({2, 2}, {2, 2}, {}, {2, 3, 5}), 700).Check(3, 4, 5, 701);
  Subject(Deconv({3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 3, 5}, {1, 1}, {1, 1}), 710).Check(3, 4, 5, 711);
}

TEST(Deconvolution, NaNAndInfinityPropagate) {
  // A NaN input pixel reaches exactly the outputs its taps write (the reference's NaNs).
  for (const Deconv& d : {Deconv({2, 2}, {2, 2}), Deconv({3, 3}, {2, 2}, {1, 1, 1, 1})}) {
    Subject s(d, 750);
    std::vector<float> x(5 * 5, 0.5f);
    x[2 * 5 + 2] = NAN;
    x[4 * 5 + 1] = INFINITY;
    const std::vector<float> y = s.Run(1, 5, 5, x);
    s.Compare(1, 5, 5, x, y);
  }
}

TEST(Deconvolution, OneAndTwoThreadsAreBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const std::pair<Deconv, std::array<size_t, 3>> cases[] = {
      {Deconv({2, 2}, {2, 2}, {}, {1, 32, 48}), {2, 11, 13}},
      {Deconv({3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 16, 40}, {1, 1}, {1, 1}), {1, 9, 10}},
      {Deconv({4, 4}, {2, 2}, {1, 1, 1, 1}, {2, 8, 8}), {2, 6, 7}},
      {Deconv({2, 2}, {2, 2}, {}, {1, 8, 96}), {1, 1, 2}},  // few pixels
  };
  for (const auto& c : cases) {
    Subject s(c.first, 800);
    const auto [batch, ih, iw] = c.second;
    const std::vector<float> y1 = s.Check(batch, ih, iw, 801);
    const std::vector<float> y2 = s.Check(batch, ih, iw, 801, pool);
    ASSERT_EQ(y1.size(), y2.size());
    EXPECT_EQ(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)), 0)
        << pnn_operator_kernel_name(s.op());
  }
  pnn_threadpool_destroy(pool);
}

TEST(Deconvolution, CreateOnceReshapeAndRunManyShapes) {
  for (const Deconv& d :
       {Deconv({2, 2}, {2, 2}, {}, {1, 3, 4}), Deconv({3, 3}, {2, 2}, {2, 2, 2, 2}, {2, 2, 3})}) {
    Subject s(d, 900);
    uint32_t seed = 901;
    for (auto [batch, ih, iw] :
         {std::array<size_t, 3>{1, 5, 7}, {2, 9, 4}, {1, 1, 1}, {3, 3, 3}, {1, 5, 7}}) {
      if (d.fits(ih, iw)) {
        s.Check(batch, ih, iw, seed++);
      } else {  // rejected; the operator stays usable
        EXPECT_FAILS_WITH(
            pnn_status_invalid_parameter,
            pnn_reshape_deconvolution2d_nhwc_f32(s.op(), batch, ih, iw, nullptr, nullptr, nullptr));
      }
      if (HasFatalFailure()) return;
    }
  }
}

void ExpectCreateFails(const pnn_deconvolution2d_params* p, pnn_status status, const char* what) {
  std::vector<float> w(64, 1.0f);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  SCOPED_TRACE(what);
  EXPECT_FAILS_WITH(status, pnn_create_deconvolution2d_nhwc_f32(p, w.data(), w.data(), &op));
  EXPECT_EQ(op, nullptr);
}

TEST(DeconvolutionErrors, CreateRejectsInvalidParameters) {
  const Deconv ok({3, 3}, {2, 2}, {1, 1, 1, 1}, {2, 3, 4});
  std::vector<float> w(ok.weights(), 1.0f);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_deconvolution2d_nhwc_f32(nullptr, w.data(), nullptr, &op));
  EXPECT_EQ(op, nullptr);
  op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_deconvolution2d_nhwc_f32(&ok.p, nullptr, nullptr, &op));
  EXPECT_EQ(op, nullptr);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_deconvolution2d_nhwc_f32(&ok.p, w.data(), nullptr, nullptr));
  using P = pnn_deconvolution2d_params;
  // Each rule: a change to `ok` and the argument the reason must name.
  const std::pair<std::function<void(P&)>, const char*> rules[] = {
#define PNN_ZERO(field) {[](P& p) { p.field = 0; }, #field}
      PNN_ZERO(kernel_height), PNN_ZERO(kernel_width), PNN_ZERO(stride_height),
      PNN_ZERO(stride_width), PNN_ZERO(dilation_height), PNN_ZERO(dilation_width),
      PNN_ZERO(groups), PNN_ZERO(group_input_channels), PNN_ZERO(group_output_channels),
#undef PNN_ZERO
      // The adjustment must be below the stride or the dilation (ONNX output_padding).
      {[](P& p) { p.adjustment_height = 2; }, "adjustment_height"},
      {[](P& p) { p.adjustment_width = 5; }, "adjustment_width"},
      {[](P& p) { p.stride_width = 1, p.adjustment_width = 1; }, "adjustment_width"},
      {[](P& p) { p.output_min = 1.0f, p.output_max = 0.0f; }, "output_min"},
      {[](P& p) { p.output_min = NAN; }, "NaN"},
      {[](P& p) { p.output_max = NAN; }, "NaN"},
      {[](P& p) { p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING; }, "flags"},
      {[](P& p) { p.flags = PNN_FLAG_CEIL_MODE; }, "flags"},
      {[](P& p) { p.flags = 0x80000000u; }, "flags"},
      // Products overflowing size_t (validated before the kernel is read).
      {[](P& p) { p.groups = 4, p.group_input_channels = SIZE_MAX / 2; }, "overflow"},
      {[](P& p) { p.groups = 4, p.group_output_channels = SIZE_MAX / 2; }, "overflow"},
      {[](P& p) { p.group_input_channels = SIZE_MAX / 4; }, "overflow"},
      {[](P& p) { p.group_input_channels = p.group_output_channels = size_t{1} << 31; },
       "overflow"},
      {[](P& p) {  // upsampling: packed per tap
         p.kernel_height = p.kernel_width = p.stride_height = p.stride_width = 0xFFFFu;
         p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = 0;
         p.groups = 0x80000000u, p.group_input_channels = p.group_output_channels = 1;
       },
       "overflow"},
  };
  for (const auto& rule : rules) {
    Deconv bad = ok;
    rule.first(bad.p);
    ExpectCreateFails(&bad.p, pnn_status_invalid_parameter, rule.second);
    EXPECT_NE(std::string(pnn_last_error_message()).find(rule.second), std::string::npos)
        << pnn_last_error_message();
  }
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  ExpectCreateFails(&ok.p, pnn_status_uninitialized, "deinitialized");
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(DeconvolutionErrors, ReshapeRejectsInvalidShapes) {
  for (const Deconv& d :
       {Deconv({2, 2}, {2, 2}, {}, {1, 3, 2}), Deconv({3, 3}, {2, 2}, {3, 3, 3, 3}, {1, 3, 2})}) {
    Subject s(d, 1000);
    size_t out[2] = {12345, 12345};
    std::vector<std::array<size_t, 3>> bad = {{0, 5, 5},
                                              {1, 0, 5},
                                              {1, 5, 0},
                                              {1, SIZE_MAX / 2, 16},
                                              {1, SIZE_MAX, 1},
                                              {SIZE_MAX / 4, 64, 64},
                                              {1, size_t{1} << 31, size_t{1} << 31}};
    // Padded away: 2 * (1 - 1) + 3 - 6 <= 0 and 2 * (2 - 1) + 3 - 6 <= 0.
    if (d.p.padding_top != 0) bad.insert(bad.end(), {{1, 1, 9}, {1, 9, 2}});
    for (const auto& [batch, ih, iw] : bad) {
      EXPECT_FAILS_WITH(
          pnn_status_invalid_parameter,
          pnn_reshape_deconvolution2d_nhwc_f32(s.op(), batch, ih, iw, &out[0], &out[1], nullptr));
    }
    EXPECT_EQ(out[0], 12345u);
    EXPECT_EQ(out[1], 12345u);
    s.Check(1, 9, 9, 1001);  // still usable
  }
}

TEST(DeconvolutionErrors, LifecycleAndSetup) {
  const Deconv d({3, 3}, {2, 2}, {1, 1, 1, 1}, {1, 2, 3});
  Subject s(d, 1100);
  const pnn_operator_t op = s.op();
  std::vector<float> x(2 * 4 * 4 * d.cin(), 1.0f);
  GuardedBuffer y(2 * 7 * 7 * d.cout());
  EXPECT_FAILS_WITH(pnn_status_invalid_state,
                    pnn_setup_deconvolution2d_nhwc_f32(op, x.data(), y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  size_t oh = 0;
  ASSERT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(op, 2, 4, 4, &oh, nullptr, nullptr),
            pnn_status_success);
  ASSERT_EQ(oh, 7u);
  // NULL buffers, then an output starting inside the input.
  std::vector<float> shared(x.size() + y.size());
  const std::pair<const float*, float*> bad[] = {
      {nullptr, y.data()}, {x.data(), nullptr}, {shared.data(), shared.data() + 5}};
  for (const auto& [in, out] : bad) {
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_setup_deconvolution2d_nhwc_f32(op, in, out));
  }
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  EXPECT_TRUE(y.Untouched());
  // Another type's calls on it, its calls on NULL.
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_convolution2d_nhwc_f32(op, 1, 4, 4, nullptr, nullptr, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_max_pooling2d_nhwc_f32(op, x.data(), y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_deconvolution2d_nhwc_f32(
                                                      nullptr, 1, 4, 4, nullptr, nullptr, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_deconvolution2d_nhwc_f32(nullptr, x.data(), y.data()));
  ASSERT_EQ(pnn_setup_deconvolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(std::string(pnn_last_error_message()), "");
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
}

}  // namespace
