// GEMM / IGEMM microkernel tester, run over every entry of kernels/f32-gemm.inc.
//
// The tester builds random A rows and weights, packs the weights with pnn::pack_gemm (the same
// packing the operators use), runs one kernel call over an m x n block (m <= MR) and compares
// against a double reference with the tolerance of tests/reference/gemm-reference.h. It also
// checks that nothing outside the m x n block (as laid out by cm_stride / cn_stride) was written,
// and that elements of A past kc (the a_stride gap) never reach the output: they hold NaN.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "allocator.h"
#include "configs/configs.h"
#include "hardware-config.h"
#include "packing.h"
#include "reference/gemm-reference.h"
#include "test-utils.h"
#include "ukernels.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

struct Init {
  Init() { pnn_test::InitLibrary(); }
} init;

constexpr size_t kNone = std::numeric_limits<size_t>::max();
// Floats of slack after every input buffer: SIMD kernels may load (not use) a little past the
// end of a row, as XNNPACK-style kernels do.
constexpr size_t kSlack = 16;

size_t NextPrime(size_t n) {
  for (;; n++) {
    bool prime = n >= 2;
    for (size_t d = 2; d * d <= n && prime; d++) prime = n % d != 0;
    if (prime) return n;
  }
}

class GemmTester {
 public:
  // One line per builder setter reads best.
  // clang-format off
  GemmTester& m(size_t v) { m_ = v; return *this; }
  GemmTester& n(size_t v) { n_ = v; return *this; }
  GemmTester& k(size_t v) { k_ = v; return *this; }
  // IGEMM only: kernel taps (groups of MR row pointers).
  GemmTester& ks(size_t v) { ks_ = v; return *this; }
  // 0: dense (k).
  GemmTester& a_stride(size_t v) { a_stride_ = v; return *this; }
  // 0: dense (the smallest stride that holds a row of the block).
  GemmTester& cm_stride(size_t v) { cm_stride_ = v; return *this; }
  // 0: NR (contiguous blocks).
  GemmTester& cn_stride(size_t v) { cn_stride_ = v; return *this; }
  // Clamp to [lo + range/4, hi - range/4] of the unclamped reference, so both bounds bite.
  GemmTester& clamp(bool v) { clamp_ = v; return *this; }
  // Pack from W[k][n] instead of W[n][k].
  GemmTester& transposed_weights(bool v) { transposed_ = v; return *this; }
  // IGEMM only: elements added to every non-zero row pointer.
  GemmTester& a_offset(size_t v) { a_offset_ = v; return *this; }
  // IGEMM only: row whose pointers (in every tap) are the zero row; kNone for none.
  GemmTester& zero_index(size_t v) { zero_index_ = v; return *this; }
  GemmTester& seed(uint32_t v) { seed_ = v; return *this; }
  // clang-format on

  void Test(pnn_f32_gemm_ukernel_fn fn, size_t mr, size_t nr) const {
    ASSERT_EQ(ks_, 1u) << "GEMM kernels take one tap";
    Run(fn, nullptr, mr, nr);
  }
  void Test(pnn_f32_igemm_ukernel_fn fn, size_t mr, size_t nr) const { Run(nullptr, fn, mr, nr); }

 private:
  void Run(pnn_f32_gemm_ukernel_fn gemm, pnn_f32_igemm_ukernel_fn igemm, size_t mr,
           size_t nr) const {
    ASSERT_TRUE(m_ >= 1 && m_ <= mr && n_ >= 1 && k_ >= 1 && ks_ >= 1);
    const size_t a_stride = a_stride_ != 0 ? a_stride_ : k_;
    const size_t cn = cn_stride_ != 0 ? cn_stride_ : nr;
    ASSERT_GE(a_stride, k_);
    ASSERT_GE(cn, nr);
    const size_t blocks = (n_ + nr - 1) / nr;
    const size_t row_extent = (blocks - 1) * cn + (n_ - (blocks - 1) * nr);
    const size_t cm = cm_stride_ != 0 ? cm_stride_ : row_extent;
    ASSERT_GE(cm, row_extent);
    const size_t kc = ks_ * k_;  // reduction length seen by the packed weights

    // Weights W[n][kc] (or W[kc][n]) and bias, packed once.
    const std::vector<float> w = RandomVector(n_ * kc, seed_);
    const std::vector<float> bias = RandomVector(n_, seed_ + 1);
    pnn::AlignedBuffer<float> packed;
    ASSERT_TRUE(packed.allocate(pnn::packed_gemm_size(n_, kc, nr), kSlack * sizeof(float)));
    pnn::pack_gemm(n_, kc, nr, w.data(), bias.data(), transposed_, packed.data());
    auto weight = [&](size_t j, size_t r) { return transposed_ ? w[r * n_ + j] : w[j * kc + r]; };

    // A: ks * m rows of k floats at a_stride (row p*m + i is tap p of output row i), preceded by
    // a_offset floats so that the IGEMM pointers (row - a_offset) stay inside the buffer. The
    // a_stride gaps hold NaN: a kernel that used them would poison its output.
    const size_t rows = ks_ * m_;
    std::vector<float> a_storage(a_offset_ + rows * a_stride + kSlack,
                                 std::numeric_limits<float>::quiet_NaN());
    float* a = a_storage.data() + a_offset_;
    const std::vector<float> a_values = RandomVector(rows * k_, seed_ + 2);
    for (size_t r = 0; r < rows; r++) std::copy_n(&a_values[r * k_], k_, a + r * a_stride);
    const std::vector<float> zero(k_ + kSlack, 0.0f);
    // Rows MR > m of the indirection point at NaN rows: they must not leak into rows < m.
    const std::vector<float> nan_row(a_offset_ + k_ + kSlack,
                                     std::numeric_limits<float>::quiet_NaN());
    auto is_zero_row = [&](size_t i) { return igemm != nullptr && i == zero_index_; };

    // Unclamped reference, then the clamp bounds from its range.
    std::vector<double> ref(m_ * n_), mag(m_ * n_);
    for (size_t i = 0; i < m_; i++) {
      for (size_t j = 0; j < n_; j++) {
        double acc = bias[j], sum = std::fabs(acc);
        for (size_t p = 0; p < ks_; p++) {
          if (is_zero_row(i)) continue;
          for (size_t kk = 0; kk < k_; kk++) {
            const double t = double(a[(p * m_ + i) * a_stride + kk]) * weight(j, p * k_ + kk);
            acc += t;
            sum += std::fabs(t);
          }
        }
        ref[i * n_ + j] = acc;
        mag[i * n_ + j] = sum;
      }
    }
    pnn_f32_minmax_params params{-INFINITY, INFINITY};
    if (clamp_) {
      const auto [lo, hi] = std::minmax_element(ref.begin(), ref.end());
      params.min = static_cast<float>(*lo + (*hi - *lo) / 4);
      params.max = static_cast<float>(*hi - (*hi - *lo) / 4);
    }
    for (double& r : ref) r = pnn_ref::clamp(r, params.min, params.max);

    GuardedBuffer c((m_ - 1) * cm + row_extent);
    if (gemm != nullptr) {
      gemm(m_, n_, k_, a, a_stride, packed.data(), c.data(), cm, cn, &params);
    } else {
      std::vector<const float*> indirection(ks_ * mr);
      for (size_t p = 0; p < ks_; p++) {
        for (size_t i = 0; i < mr; i++) {
          const float* row = i >= m_          ? nan_row.data()
                             : is_zero_row(i) ? zero.data()
                                              : a_storage.data() + (p * m_ + i) * a_stride;
          indirection[p * mr + i] = row;
        }
      }
      igemm(m_, n_, k_, ks_, indirection.data(), packed.data(), c.data(), cm, cn, a_offset_,
            zero.data(), &params);
    }

    // Every element of the C buffer is either in the block (and correct) or untouched.
    const std::string where = Describe(mr, nr, a_stride, cm, cn);
    if (!c.CheckGuards()) {
      ADD_FAILURE() << "write outside the block, past the C buffer; " << where;
      return;
    }
    std::vector<bool> in_block(c.size(), false);
    for (size_t i = 0; i < m_; i++) {
      for (size_t j = 0; j < n_; j++) {
        const size_t at = i * cm + j / nr * cn + j % nr;
        in_block[at] = true;
        const double tol = pnn_ref::gemm_tolerance(mag[i * n_ + j]);
        if (!(std::fabs(c[at] - ref[i * n_ + j]) <= tol)) {
          ADD_FAILURE() << "wrong value at row " << i << " column " << j << ": got " << c[at]
                        << ", expected " << ref[i * n_ + j] << " +- " << tol << "; " << where;
          return;
        }
      }
    }
    for (size_t at = 0; at < c.size(); at++) {
      if (!in_block[at] && !GuardedBuffer::IsSentinel(c[at])) {
        ADD_FAILURE() << "write outside the block at C offset " << at << "; " << where;
        return;
      }
    }
  }

  std::string Describe(size_t mr, size_t nr, size_t a_stride, size_t cm, size_t cn) const {
    char s[256];
    std::snprintf(s, sizeof s,
                  "MR=%zu NR=%zu m=%zu n=%zu k=%zu ks=%zu a_stride=%zu cm_stride=%zu "
                  "cn_stride=%zu clamp=%d transposed=%d a_offset=%zu zero_index=%lld",
                  mr, nr, m_, n_, k_, ks_, a_stride, cm, cn, int(clamp_), int(transposed_),
                  a_offset_, zero_index_ == kNone ? -1LL : static_cast<long long>(zero_index_));
    return s;
  }

  size_t m_ = 1, n_ = 1, k_ = 1, ks_ = 1;
  size_t a_stride_ = 0, cm_stride_ = 0, cn_stride_ = 0;
  bool clamp_ = false, transposed_ = false;
  size_t a_offset_ = 0, zero_index_ = kNone;
  uint32_t seed_ = 1;
};

// One registry line.
struct GemmEntry {
  uint32_t arch;
  pnn_f32_gemm_ukernel_fn gemm;
  pnn_f32_igemm_ukernel_fn igemm;
  size_t mr, nr;
  const char* gemm_name;
  const char* igemm_name;
};

const std::vector<GemmEntry>& AllEntries() {
  static const std::vector<GemmEntry> entries = {
#define PNN_GEMM(arch, gemm_fn, igemm_fn, mr_, nr_) \
  GemmEntry{arch, gemm_fn, igemm_fn, mr_, nr_, #gemm_fn, #igemm_fn},
#include "f32-gemm.inc"
#undef PNN_GEMM
  };
  return entries;
}

// The entries this binary and CPU can run; the others are skipped with a printed reason.
std::vector<GemmEntry> RunnableEntries() {
  const pnn::HardwareConfig* hw = pnn::get_hardware_config();
  std::vector<GemmEntry> out;
  for (const GemmEntry& e : AllEntries()) {
    if ((e.arch & hw->compiled & hw->cpu) == 0) {
      std::printf("skipping %s / %s: %s\n", e.gemm_name, e.igemm_name,
                  (e.arch & hw->compiled) == 0 ? "ISA not compiled in" : "CPU lacks its ISA");
      continue;
    }
    out.push_back(e);
  }
  EXPECT_FALSE(out.empty());
  return out;
}

constexpr size_t kKs[] = {1, 2, 3, 7, 16, 33};

// Runs `body(tester)` for m = 1..MR, n = 1..3*NR+1, k in kKs; stops at the first failure.
template <typename Body>
void Sweep(const GemmEntry& e, Body body) {
  for (size_t k : kKs) {
    for (size_t m = 1; m <= e.mr; m++) {
      for (size_t n = 1; n <= 3 * e.nr + 1; n++) {
        GemmTester t;
        t.m(m).n(n).k(k).seed(static_cast<uint32_t>(1000 * k + 37 * m + n));
        body(t, m, n, k);
        if (::testing::Test::HasFailure()) return;
      }
    }
  }
}

TEST(GemmKernels, SelectedKernelIsARunnableRegistryEntry) {
  const pnn::GemmConfig* config = pnn::get_gemm_config();
  ASSERT_NE(config->gemm, nullptr);
  bool found = false;
  for (const GemmEntry& e : RunnableEntries()) {
    found = found || (e.gemm == config->gemm && e.igemm == config->igemm && e.mr == config->mr &&
                      e.nr == config->nr);
  }
  EXPECT_TRUE(found) << config->gemm_name;
}

TEST(GemmKernels, GemmDenseAllShapes) {
  for (const GemmEntry& e : RunnableEntries()) {
    Sweep(e, [&](GemmTester& t, size_t, size_t, size_t) { t.Test(e.gemm, e.mr, e.nr); });
  }
}

TEST(GemmKernels, GemmPrimeStrides) {
  for (const GemmEntry& e : RunnableEntries()) {
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t k) {
      t.a_stride(NextPrime(k + 1)).cm_stride(NextPrime(n + 1)).Test(e.gemm, e.mr, e.nr);
    });
  }
}

TEST(GemmKernels, GemmClamped) {
  for (const GemmEntry& e : RunnableEntries()) {
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t k) {
      t.clamp(true).a_stride(NextPrime(k + 2)).cm_stride(NextPrime(n + 3)).Test(e.gemm, e.mr, e.nr);
    });
  }
}

TEST(GemmKernels, GemmCnStrideLargerThanNr) {
  for (const GemmEntry& e : RunnableEntries()) {
    const size_t cn = NextPrime(e.nr + 1);
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t) {
      const size_t extent = (n - 1) / e.nr * cn + e.nr;
      t.cn_stride(cn).cm_stride(NextPrime(extent + 1)).Test(e.gemm, e.mr, e.nr);
    });
  }
}

TEST(GemmKernels, GemmTransposedPacking) {
  for (const GemmEntry& e : RunnableEntries()) {
    Sweep(e, [&](GemmTester& t, size_t, size_t, size_t) {
      t.transposed_weights(true).Test(e.gemm, e.mr, e.nr);
    });
  }
}

TEST(GemmKernels, IgemmDenseAllShapes) {
  for (const GemmEntry& e : RunnableEntries()) {
    for (size_t ks : {1, 3}) {
      Sweep(e, [&](GemmTester& t, size_t, size_t, size_t) { t.ks(ks).Test(e.igemm, e.mr, e.nr); });
    }
  }
}

TEST(GemmKernels, IgemmPrimeStridesClamped) {
  for (const GemmEntry& e : RunnableEntries()) {
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t k) {
      t.ks(2).a_stride(NextPrime(k + 1)).cm_stride(NextPrime(n + 1)).clamp(true);
      t.Test(e.igemm, e.mr, e.nr);
    });
  }
}

TEST(GemmKernels, IgemmZeroRowsAndOffset) {
  for (const GemmEntry& e : RunnableEntries()) {
    Sweep(e, [&](GemmTester& t, size_t m, size_t, size_t k) {
      for (size_t zero = 0; zero < m; zero++) {
        GemmTester(t)
            .ks(3)
            .a_offset(37)
            .a_stride(NextPrime(k + 1))
            .zero_index(zero)
            .Test(e.igemm, e.mr, e.nr);
      }
    });
  }
}

TEST(GemmKernels, IgemmCnStrideLargerThanNr) {
  for (const GemmEntry& e : RunnableEntries()) {
    const size_t cn = NextPrime(e.nr + 1);
    Sweep(e, [&](GemmTester& t, size_t, size_t n, size_t) {
      const size_t extent = (n - 1) / e.nr * cn + e.nr;
      t.ks(2).cn_stride(cn).cm_stride(NextPrime(extent + 1)).Test(e.igemm, e.mr, e.nr);
    });
  }
}

// The tester itself must catch broken kernels: one writing one float past its block, one
// computing a wrong value. Both wrap the selected kernel.
void GemmWritingPastBlock(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride,
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,
                          const pnn_f32_minmax_params* params) {
  pnn::get_gemm_config()->gemm(mr, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
  c[nc] = 0.0f;  // row 0, one past the last column; inside the buffer since cm_stride > nc
}

void GemmOffByOne(size_t mr, size_t nc, size_t kc, const float* a, size_t a_stride, const float* w,
                  float* c, size_t cm_stride, size_t cn_stride,
                  const pnn_f32_minmax_params* params) {
  pnn::get_gemm_config()->gemm(mr, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, params);
  c[cm_stride * (mr - 1) + nc - 1] += 1e-2f;
}

void RunWritingPastBlock() {
  const size_t mr = pnn::get_gemm_config()->mr, nr = pnn::get_gemm_config()->nr;
  GemmTester().m(mr).n(nr + 1).k(5).cm_stride(nr + 4).Test(&GemmWritingPastBlock, mr, nr);
}

void RunOffByOne() {
  const size_t mr = pnn::get_gemm_config()->mr, nr = pnn::get_gemm_config()->nr;
  GemmTester().m(mr).n(nr + 1).k(5).Test(&GemmOffByOne, mr, nr);
}

TEST(GemmKernels, TesterCatchesBrokenKernels) {
  EXPECT_NONFATAL_FAILURE(RunWritingPastBlock(), "write outside the block");
  EXPECT_NONFATAL_FAILURE(RunOffByOne(), "wrong value");
}

}  // namespace
