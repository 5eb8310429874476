// Shared pieces of the libFuzzer targets: a front-to-back byte reader whose encodings favour
// small sizes but reach zero and the overflow edges in one byte, the header's shape rules
// evaluated in 128-bit arithmetic (the model each target checks the library against), and a
// check macro that aborts so that libFuzzer records the input.
//
// The targets use only the public header: what they find is what a caller can trigger.
#pragma once

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>
#include <vector>

#include "portnn.h"

// Huge allocations must come back as NULL (the library then reports out_of_memory) instead of
// aborting in ASan; 1 GiB is the largest allocation any input may make, which keeps libFuzzer's
// own 2 GiB malloc limit out of reach.
extern "C" const char* __asan_default_options() {
  return "allocator_may_return_null=1:max_allocation_size_mb=1024:detect_leaks=1";
}

#define FUZZ_CHECK(cond, ...)                                                                \
  do {                                                                                       \
    if (!(cond)) {                                                                           \
      std::fprintf(stderr, "FUZZ_CHECK failed at %s:%d: %s\n  ", __FILE__, __LINE__, #cond); \
      std::fprintf(stderr, __VA_ARGS__);                                                     \
      std::fprintf(stderr, "\n");                                                            \
      std::abort();                                                                          \
    }                                                                                        \
  } while (0)

namespace fuzz {

using u128 = unsigned __int128;
constexpr u128 kSizeMax = SIZE_MAX;

// Reads the input front to back; past the end every read is 0 (so short inputs still decode to
// small valid values).
class Reader {
 public:
  Reader(const uint8_t* data, size_t size) : p_(data), end_(data + size) {}
  bool empty() const { return p_ == end_; }
  uint8_t u8() { return p_ < end_ ? *p_++ : 0; }
  uint16_t u16() { return static_cast<uint16_t>(u8() | (u8() << 8)); }
  uint32_t u32() { return u16() | (uint32_t{u16()} << 16); }
  uint64_t u64() { return u32() | (uint64_t{u32()} << 32); }
  bool flag() { return (u8() & 1) != 0; }

  // A size: bytes below 0xF0 give 1..16; the rest reach 0 and the edges of size_t and of a
  // 32-bit size_t.
  size_t dim() {
    const uint8_t b = u8();
    if (b < 0xF0) return 1 + b % 16;
    switch (b) {
      case 0xF0:
        return 0;
      case 0xF1:
        return UINT32_MAX;
      case 0xF2:
        return SIZE_MAX;
      case 0xF3:
        return SIZE_MAX / 4 + 1;
      case 0xF4:
        return size_t{1} << (u8() % (8 * sizeof(size_t)));
      case 0xF5:
        return UINT32_MAX - u8();
      case 0xF6:
        return static_cast<size_t>(u64());
      case 0xF7:
        return (size_t{1} << (u8() % (8 * sizeof(size_t)))) + u8();
      case 0xF8:
        return 1 + size_t{u8()};
      case 0xF9:
        return 1 + size_t{u16()};
      case 0xFA:
        return SIZE_MAX - u8();
      default:
        return 1 + b % 4;
    }
  }
  // A uint32_t parameter (kernel, stride, dilation, padding...), the same way.
  uint32_t u32param() {
    const uint8_t b = u8();
    if (b < 0xF0) return b % 16;  // 0..15: padding 0 and zero sizes are common on purpose
    switch (b) {
      case 0xF0:
        return UINT32_MAX;
      case 0xF1:
        return UINT32_MAX - u8();
      case 0xF2:
        return uint32_t{1} << (u8() % 32);
      case 0xF3:
        return u32();
      case 0xF4:
        return 1 + u8();
      case 0xF5:
        return 1 + u16();
      default:
        return 1 + b % 4;
    }
  }
  // A float parameter: special values, or small multiples of 1/16.
  float fparam() {
    const uint8_t b = u8();
    switch (b) {
      case 0:
        return -INFINITY;
      case 1:
        return INFINITY;
      case 2:
        return NAN;
      case 3:
        return 0.0f;
      case 4:
        return -0.0f;
      case 5:
        return FLT_MAX;
      case 6:
        return -FLT_MAX;
      case 7: {
        const uint32_t bits = u32();
        float f;
        std::memcpy(&f, &bits, sizeof f);
        return f;
      }
      default:
        return (static_cast<int>(b) - 136) / 16.0f;
    }
  }
  // Clamp bounds: mostly none, sometimes finite, sometimes NaN or inverted.
  void clamp(float* mn, float* mx) {
    const uint8_t b = u8();
    if (b < 160) {
      *mn = -INFINITY;
      *mx = INFINITY;
    } else {
      *mn = fparam();
      *mx = fparam();
    }
  }

 private:
  const uint8_t* p_;
  const uint8_t* end_;
};

// Saturating products: the models multiply up to seven 64-bit dims, which a u128 cannot hold;
// any product beyond 2^120 is as good as infinite here.
inline u128 mul(u128 a, u128 b) {
  const u128 cap = u128{1} << 120;
  if (a == 0 || b == 0) return 0;
  return a > cap / b ? cap : a * b;
}
inline u128 prod(std::initializer_list<u128> factors) {
  u128 p = 1;
  for (u128 f : factors) p = mul(p, f);
  return p;
}

inline bool valid_clamp(float mn, float mx) {
  return !std::isnan(mn) && !std::isnan(mx) && mn <= mx;
}

// Elements whose byte count fits a size_t.
inline bool fits_bytes(u128 elements) { return elements <= kSizeMax / sizeof(float); }

// The two SAME padding flags (exclusive).
constexpr uint32_t kPaddingFlags = PNN_FLAG_TENSORFLOW_SAME_PADDING | PNN_FLAG_SAME_LOWER_PADDING;

// One spatial axis of convolution or pooling as the header defines it.
struct AxisModel {
  bool valid = false;  // output >= 1 (and, for pooling, every window reaches the input)
  bool known = true;   // false: the pooling window rule was too costly to decide here
  u128 out = 0;
  u128 pad_before = 0;
};

// `same` with `lower` is SAME_LOWER (the odd padding pixel before); `ceil` is pooling's ceil mode.
inline AxisModel model_axis(u128 in, u128 kernel, u128 stride, u128 dilation, u128 pad_before,
                            u128 pad_after, bool same, bool pooling, bool lower = false,
                            bool ceil = false) {
  AxisModel a;
  const u128 extent = dilation * (kernel - 1) + 1;
  if (same) {
    a.out = (in + stride - 1) / stride;
    const u128 needed = (a.out - 1) * stride + extent;
    const u128 total = needed > in ? needed - in : 0;
    a.pad_before = lower ? (total + 1) / 2 : total / 2;
  } else {
    const u128 padded = in + pad_before + pad_after;
    if (padded < extent) return a;
    a.out = (padded - extent + (ceil ? stride - 1 : 0)) / stride + 1;
    // Ceil mode: a last window starting past the input and its leading padding is dropped.
    if (ceil && a.out > 1 && (a.out - 1) * stride >= in + pad_before) a.out--;
    a.pad_before = pad_before;
  }
  if (pooling && in < dilation) {
    // Windows starting in the leading padding: their first tap at or past the input edge must
    // land inside the input. (Windows starting inside always hold their first tap, and the
    // trailing padding is below the window extent.) Decided only when few windows qualify.
    const u128 leading = a.pad_before / stride + 1;
    if (leading > 65536) {
      a.known = false;
      return a;
    }
    for (u128 o = 0; o < a.out && o * stride < a.pad_before; o++) {
      const u128 gap = a.pad_before - o * stride;
      const u128 first = (dilation - gap % dilation) % dilation;
      if (first >= in) return a;
    }
  }
  a.valid = true;
  return a;
}

// Deterministic finite inputs in [-2, 2), from a seed the input chooses.
inline std::vector<float> values(size_t n, uint32_t seed) {
  std::vector<float> v(n);
  uint32_t s = seed * 2654435761u + 12345u;
  for (float& x : v) {
    s = s * 1664525u + 1013904223u;
    x = (static_cast<float>((s >> 8) % 4096) - 2048.0f) / 1024.0f;
  }
  return v;
}

// Outcome counters, printed at exit when PNN_FUZZ_STATS is set: a check that the inputs reach
// the interesting paths (accepted-and-run shapes as well as rejections), not a test.
struct Stats {
  unsigned long creates_ok = 0, creates_rejected = 0;
  unsigned long reshapes_run = 0, reshapes_accepted = 0, reshapes_rejected = 0, skipped = 0;
  Stats() {
    if (std::getenv("PNN_FUZZ_STATS") != nullptr) std::atexit(Print);
  }
  static void Print();
};
inline Stats& stats() {
  static Stats s;
  return s;
}
inline void Stats::Print() {
  const Stats& s = stats();
  std::fprintf(stderr,
               "creates ok %lu rejected %lu; reshapes run %lu, accepted %lu, rejected %lu, "
               "skipped %lu\n",
               s.creates_ok, s.creates_rejected, s.reshapes_run, s.reshapes_accepted,
               s.reshapes_rejected, s.skipped);
}

// The sentinel the outputs are filled with: a NaN payload no operator produces.
inline float sentinel() {
  const uint32_t bits = 0x7FC0DEADu;
  float f;
  std::memcpy(&f, &bits, sizeof f);
  return f;
}
inline bool is_sentinel(float f) {
  uint32_t bits;
  std::memcpy(&bits, &f, sizeof bits);
  return bits == 0x7FC0DEADu;
}

// Index of the first output element still holding the sentinel, or n.
inline size_t first_unwritten(const std::vector<float>& y) {
  for (size_t i = 0; i < y.size(); i++)
    if (is_sentinel(y[i])) return i;
  return y.size();
}

}  // namespace fuzz
