// f32 unary elementwise kernels: the approximations of kernels/scalar/math-approx.h against
// their documented bounds (dense sweeps), one case per line of kernels/f32-vunary.inc
// (tests/kernels/vunary-tester.h), and the config's slots.
#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "configs/configs.h"
#include "kernels/vunary-tester.h"
#include "reference/unary-reference.h"
#include "scalar/math-approx.h"

using pnn::approx::ErrorBound;

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

// ------------------------------------------------------------------------------------------
// Inputs.

// Every `step` on [lo, hi] (computed in double so the points do not drift), plus the special
// values.
std::vector<float> DenseSweep(double lo, double hi, double step) {
  std::vector<float> v;
  for (int64_t i = 0;; i++) {
    const double x = lo + static_cast<double>(i) * step;
    if (x > hi) break;
    v.push_back(static_cast<float>(x));
  }
  for (float s : pnn_ref::special_values()) v.push_back(s);
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

TEST(UnaryApprox, ErfWithinDocumentedBound) {
  CheckApprox({"erf", ax::erf, [](double x) { return std::erf(x); }, ax::kErfError, -12, 12, false});
}

TEST(UnaryApprox, LogWithinDocumentedBound) {
  CheckApprox({"log", ax::log, [](double x) { return std::log(x); }, ax::kLogError, -1, 100, false});
}

TEST(UnaryApprox, SinCosWithinDocumentedBound) {
  CheckApprox({"sin", ax::sin, [](double x) { return std::sin(x); }, ax::kSinError, -7000, 7000,
               false});
  CheckApprox({"cos", ax::cos, [](double x) { return std::cos(x); }, ax::kCosError, -7000, 7000,
               false});
}

TEST(UnaryApprox, SoftplusWithinDocumentedBound) {
  CheckApprox({"softplus", ax::softplus, [](double x) {
                 return pnn_ref::unary(pnn_unary_softplus, x, pnn_unary_params{});
               },
               ax::kSoftplusError, -110, 110, false});
}

// The exact reduction of sin / cos past the fast domain: every float from 6000 to FLT_MAX at a
// stride, and the floats nearest to multiples of pi/2 there, where a reduction that drops bits
// of pi/2 loses every digit of r.
TEST(UnaryApprox, SinCosLargeArgumentsReduceExactly) {
  size_t failures = 0;
  auto check = [&](float x) {
    for (int phase = 0; phase < 2; phase++) {
      const float y = phase == 0 ? ax::sin(x) : ax::cos(x);
      const double r = phase == 0 ? std::sin(static_cast<double>(x)) : std::cos(static_cast<double>(x));
      if (!pnn_ref::within_bound(y, r, phase == 0 ? ax::kSinError : ax::kCosError) && ++failures <= 5)
        ADD_FAILURE() << (phase == 0 ? "sin(" : "cos(") << x << ") = " << y << ", reference " << r;
    }
  };
  for (uint32_t bits = 0x45BB8000u; bits < 0x7F800000u; bits += 4099) {  // 6000 to FLT_MAX
    float x;
    std::memcpy(&x, &bits, sizeof x);
    check(x);
    check(-x);
  }
  // Known hard cases: floats close to multiples of pi/2.
  for (float x : {6381.0f * 1.5707964f, 1e22f, 8.1e5f, 102.10176f, 0x1.921fb6p+20f, 0x1.921fb6p+60f})
    check(x);
  EXPECT_EQ(failures, 0u);
}

bool IsNegativeZero(float y) { return y == 0.0f && std::signbit(y); }

float FromBits(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}

TEST(UnaryApprox, NewOpsSpecialValues) {
  const float inf = std::numeric_limits<float>::infinity();
  const float nan = std::numeric_limits<float>::quiet_NaN();
  EXPECT_EQ(ax::erf(inf), 1.0f);
  EXPECT_EQ(ax::erf(-inf), -1.0f);
  EXPECT_TRUE(IsNegativeZero(ax::erf(-0.0f)));
  EXPECT_EQ(ax::erf(12.0f), 1.0f);
  EXPECT_EQ(ax::log(inf), inf);
  EXPECT_EQ(ax::log(0.0f), -inf);
  EXPECT_EQ(ax::log(-0.0f), -inf);
  EXPECT_TRUE(std::isnan(ax::log(-1.0f)));
  EXPECT_TRUE(std::isnan(ax::log(-inf)));
  EXPECT_EQ(ax::log(1.0f), 0.0f);
  EXPECT_NEAR(ax::log(FromBits(1)), -103.27892990343185, 1e-5);  // the smallest denormal
  EXPECT_TRUE(std::isnan(ax::sin(inf)));
  EXPECT_TRUE(std::isnan(ax::cos(-inf)));
  EXPECT_TRUE(IsNegativeZero(ax::sin(-0.0f)));
  EXPECT_EQ(ax::sin(FromBits(1)), FromBits(1));
  EXPECT_EQ(ax::cos(0.0f), 1.0f);
  EXPECT_EQ(ax::softplus(inf), inf);
  EXPECT_EQ(ax::softplus(-inf), 0.0f);
  EXPECT_EQ(ax::softplus(20.0f), 20.0f);
  for (float (*f)(float) : {ax::erf, ax::log, ax::sin, ax::cos, ax::softplus}) {
    EXPECT_TRUE(std::isnan(f(nan)));
    EXPECT_TRUE(std::isnan(f(-nan)));
  }
}

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

// ------------------------------------------------------------------------------------------
// Kernels: every registered kernel the CPU runs, over sizes around its tile, out of place and
// in place, with special values mixed into random data, against the reference and the op's
// documented bound.

void TestVUnary(const VUnaryEntry& e) {
  const pnn_unary_params param_sets[] = {{-0.5f, 0.75f, 0.01f, 1.0f, 0.5f},
                                         {0.0f, 6.0f, -2.5f, 0.3f, -0.25f}};
  for (const pnn_unary_params& p : param_sets) {
    for (size_t n = 1; n <= 4 * e.tile + 3; n++) {
      for (bool in_place : {false, true}) {
        VUnaryTester().n(n).inplace(in_place).params(p).Test(e);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
    VUnaryTester().n(1001).params(p).Test(e);
  }
}

PNN_REGISTRY_TEST(F32VUnary, registry().vunary, TestVUnary);

TEST(UnaryKernels, EverySlotHasAKernel) {
  for (int slot = 0; slot < pnn::kUnarySlots; slot++) {
    const pnn::UnaryConfig* c = pnn::get_unary_config(slot);
    ASSERT_NE(c, nullptr);
    EXPECT_NE(c->fn, nullptr) << "slot " << slot;
  }
  EXPECT_EQ(pnn::get_unary_config(-1), nullptr);
  EXPECT_EQ(pnn::get_unary_config(pnn::kUnarySlots), nullptr);
}

}  // namespace
}  // namespace pnn_test
