// f32 reduction and normalization kernels: one case per line of each list of
// kernels/f32-norm.inc (tests/kernels/norm-tester.h).
#include <gtest/gtest.h>

#include "kernels/norm-tester.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

void TestRReduce(const RReduceEntry& e) {
  ForNormSizes(e.tile, [&](size_t n) { CheckRReduce(e, n); });
}
void TestRSumSqDev(const RSumSqDevEntry& e) {
  ForNormSizes(e.tile, [&](size_t n) { CheckRSumSqDev(e, n); });
}
void TestVNorm(const VNormEntry& e) {
  ForNormSizes(e.tile, [&](size_t n) {
    CheckVNorm(e, n, false);
    if (!::testing::Test::HasFatalFailure()) CheckVNorm(e, n, true);
  });
}
void TestVPRelu(const VPReluEntry& e) {
  ForNormSizes(e.tile, [&](size_t n) {
    CheckVPRelu(e, n, false);
    if (!::testing::Test::HasFatalFailure()) CheckVPRelu(e, n, true);
  });
}

PNN_REGISTRY_TEST(F32RReduce, norm_registry().rreduce, TestRReduce);
PNN_REGISTRY_TEST(F32RSumSqDev, norm_registry().rsumsqdev, TestRSumSqDev);
PNN_REGISTRY_TEST(F32VNorm, norm_registry().vnorm, TestVNorm);
PNN_REGISTRY_TEST(F32VPRelu, norm_registry().vprelu, TestVPRelu);

}  // namespace
}  // namespace pnn_test
