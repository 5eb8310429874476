// Binary elementwise microkernel tester (kernels/f32-vbinary.inc; contract in
// kernels/ukernels-vbinary.h): one call over n elements against tests/reference/binary-reference.h,
// bit for bit (the kernels are exact: no multiply-add, min / max as std::min / std::max).
// Buffers are exact (tests/kernels/kernel-test.h): a, b (one float for the *c forms) and y end
// with their last element.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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
    const std::vector<float> va = RandomVector(n_, seed_, -4.0f, 4.0f);
    const std::vector<float> vb = RandomVector(scalar_b ? 1 : n_, seed_ + 1, -4.0f, 4.0f);

    // Unclamped float results, then the clamp bounds from their range.
    std::vector<float> raw(n_);
    for (size_t i = 0; i < n_; i++) {
      const float bi = scalar_b ? vb[0] : vb[i];
      raw[i] = e.form == pnn_vbinary_vropc ? pnn_ref::binary_op(op, bi, va[i])
                                           : pnn_ref::binary_op(op, va[i], bi);
    }
    float lo = -INFINITY, hi = INFINITY;
    if (clamped_) {
      const auto mm = std::minmax_element(raw.begin(), raw.end());
      const float range = *mm.second - *mm.first;
      lo = *mm.first + range / 4;
      hi = *mm.second - range / 4;
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
      ASSERT_TRUE(std::equal(va.begin(), va.end(), a.data())) << e.name << " wrote A";
    }
    if (in_place_ != InPlace::kB) {
      ASSERT_TRUE(std::equal(vb.begin(), vb.end(), b.data())) << e.name << " wrote B";
    }
    for (size_t i = 0; i < n_; i++) {
      ASSERT_EQ(out[i], pnn_ref::clamp(raw[i], lo, hi))
          << e.name << " n=" << n_ << " i=" << i << " a=" << va[i]
          << " b=" << (scalar_b ? vb[0] : vb[i]) << " clamp=[" << lo << ", " << hi << "]";
    }
  }

 private:
  size_t n_ = 1;
  InPlace in_place_ = InPlace::kNone;
  bool clamped_ = false;
  uint32_t seed_ = 1;
};

}  // namespace pnn_test
