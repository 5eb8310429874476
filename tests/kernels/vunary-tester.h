// Unary elementwise microkernel tester (kernels/f32-vunary.inc; contract in kernels/ukernels.h):
// one call over n elements, random data with pnn_ref::special_values() on every third element
// (so each lane position meets them), against tests/reference/unary-reference.h within the op's
// documented bound. Buffers are exact (tests/kernels/kernel-test.h).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <vector>

#include "configs/configs.h"
#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "reference/unary-reference.h"
#include "test-utils.h"
#include "ukernels.h"

namespace pnn_test {

class VUnaryTester {
 public:
  // clang-format off
  VUnaryTester& n(size_t v) { n_ = v; return *this; }
  VUnaryTester& inplace(bool v) { inplace_ = v; return *this; }
  VUnaryTester& params(const pnn_unary_params& p) { params_ = p; return *this; }
  // clang-format on

  void Test(const VUnaryEntry& e) const {
    const pnn_unary_op op =
        e.op == pnn::kUnaryGeluTanh ? pnn_unary_gelu : static_cast<pnn_unary_op>(e.op);
    const bool gelu_tanh = e.op == pnn::kUnaryGeluTanh;
    const std::vector<float> specials = pnn_ref::special_values();
    std::vector<float> x = RandomVector(n_, 1000 + static_cast<uint32_t>(n_), -10.0f, 10.0f);
    for (size_t i = 0; i < n_; i += 3) x[i] = specials[(i / 3 + n_) % specials.size()];
    if (op == pnn_unary_sqrt || op == pnn_unary_log || op == pnn_unary_rsqrt)
      for (size_t i = 1; i < n_; i += 3) x[i] = std::fabs(x[i]) * 10.0f;
    if (op == pnn_unary_sin || op == pnn_unary_cos)  // past the fast reduction, in some lanes
      for (size_t i = 2; i < n_; i += 5) x[i] *= 1e4f;

    const pnn_f32_unary_params kp{params_.min, params_.max, params_.negative_slope, params_.alpha,
                                  params_.beta};
    ExactBuffer buffer(n_);
    if (inplace_) {
      buffer.assign(x.data());
      PNN_ASSERT_IN_BOUNDS(e.fn(n_, buffer.data(), buffer.data(), &kp))
          << " " << e.name << " n=" << n_;
    } else {
      ExactBuffer input(n_);
      input.assign(x.data());
      PNN_ASSERT_IN_BOUNDS(e.fn(n_, input.data(), buffer.data(), &kp))
          << " " << e.name << " n=" << n_;
      ASSERT_TRUE(input.CheckGuards()) << e.name << " n=" << n_;
      ASSERT_EQ(std::memcmp(input.data(), x.data(), n_ * sizeof(float)), 0)
          << e.name << " wrote its input, n=" << n_;
    }
    ASSERT_TRUE(buffer.CheckGuards()) << e.name << " n=" << n_;
    const pnn::approx::ErrorBound bound = pnn_ref::unary_error_bound(op, gelu_tanh);
    for (size_t i = 0; i < n_; i++) {
      // Clamp's NaN behaviour is unspecified (portnn.h).
      if (op == pnn_unary_clamp && std::isnan(x[i])) continue;
      const double r = pnn_ref::unary(op, x[i], params_, gelu_tanh);
      ASSERT_TRUE(pnn_ref::within_bound(buffer[i], r, bound))
          << e.name << " n=" << n_ << (inplace_ ? " in place" : "") << " x=" << x[i]
          << " y=" << buffer[i] << " reference " << r;
    }
  }

 private:
  size_t n_ = 1;
  bool inplace_ = false;
  pnn_unary_params params_{-0.5f, 0.75f, 0.01f, 1.0f, 0.5f};
};

}  // namespace pnn_test
