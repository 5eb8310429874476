// Depthwise-convolution microkernels: every kernel of kernels/f32-dwconv.inc against a double
// reference computed from the same indirection buffer, plus the kernel selection.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <vector>

#include "configs/dwconv-config.h"
#include "hardware-config.h"
#include "test-utils.h"
#include "ukernels.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

struct Init {
  Init() { pnn_test::InitLibrary(); }
} init;

// `n` floats that end exactly at an inaccessible page, so a kernel reading past them faults
// (the test then crashes at the offending kernel instead of passing).
class PageEndFloats {
 public:
  explicit PageEndFloats(size_t n) {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    bytes_ = (n * sizeof(float) + page - 1) / page * page + page;
    void* m = mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return;
    map_ = static_cast<char*>(m);
    if (mprotect(map_ + bytes_ - page, page, PROT_NONE) != 0) return;
    data_ = reinterpret_cast<float*>(map_ + bytes_ - page) - n;
  }
  ~PageEndFloats() {
    if (map_ != nullptr) munmap(map_, bytes_);
  }
  PageEndFloats(const PageEndFloats&) = delete;
  PageEndFloats& operator=(const PageEndFloats&) = delete;
  float* data() const { return data_; }  // NULL if the mapping failed

 private:
  char* map_ = nullptr;
  size_t bytes_ = 0;
  float* data_ = nullptr;
};

// Builder-style tester for one call of a dwconv kernel (contract in kernels/ukernels-dwconv.h).
class DwconvTester {
 public:
  DwconvTester& channels(size_t v) {
    channels_ = v;
    return *this;
  }
  DwconvTester& width(size_t v) {
    width_ = v;
    return *this;
  }
  DwconvTester& ks(size_t v) {
    ks_ = v;
    return *this;
  }
  // Pointers between neighbouring pixels; 0 means ks (no sharing).
  DwconvTester& step(size_t v) {
    step_ = v;
    return *this;
  }
  // Floats between output pixels; 0 means channels (dense).
  DwconvTester& output_stride(size_t v) {
    output_stride_ = v;
    return *this;
  }
  DwconvTester& input_offset(size_t v) {
    input_offset_ = v;
    return *this;
  }
  // Every zero_every-th pointer is the padding row (0: none).
  DwconvTester& zero_every(size_t v) {
    zero_every_ = v;
    return *this;
  }
  // Clamp to the [lo, hi] quantiles of the results (0, 1: no clamp).
  DwconvTester& clamp_quantiles(double lo, double hi) {
    qmin_ = lo;
    qmax_ = hi;
    return *this;
  }
  // Rows packed back to back, the last one ending at an inaccessible page (catches over-reads).
  DwconvTester& tight(bool v) {
    tight_ = v;
    return *this;
  }
  DwconvTester& seed(uint32_t v) {
    seed_ = v;
    return *this;
  }

  void Test(pnn_f32_dwconv_ukernel_fn fn, size_t ct, const char* name) const {
    const size_t step = step_ != 0 ? step_ : ks_;
    const size_t out_stride = output_stride_ != 0 ? output_stride_ : channels_;
    const size_t slots = ks_ + (width_ - 1) * step;
    // Rows live at base + input_offset + slot * row_stride; the pointers omit the offset. Every
    // other float is NaN, so an undisplaced read poisons the result. By default each row is
    // followed by a NaN that a kernel reading past `channels` would pick up; tight rows are
    // packed instead, and the last one ends at an inaccessible page.
    const size_t row_stride = tight_ ? channels_ : channels_ + 1;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const size_t base_count = input_offset_ + slots * row_stride;
    PageEndFloats base_storage(base_count);
    ASSERT_NE(base_storage.data(), nullptr);
    float* base = base_storage.data();
    std::fill(base, base + base_count, nan);
    // The padding row: the contract's round_up(channels, ct) zeros, ending at a page too.
    const size_t zero_count = (channels_ + ct - 1) / ct * ct;
    PageEndFloats zero_storage(zero_count);
    ASSERT_NE(zero_storage.data(), nullptr);
    const float* zero = zero_storage.data();
    std::fill(zero_storage.data(), zero_storage.data() + zero_count, 0.0f);
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
    std::vector<float> packed(zero_count * (1 + ks_), 0.0f);
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

    GuardedBuffer out((width_ - 1) * out_stride + channels_);
    fn(channels_, width_, ks_, ptrs.data(), packed.data(), out.data(), step, out_stride,
       input_offset_, zero, &params);

    // Recursive float sum of ks + 1 terms: |error| <= gamma(ks+1) * magnitude, u = 2^-24.
    const double nu = (ks_ + 1) * std::ldexp(1.0, -24);
    const double gamma = nu / (1.0 - nu);
    ASSERT_TRUE(out.CheckGuards()) << name;
    for (size_t x = 0; x < width_; x++) {
      for (size_t c = 0; c < channels_; c++) {
        const double expect =
            std::min<double>(std::max<double>(ref[x * channels_ + c], params.min), params.max);
        ASSERT_NEAR(out[x * out_stride + c], expect, gamma * mag[x * channels_ + c] + 1e-30)
            << name << " pixel " << x << " channel " << c << " of " << channels_ << ", ks " << ks_
            << ", step " << step << ", offset " << input_offset_;
      }
      // The gap between pixels is not the kernel's to write.
      for (size_t c = channels_; c < out_stride && x + 1 < width_; c++) {
        ASSERT_TRUE(GuardedBuffer::IsSentinel(out[x * out_stride + c])) << name << " wrote a gap";
      }
    }
  }

 private:
  size_t channels_ = 1, width_ = 1, ks_ = 9, step_ = 0, output_stride_ = 0, input_offset_ = 0;
  size_t zero_every_ = 0;
  bool tight_ = false;
  double qmin_ = 0.0, qmax_ = 1.0;
  uint32_t seed_ = 1;
};

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

TEST(DwconvKernels, EveryRegisteredKernelMatchesReference) {
  const uint32_t runnable = pnn::get_hardware_config()->compiled & pnn::get_hardware_config()->cpu;
  int tested = 0;
#define PNN_DWCONV(arch, fn_, taps_, channel_tile_)          \
  if ((runnable & (arch)) == 0) {                            \
    std::printf("skipping %s: CPU lacks its ISA\n", #fn_);   \
  } else {                                                   \
    SCOPED_TRACE(#fn_);                                      \
    if ((taps_) != 0) {                                      \
      TestKernel(fn_, (taps_), (channel_tile_), #fn_);       \
    } else {                                                 \
      for (size_t ks : {1, 2, 3, 4, 5, 9, 10, 25, 26, 49}) { \
        TestKernel(fn_, ks, (channel_tile_), #fn_);          \
        if (HasFatalFailure()) break;                        \
      }                                                      \
    }                                                        \
    tested++;                                                \
  }
#include "f32-dwconv.inc"
#undef PNN_DWCONV
  EXPECT_GT(tested, 0);
}

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
  const uint32_t usable = pnn::get_hardware_config()->usable;
  // Per tap count: whether some usable registry line is unrolled for it, and whether a generic
  // line is usable.
  bool generic = false;
  std::vector<size_t> unrolled;
#define PNN_DWCONV(arch, fn_, taps_, channel_tile_) \
  if ((usable & (arch)) != 0) {                     \
    if ((taps_) == 0)                               \
      generic = true;                               \
    else                                            \
      unrolled.push_back(taps_);                    \
  }
#include "f32-dwconv.inc"
#undef PNN_DWCONV
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
