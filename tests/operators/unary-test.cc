// Unary elementwise operator: every op against the double reference, in place, 1 and 2
// threads, the kernel it reports, parameters, and every error status. The kernels themselves:
// tests/kernels/f32-vunary-test.cc.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "configs/configs.h"
#include "hardware-config.h"
#include "reference/unary-reference.h"
#include "test-utils.h"

using pnn::approx::ErrorBound;
using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

PNN_TEST_INIT_LIBRARY();

namespace {

// ------------------------------------------------------------------------------------------
// Operator tests.

// Runs op over `x` with the given pool and returns the output (guards checked).
std::vector<float> RunUnary(pnn_operator_t op, const std::vector<float>& x, size_t batch,
                            size_t channels, pnn_threadpool_t pool) {
  GuardedBuffer y(x.size());
  EXPECT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, batch, channels, pool), pnn_status_success);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

bool BitIdentical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

TEST(UnaryClamp, MatchesReferenceExactly) {
  pnn_unary_params p{};
  p.min = -0.25f;
  p.max = 0.5f;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op), pnn_status_success);
  for (size_t n : {1, 3, 4, 7, 17, 1000, 40001}) {
    auto x = RandomVector(n, 42 + n);
    auto y = RunUnary(op, x, 1, n, nullptr);
    for (size_t i = 0; i < n; i++) ASSERT_EQ(y[i], (float)pnn_ref::unary(pnn_unary_clamp, x[i], p));
  }
  pnn_delete_operator(op);
}

TEST(UnaryClamp, OneAndTwoThreadsAgree) {
  pnn_unary_params p{0.0f, 6.0f, 0, 0};
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op), pnn_status_success);
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  auto x = RandomVector(3 * 33331, 7, -10.0f, 10.0f);
  EXPECT_EQ(RunUnary(op, x, 3, 33331, nullptr), RunUnary(op, x, 3, 33331, pool));
  pnn_threadpool_destroy(pool);
  pnn_delete_operator(op);
}

TEST(UnaryClamp, InPlace) {
  pnn_unary_params p{0.0f, INFINITY, 0, 0};
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op), pnn_status_success);
  auto x = RandomVector(1001, 3);
  auto expect = x;
  for (float& v : expect) v = v < 0 ? 0.0f : v;
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, 7, 143, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), x.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_EQ(x, expect);
  pnn_delete_operator(op);
}

// One case per op (GELU twice): the input range that exercises it and its parameters.
struct OpCase {
  pnn_unary_op op;
  bool gelu_tanh;
  float lo, hi;
  pnn_unary_params params;
};

std::ostream& operator<<(std::ostream& os, const OpCase& c) {
  return os << "op " << static_cast<int>(c.op) << (c.gelu_tanh ? " (tanh form)" : "");
}

class UnaryOp : public ::testing::TestWithParam<OpCase> {
 protected:
  pnn_operator_t Create() const {
    const OpCase& c = GetParam();
    pnn_operator_t op = nullptr;
    EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(
                  c.op, &c.params, c.gelu_tanh ? PNN_FLAG_GELU_TANH_APPROXIMATION : 0, &op),
              pnn_status_success);
    return op;
  }
  // Random data of the case's range with special values sprinkled in.
  std::vector<float> Input(size_t n, uint32_t seed) const {
    const OpCase& c = GetParam();
    std::vector<float> x = RandomVector(n, seed, c.lo, c.hi);
    const std::vector<float> specials = pnn_ref::special_values();
    for (size_t i = 0; i < n; i += 97) x[i] = specials[(i / 97 + seed) % specials.size()];
    return x;
  }
};

TEST_P(UnaryOp, MatchesReferenceOverRandomShapes) {
  const OpCase& c = GetParam();
  pnn_operator_t op = Create();
  ASSERT_NE(op, nullptr);
  const ErrorBound bound = pnn_ref::unary_error_bound(c.op, c.gelu_tanh);
  std::mt19937 rng(1234 + static_cast<uint32_t>(c.op) * 2 + c.gelu_tanh);
  // Created once, reshaped and run over several shapes.
  for (int round = 0; round < 5; round++) {
    const size_t batch = 1 + rng() % 5;
    const size_t channels = 1 + rng() % 3000;
    const auto x = Input(batch * channels, static_cast<uint32_t>(rng()));
    const auto y = RunUnary(op, x, batch, channels, nullptr);
    for (size_t i = 0; i < x.size(); i++) {
      if (c.op == pnn_unary_clamp && std::isnan(x[i])) continue;  // unspecified
      const double r = pnn_ref::unary(c.op, x[i], c.params, c.gelu_tanh);
      ASSERT_TRUE(pnn_ref::within_bound(y[i], r, bound))
          << c << " batch " << batch << " channels " << channels << " x=" << x[i] << " y=" << y[i]
          << " reference " << r;
    }
  }
  pnn_delete_operator(op);
}

TEST_P(UnaryOp, InPlaceMatchesOutOfPlace) {
  pnn_operator_t op = Create();
  ASSERT_NE(op, nullptr);
  auto x = Input(7 * 1001, 5);
  const auto expect = RunUnary(op, x, 7, 1001, nullptr);
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, 7, 1001, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), x.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(BitIdentical(x, expect));
  pnn_delete_operator(op);
}

TEST_P(UnaryOp, OneAndTwoThreadsBitIdentical) {
  pnn_operator_t op = Create();
  ASSERT_NE(op, nullptr);
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  // 3 * 33331 elements: several 16384-element tasks and a ragged last one.
  const auto x = Input(3 * 33331, 11);
  EXPECT_TRUE(BitIdentical(RunUnary(op, x, 3, 33331, nullptr), RunUnary(op, x, 3, 33331, pool)));
  pnn_threadpool_destroy(pool);
  pnn_delete_operator(op);
}

TEST_P(UnaryOp, ReportsTheConfiguredKernel) {
  const OpCase& c = GetParam();
  pnn_operator_t op = Create();
  ASSERT_NE(op, nullptr);
  const int slot = c.gelu_tanh ? pnn::kUnaryGeluTanh : static_cast<int>(c.op);
  EXPECT_STREQ(pnn_operator_kernel_name(op), pnn::get_unary_config(slot)->name);
  pnn_delete_operator(op);
}

pnn_unary_params Params(float slope, float alpha) {
  pnn_unary_params p{};
  p.min = -1.0f;
  p.max = 1.0f;
  p.negative_slope = slope;
  p.alpha = alpha;
  return p;
}

pnn_unary_params HardSigmoidParams(float alpha, float beta) {
  pnn_unary_params p = Params(0, alpha);
  p.beta = beta;
  return p;
}

INSTANTIATE_TEST_SUITE_P(
    AllOps, UnaryOp,
    ::testing::Values(OpCase{pnn_unary_clamp, false, -3, 3, Params(0, 0)},
                      OpCase{pnn_unary_leaky_relu, false, -10, 10, Params(0.01f, 0)},
                      OpCase{pnn_unary_elu, false, -10, 10, Params(0, 1.0f)},
                      OpCase{pnn_unary_sigmoid, false, -30, 30, Params(0, 0)},
                      OpCase{pnn_unary_tanh, false, -12, 12, Params(0, 0)},
                      OpCase{pnn_unary_hardswish, false, -8, 8, Params(0, 0)},
                      OpCase{pnn_unary_gelu, false, -12, 12, Params(0, 0)},
                      OpCase{pnn_unary_gelu, true, -12, 12, Params(0, 0)},
                      OpCase{pnn_unary_silu, false, -30, 30, Params(0, 0)},
                      OpCase{pnn_unary_abs, false, -100, 100, Params(0, 0)},
                      OpCase{pnn_unary_negate, false, -100, 100, Params(0, 0)},
                      OpCase{pnn_unary_square, false, -1e5f, 1e5f, Params(0, 0)},
                      OpCase{pnn_unary_sqrt, false, -1, 1e6f, Params(0, 0)},
                      OpCase{pnn_unary_exp, false, -100, 90, Params(0, 0)},
                      OpCase{pnn_unary_hard_sigmoid, false, -8, 8, HardSigmoidParams(0.2f, 0.5f)},
                      OpCase{pnn_unary_hard_sigmoid, false, -8, 8, HardSigmoidParams(-1.5f, 1.0f)},
                      OpCase{pnn_unary_erf, false, -5, 5, Params(0, 0)},
                      OpCase{pnn_unary_log, false, -1, 1e4f, Params(0, 0)},
                      OpCase{pnn_unary_reciprocal, false, -1e3f, 1e3f, Params(0, 0)},
                      OpCase{pnn_unary_rsqrt, false, -1, 1e6f, Params(0, 0)},
                      OpCase{pnn_unary_floor, false, -100, 100, Params(0, 0)},
                      OpCase{pnn_unary_ceil, false, -100, 100, Params(0, 0)},
                      OpCase{pnn_unary_round, false, -100, 100, Params(0, 0)},
                      OpCase{pnn_unary_sin, false, -1e4f, 1e4f, Params(0, 0)},
                      OpCase{pnn_unary_cos, false, -30, 30, Params(0, 0)},
                      OpCase{pnn_unary_softplus, false, -30, 30, Params(0, 0)}));

// Leaky ReLU and ELU over several parameters, including zero and negative slopes.
TEST(UnaryParams, LeakyReluSlopesAndEluAlphas) {
  const auto x = RandomVector(2003, 99, -20.0f, 20.0f);
  for (float slope : {0.0f, 0.01f, 0.2f, -0.5f, 3.0f}) {
    pnn_unary_params p = Params(slope, 0);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_leaky_relu, &p, 0, &op),
              pnn_status_success);
    const auto y = RunUnary(op, x, 1, x.size(), nullptr);
    const ErrorBound b = pnn_ref::unary_error_bound(pnn_unary_leaky_relu);
    for (size_t i = 0; i < x.size(); i++)
      ASSERT_TRUE(pnn_ref::within_bound(y[i], pnn_ref::unary(pnn_unary_leaky_relu, x[i], p), b))
          << "slope " << slope << " x=" << x[i];
    pnn_delete_operator(op);
  }
  for (float alpha : {0.0f, 0.5f, 1.0f, 2.5f, -1.0f}) {
    pnn_unary_params p = Params(0, alpha);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_elu, &p, 0, &op), pnn_status_success);
    const auto y = RunUnary(op, x, 1, x.size(), nullptr);
    const ErrorBound b = pnn_ref::unary_error_bound(pnn_unary_elu);
    for (size_t i = 0; i < x.size(); i++)
      ASSERT_TRUE(pnn_ref::within_bound(y[i], pnn_ref::unary(pnn_unary_elu, x[i], p), b))
          << "alpha " << alpha << " x=" << x[i];
    pnn_delete_operator(op);
  }
}

// Both GELU forms through the operator: the flag selects the tanh kernel, and the two differ
// by the tanh approximation's own error (about 1e-3 at most), not by more.
TEST(UnaryParams, GeluFlagSelectsTheTanhForm) {
  pnn_operator_t exact = nullptr, approx = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_gelu, nullptr, 0, &exact),
            pnn_status_success);
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_gelu, nullptr,
                                                PNN_FLAG_GELU_TANH_APPROXIMATION, &approx),
            pnn_status_success);
  EXPECT_STRNE(pnn_operator_kernel_name(exact), pnn_operator_kernel_name(approx));
  const auto x = RandomVector(4001, 17, -6.0f, 6.0f);
  const auto ye = RunUnary(exact, x, 1, x.size(), nullptr);
  const auto ya = RunUnary(approx, x, 1, x.size(), nullptr);
  size_t differ = 0;
  for (size_t i = 0; i < x.size(); i++) {
    EXPECT_NEAR(ye[i], ya[i], 1e-3) << "x=" << x[i];
    differ += ye[i] != ya[i];
  }
  EXPECT_GT(differ, x.size() / 2);
  pnn_delete_operator(exact);
  pnn_delete_operator(approx);
}

// ------------------------------------------------------------------------------------------
// Errors.

TEST(UnaryErrors, InvalidParameters) {
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  pnn_unary_params bad{1.0f, 0.0f, 0, 0};
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &bad, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  bad.min = NAN;
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &bad, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, nullptr, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(static_cast<pnn_unary_op>(99), nullptr, 0, &op),
            pnn_status_invalid_parameter);
  pnn_unary_params ok{0.0f, 1.0f, 0, 0};
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &ok, 0x100, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &ok, 0, nullptr),
            pnn_status_invalid_parameter);
}

TEST(UnaryErrors, MissingOrInvalidActivationParameters) {
  const float inf = std::numeric_limits<float>::infinity();
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  // Leaky ReLU and ELU need their params struct.
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_leaky_relu, nullptr, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_elu, nullptr, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  // ... with a finite slope / alpha.
  for (float v : {NAN, inf, -inf}) {
    pnn_unary_params p = Params(v, 1.0f);
    EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_leaky_relu, &p, 0, &op),
              pnn_status_invalid_parameter)
        << "slope " << v;
    p = Params(0.1f, v);
    EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_elu, &p, 0, &op),
              pnn_status_invalid_parameter)
        << "alpha " << v;
    EXPECT_EQ(op, nullptr);
  }
  // The GELU flag belongs to GELU only; GELU takes no other flag.
  for (pnn_unary_op other : {pnn_unary_sigmoid, pnn_unary_tanh, pnn_unary_silu, pnn_unary_exp}) {
    EXPECT_EQ(
        pnn_create_unary_elementwise_nc_f32(other, nullptr, PNN_FLAG_GELU_TANH_APPROXIMATION, &op),
        pnn_status_invalid_parameter)
        << "op " << other;
  }
  pnn_unary_params p = Params(0.1f, 1.0f);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_leaky_relu, &p,
                                                PNN_FLAG_GELU_TANH_APPROXIMATION, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_gelu, nullptr,
                                                PNN_FLAG_GELU_TANH_APPROXIMATION | 0x1u, &op),
            pnn_status_invalid_parameter);
  // Op values outside the enum, including the internal GELU-tanh slot number.
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(static_cast<pnn_unary_op>(-1), nullptr, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(static_cast<pnn_unary_op>(pnn::kUnaryGeluTanh),
                                                nullptr, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
}

TEST(UnaryErrors, Uninitialized) {
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_sigmoid, nullptr, 0, &op),
            pnn_status_uninitialized);
  EXPECT_EQ(op, nullptr);
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(UnaryErrors, LifecycleAndShapes) {
  pnn_unary_params p{0.0f, 1.0f, 0, 0};
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &p, 0, &op), pnn_status_success);
  GuardedBuffer y(16);
  std::vector<float> x(16, 0.5f);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), y.data()), pnn_status_invalid_state);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, 0, 16, nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, SIZE_MAX / 2, 3, nullptr),
            pnn_status_invalid_parameter);
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, 1, 16, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, nullptr, y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), nullptr),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
}

TEST(UnaryErrors, WrongOperatorType) {
  pnn_operator_t softmax = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(8, 0, &softmax), pnn_status_success);
  GuardedBuffer y(8);
  std::vector<float> x(8, 0.5f);
  EXPECT_EQ(pnn_reshape_unary_elementwise_nc_f32(softmax, 1, 8, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_unary_elementwise_nc_f32(nullptr, 1, 8, nullptr),
            pnn_status_invalid_parameter);
  ASSERT_EQ(pnn_reshape_softmax_nc_f32(softmax, 1, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(softmax, x.data(), y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(nullptr, x.data(), y.data()),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(softmax);
}

}  // namespace
