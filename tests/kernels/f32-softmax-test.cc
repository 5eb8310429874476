// f32 softmax kernels: one case per line of each list of kernels/f32-softmax.inc
// (tests/kernels/softmax-tester.h).
#include <gtest/gtest.h>

#include "kernels/softmax-tester.h"

using pnn_test::RaddstoreexpminusmaxEntry;
using pnn_test::RmaxEntry;
using pnn_test::VscaleEntry;

PNN_TEST_INIT_LIBRARY();

namespace {

class F32Rmax : public ::testing::TestWithParam<RmaxEntry> {};

TEST_P(F32Rmax, Kernel) {
  const RmaxEntry& e = GetParam();
  PNN_SKIP_UNLESS_RUNNABLE(e);
  pnn_test::ForSoftmaxSizes(e.tile, [&](size_t n) {
    if (!HasFatalFailure()) pnn_test::CheckRmax(e, n);
  });
}

PNN_INSTANTIATE_REGISTRY(F32Rmax, pnn_test::RmaxEntries());

class F32Raddstoreexpminusmax : public ::testing::TestWithParam<RaddstoreexpminusmaxEntry> {};

TEST_P(F32Raddstoreexpminusmax, Kernel) {
  const RaddstoreexpminusmaxEntry& e = GetParam();
  PNN_SKIP_UNLESS_RUNNABLE(e);
  pnn_test::ForSoftmaxSizes(e.tile, [&](size_t n) {
    if (!HasFatalFailure()) pnn_test::CheckRaddstoreexpminusmax(e, n, false);
    if (!HasFatalFailure()) pnn_test::CheckRaddstoreexpminusmax(e, n, true);
  });
}

PNN_INSTANTIATE_REGISTRY(F32Raddstoreexpminusmax, pnn_test::RaddstoreexpminusmaxEntries());

class F32Vscale : public ::testing::TestWithParam<VscaleEntry> {};

TEST_P(F32Vscale, Kernel) {
  const VscaleEntry& e = GetParam();
  PNN_SKIP_UNLESS_RUNNABLE(e);
  pnn_test::ForSoftmaxSizes(e.tile, [&](size_t n) {
    if (!HasFatalFailure()) pnn_test::CheckVscale(e, n, false);
    if (!HasFatalFailure()) pnn_test::CheckVscale(e, n, true);
  });
}

PNN_INSTANTIATE_REGISTRY(F32Vscale, pnn_test::VscaleEntries());

}  // namespace
