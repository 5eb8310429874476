// Shared helpers for tests: seeded random data, guarded buffers, tolerance checks.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
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

}  // namespace pnn_test
