// f32 bilinear-interpolation kernels: one case per line of kernels/f32-ibilinear.inc
// (tests/kernels/ibilinear-tester.h): channels 1..3*tile+3, 1..5 pixels, two rows or one.
#include <gtest/gtest.h>

#include "kernels/ibilinear-tester.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

void TestIbilinear(const IbilinearEntry& e) {
  for (size_t channels = 1; channels <= 3 * e.tile + 3; channels++) {
    for (size_t pixels = 1; pixels <= 5; pixels++) {
      for (bool same_row : {false, true}) {
        CheckIbilinear(e, pixels, channels, static_cast<uint32_t>(100 * channels + pixels),
                       same_row);
        if (::testing::Test::HasFatalFailure()) return;
      }
    }
  }
}

PNN_REGISTRY_TEST(F32Ibilinear, ibilinear_registry(), TestIbilinear);

}  // namespace
}  // namespace pnn_test
