// Binary elementwise microkernels: a builder-style tester run over every registry line, plus the
// config's selection rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "configs/vbinary-config.h"
#include "hardware-config.h"
#include "reference/binary-reference.h"
#include "test-utils.h"
#include "ukernels-vbinary.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

struct Init {
  Init() { pnn_test::InitLibrary(); }
} init;

// Which buffer the kernel writes into.
enum class InPlace { kNone, kA, kB };

class VBinaryTester {
 public:
  VBinaryTester& n(size_t v) {
    n_ = v;
    return *this;
  }
  VBinaryTester& in_place(InPlace v) {
    in_place_ = v;
    return *this;
  }
  // Clamp to the middle half of the unclamped results' range instead of (-inf, +inf).
  VBinaryTester& clamped(bool v) {
    clamped_ = v;
    return *this;
  }
  VBinaryTester& seed(uint32_t v) {
    seed_ = v;
    return *this;
  }

  void Test(pnn_f32_vbinary_ukernel_fn fn, pnn_binary_op op, pnn_vbinary_form form,
            const char* name) const {
    const bool scalar_b = form != pnn_vbinary_vop;
    const std::vector<float> va = RandomVector(n_, seed_, -4.0f, 4.0f);
    const std::vector<float> vb = RandomVector(scalar_b ? 1 : n_, seed_ + 1, -4.0f, 4.0f);

    // Unclamped float results, then the clamp bounds from their range.
    std::vector<float> raw(n_);
    for (size_t i = 0; i < n_; i++) {
      const float bi = scalar_b ? vb[0] : vb[i];
      raw[i] = form == pnn_vbinary_vropc ? pnn_ref::binary_op(op, bi, va[i])
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

    GuardedBuffer a(va.size()), b(vb.size()), y(n_);
    std::copy(va.begin(), va.end(), a.data());
    std::copy(vb.begin(), vb.end(), b.data());
    float* out = y.data();
    if (in_place_ == InPlace::kA) out = a.data();
    if (in_place_ == InPlace::kB) out = b.data();
    fn(n_, a.data(), b.data(), out, &params);

    ASSERT_TRUE(a.CheckGuards() && b.CheckGuards() && y.CheckGuards()) << name << " n=" << n_;
    if (in_place_ != InPlace::kNone) {
      ASSERT_TRUE(y.Untouched()) << name;
    }
    // Inputs that are not the output stay as they were.
    if (in_place_ != InPlace::kA) {
      ASSERT_TRUE(std::equal(va.begin(), va.end(), a.data())) << name << " wrote A";
    }
    if (in_place_ != InPlace::kB) {
      ASSERT_TRUE(std::equal(vb.begin(), vb.end(), b.data())) << name << " wrote B";
    }
    for (size_t i = 0; i < n_; i++) {
      ASSERT_EQ(out[i], pnn_ref::clamp(raw[i], lo, hi))
          << name << " n=" << n_ << " i=" << i << " a=" << va[i]
          << " b=" << (scalar_b ? vb[0] : vb[i]) << " clamp=[" << lo << ", " << hi << "]";
    }
  }

 private:
  size_t n_ = 1;
  InPlace in_place_ = InPlace::kNone;
  bool clamped_ = false;
  uint32_t seed_ = 1;
};

bool Runnable(uint32_t arch, const char* name) {
  const pnn::HardwareConfig* hw = pnn::get_hardware_config();
  if ((hw->compiled & hw->cpu & arch) == 0) {
    std::printf("skipping %s: CPU lacks its ISA\n", name);
    return false;
  }
  return true;
}

// Every registered kernel: sizes 1 .. 4*tile+3 (main loop and every remainder), with and without
// clamp, out of place and in place on each operand it may alias.
TEST(VBinaryKernels, EveryRegisteredKernel) {
  int tested = 0;
#define PNN_VBINARY(arch, op_, form_, fn_, tile_)                                              \
  if (Runnable(arch, #fn_)) {                                                                  \
    for (size_t n = 1; n <= 4 * (tile_) + 3; n++) {                                            \
      for (bool clamped : {false, true}) {                                                     \
        for (InPlace ip : {InPlace::kNone, InPlace::kA, InPlace::kB}) {                        \
          if (ip == InPlace::kB && (form_) != pnn_vbinary_vop) continue; /* b is one scalar */ \
          VBinaryTester()                                                                      \
              .n(n)                                                                            \
              .clamped(clamped)                                                                \
              .in_place(ip)                                                                    \
              .seed(static_cast<uint32_t>(n * 7))                                              \
              .Test(fn_, op_, form_, #fn_);                                                    \
          if (::testing::Test::HasFatalFailure()) return;                                      \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
    tested++;                                                                                  \
  }
#include "f32-vbinary.inc"
#undef PNN_VBINARY
  EXPECT_GT(tested, 0);
}

// Long runs over many main-loop iterations, at a prime size.
TEST(VBinaryKernels, LongPrimeRuns) {
#define PNN_VBINARY(arch, op_, form_, fn_, tile_)                              \
  if (Runnable(arch, #fn_)) {                                                  \
    VBinaryTester().n(1009).seed(5).Test(fn_, op_, form_, #fn_);               \
    VBinaryTester().n(1009).seed(6).clamped(true).Test(fn_, op_, form_, #fn_); \
    if (::testing::Test::HasFatalFailure()) return;                            \
  }
#include "f32-vbinary.inc"
#undef PNN_VBINARY
}

// The config has every form of every op, takes the first usable registry line, and serves the
// reversed form of a commutative op with its vopc kernel.
TEST(VBinaryConfig, EveryOpHasEveryForm) {
  EXPECT_EQ(pnn::get_vbinary_config(-1), nullptr);
  EXPECT_EQ(pnn::get_vbinary_config(pnn_binary_squared_difference + 1), nullptr);
  for (int op = pnn_binary_add; op <= pnn_binary_squared_difference; op++) {
    const pnn::VBinaryConfig* c = pnn::get_vbinary_config(op);
    ASSERT_NE(c, nullptr);
    EXPECT_NE(c->op.fn, nullptr) << op;
    EXPECT_NE(c->opc.fn, nullptr) << op;
    EXPECT_NE(c->ropc.fn, nullptr) << op;
    if (pnn::binary_op_commutative(static_cast<pnn_binary_op>(op))) {
      EXPECT_EQ(c->ropc.fn, c->opc.fn) << op;
    } else {
      EXPECT_NE(c->ropc.fn, c->opc.fn) << op;
    }
  }
  // First usable line per (op, form) wins.
  bool seen[pnn_binary_squared_difference + 1][3] = {};
#define PNN_VBINARY(arch, op_, form_, fn_, tile_)                          \
  if (!seen[op_][form_] && pnn::arch_usable(arch)) {                       \
    seen[op_][form_] = true;                                               \
    const pnn::VBinaryConfig* c = pnn::get_vbinary_config(op_);            \
    const pnn::VBinaryKernel& k = (form_) == pnn_vbinary_vop    ? c->op    \
                                  : (form_) == pnn_vbinary_vopc ? c->opc   \
                                                                : c->ropc; \
    EXPECT_EQ(k.fn, fn_);                                                  \
    EXPECT_STREQ(k.name, #fn_);                                            \
    EXPECT_EQ(k.tile, static_cast<size_t>(tile_));                         \
  }
#include "f32-vbinary.inc"
#undef PNN_VBINARY
}

}  // namespace
