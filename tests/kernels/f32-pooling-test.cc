// f32 pooling kernels: one case per line of kernels/f32-maxpool.inc, f32-argmaxpool.inc,
// f32-avgpool.inc and f32-gavgpool.inc (tests/kernels/pooling-tester.h), plus the cross-kernel
// agreement the contract promises (taps reduced in order: every level gives the same bits).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "kernels/pooling-tester.h"

PNN_TEST_INIT_LIBRARY();

namespace pnn_test {
namespace {

// The grid of pooling cases (ForEachPoolCase), for a max or an average pooling line.
template <typename Entry>
void TestPoolGrid(const Entry& e) {
  ForEachPoolCase(e.tile, [&](const PoolTester& t) {
    if (!::testing::Test::HasFatalFailure()) t.Test(e.fn, e.name);
  });
}

void TestAvgPool(const AvgPoolEntry& e) {
  TestPoolGrid(e);
  if (::testing::Test::HasFatalFailure()) return;
  // The zero row is read as is: with every non-final tap on it, the average is the last row
  // times the multiplier, whatever the offset.
  for (size_t offset : kOffsets) {
    const size_t c = 2 * e.tile + 1;
    RowStore store(1, c, 7);
    std::vector<const float*> ind(9, store.zero());
    ind[8] = RowStore::undisplace(store.row(0), offset);
    const float mult = 1.0f / 9.0f;
    const pnn_f32_minmax_params params{-INFINITY, INFINITY};
    ExactBuffer y(c);
    PNN_ASSERT_IN_BOUNDS(
        e.fn(1, 9, c, ind.data(), offset, 9, store.zero(), &mult, y.data(), c, &params));
    ASSERT_TRUE(y.CheckGuards());
    for (size_t i = 0; i < c; i++)
      ASSERT_EQ(y[i], store.row(0)[i] * mult) << "zero row displaced? offset " << offset;
  }
}

void TestGAvgPool(const GAvgPoolEntry& e) {
  // Rows 1..10 (every unroll remainder a future SIMD kernel may have), then 16, 49, 100.
  const size_t kRows[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 49, 100};
  uint32_t seed = 1;
  for (size_t rows : kRows) {
    for (size_t c = 1; c <= 3 * e.tile + 2; c++) {
      GAvgPoolTester().rows(rows).channels(c).seed(seed++).Test(e.fn, e.name);
      GAvgPoolTester().rows(rows).channels(c).stride_extra(3).seed(seed++).Test(e.fn, e.name);
    }
    GAvgPoolTester().rows(rows).channels(61).stride_extra(1).seed(seed++).Test(e.fn, e.name);
    GAvgPoolTester().rows(rows).channels(9).clamp(-0.1f, 0.2f).seed(seed++).Test(e.fn, e.name);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

PNN_REGISTRY_TEST(F32MaxPool, registry().maxpool, TestPoolGrid);
PNN_REGISTRY_TEST(F32ArgmaxPool, registry().argmaxpool, TestPoolGrid);
PNN_REGISTRY_TEST(F32AvgPool, registry().avgpool, TestAvgPool);
PNN_REGISTRY_TEST(F32GAvgPool, registry().gavgpool, TestGAvgPool);

// Every max and average kernel gives the same bits as every other (taps are reduced in order and
// max is std::max at every level), also where a kernel unrolls the window (2x2 and 3x3 average
// pooling on x86) and across its channel blocks and remainders.
TEST(PoolKernels, AllKernelsAgreeBitForBit) {
  const size_t kPixels = 5;
  for (size_t ks : {4, 9, 5}) {
    for (size_t c : {23, 150}) {
      RowStore store(ks * kPixels, c, static_cast<uint32_t>(ks * 1000 + c));
      std::vector<const float*> ptrs(ks * kPixels);
      for (size_t i = 0; i < ptrs.size(); i++) ptrs[i] = store.row(i);
      // Every 7th tap of the average is padding; max pooling repeats a valid row instead.
      std::vector<const float*> avg_ptrs = ptrs;
      for (size_t i = 3; i < avg_ptrs.size(); i += 7) avg_ptrs[i] = store.zero();
      std::vector<float> mult(kPixels);
      for (size_t p = 0; p < kPixels; p++) mult[p] = 1.0f / static_cast<float>(ks - (p % 2));
      const pnn_f32_minmax_params params{-1.5f, 1.75f};
      std::vector<float> first_max, first_avg;
      for (const MaxPoolEntry& e : registry().maxpool) {
        if ((RunnableArchs() & e.arch) == 0) continue;
        std::vector<float> y(kPixels * c);
        e.fn(kPixels, ks, c, ptrs.data(), 0, ks, y.data(), c, &params);
        if (!first_max.empty()) EXPECT_EQ(y, first_max) << e.name << " ks " << ks << " c " << c;
        first_max = y;
      }
      for (const AvgPoolEntry& e : registry().avgpool) {
        if ((RunnableArchs() & e.arch) == 0) continue;
        std::vector<float> y(kPixels * c);
        e.fn(kPixels, ks, c, avg_ptrs.data(), 0, ks, store.zero(), mult.data(), y.data(), c,
             &params);
        if (!first_avg.empty()) EXPECT_EQ(y, first_avg) << e.name << " ks " << ks << " c " << c;
        first_avg = y;
      }
    }
  }
}

// Two channel tiles must agree bit for bit (the reduction order is fixed by the contract), so
// an operator may switch kernels or split channels without changing results.
TEST(GAvgPoolKernels, ChannelTilesAgreeBitForBit) {
  std::vector<float> first;
  bool have = false;
  const size_t c = 23, rows = 13;
  auto x = RandomVector(rows * c, 99, -3.0f, 3.0f);
  const pnn_f32_gavgpool_params params{1.0f / 13.0f, -INFINITY, INFINITY};
  for (const GAvgPoolEntry& e : registry().gavgpool) {
    if ((RunnableArchs() & e.arch) == 0) continue;
    std::vector<float> y(c);
    e.fn(rows, c, x.data(), c, y.data(), &params);
    if (have) EXPECT_EQ(y, first) << e.name;
    first = y;
    have = true;
  }
  EXPECT_TRUE(have);
}

}  // namespace
}  // namespace pnn_test
