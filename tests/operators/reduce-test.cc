// Reduce operator (sum, mean, max, min over any set of axes) against a double reference over
// randomized shapes, axes and keepdims; 1 vs 2 threads bit for bit; every error status with
// nothing written. The kernels: tests/kernels/f32-norm-test.cc.
//
// Tolerance, per output element gathering k inputs x_j (u = 2^-24, gamma(k) = k*u / (1 - k*u)):
//   sum   the float sum in any order: |got - exact| <= gamma(k - 1) * sum |x_j|
//   mean  the sum's bound divided by k, plus the division's rounding, or (a sum over one reduced
//         dim before kept ones: the gavgpool kernel) the rounding of 1/k and of the product:
//         + 2u * |exact mean|
//   max / min exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "configs/norm-config.h"
#include "configs/pooling-config.h"
#include "configs/vbinary-config.h"
#include "reference/rounding.h"
#include "test-utils.h"

PNN_TEST_INIT_LIBRARY();

namespace {

using pnn_ref::gamma;
using pnn_ref::kUnitRoundoff;
using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

struct Case {
  pnn_reduce_op op;
  std::vector<size_t> shape;
  std::vector<int32_t> axes;  // as passed (may be negative)
  bool keep_dims;
};

struct Expected {
  std::vector<size_t> shape;
  std::vector<double> y;
  std::vector<double> tol;
};

Expected Reference(const Case& c, const std::vector<float>& x) {
  const size_t rank = c.shape.size();
  std::vector<bool> reduced(rank, false);
  for (int32_t a : c.axes) reduced[a < 0 ? a + static_cast<int32_t>(rank) : a] = true;
  Expected e;
  size_t count_out = 1;
  for (size_t d = 0; d < rank; d++) {
    if (!reduced[d]) count_out *= c.shape[d];
    if (!reduced[d] || c.keep_dims) e.shape.push_back(reduced[d] ? 1 : c.shape[d]);
  }
  const size_t k = count_out == 0 ? 0 : x.size() / count_out;
  std::vector<double> acc(count_out, c.op == pnn_reduce_max   ? -INFINITY
                                     : c.op == pnn_reduce_min ? INFINITY
                                                              : 0.0);
  std::vector<double> magnitude(count_out, 0.0);
  std::vector<size_t> idx(rank, 0);
  for (size_t i = 0; i < x.size(); i++) {
    size_t o = 0;
    for (size_t d = 0; d < rank; d++) {
      if (!reduced[d]) o = o * c.shape[d] + idx[d];
    }
    const double v = x[i];
    if (c.op == pnn_reduce_max) {
      acc[o] = std::max(acc[o], v);
    } else if (c.op == pnn_reduce_min) {
      acc[o] = std::min(acc[o], v);
    } else {
      acc[o] += v;
      magnitude[o] += std::fabs(v);
    }
    for (size_t d = rank; d-- > 0;) {
      if (++idx[d] < c.shape[d]) break;
      idx[d] = 0;
    }
  }
  e.y = acc;
  e.tol.assign(count_out, 0.0);
  for (size_t o = 0; o < count_out; o++) {
    if (c.op == pnn_reduce_sum) e.tol[o] = gamma(k - 1) * magnitude[o];
    if (c.op == pnn_reduce_mean) {
      e.y[o] = acc[o] / static_cast<double>(k);
      e.tol[o] = gamma(k - 1) * magnitude[o] / static_cast<double>(k) + 2 * kUnitRoundoff * std::fabs(e.y[o]);
    }
  }
  return e;
}

std::vector<float> RunReduce(pnn_operator_t op, const Case& c, const std::vector<float>& x,
                       size_t count_out, pnn_threadpool_t pool, std::vector<size_t>* shape_out) {
  size_t rank_out = 99;
  std::vector<size_t> shape(PNN_MAX_DIMS, 0);
  EXPECT_EQ(pnn_reshape_reduce_nd_f32(op, c.shape.size(), c.shape.data(), &rank_out, shape.data(),
                                      pool),
            pnn_status_success);
  shape.resize(rank_out);
  if (shape_out != nullptr) *shape_out = shape;
  GuardedBuffer y(count_out);
  EXPECT_EQ(pnn_setup_reduce_nd_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + count_out);
}

const char* OpName(pnn_reduce_op op) {
  static const char* const names[] = {"sum", "mean", "max", "min"};
  return names[op];
}

std::string Describe(const Case& c) {
  std::string s = std::string(OpName(c.op)) + " shape [";
  for (size_t d : c.shape) s += std::to_string(d) + ",";
  s += "] axes [";
  for (int32_t a : c.axes) s += std::to_string(a) + ",";
  return s + "]" + (c.keep_dims ? " keepdims" : "");
}

void CheckCase(const Case& c, uint32_t seed) {
  size_t count = 1;
  for (size_t d : c.shape) count *= d;
  const auto x = RandomVector(count, seed, -10.0f, 10.0f);
  const Expected e = Reference(c, x);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_reduce_nd_f32(c.op, c.axes.size(), c.axes.data(),
                                     c.keep_dims ? PNN_FLAG_KEEP_DIMS : 0, &op),
            pnn_status_success)
      << Describe(c);
  std::vector<size_t> shape;
  const auto y = RunReduce(op, c, x, e.y.size(), nullptr, &shape);
  EXPECT_EQ(shape, e.shape) << Describe(c);
  for (size_t o = 0; o < e.y.size(); o++) {
    ASSERT_LE(std::fabs(y[o] - e.y[o]), e.tol[o])
        << Describe(c) << " output " << o << " got " << y[o] << " reference " << e.y[o];
  }
  pnn_delete_operator(op);
}

TEST(Reduce, RandomizedShapesAxesAndOps) {
  std::mt19937 rng(1207);
  for (int iter = 0; iter < 400; iter++) {
    Case c;
    c.op = static_cast<pnn_reduce_op>(rng() % 4);
    const size_t rank = rng() % (PNN_MAX_DIMS + 1);
    const size_t max_dim = rank <= 2 ? 70 : rank <= 4 ? 9 : 5;
    for (size_t d = 0; d < rank; d++) c.shape.push_back(1 + rng() % max_dim);
    for (size_t d = 0; d < rank; d++) {
      if (rng() % 2) {
        const bool negative = rng() % 2;
        c.axes.push_back(negative ? static_cast<int32_t>(d) - static_cast<int32_t>(rank)
                                  : static_cast<int32_t>(d));
      }
    }
    std::shuffle(c.axes.begin(), c.axes.end(), rng);
    c.keep_dims = rng() % 2;
    CheckCase(c, static_cast<uint32_t>(iter));
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(Reduce, ModelShapes) {
  // A global mean of a 7x7x1024 NHWC map, a ViT token mean, a reduction of every dim to rank 0,
  // the innermost axis alone, the outermost alone, and none.
  const std::vector<Case> cases = {
      {pnn_reduce_mean, {1, 7, 7, 1024}, {1, 2}, true},
      {pnn_reduce_mean, {1, 197, 768}, {-1}, true},
      {pnn_reduce_sum, {3, 4, 5}, {0, 1, 2}, false},
      {pnn_reduce_max, {2, 3, 1001}, {2}, false},
      {pnn_reduce_min, {1001, 3, 2}, {0}, false},
      {pnn_reduce_sum, {4, 5}, {}, false},
      {pnn_reduce_sum, {}, {}, false},
  };
  for (size_t i = 0; i < cases.size(); i++) CheckCase(cases[i], 50 + static_cast<uint32_t>(i));
}

// Which loop a reshape picked, by the kernel it reports: the row reduction when the innermost dim
// is reduced, gavgpool for a sum or mean over one reduced dim before kept ones, and the
// elementwise accumulation otherwise.
TEST(Reduce, ReportsTheKernelOfEachPath) {
  struct Path {
    pnn_reduce_op op;
    std::vector<size_t> shape;
    std::vector<int32_t> axes;
    const char* kernel;
  };
  const std::vector<Path> paths = {
      {pnn_reduce_sum, {4, 9}, {1}, pnn::get_norm_config()->rreduce[pnn_rreduce_sum].name},
      {pnn_reduce_mean, {1, 7, 7, 64}, {1, 2}, pnn::get_gavgpool_config()->name},
      {pnn_reduce_max, {1, 7, 7, 64}, {1, 2}, pnn::get_vbinary_config(pnn_binary_maximum)->op.name},
      {pnn_reduce_sum, {3, 4, 5, 6}, {0, 2}, pnn::get_vbinary_config(pnn_binary_add)->op.name},
  };
  for (const Path& p : paths) {
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_reduce_nd_f32(p.op, p.axes.size(), p.axes.data(), 0, &op),
              pnn_status_success);
    ASSERT_EQ(pnn_reshape_reduce_nd_f32(op, p.shape.size(), p.shape.data(), nullptr, nullptr,
                                        nullptr),
              pnn_status_success);
    EXPECT_STREQ(pnn_operator_kernel_name(op), p.kernel);
    pnn_delete_operator(op);
    CheckCase({p.op, p.shape, p.axes, false}, 7);
  }
}

TEST(Reduce, SpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // Rows of 5 (innermost reduced): [NaN row], [+inf and -inf], [+inf], [finite].
  std::vector<float> x = {1, nan, 2, 3, 4, inf, -inf, 0, 1, 2, 1, 2, inf, 3, 4, 1, 2, 3, 4, 5};
  const size_t shape[2] = {4, 5};
  const int32_t axis = 1;
  float y[4];
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_reduce_nd_f32(pnn_reduce_sum, 1, &axis, 0, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_reduce_nd_f32(op, 2, shape, nullptr, nullptr, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_reduce_nd_f32(op, x.data(), y), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_TRUE(std::isnan(y[1]));
  EXPECT_EQ(y[2], inf);
  EXPECT_EQ(y[3], 15.0f);
  pnn_delete_operator(op);
  ASSERT_EQ(pnn_create_reduce_nd_f32(pnn_reduce_max, 1, &axis, 0, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_reduce_nd_f32(op, 2, shape, nullptr, nullptr, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_reduce_nd_f32(op, x.data(), y), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(std::isnan(y[0]) || y[0] == 1 || y[0] == 2 || y[0] == 3 || y[0] == 4);
  EXPECT_EQ(y[1], inf);
  EXPECT_EQ(y[3], 5.0f);
  pnn_delete_operator(op);
}

TEST(Reduce, OneAndTwoThreadsBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const std::vector<Case> cases = {
      {pnn_reduce_sum, {64, 3000}, {1}, false},         // innermost reduced, many rows
      {pnn_reduce_mean, {3000, 64}, {0}, false},        // innermost kept, one long column set
      {pnn_reduce_max, {5, 700, 40}, {1}, true},        // kept rows, reduced middle
      {pnn_reduce_sum, {3, 50000}, {0}, false},         // innermost kept, column tiles
      {pnn_reduce_min, {40, 30, 20, 10}, {0, 2}, false},
  };
  for (const Case& c : cases) {
    size_t count = 1, count_out = 1;
    for (size_t d = 0; d < c.shape.size(); d++) {
      count *= c.shape[d];
      bool red = false;
      for (int32_t a : c.axes) red |= static_cast<size_t>(a) == d;
      if (!red) count_out *= c.shape[d];
    }
    const auto x = RandomVector(count, 99, -5.0f, 5.0f);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_reduce_nd_f32(c.op, c.axes.size(), c.axes.data(),
                                       c.keep_dims ? PNN_FLAG_KEEP_DIMS : 0, &op),
              pnn_status_success);
    const auto one = RunReduce(op, c, x, count_out, nullptr, nullptr);
    const auto two = RunReduce(op, c, x, count_out, pool, nullptr);
    EXPECT_EQ(std::memcmp(one.data(), two.data(), count_out * sizeof(float)), 0) << Describe(c);
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(ReduceErrors, Create) {
  const int32_t axes[7] = {0, 1, 2, 3, 4, 5, 0};
  const int32_t bad_axes[2] = {0, 6};
  const int32_t neg_axes[1] = {-7};
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(static_cast<pnn_reduce_op>(4), 1, axes, 0, &op));
  EXPECT_EQ(op, nullptr);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(static_cast<pnn_reduce_op>(-1), 1, axes, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(pnn_reduce_sum, 7, axes, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(pnn_reduce_sum, 1, nullptr, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(pnn_reduce_sum, 2, bad_axes, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(pnn_reduce_sum, 1, neg_axes, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(pnn_reduce_sum, 1, axes, 1u, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_reduce_nd_f32(pnn_reduce_sum, 1, axes, 0, nullptr));
  EXPECT_EQ(op, nullptr);
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_uninitialized,
                    pnn_create_reduce_nd_f32(pnn_reduce_sum, 1, axes, 0, &op));
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(ReduceErrors, ReshapeSetupAndNothingWritten) {
  const int32_t axes[2] = {1, -2};  // the same dim at rank 3
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_reduce_nd_f32(pnn_reduce_mean, 2, axes, 0, &op), pnn_status_success);
  const size_t seven[7] = {1, 1, 1, 1, 1, 1, 1};
  const size_t zero[3] = {2, 0, 3};
  const size_t huge[3] = {SIZE_MAX / 2, 2, 3};
  const size_t rank3[3] = {2, 3, 4};
  const size_t rank2[2] = {2, 3};
  size_t rank_out = 77, shape_out[PNN_MAX_DIMS] = {77, 77, 77, 77, 77, 77};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_reduce_nd_f32(op, 7, seven, &rank_out, shape_out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_reduce_nd_f32(op, 3, nullptr, &rank_out, shape_out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_reduce_nd_f32(op, 3, zero, &rank_out, shape_out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_reduce_nd_f32(op, 3, huge, &rank_out, shape_out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,  // 1 and -2 name dim 1 twice
                    pnn_reshape_reduce_nd_f32(op, 3, rank3, &rank_out, shape_out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,  // axis 1 out of range for rank 1
                    pnn_reshape_reduce_nd_f32(op, 1, rank2, &rank_out, shape_out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_reduce_nd_f32(nullptr, 2, rank2, &rank_out, shape_out, nullptr));
  EXPECT_EQ(rank_out, 77u);
  for (size_t v : shape_out) EXPECT_EQ(v, 77u);
  EXPECT_STREQ(pnn_operator_kernel_name(op), "none");
  pnn_delete_operator(op);

  // At rank 2, axes 1 and -2 are dims 1 and 0: everything reduced.
  ASSERT_EQ(pnn_create_reduce_nd_f32(pnn_reduce_mean, 2, axes, 0, &op), pnn_status_success);
  std::vector<float> x(6, 1.0f);
  GuardedBuffer y(1);
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_setup_reduce_nd_f32(op, x.data(), y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  ASSERT_EQ(pnn_reshape_reduce_nd_f32(op, 2, rank2, &rank_out, shape_out, nullptr),
            pnn_status_success);
  EXPECT_EQ(rank_out, 0u);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_reduce_nd_f32(op, nullptr, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_reduce_nd_f32(op, x.data(), nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,  // output inside the input
                    pnn_setup_reduce_nd_f32(op, x.data(), x.data() + 5));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
  EXPECT_TRUE(y.Untouched());
  EXPECT_EQ(x, std::vector<float>(6, 1.0f));
  // A failed reshape keeps the previous shape and setup.
  ASSERT_EQ(pnn_setup_reduce_nd_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_reduce_nd_f32(op, 3, zero, nullptr, nullptr, nullptr));
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_EQ(y[0], 1.0f);
  pnn_delete_operator(op);
}

TEST(ReduceErrors, WrongOperatorType) {
  pnn_operator_t softmax = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(4, 0, &softmax), pnn_status_success);
  const size_t shape[1] = {4};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_reduce_nd_f32(softmax, 1, shape, nullptr, nullptr, nullptr));
  pnn_delete_operator(softmax);
}

}  // namespace
