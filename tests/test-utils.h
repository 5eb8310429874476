// Shared helpers for tests: library set-up (PNN_TEST_INIT_LIBRARY), seeded random data, guarded
// buffers, parameter builders, and the check that a failing call recorded its reason
// (EXPECT_FAILS_WITH).
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "portnn.h"

namespace pnn_test {

// A per-level ctest entry (PORTNN_TEST_LEVEL_RUN, see tests/CMakeLists.txt) forces a compiled
// level with PORTNN_ISA; on a CPU without that level pnn_initialize() reports unsupported
// hardware and the whole binary is skipped, saying why (ctest matches the message).
inline bool SkipUnavailableLevel(pnn_status status) {
  const char* level = std::getenv("PORTNN_ISA");
  if (status != pnn_status_unsupported_hardware || level == nullptr ||
      std::getenv("PORTNN_TEST_LEVEL_RUN") == nullptr) {
    return false;
  }
  std::printf("portnn: level %s is not available on this CPU; skipping this run\n", level);
  return true;
}

// Initializes the library once per test binary and prints the level under test.
class LibraryEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    const pnn_status status = pnn_initialize();
    if (SkipUnavailableLevel(status)) GTEST_SKIP();
    ASSERT_EQ(status, pnn_status_success);
    std::printf("portnn %s, pnn_isa_name() = %s\n", pnn_version_string(), pnn_isa_name());
  }
};

inline void InitLibrary() {
  static bool done = [] {
    ::testing::AddGlobalTestEnvironment(new LibraryEnvironment);
    return true;
  }();
  (void)done;
}

// Registers LibraryEnvironment from a static initializer: one line at file scope of each test
// file (any number of files of one binary may use it).
#define PNN_TEST_INIT_LIBRARY()                          \
  [[maybe_unused]] static const bool pnn_test_library_ = \
      (::pnn_test::InitLibrary(), true)

// Uniform floats in [lo, hi) from a fixed seed.
inline std::vector<float> RandomVector(size_t n, uint32_t seed, float lo = -1.0f, float hi = 1.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> dist(lo, hi);
  std::vector<float> v(n);
  for (float& x : v) x = dist(rng);
  return v;
}

// A float buffer with guard elements on both sides, filled with a sentinel NaN pattern, so
// out-of-bounds writes are detected by CheckGuards().
class GuardedBuffer {
 public:
  static constexpr size_t kGuard = 64;
  explicit GuardedBuffer(size_t n) : n_(n), storage_(n + 2 * kGuard) {
    for (float& x : storage_) x = Sentinel();
  }
  float* data() { return storage_.data() + kGuard; }
  const float* data() const { return storage_.data() + kGuard; }
  size_t size() const { return n_; }
  float& operator[](size_t i) { return data()[i]; }
  const float& operator[](size_t i) const { return data()[i]; }
  // True when no guard element changed.
  bool CheckGuards() const {
    for (size_t i = 0; i < kGuard; i++) {
      if (!IsSentinel(storage_[i]) || !IsSentinel(storage_[kGuard + n_ + i])) return false;
    }
    return true;
  }
  // True when every element (not just guards) still holds the sentinel: nothing was written.
  bool Untouched() const {
    for (float x : storage_)
      if (!IsSentinel(x)) return false;
    return true;
  }
  static float Sentinel() {
    const uint32_t bits = 0x7FC0DEADu;  // a quiet NaN with a recognizable payload
    float f;
    std::memcpy(&f, &bits, sizeof f);
    return f;
  }
  static bool IsSentinel(float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, sizeof bits);
    return bits == 0x7FC0DEADu;
  }

 private:
  size_t n_;
  std::vector<float> storage_;
};

// Pooling parameters: a kh x kw window, stride sh x sw, no padding, dilation 1, no clamp, `flags`.
inline pnn_pooling2d_params PoolingParams(uint32_t kh, uint32_t kw, uint32_t sh, uint32_t sw,
                                          size_t channels, uint32_t flags = 0) {
  pnn_pooling2d_params p;
  std::memset(&p, 0, sizeof p);
  p.pooling_height = kh;
  p.pooling_width = kw;
  p.stride_height = sh;
  p.stride_width = sw;
  p.dilation_height = p.dilation_width = 1;
  p.channels = channels;
  p.output_min = -INFINITY;
  p.output_max = INFINITY;
  p.flags = flags;
  return p;
}

// Convolution parameters: a square k x k kernel, stride and padding alike on both axes,
// dilation 1, `groups` groups of gic -> goc channels, clamp [lo, hi] (default none).
inline pnn_convolution2d_params ConvolutionParams(uint32_t k, uint32_t stride, uint32_t pad,
                                                  uint32_t groups, size_t gic, size_t goc,
                                                  float lo = -INFINITY, float hi = INFINITY) {
  pnn_convolution2d_params p;
  std::memset(&p, 0, sizeof p);
  p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = pad;
  p.kernel_height = p.kernel_width = k;
  p.stride_height = p.stride_width = stride;
  p.dilation_height = p.dilation_width = 1;
  p.groups = groups;
  p.group_input_channels = gic;
  p.group_output_channels = goc;
  p.output_min = lo;
  p.output_max = hi;
  return p;
}

// `p` with explicit padding (in the order of CSS margins).
inline pnn_pooling2d_params Padded(pnn_pooling2d_params p, uint32_t top, uint32_t right,
                                   uint32_t bottom, uint32_t left) {
  p.padding_top = top;
  p.padding_right = right;
  p.padding_bottom = bottom;
  p.padding_left = left;
  return p;
}

// The function a call expression names: "pnn_setup_softmax_nc_f32(op, x, y)" gives
// "pnn_setup_softmax_nc_f32" (text before the first '(', blanks trimmed).
inline std::string CalledFunction(const char* call_text) {
  std::string s(call_text);
  s = s.substr(0, s.find('('));
  const size_t first = s.find_first_not_of(" \t\n");
  const size_t last = s.find_last_not_of(" \t\n");
  return first == std::string::npos ? std::string() : s.substr(first, last - first + 1);
}

// After a failed call of `function`: pnn_last_error_message() reads "<function>: <reason>" with
// a reason of at least a few characters (every failure path names its argument and rule).
inline ::testing::AssertionResult HasReason(const std::string& function) {
  const std::string message = pnn_last_error_message();
  const std::string prefix = function + ": ";
  if (message.compare(0, prefix.size(), prefix) != 0) {
    return ::testing::AssertionFailure() << "pnn_last_error_message() is \"" << message
                                         << "\"; expected \"" << prefix << "<reason>\"";
  }
  if (message.size() < prefix.size() + 5) {
    return ::testing::AssertionFailure() << "the reason in \"" << message << "\" is too short";
  }
  return ::testing::AssertionSuccess();
}

// After a successful call: the message is empty.
inline ::testing::AssertionResult HasNoReason() {
  const char* message = pnn_last_error_message();
  if (message[0] == '\0') return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "a successful call left pnn_last_error_message() = \"" << message << "\"";
}

}  // namespace pnn_test

// EXPECT_FAILS_WITH(status, call): `call` returns `status`, and pnn_last_error_message() then
// starts with the called function's name and ": " followed by a reason. `call` must name the
// public function directly (pnn_x(...)), since its name is read from the call's text.
#define EXPECT_FAILS_WITH(expected_status, call)                                    \
  do {                                                                              \
    const pnn_status pnn_test_got_ = (call);                                        \
    EXPECT_EQ(std::string(pnn_status_string(pnn_test_got_)),                        \
              std::string(pnn_status_string(expected_status)))                      \
        << #call;                                                                   \
    EXPECT_TRUE(::pnn_test::HasReason(::pnn_test::CalledFunction(#call))) << #call; \
  } while (0)
