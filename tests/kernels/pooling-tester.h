// Pooling microkernel testers (kernels/f32-{maxpool,argmaxpool,avgpool,gavgpool}.inc; contract
// in kernels/ukernels-pooling.h): PoolTester for the indirection-based max, argmax and average
// kernels (argmax: random 32-bit tap indices, every bit pattern a float lane may carry, and taps
// that repeat a row, so ties pick the first tap),
// GAvgPoolTester for global average pooling, and ForEachPoolCase, the grid both indirection
// families run. Cases: kernel sizes 1..10, 16, 25; channel counts around the channel tile
// (remainders) and past it; several output pixels with gaps between them; input_increment larger
// than kernel_size; the indirection offset in both directions (including a wrapping one); clamps.
//
// Buffers are exact (tests/kernels/kernel-test.h): the row store ends with its last row's last
// channel, the gavgpool input with its last row's, every output with its last pixel's.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "reference/pooling-reference.h"
#include "test-utils.h"
#include "ukernels.h"

namespace pnn_test {

// Rows of the input region, the zero row and poison around them, laid out in one exact buffer:
//   [kPad poison][zero row][rows, each `row_stride` apart, gaps poisoned] | end of buffer
// A kernel that reads a wrong address (an unused indirection slot, a displaced zero row, a
// float past `channels`) picks up the poison (+1e6) and misses the reference by far.
constexpr float kPoison = 1.0e6f;
constexpr size_t kPad = 64;  // larger than any offset the testers use

struct RowStore {
  RowStore(size_t rows, size_t channels, uint32_t seed)
      : channels(channels),
        row_stride(channels + 3),
        storage(kPad + channels + (rows - 1) * row_stride + channels) {
    storage.fill(kPoison);
    std::fill_n(storage.data() + kPad, channels, 0.0f);
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
  ExactBuffer storage;
};

// Offsets in elements: none, stored pointers below the rows, and a wrapping (negative) one.
inline const size_t kOffsets[] = {0, 37, size_t{0} - 23};
inline const size_t kKernelSizes[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 16, 25};

// Builder-style tester for the indirection-based families (max and average).
class PoolTester {
 public:
  // clang-format off
  PoolTester& pixels(size_t v) { pixels_ = v; return *this; }
  PoolTester& kernel_size(size_t v) { ks_ = v; return *this; }
  PoolTester& channels(size_t v) { channels_ = v; return *this; }
  PoolTester& input_increment_extra(size_t v) { increment_extra_ = v; return *this; }
  PoolTester& output_stride_extra(size_t v) { stride_extra_ = v; return *this; }
  PoolTester& input_offset(size_t v) { offset_ = v; return *this; }
  PoolTester& clamp(float lo, float hi) { min_ = lo; max_ = hi; return *this; }
  PoolTester& seed(uint32_t v) { seed_ = v; return *this; }
  // clang-format on

  void Test(pnn_f32_maxpool_ukernel_fn fn, const char* name) const { Run(fn, nullptr, name); }
  void Test(pnn_f32_avgpool_ukernel_fn fn, const char* name) const { Run(nullptr, fn, name); }
  void Test(pnn_f32_argmaxpool_ukernel_fn fn, const char* name) const {
    Run(nullptr, nullptr, name, fn);
  }

 private:
  static constexpr uint32_t kIndexSentinel = 0xA5A5A5A5u;

  void Run(pnn_f32_maxpool_ukernel_fn maxfn, pnn_f32_avgpool_ukernel_fn avgfn, const char* name,
           pnn_f32_argmaxpool_ukernel_fn argfn = nullptr) const {
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
    // Argmax: each tap's index (slots past kernel_size hold the sentinel, never reported).
    std::vector<uint32_t> tap_index(pixels_ * increment, kIndexSentinel);
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
        tap_index[p * increment + k] = static_cast<uint32_t>(rng());
        ind[p * increment + k] = pad ? store.zero() : RowStore::undisplace(real, offset_);
      }
      // Exclude-pad (1/valid) or include-pad (1/kernel_size) divisor, as the operator builds.
      const size_t count = rng() % 2 == 0 ? valid : ks_;
      multiplier[p] = static_cast<float>(1.0 / static_cast<double>(count));
    }
    const size_t stride = channels_ + stride_extra_;
    ExactBuffer out((pixels_ - 1) * stride + channels_);
    std::vector<uint32_t> index((pixels_ - 1) * stride + channels_ + 8, kIndexSentinel);
    const pnn_f32_minmax_params params{min_, max_};
    if (argfn != nullptr) {
      PNN_ASSERT_IN_BOUNDS(argfn(pixels_, ks_, channels_, ind.data(), offset_, increment,
                                 tap_index.data(), out.data(), index.data(), stride, &params))
          << " " << name << Describe();
    } else if (is_avg) {
      PNN_ASSERT_IN_BOUNDS(avgfn(pixels_, ks_, channels_, ind.data(), offset_, increment,
                                 store.zero(), multiplier.data(), out.data(), stride, &params))
          << " " << name << Describe();
    } else {
      PNN_ASSERT_IN_BOUNDS(maxfn(pixels_, ks_, channels_, ind.data(), offset_, increment,
                                 out.data(), stride, &params))
          << " " << name << Describe();
    }
    ASSERT_TRUE(out.CheckGuards() && store.storage.CheckGuards()) << name << Describe();
    ASSERT_LE(ks_, pnn_ref::kMaxToleratedCount);
    for (size_t p = 0; p < pixels_; p++) {
      for (size_t c = 0; c < channels_; c++) {
        double best = -INFINITY, sum = 0.0, max_abs = 0.0;
        uint32_t best_index = tap_index[p * increment];  // the first tap holding the maximum
        for (size_t k = 0; k < ks_; k++) {
          const float* r = taps[p][k];
          if (best < r[c]) best_index = tap_index[p * increment + k];
          best = std::max(best, (double)r[c]);
          sum += r[c];
          max_abs = std::max(max_abs, std::fabs((double)r[c]));
        }
        if (argfn != nullptr) {
          ASSERT_EQ(index[p * stride + c], best_index)
              << name << " pixel " << p << " channel " << c << Describe();
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
      // Only `channels` floats (and indices) per pixel are written.
      for (size_t c = channels_; c < stride && p + 1 < pixels_; c++) {
        ASSERT_TRUE(GuardedBuffer::IsSentinel(out[p * stride + c])) << name << Describe();
        ASSERT_EQ(index[p * stride + c], kIndexSentinel) << name << Describe();
      }
    }
    for (size_t i = (pixels_ - 1) * stride + channels_; i < index.size(); i++)
      ASSERT_EQ(index[i], kIndexSentinel) << name << " index written past the last" << Describe();
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
  // clang-format off
  GAvgPoolTester& rows(size_t v) { rows_ = v; return *this; }
  GAvgPoolTester& channels(size_t v) { channels_ = v; return *this; }
  GAvgPoolTester& stride_extra(size_t v) { stride_extra_ = v; return *this; }
  GAvgPoolTester& clamp(float lo, float hi) { min_ = lo; max_ = hi; return *this; }
  GAvgPoolTester& seed(uint32_t v) { seed_ = v; return *this; }
  // clang-format on

  void Test(pnn_f32_gavgpool_ukernel_fn fn, const char* name) const {
    const size_t stride = channels_ + stride_extra_;
    // Poison in the stride gaps catches reads past `channels`.
    ExactBuffer x((rows_ - 1) * stride + channels_);
    x.fill(kPoison);
    std::mt19937 rng(seed_);
    std::uniform_real_distribution<float> dist(-3.0f, 3.0f);
    for (size_t r = 0; r < rows_; r++)
      for (size_t c = 0; c < channels_; c++) x[r * stride + c] = dist(rng);
    ExactBuffer y(channels_);
    const pnn_f32_gavgpool_params params{static_cast<float>(1.0 / static_cast<double>(rows_)), min_,
                                         max_};
    PNN_ASSERT_IN_BOUNDS(fn(rows_, channels_, x.data(), stride, y.data(), &params))
        << " " << name << " rows=" << rows_ << " channels=" << channels_;
    ASSERT_TRUE(y.CheckGuards() && x.CheckGuards()) << name;
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

// The ISA levels this binary and CPU run.
inline uint32_t RunnableArchs() {
  return pnn::get_hardware_config()->compiled & pnn::get_hardware_config()->cpu;
}

// Runs `body(tester)` over the shared grid of pooling cases.
template <typename Fn>
inline void ForEachPoolCase(size_t channel_tile, Fn body) {
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
}  // namespace pnn_test
