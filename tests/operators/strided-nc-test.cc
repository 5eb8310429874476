// Row strides of the NC operators (pnn_reshape_<op>_strided): fully connected, unary, softmax and
// global average pooling reading and writing rows of larger buffers. For odd strides, strided
// runs must
//  - compute what the dense operator computes on the same rows, bit for bit (the same kernels
//    run in the same order; only the addresses differ), and match the double references of
//    tests/reference/ within their tolerances (softmax and global average pooling: their dense
//    runs are reference-checked in softmax-test and pooling-test; pooling-reference.h and
//    gemm-reference.h cannot share a file);
//  - leave every element between and around the rows untouched (guard values in the gaps);
//  - give the same bits with 1 and 2 threads;
//  - for unary and softmax, run in place with equal strides.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "reference/gemm-reference.h"
#include "reference/unary-reference.h"
#include "test-utils.h"

namespace {

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

PNN_TEST_INIT_LIBRARY();

// `rows` rows of `len` floats placed `stride` apart, inside a guarded buffer; every element
// outside the rows (the gaps between rows and the guards around) holds the sentinel.
class StridedRows {
 public:
  StridedRows(size_t rows, size_t len, size_t stride)
      : rows_(rows), len_(len), stride_(stride), buf_((rows - 1) * stride + len) {}
  float* data() { return buf_.data(); }
  size_t stride() const { return stride_; }
  float& at(size_t r, size_t i) { return buf_[r * stride_ + i]; }
  // Writes dense rows into place.
  void Fill(const std::vector<float>& dense) {
    for (size_t r = 0; r < rows_; r++) std::memcpy(&at(r, 0), &dense[r * len_], len_ * 4);
  }
  std::vector<float> Dense() {
    std::vector<float> d(rows_ * len_);
    for (size_t r = 0; r < rows_; r++) std::memcpy(&d[r * len_], &at(r, 0), len_ * 4);
    return d;
  }
  // True when no element outside the rows changed.
  bool GapsUntouched() const {
    if (!buf_.CheckGuards()) return false;
    for (size_t r = 0; r + 1 < rows_; r++) {
      for (size_t i = len_; i < stride_; i++) {
        if (!GuardedBuffer::IsSentinel(buf_[r * stride_ + i])) return false;
      }
    }
    return true;
  }

 private:
  size_t rows_, len_, stride_;
  GuardedBuffer buf_;
};

bool SameBits(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * 4) == 0;
}

struct Pool {
  Pool() { EXPECT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success); }
  ~Pool() { pnn_threadpool_destroy(pool); }
  pnn_threadpool_t pool = nullptr;
};

// Shapes: rows, row length, input stride, output stride (odd and prime gaps).
struct Case {
  size_t rows, len, in_stride, out_stride;
};
const std::vector<Case> kCases = {
    {1, 5, 5, 7},          {3, 17, 19, 23},   {7, 64, 67, 65}, {33, 100, 101, 131},
    {2, 1000, 1003, 1001}, {300, 40, 41, 43}, {5, 3, 3, 3},    {4, 9, 13, 9},
};

// ---------------------------------------------------------------------------------------------
// Unary: dense reference, strided run (1 and 2 threads), in place.

// Runs `op` strided on x (dense rows) and returns the output rows; checks the gaps.
std::vector<float> RunUnaryStrided(pnn_operator_t op, const Case& c, const std::vector<float>& x,
                                   pnn_threadpool_t pool) {
  StridedRows in(c.rows, c.len, c.in_stride), out(c.rows, c.len, c.out_stride);
  in.Fill(x);
  EXPECT_EQ(pnn_reshape_unary_elementwise_nc_f32_strided(op, c.rows, c.len, c.in_stride,
                                                         c.out_stride, pool),
            pnn_status_success);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, in.data(), out.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(out.GapsUntouched()) << c.rows << "x" << c.len;
  EXPECT_TRUE(SameBits(in.Dense(), x)) << "the input was written";
  return out.Dense();
}

TEST(StridedUnary, MatchesDenseAndReference) {
  Pool pool;
  const pnn_unary_op ops[] = {pnn_unary_sigmoid, pnn_unary_tanh, pnn_unary_hardswish,
                              pnn_unary_square, pnn_unary_gelu};
  for (pnn_unary_op type : ops) {
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(type, nullptr, 0, &op), pnn_status_success);
    std::vector<Case> cases = kCases;
    cases.push_back({3, 40000, 40003, 40001});  // long rows: column tiles across threads
    cases.push_back({3000, 40, 41, 43});        // many short rows: row tiles across threads
    for (const Case& c : cases) {
      SCOPED_TRACE(std::to_string(type) + ": " + std::to_string(c.rows) + "x" +
                   std::to_string(c.len) + " strides " + std::to_string(c.in_stride) + "/" +
                   std::to_string(c.out_stride));
      const std::vector<float> x = RandomVector(c.rows * c.len, 3 + c.len, -5.0f, 5.0f);
      // Dense run of the same operator.
      std::vector<float> dense(x.size());
      ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, c.rows, c.len, nullptr),
                pnn_status_success);
      ASSERT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), dense.data()), pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);

      const std::vector<float> y1 = RunUnaryStrided(op, c, x, nullptr);
      const std::vector<float> y2 = RunUnaryStrided(op, c, x, pool.pool);
      EXPECT_TRUE(SameBits(y1, dense)) << "strided differs from dense";
      EXPECT_TRUE(SameBits(y1, y2)) << "1 and 2 threads differ";
      const pnn_ref::ErrorBound bound = pnn_ref::unary_error_bound(type);
      size_t bad = 0;
      for (size_t i = 0; i < x.size(); i++) {
        if (!pnn_ref::within_bound(y1[i], pnn_ref::unary(type, x[i], {}), bound) && bad++ < 5) {
          ADD_FAILURE() << "x=" << x[i] << " y=" << y1[i];
        }
      }
      // In place with equal strides.
      StridedRows io(c.rows, c.len, c.in_stride);
      io.Fill(x);
      ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32_strided(op, c.rows, c.len, c.in_stride,
                                                             c.in_stride, pool.pool),
                pnn_status_success);
      ASSERT_EQ(pnn_setup_unary_elementwise_nc_f32(op, io.data(), io.data()), pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, pool.pool), pnn_status_success);
      EXPECT_TRUE(SameBits(io.Dense(), dense)) << "in place differs";
      EXPECT_TRUE(io.GapsUntouched());
    }
    pnn_delete_operator(op);
  }
}

// ---------------------------------------------------------------------------------------------
// Softmax.

std::vector<float> RunSoftmaxStrided(pnn_operator_t op, const Case& c, const std::vector<float>& x,
                                     pnn_threadpool_t pool) {
  StridedRows in(c.rows, c.len, c.in_stride), out(c.rows, c.len, c.out_stride);
  in.Fill(x);
  EXPECT_EQ(pnn_reshape_softmax_nc_f32_strided(op, c.rows, c.in_stride, c.out_stride, pool),
            pnn_status_success);
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, in.data(), out.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(out.GapsUntouched());
  EXPECT_TRUE(SameBits(in.Dense(), x)) << "the input was written";
  return out.Dense();
}

TEST(StridedSoftmax, MatchesDense) {
  Pool pool;
  for (const Case& c : kCases) {
    SCOPED_TRACE(std::to_string(c.rows) + "x" + std::to_string(c.len) + " strides " +
                 std::to_string(c.in_stride) + "/" + std::to_string(c.out_stride));
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_softmax_nc_f32(c.len, 0, &op), pnn_status_success);
    const std::vector<float> x = RandomVector(c.rows * c.len, 7 + c.len, -8.0f, 8.0f);
    std::vector<float> dense(x.size());
    ASSERT_EQ(pnn_reshape_softmax_nc_f32(op, c.rows, nullptr), pnn_status_success);
    ASSERT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), dense.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    const std::vector<float> y1 = RunSoftmaxStrided(op, c, x, nullptr);
    const std::vector<float> y2 = RunSoftmaxStrided(op, c, x, pool.pool);
    EXPECT_TRUE(SameBits(y1, dense)) << "strided differs from dense";
    EXPECT_TRUE(SameBits(y1, y2)) << "1 and 2 threads differ";
    // Each row sums to 1 (a cheap check that the right elements were read).
    for (size_t r = 0; r < c.rows; r++) {
      double sum = 0;
      for (size_t i = 0; i < c.len; i++) sum += y1[r * c.len + i];
      EXPECT_NEAR(sum, 1.0, 1e-5 * (1 + std::log2(double(c.len)))) << "row " << r;
    }
    StridedRows io(c.rows, c.len, c.out_stride);
    io.Fill(x);
    ASSERT_EQ(pnn_reshape_softmax_nc_f32_strided(op, c.rows, c.out_stride, c.out_stride, nullptr),
              pnn_status_success);
    ASSERT_EQ(pnn_setup_softmax_nc_f32(op, io.data(), io.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    EXPECT_TRUE(SameBits(io.Dense(), dense)) << "in place differs";
    EXPECT_TRUE(io.GapsUntouched());
    pnn_delete_operator(op);
  }
}

// ---------------------------------------------------------------------------------------------
// Fully connected: input rows of `len` (input_channels), output rows of oc.

TEST(StridedFullyConnected, MatchesDenseAndReference) {
  Pool pool;
  for (const Case& c : kCases) {
    for (size_t oc : {size_t{1}, size_t{7}, size_t{33}}) {
      SCOPED_TRACE(std::to_string(c.rows) + "x" + std::to_string(c.len) + " -> " +
                   std::to_string(oc) + ", strides " + std::to_string(c.in_stride) + "/" +
                   std::to_string(oc + c.out_stride - c.len));
      const size_t out_stride = oc + (c.out_stride - c.len);  // the case's gap, after oc
      const std::vector<float> w = RandomVector(oc * c.len, 11 + oc);
      const std::vector<float> bias = RandomVector(oc, 12 + oc);
      const std::vector<float> x = RandomVector(c.rows * c.len, 13 + c.len);
      pnn_operator_t op = nullptr;
      ASSERT_EQ(pnn_create_fully_connected_nc_f32(c.len, oc, w.data(), bias.data(), -INFINITY,
                                                  INFINITY, 0, &op),
                pnn_status_success);
      std::vector<float> dense(c.rows * oc);
      ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, c.rows, nullptr), pnn_status_success);
      ASSERT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), dense.data()), pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);

      std::vector<float> results[2];
      pnn_threadpool_t pools[2] = {nullptr, pool.pool};
      for (int t = 0; t < 2; t++) {
        StridedRows in(c.rows, c.len, c.in_stride), out(c.rows, oc, out_stride);
        in.Fill(x);
        ASSERT_EQ(pnn_reshape_fully_connected_nc_f32_strided(op, c.rows, c.in_stride, out_stride,
                                                             pools[t]),
                  pnn_status_success);
        ASSERT_EQ(pnn_setup_fully_connected_nc_f32(op, in.data(), out.data()), pnn_status_success);
        ASSERT_EQ(pnn_run_operator(op, pools[t]), pnn_status_success);
        EXPECT_TRUE(out.GapsUntouched());
        results[t] = out.Dense();
      }
      EXPECT_TRUE(SameBits(results[0], dense)) << "strided differs from dense";
      EXPECT_TRUE(SameBits(results[0], results[1])) << "1 and 2 threads differ";
      const pnn_ref::GemmReference ref = pnn_ref::fully_connected(
          c.rows, c.len, oc, x.data(), w.data(), bias.data(), false, -INFINITY, INFINITY);
      for (size_t i = 0; i < ref.value.size(); i++) {
        ASSERT_NEAR(results[0][i], ref.value[i], pnn_ref::gemm_tolerance(ref.magnitude[i])) << i;
      }
      pnn_delete_operator(op);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Global average pooling: batch images of `width` pixels (rows of `len` channels, `in_stride`
// apart); output rows `out_stride` apart.

TEST(StridedGlobalAveragePooling, MatchesDense) {
  Pool pool;
  for (const Case& c : kCases) {
    for (size_t width : {size_t{1}, size_t{5}, size_t{49}}) {
      SCOPED_TRACE(std::to_string(c.rows) + " x " + std::to_string(width) + " x " +
                   std::to_string(c.len) + ", strides " + std::to_string(c.in_stride) + "/" +
                   std::to_string(c.out_stride));
      const size_t pixels = c.rows * width;
      const std::vector<float> x = RandomVector(pixels * c.len, 17 + width);
      pnn_operator_t op = nullptr;
      ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(c.len, -INFINITY, INFINITY, 0, &op),
                pnn_status_success);
      std::vector<float> dense(c.rows * c.len);
      ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, c.rows, width, nullptr),
                pnn_status_success);
      ASSERT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, x.data(), dense.data()),
                pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);

      std::vector<float> results[2];
      pnn_threadpool_t pools[2] = {nullptr, pool.pool};
      for (int t = 0; t < 2; t++) {
        StridedRows in(pixels, c.len, c.in_stride), out(c.rows, c.len, c.out_stride);
        in.Fill(x);
        ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32_strided(op, c.rows, width, c.in_stride,
                                                                     c.out_stride, pools[t]),
                  pnn_status_success);
        ASSERT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, in.data(), out.data()),
                  pnn_status_success);
        ASSERT_EQ(pnn_run_operator(op, pools[t]), pnn_status_success);
        EXPECT_TRUE(out.GapsUntouched());
        results[t] = out.Dense();
      }
      EXPECT_TRUE(SameBits(results[0], dense)) << "strided differs from dense";
      EXPECT_TRUE(SameBits(results[0], results[1])) << "1 and 2 threads differ";
      pnn_delete_operator(op);
    }
  }
}

// A dense strided call (strides == row length) is the plain reshape: same bits.
TEST(StridedUnary, DenseStridesAreThePlainReshape) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_unary_elementwise_nc_f32(pnn_unary_sigmoid, nullptr, 0, &op),
            pnn_status_success);
  const std::vector<float> x = RandomVector(3 * 50000, 21, -6.0f, 6.0f);
  std::vector<float> a(x.size()), b(x.size());
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, 3, 50000, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), a.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32_strided(op, 3, 50000, 50000, 50000, nullptr),
            pnn_status_success);
  ASSERT_EQ(pnn_setup_unary_elementwise_nc_f32(op, x.data(), b.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_TRUE(SameBits(a, b));
  pnn_delete_operator(op);
}

}  // namespace
