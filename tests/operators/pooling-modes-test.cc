// Max and average pooling with the padding modes of src/window.h that the API exposes beyond
// explicit and TensorFlow SAME padding: PNN_FLAG_CEIL_MODE (ONNX ceil_mode, including its
// count_include_pad divisor, which counts padded positions only up to the explicit padding) and
// PNN_FLAG_SAME_LOWER_PADDING, against a naive double reference over windows enumerated with
// signed positions (tests/window-reference.h). Also: inputs at different addresses give the same
// results (src/indirection.h binds each with an offset), the reasons of pooling's failures, and the
// bounded padding-only-window check.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "portnn.h"
#include "reference/pooling-reference.h"
#include "test-utils.h"
#include "window-reference.h"

namespace {

PNN_TEST_INIT_LIBRARY();

using pnn_test::Padded;
using pnn_test::PoolingParams;

struct Shape {
  size_t n, h, w;
};

pnn_ref::WindowPadding PaddingOf(uint32_t flags) {
  return (flags & PNN_FLAG_SAME_LOWER_PADDING) != 0        ? pnn_ref::WindowPadding::kSameLower
         : (flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0 ? pnn_ref::WindowPadding::kSameUpper
                                                           : pnn_ref::WindowPadding::kExplicit;
}

bool Axes(const pnn_pooling2d_params& p, size_t h, size_t w, pnn_ref::WindowAxisRef* y,
          pnn_ref::WindowAxisRef* x) {
  const bool ceil_mode = (p.flags & PNN_FLAG_CEIL_MODE) != 0;
  return pnn_ref::window_axis(h, p.pooling_height, p.stride_height, p.dilation_height,
                              p.padding_top, p.padding_bottom, PaddingOf(p.flags), ceil_mode, y) &&
         pnn_ref::window_axis(w, p.pooling_width, p.stride_width, p.dilation_width, p.padding_left,
                              p.padding_right, PaddingOf(p.flags), ceil_mode, x);
}

// The reference output and per-element tolerance.
void Reference(bool is_max, const pnn_pooling2d_params& p, const Shape& s, const float* x,
               std::vector<double>* y, std::vector<double>* tol) {
  pnn_ref::WindowAxisRef ay, ax;
  ASSERT_TRUE(Axes(p, s.h, s.w, &ay, &ax));
  const size_t c = p.channels;
  const bool include_pad = (p.flags & PNN_FLAG_COUNT_INCLUDE_PAD) != 0;
  y->assign(s.n * ay.out * ax.out * c, 0.0);
  tol->assign(y->size(), 0.0);
  for (size_t b = 0; b < s.n; b++)
    for (int64_t oy = 0; oy < ay.out; oy++)
      for (int64_t ox = 0; ox < ax.out; ox++)
        for (size_t ch = 0; ch < c; ch++) {
          double best = -INFINITY, sum = 0, max_abs = 0;
          size_t valid = 0, inside = 0;
          for (int64_t ky = 0; ky < p.pooling_height; ky++) {
            const int64_t iy = oy * p.stride_height + ky * p.dilation_height - ay.pad_before;
            for (int64_t kx = 0; kx < p.pooling_width; kx++) {
              const int64_t ix = ox * p.stride_width + kx * p.dilation_width - ax.pad_before;
              // count_include_pad (ONNX): positions inside the input and its padding, not the
              // ceil-mode overhang past it.
              inside += iy < int64_t(s.h) + ay.pad_after && ix < int64_t(s.w) + ax.pad_after;
              if (iy < 0 || iy >= int64_t(s.h) || ix < 0 || ix >= int64_t(s.w)) continue;
              const double v = x[((b * s.h + iy) * s.w + ix) * c + ch];
              best = std::max(best, v);
              sum += v;
              max_abs = std::max(max_abs, std::fabs(v));
              valid++;
            }
          }
          ASSERT_GT(valid, 0u) << "the test shape has a padding-only window";
          const size_t o = ((b * ay.out + oy) * ax.out + ox) * c + ch;
          if (is_max) {
            (*y)[o] = best;
          } else {
            (*y)[o] = sum / double(include_pad ? inside : valid);
            (*tol)[o] =
                pnn_ref::average_tolerance(size_t{p.pooling_height} * p.pooling_width, max_abs);
          }
        }
}

pnn_status CreatePool(bool is_max, const pnn_pooling2d_params& p, pnn_operator_t* op) {
  return is_max ? pnn_create_max_pooling2d_nhwc_f32(&p, op)
                : pnn_create_average_pooling2d_nhwc_f32(&p, op);
}
pnn_status ReshapePool(bool is_max, pnn_operator_t op, const Shape& s, size_t* oh, size_t* ow) {
  return is_max ? pnn_reshape_max_pooling2d_nhwc_f32(op, s.n, s.h, s.w, oh, ow, nullptr)
                : pnn_reshape_average_pooling2d_nhwc_f32(op, s.n, s.h, s.w, oh, ow, nullptr);
}
pnn_status SetupPool(bool is_max, pnn_operator_t op, const float* x, float* y) {
  return is_max ? pnn_setup_max_pooling2d_nhwc_f32(op, x, y)
                : pnn_setup_average_pooling2d_nhwc_f32(op, x, y);
}

// Creates once, then per shape: reshape (sizes checked against the reference), run, compare.
void Check(bool is_max, const pnn_pooling2d_params& p, const std::vector<Shape>& shapes,
           uint32_t seed) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(CreatePool(is_max, p, &op), pnn_status_success) << pnn_last_error_message();
  for (const Shape& s : shapes) {
    pnn_ref::WindowAxisRef ay, ax;
    ASSERT_TRUE(Axes(p, s.h, s.w, &ay, &ax));
    size_t oh = 0, ow = 0;
    ASSERT_EQ(ReshapePool(is_max, op, s, &oh, &ow), pnn_status_success) << pnn_last_error_message();
    ASSERT_EQ(int64_t(oh), ay.out) << s.h << "x" << s.w;
    ASSERT_EQ(int64_t(ow), ax.out) << s.h << "x" << s.w;
    const auto x = pnn_test::RandomVector(s.n * s.h * s.w * p.channels, seed++);
    std::vector<float> y(s.n * oh * ow * p.channels, NAN);
    ASSERT_EQ(SetupPool(is_max, op, x.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    std::vector<double> ref, tol;
    Reference(is_max, p, s, x.data(), &ref, &tol);
    for (size_t i = 0; i < y.size(); i++) {
      if (is_max) {
        ASSERT_EQ(double(y[i]), ref[i]) << "element " << i << " of " << s.h << "x" << s.w;
      } else {
        ASSERT_NEAR(y[i], ref[i], tol[i]) << "element " << i << " of " << s.h << "x" << s.w;
      }
    }
  }
  pnn_delete_operator(op);
}

TEST(PoolingModes, CeilMode) {
  for (bool is_max : {true, false})
    for (uint32_t extra : {0u, PNN_FLAG_COUNT_INCLUDE_PAD}) {
      if (is_max && extra != 0) continue;
      const uint32_t f = PNN_FLAG_CEIL_MODE | extra;
      for (size_t c : {1, 5, 19}) {
        Check(is_max, PoolingParams(2, 2, 2, 2, c, f), {{1, 5, 5}, {2, 6, 7}, {1, 3, 3}}, 1);
        Check(is_max, PoolingParams(3, 3, 2, 2, c, f), {{1, 6, 6}, {2, 8, 5}, {1, 4, 9}}, 2);
        Check(is_max, Padded(PoolingParams(3, 3, 2, 2, c, f), 1, 1, 1, 1),
              {{1, 6, 6}, {1, 5, 8}, {2, 2, 2}}, 3);
        Check(is_max, Padded(PoolingParams(3, 2, 3, 2, c, f), 2, 0, 1, 1), {{1, 7, 4}, {2, 5, 5}}, 4);
        // The last window starts exactly at the end of input + left padding: dropped.
        Check(is_max, Padded(PoolingParams(2, 3, 4, 3, c, f), 1, 2, 1, 0), {{1, 7, 6}, {1, 4, 4}}, 5);
      }
    }
  // Dilated max pooling in ceil mode.
  auto d = Padded(PoolingParams(3, 2, 2, 3, 3, PNN_FLAG_CEIL_MODE), 2, 1, 0, 1);
  d.dilation_height = 2;
  d.dilation_width = 3;
  Check(true, d, {{1, 9, 8}, {2, 6, 11}}, 6);
}

TEST(PoolingModes, SameLower) {
  for (bool is_max : {true, false})
    for (uint32_t extra : {0u, PNN_FLAG_COUNT_INCLUDE_PAD}) {
      if (is_max && extra != 0) continue;
      const uint32_t f = PNN_FLAG_SAME_LOWER_PADDING | extra;
      for (size_t c : {1, 7}) {
        Check(is_max, PoolingParams(2, 2, 1, 1, c, f), {{1, 4, 5}, {2, 3, 3}}, 10);
        Check(is_max, PoolingParams(4, 3, 2, 2, c, f), {{1, 7, 8}, {1, 1, 2}, {2, 9, 5}}, 11);
        Check(is_max, PoolingParams(3, 3, 3, 1, c, f), {{1, 10, 4}}, 12);
      }
    }
  auto d = PoolingParams(3, 2, 2, 1, 4, PNN_FLAG_SAME_LOWER_PADDING);
  d.dilation_height = d.dilation_width = 2;
  Check(true, d, {{1, 7, 8}, {2, 4, 3}}, 13);
}

// SAME_LOWER puts the odd padding pixel first: a 2x2 stride-1 window over [[1, 2], [3, 4]]
// reads (padding, padding, padding, 1) at the first output.
TEST(PoolingModes, SameLowerPutsTheOddPixelFirst) {
  const float x[4] = {1, 2, 3, 4};
  float y[4] = {0, 0, 0, 0};
  pnn_operator_t op = nullptr;
  const auto p = PoolingParams(2, 2, 1, 1, 1, PNN_FLAG_SAME_LOWER_PADDING);
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 2, 2, nullptr, nullptr, nullptr),
            pnn_status_success);
  ASSERT_EQ(pnn_setup_max_pooling2d_nhwc_f32(op, x, y), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_EQ(std::vector<float>(y, y + 4), (std::vector<float>{1, 2, 3, 4}));
  pnn_delete_operator(op);
}

// The same data at different addresses (a static array and a heap buffer, bound in turn): each
// binding gives the reference result. (Which bindings rebuild depends on where the anchor lies;
// tests/indirection-test.cc forces both cases.)
float g_static_input[2 * 9 * 8 * 5];

TEST(PoolingModes, InputsOnBothSidesOfTheAnchor) {
  for (bool is_max : {true, false}) {
    const auto p =
        Padded(PoolingParams(3, 2, 2, 1, 5, is_max ? 0u : PNN_FLAG_COUNT_INCLUDE_PAD), 1, 1, 1, 0);
    const Shape s = {2, 9, 8};
    pnn_operator_t op = nullptr;
    ASSERT_EQ(CreatePool(is_max, p, &op), pnn_status_success);
    size_t oh, ow;
    ASSERT_EQ(ReshapePool(is_max, op, s, &oh, &ow), pnn_status_success);
    const auto heap = pnn_test::RandomVector(2 * 9 * 8 * 5, 21);
    std::memcpy(g_static_input, heap.data(), sizeof g_static_input);
    std::vector<double> ref, tol;
    Reference(is_max, p, s, heap.data(), &ref, &tol);
    for (const float* x : {static_cast<const float*>(g_static_input), heap.data(),
                           static_cast<const float*>(g_static_input)}) {
      std::vector<float> y(ref.size(), NAN);
      ASSERT_EQ(SetupPool(is_max, op, x, y.data()), pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
      for (size_t i = 0; i < y.size(); i++) ASSERT_NEAR(y[i], ref[i], tol[i]) << i;
    }
    pnn_delete_operator(op);
  }
}

bool Contains(const std::string& s, const char* w) { return s.find(w) != std::string::npos; }

TEST(PoolingReasons, Create) {
  pnn_operator_t op = nullptr;
  struct Bad {
    pnn_pooling2d_params p;
    bool is_max;
    pnn_status status;
    const char* words;
  };
  auto with = [](pnn_pooling2d_params p, void (*edit)(pnn_pooling2d_params&)) {
    edit(p);
    return p;
  };
  const auto base = PoolingParams(3, 3, 1, 1, 4, 0);
  const Bad bad[] = {
      {with(base, [](pnn_pooling2d_params& p) { p.pooling_height = 0; }), true,
       pnn_status_invalid_parameter, "pooling_height is 0; it must be >= 1"},
      {with(base, [](pnn_pooling2d_params& p) { p.stride_width = 0; }), false,
       pnn_status_invalid_parameter, "stride_width is 0; it must be >= 1"},
      {with(base, [](pnn_pooling2d_params& p) { p.dilation_height = 0; }), true,
       pnn_status_invalid_parameter, "dilation_height is 0; it must be >= 1"},
      {with(base, [](pnn_pooling2d_params& p) { p.channels = 0; }), true,
       pnn_status_invalid_parameter, "channels is 0; it must be >= 1"},
      {with(base, [](pnn_pooling2d_params& p) { p.output_min = NAN; }), true,
       pnn_status_invalid_parameter, "output_min must be <= output_max"},
      {with(base,
            [](pnn_pooling2d_params& p) {
              p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
              p.padding_top = 5;
            }),
       true, pnn_status_invalid_parameter,
       "padding_top is 5 but SAME padding was requested; explicit paddings must be 0 with "
       "PNN_FLAG_TENSORFLOW_SAME_PADDING"},
      {with(base,
            [](pnn_pooling2d_params& p) {
              p.flags = PNN_FLAG_SAME_LOWER_PADDING | PNN_FLAG_CEIL_MODE;
            }),
       true, pnn_status_invalid_parameter, "ceil mode applies to explicit padding only"},
      {with(base,
            [](pnn_pooling2d_params& p) {
              p.flags = PNN_FLAG_SAME_LOWER_PADDING | PNN_FLAG_TENSORFLOW_SAME_PADDING;
            }),
       false, pnn_status_invalid_parameter, "are exclusive"},
      {with(base, [](pnn_pooling2d_params& p) { p.flags = PNN_FLAG_COUNT_INCLUDE_PAD; }), true,
       pnn_status_invalid_parameter, "flags has unknown bits (16)"},
      {with(base, [](pnn_pooling2d_params& p) { p.padding_right = 3; }), true,
       pnn_status_invalid_parameter,
       "padding_right is 3 but the dilated pooling extent along the width is 3"},
      {with(base, [](pnn_pooling2d_params& p) { p.dilation_width = 2; }), false,
       pnn_status_unsupported_parameter, "average pooling supports dilation 1 only"},
  };
  for (const Bad& b : bad) {
    op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(CreatePool(b.is_max, b.p, &op), b.status) << b.words;
    EXPECT_EQ(op, nullptr);
    const std::string m = pnn_last_error_message();
    const char* prefix = b.is_max ? "pnn_create_max_pooling2d_nhwc_f32: "
                                  : "pnn_create_average_pooling2d_nhwc_f32: ";
    EXPECT_EQ(m.rfind(prefix, 0), 0u) << m;
    EXPECT_TRUE(Contains(m, b.words)) << m;
  }
  EXPECT_EQ(pnn_create_max_pooling2d_nhwc_f32(nullptr, &op), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(), "pnn_create_max_pooling2d_nhwc_f32: params is NULL");
}

TEST(PoolingReasons, ReshapeAndSetup) {
  pnn_operator_t op = nullptr;
  auto p = Padded(PoolingParams(2, 1, 1, 1, 3, 0), 1, 0, 2, 0);
  p.dilation_height = 3;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  // Taps at rows -1 and 2 of a 1-row input: window 0 reads padding only.
  EXPECT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 1, 4, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(),
               "pnn_reshape_max_pooling2d_nhwc_f32: pooling window 0 along the height covers only "
               "padding (pooling_height 2, dilation_height 3, leading padding 1, input height 1); "
               "every window must read the input");
  EXPECT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 0, 3, 4, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(),
               "pnn_reshape_max_pooling2d_nhwc_f32: batch is 0; it must be >= 1");
  EXPECT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 3, 0, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "input width is 0; it must be >= 1"));
  ASSERT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 3, 4, nullptr, nullptr, nullptr),
            pnn_status_success);
  std::vector<float> buf(64);
  EXPECT_EQ(pnn_setup_max_pooling2d_nhwc_f32(op, buf.data(), buf.data() + 4),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(),
                       "pnn_setup_max_pooling2d_nhwc_f32: input and "
                       "output overlap"));
  EXPECT_EQ(pnn_reshape_average_pooling2d_nhwc_f32(op, 1, 3, 4, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(Contains(pnn_last_error_message(), "not a average pooling operator") ||
              Contains(pnn_last_error_message(), "not an average pooling operator"))
      << pnn_last_error_message();
  pnn_delete_operator(op);

  auto q = PoolingParams(4, 2, 1, 1, 1, 0);
  ASSERT_EQ(pnn_create_average_pooling2d_nhwc_f32(&q, &op), pnn_status_success);
  EXPECT_EQ(pnn_reshape_average_pooling2d_nhwc_f32(op, 1, 3, 5, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_last_error_message(),
               "pnn_reshape_average_pooling2d_nhwc_f32: input height 3 with pooling_height 4 "
               "(dilation_height 1) and paddings 0+0 gives an empty output; the padded height "
               "(3) must be at least the dilated kernel extent (4)");
  pnn_delete_operator(op);
}

}  // namespace
