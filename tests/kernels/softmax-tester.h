// Softmax microkernel testers (kernels/f32-softmax.inc; contract in kernels/ukernels-softmax.h):
// the three lists (rmax, raddstoreexpminusmax, vscale), each line checked over sizes 1..4*tile+3
// and 1001, out of place and in place where the kernel writes. Buffers are exact
// (tests/kernels/kernel-test.h).
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "reference/unary-reference.h"
#include "scalar/math-approx.h"
#include "test-utils.h"
#include "ukernels.h"

namespace pnn_test {

constexpr double kHalfUlp = 0x1p-24;  // one float rounding, relative

// The sizes every line runs: the main loop and every remainder, then a long run.
template <typename Fn>
void ForSoftmaxSizes(size_t tile, Fn fn) {
  for (size_t n = 1; n <= 4 * tile + 3; n++) fn(n);
  fn(1001);
}

// *max equals the largest of n random floats (three draws per n).
inline void CheckRmax(const RmaxEntry& e, size_t n) {
  for (uint32_t s = 0; s < 3; s++) {
    const auto v = RandomVector(n, 10 * static_cast<uint32_t>(n) + s, -50, 50);
    ExactBuffer x(n);
    x.assign(v.data());
    float max = 0.0f;
    PNN_ASSERT_IN_BOUNDS(e.fn(n, x.data(), &max)) << " " << e.name << " n=" << n;
    ASSERT_EQ(max, *std::max_element(v.begin(), v.end())) << e.name << " n=" << n;
    ASSERT_TRUE(x.CheckGuards());
  }
}

// y_i = exp~(x_i - max) within the exp bound of the double exp of the same float difference;
// the returned sum within (n - 1) half-ulps of the exact sum of the stored y_i.
inline void CheckRaddstoreexpminusmax(const RaddstoreexpminusmaxEntry& e, size_t n, bool in_place) {
  const auto v = RandomVector(n, 77 + static_cast<uint32_t>(n), -30, 30);
  const float max = *std::max_element(v.begin(), v.end());
  ExactBuffer x(n), y(n);
  x.assign(v.data());
  float* out = in_place ? x.data() : y.data();
  float sum = -1.0f;
  PNN_ASSERT_IN_BOUNDS(e.fn(n, x.data(), max, out, &sum)) << " " << e.name << " n=" << n;
  ASSERT_TRUE(x.CheckGuards() && y.CheckGuards()) << e.name << " n=" << n;
  if (!in_place) {
    ASSERT_TRUE(std::equal(v.begin(), v.end(), x.data())) << e.name << " wrote x";
  }
  double exact_sum = 0.0;
  for (size_t i = 0; i < n; i++) {
    const float d = v[i] - max;  // the kernel's own (rounded) argument
    ASSERT_TRUE(
        pnn_ref::within_bound(out[i], std::exp(static_cast<double>(d)), pnn::approx::kExpError))
        << e.name << " n=" << n << " x=" << v[i] << " y=" << out[i];
    exact_sum += out[i];
  }
  ASSERT_LE(std::fabs(sum - exact_sum), static_cast<double>(n - 1) * kHalfUlp * exact_sum)
      << e.name << " n=" << n;
}

// y_i = x_i * scale exactly.
inline void CheckVscale(const VscaleEntry& e, size_t n, bool in_place) {
  const auto v = RandomVector(n, 5 + static_cast<uint32_t>(n), -3, 3);
  const float scale = 0.37f;
  ExactBuffer x(n), y(n);
  x.assign(v.data());
  float* out = in_place ? x.data() : y.data();
  PNN_ASSERT_IN_BOUNDS(e.fn(n, x.data(), scale, out)) << " " << e.name << " n=" << n;
  ASSERT_TRUE(x.CheckGuards() && y.CheckGuards()) << e.name << " n=" << n;
  for (size_t i = 0; i < n; i++) ASSERT_EQ(out[i], v[i] * scale) << e.name << " n=" << n;
}

}  // namespace pnn_test
