// Bilinear-interpolation microkernel tester (kernels/f32-ibilinear.inc; contract in
// kernels/ukernels-ibilinear.h): every channel count from 1 to 3 tiles + 3 (the blocks, the
// vector tail and the partial vector), 1 to 5 pixels with random columns and weights, rows in
// exact buffers (guard pages: nothing read or written past them), against a double evaluation
// of the contract's formula.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "test-utils.h"

namespace pnn_test {

// Tolerance of one output: three steps of (subtract, multiply-add) in float, each rounding at
// most twice with |weight| <= 1, bound every intermediate by the sum of the corners' magnitudes:
// the error is below 6 roundings of that sum; 8 half-ulps of it is the bound asserted.
inline double IbilinearTolerance(double tl, double tr, double bl, double br) {
  return 8 * 0x1p-24 * (std::fabs(tl) + std::fabs(tr) + std::fabs(bl) + std::fabs(br));
}

// One call: `pixels` output pixels of `channels` from two rows of `width` pixels.
inline void CheckIbilinear(const IbilinearEntry& e, size_t pixels, size_t channels, uint32_t seed,
                           bool same_row) {
  std::mt19937 rng(seed);
  const size_t width = 1 + rng() % 4;
  const size_t row = width * channels;
  ExactBuffer top(row), bottom(row), y(pixels * channels);
  top.assign(RandomVector(row, seed + 1).data());
  bottom.assign(RandomVector(row, seed + 2).data());
  std::vector<size_t> columns(2 * pixels);
  std::vector<float> alpha_x(pixels);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  for (size_t p = 0; p < pixels; p++) {
    const size_t x0 = rng() % width;
    columns[2 * p] = x0 * channels;
    columns[2 * p + 1] = (x0 + 1 < width ? x0 + 1 : x0) * channels;
    alpha_x[p] = p == 0 ? 0.0f : unit(rng);  // pixel 0: the exact corner (with alpha_y 0)
  }
  const float alpha_y = same_row ? 0.0f : unit(rng);
  const float* b = same_row ? top.data() : bottom.data();
  PNN_ASSERT_IN_BOUNDS(
      e.fn(pixels, channels, top.data(), b, columns.data(), alpha_x.data(), alpha_y, y.data()))
      << " " << e.name << " pixels=" << pixels << " channels=" << channels;
  ASSERT_TRUE(top.CheckGuards() && bottom.CheckGuards() && y.CheckGuards()) << e.name;
  for (size_t p = 0; p < pixels; p++) {
    for (size_t c = 0; c < channels; c++) {
      const double tl = top[columns[2 * p] + c], tr = top[columns[2 * p + 1] + c];
      const double bl = b[columns[2 * p] + c], br = b[columns[2 * p + 1] + c];
      const double t = tl + alpha_x[p] * (tr - tl), u = bl + alpha_x[p] * (br - bl);
      const double expect = t + alpha_y * (u - t);
      const float got = y[p * channels + c];
      if (alpha_x[p] == 0.0f && alpha_y == 0.0f) {
        ASSERT_EQ(got, static_cast<float>(tl)) << e.name << " corner, channel " << c;
      }
      ASSERT_NEAR(got, expect, IbilinearTolerance(tl, tr, bl, br))
          << e.name << " pixel " << p << " channel " << c << " of " << channels;
    }
  }
}

}  // namespace pnn_test
