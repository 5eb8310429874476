// Layer norm, RMS norm, batch norm (inference) and prelu against double references over
// randomized shapes; in place; 1 vs 2 threads bit for bit; every error status with nothing
// written. The kernels: tests/kernels/f32-norm-test.cc.
//
// Tolerances (u = 2^-24, gamma(k) = k*u / (1 - k*u)), per row of n elements:
//   layer norm: the float mean m~ = fl(fl(sum) / n) is off by dm <= gamma(n) * sum|x| / n; the
//     sum of squared deviations from m~ (n squares, n - 1 adds, the differences rounded) is
//     within gamma(n + 2) of its exact value, and exceeds the exact variance's n*var by n*dm^2;
//     var + eps, sqrt and 1 / . add 3u, so s~ = 1/sqrt(var~ + eps) has relative error
//     rs <= (gamma(n + 2) + n*dm^2 / (n*var + n*eps)) / 2 + 3u. Then t = fl(fl(x - m~) * s~)
//     errs by at most |t|*(rs + 2u) + dm * s; y = t*g + b adds 2u*(|t g| + |b|).
//   RMS norm: the same with m = 0 exactly (dm = 0).
//   batch norm: scale and shift rounded once from double; y = x*scale + shift with a multiply
//     and an add (fused or not): |err| <= 3u*|x*scale| + 2u*|shift|.
//   prelu: exact.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "reference/rounding.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

PNN_TEST_INIT_LIBRARY();

namespace {

constexpr double kU = pnn_ref::kUnitRoundoff;
using pnn_ref::gamma;

bool BitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Layer norm (rms = false) or RMS norm of `rows` rows of n, checked element by element.
void CheckRowNorm(bool rms, const std::vector<float>& x, const std::vector<float>& y, size_t n,
                  const std::vector<float>& g, const std::vector<float>& b, float eps,
                  const char* what) {
  const size_t rows = x.size() / n;
  for (size_t r = 0; r < rows; r++) {
    const float* xr = x.data() + r * n;
    double mean = 0.0, mag = 0.0;
    for (size_t i = 0; i < n; i++) {
      mean += xr[i];
      mag += std::fabs(xr[i]);
    }
    mean = rms ? 0.0 : mean / static_cast<double>(n);
    const double dm = rms ? 0.0 : gamma(n) * mag / static_cast<double>(n);
    double var = 0.0;
    for (size_t i = 0; i < n; i++) var += (xr[i] - mean) * (xr[i] - mean);
    var /= static_cast<double>(n);
    const double s = 1.0 / std::sqrt(var + eps);
    const double rs = (gamma(n + 2) + dm * dm / (var + eps)) / 2 + 3 * kU;
    for (size_t i = 0; i < n; i++) {
      const double t = (xr[i] - mean) * s;
      const double bi = rms ? 0.0 : b[i];
      const double ref = t * g[i] + bi;
      const double err_t = std::fabs(t) * (rs + 2 * kU) + dm * s * (1 + rs);
      const double tol = std::fabs(g[i]) * err_t + 2 * kU * (std::fabs(t * g[i]) + std::fabs(bi));
      ASSERT_LE(std::fabs(y[r * n + i] - ref), tol)
          << what << " n=" << n << " row " << r << " i " << i << " got " << y[r * n + i]
          << " reference " << ref;
    }
  }
}

std::vector<float> RunRowNorm(bool rms, pnn_operator_t op, const std::vector<size_t>& shape,
                              int32_t axis, const std::vector<float>& x, pnn_threadpool_t pool) {
  GuardedBuffer y(x.size());
  if (rms) {
    EXPECT_EQ(pnn_reshape_rms_norm_nd_f32(op, shape.size(), shape.data(), axis, pool),
              pnn_status_success);
    EXPECT_EQ(pnn_setup_rms_norm_nd_f32(op, x.data(), y.data()), pnn_status_success);
  } else {
    EXPECT_EQ(pnn_reshape_layer_norm_nd_f32(op, shape.size(), shape.data(), axis, pool),
              pnn_status_success);
    EXPECT_EQ(pnn_setup_layer_norm_nd_f32(op, x.data(), y.data()), pnn_status_success);
  }
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

pnn_operator_t CreateRowNorm(bool rms, size_t n, const std::vector<float>& g,
                             const std::vector<float>& b, float eps) {
  pnn_operator_t op = nullptr;
  const pnn_status s = rms ? pnn_create_rms_norm_nd_f32(n, g.data(), eps, 0, &op)
                           : pnn_create_layer_norm_nd_f32(n, g.data(), b.data(), eps, 0, &op);
  EXPECT_EQ(s, pnn_status_success);
  return op;
}

TEST(LayerAndRmsNorm, RandomizedShapesAndAxes) {
  std::mt19937 rng(77);
  for (int iter = 0; iter < 120; iter++) {
    const bool rms = iter % 2;
    const size_t rank = 1 + rng() % 4;
    std::vector<size_t> shape;
    for (size_t d = 0; d < rank; d++) shape.push_back(1 + rng() % (rank <= 2 ? 90 : 12));
    const size_t first = rng() % rank;
    const int32_t axis = rng() % 2 ? static_cast<int32_t>(first)
                                   : static_cast<int32_t>(first) - static_cast<int32_t>(rank);
    size_t n = 1, count = 1;
    for (size_t d = 0; d < rank; d++) {
      count *= shape[d];
      if (d >= first) n *= shape[d];
    }
    const float offset = static_cast<float>(rng() % 7) - 3.0f;  // rows not centred at 0
    const auto x = RandomVector(count, iter, offset - 2.0f, offset + 2.0f);
    const auto g = RandomVector(n, iter + 1000, -2.0f, 2.0f);
    const auto b = RandomVector(n, iter + 2000, -1.0f, 1.0f);
    const float eps = iter % 3 == 0 ? 0.0f : 1e-5f;
    pnn_operator_t op = CreateRowNorm(rms, n, g, b, eps);
    ASSERT_NE(op, nullptr);
    const auto y = RunRowNorm(rms, op, shape, axis, x, nullptr);
    CheckRowNorm(rms, x, y, n, g, b, eps, rms ? "rms norm" : "layer norm");
    pnn_delete_operator(op);
    if (HasFatalFailure()) return;
  }
}

TEST(LayerAndRmsNorm, VitShapeInPlaceAndThreads) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const std::vector<size_t> shape = {1, 197, 768};
  for (bool rms : {false, true}) {
    const auto x = RandomVector(197 * 768, 5, -3.0f, 4.0f);
    const auto g = RandomVector(768, 6, 0.5f, 1.5f);
    const auto b = RandomVector(768, 7, -0.5f, 0.5f);
    pnn_operator_t op = CreateRowNorm(rms, 768, g, b, 1e-6f);
    const auto one = RunRowNorm(rms, op, shape, -1, x, nullptr);
    CheckRowNorm(rms, x, one, 768, g, b, 1e-6f, "vit");
    EXPECT_TRUE(BitIdentical(one, RunRowNorm(rms, op, shape, 2, x, pool)));
    auto inplace = x;
    if (rms) {
      ASSERT_EQ(pnn_setup_rms_norm_nd_f32(op, inplace.data(), inplace.data()), pnn_status_success);
    } else {
      ASSERT_EQ(pnn_setup_layer_norm_nd_f32(op, inplace.data(), inplace.data()),
                pnn_status_success);
    }
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    EXPECT_TRUE(BitIdentical(one, inplace));
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(LayerAndRmsNorm, SpecialValues) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const size_t n = 4;
  const std::vector<float> g(n, 1.0f), b(n, 0.0f);
  // Rows: a NaN, an inf, a constant row (eps = 0: 0 * inf = NaN), a finite row.
  std::vector<float> x = {1, nan, 2, 3, 1, inf, 2, 3, 5, 5, 5, 5, 1, 2, 3, 4};
  const std::vector<size_t> shape = {4, n};
  pnn_operator_t op = CreateRowNorm(false, n, g, b, 0.0f);
  const auto y = RunRowNorm(false, op, shape, 1, x, nullptr);
  for (size_t i = 0; i < 3 * n; i++) EXPECT_TRUE(std::isnan(y[i])) << i;
  for (size_t i = 3 * n; i < 4 * n; i++) EXPECT_TRUE(std::isfinite(y[i])) << i;
  pnn_delete_operator(op);
}

TEST(BatchNorm, MatchesReferenceAndThreads) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  for (size_t channels : {1, 3, 17, 64, 1001}) {
    const auto mean = RandomVector(channels, 1, -1.0f, 1.0f);
    const auto var = RandomVector(channels, 2, 0.1f, 4.0f);
    const auto gamma = RandomVector(channels, 3, -2.0f, 2.0f);
    const auto beta = RandomVector(channels, 4, -1.0f, 1.0f);
    const float eps = 1e-3f;
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_batch_norm_nc_f32(channels, mean.data(), var.data(), gamma.data(),
                                           beta.data(), eps, 0, &op),
              pnn_status_success);
    for (size_t batch : {1, 7, 300}) {
      const auto x = RandomVector(batch * channels, 9, -5.0f, 5.0f);
      std::vector<float> ys[2];
      for (int t = 0; t < 2; t++) {
        GuardedBuffer y(x.size());
        pnn_threadpool_t p = t == 0 ? nullptr : pool;
        ASSERT_EQ(pnn_reshape_batch_norm_nc_f32(op, batch, p), pnn_status_success);
        ASSERT_EQ(pnn_setup_batch_norm_nc_f32(op, x.data(), y.data()), pnn_status_success);
        ASSERT_EQ(pnn_run_operator(op, p), pnn_status_success);
        ASSERT_TRUE(y.CheckGuards());
        ys[t].assign(y.data(), y.data() + y.size());
      }
      EXPECT_TRUE(BitIdentical(ys[0], ys[1]));
      for (size_t i = 0; i < x.size(); i++) {
        const size_t c = i % channels;
        const double scale = gamma[c] / std::sqrt(static_cast<double>(var[c]) + eps);
        const double shift = beta[c] - mean[c] * scale;
        const double ref = (x[i] - static_cast<double>(mean[c])) * scale + beta[c];
        const double tol = 3 * kU * std::fabs(x[i] * scale) + 2 * kU * std::fabs(shift) +
                           kU * std::fabs(ref);  // + the reference's own regrouping
        ASSERT_LE(std::fabs(ys[0][i] - ref), tol) << "channels " << channels << " i " << i;
      }
    }
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(BatchNorm, StridedRows) {
  const size_t channels = 5, batch = 3, in_stride = 8, out_stride = 6;
  const std::vector<float> mean(channels, 1.0f), var(channels, 3.0f), gamma(channels, 2.0f),
      beta(channels, 0.5f);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_batch_norm_nc_f32(channels, mean.data(), var.data(), gamma.data(),
                                         beta.data(), 1.0f, 0, &op),
            pnn_status_success);
  const auto x = RandomVector((batch - 1) * in_stride + channels, 3, -2.0f, 2.0f);
  GuardedBuffer y((batch - 1) * out_stride + channels);
  ASSERT_EQ(pnn_reshape_batch_norm_nc_f32_strided(op, batch, in_stride, out_stride, nullptr),
            pnn_status_success);
  ASSERT_EQ(pnn_setup_batch_norm_nc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  for (size_t r = 0; r < batch; r++) {
    for (size_t c = 0; c < out_stride && r * out_stride + c < y.size(); c++) {
      if (c >= channels) {
        EXPECT_TRUE(GuardedBuffer::IsSentinel(y[r * out_stride + c]));  // gap untouched
        continue;
      }
      EXPECT_NEAR(y[r * out_stride + c], (x[r * in_stride + c] - 1.0) * 2.0 / 2.0 + 0.5, 4e-6);
    }
  }
  pnn_delete_operator(op);
}

TEST(PRelu, ExactAndThreadsAndInPlace) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  for (size_t channels : {1, 5, 16, 130}) {
    const auto slope = RandomVector(channels, 4, -0.5f, 0.5f);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_prelu_nc_f32(channels, slope.data(), 0, &op), pnn_status_success);
    const size_t batch = 300;
    auto x = RandomVector(batch * channels, 8, -3.0f, 3.0f);
    x[0] = std::numeric_limits<float>::quiet_NaN();
    x[1 % x.size()] = -std::numeric_limits<float>::infinity();
    std::vector<float> ys[2];
    for (int t = 0; t < 2; t++) {
      GuardedBuffer y(x.size());
      ASSERT_EQ(pnn_reshape_prelu_nc_f32(op, batch, t ? pool : nullptr), pnn_status_success);
      ASSERT_EQ(pnn_setup_prelu_nc_f32(op, x.data(), y.data()), pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, t ? pool : nullptr), pnn_status_success);
      ys[t].assign(y.data(), y.data() + y.size());
    }
    EXPECT_TRUE(BitIdentical(ys[0], ys[1]));
    EXPECT_TRUE(std::isnan(ys[0][0]));
    for (size_t i = 1; i < x.size(); i++) {
      const float s = slope[i % channels];
      ASSERT_EQ(ys[0][i], x[i] < 0 ? x[i] * s : x[i]) << i;
    }
    ASSERT_EQ(pnn_setup_prelu_nc_f32(op, x.data(), x.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    EXPECT_TRUE(BitIdentical(x, ys[0]));
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(NormErrors, Create) {
  const std::vector<float> v(8, 1.0f);
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_layer_norm_nd_f32(0, v.data(), v.data(), 0.0f, 0, &op));
  EXPECT_EQ(op, nullptr);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_layer_norm_nd_f32(SIZE_MAX / 2, v.data(), v.data(), 0.0f, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_layer_norm_nd_f32(8, nullptr, v.data(), 0.0f, 0, &op));
  for (float eps : {nan, inf, -1e-5f}) {
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_create_layer_norm_nd_f32(8, v.data(), nullptr, eps, 0, &op));
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_create_rms_norm_nd_f32(8, v.data(), eps, 0, &op));
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_create_batch_norm_nc_f32(8, v.data(), v.data(), v.data(), v.data(), eps,
                                                   0, &op));
  }
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_layer_norm_nd_f32(8, v.data(), nullptr, 0.0f, 1u, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_rms_norm_nd_f32(8, nullptr, 0.0f, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_batch_norm_nc_f32(8, v.data(), nullptr, v.data(), v.data(), 0.0f,
                                                 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_batch_norm_nc_f32(0, v.data(), v.data(), v.data(), v.data(), 0.0f,
                                                 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_prelu_nc_f32(8, nullptr, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_prelu_nc_f32(0, v.data(), 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_prelu_nc_f32(8, v.data(), 2u, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_prelu_nc_f32(8, v.data(), 0, nullptr));
  EXPECT_EQ(op, nullptr);
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_uninitialized, pnn_create_prelu_nc_f32(8, v.data(), 0, &op));
  EXPECT_FAILS_WITH(pnn_status_uninitialized,
                    pnn_create_rms_norm_nd_f32(8, v.data(), 0.0f, 0, &op));
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(NormErrors, ReshapeSetupAndNothingWritten) {
  const std::vector<float> g(12, 1.0f);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_layer_norm_nd_f32(12, g.data(), nullptr, 1e-5f, 0, &op),
            pnn_status_success);
  const size_t ok[3] = {2, 3, 4};
  const size_t zero[3] = {2, 0, 4};
  const size_t huge[3] = {SIZE_MAX / 4, 3, 4};
  const size_t seven[7] = {1, 1, 1, 1, 1, 3, 4};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,  // rank 0
                    pnn_reshape_layer_norm_nd_f32(op, 0, ok, 0, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_layer_norm_nd_f32(op, 7, seven, -2, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_layer_norm_nd_f32(op, 3, zero, 1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_layer_norm_nd_f32(op, 3, huge, 1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_layer_norm_nd_f32(op, 3, nullptr, 1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,  // 24 elements from axis 0, not 12
                    pnn_reshape_layer_norm_nd_f32(op, 3, ok, 0, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_layer_norm_nd_f32(op, 3, ok, 3, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_layer_norm_nd_f32(op, 3, ok, -4, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,  // wrong type
                    pnn_reshape_rms_norm_nd_f32(op, 3, ok, 1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_prelu_nc_f32(op, 2, nullptr));
  std::vector<float> x(24, 1.0f);
  GuardedBuffer y(24);
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_setup_layer_norm_nd_f32(op, x.data(), y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  ASSERT_EQ(pnn_reshape_layer_norm_nd_f32(op, 3, ok, -2, nullptr), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_layer_norm_nd_f32(op, nullptr, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_layer_norm_nd_f32(op, y.data() + 1, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);

  // NC ops: zero batch, bad strides, overflow, partial overlap.
  ASSERT_EQ(pnn_create_prelu_nc_f32(12, g.data(), 0, &op), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_prelu_nc_f32(op, 0, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_prelu_nc_f32_strided(op, 2, 11, 12, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_prelu_nc_f32(op, SIZE_MAX / 8, nullptr));
  ASSERT_EQ(pnn_reshape_prelu_nc_f32(op, 2, nullptr), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_prelu_nc_f32(op, y.data() + 2, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_batch_norm_nc_f32(op, x.data(), y.data()));
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
}

}  // namespace
