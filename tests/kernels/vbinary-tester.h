// Binary elementwise microkernel tester (kernels/f32-vbinary.inc; contract in
// kernels/ukernels-vbinary.h): one call over n elements against tests/reference/binary-reference.h,
// bit for bit (the kernels are exact: no multiply-add, min / max as std::min / std::max), except
// pow, held to its documented bound (pnn_ref::pow_ok) over operands of its own.
// Buffers are exact (tests/kernels/kernel-test.h): a, b (one float for the *c forms) and y end
// with their last element.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "reference/binary-reference.h"
#include "test-utils.h"
#include "ukernels-vbinary.h"

namespace pnn_test {

// Which buffer the kernel writes into.
enum class InPlace { kNone, kA, kB };

class VBinaryTester {
 public:
  // clang-format off
  VBinaryTester& n(size_t v) { n_ = v; return *this; }
  VBinaryTester& in_place(InPlace v) { in_place_ = v; return *this; }
  // Clamp to the middle half of the unclamped results' range instead of (-inf, +inf).
  VBinaryTester& clamped(bool v) { clamped_ = v; return *this; }
  VBinaryTester& seed(uint32_t v) { seed_ = v; return *this; }
  // clang-format on

  void Test(const VBinaryEntry& e) const {
    const bool scalar_b = e.form != pnn_vbinary_vop;
    const pnn_binary_op op = static_cast<pnn_binary_op>(e.op);
    std::vector<float> va = RandomVector(n_, seed_, -4.0f, 4.0f);
    std::vector<float> vb = RandomVector(scalar_b ? 1 : n_, seed_ + 1, -4.0f, 4.0f);
    if (op == pnn_binary_pow) PowOperands(&va, &vb);

    // Unclamped float results, then the clamp bounds from their range.
    std::vector<float> raw(n_);
    for (size_t i = 0; i < n_; i++) {
      const float bi = scalar_b ? vb[0] : vb[i];
      raw[i] = e.form == pnn_vbinary_vropc ? pnn_ref::binary_op(op, bi, va[i])
                                           : pnn_ref::binary_op(op, va[i], bi);
    }
    float lo = -INFINITY, hi = INFINITY;
    if (clamped_) {
      std::vector<float> finite;  // pow's special operands give NaN and infinities
      for (float v : raw)
        if (std::isfinite(v)) finite.push_back(v);
      if (finite.empty()) finite.push_back(0.0f);
      const auto mm = std::minmax_element(finite.begin(), finite.end());
      const double range = double{*mm.second} - double{*mm.first};
      lo = static_cast<float>(*mm.first + range / 4);
      hi = static_cast<float>(*mm.second - range / 4);
    }
    const pnn_f32_minmax_params params{lo, hi};

    ExactBuffer a(va.size()), b(vb.size()), y(n_);
    a.assign(va.data());
    b.assign(vb.data());
    float* out = y.data();
    if (in_place_ == InPlace::kA) out = a.data();
    if (in_place_ == InPlace::kB) out = b.data();
    PNN_ASSERT_IN_BOUNDS(e.fn(n_, a.data(), b.data(), out, &params))
        << " " << e.name << " n=" << n_;

    ASSERT_TRUE(a.CheckGuards() && b.CheckGuards() && y.CheckGuards()) << e.name << " n=" << n_;
    if (in_place_ != InPlace::kNone) {
      ASSERT_TRUE(y.Untouched()) << e.name;
    }
    // Inputs that are not the output stay as they were.
    if (in_place_ != InPlace::kA) {
      ASSERT_EQ(std::memcmp(va.data(), a.data(), va.size() * sizeof(float)), 0)
          << e.name << " wrote A";
    }
    if (in_place_ != InPlace::kB) {
      ASSERT_EQ(std::memcmp(vb.data(), b.data(), vb.size() * sizeof(float)), 0)
          << e.name << " wrote B";
    }
    if (op == pnn_binary_pow) {
      // Not exact: the unclamped kernel results within the documented bound, and the clamped
      // ones the clamp of those.
      std::vector<float> unclamped(n_);
      const pnn_f32_minmax_params none{-INFINITY, INFINITY};
      e.fn(n_, va.data(), vb.data(), unclamped.data(), &none);
      for (size_t i = 0; i < n_; i++) {
        const float bi = scalar_b ? vb[0] : vb[i];
        const float base = e.form == pnn_vbinary_vropc ? bi : va[i];
        const float exponent = e.form == pnn_vbinary_vropc ? va[i] : bi;
        ASSERT_TRUE(pnn_ref::pow_ok(unclamped[i], base, exponent))
            << e.name << " n=" << n_ << " i=" << i << " pow(" << base << ", " << exponent
            << ") = " << unclamped[i] << ", reference " << std::pow(double{base}, double{exponent});
        ASSERT_EQ(std::memcmp(&out[i], &unclamped[i], 4) == 0 ||
                      out[i] == pnn_ref::clamp(unclamped[i], lo, hi),
                  true)
            << e.name << " clamped i=" << i;
      }
      return;
    }
    for (size_t i = 0; i < n_; i++) {
      ASSERT_EQ(out[i], pnn_ref::clamp(raw[i], lo, hi))
          << e.name << " n=" << n_ << " i=" << i << " a=" << va[i]
          << " b=" << (scalar_b ? vb[0] : vb[i]) << " clamp=[" << lo << ", " << hi << "]";
    }
  }

 private:
  // Pow's operands: bases over many magnitudes, both signs; exponents integral (so negative bases
  // give real results) on every second element, fractional elsewhere; special values sprinkled
  // into both (zeros, +-1, infinities, NaN, huge and tiny magnitudes).
  void PowOperands(std::vector<float>* a, std::vector<float>* b) const {
    static const float kSpecial[] = {0.0f, -0.0f, 1.0f, -1.0f, INFINITY, -INFINITY, NAN, 1e30f,
                                     -1e-30f, 2.0f, -3.0f, 0.5f, 1e-40f, 3e38f, 16777216.0f,
                                     -16777217.0f, 8388609.0f};
    const size_t ns = sizeof kSpecial / sizeof kSpecial[0];
    for (size_t i = 0; i < a->size(); i++) {
      float& x = (*a)[i];
      x = std::ldexp(x, static_cast<int>(i * 7 % 41) - 20);
      if (i % 5 == 0) x = kSpecial[(i / 5 + seed_) % ns];
    }
    for (size_t i = 0; i < b->size(); i++) {
      float& x = (*b)[i];
      if (i % 2 == 0) x = std::nearbyint(x * 3.0f);
      if (i % 7 == 3) x = kSpecial[(i / 7 + seed_) % ns];
    }
  }

  size_t n_ = 1;
  InPlace in_place_ = InPlace::kNone;
  bool clamped_ = false;
  uint32_t seed_ = 1;
};

}  // namespace pnn_test
