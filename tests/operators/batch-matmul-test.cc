// Batch matmul operator: results against the double reference of
// tests/reference/gemm-reference.h (tolerance derived there) over broadcast batch shapes and
// all four transpose combinations, thread-count independence, create-once/run-many, and every
// error status of the three entry points.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "configs/configs.h"
#include "reference/gemm-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

constexpr uint32_t kTransposeFlags[] = {0, PNN_FLAG_TRANSPOSE_A, PNN_FLAG_TRANSPOSE_B,
                                        PNN_FLAG_TRANSPOSE_A | PNN_FLAG_TRANSPOSE_B};

// One problem: batch shapes of A and B plus m, k, n.
struct Problem {
  std::vector<size_t> dims_a, dims_b;
  size_t m = 1, k = 1, n = 1;

  size_t batch(const std::vector<size_t>& dims) const {
    size_t p = 1;
    for (size_t d : dims) p *= d;
    return p;
  }
  size_t size_a() const { return batch(dims_a) * m * k; }
  size_t size_b() const { return batch(dims_b) * k * n; }
  std::vector<size_t> dims_out() const {
    std::vector<size_t> d(dims_a.size());
    for (size_t i = 0; i < d.size(); i++) d[i] = std::max(dims_a[i], dims_b[i]);
    return d;
  }
  size_t size_out() const { return batch(dims_out()) * m * n; }
  std::string str(uint32_t flags) const {
    std::string s = "A[";
    for (size_t d : dims_a) s += std::to_string(d) + ",";
    s += "] B[";
    for (size_t d : dims_b) s += std::to_string(d) + ",";
    s += "] m=" + std::to_string(m) + " k=" + std::to_string(k) + " n=" + std::to_string(n);
    s += (flags & PNN_FLAG_TRANSPOSE_A) ? " A^T" : "";
    s += (flags & PNN_FLAG_TRANSPOSE_B) ? " B^T" : "";
    return s;
  }
};

// Reshape, setup and run; returns the output (guards and reported batch dims checked).
std::vector<float> RunBmm(pnn_operator_t op, const Problem& p, const std::vector<float>& a,
                          const std::vector<float>& b, pnn_threadpool_t pool) {
  GuardedBuffer y(p.size_out());
  size_t reported[PNN_MAX_DIMS + 1];
  std::fill(std::begin(reported), std::end(reported), size_t(12345));
  EXPECT_EQ(pnn_reshape_batch_matmul_f32(op, p.dims_a.size(), p.dims_a.data(), p.dims_b.data(), p.m,
                                         p.k, p.n, reported, pool),
            pnn_status_success);
  const std::vector<size_t> expect = p.dims_out();
  EXPECT_EQ(std::vector<size_t>(reported, reported + expect.size()), expect);
  EXPECT_EQ(reported[expect.size()], 12345u) << "wrote past num_batch_dims";
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), b.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

void ExpectMatchesReference(const Problem& p, uint32_t flags, const std::vector<float>& a,
                            const std::vector<float>& b, const std::vector<float>& y) {
  const pnn_ref::GemmReference ref = pnn_ref::batch_matmul(
      p.dims_a.size(), p.dims_a.data(), p.dims_b.data(), p.m, p.k, p.n, a.data(), b.data(),
      (flags & PNN_FLAG_TRANSPOSE_A) != 0, (flags & PNN_FLAG_TRANSPOSE_B) != 0);
  ASSERT_EQ(ref.value.size(), y.size());
  for (size_t i = 0; i < y.size(); i++) {
    const double tol = pnn_ref::gemm_tolerance(ref.magnitude[i]);
    if (!(std::fabs(y[i] - ref.value[i]) <= tol)) {
      ADD_FAILURE() << p.str(flags) << ": y[" << i << "] = " << y[i] << ", expected "
                    << ref.value[i] << " +- " << tol;
      return;
    }
  }
}

void CheckProblem(const Problem& p, uint32_t flags, uint32_t seed,
                  pnn_threadpool_t pool = nullptr) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_batch_matmul_f32(flags, &op), pnn_status_success);
  const std::vector<float> a = RandomVector(p.size_a(), seed);
  const std::vector<float> b = RandomVector(p.size_b(), seed + 1);
  ExpectMatchesReference(p, flags, a, b, RunBmm(op, p, a, b, pool));
  pnn_delete_operator(op);
}

Problem Make(std::vector<size_t> da, std::vector<size_t> db, size_t m, size_t k, size_t n) {
  Problem p;
  p.dims_a = std::move(da);
  p.dims_b = std::move(db);
  p.m = m;
  p.k = k;
  p.n = n;
  return p;
}

TEST(BatchMatmul, BroadcastShapesAllTransposes) {
  const Problem problems[] = {
      Make({}, {}, 7, 5, 9),                                  // 0 batch dims: a plain matmul
      Make({2, 1, 3}, {1, 4, 1}, 3, 7, 5),                    // both sides broadcast
      Make({1}, {5}, 4, 3, 6),                                // A shared by every B batch
      Make({3}, {1}, 5, 11, 2),                               // B shared by every A batch
      Make({2, 3}, {2, 3}, 2, 4, 13),                         // no broadcasting
      Make({1, 1}, {1, 1}, 9, 1, 1),                          // k = 1, n = 1
      Make({2, 1, 1, 1, 1, 2}, {1, 2, 1, 1, 3, 1}, 1, 6, 3),  // PNN_MAX_DIMS dims
  };
  uint32_t seed = 1;
  for (const Problem& p : problems) {
    for (uint32_t flags : kTransposeFlags) CheckProblem(p, flags, seed++);
  }
}

TEST(BatchMatmul, RandomShapesMatchReference) {
  std::mt19937 rng(77);
  for (int t = 0; t < 40; t++) {
    Problem p;
    const size_t dims = rng() % 4;
    for (size_t d = 0; d < dims; d++) {
      const size_t extent = 1 + rng() % 3;
      const unsigned which = rng() % 4;  // broadcast on A, on B, or neither
      p.dims_a.push_back(which == 0 ? 1 : extent);
      p.dims_b.push_back(which == 1 ? 1 : extent);
    }
    p.m = 1 + rng() % 19;
    p.k = 1 + rng() % 40;
    p.n = 1 + rng() % 23;
    CheckProblem(p, kTransposeFlags[t % 4], 500 + t);
  }
}

TEST(BatchMatmul, SingleRowWideOutput) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  for (uint32_t flags : kTransposeFlags) CheckProblem(Make({}, {}, 1, 64, 1000), flags, 3, pool);
  pnn_threadpool_destroy(pool);
}

TEST(BatchMatmul, LongReduction) {
  for (uint32_t flags : kTransposeFlags) CheckProblem(Make({2}, {2}, 5, 301, 7), flags, 9);
}

TEST(BatchMatmul, OneAndTwoThreadsBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const Problem problems[] = {
      Make({}, {}, 1, 64, 1000),
      Make({3, 1}, {1, 2}, 17, 33, 29),
      Make({8}, {8}, 65, 16, 31),
      Make({1}, {4}, 3, 100, 5),
  };
  for (const Problem& p : problems) {
    for (uint32_t flags : kTransposeFlags) {
      pnn_operator_t op = nullptr;
      ASSERT_EQ(pnn_create_batch_matmul_f32(flags, &op), pnn_status_success);
      const std::vector<float> a = RandomVector(p.size_a(), 21);
      const std::vector<float> b = RandomVector(p.size_b(), 22);
      const std::vector<float> one = RunBmm(op, p, a, b, nullptr);
      const std::vector<float> two = RunBmm(op, p, a, b, pool);
      EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float))) << p.str(flags);
      ExpectMatchesReference(p, flags, a, b, two);
      pnn_delete_operator(op);
    }
  }
  pnn_threadpool_destroy(pool);
}

TEST(BatchMatmul, CreateOnceReshapeAndRunMany) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  // Shapes that grow and shrink the workspaces and change the number of batch dims.
  const Problem problems[] = {
      Make({2}, {2}, 3, 4, 5), Make({}, {}, 40, 50, 60),       Make({2, 1, 3}, {1, 4, 1}, 3, 7, 5),
      Make({1}, {1}, 1, 1, 1), Make({5, 2}, {1, 2}, 9, 17, 8), Make({3}, {3}, 2, 90, 3),
  };
  for (uint32_t flags : kTransposeFlags) {
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_batch_matmul_f32(flags, &op), pnn_status_success);
    uint32_t seed = 40;
    for (const Problem& p : problems) {
      const std::vector<float> a = RandomVector(p.size_a(), seed++);
      const std::vector<float> b = RandomVector(p.size_b(), seed++);
      ExpectMatchesReference(p, flags, a, b, RunBmm(op, p, a, b, seed % 2 ? pool : nullptr));
    }
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

// B (and A) are read at run, not at setup: changing them between runs changes the result.
TEST(BatchMatmul, OperandsAreReadAtRun) {
  const Problem p = Make({2}, {1}, 5, 6, 7);
  for (uint32_t flags : kTransposeFlags) {
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_batch_matmul_f32(flags, &op), pnn_status_success);
    std::vector<float> a = RandomVector(p.size_a(), 1);
    std::vector<float> b = RandomVector(p.size_b(), 2);
    GuardedBuffer y(p.size_out());
    ASSERT_EQ(pnn_reshape_batch_matmul_f32(op, 1, p.dims_a.data(), p.dims_b.data(), p.m, p.k, p.n,
                                           nullptr, nullptr),
              pnn_status_success);
    ASSERT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), b.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    ExpectMatchesReference(p, flags, a, b, std::vector<float>(y.data(), y.data() + y.size()));
    // New values in the same storage (the operator holds the pointers).
    const std::vector<float> a2 = RandomVector(p.size_a(), 3), b2 = RandomVector(p.size_b(), 4);
    std::copy(a2.begin(), a2.end(), a.begin());
    std::copy(b2.begin(), b2.end(), b.begin());
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    ExpectMatchesReference(p, flags, a, b, std::vector<float>(y.data(), y.data() + y.size()));
    pnn_delete_operator(op);
  }
}

TEST(BatchMatmul, KernelNameAfterReshape) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_batch_matmul_f32(0, &op), pnn_status_success);
  EXPECT_STREQ(pnn_operator_kernel_name(op), "none");
  ASSERT_EQ(pnn_reshape_batch_matmul_f32(op, 0, nullptr, nullptr, 2, 3, 4, nullptr, nullptr),
            pnn_status_success);
  EXPECT_STREQ(pnn_operator_kernel_name(op), pnn::get_gemm_config()->gemm_name);
  pnn_delete_operator(op);
}

TEST(BatchMatmulErrors, CreateInvalidParameter) {
  for (uint32_t flags : {PNN_FLAG_TRANSPOSE_WEIGHTS, PNN_FLAG_TENSORFLOW_SAME_PADDING,
                         PNN_FLAG_TRANSPOSE_A | 0x100u, 0x80000000u}) {
    pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(pnn_create_batch_matmul_f32(flags, &op), pnn_status_invalid_parameter) << flags;
    EXPECT_EQ(op, nullptr);
  }
  EXPECT_EQ(pnn_create_batch_matmul_f32(0, nullptr), pnn_status_invalid_parameter);
}

// Reshape errors leave the out-parameter untouched and the operator not runnable.
class BatchMatmulReshapeErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(pnn_create_batch_matmul_f32(0, &op_), pnn_status_success);
    std::fill(std::begin(dims_out_), std::end(dims_out_), size_t(777));
  }
  void TearDown() override {
    for (size_t d : dims_out_) EXPECT_EQ(d, 777u) << "output_batch_dims written on error";
    EXPECT_EQ(pnn_run_operator(op_, nullptr), pnn_status_invalid_state);
    EXPECT_STREQ(pnn_operator_kernel_name(op_), "none");
    pnn_delete_operator(op_);
  }
  pnn_status Reshape(size_t nd, const size_t* da, const size_t* db, size_t m = 2, size_t k = 3,
                     size_t n = 4) {
    return pnn_reshape_batch_matmul_f32(op_, nd, da, db, m, k, n, dims_out_, nullptr);
  }
  pnn_operator_t op_ = nullptr;
  size_t dims_out_[PNN_MAX_DIMS + 1];
};

TEST_F(BatchMatmulReshapeErrors, InvalidParameter) {
  const size_t one[PNN_MAX_DIMS + 1] = {1, 1, 1, 1, 1, 1, 1};
  const size_t d2[] = {2}, d3[] = {3}, d0[] = {0}, d1[] = {1};
  EXPECT_EQ(pnn_reshape_batch_matmul_f32(nullptr, 0, nullptr, nullptr, 2, 3, 4, dims_out_, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(PNN_MAX_DIMS + 1, one, one), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(1, nullptr, d2), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(1, d2, nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(1, d2, d3), pnn_status_invalid_parameter);  // neither equal nor 1
  EXPECT_EQ(Reshape(1, d0, d1), pnn_status_invalid_parameter);  // zero batch dim
  EXPECT_EQ(Reshape(1, d1, d0), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 0, 3, 4), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 2, 0, 4), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 2, 3, 0), pnn_status_invalid_parameter);
  // An operator of another type.
  const std::vector<float> w(4, 1.0f);
  pnn_operator_t fc = nullptr;
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(2, 2, w.data(), nullptr, -INFINITY, INFINITY, 0, &fc),
            pnn_status_success);
  EXPECT_EQ(pnn_reshape_batch_matmul_f32(fc, 0, nullptr, nullptr, 2, 3, 4, dims_out_, nullptr),
            pnn_status_invalid_parameter);
  pnn_delete_operator(fc);
}

TEST_F(BatchMatmulReshapeErrors, Overflow) {
  const size_t big[] = {SIZE_MAX / 2, 3};  // the batch product overflows
  const size_t ok[] = {1, 3};
  EXPECT_EQ(Reshape(2, big, ok), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(2, ok, big), pnn_status_invalid_parameter);
  const size_t half[] = {size_t(1) << 32}, unit[] = {1};
  EXPECT_EQ(Reshape(1, half, unit, size_t(1) << 32, 1, 1), pnn_status_invalid_parameter);  // A
  EXPECT_EQ(Reshape(1, unit, half, 1, 1, size_t(1) << 32), pnn_status_invalid_parameter);  // B
  EXPECT_EQ(Reshape(1, unit, half, size_t(1) << 32, 1, 1), pnn_status_invalid_parameter);  // out
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 1, SIZE_MAX, 1), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 1, 1, SIZE_MAX), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(0, nullptr, nullptr, SIZE_MAX, 1, 1), pnn_status_invalid_parameter);
  // Element counts that fit a size_t but whose byte counts do not.
  EXPECT_EQ(Reshape(0, nullptr, nullptr, SIZE_MAX / 4 + 1, 1, 1), pnn_status_invalid_parameter);
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 1, 1, SIZE_MAX / 4 + 1), pnn_status_invalid_parameter);
  // The packed B (a bias row on top of K = 1 rows: twice B's size) overflows in bytes while B
  // and the output fit.
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 1, 1, size_t(3) << 60), pnn_status_invalid_parameter);
}

TEST_F(BatchMatmulReshapeErrors, OutOfMemory) {
  // Packed B of k = n = 2^23 is 2^46 floats = 256 TiB: beyond a 47-bit user address space.
  EXPECT_EQ(Reshape(0, nullptr, nullptr, 1, size_t(1) << 23, size_t(1) << 23),
            pnn_status_out_of_memory);
}

TEST(BatchMatmulErrors, FailedReshapeKeepsPreviousShapeRunnable) {
  const Problem p = Make({3}, {1}, 4, 5, 6);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_batch_matmul_f32(PNN_FLAG_TRANSPOSE_A, &op), pnn_status_success);
  const std::vector<float> a = RandomVector(p.size_a(), 1), b = RandomVector(p.size_b(), 2);
  const std::vector<float> y = RunBmm(op, p, a, b, nullptr);
  EXPECT_EQ(pnn_reshape_batch_matmul_f32(op, 0, nullptr, nullptr, 1, size_t(1) << 23,
                                         size_t(1) << 23, nullptr, nullptr),
            pnn_status_out_of_memory);
  // The operator is as it was: the earlier setup still runs with the earlier shape.
  std::vector<float> y2(p.size_out());
  ASSERT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), b.data(), y2.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  EXPECT_EQ(y, y2);
  pnn_delete_operator(op);
}

TEST(BatchMatmulErrors, LifecycleInvalidState) {
  const Problem p = Make({2}, {2}, 3, 4, 5);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_batch_matmul_f32(0, &op), pnn_status_success);
  const std::vector<float> a = RandomVector(p.size_a(), 1), b = RandomVector(p.size_b(), 2);
  GuardedBuffer y(p.size_out());
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), b.data(), y.data()), pnn_status_invalid_state);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  ASSERT_EQ(pnn_reshape_batch_matmul_f32(op, 1, p.dims_a.data(), p.dims_b.data(), p.m, p.k, p.n,
                                         nullptr, nullptr),
            pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  ASSERT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), b.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_reshape_batch_matmul_f32(op, 1, p.dims_a.data(), p.dims_b.data(), p.m, p.k, p.n,
                                         nullptr, nullptr),
            pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);  // reshape voided setup
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
}

TEST(BatchMatmulErrors, SetupInvalidParameter) {
  const Problem p = Make({2}, {2}, 3, 4, 5);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_batch_matmul_f32(0, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_batch_matmul_f32(op, 1, p.dims_a.data(), p.dims_b.data(), p.m, p.k, p.n,
                                         nullptr, nullptr),
            pnn_status_success);
  const std::vector<float> a = RandomVector(p.size_a(), 1), b = RandomVector(p.size_b(), 2);
  GuardedBuffer y(p.size_out());
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, nullptr, b.data(), y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), nullptr, y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), b.data(), nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_batch_matmul_f32(nullptr, a.data(), b.data(), y.data()),
            pnn_status_invalid_parameter);
  // The output must not overlap A or B (a partial overlap at either end counts).
  std::vector<float> big(p.size_a() + p.size_b() + p.size_out());
  float* base = big.data();
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, base, b.data(), base), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, base, b.data(), base + p.size_a() - 1),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, a.data(), base + p.size_out() - 1, base),
            pnn_status_invalid_parameter);
  // An operator of another type.
  const std::vector<float> w(4, 1.0f);
  pnn_operator_t fc = nullptr;
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(2, 2, w.data(), nullptr, -INFINITY, INFINITY, 0, &fc),
            pnn_status_success);
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(fc, 1, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_setup_batch_matmul_f32(fc, a.data(), b.data(), y.data()),
            pnn_status_invalid_parameter);
  pnn_delete_operator(fc);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_TRUE(y.Untouched());
  // Adjacent but disjoint buffers are fine.
  EXPECT_EQ(pnn_setup_batch_matmul_f32(op, base, base + p.size_a(), base + p.size_a() + p.size_b()),
            pnn_status_success);
  pnn_delete_operator(op);
}

}  // namespace
