// Depthwise-convolution microkernel tester (kernels/f32-dwconv.inc; contract in
// kernels/ukernels-dwconv.h): one kernel call against a double reference computed from the same
// indirection buffer.
//
// Buffers are exact (tests/kernels/kernel-test.h): the input rows' storage ends with the last
// row, the padding row holds exactly round_up(channels, CT) zeros (what the contract promises),
// the packed weights end with their last tile, the output with the last pixel's last channel.
// Every float of the input storage that is not a row element is NaN, so an undisplaced or
// misplaced read poisons the result; by default each row is followed by one such NaN, `tight`
// packs the rows back to back instead.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "test-utils.h"
#include "ukernels.h"

namespace pnn_test {

class DwconvTester {
 public:
  // clang-format off
  DwconvTester& channels(size_t v) { channels_ = v; return *this; }
  DwconvTester& width(size_t v) { width_ = v; return *this; }
  DwconvTester& ks(size_t v) { ks_ = v; return *this; }
  // Pointers between neighbouring pixels; 0 means ks (no sharing).
  DwconvTester& step(size_t v) { step_ = v; return *this; }
  // Floats between output pixels; 0 means channels (dense).
  DwconvTester& output_stride(size_t v) { output_stride_ = v; return *this; }
  DwconvTester& input_offset(size_t v) { input_offset_ = v; return *this; }
  // Every zero_every-th pointer is the padding row (0: none).
  DwconvTester& zero_every(size_t v) { zero_every_ = v; return *this; }
  // Clamp to the [lo, hi] quantiles of the results (0, 1: no clamp).
  DwconvTester& clamp_quantiles(double lo, double hi) { qmin_ = lo; qmax_ = hi; return *this; }
  // Rows packed back to back instead of one NaN apart.
  DwconvTester& tight(bool v) { tight_ = v; return *this; }
  DwconvTester& seed(uint32_t v) { seed_ = v; return *this; }
  // clang-format on

  void Test(pnn_f32_dwconv_ukernel_fn fn, size_t ct, const char* name) const {
    const size_t step = step_ != 0 ? step_ : ks_;
    const size_t out_stride = output_stride_ != 0 ? output_stride_ : channels_;
    const size_t slots = ks_ + (width_ - 1) * step;
    // Rows live at base + input_offset + slot * row_stride; the pointers omit the offset.
    const size_t row_stride = tight_ ? channels_ : channels_ + 1;
    ExactBuffer base_storage(input_offset_ + (slots - 1) * row_stride + channels_);
    ASSERT_TRUE(base_storage.ok());
    float* base = base_storage.data();
    base_storage.fill(std::numeric_limits<float>::quiet_NaN());
    const size_t zero_count = (channels_ + ct - 1) / ct * ct;
    ExactBuffer zero_storage(zero_count);
    zero_storage.fill(0.0f);
    const float* zero = zero_storage.data();
    std::vector<const float*> ptrs(slots);
    std::mt19937 rng(seed_);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    for (size_t s = 0; s < slots; s++) {
      if (zero_every_ != 0 && s % zero_every_ == zero_every_ - 1) {
        ptrs[s] = zero;
      } else {
        ptrs[s] = base + s * row_stride;
        for (size_t c = 0; c < channels_; c++) base[input_offset_ + s * row_stride + c] = dist(rng);
      }
    }
    auto row_value = [&](size_t s, size_t c) -> double {
      if (ptrs[s] == zero) return 0.0;
      return base[input_offset_ + s * row_stride + c];
    };

    // Weights w[c][t], bias[c], packed per tile of ct: ct biases, then ks groups of ct weights.
    const std::vector<float> w = RandomVector(channels_ * ks_, seed_ + 1);
    const std::vector<float> bias = RandomVector(channels_, seed_ + 2);
    ExactBuffer packed(zero_count * (1 + ks_));
    packed.fill(0.0f);
    for (size_t c = 0; c < channels_; c++) {
      const size_t tile = c / ct, lane = c % ct;
      float* t = packed.data() + tile * ct * (1 + ks_);
      t[lane] = bias[c];
      for (size_t k = 0; k < ks_; k++) t[ct * (1 + k) + lane] = w[c * ks_ + k];
    }

    // Reference: same sum in double, with its magnitude for the tolerance.
    std::vector<double> ref(width_ * channels_), mag(width_ * channels_);
    for (size_t x = 0; x < width_; x++) {
      for (size_t c = 0; c < channels_; c++) {
        double acc = bias[c], m = std::fabs(acc);
        for (size_t k = 0; k < ks_; k++) {
          const double term = row_value(x * step + k, c) * w[c * ks_ + k];
          acc += term;
          m += std::fabs(term);
        }
        ref[x * channels_ + c] = acc;
        mag[x * channels_ + c] = m;
      }
    }
    std::vector<double> sorted = ref;
    std::sort(sorted.begin(), sorted.end());
    auto quantile = [&](double q) { return sorted[static_cast<size_t>(q * (sorted.size() - 1))]; };
    pnn_f32_minmax_params params{-INFINITY, INFINITY};
    if (qmin_ > 0.0) params.min = static_cast<float>(quantile(qmin_));
    if (qmax_ < 1.0) params.max = static_cast<float>(quantile(qmax_));

    ExactBuffer out((width_ - 1) * out_stride + channels_);
    PNN_ASSERT_IN_BOUNDS(fn(channels_, width_, ks_, ptrs.data(), packed.data(), out.data(), step,
                            out_stride, input_offset_, zero, &params))
        << " " << name << Describe(step);

    // Recursive float sum of ks + 1 terms: |error| <= gamma(ks+1) * magnitude, u = 2^-24.
    const double nu = (ks_ + 1) * std::ldexp(1.0, -24);
    const double gamma = nu / (1.0 - nu);
    ASSERT_TRUE(out.CheckGuards() && base_storage.CheckGuards() && zero_storage.CheckGuards())
        << name << " wrote outside a buffer" << Describe(step);
    for (size_t x = 0; x < width_; x++) {
      for (size_t c = 0; c < channels_; c++) {
        const double expect =
            std::min<double>(std::max<double>(ref[x * channels_ + c], params.min), params.max);
        ASSERT_NEAR(out[x * out_stride + c], expect, gamma * mag[x * channels_ + c] + 1e-30)
            << name << " pixel " << x << " channel " << c << Describe(step);
      }
      // The gap between pixels is not the kernel's to write.
      for (size_t c = channels_; c < out_stride && x + 1 < width_; c++) {
        ASSERT_TRUE(GuardedBuffer::IsSentinel(out[x * out_stride + c])) << name << " wrote a gap";
      }
    }
  }

 private:
  std::string Describe(size_t step) const {
    return " (channels " + std::to_string(channels_) + ", width " + std::to_string(width_) +
           ", ks " + std::to_string(ks_) + ", step " + std::to_string(step) + ", offset " +
           std::to_string(input_offset_) + ")";
  }

  size_t channels_ = 1, width_ = 1, ks_ = 9, step_ = 0, output_stride_ = 0, input_offset_ = 0;
  size_t zero_every_ = 0;
  bool tight_ = false;
  double qmin_ = 0.0, qmax_ = 1.0;
  uint32_t seed_ = 1;
};

}  // namespace pnn_test
