// Argmax pooling (pnn_*_argmax_pooling2d_nhwc_f32) against the double reference of
// tests/reference/pooling-reference.h: values exactly max pooling's, indices iy * W + ix of the
// first maximum in row-major tap order (inputs with many ties check the "first"); padding never
// wins; NaN as the header says; 1 vs 2 threads bit for bit; create once, reshape many; every
// error status with nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "reference/pooling-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::Padded;
using pnn_test::PoolingParams;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

constexpr uint32_t kUnwritten = 0xA5A5A5A5u;

struct ArgmaxResult {
  std::vector<float> y;
  std::vector<uint32_t> index;
};

// Reshapes, sets up and runs `op` over x = [n][ih][iw][c]; checks the reported output size
// against the reference's and that nothing past the outputs was written.
ArgmaxResult RunArgmax(pnn_operator_t op, const pnn_pooling2d_params& p,
                       const std::vector<float>& x, size_t n, size_t ih, size_t iw,
                       pnn_threadpool_t pool) {
  const pnn_ref::PoolShape s = pnn_ref::pool_shape(p, ih, iw);
  EXPECT_TRUE(s.ok);
  size_t oh = 0, ow = 0;
  EXPECT_EQ(pnn_reshape_argmax_pooling2d_nhwc_f32(op, n, ih, iw, &oh, &ow, pool),
            pnn_status_success);
  EXPECT_EQ(oh, s.oh);
  EXPECT_EQ(ow, s.ow);
  const size_t count = n * s.oh * s.ow * p.channels;
  GuardedBuffer y(count), in(x.size());
  std::copy(x.begin(), x.end(), in.data());
  std::vector<uint32_t> index(count + 4, kUnwritten);
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, in.data(), y.data(), index.data()),
            pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  for (size_t i = count; i < index.size(); i++) EXPECT_EQ(index[i], kUnwritten) << i;
  index.resize(count);
  return {std::vector<float>(y.data(), y.data() + count), index};
}

void ExpectMatches(const pnn_pooling2d_params& p, const std::vector<float>& x,
                   const ArgmaxResult& r, size_t n, size_t ih, size_t iw) {
  const pnn_ref::PoolResult ref = pnn_ref::pooling2d(true, p, x.data(), n, ih, iw);
  ASSERT_EQ(r.y.size(), ref.y.size());
  for (size_t i = 0; i < r.y.size(); i++) {
    ASSERT_EQ(r.y[i], static_cast<float>(ref.y[i])) << "value, element " << i;
    ASSERT_EQ(r.index[i], ref.index[i]) << "index, element " << i;
  }
}

// Inputs on a coarse grid (multiples of 0.5 in [-2, 2]): most windows hold equal maxima.
std::vector<float> TiedInput(size_t count, uint32_t seed) {
  auto x = RandomVector(count, seed, -2.0f, 2.0f);
  for (float& v : x) v = std::round(v * 2.0f) / 2.0f;
  return x;
}

void CheckArgmax(const pnn_pooling2d_params& p, std::initializer_list<std::array<size_t, 3>> shapes,
                 uint32_t seed) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  for (const auto& sh : shapes) {
    const size_t n = sh[0], ih = sh[1], iw = sh[2];
    for (bool tied : {false, true}) {
      const size_t count = n * ih * iw * p.channels;
      const auto x = tied ? TiedInput(count, seed) : RandomVector(count, seed, -4.0f, 4.0f);
      seed++;
      SCOPED_TRACE("n=" + std::to_string(n) + " ih=" + std::to_string(ih) + " iw=" +
                   std::to_string(iw) + " c=" + std::to_string(p.channels) + (tied ? " tied" : ""));
      ExpectMatches(p, x, RunArgmax(op, p, x, n, ih, iw, nullptr), n, ih, iw);
    }
  }
  pnn_delete_operator(op);
}

TEST(ArgmaxPooling, WindowsStridesPaddingsDilations) {
  for (size_t c : {1, 3, 8, 17, 33}) {
    CheckArgmax(PoolingParams(2, 2, 2, 2, c), {{1, 8, 8}, {2, 7, 9}, {1, 2, 2}}, 10);
    CheckArgmax(Padded(PoolingParams(3, 3, 2, 2, c), 1, 1, 1, 1), {{1, 7, 7}, {2, 6, 5}}, 20);
    CheckArgmax(Padded(PoolingParams(3, 2, 1, 2, c), 2, 0, 1, 1), {{1, 5, 9}, {3, 4, 4}}, 30);
    auto dilated = PoolingParams(3, 3, 1, 1, c);
    dilated.dilation_height = dilated.dilation_width = 2;
    CheckArgmax(Padded(dilated, 2, 1, 0, 2), {{1, 9, 8}, {2, 6, 7}}, 40);
    CheckArgmax(PoolingParams(5, 5, 3, 3, c), {{1, 11, 12}}, 50);
  }
}

TEST(ArgmaxPooling, SamePaddingAndClamp) {
  auto p = PoolingParams(3, 3, 2, 2, 6, PNN_FLAG_TENSORFLOW_SAME_PADDING);
  p.output_min = -0.5f;
  p.output_max = 1.0f;
  CheckArgmax(p, {{1, 9, 9}, {2, 8, 7}}, 60);
}

// An all-negative input with padding: the padded taps (zeros in an average) never win, the
// index always names an input pixel.
TEST(ArgmaxPooling, PaddingNeverWins) {
  const auto p = Padded(PoolingParams(3, 3, 1, 1, 2), 1, 1, 1, 1);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  const auto x = RandomVector(4 * 4 * 2, 70, -9.0f, -1.0f);
  const ArgmaxResult r = RunArgmax(op, p, x, 1, 4, 4, nullptr);
  ExpectMatches(p, x, r, 1, 4, 4);
  for (size_t i = 0; i < r.y.size(); i++) {
    EXPECT_LT(r.y[i], 0.0f);
    EXPECT_EQ(x[r.index[i] * 2 + i % 2], r.y[i]) << i;
  }
  pnn_delete_operator(op);
}

// NaN: kept (with its index) only as the window's first valid tap; never replaces a number.
TEST(ArgmaxPooling, NaNAndInfinity) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const auto p = PoolingParams(2, 2, 2, 2, 1);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  // 2 x 6 image, three 2x2 windows: [nan 1 | 2 nan | -inf -inf], [3 4 | 5 1 | -inf inf].
  const std::vector<float> x = {nan, 1, 2, nan, -inf, -inf, 3, 4, 5, 1, -inf, inf};
  const ArgmaxResult r = RunArgmax(op, p, x, 1, 2, 6, nullptr);
  EXPECT_TRUE(std::isnan(r.y[0]));
  EXPECT_EQ(r.index[0], 0u);
  EXPECT_EQ(r.y[1], 5.0f);
  EXPECT_EQ(r.index[1], 8u);
  EXPECT_EQ(r.y[2], inf);
  EXPECT_EQ(r.index[2], 11u);
  pnn_delete_operator(op);
}

TEST(ArgmaxPooling, OneAndTwoThreadsAgree) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const auto p = Padded(PoolingParams(3, 3, 2, 2, 19), 1, 0, 1, 1);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  const auto x = TiedInput(2 * 41 * 37 * 19, 80);
  const ArgmaxResult a = RunArgmax(op, p, x, 2, 41, 37, nullptr);
  const ArgmaxResult b = RunArgmax(op, p, x, 2, 41, 37, pool);
  EXPECT_EQ(std::memcmp(a.y.data(), b.y.data(), a.y.size() * sizeof(float)), 0);
  EXPECT_EQ(a.index, b.index);
  ExpectMatches(p, x, b, 2, 41, 37);
  pnn_delete_operator(op);
  pnn_threadpool_destroy(pool);
}

// One operator, shapes growing and shrinking: the tap indices are rebuilt per shape.
TEST(ArgmaxPooling, CreateOnceReshapeMany) {
  CheckArgmax(Padded(PoolingParams(3, 3, 2, 2, 5), 1, 1, 1, 1),
              {{1, 5, 5}, {2, 16, 11}, {1, 3, 3}, {1, 9, 30}}, 90);
}

TEST(ArgmaxPoolingErrors, SetupRejectsNullAndOverlap) {
  const auto p = PoolingParams(2, 2, 2, 2, 3);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  const size_t in = 4 * 4 * 3, out = 2 * 2 * 3;
  GuardedBuffer x(in), y(out);
  std::vector<uint32_t> index(out, kUnwritten);
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, x.data(), y.data(), index.data()),
            pnn_status_invalid_state);  // not reshaped
  ASSERT_EQ(pnn_reshape_argmax_pooling2d_nhwc_f32(op, 1, 4, 4, nullptr, nullptr, nullptr),
            pnn_status_success);
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, x.data(), y.data(), nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, nullptr, y.data(), index.data()),
            pnn_status_invalid_parameter);
  // The indices over the output, over the input; the output over the input.
  GuardedBuffer all(in + 2 * out);
  float* base = all.data();
  uint32_t* as_index = reinterpret_cast<uint32_t*>(base + in);
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, base, base + in + 1, as_index),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, base, base + in,
                                                reinterpret_cast<uint32_t*>(base + in - 1)),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, base, base + 5, as_index),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(all.Untouched());
  EXPECT_EQ(pnn_setup_argmax_pooling2d_nhwc_f32(op, base, base + in,
                                                reinterpret_cast<uint32_t*>(base + in + out)),
            pnn_status_success);
  pnn_delete_operator(op);
}

TEST(ArgmaxPoolingErrors, CreateAndReshapeRejectWhatMaxPoolingRejects) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(nullptr, &op), pnn_status_invalid_parameter);
  auto p = PoolingParams(2, 2, 2, 2, 3, PNN_FLAG_COUNT_INCLUDE_PAD);  // average only
  EXPECT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  p = Padded(PoolingParams(2, 2, 1, 1, 3), 2, 0, 0, 0);  // padding >= the window
  EXPECT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_invalid_parameter);
  p = PoolingParams(2, 2, 2, 2, 1);
  ASSERT_EQ(pnn_create_argmax_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  size_t oh = 7, ow = 7;
  EXPECT_EQ(pnn_reshape_argmax_pooling2d_nhwc_f32(op, 0, 4, 4, &oh, &ow, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_argmax_pooling2d_nhwc_f32(op, 1, 1, 4, &oh, &ow, nullptr),
            pnn_status_invalid_parameter);  // the window is taller than the input
  EXPECT_EQ(oh, 7u);
  EXPECT_EQ(ow, 7u);
  // Planes past 2^32 pixels: their indices would not fit uint32 (rejected before any allocation).
  EXPECT_EQ(pnn_reshape_argmax_pooling2d_nhwc_f32(op, 1, 65538, 65538, &oh, &ow, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_NE(std::string(pnn_last_error_message()).find("uint32"), std::string::npos)
      << pnn_last_error_message();
  EXPECT_EQ(oh, 7u);
  // Another operator type's calls reject it, and it rejects theirs.
  EXPECT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 4, 4, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  pnn_operator_t max = nullptr;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &max), pnn_status_success);
  EXPECT_EQ(pnn_reshape_argmax_pooling2d_nhwc_f32(max, 1, 4, 4, nullptr, nullptr, nullptr),
            pnn_status_invalid_parameter);
  pnn_delete_operator(max);
  pnn_delete_operator(op);
}

}  // namespace
