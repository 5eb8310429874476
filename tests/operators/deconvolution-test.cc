// 2-D deconvolution operator: both paths (upsampling GEMM per tap, indirect GEMM) against the
// double scatter reference (tests/reference/deconv-reference.h) over randomized shapes, thread
// count independence, create-once/reshape-many, and every error status with untouched outputs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "configs/configs.h"
#include "reference/deconv-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

// Builder over pnn_deconvolution2d_params; defaults: 1x1, stride 1, dilation 1, one channel.
struct Deconv {
  pnn_deconvolution2d_params p{};
  Deconv() {
    p.kernel_height = p.kernel_width = 1;
    p.stride_height = p.stride_width = 1;
    p.dilation_height = p.dilation_width = 1;
    p.groups = 1;
    p.group_input_channels = p.group_output_channels = 1;
    p.output_min = -INFINITY;
    p.output_max = INFINITY;
  }
  // clang-format off
  Deconv& kernel(uint32_t h, uint32_t w) { p.kernel_height = h; p.kernel_width = w; return *this; }
  Deconv& stride(uint32_t h, uint32_t w) { p.stride_height = h; p.stride_width = w; return *this; }
  Deconv& dilation(uint32_t h, uint32_t w) { p.dilation_height = h; p.dilation_width = w; return *this; }
  Deconv& adjustment(uint32_t h, uint32_t w) { p.adjustment_height = h; p.adjustment_width = w; return *this; }
  Deconv& pad(uint32_t top, uint32_t right, uint32_t bottom, uint32_t left) {
    p.padding_top = top, p.padding_right = right, p.padding_bottom = bottom, p.padding_left = left;
    return *this;
  }
  Deconv& pad(uint32_t all) { return pad(all, all, all, all); }
  Deconv& channels(uint32_t groups, size_t gic, size_t goc) {
    p.groups = groups, p.group_input_channels = gic, p.group_output_channels = goc;
    return *this;
  }
  Deconv& clamp(float lo, float hi) { p.output_min = lo; p.output_max = hi; return *this; }
  // clang-format on

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
  std::string expected_kernel() const {
    return upsampling() ? pnn::get_gemm_config()->gemm_name : pnn::get_gemm_config()->igemm_name;
  }
};

struct Problem {
  std::vector<float> kernel, bias, input;
};

Problem MakeProblem(const Deconv& d, size_t batch, size_t ih, size_t iw, uint32_t seed) {
  return {RandomVector(d.weights(), seed), RandomVector(d.cout(), seed + 1),
          RandomVector(batch * ih * iw * d.cin(), seed + 2)};
}

std::vector<float> RunDeconv(pnn_operator_t op, const Deconv& d, size_t batch, size_t ih,
                             size_t iw, const std::vector<float>& input, pnn_threadpool_t pool,
                             size_t* oh_out, size_t* ow_out) {
  size_t oh = 0, ow = 0;
  EXPECT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(op, batch, ih, iw, &oh, &ow, pool),
            pnn_status_success);
  GuardedBuffer y(batch * oh * ow * d.cout());
  EXPECT_EQ(pnn_setup_deconvolution2d_nhwc_f32(op, input.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  *oh_out = oh;
  *ow_out = ow;
  return std::vector<float>(y.data(), y.data() + y.size());
}

void ExpectMatchesReference(const Deconv& d, size_t batch, size_t ih, size_t iw,
                            const Problem& pr, bool with_bias, const std::vector<float>& y,
                            size_t oh, size_t ow) {
  // The indirect path sums all taps (the zero row adds exact zeros), upsampling one tap: the
  // bound of conv_tolerance holds for that many products plus the bias.
  const size_t reduction = (d.upsampling() ? 1 : d.taps()) * d.p.group_input_channels + 1;
  ASSERT_LE(reduction, pnn_ref::kMaxConvReduction);
  const pnn_ref::ConvOutput ref = pnn_ref::deconv2d_nhwc(
      d.p, batch, ih, iw, pr.input.data(), pr.kernel.data(), with_bias ? pr.bias.data() : nullptr);
  ASSERT_EQ(oh, ref.oh);
  ASSERT_EQ(ow, ref.ow);
  ASSERT_EQ(y.size(), ref.value.size());
  for (size_t i = 0; i < y.size(); i++) {
    const double expect = pnn_ref::clamp(ref.value[i], d.p.output_min, d.p.output_max);
    ASSERT_NEAR(y[i], expect, pnn_ref::conv_tolerance(ref.magnitude[i]))
        << "at " << i << " (pixel " << i / d.cout() << ", channel " << i % d.cout() << ") of "
        << batch << "x" << ih << "x" << iw << " kernel " << d.p.kernel_height << "x"
        << d.p.kernel_width << " stride " << d.p.stride_height << "x" << d.p.stride_width
        << " groups " << d.p.groups << " gic " << d.p.group_input_channels << " goc "
        << d.p.group_output_channels;
  }
}

void CheckCase(const Deconv& d, size_t batch, size_t ih, size_t iw, uint32_t seed,
               bool with_bias = true) {
  const Problem pr = MakeProblem(d, batch, ih, iw, seed);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&d.p, pr.kernel.data(),
                                                with_bias ? pr.bias.data() : nullptr, &op),
            pnn_status_success);
  EXPECT_EQ(pnn_operator_kernel_name(op), d.expected_kernel());
  size_t oh, ow;
  const std::vector<float> y = RunDeconv(op, d, batch, ih, iw, pr.input, nullptr, &oh, &ow);
  ExpectMatchesReference(d, batch, ih, iw, pr, with_bias, y, oh, ow);
  pnn_delete_operator(op);
}

// `count` random input shapes (batch 1 or 2, 1..9 pixels a side, large enough for the paddings).
void CheckRandomShapes(const Deconv& d, uint32_t seed, int count, bool with_bias = true) {
  std::mt19937 rng(seed);
  for (int i = 0; i < count; i++) {
    const size_t batch = 1 + rng() % 2;
    size_t ih = 1 + rng() % 9, iw = 1 + rng() % 9;
    int64_t oh, ow;
    while (!pnn_ref::deconv_axis(ih, d.p.kernel_height, d.p.stride_height, d.p.dilation_height,
                                 d.p.adjustment_height, d.p.padding_top, d.p.padding_bottom, &oh))
      ih++;
    while (!pnn_ref::deconv_axis(iw, d.p.kernel_width, d.p.stride_width, d.p.dilation_width,
                                 d.p.adjustment_width, d.p.padding_left, d.p.padding_right, &ow))
      iw++;
    CheckCase(d, batch, ih, iw, seed + 17 * i, with_bias);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

size_t Rand(std::mt19937& rng, size_t lo, size_t hi) { return lo + rng() % (hi - lo + 1); }

TEST(Deconvolution, UpsamplingRunsOneGemmPerTap) {
  std::mt19937 rng(1);
  for (int i = 0; i < 6; i++) {
    const uint32_t k = 1 + rng() % 3;
    const Deconv d =
        Deconv().kernel(k, k).stride(k, k).channels(1, Rand(rng, 1, 20), Rand(rng, 1, 37));
    ASSERT_TRUE(d.upsampling());
    CheckRandomShapes(d, 100 + i, 2);
  }
  CheckRandomShapes(Deconv().kernel(2, 3).stride(2, 3).channels(1, 7, 9), 110, 3);
  // Dilation does not matter for a 1-tap axis.
  CheckRandomShapes(Deconv().kernel(1, 2).stride(1, 2).dilation(3, 1).channels(1, 4, 5), 120, 2);
  // U-Net-like: 2x2 stride 2, many channels (several NR blocks and MR tiles).
  CheckCase(Deconv().kernel(2, 2).stride(2, 2).channels(1, 64, 35), 1, 7, 13, 130);
}

TEST(Deconvolution, StridedWithPaddingAndAdjustment) {
  // The decoder classic: 3x3, stride 2, padding 1, output padding 1 (exactly 2x the input).
  const Deconv d = Deconv().kernel(3, 3).stride(2, 2).pad(1).adjustment(1, 1).channels(1, 5, 6);
  CheckRandomShapes(d, 200, 4);
  size_t oh, ow;
  const Problem pr = MakeProblem(d, 1, 5, 7, 201);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&d.p, pr.kernel.data(), nullptr, &op),
            pnn_status_success);
  ASSERT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(op, 1, 5, 7, &oh, &ow, nullptr),
            pnn_status_success);
  EXPECT_EQ(oh, 10u);
  EXPECT_EQ(ow, 14u);
  pnn_delete_operator(op);
  CheckRandomShapes(Deconv().kernel(4, 4).stride(2, 2).pad(1).channels(1, 3, 8), 210, 4);
  CheckRandomShapes(Deconv().kernel(3, 3).channels(1, 4, 5), 220, 3);  // stride 1: full conv
  CheckRandomShapes(Deconv().kernel(3, 3).pad(1).channels(1, 4, 5), 230, 3);
  CheckRandomShapes(Deconv().kernel(5, 3).stride(3, 2).pad(2, 0, 1, 1).adjustment(2, 1)
                        .channels(1, 2, 3), 240, 4);
  // Paddings cropping more than a kernel: whole input rows fall outside.
  CheckRandomShapes(Deconv().kernel(2, 2).stride(2, 2).pad(3, 0, 2, 4).channels(1, 2, 3), 250, 4);
}

TEST(Deconvolution, StrideLargerThanKernelLeavesBiasOnlyPixels) {
  CheckRandomShapes(Deconv().kernel(2, 2).stride(3, 3).channels(1, 3, 4), 300, 4);
  CheckRandomShapes(Deconv().kernel(1, 1).stride(2, 3).adjustment(1, 2).channels(1, 3, 4), 310, 4);
  CheckRandomShapes(Deconv().kernel(2, 2).stride(3, 3).channels(1, 3, 4), 320, 2, false);
}

TEST(Deconvolution, Dilation) {
  CheckRandomShapes(Deconv().kernel(3, 3).dilation(2, 2).channels(1, 3, 5), 400, 3);
  CheckRandomShapes(Deconv().kernel(3, 3).dilation(2, 2).stride(2, 2).pad(1).channels(1, 3, 5),
                    410, 3);
  // An adjustment below the dilation (and not the stride), as ONNX allows.
  CheckRandomShapes(Deconv().kernel(2, 3).dilation(3, 2).adjustment(2, 1).channels(1, 2, 4), 420,
                    3);
}

TEST(Deconvolution, Groups) {
  for (uint32_t g : {2u, 3u}) {
    CheckRandomShapes(Deconv().kernel(2, 2).stride(2, 2).channels(g, 3, 4), 500 + g, 2);
    CheckRandomShapes(Deconv().kernel(3, 3).stride(2, 2).pad(1).channels(g, 2, 5), 510 + g, 2);
    CheckRandomShapes(Deconv().kernel(4, 4).stride(2, 2).pad(1).channels(g * 4, 1, 1), 520 + g,
                      2);  // depthwise-like
  }
}

TEST(Deconvolution, NoBiasAndClamps) {
  CheckRandomShapes(Deconv().kernel(2, 2).stride(2, 2).channels(1, 5, 6), 600, 2, false);
  CheckRandomShapes(Deconv().kernel(3, 3).stride(2, 2).pad(1).channels(1, 5, 6), 610, 2, false);
  for (auto range : {std::pair<float, float>{-0.3f, 0.4f}, {0.0f, INFINITY}, {0.25f, 0.25f}}) {
    CheckRandomShapes(
        Deconv().kernel(2, 2).stride(2, 2).channels(1, 4, 6).clamp(range.first, range.second),
        620, 2);
    CheckRandomShapes(Deconv().kernel(3, 3).stride(2, 2).pad(1).channels(1, 4, 6).clamp(
                          range.first, range.second),
                      630, 2);
  }
}

TEST(Deconvolution, BatchOfThree) {
  CheckCase(Deconv().kernel(2, 2).stride(2, 2).channels(2, 3, 5), 3, 4, 5, 700);
  CheckCase(Deconv().kernel(3, 3).stride(2, 2).pad(1).adjustment(1, 1).channels(1, 3, 5), 3, 4, 5,
            710);
}

TEST(Deconvolution, NaNAndInfinityPropagate) {
  // A NaN input pixel reaches exactly the outputs its taps write; an inf with a mixed-sign
  // kernel gives inf or -inf there; every other output stays finite.
  const Deconv d = Deconv().kernel(2, 2).stride(2, 2).channels(1, 1, 1);
  for (const Deconv& c : {d, Deconv().kernel(3, 3).stride(2, 2).pad(1).channels(1, 1, 1)}) {
    std::vector<float> w(c.weights(), 1.0f), x(5 * 5, 0.5f);
    x[2 * 5 + 2] = NAN;
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&c.p, w.data(), nullptr, &op),
              pnn_status_success);
    size_t oh, ow;
    const std::vector<float> y = RunDeconv(op, c, 1, 5, 5, x, nullptr, &oh, &ow);
    const pnn_ref::ConvOutput ref = pnn_ref::deconv2d_nhwc(c.p, 1, 5, 5, x.data(), w.data(), nullptr);
    for (size_t i = 0; i < y.size(); i++) {
      EXPECT_EQ(std::isnan(y[i]), std::isnan(ref.value[i])) << i;
    }
    pnn_delete_operator(op);
  }
}

TEST(Deconvolution, OneAndTwoThreadsAreBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  struct Case {
    Deconv d;
    size_t batch, ih, iw;
  };
  const Case cases[] = {
      {Deconv().kernel(2, 2).stride(2, 2).channels(1, 32, 48), 2, 11, 13},
      {Deconv().kernel(3, 3).stride(2, 2).pad(1).adjustment(1, 1).channels(1, 16, 40), 1, 9, 10},
      {Deconv().kernel(4, 4).stride(2, 2).pad(1).channels(2, 8, 8), 2, 6, 7},
      {Deconv().kernel(2, 2).stride(2, 2).channels(1, 8, 96), 1, 1, 2},  // few pixels
  };
  for (const Case& k : cases) {
    const Problem pr = MakeProblem(k.d, k.batch, k.ih, k.iw, 800);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&k.d.p, pr.kernel.data(), pr.bias.data(), &op),
              pnn_status_success);
    size_t oh, ow;
    const std::vector<float> y1 = RunDeconv(op, k.d, k.batch, k.ih, k.iw, pr.input, nullptr, &oh,
                                            &ow);
    const std::vector<float> y2 = RunDeconv(op, k.d, k.batch, k.ih, k.iw, pr.input, pool, &oh, &ow);
    ASSERT_EQ(y1.size(), y2.size());
    EXPECT_EQ(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)), 0)
        << pnn_operator_kernel_name(op);
    ExpectMatchesReference(k.d, k.batch, k.ih, k.iw, pr, true, y2, oh, ow);
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(Deconvolution, CreateOnceReshapeAndRunManyShapes) {
  const Deconv ds[] = {Deconv().kernel(2, 2).stride(2, 2).channels(1, 3, 4),
                       Deconv().kernel(3, 3).stride(2, 2).pad(2).channels(2, 2, 3)};
  struct Shape {
    size_t batch, ih, iw;
  };
  const Shape shapes[] = {{1, 5, 7}, {2, 9, 4}, {1, 1, 1}, {3, 3, 3}, {1, 5, 7}};
  uint32_t seed = 900;
  for (const Deconv& d : ds) {
    Problem pr = MakeProblem(d, 1, 1, 1, seed);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&d.p, pr.kernel.data(), pr.bias.data(), &op),
              pnn_status_success);
    for (const Shape& s : shapes) {
      int64_t oh_ref;
      if (!pnn_ref::deconv_axis(s.ih, d.p.kernel_height, d.p.stride_height, 1, 0,
                                d.p.padding_top, d.p.padding_bottom, &oh_ref)) {
        EXPECT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(op, s.batch, s.ih, s.iw, nullptr, nullptr,
                                                       nullptr),
                  pnn_status_invalid_parameter);
        continue;
      }
      pr.input = RandomVector(s.batch * s.ih * s.iw * d.cin(), seed++);
      size_t oh, ow;
      const std::vector<float> y = RunDeconv(op, d, s.batch, s.ih, s.iw, pr.input, nullptr, &oh,
                                             &ow);
      ExpectMatchesReference(d, s.batch, s.ih, s.iw, pr, true, y, oh, ow);
      if (HasFatalFailure()) return;
    }
    pnn_delete_operator(op);
  }
}

void ExpectCreateFails(const pnn_deconvolution2d_params* p, pnn_status status, const char* what) {
  std::vector<float> w(64, 1.0f);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  SCOPED_TRACE(what);
  EXPECT_FAILS_WITH(status, pnn_create_deconvolution2d_nhwc_f32(p, w.data(), w.data(), &op));
  EXPECT_EQ(op, nullptr) << what;
}

TEST(DeconvolutionErrors, CreateRejectsInvalidParameters) {
  const Deconv ok = Deconv().kernel(3, 3).stride(2, 2).pad(1).channels(2, 3, 4);
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
  const struct {
    uint32_t pnn_deconvolution2d_params::*field;
    const char* name;
  } zero_fields[] = {
      {&pnn_deconvolution2d_params::kernel_height, "kernel_height"},
      {&pnn_deconvolution2d_params::kernel_width, "kernel_width"},
      {&pnn_deconvolution2d_params::stride_height, "stride_height"},
      {&pnn_deconvolution2d_params::stride_width, "stride_width"},
      {&pnn_deconvolution2d_params::dilation_height, "dilation_height"},
      {&pnn_deconvolution2d_params::dilation_width, "dilation_width"},
      {&pnn_deconvolution2d_params::groups, "groups"},
  };
  for (const auto& f : zero_fields) {
    Deconv bad = ok;
    bad.p.*f.field = 0;
    ExpectCreateFails(&bad.p, pnn_status_invalid_parameter, f.name);
    EXPECT_NE(std::string(pnn_last_error_message()).find(f.name), std::string::npos);
  }
  ExpectCreateFails(&Deconv(ok).channels(2, 0, 4).p, pnn_status_invalid_parameter, "gic 0");
  ExpectCreateFails(&Deconv(ok).channels(2, 3, 0).p, pnn_status_invalid_parameter, "goc 0");
  // Adjustment: must be below the stride or the dilation (ONNX output_padding).
  ExpectCreateFails(&Deconv(ok).adjustment(2, 0).p, pnn_status_invalid_parameter, "adj == s");
  EXPECT_NE(std::string(pnn_last_error_message()).find("adjustment_height"), std::string::npos);
  ExpectCreateFails(&Deconv(ok).adjustment(0, 5).p, pnn_status_invalid_parameter, "adj > s");
  ExpectCreateFails(&Deconv().kernel(2, 2).adjustment(1, 0).p, pnn_status_invalid_parameter,
                    "adj with stride 1, dilation 1");
  ExpectCreateFails(&Deconv(ok).clamp(1.0f, 0.0f).p, pnn_status_invalid_parameter, "min > max");
  ExpectCreateFails(&Deconv(ok).clamp(NAN, 1.0f).p, pnn_status_invalid_parameter, "NaN min");
  ExpectCreateFails(&Deconv(ok).clamp(0.0f, NAN).p, pnn_status_invalid_parameter, "NaN max");
  for (uint32_t flag : {PNN_FLAG_TENSORFLOW_SAME_PADDING, PNN_FLAG_CEIL_MODE, 0x80000000u}) {
    Deconv bad = ok;
    bad.p.flags = flag;
    ExpectCreateFails(&bad.p, pnn_status_invalid_parameter, "flag");
  }
  // Products overflowing size_t (validated before the kernel is read).
  ExpectCreateFails(&Deconv().channels(4, SIZE_MAX / 2, 1).p, pnn_status_invalid_parameter,
                    "groups * gic");
  ExpectCreateFails(&Deconv().channels(4, 1, SIZE_MAX / 2).p, pnn_status_invalid_parameter,
                    "groups * goc");
  ExpectCreateFails(&Deconv().kernel(3, 3).channels(1, SIZE_MAX / 4, 1).p,
                    pnn_status_invalid_parameter, "taps * gic");
  ExpectCreateFails(&Deconv().channels(1, size_t{1} << 31, size_t{1} << 31).p,
                    pnn_status_invalid_parameter, "weight bytes");
  ExpectCreateFails(&Deconv().kernel(0xFFFFu, 0xFFFFu).stride(0xFFFFu, 0xFFFFu)
                         .channels(0x80000000u, 1, 1).p,
                    pnn_status_invalid_parameter, "upsampling packed bytes");
}

TEST(DeconvolutionErrors, CreateBeforeInitialize) {
  const Deconv d = Deconv().kernel(2, 2).stride(2, 2);
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  ExpectCreateFails(&d.p, pnn_status_uninitialized, "deinitialized");
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(DeconvolutionErrors, ReshapeRejectsInvalidShapes) {
  for (const Deconv& d : {Deconv().kernel(2, 2).stride(2, 2).channels(1, 3, 2),
                          Deconv().kernel(3, 3).stride(2, 2).pad(3).channels(1, 3, 2)}) {
    std::vector<float> w(d.weights(), 1.0f);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&d.p, w.data(), nullptr, &op),
              pnn_status_success);
    const size_t sentinel = 12345;
    size_t oh = sentinel, ow = sentinel;
    auto reshape_fails = [&](size_t b, size_t h, size_t w_) {
      EXPECT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(op, b, h, w_, &oh, &ow, nullptr),
                pnn_status_invalid_parameter)
          << b << "x" << h << "x" << w_;
      EXPECT_TRUE(pnn_test::HasReason("pnn_reshape_deconvolution2d_nhwc_f32"));
    };
    reshape_fails(0, 5, 5);
    reshape_fails(1, 0, 5);
    reshape_fails(1, 5, 0);
    if (d.p.padding_top != 0) {
      // 2 * (1 - 1) + 3 - 6 <= 0 and 2 * (2 - 1) + 3 - 6 <= 0: empty outputs.
      reshape_fails(1, 1, 9);
      reshape_fails(1, 9, 2);
    }
    reshape_fails(1, SIZE_MAX / 2, 16);
    reshape_fails(1, SIZE_MAX, 1);
    reshape_fails(SIZE_MAX / 4, 64, 64);
    reshape_fails(1, size_t{1} << 31, size_t{1} << 31);
    EXPECT_EQ(oh, sentinel);
    EXPECT_EQ(ow, sentinel);
    EXPECT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(op, 1, 9, 9, nullptr, nullptr, nullptr),
              pnn_status_success);
    pnn_delete_operator(op);
  }
}

TEST(DeconvolutionErrors, LifecycleAndSetup) {
  const Deconv d = Deconv().kernel(3, 3).stride(2, 2).pad(1).channels(1, 2, 3);
  std::vector<float> w(d.weights(), 1.0f), x(2 * 4 * 4 * d.cin(), 1.0f);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&d.p, w.data(), nullptr, &op), pnn_status_success);
  GuardedBuffer y(2 * 7 * 7 * d.cout());
  EXPECT_FAILS_WITH(pnn_status_invalid_state,
                    pnn_setup_deconvolution2d_nhwc_f32(op, x.data(), y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  size_t oh, ow;
  ASSERT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(op, 2, 4, 4, &oh, &ow, nullptr),
            pnn_status_success);
  ASSERT_EQ(oh, 7u);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_deconvolution2d_nhwc_f32(op, nullptr, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_deconvolution2d_nhwc_f32(op, x.data(), nullptr));
  // Overlap: the output starting inside the input.
  std::vector<float> shared(x.size() + y.size());
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_deconvolution2d_nhwc_f32(op, shared.data(), shared.data() + 5));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  EXPECT_TRUE(y.Untouched());
  // Another operator type's functions reject it.
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_convolution2d_nhwc_f32(op, 1, 4, 4, nullptr, nullptr, nullptr));
  pnn_operator_t conv = nullptr;
  pnn_convolution2d_params cp{};
  cp.kernel_height = cp.kernel_width = cp.stride_height = cp.stride_width = 1;
  cp.dilation_height = cp.dilation_width = cp.groups = 1;
  cp.group_input_channels = cp.group_output_channels = 1;
  cp.output_min = -INFINITY;
  cp.output_max = INFINITY;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&cp, w.data(), nullptr, &conv), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_deconvolution2d_nhwc_f32(conv, 1, 4, 4, nullptr, nullptr, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_deconvolution2d_nhwc_f32(conv, x.data(), y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_deconvolution2d_nhwc_f32(nullptr, 1, 4, 4, nullptr, nullptr,
                                                         nullptr));
  pnn_delete_operator(conv);
  EXPECT_EQ(std::string(pnn_last_error_message()), "");
  ASSERT_EQ(pnn_setup_deconvolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  pnn_delete_operator(op);
}

}  // namespace
