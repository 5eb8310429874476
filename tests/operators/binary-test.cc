// Binary elementwise operator: broadcasting against the double reference (exact: see
// tests/reference/binary-reference.h), threads, reuse, in place, IEEE specials and every error.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "reference/binary-reference.h"
#include "shape-utils.h"
#include "test-utils.h"

using pnn_test::Count;
using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;
using pnn_test::Shape;
using pnn_test::ShapeString;

namespace {

PNN_TEST_INIT_LIBRARY();

constexpr pnn_binary_op kAllOps[] = {
    pnn_binary_add,     pnn_binary_subtract, pnn_binary_multiply,           pnn_binary_divide,
    pnn_binary_minimum, pnn_binary_maximum,  pnn_binary_squared_difference,
};

// Owns an operator for the scope of a test.
struct Op {
  explicit Op(pnn_binary_op type, float lo = -INFINITY, float hi = INFINITY) {
    EXPECT_EQ(pnn_create_binary_elementwise_nd_f32(type, lo, hi, 0, &op), pnn_status_success);
  }
  ~Op() { pnn_delete_operator(op); }
  pnn_operator_t op = nullptr;
};

// Reshapes, sets up and runs `op` on a and b; returns the output (guards and the reported shape
// checked).
std::vector<float> RunBinary(pnn_operator_t op, const Shape& sa, const std::vector<float>& a,
                             const Shape& sb, const std::vector<float>& b,
                             pnn_threadpool_t pool = nullptr) {
  const Shape expect_shape = pnn_ref::broadcast_shape(sa, sb);
  EXPECT_FALSE(expect_shape.empty()) << "test bug: incompatible shapes";
  size_t nd = 0;
  size_t shape[PNN_MAX_DIMS] = {};
  EXPECT_EQ(pnn_reshape_binary_elementwise_nd_f32(op, sa.size(), sa.data(), sb.size(), sb.data(),
                                                  &nd, shape, pool),
            pnn_status_success);
  EXPECT_EQ(Shape(shape, shape + nd), expect_shape);
  GuardedBuffer y(Count(expect_shape));
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op, a.data(), b.data(), y.data()),
            pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

// Equal as values, with NaN equal to NaN.
bool SameValue(float x, float y) { return x == y || (std::isnan(x) && std::isnan(y)); }

void ExpectMatches(const std::vector<float>& got, const std::vector<float>& want,
                   const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); i++) {
    ASSERT_TRUE(SameValue(got[i], want[i]))
        << what << " i=" << i << " got " << got[i] << " want " << want[i];
  }
}

// Runs `type` on random inputs of shapes sa, sb and compares with the reference.
void CheckShapes(pnn_binary_op type, const Shape& sa, const Shape& sb, uint32_t seed,
                 float lo = -INFINITY, float hi = INFINITY) {
  ASSERT_FALSE(pnn_ref::broadcast_shape(sa, sb).empty()) << "test bug: incompatible shapes";
  Op op(type, lo, hi);
  const auto a = RandomVector(Count(sa), seed, -3.0f, 3.0f);
  const auto b = RandomVector(Count(sb), seed + 1, -3.0f, 3.0f);
  ExpectMatches(RunBinary(op.op, sa, a, sb, b), pnn_ref::binary(type, sa, a, sb, b, lo, hi),
                "op " + std::to_string(type) + " " + ShapeString(sa) + " with " + ShapeString(sb));
}

const std::vector<std::pair<Shape, Shape>> kShapePairs = {
    {{3, 4}, {3, 4}},
    {{3, 4}, {4}},
    {{4}, {3, 4}},
    {{3, 4}, {3, 1}},
    {{3, 1}, {3, 4}},
    {{3, 1}, {1, 4}},
    {{1, 4}, {3, 1}},
    {{2, 1, 5, 1}, {7, 1, 1}},
    {{7, 1, 1}, {2, 1, 5, 1}},
    {{1}, {5, 6}},
    {{5, 6}, {1}},
    {{1}, {1}},
    {{1, 1, 1}, {1}},
    {{4, 1}, {4, 1}},
    {{2, 3, 1, 5, 1, 7}, {1, 3, 4, 1, 6, 1}},
    {{2, 1, 3, 1, 2, 1}, {1, 2, 1, 3, 1, 2}},
    {{5, 1, 1, 1, 1, 3}, {1, 1, 1, 1, 1, 1}},
    {{2, 3, 5, 7, 2, 3}, {2, 3, 5, 7, 2, 3}},
    {{13, 17}, {17}},
    {{31, 1, 7}, {11, 7}},
    {{1, 1, 1, 37}, {29, 1}},
    {{3, 1, 4, 1, 5}, {9, 1, 6, 1, 3, 1}},
};

TEST(BinaryOperator, EveryOpOnBroadcastShapes) {
  uint32_t seed = 100;
  for (pnn_binary_op type : kAllOps) {
    for (const auto& p : kShapePairs) {
      CheckShapes(type, p.first, p.second, seed++);
      if (HasFatalFailure()) return;
    }
  }
}

// Random shapes of 1..6 dims with random size-1 dims on either side, fixed seed.
TEST(BinaryOperator, RandomShapesMatchReference) {
  std::mt19937 rng(2024);
  for (int t = 0; t < 300; t++) {
    const pnn_binary_op type = kAllOps[rng() % 7];
    const size_t nd = 1 + rng() % PNN_MAX_DIMS;
    Shape out(nd);
    for (size_t& d : out) d = rng() % 3 == 0 ? 1 : 2 + rng() % 5;
    const size_t nda = 1 + rng() % nd, ndb = 1 + rng() % nd;
    Shape sa(out.end() - nda, out.end()), sb(out.end() - ndb, out.end());
    for (size_t& d : sa) d = rng() % 3 == 0 ? 1 : d;
    for (size_t& d : sb) d = rng() % 3 == 0 ? 1 : d;
    const bool clamp = rng() % 4 == 0;
    CheckShapes(type, sa, sb, 7000 + t, clamp ? -0.5f : -INFINITY, clamp ? 0.75f : INFINITY);
    if (HasFatalFailure()) return;
  }
}

TEST(BinaryOperator, ReportsOutputShape) {
  Op op(pnn_binary_add);
  const Shape sa = {2, 1, 5, 1}, sb = {7, 1, 1};
  size_t nd = 0;
  size_t shape[PNN_MAX_DIMS] = {0, 0, 0, 0, 99, 99};
  ASSERT_EQ(
      pnn_reshape_binary_elementwise_nd_f32(op.op, 4, sa.data(), 3, sb.data(), &nd, shape, nullptr),
      pnn_status_success);
  EXPECT_EQ(nd, 4u);
  EXPECT_EQ(Shape(shape, shape + 6), (Shape{2, 7, 5, 1, 99, 99}));
  // Both out-parameters are optional.
  EXPECT_EQ(pnn_reshape_binary_elementwise_nd_f32(op.op, 4, sa.data(), 3, sb.data(), nullptr,
                                                  nullptr, nullptr),
            pnn_status_success);
}

// The innermost merged loop picks the kernel form: vop when both operands run along it, vopc when
// B is a scalar along it, vropc (or the swapped vopc of a commutative op) when A is.
TEST(BinaryOperator, KernelFormFollowsBroadcast) {
  struct Case {
    pnn_binary_op type;
    Shape sa, sb;
    const char* kernel_prefix;
  };
  const Case cases[] = {
      {pnn_binary_add, {3, 4}, {3, 4}, "pnn_f32_vadd_"},
      {pnn_binary_add, {4, 1}, {4, 1}, "pnn_f32_vadd_"},     // the size-1 dim is dropped
      {pnn_binary_add, {2, 3, 4}, {3, 4}, "pnn_f32_vadd_"},  // row of 12 merged
      {pnn_binary_add, {1}, {1}, "pnn_f32_vadd_"},
      {pnn_binary_add, {3, 4}, {3, 1}, "pnn_f32_vaddc_"},
      {pnn_binary_add, {3, 1}, {3, 4}, "pnn_f32_vaddc_"},  // commutative: operands swapped
      {pnn_binary_subtract, {3, 1}, {3, 4}, "pnn_f32_vrsubc_"},
      {pnn_binary_divide, {1}, {5, 6}, "pnn_f32_vrdivc_"},
      {pnn_binary_divide, {5, 6}, {1}, "pnn_f32_vdivc_"},
      {pnn_binary_multiply, {2, 3, 4}, {1, 1, 1}, "pnn_f32_vmulc_"},
      {pnn_binary_minimum, {2, 1, 4}, {2, 5, 4}, "pnn_f32_vmin_"},
  };
  for (const Case& c : cases) {
    Op op(c.type);
    EXPECT_STREQ(pnn_operator_kernel_name(op.op), "none");
    ASSERT_EQ(pnn_reshape_binary_elementwise_nd_f32(op.op, c.sa.size(), c.sa.data(), c.sb.size(),
                                                    c.sb.data(), nullptr, nullptr, nullptr),
              pnn_status_success);
    const std::string name = pnn_operator_kernel_name(op.op);
    EXPECT_EQ(name.rfind(c.kernel_prefix, 0), 0u)
        << name << " for " << ShapeString(c.sa) << " with " << ShapeString(c.sb);
  }
}

// IEEE division: x/0 = +-inf by the signs, 0/0 = NaN, inf/inf = NaN; NaN inputs propagate through
// every op but minimum/maximum (unspecified there). Each case runs in all three kernel forms.
TEST(BinaryOperator, IeeeSpecialValues) {
  const float inf = INFINITY, nan = NAN;
  const std::vector<float> a = {1.0f, -1.0f, 0.0f, 0.0f, inf, -inf, 2.0f, nan, 1.0f, -0.0f};
  const std::vector<float> b = {0.0f, 0.0f, 0.0f, -0.0f, 0.0f, inf, -0.0f, 1.0f, nan, 0.0f};
  {
    Op op(pnn_binary_divide);
    const auto y = RunBinary(op.op, {10}, a, {10}, b);
    const std::vector<float> want = {inf, -inf, nan, nan, inf, nan, -inf, nan, nan, nan};
    ExpectMatches(y, want, "divide vop");
    for (size_t i : {0, 1, 4, 6}) EXPECT_EQ(y[i], want[i]) << i;  // == tells +inf from -inf
    // vopc: every a over a zero scalar; vropc: a zero scalar over every b.
    const std::vector<float> zero = {0.0f};
    ExpectMatches(RunBinary(op.op, {10}, a, {1}, zero),
                  pnn_ref::binary(pnn_binary_divide, {10}, a, {1}, zero), "divide vopc");
    const auto y2 = RunBinary(op.op, {1}, zero, {10}, b);
    ExpectMatches(y2, pnn_ref::binary(pnn_binary_divide, {1}, zero, {10}, b), "divide vropc");
    EXPECT_TRUE(std::isnan(y2[0]));
    EXPECT_EQ(y2[5], 0.0f);  // 0 / inf
  }
  for (pnn_binary_op type : {pnn_binary_add, pnn_binary_subtract, pnn_binary_multiply,
                             pnn_binary_divide, pnn_binary_squared_difference}) {
    Op op(type);
    const std::vector<float> n1 = {nan}, v = {1.5f, -2.0f, 0.0f, 3.0f, -7.0f};
    for (const auto& y : {RunBinary(op.op, {5}, v, {1}, n1), RunBinary(op.op, {1}, n1, {5}, v),
                          RunBinary(op.op, {5}, v, {5}, std::vector<float>(5, nan))}) {
      for (float x : y) EXPECT_TRUE(std::isnan(x)) << "op " << type;
    }
  }
}

TEST(BinaryOperator, FusedClampEveryOp) {
  uint32_t seed = 500;
  for (pnn_binary_op type : kAllOps) {
    const float lo = type == pnn_binary_squared_difference ? 0.5f : -0.25f;
    const float hi = type == pnn_binary_squared_difference ? 2.0f : 0.5f;
    for (const auto& p :
         {std::make_pair(Shape{3, 1, 5}, Shape{4, 5}), std::make_pair(Shape{1}, Shape{6, 7}),
          std::make_pair(Shape{6, 7}, Shape{6, 1}), std::make_pair(Shape{33}, Shape{33})}) {
      CheckShapes(type, p.first, p.second, seed++, lo, hi);
      if (HasFatalFailure()) return;
    }
  }
  // A degenerate clamp [c, c] gives c everywhere.
  Op op(pnn_binary_multiply, 0.125f, 0.125f);
  const auto a = RandomVector(17, 9), b = RandomVector(17, 10);
  for (float x : RunBinary(op.op, {17}, a, {17}, b)) EXPECT_EQ(x, 0.125f);
}

// Elementwise with no reductions: every thread count must give the same bits. The shapes cover a
// single long row (split into tiles), many short rows (grouped) and both scalar forms.
TEST(BinaryOperator, OneAndTwoThreadsBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const std::pair<Shape, Shape> shapes[] = {
      {{1 << 20}, {1 << 20}}, {{1000, 1000}, {1000}}, {{1, 1 << 20}, {1}},
      {{1}, {1 << 20}},       {{1 << 18, 1}, {1, 4}}, {{64, 1, 128}, {1, 128, 1}},
  };
  uint32_t seed = 900;
  for (pnn_binary_op type : {pnn_binary_add, pnn_binary_subtract, pnn_binary_divide}) {
    for (const auto& p : shapes) {
      Op op(type);
      const auto a = RandomVector(Count(p.first), seed++, -3.0f, 3.0f);
      const auto b = RandomVector(Count(p.second), seed++, -3.0f, 3.0f);
      const auto y1 = RunBinary(op.op, p.first, a, p.second, b, nullptr);
      const auto y2 = RunBinary(op.op, p.first, a, p.second, b, pool);
      ASSERT_EQ(y1.size(), y2.size());
      EXPECT_EQ(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)), 0)
          << ShapeString(p.first) << " with " << ShapeString(p.second);
      if (type == pnn_binary_subtract) {
        ExpectMatches(y2, pnn_ref::binary(type, p.first, a, p.second, b), ShapeString(p.first));
      }
    }
  }
  pnn_threadpool_destroy(pool);
}

// Pow is not exact (kernels/math-constants.h): every broadcast shape (all three kernel forms)
// within its documented bound, with integer exponents on negative bases, special values, a fused
// clamp, and 1 and 2 threads bit-identical.
std::vector<float> PowOperand(size_t n, uint32_t seed, bool exponent) {
  auto v = RandomVector(n, seed, exponent ? -6.0f : -4.0f, exponent ? 6.0f : 4.0f);
  const float specials[] = {0.0f, -0.0f, 1.0f, -1.0f, INFINITY, -INFINITY, NAN, 0.5f, -2.0f};
  for (size_t i = 0; i < n; i++) {
    if (exponent && i % 2 == 0) v[i] = std::nearbyint(v[i]);
    if (i % 11 == 5) v[i] = specials[(i / 11 + seed) % 9];
  }
  return v;
}

TEST(BinaryPow, BroadcastShapesWithinBound) {
  uint32_t seed = 3000;
  for (float hi : {INFINITY, 2.5f}) {
    Op op(pnn_binary_pow, -INFINITY, hi);
    for (const auto& p : kShapePairs) {
      const auto a = PowOperand(Count(p.first), seed++, false);
      const auto b = PowOperand(Count(p.second), seed++, true);
      const auto y = RunBinary(op.op, p.first, a, p.second, b);
      const auto pairs = pnn_ref::broadcast_operands(p.first, a, p.second, b);
      ASSERT_EQ(y.size(), pairs.size());
      for (size_t i = 0; i < y.size(); i++) {
        const float base = pairs[i].first, exponent = pairs[i].second;
        const double r = std::pow(double{base}, double{exponent});
        // Clamped: exactly hi above it (a result within the bound of hi may round either way).
        if (hi != INFINITY && r > hi * (1 + 1e-5)) {
          ASSERT_EQ(y[i], hi) << "pow(" << base << ", " << exponent << ")";
          continue;
        }
        ASSERT_TRUE(pnn_ref::pow_ok(y[i], base, exponent) || (r >= hi && y[i] == hi))
            << ShapeString(p.first) << " with " << ShapeString(p.second) << " pow(" << base
            << ", " << exponent << ") = " << y[i] << ", reference " << r;
      }
    }
  }
}

TEST(BinaryPow, OneAndTwoThreadsBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  Op op(pnn_binary_pow);
  const std::pair<Shape, Shape> shapes[] = {{{1 << 18}, {1 << 18}}, {{1}, {1 << 18}},
                                            {{1000, 300}, {1}}};
  uint32_t seed = 4000;
  for (const auto& p : shapes) {
    const auto a = PowOperand(Count(p.first), seed++, false);
    const auto b = PowOperand(Count(p.second), seed++, true);
    const auto y1 = RunBinary(op.op, p.first, a, p.second, b, nullptr);
    const auto y2 = RunBinary(op.op, p.first, a, p.second, b, pool);
    ASSERT_EQ(y1.size(), y2.size());
    EXPECT_EQ(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)), 0)
        << ShapeString(p.first) << " with " << ShapeString(p.second);
  }
  pnn_threadpool_destroy(pool);
}

TEST(BinaryPow, OnnxSignRules) {
  Op op(pnn_binary_pow);
  const std::vector<float> a = {-2.0f, -2.0f, -2.0f, -8.0f, -0.0f, -0.0f, 0.0f, -1.0f,
                                -INFINITY, -INFINITY, NAN, 1.0f, 4.0f, 0.5f};
  const std::vector<float> b = {3.0f, 2.0f, -1.0f, 1.0f / 3, 3.0f, -3.0f, -2.0f, INFINITY,
                                3.0f, 0.5f, 0.0f, NAN, 0.5f, -INFINITY};
  const std::vector<float> want = {-8.0f, 4.0f, -0.5f, NAN, -0.0f, -INFINITY, INFINITY, 1.0f,
                                   -INFINITY, INFINITY, 1.0f, 1.0f, 2.0f, INFINITY};
  const auto y = RunBinary(op.op, {a.size()}, a, {b.size()}, b);
  for (size_t i = 0; i < y.size(); i++) {
    EXPECT_TRUE(SameValue(y[i], want[i]) &&
                (std::isnan(want[i]) || std::signbit(y[i]) == std::signbit(want[i])))
        << "pow(" << a[i] << ", " << b[i] << ") = " << y[i] << ", want " << want[i];
  }
}

// One operator, reshaped and run with shapes that change the rank, the form and the size.
TEST(BinaryOperator, CreateOnceReshapeManyShapes) {
  Op op(pnn_binary_subtract, -2.0f, 2.5f);
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const std::pair<Shape, Shape> shapes[] = {
      {{3, 4}, {3, 4}}, {{1}, {5, 6}},      {{2, 1, 5, 1}, {7, 1, 1}},
      {{100000}, {1}},  {{1}, {1}},         {{2, 3, 1, 5, 1, 7}, {1, 3, 4, 1, 6, 1}},
      {{3, 1}, {1, 4}}, {{70000}, {70000}}, {{3, 4}, {4}},
  };
  uint32_t seed = 1300;
  for (int pass = 0; pass < 2; pass++) {
    for (const auto& p : shapes) {
      const auto a = RandomVector(Count(p.first), seed++, -3.0f, 3.0f);
      const auto b = RandomVector(Count(p.second), seed++, -3.0f, 3.0f);
      ExpectMatches(RunBinary(op.op, p.first, a, p.second, b, pass ? pool : nullptr),
                    pnn_ref::binary(pnn_binary_subtract, p.first, a, p.second, b, -2.0f, 2.5f),
                    ShapeString(p.first) + " with " + ShapeString(p.second));
      if (HasFatalFailure()) break;
    }
  }
  pnn_threadpool_destroy(pool);
}

// Output == A or B (when it has the output's shape), including a non-commutative op whose
// broadcast A makes B the row operand, and a*a written over itself.
TEST(BinaryOperator, InPlace) {
  const Shape big = {5, 7}, row = {7}, col = {5, 1};
  // Runs `type` over a (shape sa) and b (shape sb) into *out (a, b or both) and checks it.
  auto check = [](pnn_binary_op type, const Shape& sa, std::vector<float>& a, const Shape& sb,
                  std::vector<float>& b, std::vector<float>* out, const char* what) {
    Op op(type);
    const auto want = pnn_ref::binary(type, sa, a, sb, b);
    ASSERT_EQ(pnn_reshape_binary_elementwise_nd_f32(op.op, sa.size(), sa.data(), sb.size(),
                                                    sb.data(), nullptr, nullptr, nullptr),
              pnn_status_success);
    ASSERT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, a.data(), b.data(), out->data()),
              pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_success);
    ExpectMatches(*out, want, what);
  };
  auto a = RandomVector(35, 1), b = RandomVector(7, 2);
  check(pnn_binary_subtract, big, a, row, b, &a, "output is A");
  auto c = RandomVector(5, 3, 0.5f, 2.0f), d = RandomVector(35, 4, 0.5f, 2.0f);
  check(pnn_binary_divide, col, c, big, d, &d, "output is B");
  auto x = RandomVector(35, 5);
  check(pnn_binary_multiply, big, x, big, x, &x, "output is A and B");
}

TEST(BinaryErrors, Create) {
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  auto expect_invalid = [&](pnn_status s) {
    EXPECT_EQ(s, pnn_status_invalid_parameter);
    EXPECT_EQ(op, nullptr);
    op = reinterpret_cast<pnn_operator_t>(0x1);
  };
  expect_invalid(pnn_create_binary_elementwise_nd_f32(static_cast<pnn_binary_op>(-1), -INFINITY,
                                                      INFINITY, 0, &op));
  expect_invalid(pnn_create_binary_elementwise_nd_f32(static_cast<pnn_binary_op>(pnn_binary_pow + 1),
                                                      -INFINITY, INFINITY, 0, &op));
  expect_invalid(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, NAN, 1.0f, 0, &op));
  expect_invalid(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, 0.0f, NAN, 0, &op));
  expect_invalid(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, 1.0f, 0.0f, 0, &op));
  expect_invalid(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, -INFINITY, INFINITY, 1, &op));
  expect_invalid(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, -INFINITY, INFINITY,
                                                      PNN_FLAG_TRANSPOSE_A, &op));
  EXPECT_EQ(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, -INFINITY, INFINITY, 0, nullptr),
            pnn_status_invalid_parameter);
  // Before initialization.
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  EXPECT_EQ(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, -INFINITY, INFINITY, 0, &op),
            pnn_status_uninitialized);
  EXPECT_EQ(op, nullptr);
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

// Every invalid reshape: status invalid_parameter, out-parameters untouched, and the operator
// keeps its previous plan (a set-up operator still runs).
TEST(BinaryErrors, Reshape) {
  Op op(pnn_binary_add);
  const Shape good = {3, 4};
  const auto a = RandomVector(12, 1), b = RandomVector(12, 2);
  ASSERT_EQ(pnn_reshape_binary_elementwise_nd_f32(op.op, 2, good.data(), 2, good.data(), nullptr,
                                                  nullptr, nullptr),
            pnn_status_success);
  GuardedBuffer y(12);
  ASSERT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, a.data(), b.data(), y.data()),
            pnn_status_success);

  const size_t big = size_t{1} << (sizeof(size_t) * 4);  // big * big overflows size_t
  const Shape big_1 = {big, 1}, one_big = {1, big};
  const Shape seven(7, 1), zero = {3, 0}, other = {3, 5}, huge = {big, big},
                           over_bytes = {SIZE_MAX / sizeof(float) + 1}, two = {2, 1},
                           three = {3, 1};
  struct Case {
    const char* what;
    size_t nda;
    const size_t* sa;
    size_t ndb;
    const size_t* sb;
  };
  const Case cases[] = {
      {"A has 0 dims", 0, good.data(), 2, good.data()},
      {"B has 0 dims", 2, good.data(), 0, good.data()},
      {"A has 7 dims", 7, seven.data(), 2, good.data()},
      {"B has 7 dims", 2, good.data(), 7, seven.data()},
      {"NULL shape A", 2, nullptr, 2, good.data()},
      {"NULL shape B", 2, good.data(), 2, nullptr},
      {"zero dim in A", 2, zero.data(), 2, good.data()},
      {"zero dim in B", 1, good.data(), 2, zero.data()},
      {"incompatible", 2, good.data(), 2, other.data()},
      {"incompatible leading", 2, two.data(), 2, three.data()},
      {"product overflows", 2, huge.data(), 1, good.data()},
      {"product overflows only after broadcast", 2, big_1.data(), 2, one_big.data()},
      {"bytes overflow", 1, over_bytes.data(), 1, over_bytes.data()},
  };
  for (const Case& c : cases) {
    size_t nd = 12345;
    size_t shape[PNN_MAX_DIMS] = {7, 7, 7, 7, 7, 7};
    EXPECT_EQ(
        pnn_reshape_binary_elementwise_nd_f32(op.op, c.nda, c.sa, c.ndb, c.sb, &nd, shape, nullptr),
        pnn_status_invalid_parameter)
        << c.what;
    EXPECT_EQ(nd, 12345u) << c.what;
    EXPECT_EQ(Shape(shape, shape + 6), Shape(6, 7)) << c.what;
  }
  EXPECT_TRUE(y.Untouched());
  // Wrong operator: NULL and another operator type.
  EXPECT_EQ(pnn_reshape_binary_elementwise_nd_f32(nullptr, 2, good.data(), 2, good.data(), nullptr,
                                                  nullptr, nullptr),
            pnn_status_invalid_parameter);
  pnn_operator_t unary = nullptr;
  const pnn_unary_params relu = {0.0f, INFINITY, 0.0f, 0.0f};
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &relu, 0, &unary),
            pnn_status_success);
  EXPECT_EQ(pnn_reshape_binary_elementwise_nd_f32(unary, 2, good.data(), 2, good.data(), nullptr,
                                                  nullptr, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(unary, a.data(), b.data(), y.data()),
            pnn_status_invalid_parameter);
  pnn_delete_operator(unary);
  EXPECT_TRUE(y.Untouched());

  // The failed reshapes left the last good plan and setup in place.
  ASSERT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_success);
  ExpectMatches(std::vector<float>(y.data(), y.data() + 12),
                pnn_ref::binary(pnn_binary_add, good, a, good, b), "after failed reshapes");
}

TEST(BinaryErrors, SetupAndRunLifecycle) {
  Op op(pnn_binary_subtract);
  const Shape big = {5, 7}, col = {5, 1};
  const auto a = RandomVector(35, 1), b = RandomVector(35, 2);
  GuardedBuffer y(35);
  // Before reshape.
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, a.data(), b.data(), y.data()),
            pnn_status_invalid_state);
  EXPECT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_invalid_state);
  // After reshape, before setup.
  ASSERT_EQ(pnn_reshape_binary_elementwise_nd_f32(op.op, 2, col.data(), 2, big.data(), nullptr,
                                                  nullptr, nullptr),
            pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_invalid_state);
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(nullptr, a.data(), b.data(), y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, nullptr, b.data(), y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, a.data(), nullptr, y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, a.data(), b.data(), nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_invalid_state);
  EXPECT_TRUE(y.Untouched());

  // Aliasing the output with an input of another shape, or partially, is rejected.
  {
    GuardedBuffer x(36);  // A is [5,1] here: 5 elements, the output 35
    for (size_t i = 0; i < 36; i++) x[i] = static_cast<float>(i);
    EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, x.data(), b.data(), x.data()),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, a.data(), x.data(), x.data() + 1),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, x.data() + 30, b.data(), x.data()),
              pnn_status_invalid_parameter);
    EXPECT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_invalid_state);
    for (size_t i = 0; i < 36; i++) ASSERT_EQ(x[i], static_cast<float>(i));
    EXPECT_TRUE(x.CheckGuards());
  }

  ASSERT_EQ(pnn_setup_binary_elementwise_nd_f32(op.op, a.data(), b.data(), y.data()),
            pnn_status_success);
  // A reshape invalidates the setup.
  ASSERT_EQ(pnn_reshape_binary_elementwise_nd_f32(op.op, 2, big.data(), 2, big.data(), nullptr,
                                                  nullptr, nullptr),
            pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_invalid_state);
  EXPECT_EQ(pnn_run_operator(nullptr, nullptr), pnn_status_invalid_parameter);
  EXPECT_TRUE(y.Untouched());
  EXPECT_EQ(pnn_delete_operator(nullptr), pnn_status_success);
}

}  // namespace
