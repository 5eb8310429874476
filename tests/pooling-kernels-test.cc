// Pooling microkernels: one tester per family (max, average, global average), run over every
// registry entry the CPU supports. Cases: kernel sizes 1..10, 16, 25; channel counts around
// the channel tile (remainders) and past it; several output pixels with gaps between them
// (guarded); input_increment larger than kernel_size; the indirection offset in both
// directions (including a wrapping one); the zero row that must never be displaced; clamps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "hardware-config.h"
#include "reference/pooling-reference.h"
#include "test-utils.h"
#include "ukernels.h"

using pnn_test::GuardedBuffer;

namespace {

struct Init {
  Init() { pnn_test::InitLibrary(); }
} init;

// Rows of the input region, the zero row and poison around them, laid out in one vector:
//   [kPad poison][zero row][rows, each `row_stride` apart, gaps poisoned][kPad poison]
// A kernel that reads a wrong address (an unused indirection slot, a displaced zero row, a
// float past `channels`) picks up the poison (+1e6) and misses the reference by far.
constexpr float kPoison = 1.0e6f;
constexpr size_t kPad = 64;  // larger than any offset the testers use

struct RowStore {
  RowStore(size_t rows, size_t channels, uint32_t seed) : channels(channels) {
    row_stride = channels + 3;
    storage.assign(kPad + channels + rows * row_stride + kPad, kPoison);
    std::fill_n(storage.begin() + kPad, channels, 0.0f);
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-2.0f, 2.0f);
    for (size_t r = 0; r < rows; r++)
      for (size_t c = 0; c < channels; c++)
        storage[kPad + channels + r * row_stride + c] = dist(rng);
  }
  const float* zero() const { return storage.data() + kPad; }
  const float* row(size_t r) const { return storage.data() + kPad + channels + r * row_stride; }
  // The pointer a caller stores so that displacing it by `offset` elements gives `p`.
  static const float* undisplace(const float* p, size_t offset) {
    return reinterpret_cast<const float*>(reinterpret_cast<uintptr_t>(p) - offset * sizeof(float));
  }

  size_t channels, row_stride;
  std::vector<float> storage;
};

// Offsets in elements: none, stored pointers below the rows, and a wrapping (negative) one.
const size_t kOffsets[] = {0, 37, size_t{0} - 23};
const size_t kKernelSizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 25};

// Builder-style tester for the indirection-based families (max and average).
class PoolTester {
 public:
  PoolTester& pixels(size_t v) {
    pixels_ = v;
    return *this;
  }
  PoolTester& kernel_size(size_t v) {
    ks_ = v;
    return *this;
  }
  PoolTester& channels(size_t v) {
    channels_ = v;
    return *this;
  }
  PoolTester& input_increment_extra(size_t v) {
    increment_extra_ = v;
    return *this;
  }
  PoolTester& output_stride_extra(size_t v) {
    stride_extra_ = v;
    return *this;
  }
  PoolTester& input_offset(size_t v) {
    offset_ = v;
    return *this;
  }
  PoolTester& clamp(float lo, float hi) {
    min_ = lo;
    max_ = hi;
    return *this;
  }
  PoolTester& seed(uint32_t v) {
    seed_ = v;
    return *this;
  }

  void Test(pnn_f32_maxpool_ukernel_fn fn, const char* name) const { Run(fn, nullptr, name); }
  void Test(pnn_f32_avgpool_ukernel_fn fn, const char* name) const { Run(nullptr, fn, name); }

 private:
  void Run(pnn_f32_maxpool_ukernel_fn maxfn, pnn_f32_avgpool_ukernel_fn avgfn,
           const char* name) const {
    const bool is_avg = avgfn != nullptr;
    // At least two rows: with one row whose displaced address is the zero row, the redraw below
    // could never find another (this happens for offset == row stride, e.g. channels 37 with a
    // 16-channel kernel tile).
    const size_t rows = pixels_ * ks_ < 2 ? 2 : pixels_ * ks_;
    RowStore store(rows, channels_, seed_);
    std::mt19937 rng(seed_ + 1);
    // Indirection: each tap names a random row; for average pooling about one tap in four is
    // the zero row, but never all of a window. Slots past kernel_size point at poison.
    const size_t increment = ks_ + increment_extra_;
    std::vector<const float*> ind(pixels_ * increment,
                                  RowStore::undisplace(store.zero() - 8, offset_));
    std::vector<std::vector<const float*>> taps(pixels_);  // the real rows, for the reference
    std::vector<float> multiplier(pixels_);
    for (size_t p = 0; p < pixels_; p++) {
      size_t valid = 0;
      for (size_t k = 0; k < ks_; k++) {
        const bool pad = is_avg && k + 1 < ks_ && rng() % 4 == 0;
        const float* real = store.zero();
        // Contract: a stored input pointer never equals the zero row (it would be read
        // undisplaced); with a positive offset one row's stored pointer could, so redraw it.
        while (!pad &&
               (real == store.zero() || RowStore::undisplace(real, offset_) == store.zero())) {
          real = store.row(rng() % rows);
        }
        valid += pad ? 0 : 1;
        taps[p].push_back(real);
        ind[p * increment + k] = pad ? store.zero() : RowStore::undisplace(real, offset_);
      }
      // Exclude-pad (1/valid) or include-pad (1/kernel_size) divisor, as the operator builds.
      const size_t count = rng() % 2 == 0 ? valid : ks_;
      multiplier[p] = static_cast<float>(1.0 / static_cast<double>(count));
    }
    const size_t stride = channels_ + stride_extra_;
    GuardedBuffer out((pixels_ - 1) * stride + channels_);
    const pnn_f32_minmax_params params{min_, max_};
    if (is_avg) {
      avgfn(pixels_, ks_, channels_, ind.data(), offset_, increment, store.zero(),
            multiplier.data(), out.data(), stride, &params);
    } else {
      maxfn(pixels_, ks_, channels_, ind.data(), offset_, increment, out.data(), stride, &params);
    }
    ASSERT_TRUE(out.CheckGuards()) << name;
    ASSERT_LE(ks_, pnn_ref::kMaxToleratedCount);
    for (size_t p = 0; p < pixels_; p++) {
      for (size_t c = 0; c < channels_; c++) {
        double best = -INFINITY, sum = 0.0, max_abs = 0.0;
        for (const float* r : taps[p]) {
          best = std::max(best, (double)r[c]);
          sum += r[c];
          max_abs = std::max(max_abs, std::fabs((double)r[c]));
        }
        const float y = out[p * stride + c];
        if (is_avg) {
          const double ref = pnn_ref::clamp(sum * multiplier[p], min_, max_);
          ASSERT_NEAR(y, ref, pnn_ref::average_tolerance(ks_, max_abs))
              << name << " pixel " << p << " channel " << c << Describe();
        } else {
          ASSERT_EQ(y, static_cast<float>(pnn_ref::clamp(best, min_, max_)))
              << name << " pixel " << p << " channel " << c << Describe();
        }
      }
      // Only `channels` floats per pixel are written.
      for (size_t c = channels_; c < stride && p + 1 < pixels_; c++)
        ASSERT_TRUE(GuardedBuffer::IsSentinel(out[p * stride + c])) << name << Describe();
    }
  }

  std::string Describe() const {
    return " (pixels=" + std::to_string(pixels_) + " ks=" + std::to_string(ks_) +
           " channels=" + std::to_string(channels_) +
           " offset=" + std::to_string(static_cast<long long>(offset_)) + ")";
  }

  size_t pixels_ = 1, ks_ = 1, channels_ = 1, increment_extra_ = 0, stride_extra_ = 0;
  size_t offset_ = 0;
  float min_ = -INFINITY, max_ = INFINITY;
  uint32_t seed_ = 1;
};

class GAvgPoolTester {
 public:
  GAvgPoolTester& rows(size_t v) {
    rows_ = v;
    return *this;
  }
  GAvgPoolTester& channels(size_t v) {
    channels_ = v;
    return *this;
  }
  GAvgPoolTester& stride_extra(size_t v) {
    stride_extra_ = v;
    return *this;
  }
  GAvgPoolTester& clamp(float lo, float hi) {
    min_ = lo;
    max_ = hi;
    return *this;
  }
  GAvgPoolTester& seed(uint32_t v) {
    seed_ = v;
    return *this;
  }

  void Test(pnn_f32_gavgpool_ukernel_fn fn, const char* name) const {
    const size_t stride = channels_ + stride_extra_;
    // Poison in the stride gaps catches reads past `channels`.
    std::vector<float> x((rows_ - 1) * stride + channels_, kPoison);
    std::mt19937 rng(seed_);
    std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
    for (size_t r = 0; r < rows_; r++)
      for (size_t c = 0; c < channels_; c++) x[r * stride + c] = dist(rng);
    GuardedBuffer y(channels_);
    const pnn_f32_gavgpool_params params{static_cast<float>(1.0 / static_cast<double>(rows_)), min_,
                                         max_};
    fn(rows_, channels_, x.data(), stride, y.data(), &params);
    ASSERT_TRUE(y.CheckGuards()) << name;
    ASSERT_LE(rows_, pnn_ref::kMaxToleratedCount);
    for (size_t c = 0; c < channels_; c++) {
      double sum = 0.0, max_abs = 0.0;
      for (size_t r = 0; r < rows_; r++) {
        sum += x[r * stride + c];
        max_abs = std::max(max_abs, std::fabs((double)x[r * stride + c]));
      }
      const double ref = pnn_ref::clamp(sum / (double)rows_, min_, max_);
      ASSERT_NEAR(y[c], ref, pnn_ref::average_tolerance(rows_, max_abs))
          << name << " rows=" << rows_ << " channels=" << channels_ << " c=" << c;
    }
  }

 private:
  size_t rows_ = 1, channels_ = 1, stride_extra_ = 0;
  float min_ = -INFINITY, max_ = INFINITY;
  uint32_t seed_ = 1;
};

uint32_t Runnable() {
  return pnn::get_hardware_config()->compiled & pnn::get_hardware_config()->cpu;
}

// Runs `body(tester)` over the shared grid of pooling cases.
template <typename Fn>
void ForEachPoolCase(size_t channel_tile, Fn body) {
  uint32_t seed = 1;
  for (size_t ks : kKernelSizes) {
    for (size_t c = 1; c <= 3 * channel_tile + 2; c++) {
      for (size_t pixels : {1, 3}) {
        for (size_t offset : kOffsets) {
          body(PoolTester()
                   .pixels(pixels)
                   .kernel_size(ks)
                   .channels(c)
                   .input_offset(offset)
                   .output_stride_extra(pixels > 1 ? 5 : 0)
                   .input_increment_extra(ks % 3)
                   .seed(seed++));
        }
      }
    }
    body(PoolTester().pixels(2).kernel_size(ks).channels(37).seed(seed++));
    body(PoolTester()
             .pixels(4)
             .kernel_size(ks)
             .channels(channel_tile + 1)
             .clamp(-0.4f, 0.3f)
             .input_offset(37)
             .seed(seed++));
    body(PoolTester()
             .pixels(1)
             .kernel_size(ks)
             .channels(2 * channel_tile)
             .clamp(0.5f, 0.5f)
             .seed(seed++));
  }
}

TEST(MaxPoolKernels, EveryRegisteredKernel) {
  int tested = 0;
#define PNN_MAXPOOL(arch, fn_, channel_tile_)                                       \
  if ((Runnable() & (arch)) == 0) {                                                 \
    std::printf("skipping %s: CPU lacks its ISA\n", #fn_);                          \
  } else {                                                                          \
    ForEachPoolCase(channel_tile_, [](const PoolTester& t) { t.Test(fn_, #fn_); }); \
    if (HasFatalFailure()) return;                                                  \
    tested++;                                                                       \
  }
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
  EXPECT_GT(tested, 0);
}

TEST(AvgPoolKernels, EveryRegisteredKernel) {
  int tested = 0;
#define PNN_AVGPOOL(arch, fn_, channel_tile_)                                       \
  if ((Runnable() & (arch)) == 0) {                                                 \
    std::printf("skipping %s: CPU lacks its ISA\n", #fn_);                          \
  } else {                                                                          \
    ForEachPoolCase(channel_tile_, [](const PoolTester& t) { t.Test(fn_, #fn_); }); \
    if (HasFatalFailure()) return;                                                  \
    tested++;                                                                       \
  }
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
  EXPECT_GT(tested, 0);
}

// The zero row is read as is: with every non-final tap on it, the average is the last row
// times the multiplier, whatever the offset.
TEST(AvgPoolKernels, ZeroRowIsNeverDisplaced) {
  int tested = 0;
#define PNN_AVGPOOL(arch, fn_, channel_tile_)                                         \
  if ((Runnable() & (arch)) != 0) {                                                   \
    for (size_t offset : kOffsets) {                                                  \
      const size_t c = 2 * (channel_tile_) + 1;                                       \
      RowStore store(1, c, 7);                                                        \
      std::vector<const float*> ind(9, store.zero());                                 \
      ind[8] = RowStore::undisplace(store.row(0), offset);                            \
      const float mult = 1.0f / 9.0f;                                                 \
      const pnn_f32_minmax_params params{-INFINITY, INFINITY};                        \
      GuardedBuffer y(c);                                                             \
      fn_(1, 9, c, ind.data(), offset, 9, store.zero(), &mult, y.data(), c, &params); \
      ASSERT_TRUE(y.CheckGuards());                                                   \
      for (size_t i = 0; i < c; i++) ASSERT_EQ(y[i], store.row(0)[i] * mult) << #fn_; \
    }                                                                                 \
    tested++;                                                                         \
  }
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
  EXPECT_GT(tested, 0);
}

// Every max and average kernel gives the same bits as every other (taps are reduced in order and
// max is std::max at every level), also where a kernel unrolls the window (2x2 and 3x3 average
// pooling on x86) and across its channel blocks and remainders.
TEST(PoolKernels, AllKernelsAgreeBitForBit) {
  const size_t kPixels = 5;
  for (size_t ks : {4, 9, 5}) {
    for (size_t c : {23, 150}) {
      RowStore store(ks * kPixels, c, static_cast<uint32_t>(ks * 1000 + c));
      std::vector<const float*> ptrs(ks * kPixels);
      for (size_t i = 0; i < ptrs.size(); i++) {
        // Every 7th tap of the average is padding; max pooling repeats a valid row instead.
        ptrs[i] = store.row(i);
      }
      std::vector<const float*> avg_ptrs = ptrs;
      for (size_t i = 3; i < avg_ptrs.size(); i += 7) avg_ptrs[i] = store.zero();
      std::vector<float> mult(kPixels);
      for (size_t p = 0; p < kPixels; p++) mult[p] = 1.0f / static_cast<float>(ks - (p % 2));
      const pnn_f32_minmax_params params{-1.5f, 1.75f};
      std::vector<float> first_max, first_avg;
#define PNN_MAXPOOL(arch, fn_, channel_tile_)                                              \
  if ((Runnable() & (arch)) != 0) {                                                        \
    std::vector<float> y(kPixels* c);                                                      \
    fn_(kPixels, ks, c, ptrs.data(), 0, ks, y.data(), c, &params);                         \
    if (!first_max.empty()) EXPECT_EQ(y, first_max) << #fn_ << " ks " << ks << " c " << c; \
    first_max = y;                                                                         \
  }
#include "f32-maxpool.inc"
#undef PNN_MAXPOOL
#define PNN_AVGPOOL(arch, fn_, channel_tile_)                                                     \
  if ((Runnable() & (arch)) != 0) {                                                               \
    std::vector<float> y(kPixels* c);                                                             \
    fn_(kPixels, ks, c, avg_ptrs.data(), 0, ks, store.zero(), mult.data(), y.data(), c, &params); \
    if (!first_avg.empty()) EXPECT_EQ(y, first_avg) << #fn_ << " ks " << ks << " c " << c;        \
    first_avg = y;                                                                                \
  }
#include "f32-avgpool.inc"
#undef PNN_AVGPOOL
    }
  }
}

// Two channel tiles must agree bit for bit (the reduction order is fixed by the contract), so
// an operator may switch kernels or split channels without changing results.
TEST(GAvgPoolKernels, ChannelTilesAgreeBitForBit) {
  std::vector<float> first;
  bool have = false;
  const size_t c = 23, rows = 13;
  auto x = pnn_test::RandomVector(rows * c, 99, -3.0f, 3.0f);
  const pnn_f32_gavgpool_params params{1.0f / 13.0f, -INFINITY, INFINITY};
#define PNN_GAVGPOOL(arch, fn_, channel_tile_)    \
  if ((Runnable() & (arch)) != 0) {               \
    std::vector<float> y(c);                      \
    fn_(rows, c, x.data(), c, y.data(), &params); \
    if (have) {                                   \
      EXPECT_EQ(y, first) << #fn_;                \
    }                                             \
    first = y;                                    \
    have = true;                                  \
  }
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
  EXPECT_TRUE(have);
}

TEST(GAvgPoolKernels, EveryRegisteredKernel) {
  int tested = 0;
  // Rows 1..10 (every unroll remainder a future SIMD kernel may have), then 16, 49, 100.
  const size_t kRows[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 49, 100};
#define PNN_GAVGPOOL(arch, fn_, channel_tile_)                                                 \
  if ((Runnable() & (arch)) == 0) {                                                            \
    std::printf("skipping %s: CPU lacks its ISA\n", #fn_);                                     \
  } else {                                                                                     \
    uint32_t seed = 1;                                                                         \
    for (size_t rows : kRows) {                                                                \
      for (size_t c = 1; c <= 3 * (channel_tile_) + 2; c++) {                                  \
        GAvgPoolTester().rows(rows).channels(c).seed(seed++).Test(fn_, #fn_);                  \
        GAvgPoolTester().rows(rows).channels(c).stride_extra(3).seed(seed++).Test(fn_, #fn_);  \
      }                                                                                        \
      GAvgPoolTester().rows(rows).channels(61).stride_extra(1).seed(seed++).Test(fn_, #fn_);   \
      GAvgPoolTester().rows(rows).channels(9).clamp(-0.1f, 0.2f).seed(seed++).Test(fn_, #fn_); \
      if (HasFatalFailure()) return;                                                           \
    }                                                                                          \
    tested++;                                                                                  \
  }
#include "f32-gavgpool.inc"
#undef PNN_GAVGPOOL
  EXPECT_GT(tested, 0);
}

}  // namespace
