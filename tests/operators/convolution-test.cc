// 2-D convolution operator: every path (depthwise dwconv, 1x1 GEMM, IGEMM) against the double
// reference over randomized shapes, thread-count independence, reshape/setup reuse, and every
// error status with untouched outputs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "configs/configs.h"
#include "configs/dwconv-config.h"
#include "reference/conv-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

// Builder over pnn_convolution2d_params; defaults: 1x1, stride 1, dilation 1, one group of one
// channel in and out, no padding, no clamp.
struct Conv {
  pnn_convolution2d_params p{};
  Conv() {
    p.kernel_height = p.kernel_width = 1;
    p.stride_height = p.stride_width = 1;
    p.dilation_height = p.dilation_width = 1;
    p.groups = 1;
    p.group_input_channels = p.group_output_channels = 1;
    p.output_min = -INFINITY;
    p.output_max = INFINITY;
  }
  // clang-format off
  Conv& kernel(uint32_t h, uint32_t w) { p.kernel_height = h; p.kernel_width = w; return *this; }
  Conv& stride(uint32_t h, uint32_t w) { p.stride_height = h; p.stride_width = w; return *this; }
  Conv& dilation(uint32_t h, uint32_t w) { p.dilation_height = h; p.dilation_width = w; return *this; }
  Conv& pad(uint32_t top, uint32_t right, uint32_t bottom, uint32_t left) {
    p.padding_top = top, p.padding_right = right, p.padding_bottom = bottom, p.padding_left = left;
    return *this;
  }
  Conv& pad(uint32_t all) { return pad(all, all, all, all); }
  Conv& same() { p.flags |= PNN_FLAG_TENSORFLOW_SAME_PADDING; return *this; }
  Conv& channels(uint32_t groups, size_t gic, size_t goc) {
    p.groups = groups, p.group_input_channels = gic, p.group_output_channels = goc;
    return *this;
  }
  Conv& clamp(float lo, float hi) { p.output_min = lo; p.output_max = hi; return *this; }
  // clang-format on

  size_t cin() const { return p.groups * p.group_input_channels; }
  size_t cout() const { return p.groups * p.group_output_channels; }
  size_t taps() const { return size_t{p.kernel_height} * p.kernel_width; }
  size_t weights() const { return cout() * taps() * p.group_input_channels; }
  size_t extent_h() const { return size_t{p.dilation_height} * (p.kernel_height - 1) + 1; }
  size_t extent_w() const { return size_t{p.dilation_width} * (p.kernel_width - 1) + 1; }

  // Winograd F(2x2, 3x3) runs 3x3 stride-1 undilated one-group convolutions with at least
  // kWinogradMinChannels (src/operators/convolution.cc) channels in and out.
  bool winograd() const {
    return p.kernel_height == 3 && p.kernel_width == 3 && p.stride_height == 1 &&
           p.stride_width == 1 && p.dilation_height == 1 && p.dilation_width == 1 &&
           p.groups == 1 && p.group_input_channels >= 32 && p.group_output_channels >= 32;
  }

  // The kernel the operator should report, from the path rules of the operator.
  std::string expected_kernel() const {
    if (p.group_input_channels == 1 && p.group_output_channels == 1)
      return pnn::get_dwconv_config(taps())->name;
    const bool padded = (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left) != 0;
    if (taps() == 1 && p.stride_height == 1 && p.stride_width == 1 && !padded)
      return pnn::get_gemm_config()->gemm_name;
    if (winograd()) return std::string("winograd_2x2_3x3/") + pnn::get_gemm_config()->gemm_name;
    return pnn::get_gemm_config()->igemm_name;
  }
};

struct Problem {
  std::vector<float> kernel, bias, input;
};

Problem MakeProblem(const Conv& c, size_t batch, size_t ih, size_t iw, uint32_t seed) {
  Problem pr;
  pr.kernel = RandomVector(c.weights(), seed);
  pr.bias = RandomVector(c.cout(), seed + 1);
  pr.input = RandomVector(batch * ih * iw * c.cin(), seed + 2);
  return pr;
}

// Reshapes, sets up and runs `op` on `input`; checks the reported shape against the reference's
// and the guards; returns the output.
std::vector<float> RunConv(pnn_operator_t op, const Conv& c, size_t batch, size_t ih, size_t iw,
                           const std::vector<float>& input, pnn_threadpool_t pool,
                           size_t* oh_out = nullptr, size_t* ow_out = nullptr) {
  size_t oh = 0, ow = 0;
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, batch, ih, iw, &oh, &ow, pool),
            pnn_status_success);
  GuardedBuffer y(batch * oh * ow * c.cout());
  EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, input.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  if (oh_out != nullptr) *oh_out = oh;
  if (ow_out != nullptr) *ow_out = ow;
  return std::vector<float>(y.data(), y.data() + y.size());
}

// Compares `y` with the clamped reference within the derived tolerance.
void ExpectMatchesReference(const Conv& c, size_t batch, size_t ih, size_t iw, const Problem& pr,
                            bool with_bias, const std::vector<float>& y, size_t oh, size_t ow) {
  // Winograd's bound (conv-reference.h) is over GIC + 8 roundings, direct convolution's over K + 1.
  ASSERT_LE(c.winograd() ? c.p.group_input_channels + 8 : c.taps() * c.p.group_input_channels + 1,
            pnn_ref::kMaxConvReduction)
      << "the tolerance is derived for shorter reductions";
  const float* bias = with_bias ? pr.bias.data() : nullptr;
  const pnn_ref::ConvOutput ref =
      pnn_ref::conv2d_nhwc(c.p, batch, ih, iw, pr.input.data(), pr.kernel.data(), bias);
  const std::vector<double> magnitude =
      c.winograd()
          ? pnn_ref::winograd_magnitude(c.p, batch, ih, iw, pr.input.data(), pr.kernel.data(), bias)
          : ref.magnitude;
  ASSERT_EQ(oh, ref.oh);
  ASSERT_EQ(ow, ref.ow);
  ASSERT_EQ(y.size(), ref.value.size());
  ASSERT_EQ(magnitude.size(), ref.value.size());
  for (size_t i = 0; i < y.size(); i++) {
    const double expect = pnn_ref::clamp(ref.value[i], c.p.output_min, c.p.output_max);
    ASSERT_NEAR(y[i], expect, pnn_ref::conv_tolerance(magnitude[i]))
        << "at " << i << " (pixel " << i / c.cout() << ", channel " << i % c.cout() << ") of "
        << batch << "x" << ih << "x" << iw << " kernel " << c.p.kernel_height << "x"
        << c.p.kernel_width << " groups " << c.p.groups << " gic " << c.p.group_input_channels
        << " goc " << c.p.group_output_channels;
  }
}

// One full create/reshape/setup/run/compare cycle.
void CheckCase(const Conv& c, size_t batch, size_t ih, size_t iw, uint32_t seed,
               bool with_bias = true, pnn_threadpool_t pool = nullptr) {
  const Problem pr = MakeProblem(c, batch, ih, iw, seed);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&c.p, pr.kernel.data(),
                                              with_bias ? pr.bias.data() : nullptr, &op),
            pnn_status_success);
  size_t oh, ow;
  const std::vector<float> y = RunConv(op, c, batch, ih, iw, pr.input, pool, &oh, &ow);
  EXPECT_EQ(pnn_operator_kernel_name(op), c.expected_kernel());
  ExpectMatchesReference(c, batch, ih, iw, pr, with_bias, y, oh, ow);
  pnn_delete_operator(op);
}

// Smallest input size giving a non-empty output (explicit padding), at least 1.
size_t MinInput(size_t extent, size_t pad) { return extent > pad ? extent - pad : 1; }

// `count` random input shapes (batch 1 or 2) for the fixed parameters `c`.
void CheckRandomShapes(const Conv& c, uint32_t seed, int count, bool with_bias = true) {
  std::mt19937 rng(seed);
  const bool same = (c.p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  const size_t min_h = same ? 1 : MinInput(c.extent_h(), c.p.padding_top + c.p.padding_bottom);
  const size_t min_w = same ? 1 : MinInput(c.extent_w(), c.p.padding_left + c.p.padding_right);
  for (int i = 0; i < count; i++) {
    const size_t batch = 1 + rng() % 2;
    const size_t ih = min_h + rng() % 9, iw = min_w + rng() % 9;
    CheckCase(c, batch, ih, iw, seed + 17 * i, with_bias);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

size_t Rand(std::mt19937& rng, size_t lo, size_t hi) { return lo + rng() % (hi - lo + 1); }

TEST(Convolution, Pointwise1x1RunsGemmOnTheInput) {
  std::mt19937 rng(1);
  for (int i = 0; i < 12; i++) {
    Conv c;
    c.channels(1, Rand(rng, 2, 40), Rand(rng, 1, 37));
    CheckRandomShapes(c, 100 + i, 2);
  }
  // Big enough that several channel blocks and pixel tiles are in play.
  CheckCase(Conv().channels(1, 64, 67), 1, 9, 7, 7);
}

TEST(Convolution, Kernel3x3) {
  std::mt19937 rng(2);
  for (int i = 0; i < 10; i++) {
    Conv c;
    c.kernel(3, 3).pad(1).channels(1, Rand(rng, 2, 17), Rand(rng, 1, 19));
    CheckRandomShapes(c, 200 + i, 2);
  }
  CheckRandomShapes(Conv().kernel(3, 3).channels(1, 3, 8), 250, 3);  // no padding
}

TEST(Convolution, Kernel5x5And7x7) {
  std::mt19937 rng(3);
  for (int i = 0; i < 5; i++) {
    CheckRandomShapes(Conv().kernel(5, 5).pad(2).channels(1, Rand(rng, 2, 6), Rand(rng, 1, 13)),
                      300 + i, 2);
    // ResNet-stem-like: 7x7, stride 2, padding 3, few input channels.
    CheckRandomShapes(
        Conv().kernel(7, 7).stride(2, 2).pad(3).channels(1, Rand(rng, 2, 3), Rand(rng, 1, 11)),
        350 + i, 2);
  }
}

TEST(Convolution, Stride2) {
  CheckRandomShapes(Conv().kernel(3, 3).stride(2, 2).pad(1).channels(1, 3, 8), 400, 4);
  CheckRandomShapes(Conv().kernel(2, 2).stride(2, 2).channels(1, 5, 6), 410, 3);
  CheckRandomShapes(Conv().kernel(1, 1).stride(2, 2).channels(1, 7, 5), 420, 3);  // IGEMM
  CheckRandomShapes(Conv().kernel(3, 3).stride(1, 2).pad(1).channels(1, 2, 5), 430, 3);
  CheckRandomShapes(Conv().kernel(3, 3).stride(3, 3).pad(0, 2, 2, 0).channels(1, 4, 4), 440, 3);
}

TEST(Convolution, Dilation2) {
  CheckRandomShapes(Conv().kernel(3, 3).dilation(2, 2).pad(2).channels(1, 4, 6), 500, 4);
  CheckRandomShapes(Conv().kernel(3, 3).dilation(2, 2).stride(2, 2).channels(1, 3, 5), 510, 3);
  CheckRandomShapes(Conv().kernel(2, 3).dilation(1, 2).pad(1, 0, 0, 2).channels(1, 5, 3), 520, 3);
}

// Dilated kernels on maps not much larger than the dilation (DeepLab's atrous convolutions): many
// MR-pixel tiles read only padding through some taps, so the IGEMM path runs each tile with
// only the taps it reads through (tap-sparse IGEMM, src/operators/convolution.cc).
TEST(Convolution, DilatedOnSmallMapsSkipsPaddingTaps) {
  CheckRandomShapes(Conv().kernel(3, 3).dilation(6, 6).pad(6).channels(1, 5, 7), 530, 6);
  CheckRandomShapes(Conv().kernel(3, 3).dilation(4, 5).pad(4, 5, 4, 5).channels(2, 3, 40), 540, 4);
  CheckRandomShapes(Conv().kernel(3, 3).dilation(3, 3).stride(2, 2).pad(3).channels(1, 9, 33), 550,
                    4, /*with_bias=*/false);
  // A map of one pixel: every tap but the center reads padding.
  CheckCase(Conv().kernel(3, 3).dilation(7, 7).pad(7).channels(1, 6, 35), 2, 1, 1, 560);
}

TEST(Convolution, AsymmetricPaddingAndRectangularKernels) {
  CheckRandomShapes(Conv().kernel(3, 3).pad(0, 2, 1, 3).channels(1, 3, 7), 600, 4);
  CheckRandomShapes(Conv().kernel(1, 3).pad(0, 1, 0, 1).channels(1, 6, 5), 610, 3);
  CheckRandomShapes(Conv().kernel(3, 1).pad(2, 0, 0, 0).channels(1, 6, 5), 620, 3);
  CheckRandomShapes(Conv().kernel(2, 4).pad(1, 3, 0, 0).channels(1, 4, 9), 630, 3);
  // Padding larger than the kernel: whole output rows see only the padding row (bias only).
  CheckRandomShapes(Conv().kernel(2, 2).pad(3, 0, 3, 4).channels(1, 2, 3), 640, 3);
  // 1x1 with padding must not take the GEMM path.
  CheckRandomShapes(Conv().kernel(1, 1).pad(1, 0, 0, 1).channels(1, 3, 4), 650, 3);
}

TEST(Convolution, SamePadding) {
  for (uint32_t k : {1u, 2u, 3u, 4u, 5u}) {
    for (uint32_t s : {1u, 2u, 3u}) {
      const Conv c = Conv().kernel(k, k).stride(s, s).same().channels(1, 3, 5);
      for (size_t in : {5, 6, 7, 8}) {  // odd and even inputs
        SCOPED_TRACE(testing::Message() << "k=" << k << " s=" << s << " in=" << in);
        CheckCase(c, 1, in, in + 1, 700 + 10 * k + s + 100 * in);
        pnn_operator_t op = nullptr;
        std::vector<float> w(c.weights(), 0.5f);
        ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&c.p, w.data(), nullptr, &op),
                  pnn_status_success);
        size_t oh = 0, ow = 0;
        ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, in, in + 1, &oh, &ow, nullptr),
                  pnn_status_success);
        EXPECT_EQ(oh, (in + s - 1) / s);
        EXPECT_EQ(ow, (in + 1 + s - 1) / s);
        pnn_delete_operator(op);
      }
    }
  }
  CheckRandomShapes(Conv().kernel(3, 3).dilation(2, 2).same().channels(1, 2, 3), 790, 3);
}

TEST(Convolution, Groups) {
  for (uint32_t g : {2u, 3u}) {
    CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(g, 3, 4), 800 + g, 3);
    CheckRandomShapes(Conv().kernel(1, 1).channels(g, 5, 6), 810 + g, 3);  // GEMM per group
    CheckRandomShapes(Conv().kernel(2, 3).stride(2, 1).channels(g, 2, 7), 820 + g, 3);
    CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(g, 4, 1), 830 + g, 2);
  }
}

TEST(Convolution, DepthwiseWithMultiplierRunsIgemm) {
  for (size_t m : {2, 3}) {
    const Conv c = Conv().kernel(3, 3).pad(1).channels(5, 1, m);
    EXPECT_EQ(c.expected_kernel(), pnn::get_gemm_config()->igemm_name);
    CheckRandomShapes(c, 900 + m, 3);
    CheckRandomShapes(Conv().kernel(5, 5).stride(2, 2).pad(2).channels(7, 1, m), 910 + m, 2);
  }
}

TEST(Convolution, DepthwiseKernels) {
  std::mt19937 rng(10);
  struct Shape {
    uint32_t kh, kw;
  };
  for (Shape k : {Shape{3, 3}, Shape{5, 5}, Shape{2, 2}, Shape{1, 1}, Shape{7, 7}, Shape{3, 5}}) {
    for (int i = 0; i < 3; i++) {
      const uint32_t channels = 1 + rng() % 13;  // every remainder of the channel tile
      const Conv c = Conv()
                         .kernel(k.kh, k.kw)
                         .pad(k.kh / 2, k.kw / 2, k.kh / 2, k.kw / 2)
                         .channels(channels, 1, 1);
      CheckRandomShapes(c, 1000 + 10 * k.kh + k.kw + 100 * i, 2);
    }
  }
  // Strides and dilations exercise both indirection layouts: columns shared between neighbouring
  // pixels (stride a multiple of the dilation, at most the kernel width) and not shared.
  CheckRandomShapes(Conv().kernel(3, 3).stride(2, 2).pad(1).channels(9, 1, 1), 1100, 3);
  CheckRandomShapes(Conv().kernel(3, 3).dilation(2, 2).pad(2).channels(6, 1, 1), 1110, 3);
  CheckRandomShapes(Conv().kernel(3, 3).dilation(2, 2).stride(2, 2).channels(5, 1, 1), 1120, 3);
  CheckRandomShapes(Conv().kernel(2, 2).stride(3, 3).channels(7, 1, 1), 1130, 3);
  CheckRandomShapes(Conv().kernel(3, 3).stride(1, 3).dilation(1, 2).pad(1).channels(4, 1, 1), 1140,
                    3);
  CheckRandomShapes(Conv().kernel(5, 5).stride(2, 2).same().channels(11, 1, 1), 1150, 3);
  CheckRandomShapes(Conv().kernel(4, 2).pad(0, 1, 3, 0).channels(3, 1, 1), 1160, 3);
  // A row wider than several channel tiles, like MobileNet's.
  CheckCase(Conv().kernel(3, 3).pad(1).channels(37, 1, 1), 1, 6, 5, 1170);
}

// Winograd F(2x2, 3x3): odd and even output sizes (partial tiles at the bottom and right edges),
// explicit, asymmetric and SAME padding (tiles reading the zero row), no padding, channel counts
// off the transforms' 16-channel chunks and the GEMM tile, batches, clamps, no bias, and enough
// tiles for several blocks.
TEST(Convolution, Winograd3x3) {
  CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(1, 32, 32), 1600, 4);
  CheckRandomShapes(Conv().kernel(3, 3).channels(1, 37, 45), 1610, 3);
  CheckRandomShapes(Conv().kernel(3, 3).pad(0, 2, 1, 3).channels(1, 33, 64), 1620, 3);
  CheckRandomShapes(Conv().kernel(3, 3).same().channels(1, 48, 35), 1630, 3);
  CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(1, 32, 40).clamp(-0.3f, 0.4f), 1640, 2);
  CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(1, 40, 33), 1650, 2, false);
  CheckCase(Conv().kernel(3, 3).pad(1).channels(1, 64, 70), 2, 15, 17, 1660);
  CheckCase(Conv().kernel(3, 3).pad(2).channels(1, 150, 32), 1, 1, 2, 1670);  // one partial tile
}

TEST(Convolution, NoBias) {
  CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(8, 1, 1), 1200, 2, false);  // depthwise
  CheckRandomShapes(Conv().channels(1, 6, 7), 1210, 2, false);                      // GEMM
  CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(2, 3, 5), 1220, 2, false);  // IGEMM
}

TEST(Convolution, Clamps) {
  for (auto range : {std::pair<float, float>{-0.3f, 0.4f},
                     {0.0f, INFINITY},
                     {-INFINITY, 0.0f},
                     {0.25f, 0.25f}}) {
    CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(6, 1, 1).clamp(range.first, range.second),
                      1300, 2);
    CheckRandomShapes(Conv().channels(1, 5, 9).clamp(range.first, range.second), 1310, 2);
    CheckRandomShapes(Conv().kernel(3, 3).pad(1).channels(1, 4, 6).clamp(range.first, range.second),
                      1320, 2);
  }
}

TEST(Convolution, BatchOfThree) {
  CheckCase(Conv().kernel(3, 3).pad(1).channels(10, 1, 1), 3, 5, 6, 1400);
  CheckCase(Conv().channels(2, 3, 5), 3, 5, 6, 1410);
  CheckCase(Conv().kernel(3, 3).stride(2, 2).pad(1).channels(2, 3, 5), 3, 5, 6, 1420);
}

TEST(Convolution, OneAndTwoThreadsAreBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  struct Case {
    Conv c;
    size_t batch, ih, iw;
  };
  const Case cases[] = {
      {Conv().kernel(3, 3).pad(1).channels(32, 1, 1), 2, 23, 19},   // depthwise
      {Conv().channels(1, 32, 64), 1, 20, 21},                      // GEMM
      {Conv().kernel(3, 3).pad(1).channels(1, 16, 48), 2, 13, 11},  // IGEMM
      {Conv().kernel(3, 3).pad(1).channels(1, 16, 96), 1, 2, 3},    // few pixels: channels split
      {Conv().channels(1, 16, 96), 1, 1, 3},                        // GEMM, channels split
      {Conv().kernel(3, 3).stride(2, 2).pad(1).channels(3, 4, 8), 2, 15, 16},  // groups
      {Conv().kernel(3, 3).dilation(5, 5).pad(5).channels(1, 16, 72), 2, 7, 9},  // tap-sparse
      {Conv().kernel(3, 3).pad(1).channels(1, 32, 40), 2, 21, 19},             // Winograd
  };
  for (const Case& k : cases) {
    const Problem pr = MakeProblem(k.c, k.batch, k.ih, k.iw, 1500);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&k.c.p, pr.kernel.data(), pr.bias.data(), &op),
              pnn_status_success);
    const std::vector<float> y1 = RunConv(op, k.c, k.batch, k.ih, k.iw, pr.input, nullptr);
    size_t oh, ow;
    const std::vector<float> y2 = RunConv(op, k.c, k.batch, k.ih, k.iw, pr.input, pool, &oh, &ow);
    ASSERT_EQ(y1.size(), y2.size());
    EXPECT_EQ(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)), 0)
        << pnn_operator_kernel_name(op);
    ExpectMatchesReference(k.c, k.batch, k.ih, k.iw, pr, true, y2, oh, ow);
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(Convolution, CreateOnceReshapeAndRunManyShapes) {
  const Conv convs[] = {
      Conv().kernel(3, 3).pad(1).channels(7, 1, 1),               // depthwise
      Conv().kernel(5, 5).stride(2, 2).same().channels(5, 1, 1),  // depthwise, generic taps
      Conv().channels(1, 5, 6),                                   // GEMM
      Conv().kernel(3, 3).stride(2, 2).pad(1, 0, 1, 2).channels(2, 3, 5),  // IGEMM
      Conv().kernel(4, 4).same().channels(1, 3, 4),                        // IGEMM, SAME
  };
  struct Shape {
    size_t batch, ih, iw;
  };
  const Shape shapes[] = {{1, 5, 7}, {2, 9, 4}, {1, 16, 16}, {3, 3, 3}, {1, 5, 7}, {1, 1, 2}};
  uint32_t seed = 1600;
  for (const Conv& c : convs) {
    const Problem weights = MakeProblem(c, 1, 1, 1, seed);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(
        pnn_create_convolution2d_nhwc_f32(&c.p, weights.kernel.data(), weights.bias.data(), &op),
        pnn_status_success);
    for (const Shape& s : shapes) {
      size_t expect_oh, expect_ow;
      if (!pnn_ref::conv_output_size(c.p, s.ih, s.iw, &expect_oh, &expect_ow)) {
        // Too small for this kernel: reshape must refuse, and the operator stays usable.
        EXPECT_EQ(
            pnn_reshape_convolution2d_nhwc_f32(op, s.batch, s.ih, s.iw, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
        continue;
      }
      Problem pr = weights;
      pr.input = RandomVector(s.batch * s.ih * s.iw * c.cin(), seed++);
      size_t oh, ow;
      const std::vector<float> y = RunConv(op, c, s.batch, s.ih, s.iw, pr.input, nullptr, &oh, &ow);
      ExpectMatchesReference(c, s.batch, s.ih, s.iw, pr, true, y, oh, ow);
      if (HasFatalFailure()) return;
    }
    pnn_delete_operator(op);
  }
}

TEST(Convolution, SetupRebindsBuffers) {
  // The indirection buffer points into the bound input: binding another buffer must rebuild it,
  // and binding the same buffer again must read its current contents.
  const Conv convs[] = {Conv().kernel(3, 3).pad(1).channels(6, 1, 1),
                        Conv().kernel(3, 3).pad(1).channels(1, 4, 5)};
  for (const Conv& c : convs) {
    const size_t batch = 2, ih = 6, iw = 5;
    Problem pr = MakeProblem(c, batch, ih, iw, 1700);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&c.p, pr.kernel.data(), pr.bias.data(), &op),
              pnn_status_success);
    size_t oh, ow;
    ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, batch, ih, iw, &oh, &ow, nullptr),
              pnn_status_success);
    std::vector<float> y(batch * oh * ow * c.cout());
    std::vector<float> first(pr.input.size()), second(pr.input.size());
    // Rounds: first buffer; first buffer with new contents; second buffer; first buffer again.
    std::vector<float>* const order[] = {&first, &first, &second, &first};
    for (uint32_t round = 0; round < 4; round++) {
      std::vector<float>& x = *order[round];
      const std::vector<float> contents = RandomVector(x.size(), 1710 + round);
      std::copy(contents.begin(), contents.end(), x.begin());  // in place: same address
      ASSERT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
      pr.input = x;
      ExpectMatchesReference(c, batch, ih, iw, pr, true, y, oh, ow);
    }
    pnn_delete_operator(op);
  }
}

TEST(Convolution, KernelNameIsNoneBeforeReshape) {
  const Conv c = Conv().kernel(3, 3).channels(4, 1, 1);
  std::vector<float> w(c.weights(), 1.0f);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&c.p, w.data(), nullptr, &op), pnn_status_success);
  EXPECT_STREQ(pnn_operator_kernel_name(op), "none");
  ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, 3, 3, nullptr, nullptr, nullptr),
            pnn_status_success);
  EXPECT_EQ(pnn_operator_kernel_name(op), c.expected_kernel());
  pnn_delete_operator(op);
}

// ---------------------------------------------------------------------------------------------
// Errors: each status provoked, with nothing written to the caller's outputs.

// Expects create to fail with `status` and to clear *op_out.
void ExpectCreateFails(const pnn_convolution2d_params* p, pnn_status status, const char* what) {
  static const std::vector<float> w(1024, 1.0f);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(p, w.data(), w.data(), &op), status) << what;
  EXPECT_EQ(op, nullptr) << what;
}

TEST(ConvolutionErrors, CreateRejectsInvalidParameters) {
  const Conv ok = Conv().kernel(3, 3).pad(1).channels(2, 3, 4);
  std::vector<float> w(ok.weights(), 1.0f);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(nullptr, w.data(), nullptr, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(&ok.p, nullptr, nullptr, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(&ok.p, w.data(), nullptr, nullptr),
            pnn_status_invalid_parameter);

  const struct {
    uint32_t pnn_convolution2d_params::*field;
    const char* name;
  } zero_fields[] = {
      {&pnn_convolution2d_params::kernel_height, "kernel_height"},
      {&pnn_convolution2d_params::kernel_width, "kernel_width"},
      {&pnn_convolution2d_params::stride_height, "stride_height"},
      {&pnn_convolution2d_params::stride_width, "stride_width"},
      {&pnn_convolution2d_params::dilation_height, "dilation_height"},
      {&pnn_convolution2d_params::dilation_width, "dilation_width"},
      {&pnn_convolution2d_params::groups, "groups"},
  };
  for (const auto& f : zero_fields) {
    Conv bad = ok;
    bad.p.*f.field = 0;
    ExpectCreateFails(&bad.p, pnn_status_invalid_parameter, f.name);
  }
  {
    Conv bad = ok;
    bad.p.group_input_channels = 0;
    ExpectCreateFails(&bad.p, pnn_status_invalid_parameter, "gic = 0");
    bad = ok;
    bad.p.group_output_channels = 0;
    ExpectCreateFails(&bad.p, pnn_status_invalid_parameter, "goc = 0");
  }
  // Clamp bounds.
  ExpectCreateFails(&Conv(ok).clamp(1.0f, 0.0f).p, pnn_status_invalid_parameter, "min > max");
  ExpectCreateFails(&Conv(ok).clamp(NAN, 1.0f).p, pnn_status_invalid_parameter, "NaN min");
  ExpectCreateFails(&Conv(ok).clamp(0.0f, NAN).p, pnn_status_invalid_parameter, "NaN max");
  // SAME padding with any explicit padding.
  ExpectCreateFails(&Conv(ok).pad(1, 0, 0, 0).same().p, pnn_status_invalid_parameter, "SAME+top");
  ExpectCreateFails(&Conv(ok).pad(0, 1, 0, 0).same().p, pnn_status_invalid_parameter, "SAME+right");
  ExpectCreateFails(&Conv(ok).pad(0, 0, 1, 0).same().p, pnn_status_invalid_parameter,
                    "SAME+bottom");
  ExpectCreateFails(&Conv(ok).pad(0, 0, 0, 1).same().p, pnn_status_invalid_parameter, "SAME+left");
  // Unknown flags (including flags meant for other operators).
  for (uint32_t flag : {PNN_FLAG_TRANSPOSE_WEIGHTS, PNN_FLAG_COUNT_INCLUDE_PAD, 0x80000000u}) {
    Conv bad = ok;
    bad.p.flags = flag;
    ExpectCreateFails(&bad.p, pnn_status_invalid_parameter, "unknown flag");
  }
  // Products overflowing size_t (the kernel pointer is never read: validation comes first).
  ExpectCreateFails(&Conv().channels(4, SIZE_MAX / 2, 1).p, pnn_status_invalid_parameter,
                    "groups * gic");
  ExpectCreateFails(&Conv().channels(4, 1, SIZE_MAX / 2).p, pnn_status_invalid_parameter,
                    "groups * goc");
  ExpectCreateFails(&Conv().kernel(3, 3).channels(1, SIZE_MAX / 4, 1).p,
                    pnn_status_invalid_parameter, "taps * gic");
  ExpectCreateFails(&Conv().channels(1, size_t{1} << 32, size_t{1} << 32).p,
                    pnn_status_invalid_parameter, "goc * kc");
  ExpectCreateFails(&Conv().channels(1, size_t{1} << 31, size_t{1} << 31).p,
                    pnn_status_invalid_parameter, "weight bytes");
  ExpectCreateFails(&Conv().kernel(3, 3).channels(1, SIZE_MAX / 9, 1).p,
                    pnn_status_invalid_parameter, "weight bytes 3x3");
  ExpectCreateFails(&Conv().channels(0x80000000u, 1, 1).kernel(0xFFFFu, 0xFFFFu).p,
                    pnn_status_invalid_parameter, "depthwise weight bytes");
}

TEST(ConvolutionErrors, CreateBeforeInitialize) {
  const Conv c = Conv().kernel(3, 3).channels(1, 2, 2);
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  ExpectCreateFails(&c.p, pnn_status_uninitialized, "deinitialized");
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  std::vector<float> w(c.weights(), 1.0f);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&c.p, w.data(), nullptr, &op), pnn_status_success);
  pnn_delete_operator(op);
}

TEST(ConvolutionErrors, ReshapeRejectsInvalidShapes) {
  const Conv convs[] = {Conv().kernel(3, 3).channels(3, 1, 1),                  // depthwise
                        Conv().channels(1, 3, 2),                               // GEMM
                        Conv().kernel(3, 3).dilation(2, 2).channels(1, 3, 2)};  // IGEMM
  for (const Conv& c : convs) {
    std::vector<float> w(c.weights(), 1.0f);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&c.p, w.data(), nullptr, &op), pnn_status_success);
    const size_t sentinel = 12345;
    size_t oh = sentinel, ow = sentinel;
    auto reshape = [&](size_t b, size_t h, size_t w_) {
      return pnn_reshape_convolution2d_nhwc_f32(op, b, h, w_, &oh, &ow, nullptr);
    };
    EXPECT_EQ(reshape(0, 5, 5), pnn_status_invalid_parameter);
    EXPECT_EQ(reshape(1, 0, 5), pnn_status_invalid_parameter);
    EXPECT_EQ(reshape(1, 5, 0), pnn_status_invalid_parameter);
    // Empty output: the input is smaller than the (dilated) kernel.
    if (c.extent_h() > 1) {
      EXPECT_EQ(reshape(1, c.extent_h() - 1, 9), pnn_status_invalid_parameter);
      EXPECT_EQ(reshape(1, 9, c.extent_w() - 1), pnn_status_invalid_parameter);
    }
    // Sizes whose products overflow.
    EXPECT_EQ(reshape(1, SIZE_MAX / 2, 16), pnn_status_invalid_parameter);
    EXPECT_EQ(reshape(SIZE_MAX / 4, 64, 64), pnn_status_invalid_parameter);
    EXPECT_EQ(reshape(1, size_t{1} << 31, size_t{1} << 31), pnn_status_invalid_parameter);
    EXPECT_EQ(oh, sentinel);
    EXPECT_EQ(ow, sentinel);
    // Still usable, and the output pointers are optional.
    EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, 9, 9, nullptr, nullptr, nullptr),
              pnn_status_success);
    pnn_delete_operator(op);
  }
  size_t oh = 7, ow = 7;
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(nullptr, 1, 5, 5, &oh, &ow, nullptr),
            pnn_status_invalid_parameter);
  // An operator of another type.
  pnn_unary_params up{0.0f, 1.0f, 0.0f, 0.0f};
  pnn_operator_t unary = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &up, 0, &unary),
            pnn_status_success);
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(unary, 1, 5, 5, &oh, &ow, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(oh, 7u);
  EXPECT_EQ(ow, 7u);
  std::vector<float> x(25, 1.0f);
  GuardedBuffer y(25);
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(unary, 1, 25, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(unary, x.data(), y.data()),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(unary);
}

TEST(ConvolutionErrors, LifecycleAndSetup) {
  const Conv convs[] = {Conv().kernel(3, 3).pad(1).channels(3, 1, 1), Conv().channels(1, 3, 2),
                        Conv().kernel(3, 3).pad(1).channels(1, 3, 2)};
  for (const Conv& c : convs) {
    std::vector<float> w(c.weights(), 1.0f);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&c.p, w.data(), nullptr, &op), pnn_status_success);
    const size_t ih = 4, iw = 5;
    std::vector<float> x(ih * iw * c.cin(), 1.0f);
    GuardedBuffer y(ih * iw * c.cout());

    // Out of order: setup and run before reshape.
    EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_invalid_state);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, ih, iw, nullptr, nullptr, nullptr),
              pnn_status_success);
    // Run before setup.
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    // NULL buffers.
    EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, nullptr, y.data()),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x.data(), nullptr),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(nullptr, x.data(), y.data()),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    EXPECT_TRUE(y.Untouched());

    // Overlapping input and output (same buffer, or shifted by one pixel).
    std::vector<float> both(2 * ih * iw * (c.cin() + c.cout()), 1.0f);
    EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, both.data(), both.data()),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, both.data() + c.cin(), both.data()),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, both.data(), both.data() + c.cout()),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);

    // Set up, then a reshape invalidates the setup even with the same shape.
    ASSERT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, ih, iw, nullptr, nullptr, nullptr),
              pnn_status_success);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    EXPECT_TRUE(y.Untouched());
    // And the operator works again after a new setup.
    ASSERT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    EXPECT_TRUE(y.CheckGuards());
    EXPECT_FALSE(y.Untouched());
    pnn_delete_operator(op);
  }
  EXPECT_EQ(pnn_run_operator(nullptr, nullptr), pnn_status_invalid_parameter);
}

}  // namespace
