// Softmax operator against a double reference (with the tolerance derived below), and every
// error status. The kernels themselves: tests/kernels/f32-softmax-test.cc.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "configs/softmax-config.h"
#include "hardware-config.h"
#include "reference/unary-reference.h"
#include "scalar/math-approx.h"
#include "test-utils.h"

using pnn::approx::ErrorBound;
using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

PNN_TEST_INIT_LIBRARY();

namespace {

constexpr double kHalfUlp = 0x1p-24;  // one float rounding, relative

// ------------------------------------------------------------------------------------------
// Reference: softmax of each row in double, and the tolerance of each element.
//
// The float computation is y_i = fl(e_i * fl(1 / s)) with e_i = exp~(fl(x_i - m)) and s the
// float sum of the e_j, m the row maximum (exact: one of the inputs). Its error, relative to
// the exact y_i = exp(x_i - m) / sum_j exp(x_j - m), adds up from:
//   - exp~ itself:                         kExpError.rel;
//   - the rounding of x_i - m, which exp turns into a relative error: |x_i - m| * 2^-24;
//   - the sum: each term carries the two errors above, weighted by its share e_j / s, and
//     float summation of n positive terms adds at most (n - 1) * 2^-24 (first order);
//   - 1 / s and the product: 2 * 2^-24.
// Absolutely: exp~ results in the denormal range carry 0.75 of a denormal step, which the
// scale (<= 1) keeps, and a denormal product adds half a step: two steps in all.
struct SoftmaxReference {
  std::vector<double> y;
  std::vector<ErrorBound> bound;
};

SoftmaxReference ReferenceSoftmax(const std::vector<float>& x, size_t batch, size_t channels) {
  const double exp_rel = pnn::approx::kExpError.rel;
  SoftmaxReference ref{std::vector<double>(x.size()), std::vector<ErrorBound>(x.size())};
  for (size_t b = 0; b < batch; b++) {
    const float* row = x.data() + b * channels;
    double m = -INFINITY;
    bool has_nan = false;
    for (size_t c = 0; c < channels; c++) {
      has_nan |= std::isnan(row[c]);
      m = std::max(m, static_cast<double>(row[c]));
    }
    if (has_nan) m = NAN;
    // |x - m|, the magnitude the rounding of x - m scales; 0 for -inf entries, whose exact
    // result 0 the kernel reproduces exactly.
    auto shift = [m](float v) {
      const double d = std::fabs(v - m);
      return std::isinf(d) ? 0.0 : d;
    };
    double sum = 0.0, weighted_shift = 0.0;
    for (size_t c = 0; c < channels; c++) {
      const double e = std::exp(row[c] - m);
      sum += e;
      weighted_shift += e * shift(row[c]);
    }
    const double sum_rel =
        static_cast<double>(channels - 1) * kHalfUlp + exp_rel + weighted_shift / sum * kHalfUlp;
    for (size_t c = 0; c < channels; c++) {
      const size_t i = b * channels + c;
      ref.y[i] = std::exp(row[c] - m) / sum;
      const double rel = exp_rel + shift(row[c]) * kHalfUlp + sum_rel + 2 * kHalfUlp;
      ref.bound[i] = ErrorBound{rel, 2 * pnn::approx::kDenormalStep};
    }
  }
  return ref;
}

// ------------------------------------------------------------------------------------------
// Operator tests.

std::vector<float> RunSoftmax(pnn_operator_t op, const std::vector<float>& x, size_t batch,
                              pnn_threadpool_t pool) {
  GuardedBuffer y(x.size());
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(op, batch, pool), pnn_status_success);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

void ExpectMatchesReference(const std::vector<float>& x, const std::vector<float>& y, size_t batch,
                            size_t channels) {
  const SoftmaxReference ref = ReferenceSoftmax(x, batch, channels);
  for (size_t i = 0; i < x.size(); i++) {
    ASSERT_TRUE(pnn_ref::within_bound(y[i], ref.y[i], ref.bound[i]))
        << "batch " << batch << " channels " << channels << " row " << i / channels << " x=" << x[i]
        << " y=" << y[i] << " reference " << ref.y[i] << " tolerance rel " << ref.bound[i].rel;
  }
}

bool BitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(Softmax, MatchesReferenceOverRowLengths) {
  for (size_t channels : {1, 2, 7, 1000, 1001}) {
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_softmax_nc_f32(channels, 0, &op), pnn_status_success);
    for (size_t batch : {1, 3, 8}) {
      const auto x = RandomVector(batch * channels, static_cast<uint32_t>(channels * 31 + batch),
                                  -10.0f, 10.0f);
      const auto y = RunSoftmax(op, x, batch, nullptr);
      ExpectMatchesReference(x, y, batch, channels);
      if (channels == 1) {
        for (float v : y) EXPECT_EQ(v, 1.0f);
      }
    }
    pnn_delete_operator(op);
  }
}

// Magnitudes where exp(x) itself overflows float (x > 88.7) or underflows (x < -103): only the
// max-shifted form stays finite.
TEST(Softmax, LargeMagnitudes) {
  const size_t channels = 1001, batch = 4;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(channels, 0, &op), pnn_status_success);
  std::vector<float> x;
  const std::vector<std::pair<float, float>> ranges = {
      {-80, 80}, {70, 100}, {-200, -120}, {-1e4, 1e4}};
  for (const auto& range : ranges) {
    const auto row =
        RandomVector(channels, static_cast<uint32_t>(x.size()) + 3, range.first, range.second);
    x.insert(x.end(), row.begin(), row.end());
  }
  const auto y = RunSoftmax(op, x, batch, nullptr);
  ExpectMatchesReference(x, y, batch, channels);
  for (size_t b = 0; b < batch; b++) {
    double sum = 0.0;
    for (size_t c = 0; c < channels; c++) {
      ASSERT_TRUE(std::isfinite(y[b * channels + c]));
      sum += y[b * channels + c];
    }
    EXPECT_NEAR(sum, 1.0, 2 * channels * kHalfUlp) << "row " << b;
  }
  pnn_delete_operator(op);
}

// Rows with -inf entries, a constant row, and rows poisoned by NaN or +inf (all NaN, as the
// formula gives: NaN - max, inf - inf), none of which leaks into the neighbouring rows.
TEST(Softmax, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const size_t channels = 9, batch = 6;
  std::vector<float> x = RandomVector(batch * channels, 8, -5.0f, 5.0f);
  x[0 * channels + 2] = -inf;
  x[0 * channels + 7] = -inf;
  std::fill(x.begin() + 1 * channels, x.begin() + 2 * channels, 3.25f);
  x[2 * channels + 4] = nan;
  x[4 * channels + 1] = inf;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(channels, 0, &op), pnn_status_success);
  const auto y = RunSoftmax(op, x, batch, nullptr);
  EXPECT_EQ(y[0 * channels + 2], 0.0f);
  EXPECT_EQ(y[0 * channels + 7], 0.0f);
  for (size_t c = 0; c < channels; c++) {
    EXPECT_NEAR(y[1 * channels + c], 1.0 / channels, 4 * kHalfUlp / channels);
    EXPECT_TRUE(std::isnan(y[2 * channels + c]));
    EXPECT_TRUE(std::isnan(y[4 * channels + c]));
  }
  ExpectMatchesReference(x, y, batch, channels);  // NaN rows: NaN expected
  pnn_delete_operator(op);
}

TEST(Softmax, CreateOnceReshapeManyTimes) {
  const size_t channels = 333;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(channels, 0, &op), pnn_status_success);
  std::mt19937 rng(2024);
  for (size_t batch : {1, 17, 3, 64, 2}) {
    const auto x = RandomVector(batch * channels, static_cast<uint32_t>(rng()), -20.0f, 20.0f);
    const auto y = RunSoftmax(op, x, batch, nullptr);
    ExpectMatchesReference(x, y, batch, channels);
  }
  pnn_delete_operator(op);
}

TEST(Softmax, InPlaceMatchesOutOfPlace) {
  const size_t channels = 1001, batch = 5;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(channels, 0, &op), pnn_status_success);
  auto x = RandomVector(batch * channels, 6, -30.0f, 30.0f);
  const auto expect = RunSoftmax(op, x, batch, nullptr);
  ASSERT_EQ(pnn_reshape_softmax_nc_f32(op, batch, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), x.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(BitIdentical(x, expect));
  pnn_delete_operator(op);
}

TEST(Softmax, OneAndTwoThreadsBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  // Long rows (few per task) and short rows (many per task, ragged last task).
  const std::vector<std::pair<size_t, size_t>> shapes = {{64, 1001}, {5003, 7}, {3, 20000}};
  for (const auto& shape : shapes) {
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_softmax_nc_f32(shape.second, 0, &op), pnn_status_success);
    const auto x = RandomVector(shape.first * shape.second, 12, -40.0f, 40.0f);
    EXPECT_TRUE(
        BitIdentical(RunSoftmax(op, x, shape.first, nullptr), RunSoftmax(op, x, shape.first, pool)))
        << shape.first << " x " << shape.second;
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(Softmax, ReportsItsKernelAfterReshape) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(10, 0, &op), pnn_status_success);
  EXPECT_STREQ(pnn_operator_kernel_name(op), "none");
  ASSERT_EQ(pnn_reshape_softmax_nc_f32(op, 2, nullptr), pnn_status_success);
  EXPECT_STREQ(pnn_operator_kernel_name(op), pnn::get_softmax_config()->raddstoreexpminusmax_name);
  pnn_delete_operator(op);
}

// ------------------------------------------------------------------------------------------
// Errors: each status provoked, with the output buffer left untouched.

TEST(SoftmaxErrors, Create) {
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_softmax_nc_f32(0, 0, &op), pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_softmax_nc_f32(SIZE_MAX / sizeof(float) + 1, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  for (uint32_t flags : {1u, PNN_FLAG_GELU_TANH_APPROXIMATION, 0x80000000u}) {
    op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(pnn_create_softmax_nc_f32(8, flags, &op), pnn_status_invalid_parameter);
    EXPECT_EQ(op, nullptr);
  }
  EXPECT_EQ(pnn_create_softmax_nc_f32(8, 0, nullptr), pnn_status_invalid_parameter);

  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_softmax_nc_f32(8, 0, &op), pnn_status_uninitialized);
  EXPECT_EQ(op, nullptr);
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(SoftmaxErrors, LifecycleShapesAndPointers) {
  const size_t channels = 8;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(channels, 0, &op), pnn_status_success);
  std::vector<float> x(4 * channels, 0.5f);
  GuardedBuffer y(4 * channels);

  // Out of order.
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), y.data()), pnn_status_invalid_state);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  // Shapes.
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(op, 0, nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(nullptr, 1, nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(op, SIZE_MAX / 4, nullptr), pnn_status_invalid_parameter);
  // Pointers.
  ASSERT_EQ(pnn_reshape_softmax_nc_f32(op, 4, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, nullptr, y.data()), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(nullptr, x.data(), y.data()), pnn_status_invalid_parameter);
  // A shifted overlap of input and output (the same buffer is fine, a shifted one is not).
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, y.data() + 1, y.data()), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, y.data(), y.data() + 3), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  // A reshape invalidates the previous setup.
  ASSERT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_reshape_softmax_nc_f32(op, 2, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
}

TEST(SoftmaxErrors, WrongOperatorType) {
  pnn_operator_t unary = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_sigmoid, nullptr, 0, &unary),
            pnn_status_success);
  std::vector<float> x(8, 0.5f);
  GuardedBuffer y(8);
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(unary, 1, nullptr), pnn_status_invalid_parameter);
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(unary, 1, 8, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(unary, x.data(), y.data()), pnn_status_invalid_parameter);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(unary);
}

// Overflow of batch * channels * sizeof(float) with sizes that are each valid.
TEST(SoftmaxErrors, SizeOverflow) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(SIZE_MAX / 8, 0, &op), pnn_status_success);
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(op, 3, nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(op, SIZE_MAX, nullptr), pnn_status_invalid_parameter);
  EXPECT_STREQ(pnn_operator_kernel_name(op), "none");
  pnn_delete_operator(op);
}

}  // namespace
