// f32 depthwise-convolution kernels: one case per line of kernels/f32-dwconv.inc (an unrolled
// line at its tap count, a generic line at several), plus the config's selection rules.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "configs/dwconv-config.h"
#include "kernels/dwconv-tester.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

// Runs the edge cases of one kernel at tap count `ks`.
void TestKernel(pnn_f32_dwconv_ukernel_fn fn, size_t ks, size_t ct, const char* name) {
  uint32_t seed = 1;
  for (size_t channels = 1; channels <= 3 * ct + 1; channels++) {
    for (size_t width = 1; width <= 3; width++) {
      // Own pointers per pixel, and pointers shared with the neighbour (as the operator does).
      for (size_t step : {ks, std::max<size_t>(1, ks / 3)}) {
        for (size_t offset : {size_t{0}, size_t{7}}) {
          for (size_t zero_every : {size_t{0}, size_t{3}}) {
            DwconvTester()
                .tight(zero_every == 0)
                .channels(channels)
                .width(width)
                .ks(ks)
                .step(step)
                .input_offset(offset)
                .zero_every(zero_every)
                .output_stride(width > 1 && offset != 0 ? channels + 3 : 0)
                .seed(seed++)
                .Test(fn, ct, name);
            if (::testing::Test::HasFatalFailure()) return;
          }
        }
      }
    }
  }
  // Longer runs with the pointer sharing of square kernels at strides 1 and 2 (step k and 2k
  // for ks = k*k): the tile-major x86 kernels take P pixels at a time and 16 per block there,
  // so widths cover partial groups and blocks.
  size_t k = 1;
  while ((k + 1) * (k + 1) <= ks) k++;
  if (k * k == ks && k >= 2) {
    for (size_t step : {k, 2 * k}) {
      if (step >= ks) continue;
      for (size_t width : {4, 5, 7, 9, 16, 17, 35}) {
        for (size_t channels : {size_t{1}, ct - 1 + (ct == 1), ct, 2 * ct + 3}) {
          DwconvTester()
              .channels(channels)
              .width(width)
              .ks(ks)
              .step(step)
              .input_offset(width % 2 == 0 ? 0 : 5)
              .zero_every(width % 3 == 0 ? 4 : 0)
              .tight(width % 3 != 0)
              .output_stride(width % 4 == 1 ? channels + 2 : 0)
              .seed(seed++)
              .Test(fn, ct, name);
          if (::testing::Test::HasFatalFailure()) return;
        }
      }
    }
  }
  // Clamps, on a wide-enough run that both bounds cut.
  DwconvTester()
      .channels(2 * ct + 1)
      .width(5)
      .ks(ks)
      .clamp_quantiles(0.3, 0.7)
      .seed(99)
      .Test(fn, ct, name);
  DwconvTester().channels(ct).width(4).ks(ks).clamp_quantiles(0.5, 1.0).seed(98).Test(fn, ct, name);
  DwconvTester().channels(ct + 3).width(4).ks(ks).clamp_quantiles(0.0, 0.2).seed(97).Test(fn, ct,
                                                                                          name);
  // Every pointer the padding row: output is the (clamped) bias.
  DwconvTester().channels(ct + 1).width(2).ks(ks).zero_every(1).seed(96).Test(fn, ct, name);
}

// An unrolled line at its tap count, a generic line at several.
void TestDwconv(const DwconvEntry& e) {
  if (e.taps != 0) {
    TestKernel(e.fn, e.taps, e.tile, e.name);
    return;
  }
  for (size_t ks : {1, 2, 3, 4, 5, 9, 10, 25, 26, 49}) {
    TestKernel(e.fn, ks, e.tile, e.name);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

PNN_REGISTRY_TEST(F32Dwconv, registry().dwconv, TestDwconv);

TEST(DwconvConfig, EveryTapCountHasAKernel) {
  for (size_t taps = 1; taps <= 81; taps++) {
    const pnn::DwconvConfig* c = pnn::get_dwconv_config(taps);
    ASSERT_NE(c, nullptr) << taps;
    EXPECT_TRUE(c->taps == taps || c->taps == 0) << c->name << " for " << taps << " taps";
    EXPECT_GE(c->channel_tile, 1u);
    EXPECT_NE(c->fn, nullptr);
  }
}

TEST(DwconvConfig, PrefersUnrolledKernelsAndFallsBackToGeneric) {
  // Per tap count: whether some usable registry line is unrolled for it, and whether a generic
  // line is usable.
  bool generic = false;
  std::vector<size_t> unrolled;
  for (const DwconvEntry& e : registry().dwconv) {
    if (!pnn::arch_usable(e.arch)) continue;
    if (e.taps == 0) {
      generic = true;
    } else {
      unrolled.push_back(e.taps);
    }
  }
  ASSERT_TRUE(generic) << "every ISA level needs a generic dwconv kernel";
  for (size_t taps : unrolled) EXPECT_EQ(pnn::get_dwconv_config(taps)->taps, taps);
  // A tap count without an unrolled kernel (e.g. 7, a 7x1 or 1x7 kernel) gets the generic one.
  for (size_t taps = 1; taps <= 81; taps++) {
    if (std::find(unrolled.begin(), unrolled.end(), taps) == unrolled.end()) {
      EXPECT_EQ(pnn::get_dwconv_config(taps)->taps, 0u) << taps;
    }
  }
  EXPECT_EQ(pnn::get_dwconv_config(0)->taps, 0u);
}

}  // namespace
}  // namespace pnn_test
