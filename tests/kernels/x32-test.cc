// The x32 data-movement kernels (kernels/ukernels-x32.h): every line of kernels/x32-*.inc is a
// test case of its own, named after the kernel (--gtest_filter='*x32_pad_ukernel__avx2_u32*'
// runs one). Each case runs the kernel over shapes that exercise its main loop, its remainders and
// its strides, and checks against the definition, element by element and bit for bit, with:
//  - the input placed so that its last element ends a readable page, the next page unmapped where
//    the platform allows it (POSIX mmap): a read past the end faults instead of passing;
//  - the output sized exactly (last row only as long as written) between guard regions of a
//    sentinel, and the gaps between strided rows holding it too: any stray write is a failure;
//  - the input compared with its copy afterwards (a kernel never writes its input).
// Values are random 32-bit patterns (NaN payloads and signaling NaNs included) plus fixed
// signaling-NaN and all-ones words: a kernel moves bits, it never computes on them.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "hardware-config.h"
#include "ukernels-x32.h"

#if defined(__unix__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#include <unistd.h>
#define PNN_TEST_PAGE_GUARD 1
#endif

namespace {

constexpr uint32_t kSentinel = 0xA5A5F00Du;
constexpr size_t kGuard = 64;  // sentinel elements before and after each output

// n input elements ending exactly at a page whose successor is unmapped (POSIX), else a vector.
class TailGuardedInput {
 public:
  explicit TailGuardedInput(size_t n) : n_(n) {
#if defined(PNN_TEST_PAGE_GUARD)
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t bytes = (n * sizeof(uint32_t) + page - 1) / page * page;
    map_size_ = bytes + page;
    void* m = mmap(nullptr, map_size_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m != MAP_FAILED) {
      map_ = static_cast<char*>(m);
      mprotect(map_ + bytes, page, PROT_NONE);
      data_ = reinterpret_cast<uint32_t*>(map_ + bytes) - n;
      return;
    }
#endif
    storage_.resize(n == 0 ? 1 : n);
    data_ = storage_.data();
  }
  ~TailGuardedInput() {
#if defined(PNN_TEST_PAGE_GUARD)
    if (map_ != nullptr) munmap(map_, map_size_);
#endif
  }
  TailGuardedInput(const TailGuardedInput&) = delete;
  TailGuardedInput& operator=(const TailGuardedInput&) = delete;
  uint32_t* data() { return data_; }
  size_t size() const { return n_; }

 private:
  size_t n_;
  uint32_t* data_ = nullptr;
  std::vector<uint32_t> storage_;
#if defined(PNN_TEST_PAGE_GUARD)
  char* map_ = nullptr;
  size_t map_size_ = 0;
#endif
};

// The words a test fills its inputs with.
void fill_random(uint32_t* p, size_t n, std::mt19937& rng) {
  for (size_t i = 0; i < n; i++) p[i] = static_cast<uint32_t>(rng());
  if (n > 0) p[0] = 0x7F800001u;      // a signaling NaN
  if (n > 1) p[n - 1] = 0xFFFFFFFFu;  // a negative quiet NaN with a full payload
}

// An output of rows x row_length elements at stride `stride`, the last row only row_length long,
// between kGuard sentinels; expected() holds what the kernel must leave there.
class GuardedOutput {
 public:
  GuardedOutput(size_t rows, size_t row_length, size_t stride)
      : size_(rows == 0 ? 0 : (rows - 1) * stride + row_length),
        buffer_(size_ + 2 * kGuard, kSentinel),
        expected_(buffer_) {}
  uint32_t* data() { return buffer_.data() + kGuard; }
  uint32_t& expect(size_t i) { return expected_[kGuard + i]; }
  // Every element, guards and gaps included, equals the expectation.
  void check(const std::string& what) const {
    for (size_t i = 0; i < buffer_.size(); i++) {
      if (buffer_[i] != expected_[i]) {
        const long offset = static_cast<long>(i) - static_cast<long>(kGuard);
        FAIL() << what << ": element " << offset << " of " << size_ << " is 0x" << std::hex
               << buffer_[i] << ", expected 0x" << expected_[i]
               << (offset < 0 || offset >= static_cast<long>(size_) ? " (guard region)" : "");
      }
    }
  }

 private:
  size_t size_;
  std::vector<uint32_t> buffer_;
  std::vector<uint32_t> expected_;
};

struct Line {
  uint32_t arch;
  const char* name;
  size_t tile;
  pnn_x32_transpose_ukernel_fn transpose;
  pnn_x32_copy_ukernel_fn copy;
  pnn_x32_fill_ukernel_fn fill;
  pnn_x32_pad_ukernel_fn pad;
};

std::vector<Line> lines() {
  std::vector<Line> v;
#define PNN_X32_TRANSPOSE(arch, fn, tile) \
  v.push_back({arch, #fn, tile, fn, nullptr, nullptr, nullptr});
#include "x32-transpose.inc"
#undef PNN_X32_TRANSPOSE
#define PNN_X32_COPY(arch, fn, tile) v.push_back({arch, #fn, tile, nullptr, fn, nullptr, nullptr});
#include "x32-copy.inc"
#undef PNN_X32_COPY
#define PNN_X32_FILL(arch, fn, tile) v.push_back({arch, #fn, tile, nullptr, nullptr, fn, nullptr});
#include "x32-fill.inc"
#undef PNN_X32_FILL
#define PNN_X32_PAD(arch, fn, tile) v.push_back({arch, #fn, tile, nullptr, nullptr, nullptr, fn});
#include "x32-pad.inc"
#undef PNN_X32_PAD
  return v;
}

std::string scenario(const char* what, size_t rows, size_t cols, size_t x_stride, size_t y_stride) {
  return std::string(what) + " rows=" + std::to_string(rows) + " cols=" + std::to_string(cols) +
         " x_stride=" + std::to_string(x_stride) + " y_stride=" + std::to_string(y_stride);
}

// The kernel left its input as it was (fill has none: an empty, possibly null, buffer).
bool unchanged(const std::vector<uint32_t>& copy, const uint32_t* x, size_t n) {
  return n == 0 || std::memcmp(copy.data(), x, n * sizeof(uint32_t)) == 0;
}

// y[j][i] = x[i][j].
void test_transpose(const Line& l, size_t rows, size_t cols, size_t x_pad, size_t y_pad,
                    std::mt19937& rng) {
  const size_t x_stride = cols + x_pad, y_stride = rows + y_pad;
  TailGuardedInput x((rows - 1) * x_stride + cols);
  fill_random(x.data(), x.size(), rng);
  const std::vector<uint32_t> x_copy(x.data(), x.data() + x.size());
  GuardedOutput y(cols, rows, y_stride);
  for (size_t i = 0; i < rows; i++) {
    for (size_t j = 0; j < cols; j++) y.expect(j * y_stride + i) = x.data()[i * x_stride + j];
  }
  l.transpose(rows, cols, x.data(), x_stride, y.data(), y_stride);
  const std::string what = scenario(l.name, rows, cols, x_stride, y_stride);
  y.check(what);
  EXPECT_TRUE(unchanged(x_copy, x.data(), x.size())) << what;
}

// Row r of y: left values, row r of x (cols), right values. Copy: left = right = 0; fill: only
// left (as cols of the fill).
void test_pad(const Line& l, size_t rows, size_t left, size_t cols, size_t right, size_t x_pad,
              size_t y_pad, std::mt19937& rng) {
  const size_t x_stride = cols + x_pad, width = left + cols + right, y_stride = width + y_pad;
  TailGuardedInput x(rows == 0 || cols == 0 ? 0 : (rows - 1) * x_stride + cols);
  fill_random(x.data(), x.size(), rng);
  const std::vector<uint32_t> x_copy(x.data(), x.data() + x.size());
  const uint32_t value = static_cast<uint32_t>(rng()) | 0x7F800001u;  // a NaN pattern
  GuardedOutput y(rows, width, y_stride);
  for (size_t r = 0; r < rows; r++) {
    for (size_t j = 0; j < width; j++) {
      y.expect(r * y_stride + j) =
          j < left || j >= left + cols ? value : x.data()[r * x_stride + j - left];
    }
  }
  if (l.pad != nullptr) {
    l.pad(rows, left, cols, right, x.data(), x_stride, value, y.data(), y_stride);
  } else if (l.copy != nullptr) {
    l.copy(rows, cols, x.data(), x_stride, y.data(), y_stride);
  } else {
    l.fill(rows, left, value, y.data(), y_stride);
  }
  const std::string what = scenario(l.name, rows, width, x_stride, y_stride) +
                           " left=" + std::to_string(left) + " right=" + std::to_string(right);
  y.check(what);
  EXPECT_TRUE(unchanged(x_copy, x.data(), x.size())) << what;
}

class X32Kernel : public testing::TestWithParam<Line> {};

TEST_P(X32Kernel, MatchesDefinition) {
  const Line& l = GetParam();
  if (!pnn::arch_usable(l.arch)) {
    GTEST_SKIP() << l.name << ": its ISA level is not usable here (CPU or PORTNN_ISA)";
  }
  std::mt19937 rng(20261203);
  const size_t t = l.tile;
  // Sizes around the tile: below it, at it, main loop plus every kind of remainder.
  const size_t sizes[] = {1, 2, 3, t - 1 > 0 ? t - 1 : 1, t, t + 1, 2 * t + 3, 4 * t + 5};
  if (l.transpose != nullptr) {
    for (size_t rows : {size_t{1}, size_t{2}, size_t{3}, size_t{4}, size_t{5}, size_t{6},
                        size_t{7}, size_t{8}, size_t{17}}) {
      for (size_t cols : sizes) {
        test_transpose(l, rows, cols, 0, 0, rng);  // dense
        test_transpose(l, rows, cols, 3, 7, rng);  // prime gaps between rows
      }
    }
    return;
  }
  for (size_t rows : {size_t{1}, size_t{2}, size_t{5}}) {
    for (size_t cols : sizes) {
      if (l.fill != nullptr) {
        test_pad(l, rows, cols, 0, 0, 0, 0, rng);
        test_pad(l, rows, cols, 0, 0, 0, 5, rng);
        continue;
      }
      test_pad(l, rows, 0, cols, 0, 0, 0, rng);
      test_pad(l, rows, 0, cols, 0, 3, 7, rng);
      if (l.pad != nullptr) {
        for (size_t left : {size_t{0}, size_t{1}, t + 3}) {
          for (size_t right : {size_t{0}, size_t{2}, t - 1 > 0 ? t - 1 : 1}) {
            test_pad(l, rows, left, cols, right, 3, 2, rng);
          }
        }
        test_pad(l, rows, 2, 0, 3, 1, 1, rng);  // no copied columns
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(X32, X32Kernel, testing::ValuesIn(lines()),
                         [](const testing::TestParamInfo<Line>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
