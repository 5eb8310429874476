// Softmax and log-softmax along any axis (pnn_reshape_softmax_nd_f32, PNN_FLAG_LOG_SOFTMAX)
// against a double reference over randomized shapes and axes; in place; 1 vs 2 threads bit for
// bit; the reshape's errors with nothing written. The last-axis softmax itself:
// tests/operators/softmax-test.cc.
//
// Tolerance (u = 2^-24, E = kExpError.rel), per element of a softmax over C values with
// d = x - max:
//   softmax: the exponentials carry E + |d| u each, their float sum (C - 1) u more and the terms'
//     errors weighted by their shares (S = sum_j e_j (E + |d_j| u) / sum); the division or the
//     reciprocal and product 2u: relative E + |d| u + (C - 1) u + S + 2u, plus two denormal steps;
//   log-softmax: y = fl(fl(d) - fl(log s~)), s~ within (C - 1) u + S of the exact sum, so
//     log s~ within that absolutely, the float log within 2u |log s|, the two subtractions
//     u |d| + u |y|.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "reference/rounding.h"
#include "scalar/math-approx.h"
#include "test-utils.h"

PNN_TEST_INIT_LIBRARY();

namespace {

using pnn_ref::kUnitRoundoff;
using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

struct AxisCase {
  std::vector<size_t> shape;
  int32_t axis;
  bool log;
};

// Checks y against the reference for every element, walking each softmax "line" of the axis.
void ExpectSoftmax(const AxisCase& c, const std::vector<float>& x, const std::vector<float>& y) {
  const size_t rank = c.shape.size();
  const size_t a = c.axis < 0 ? c.axis + rank : c.axis;
  size_t outer = 1, inner = 1;
  for (size_t i = 0; i < a; i++) outer *= c.shape[i];
  for (size_t i = a + 1; i < rank; i++) inner *= c.shape[i];
  const size_t n = c.shape[a];
  const double e_rel = pnn::approx::kExpError.rel;
  for (size_t o = 0; o < outer; o++) {
    for (size_t j = 0; j < inner; j++) {
      auto at = [&](size_t k) { return o * n * inner + k * inner + j; };
      double m = x[at(0)];  // no NaN in these inputs
      for (size_t k = 1; k < n; k++) m = x[at(k)] > m ? x[at(k)] : m;
      double sum = 0.0, shares = 0.0;
      for (size_t k = 0; k < n; k++) {
        const double d = x[at(k)] - m, e = std::exp(d);
        sum += e;
        shares += e * (e_rel + std::fabs(d) * kUnitRoundoff);
      }
      const double sum_rel = (n - 1) * kUnitRoundoff + shares / sum;
      for (size_t k = 0; k < n; k++) {
        const double d = x[at(k)] - m;
        double want, tol;
        if (c.log) {
          want = d - std::log(sum);
          tol = kUnitRoundoff * std::fabs(d) + sum_rel + 2 * kUnitRoundoff * std::fabs(std::log(sum)) +
                kUnitRoundoff * std::fabs(want);
        } else {
          want = std::exp(d) / sum;
          tol = (e_rel + std::fabs(d) * kUnitRoundoff + sum_rel + 2 * kUnitRoundoff) * want +
                2 * pnn::approx::kDenormalStep;
        }
        ASSERT_LE(std::fabs(y[at(k)] - want), tol)
            << (c.log ? "log-softmax" : "softmax") << " axis " << c.axis << " rank " << rank
            << " element " << at(k) << " got " << y[at(k)] << " reference " << want;
      }
    }
  }
}

std::vector<float> RunAxis(pnn_operator_t op, const AxisCase& c, const std::vector<float>& x,
                           pnn_threadpool_t pool) {
  GuardedBuffer y(x.size());
  EXPECT_EQ(pnn_reshape_softmax_nd_f32(op, c.shape.size(), c.shape.data(), c.axis, pool),
            pnn_status_success);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

pnn_operator_t Create(size_t channels, bool log) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_softmax_nc_f32(channels, log ? PNN_FLAG_LOG_SOFTMAX : 0, &op),
            pnn_status_success);
  return op;
}

TEST(SoftmaxAxis, RandomizedShapesAxesAndLog) {
  std::mt19937 rng(4242);
  for (int iter = 0; iter < 150; iter++) {
    AxisCase c;
    const size_t rank = 1 + rng() % 4;
    for (size_t d = 0; d < rank; d++) c.shape.push_back(1 + rng() % (rank <= 2 ? 300 : 9));
    const size_t a = rng() % rank;
    c.axis = rng() % 2 ? static_cast<int32_t>(a) : static_cast<int32_t>(a) - static_cast<int32_t>(rank);
    c.log = rng() % 2;
    size_t count = 1;
    for (size_t d : c.shape) count *= d;
    const auto x = RandomVector(count, iter, -20.0f, 20.0f);
    pnn_operator_t op = Create(c.shape[a], c.log);
    ExpectSoftmax(c, x, RunAxis(op, c, x, nullptr));
    pnn_delete_operator(op);
    if (HasFatalFailure()) return;
  }
}

TEST(SoftmaxAxis, LogSoftmaxSpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // [3][4] along the last axis (rows) and [4][3] along axis 0 (columns): -inf entries next to
  // finite ones give -inf; a NaN poisons its row only.
  const std::vector<float> rows = {1, -inf, 2, 3, nan, 1, 2, 3, 5, 5, 5, 5};
  pnn_operator_t op = Create(4, true);
  const AxisCase last{{3, 4}, -1, true};
  auto y = RunAxis(op, last, rows, nullptr);
  EXPECT_EQ(y[1], -inf);
  for (size_t i = 4; i < 8; i++) EXPECT_TRUE(std::isnan(y[i]));
  for (size_t i = 8; i < 12; i++) EXPECT_NEAR(y[i], -std::log(4.0), 4 * kUnitRoundoff);
  std::vector<float> cols(12);
  for (size_t r = 0; r < 3; r++)
    for (size_t k = 0; k < 4; k++) cols[k * 3 + r] = rows[r * 4 + k];
  const AxisCase first{{4, 3}, 0, true};
  const auto yc = RunAxis(op, first, cols, nullptr);
  for (size_t r = 0; r < 3; r++) {
    for (size_t k = 0; k < 4; k++) {
      const float a = y[r * 4 + k], b = yc[k * 3 + r];
      EXPECT_TRUE(a == b || (std::isnan(a) && std::isnan(b)) ||
                  std::fabs(a - b) <= 8 * kUnitRoundoff * (1 + std::fabs(a)))
          << r << "," << k << ": " << a << " vs " << b;
    }
  }
  pnn_delete_operator(op);
}

TEST(SoftmaxAxis, InPlaceAndThreads) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const std::vector<AxisCase> cases = {
      {{8, 1000, 70}, 1, false}, {{8, 1000, 70}, 1, true}, {{3, 70000}, -1, true},
      {{5, 2, 900}, -2, false},  {{64, 1001}, 1, true},
  };
  for (const AxisCase& c : cases) {
    size_t count = 1;
    for (size_t d : c.shape) count *= d;
    const size_t a = c.axis < 0 ? c.axis + c.shape.size() : c.axis;
    auto x = RandomVector(count, 31, -30.0f, 30.0f);
    pnn_operator_t op = Create(c.shape[a], c.log);
    const auto one = RunAxis(op, c, x, nullptr);
    EXPECT_EQ(std::memcmp(one.data(), RunAxis(op, c, x, pool).data(), count * sizeof(float)), 0)
        << "axis " << c.axis << " log " << c.log;
    ASSERT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), x.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, pool), pnn_status_success);
    EXPECT_EQ(std::memcmp(one.data(), x.data(), count * sizeof(float)), 0) << "in place";
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(SoftmaxAxisErrors, ReshapeAndNothingWritten) {
  pnn_operator_t op = Create(4, false);
  const size_t ok[3] = {2, 4, 3};
  const size_t zero[3] = {2, 4, 0};
  const size_t huge[3] = {SIZE_MAX / 8, 4, 3};
  const size_t seven[7] = {1, 1, 1, 1, 1, 1, 4};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 3, ok, 0, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 3, ok, 3, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 3, ok, -4, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 0, ok, 0, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 7, seven, -1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 3, zero, 1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 3, huge, 1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(op, 3, nullptr, 1, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(nullptr, 3, ok, 1, nullptr));
  std::vector<float> x(24, 0.5f);
  GuardedBuffer y(24);
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_setup_softmax_nc_f32(op, x.data(), y.data()));
  ASSERT_EQ(pnn_reshape_softmax_nd_f32(op, 3, ok, -2, nullptr), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_softmax_nc_f32(op, y.data() + 1, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
  pnn_operator_t reduce = nullptr;
  ASSERT_EQ(pnn_create_reduce_nd_f32(pnn_reduce_sum, 0, nullptr, 0, &reduce), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_softmax_nd_f32(reduce, 3, ok, 1, nullptr));
  pnn_delete_operator(reduce);
}

}  // namespace
