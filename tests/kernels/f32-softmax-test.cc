// f32 softmax kernels: one case per line of each list of kernels/f32-softmax.inc
// (tests/kernels/softmax-tester.h): sizes 1..4*tile+3 and 1001, in place and out of place where
// the kernel writes.
#include <gtest/gtest.h>

#include "kernels/softmax-tester.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

void TestRmax(const RmaxEntry& e) {
  ForSoftmaxSizes(e.tile, [&](size_t n) {
    if (!::testing::Test::HasFatalFailure()) CheckRmax(e, n);
  });
}

void TestRaddstoreexpminusmax(const RaddstoreexpminusmaxEntry& e) {
  ForSoftmaxSizes(e.tile, [&](size_t n) {
    for (bool in_place : {false, true})
      if (!::testing::Test::HasFatalFailure()) CheckRaddstoreexpminusmax(e, n, in_place);
  });
}

void TestVscale(const VscaleEntry& e) {
  ForSoftmaxSizes(e.tile, [&](size_t n) {
    for (bool in_place : {false, true})
      if (!::testing::Test::HasFatalFailure()) CheckVscale(e, n, in_place);
  });
}

PNN_REGISTRY_TEST(F32Rmax, registry().rmax, TestRmax);
PNN_REGISTRY_TEST(F32Raddstoreexpminusmax, registry().raddstoreexpminusmax,
                  TestRaddstoreexpminusmax);
PNN_REGISTRY_TEST(F32Vscale, registry().vscale, TestVscale);

}  // namespace
}  // namespace pnn_test
