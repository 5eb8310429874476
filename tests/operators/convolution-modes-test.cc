// Convolution with PNN_FLAG_SAME_LOWER_PADDING (ONNX auto_pad SAME_LOWER: the odd padding pixel
// goes before) on every path, against the double reference run with the explicit paddings that
// tests/window-reference.h derives; the same input at different addresses (src/indirection.h
// binds each with an offset); and the reasons of convolution's failures.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "portnn.h"
#include "reference/conv-reference.h"
#include "test-utils.h"
#include "window-reference.h"

namespace {

PNN_TEST_INIT_LIBRARY();

pnn_convolution2d_params Conv(uint32_t kh, uint32_t kw, uint32_t s, uint32_t d, uint32_t groups,
                              size_t gic, size_t goc, uint32_t flags) {
  pnn_convolution2d_params p;
  std::memset(&p, 0, sizeof p);
  p.kernel_height = kh;
  p.kernel_width = kw;
  p.stride_height = p.stride_width = s;
  p.dilation_height = p.dilation_width = d;
  p.groups = groups;
  p.group_input_channels = gic;
  p.group_output_channels = goc;
  p.output_min = -INFINITY;
  p.output_max = INFINITY;
  p.flags = flags;
  return p;
}

// Runs `p` on `inputs` (each n x h x w, the same data at different addresses) and compares
// every run with the reference of `ref_params` (explicit padding).
void Check(const pnn_convolution2d_params& p, const pnn_convolution2d_params& ref_params, size_t n,
           size_t h, size_t w, const std::vector<const float*>& inputs,
           const std::vector<float>& kernel, const std::vector<float>& bias) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), bias.data(), &op),
            pnn_status_success)
      << pnn_last_error_message();
  size_t oh = 0, ow = 0;
  ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, n, h, w, &oh, &ow, nullptr), pnn_status_success)
      << pnn_last_error_message();
  const auto ref = pnn_ref::conv2d_nhwc(ref_params, n, h, w, inputs[0], kernel.data(), bias.data());
  ASSERT_EQ(oh, ref.oh);
  ASSERT_EQ(ow, ref.ow);
  for (const float* x : inputs) {
    std::vector<float> y(ref.value.size(), NAN);
    ASSERT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x, y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    for (size_t i = 0; i < y.size(); i++) {
      ASSERT_NEAR(y[i], ref.value[i], pnn_ref::conv_tolerance(ref.magnitude[i]))
          << "element " << i << " of " << h << "x" << w << ", " << pnn_operator_kernel_name(op);
    }
  }
  pnn_delete_operator(op);
}

// The explicit paddings SAME_LOWER amounts to, from the reference definition.
pnn_convolution2d_params ExplicitSameLower(pnn_convolution2d_params p, size_t h, size_t w) {
  pnn_ref::WindowAxisRef y, x;
  EXPECT_TRUE(pnn_ref::window_axis(h, p.kernel_height, p.stride_height, p.dilation_height, 0, 0,
                                   pnn_ref::WindowPadding::kSameLower, false, &y));
  EXPECT_TRUE(pnn_ref::window_axis(w, p.kernel_width, p.stride_width, p.dilation_width, 0, 0,
                                   pnn_ref::WindowPadding::kSameLower, false, &x));
  p.flags = 0;
  p.padding_top = uint32_t(y.pad_before);
  p.padding_bottom = uint32_t(y.pad_after);
  p.padding_left = uint32_t(x.pad_before);
  p.padding_right = uint32_t(x.pad_after);
  return p;
}

TEST(ConvolutionModes, SameLowerOnEveryPath) {
  const struct {
    pnn_convolution2d_params p;
    size_t n, h, w;
  } cases[] = {
      {Conv(3, 3, 1, 1, 1, 3, 5, 0), 2, 6, 7},   // IGEMM, odd kernel: symmetric padding
      {Conv(2, 2, 1, 1, 1, 3, 5, 0), 1, 5, 4},   // IGEMM, even kernel: the odd pixel before
      {Conv(4, 3, 2, 1, 2, 2, 3, 0), 2, 9, 8},   // IGEMM, grouped, stride 2
      {Conv(3, 3, 2, 2, 1, 4, 4, 0), 1, 7, 10},  // IGEMM, dilated
      {Conv(2, 2, 1, 1, 7, 1, 1, 0), 2, 6, 5},   // depthwise, even kernel
      {Conv(3, 3, 2, 1, 9, 1, 1, 0), 1, 8, 9},   // depthwise, stride 2
      {Conv(2, 3, 1, 2, 5, 1, 1, 0), 1, 7, 6},   // depthwise, dilated
      {Conv(1, 1, 1, 1, 1, 6, 3, 0), 2, 4, 3},   // GEMM: a 1x1 stride-1 kernel pads nothing
  };
  uint32_t seed = 100;
  for (const auto& c : cases) {
    auto p = c.p;
    p.flags = PNN_FLAG_SAME_LOWER_PADDING;
    const size_t cin = p.groups * p.group_input_channels, cout = p.groups * p.group_output_channels;
    const auto x = pnn_test::RandomVector(c.n * c.h * c.w * cin, seed++);
    const auto k = pnn_test::RandomVector(
        cout * p.kernel_height * p.kernel_width * p.group_input_channels, seed++);
    const auto b = pnn_test::RandomVector(cout, seed++);
    Check(p, ExplicitSameLower(p, c.h, c.w), c.n, c.h, c.w, {x.data()}, k, b);
  }
}

// The same data in a static array and on the heap, bound in turn, gives the same results on the
// IGEMM and depthwise paths (tests/indirection-test.cc forces the rebuilding bind).
float g_static_input[2 * 7 * 6 * 8];

TEST(ConvolutionModes, InputsOnBothSidesOfTheAnchor) {
  // The third is dilated on a small map: the tap-sparse IGEMM path, whose own pointers are
  // copied again when a bind moves the anchor.
  for (const auto& p0 : {Conv(3, 3, 1, 1, 1, 8, 5, 0), Conv(3, 2, 2, 1, 8, 1, 1, 0),
                         Conv(3, 3, 1, 6, 1, 8, 5, 0)}) {
    auto p = p0;
    const uint32_t pad = p.dilation_height;
    p.padding_top = p.padding_left = p.padding_bottom = pad;
    if (pad > 1) p.padding_right = pad;
    const size_t n = 2, h = 7, w = 6;
    const auto heap = pnn_test::RandomVector(n * h * w * 8, 7);
    std::memcpy(g_static_input, heap.data(), sizeof g_static_input);
    const auto k = pnn_test::RandomVector(p.groups * p.group_output_channels * p.kernel_height *
                                              p.kernel_width * p.group_input_channels,
                                          8);
    const auto b = pnn_test::RandomVector(p.groups * p.group_output_channels, 9);
    Check(p, p, n, h, w, {g_static_input, heap.data(), g_static_input}, k, b);
  }
}

bool Contains(const std::string& s, const char* w) { return s.find(w) != std::string::npos; }

TEST(ConvolutionReasons, Create) {
  const float w[64] = {0};
  using P = pnn_convolution2d_params;
  const P base = Conv(3, 3, 1, 1, 1, 2, 2, 0);
  struct Bad {
    void (*edit)(P&);
    pnn_status status;
    const char* words;
  };
  const Bad bad[] = {
      {[](P& p) { p.stride_height = 0; }, pnn_status_invalid_parameter,
       "stride_height is 0; it must be >= 1"},
      {[](P& p) { p.kernel_width = 0; }, pnn_status_invalid_parameter,
       "kernel_width is 0; it must be >= 1"},
      {[](P& p) { p.dilation_width = 0; }, pnn_status_invalid_parameter,
       "dilation_width is 0; it must be >= 1"},
      {[](P& p) { p.groups = 0; }, pnn_status_invalid_parameter, "groups is 0; it must be >= 1"},
      {[](P& p) { p.group_input_channels = 0; }, pnn_status_invalid_parameter,
       "group_input_channels is 0; it must be >= 1"},
      {[](P& p) { p.group_output_channels = 0; }, pnn_status_invalid_parameter,
       "group_output_channels is 0; it must be >= 1"},
      {[](P& p) {
         p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
         p.padding_top = 5;
       },
       pnn_status_invalid_parameter,
       "padding_top is 5 but SAME padding was requested; explicit paddings must be 0 with "
       "PNN_FLAG_TENSORFLOW_SAME_PADDING"},
      {[](P& p) {
         p.flags = PNN_FLAG_SAME_LOWER_PADDING;
         p.padding_right = 1;
       },
       pnn_status_invalid_parameter, "padding_right is 1 but SAME padding was requested"},
      {[](P& p) { p.flags = PNN_FLAG_SAME_LOWER_PADDING | PNN_FLAG_TENSORFLOW_SAME_PADDING; },
       pnn_status_invalid_parameter, "are exclusive"},
      {[](P& p) { p.flags = PNN_FLAG_CEIL_MODE; }, pnn_status_invalid_parameter,
       "flags has unknown bits (128)"},
      {[](P& p) { p.output_min = 2.0f, p.output_max = 1.0f; }, pnn_status_invalid_parameter,
       "output_min 2 and output_max 1"},
      {[](P& p) { p.group_input_channels = SIZE_MAX; }, pnn_status_invalid_parameter,
       "overflow size_t"},
  };
  for (const Bad& b : bad) {
    P p = base;
    b.edit(p);
    pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(&p, w, nullptr, &op), b.status) << b.words;
    EXPECT_EQ(op, nullptr);
    const std::string m = pnn_last_error_message();
    EXPECT_EQ(m.rfind("pnn_create_convolution2d_nhwc_f32: ", 0), 0u) << m;
    EXPECT_TRUE(Contains(m, b.words)) << m;
  }
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(&base, nullptr, nullptr, &op),
            pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_create_convolution2d_nhwc_f32: kernel is NULL");
  EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(nullptr, w, nullptr, &op),
            pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_create_convolution2d_nhwc_f32: params is NULL");
}

TEST(ConvolutionReasons, ReshapeAndSetup) {
  const float w[64] = {0};
  auto p = Conv(5, 3, 1, 1, 1, 2, 2, 0);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, w, nullptr, &op), pnn_status_success);
  size_t oh = 777;
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, 3, 8, &oh, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(oh, 777u);
  EXPECT_STREQ(pnn_last_error_message(),
               "pnn_reshape_convolution2d_nhwc_f32: input height 3 with kernel_height 5 "
               "(dilation_height 1) and paddings 0+0 gives an empty output; the padded height (3) "
               "must be at least the dilated kernel extent (5)");
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 0, 8, 8, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(),
               "pnn_reshape_convolution2d_nhwc_f32: batch is 0; it must be >= 1");
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, 8, 0, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "input width is 0; it must be >= 1"));
  EXPECT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 8, 8, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "not a max pooling operator"));
  std::vector<float> buf(8 * 8 * 2 * 2);
  EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, buf.data(), buf.data()), pnn_status_invalid_state);
  ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, 8, 8, nullptr, nullptr, nullptr),
            pnn_status_success);
  EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, buf.data(), buf.data() + 1),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(),
                       "pnn_setup_convolution2d_nhwc_f32: input and output overlap"));
  pnn_delete_operator(op);
}

}  // namespace
