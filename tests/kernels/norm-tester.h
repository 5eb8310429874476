// Reduction and normalization microkernel testers (kernels/f32-norm.inc; contract in
// kernels/ukernels-norm.h): every line checked over sizes 1..4*tile+3 and 1001 (the main loop,
// every remainder, a long row) on exact buffers (tests/kernels/kernel-test.h), in place too where
// the kernel writes an array. Bounds, with u = 2^-24 (one float rounding, relative) and
// gamma(k) = k*u / (1 - k*u) (k roundings in a chain):
//   rreduce sum   |got - exact sum| <= gamma(n - 1) * sum |x[i]| (any summation order)
//   rreduce max / min  exact
//   rsumsqdev     the kernel's differences d = fl(x - c) are exact to reproduce; then
//                 |got - sum d^2| <= gamma(n) * sum d^2 (one rounding per square, n - 1 adds)
//   vnorm         t = fl(fl(x - mean) * scale) is exact to reproduce; then t * gamma + beta with
//                 a multiply and an add, fused or not: |err| <= 2u * (|t * gamma| + |beta|)
//   vprelu        exact
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "reference/rounding.h"
#include "test-utils.h"

namespace pnn_test {

using pnn_ref::gamma;
constexpr double kNormUlp = pnn_ref::kUnitRoundoff;

template <typename Fn>
void ForNormSizes(size_t tile, Fn fn) {
  for (size_t n = 1; n <= 4 * tile + 3; n++) {
    fn(n);
    if (::testing::Test::HasFatalFailure()) return;
  }
  fn(1001);
}

// Three draws per n; sum within gamma(n - 1) of the exact sum, max and min exact.
inline void CheckRReduce(const RReduceEntry& e, size_t n) {
  for (uint32_t draw = 0; draw < 3; draw++) {
    const auto v = RandomVector(n, 31 * static_cast<uint32_t>(n) + draw, -50, 50);
    double want = v[0], slack = 0.0;
    if (e.op == pnn_rreduce_sum) {
      double magnitude = 0.0;
      want = 0.0;
      for (float f : v) want += f, magnitude += std::fabs(f);
      slack = gamma(n - 1) * magnitude;
    } else {
      want = e.op == pnn_rreduce_max ? *std::max_element(v.begin(), v.end())
                                     : *std::min_element(v.begin(), v.end());
    }
    ExactBuffer x(n);
    x.assign(v.data());
    float got = 0.0f;
    PNN_ASSERT_IN_BOUNDS(e.fn(n, x.data(), &got)) << " " << e.name << " n=" << n;
    ASSERT_TRUE(x.CheckGuards() && std::equal(v.begin(), v.end(), x.data())) << e.name;
    ASSERT_LE(std::fabs(got - want), slack) << e.name << " n=" << n << " got " << got;
  }
}

inline void CheckRSumSqDev(const RSumSqDevEntry& e, size_t n) {
  const auto v = RandomVector(n, 7 * static_cast<uint32_t>(n) + 1, -20, 20);
  const float c = 1.75f;
  ExactBuffer x(n);
  x.assign(v.data());
  float got = -1.0f;
  PNN_ASSERT_IN_BOUNDS(e.fn(n, x.data(), c, &got)) << " " << e.name << " n=" << n;
  ASSERT_TRUE(x.CheckGuards()) << e.name;
  double exact = 0.0;
  for (float f : v) {
    const double d = static_cast<float>(f - c);
    exact += d * d;
  }
  ASSERT_LE(std::fabs(got - exact), gamma(n) * exact) << e.name << " n=" << n;
}

inline void CheckVNorm(const VNormEntry& e, size_t n, bool in_place) {
  const auto v = RandomVector(n, 3 * static_cast<uint32_t>(n) + 5, -10, 10);
  const auto g = RandomVector(n, 11 * static_cast<uint32_t>(n), -2, 2);
  const auto b = RandomVector(n, 13 * static_cast<uint32_t>(n), -3, 3);
  const float mean = 0.625f, scale = 1.3f;
  ExactBuffer x(n), gamma(n), beta(n), y(n);
  x.assign(v.data());
  gamma.assign(g.data());
  beta.assign(b.data());
  float* out = in_place ? x.data() : y.data();
  PNN_ASSERT_IN_BOUNDS(e.fn(n, x.data(), mean, scale, gamma.data(), beta.data(), out))
      << " " << e.name << " n=" << n;
  ASSERT_TRUE(x.CheckGuards() && y.CheckGuards() && gamma.CheckGuards() && beta.CheckGuards());
  for (size_t i = 0; i < n; i++) {
    const float t = (v[i] - mean) * scale;
    const double ref = static_cast<double>(t) * g[i] + b[i];
    const double tol = 2 * kNormUlp * (std::fabs(static_cast<double>(t) * g[i]) + std::fabs(b[i]));
    ASSERT_LE(std::fabs(out[i] - ref), tol) << e.name << " n=" << n << " i=" << i;
  }
}

inline void CheckVPRelu(const VPReluEntry& e, size_t n, bool in_place) {
  const auto v = RandomVector(n, 17 * static_cast<uint32_t>(n) + 2, -4, 4);
  const auto s = RandomVector(n, 19 * static_cast<uint32_t>(n), -1, 1);
  ExactBuffer x(n), slope(n), y(n);
  x.assign(v.data());
  slope.assign(s.data());
  float* out = in_place ? x.data() : y.data();
  PNN_ASSERT_IN_BOUNDS(e.fn(n, x.data(), slope.data(), out)) << " " << e.name << " n=" << n;
  ASSERT_TRUE(x.CheckGuards() && y.CheckGuards() && slope.CheckGuards());
  for (size_t i = 0; i < n; i++) {
    ASSERT_EQ(out[i], v[i] < 0.0f ? v[i] * s[i] : v[i]) << e.name << " n=" << n << " i=" << i;
  }
}

}  // namespace pnn_test
