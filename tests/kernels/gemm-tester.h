// GEMM / IGEMM microkernel tester (kernels/f32-gemm.inc; contract in kernels/ukernels.h).
//
// GemmTester builds random A rows and weights, packs the weights with pnn::pack_gemm (the
// packing the operators use), runs one kernel call over an m x n block (m <= MR) and compares it
// with a double reference held to tests/reference/gemm-reference.h's tolerance. Every buffer is
// an exact pnn_test::ExactBuffer (tests/kernels/kernel-test.h): A ends with its last row's k-th
// float, the packed weights with their last tile, C with the block's last element, so a kernel
// that reads or writes past any of them fails. Elements of A past kc (the a_stride gaps) hold NaN
// and must never reach the output; nothing in C outside the block may change.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "kernels/kernel-test.h"
#include "kernels/registries.h"
#include "packing.h"
#include "reference/gemm-reference.h"
#include "test-utils.h"
#include "ukernels.h"

namespace pnn_test {

inline size_t NextPrime(size_t n) {
  for (;; n++) {
    bool prime = n >= 2;
    for (size_t d = 2; d * d <= n && prime; d++) prime = n % d != 0;
    if (prime) return n;
  }
}

class GemmTester {
 public:
  static constexpr size_t kNone = std::numeric_limits<size_t>::max();

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
    const float nan = std::numeric_limits<float>::quiet_NaN();

    // Weights W[n][kc] (or W[kc][n]) and bias, packed once into an exact buffer.
    const std::vector<float> w = RandomVector(n_ * kc, seed_);
    const std::vector<float> bias = RandomVector(n_, seed_ + 1);
    ExactBuffer packed(pnn::packed_gemm_size(n_, kc, nr));
    ASSERT_TRUE(packed.ok());
    pnn::pack_gemm(n_, kc, nr, w.data(), bias.data(), transposed_, packed.data());
    auto weight = [&](size_t j, size_t r) { return transposed_ ? w[r * n_ + j] : w[j * kc + r]; };

    // A: ks * m rows of k floats at a_stride (row p*m + i is tap p of output row i), preceded by
    // a_offset floats so that the IGEMM pointers (row - a_offset) stay inside the buffer; the
    // last row ends the buffer. The a_stride gaps hold NaN.
    const size_t rows = ks_ * m_;
    ExactBuffer a_storage(a_offset_ + (rows - 1) * a_stride + k_);
    ASSERT_TRUE(a_storage.ok());
    a_storage.fill(nan);
    float* a = a_storage.data() + a_offset_;
    const std::vector<float> a_values = RandomVector(rows * k_, seed_ + 2);
    for (size_t r = 0; r < rows; r++) std::copy_n(&a_values[r * k_], k_, a + r * a_stride);
    ExactBuffer zero(k_);
    zero.fill(0.0f);
    // Rows MR > m of the indirection point at a NaN row: it must not leak into rows < m.
    ExactBuffer nan_row(a_offset_ + k_);
    nan_row.fill(nan);
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

    ExactBuffer c((m_ - 1) * cm + row_extent);
    const std::string where = Describe(mr, nr, a_stride, cm, cn);
    if (gemm != nullptr) {
      PNN_ASSERT_IN_BOUNDS(gemm(m_, n_, k_, a, a_stride, packed.data(), c.data(), cm, cn, &params))
          << "; " << where;
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
      PNN_ASSERT_IN_BOUNDS(igemm(m_, n_, k_, ks_, indirection.data(), packed.data(), c.data(), cm,
                                 cn, a_offset_, zero.data(), &params))
          << "; " << where;
    }

    // Every element of the C buffer is either in the block (and correct) or untouched.
    if (!c.CheckGuards() || !a_storage.CheckGuards() || !packed.CheckGuards()) {
      ADD_FAILURE() << "write outside a buffer (a canary changed); " << where;
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

}  // namespace pnn_test
