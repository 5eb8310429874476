// Unary elementwise: operator tests against the double reference, kernel tests over the registry.
#include <gtest/gtest.h>

#include "configs/configs.h"
#include "hardware-config.h"
#include "reference/unary-reference.h"
#include "test-utils.h"
#include "ukernels.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

struct Init {
  Init() { pnn_test::InitLibrary(); }
} init;

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
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, nullptr, y.data()), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), nullptr), pnn_status_invalid_parameter);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
}

// Kernel tester: every registered unary kernel the CPU runs, over sizes around its tile.
TEST(UnaryKernels, EveryRegisteredKernelMatchesReference) {
  const uint32_t runnable = pnn::get_hardware_config()->compiled & pnn::get_hardware_config()->cpu;
  int tested = 0;
  pnn_f32_unary_params kp{-0.5f, 0.75f, 0.01f, 1.0f};
  pnn_unary_params up{-0.5f, 0.75f, 0.01f, 1.0f};
#define PNN_VUNARY(arch, op_, fn_, tile_)                                                 \
  if ((runnable & (arch)) == 0) {                                                         \
    std::printf("skipping %s: CPU lacks its ISA\n", #fn_);                                \
  } else if (static_cast<int>(op_) <= pnn_unary_exp) {                                    \
    for (size_t n = 1; n <= 4 * (tile_) + 3; n++) {                                       \
      auto x = RandomVector(n, 1000 + n, -5.0f, 5.0f);                                    \
      GuardedBuffer y(n);                                                                 \
      fn_(n, x.data(), y.data(), &kp);                                                    \
      ASSERT_TRUE(y.CheckGuards()) << #fn_ << " n=" << n;                                 \
      for (size_t i = 0; i < n; i++) {                                                    \
        const double r = pnn_ref::unary(static_cast<pnn_unary_op>(op_), x[i], up);         \
        ASSERT_NEAR(y[i], r, 2e-6 * (1.0 + std::fabs(r))) << #fn_ << " x=" << x[i];         \
      }                                                                                   \
    }                                                                                     \
    tested++;                                                                             \
  }
#include "f32-vunary.inc"
#undef PNN_VUNARY
  EXPECT_GT(tested, 0);
}

}  // namespace
