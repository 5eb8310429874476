// Unary elementwise: the approximations of kernels/scalar/math-approx.h against their documented
// bounds (dense sweeps), the kernel tester over every registry entry, operator tests for every
// op against the double reference, and every error status.
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
#include "scalar/math-approx.h"
#include "test-utils.h"
#include "ukernels.h"

using pnn::approx::ErrorBound;
using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

struct Init {
  Init() { pnn_test::InitLibrary(); }
} init;

// ------------------------------------------------------------------------------------------
// Inputs.

// Zeros, denormals, the normal range's ends, infinities, NaNs, and the thresholds the
// approximations document (saturation, overflow, underflow, clamps).
std::vector<float> SpecialValues() {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> v = {0.0f,    1e-45f,    1e-40f,    FLT_MIN,    1e-30f, 1e-7f,      1e-3f,
                          0.3466f, 0.5f,      1.0f,      2.9999998f, 3.0f,   3.0000002f, 3.9855f,
                          4.0f,    5.6f,      9.01f,     13.2f,      14.5f,  17.33f,     20.0f,
                          87.33f,  88.72283f, 88.72284f, 88.7229f,   89.0f,  103.97f,    104.0f,
                          105.0f,  1e4f,      1e19f,     1e20f,      1e30f,  FLT_MAX,    inf};
  const size_t positives = v.size();
  for (size_t i = 0; i < positives; i++) v.push_back(-v[i]);
  v.push_back(nan);
  v.push_back(-nan);
  return v;
}

// Every `step` on [lo, hi] (computed in double so the points do not drift), plus the special
// values.
std::vector<float> DenseSweep(double lo, double hi, double step) {
  std::vector<float> v;
  for (int64_t i = 0;; i++) {
    const double x = lo + static_cast<double>(i) * step;
    if (x > hi) break;
    v.push_back(static_cast<float>(x));
  }
  for (float s : SpecialValues()) v.push_back(s);
  return v;
}

// Magnitudes log-uniform over [1e-38, 1e38], both signs: every exponent gets visited.
std::vector<float> WideRandom(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> exponent(-38.0, 38.0);
  std::vector<float> v(n);
  for (size_t i = 0; i < n; i++) {
    const double m = std::pow(10.0, exponent(rng));
    v[i] = static_cast<float>(i % 2 == 0 ? m : -m);
  }
  return v;
}

// ------------------------------------------------------------------------------------------
// The approximations themselves, against the bounds they document.

struct ApproxCase {
  const char* name;
  float (*f)(float);
  double (*ref)(double);
  ErrorBound bound;
  double lo, hi;  // the dense sweep; special values and wide random values come on top
  bool nonpositive_only;
};

void CheckApprox(const ApproxCase& c) {
  std::vector<float> xs = DenseSweep(c.lo, c.hi, 1e-3);
  for (float x : WideRandom(20000, 7)) xs.push_back(x);
  size_t failures = 0;
  for (float x : xs) {
    if (c.nonpositive_only && !(x <= 0.0f) && !std::isnan(x)) continue;
    const float y = c.f(x);
    const double r = c.ref(static_cast<double>(x));
    if (!pnn_ref::within_bound(y, r, c.bound)) {
      if (++failures <= 5)
        ADD_FAILURE() << c.name << "(" << x << ") = " << y << ", reference " << r << ", bound rel "
                      << c.bound.rel << " abs " << c.bound.abs;
    }
  }
  EXPECT_EQ(failures, 0u) << c.name << " over " << xs.size() << " inputs";
}

double RefGelu(double x) {
  return pnn_ref::unary(pnn_unary_gelu, x, pnn_unary_params{}, /*gelu_tanh=*/false);
}
double RefGeluTanh(double x) {
  return pnn_ref::unary(pnn_unary_gelu, x, pnn_unary_params{}, /*gelu_tanh=*/true);
}
double RefSilu(double x) { return pnn_ref::unary(pnn_unary_silu, x, pnn_unary_params{}); }

namespace ax = pnn::approx;

TEST(UnaryApprox, ExpWithinDocumentedBound) {
  CheckApprox(
      {"exp", ax::exp, [](double x) { return std::exp(x); }, ax::kExpError, -110, 95, false});
}

TEST(UnaryApprox, Expm1WithinDocumentedBound) {
  CheckApprox({"expm1_nonpositive", ax::expm1_nonpositive, [](double x) { return std::expm1(x); },
               ax::kExpm1Error, -30, 0, true});
}

TEST(UnaryApprox, SigmoidWithinDocumentedBound) {
  CheckApprox({"sigmoid", ax::sigmoid, pnn_ref::sigmoid, ax::kSigmoidError, -110, 110, false});
}

TEST(UnaryApprox, TanhWithinDocumentedBound) {
  CheckApprox(
      {"tanh", ax::tanh, [](double x) { return std::tanh(x); }, ax::kTanhError, -20, 20, false});
}

TEST(UnaryApprox, GeluWithinDocumentedBound) {
  CheckApprox({"gelu", ax::gelu, RefGelu, ax::kGeluError, -20, 20, false});
}

TEST(UnaryApprox, GeluTanhWithinDocumentedBound) {
  CheckApprox({"gelu_tanh", ax::gelu_tanh, RefGeluTanh, ax::kGeluTanhError, -20, 20, false});
}

TEST(UnaryApprox, SiluWithinDocumentedBound) {
  CheckApprox({"silu", ax::silu, RefSilu, ax::kSiluError, -110, 110, false});
}

bool IsNegativeZero(float y) { return y == 0.0f && std::signbit(y); }

TEST(UnaryApprox, SaturationAndSpecialValuesAreExact) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  // exp: overflow to +inf, underflow to +0, exp(0) = 1.
  EXPECT_EQ(ax::exp(inf), inf);
  EXPECT_EQ(ax::exp(89.0f), inf);
  EXPECT_EQ(ax::exp(88.7229f), inf);
  EXPECT_LT(ax::exp(88.72283f), inf);
  EXPECT_EQ(ax::exp(-inf), 0.0f);
  EXPECT_EQ(ax::exp(-104.0f), 0.0f);
  EXPECT_GT(ax::exp(-103.0f), 0.0f);  // a denormal, not flushed
  EXPECT_EQ(ax::exp(0.0f), 1.0f);
  // expm1: exactly -1 in the far tail, and at -inf.
  EXPECT_EQ(ax::expm1_nonpositive(-20.0f), -1.0f);
  EXPECT_EQ(ax::expm1_nonpositive(-inf), -1.0f);
  EXPECT_EQ(ax::expm1_nonpositive(0.0f), 0.0f);
  // sigmoid: exactly 0 and 1 at the ends.
  EXPECT_EQ(ax::sigmoid(inf), 1.0f);
  EXPECT_EQ(ax::sigmoid(20.0f), 1.0f);
  EXPECT_EQ(ax::sigmoid(-inf), 0.0f);
  EXPECT_EQ(ax::sigmoid(-200.0f), 0.0f);
  EXPECT_EQ(ax::sigmoid(0.0f), 0.5f);
  // tanh: exactly +-1 from 9.01 on, odd, signed zero kept.
  EXPECT_EQ(ax::tanh(10.0f), 1.0f);
  EXPECT_EQ(ax::tanh(-10.0f), -1.0f);
  EXPECT_EQ(ax::tanh(inf), 1.0f);
  EXPECT_EQ(ax::tanh(-inf), -1.0f);
  EXPECT_TRUE(IsNegativeZero(ax::tanh(-0.0f)));
  EXPECT_EQ(ax::tanh(-0.75f), -ax::tanh(0.75f));
  // The gates: identity at +inf, -0 (the limit) at -inf, identity far right.
  for (float (*gate)(float) : {ax::gelu, ax::gelu_tanh, ax::silu}) {
    EXPECT_EQ(gate(inf), inf);
    EXPECT_TRUE(IsNegativeZero(gate(-inf)));
    EXPECT_TRUE(IsNegativeZero(gate(-FLT_MAX)));
    EXPECT_EQ(gate(1e6f), 1e6f);
    EXPECT_EQ(gate(0.0f), 0.0f);
  }
  // NaN in, NaN out, for every function.
  for (float (*f)(float) :
       {ax::exp, ax::expm1_nonpositive, ax::sigmoid, ax::tanh, ax::gelu, ax::gelu_tanh, ax::silu}) {
    EXPECT_TRUE(std::isnan(f(nan)));
    EXPECT_TRUE(std::isnan(f(-nan)));
  }
}

// ------------------------------------------------------------------------------------------
// Kernel tester: every registered kernel the CPU runs, over sizes around its tile, out of place
// and in place, with special values mixed into random data, against the reference and the
// op's documented bound.

// Slot of the registry -> the op and GELU form it computes.
struct SlotOp {
  pnn_unary_op op;
  bool gelu_tanh;
};
SlotOp OpOfSlot(int slot) {
  if (slot == pnn::kUnaryGeluTanh) return {pnn_unary_gelu, true};
  return {static_cast<pnn_unary_op>(slot), false};
}

class VUnaryTester {
 public:
  VUnaryTester& n(size_t v) {
    n_ = v;
    return *this;
  }
  VUnaryTester& inplace(bool v) {
    inplace_ = v;
    return *this;
  }
  VUnaryTester& params(const pnn_unary_params& p) {
    params_ = p;
    return *this;
  }

  void Test(pnn_f32_vunary_ukernel_fn fn, int slot, const char* name) const {
    const SlotOp so = OpOfSlot(slot);
    const std::vector<float> specials = SpecialValues();
    std::vector<float> x = RandomVector(n_, 1000 + static_cast<uint32_t>(n_), -10.0f, 10.0f);
    // Every third element is a special value, so that each lane position meets them.
    for (size_t i = 0; i < n_; i += 3) x[i] = specials[(i / 3 + n_) % specials.size()];
    if (so.op == pnn_unary_sqrt)
      for (size_t i = 1; i < n_; i += 3) x[i] = std::fabs(x[i]) * 10.0f;

    const pnn_f32_unary_params kp{params_.min, params_.max, params_.negative_slope, params_.alpha};
    GuardedBuffer buffer(n_);
    std::vector<float> out;
    if (inplace_) {
      std::memcpy(buffer.data(), x.data(), n_ * sizeof(float));
      fn(n_, buffer.data(), buffer.data(), &kp);
    } else {
      GuardedBuffer input(n_);
      std::memcpy(input.data(), x.data(), n_ * sizeof(float));
      fn(n_, input.data(), buffer.data(), &kp);
      ASSERT_TRUE(input.CheckGuards()) << name << " n=" << n_;
      ASSERT_EQ(std::memcmp(input.data(), x.data(), n_ * sizeof(float)), 0)
          << name << " wrote its input, n=" << n_;
    }
    ASSERT_TRUE(buffer.CheckGuards()) << name << " n=" << n_;
    const ErrorBound bound = pnn_ref::unary_error_bound(so.op, so.gelu_tanh);
    for (size_t i = 0; i < n_; i++) {
      // Clamp's NaN behaviour is unspecified (portnn.h).
      if (so.op == pnn_unary_clamp && std::isnan(x[i])) continue;
      const double r = pnn_ref::unary(so.op, x[i], params_, so.gelu_tanh);
      ASSERT_TRUE(pnn_ref::within_bound(buffer[i], r, bound))
          << name << " n=" << n_ << (inplace_ ? " in place" : "") << " x=" << x[i]
          << " y=" << buffer[i] << " reference " << r;
    }
  }

 private:
  size_t n_ = 1;
  bool inplace_ = false;
  pnn_unary_params params_{-0.5f, 0.75f, 0.01f, 1.0f};
};

TEST(UnaryKernels, EveryRegisteredKernelMatchesReference) {
  const uint32_t runnable = pnn::get_hardware_config()->compiled & pnn::get_hardware_config()->cpu;
  const pnn_unary_params param_sets[] = {{-0.5f, 0.75f, 0.01f, 1.0f}, {0.0f, 6.0f, -2.5f, 0.3f}};
  int tested = 0;
#define PNN_VUNARY(arch, op_, fn_, tile_)                                       \
  if ((runnable & (arch)) == 0) {                                               \
    std::printf("skipping %s: CPU lacks its ISA\n", #fn_);                      \
  } else {                                                                      \
    for (const pnn_unary_params& p : param_sets) {                              \
      for (size_t n = 1; n <= 4 * (tile_) + 3; n++) {                           \
        for (bool in_place : {false, true}) {                                   \
          VUnaryTester().n(n).inplace(in_place).params(p).Test(fn_, op_, #fn_); \
        }                                                                       \
      }                                                                         \
      VUnaryTester().n(1001).params(p).Test(fn_, op_, #fn_);                    \
    }                                                                           \
    tested++;                                                                   \
  }
#include "f32-vunary.inc"
#undef PNN_VUNARY
  EXPECT_GT(tested, 0);
}

TEST(UnaryKernels, EverySlotHasAKernel) {
  for (int slot = 0; slot < pnn::kUnarySlots; slot++) {
    const pnn::UnaryConfig* c = pnn::get_unary_config(slot);
    ASSERT_NE(c, nullptr);
    EXPECT_NE(c->fn, nullptr) << "slot " << slot;
  }
  EXPECT_EQ(pnn::get_unary_config(-1), nullptr);
  EXPECT_EQ(pnn::get_unary_config(pnn::kUnarySlots), nullptr);
}

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
    const std::vector<float> specials = SpecialValues();
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
                      OpCase{pnn_unary_exp, false, -100, 90, Params(0, 0)}));

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
