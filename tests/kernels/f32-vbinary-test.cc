// f32 binary elementwise kernels: one case per line of kernels/f32-vbinary.inc, plus the config's
// selection rules.
#include <gtest/gtest.h>

#include "configs/vbinary-config.h"
#include "kernels/vbinary-tester.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

// Sizes 1 .. 4*tile+3 (main loop and every remainder), with and without clamp, out of place and
// in place on each operand it may alias; then long runs over many main-loop iterations, at a
// prime size.
void TestVBinary(const VBinaryEntry& e) {
  for (size_t n = 1; n <= 4 * e.tile + 3; n++) {
    for (bool clamped : {false, true}) {
      for (InPlace ip : {InPlace::kNone, InPlace::kA, InPlace::kB}) {
        if (ip == InPlace::kB && e.form != pnn_vbinary_vop) continue;  // b is one scalar
        VBinaryTester()
            .n(n)
            .clamped(clamped)
            .in_place(ip)
            .seed(static_cast<uint32_t>(n * 7))
            .Test(e);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
  VBinaryTester().n(1009).seed(5).Test(e);
  VBinaryTester().n(1009).seed(6).clamped(true).Test(e);
}

PNN_REGISTRY_TEST(F32VBinary, registry().vbinary, TestVBinary);

// The config has every form of every op, takes the first usable registry line, and serves the
// reversed form of a commutative op with its vopc kernel.
TEST(VBinaryConfig, EveryOpHasEveryForm) {
  EXPECT_EQ(pnn::get_vbinary_config(-1), nullptr);
  EXPECT_EQ(pnn::get_vbinary_config(pnn_binary_pow + 1), nullptr);
  for (int op = pnn_binary_add; op <= pnn_binary_pow; op++) {
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
  bool seen[pnn_binary_pow + 1][3] = {};
  for (const VBinaryEntry& e : registry().vbinary) {
    if (seen[e.op][e.form] || !pnn::arch_usable(e.arch)) continue;
    seen[e.op][e.form] = true;
    const pnn::VBinaryConfig* c = pnn::get_vbinary_config(e.op);
    const pnn::VBinaryKernel& k = e.form == pnn_vbinary_vop    ? c->op
                                  : e.form == pnn_vbinary_vopc ? c->opc
                                                               : c->ropc;
    EXPECT_EQ(k.fn, e.fn);
    EXPECT_STREQ(k.name, e.name);
    EXPECT_EQ(k.tile, e.tile);
  }
}

}  // namespace
}  // namespace pnn_test
