// Fully connected operator: results against the double reference of
// tests/reference/gemm-reference.h (tolerance derived there), thread-count independence,
// create-once/run-many, and every error status of the three entry points.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "configs/configs.h"
#include "reference/gemm-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

// One layer: weights stored as the flags say, optional bias, clamp bounds.
struct Layer {
  size_t in = 1, out = 1;
  bool transposed = false;
  bool has_bias = true;
  float min = -INFINITY, max = INFINITY;
  uint32_t seed = 1;

  std::vector<float> weights() const { return RandomVector(in * out, seed); }
  std::vector<float> bias() const { return RandomVector(out, seed + 1); }
  uint32_t flags() const { return transposed ? PNN_FLAG_TRANSPOSE_WEIGHTS : 0; }
};

Layer Sized(size_t in, size_t out) {
  Layer l;
  l.in = in;
  l.out = out;
  return l;
}

pnn_operator_t Create(const Layer& l) {
  const std::vector<float> w = l.weights(), b = l.bias();
  pnn_operator_t op = nullptr;
  EXPECT_EQ(
      pnn_create_fully_connected_nc_f32(l.in, l.out, w.data(), l.has_bias ? b.data() : nullptr,
                                        l.min, l.max, l.flags(), &op),
      pnn_status_success);
  return op;
}

// Reshape, setup and run op over x ([batch][in]); returns the output (guards checked).
std::vector<float> RunFc(pnn_operator_t op, const Layer& l, size_t batch,
                         const std::vector<float>& x, pnn_threadpool_t pool) {
  GuardedBuffer y(batch * l.out);
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(op, batch, pool), pnn_status_success);
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

// Compares y with the reference; reports the first mismatch only.
void ExpectMatchesReference(const Layer& l, size_t batch, const std::vector<float>& x,
                            const std::vector<float>& y) {
  const std::vector<float> w = l.weights(), b = l.bias();
  const pnn_ref::GemmReference ref =
      pnn_ref::fully_connected(batch, l.in, l.out, x.data(), w.data(),
                               l.has_bias ? b.data() : nullptr, l.transposed, l.min, l.max);
  for (size_t i = 0; i < y.size(); i++) {
    const double tol = pnn_ref::gemm_tolerance(ref.magnitude[i]);
    if (!(std::fabs(y[i] - ref.value[i]) <= tol)) {
      ADD_FAILURE() << "batch=" << batch << " in=" << l.in << " out=" << l.out
                    << " transposed=" << l.transposed << " bias=" << l.has_bias << " min=" << l.min
                    << " max=" << l.max << ": y[" << i << "] = " << y[i] << ", expected "
                    << ref.value[i] << " +- " << tol;
      return;
    }
  }
}

// Clamp bounds in the middle of the output range: with inputs and weights uniform in [-1, 1]
// each product has variance 1/9, so an output has a standard deviation of about sqrt(in)/3 and
// the bounds -0.3*sqrt(in), +0.25*sqrt(in) (about -0.9 and +0.75 deviations) clamp a good share
// of both tails while leaving most outputs unclamped.
void SetMidClamp(Layer* l) {
  l->min = -0.3f * std::sqrt(float(l->in));
  l->max = 0.25f * std::sqrt(float(l->in));
}

void CheckLayer(const Layer& l, size_t batch, pnn_threadpool_t pool = nullptr) {
  pnn_operator_t op = Create(l);
  ASSERT_NE(op, nullptr);
  const std::vector<float> x = RandomVector(batch * l.in, l.seed + 2);
  ExpectMatchesReference(l, batch, x, RunFc(op, l, batch, x, pool));
  pnn_delete_operator(op);
}

TEST(FullyConnected, RandomShapesMatchReference) {
  std::mt19937 rng(2024);
  for (int t = 0; t < 40; t++) {
    Layer l;
    l.in = 1 + rng() % 97;
    l.out = 1 + rng() % 131;
    l.transposed = rng() % 2;
    l.has_bias = rng() % 3 != 0;
    if (rng() % 2) SetMidClamp(&l);
    l.seed = 100 + t;
    const size_t batch = 1 + rng() % 23;
    CheckLayer(l, batch);
  }
}

TEST(FullyConnected, SingleRowWideOutput) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  Layer l = Sized(64, 1000);
  CheckLayer(l, 1, nullptr);
  CheckLayer(l, 1, pool);
  pnn_threadpool_destroy(pool);
}

TEST(FullyConnected, OddSizesAndReductionLengths) {
  for (size_t in : {1, 2, 3, 5, 17, 33, 127, 255}) {
    for (size_t out : {1, 3, 5, 7, 9, 31}) {
      Layer l;
      l.in = in;
      l.out = out;
      l.seed = static_cast<uint32_t>(in * 1000 + out);
      CheckLayer(l, 5);
    }
  }
}

TEST(FullyConnected, NoBias) {
  for (size_t batch : {1, 3, 9}) {
    Layer l;
    l.in = 19;
    l.out = 23;
    l.has_bias = false;
    CheckLayer(l, batch);
  }
}

TEST(FullyConnected, ClampsInTheMiddleOfTheRange) {
  Layer l = Sized(50, 37);
  SetMidClamp(&l);
  pnn_operator_t op = Create(l);
  const std::vector<float> x = RandomVector(11 * l.in, 9);
  const std::vector<float> y = RunFc(op, l, 11, x, nullptr);
  ExpectMatchesReference(l, 11, x, y);
  // Both bounds must actually bite, or the test proves nothing about the clamp.
  size_t at_min = 0, at_max = 0;
  for (float v : y) {
    at_min += v == l.min;
    at_max += v == l.max;
  }
  EXPECT_GT(at_min, 0u);
  EXPECT_GT(at_max, 0u);
  EXPECT_LT(at_min + at_max, y.size());
  pnn_delete_operator(op);
}

TEST(FullyConnected, TransposedWeightsGiveBitIdenticalResults) {
  Layer l = Sized(29, 41);
  const std::vector<float> w = l.weights(), b = l.bias();
  std::vector<float> wt(w.size());
  for (size_t o = 0; o < l.out; o++)
    for (size_t i = 0; i < l.in; i++) wt[i * l.out + o] = w[o * l.in + i];
  pnn_operator_t op = nullptr, op_t = nullptr;
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(l.in, l.out, w.data(), b.data(), -INFINITY, INFINITY,
                                              0, &op),
            pnn_status_success);
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(l.in, l.out, wt.data(), b.data(), -INFINITY, INFINITY,
                                              PNN_FLAG_TRANSPOSE_WEIGHTS, &op_t),
            pnn_status_success);
  const std::vector<float> x = RandomVector(7 * l.in, 3);
  EXPECT_EQ(RunFc(op, l, 7, x, nullptr), RunFc(op_t, l, 7, x, nullptr));
  pnn_delete_operator(op);
  pnn_delete_operator(op_t);
}

TEST(FullyConnected, OneAndTwoThreadsBitIdentical) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const size_t shapes[][3] = {{1, 64, 1000}, {1, 300, 7}, {3, 33, 129}, {37, 45, 61}, {200, 17, 9}};
  for (const auto& s : shapes) {
    Layer l;
    l.in = s[1];
    l.out = s[2];
    SetMidClamp(&l);
    pnn_operator_t op = Create(l);
    const std::vector<float> x = RandomVector(s[0] * l.in, 5);
    const std::vector<float> one = RunFc(op, l, s[0], x, nullptr);
    const std::vector<float> two = RunFc(op, l, s[0], x, pool);
    EXPECT_EQ(0, std::memcmp(one.data(), two.data(), one.size() * sizeof(float)))
        << "batch=" << s[0] << " in=" << s[1] << " out=" << s[2];
    ExpectMatchesReference(l, s[0], x, two);
    pnn_delete_operator(op);
  }
  pnn_threadpool_destroy(pool);
}

TEST(FullyConnected, CreateOnceReshapeAndRunMany) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  Layer l = Sized(37, 53);
  l.transposed = true;
  pnn_operator_t op = Create(l);
  for (size_t batch : {1, 7, 64, 3, 1, 130}) {
    const std::vector<float> x = RandomVector(batch * l.in, 11 + batch);
    ExpectMatchesReference(l, batch, x, RunFc(op, l, batch, x, batch % 2 ? pool : nullptr));
    // A second run over the same setup gives the same result.
    GuardedBuffer y(batch * l.out), y2(batch * l.out);
    ASSERT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, pool), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    ASSERT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y2.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    EXPECT_EQ(0, std::memcmp(y.data(), y2.data(), batch * l.out * sizeof(float)));
  }
  pnn_delete_operator(op);
  pnn_threadpool_destroy(pool);
}

TEST(FullyConnected, WeightsAreCopiedNotRetained) {
  Layer l = Sized(13, 6);
  std::vector<float> w = l.weights(), b = l.bias();
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(l.in, l.out, w.data(), b.data(), -INFINITY, INFINITY,
                                              0, &op),
            pnn_status_success);
  std::fill(w.begin(), w.end(), 1e6f);
  std::fill(b.begin(), b.end(), 1e6f);
  const std::vector<float> x = RandomVector(4 * l.in, 8);
  ExpectMatchesReference(l, 4, x, RunFc(op, l, 4, x, nullptr));
  pnn_delete_operator(op);
}

TEST(FullyConnected, KernelNameAfterReshape) {
  Layer l = Sized(3, 4);
  pnn_operator_t op = Create(l);
  EXPECT_STREQ(pnn_operator_kernel_name(op), "none");
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, 2, nullptr), pnn_status_success);
  EXPECT_STREQ(pnn_operator_kernel_name(op), pnn::get_gemm_config()->gemm_name);
  pnn_delete_operator(op);
}

TEST(FullyConnectedErrors, CreateInvalidParameter) {
  const std::vector<float> w(64, 0.5f);
  auto create = [&](size_t in, size_t out, const float* k, float min, float max, uint32_t flags) {
    pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
    const pnn_status s =
        pnn_create_fully_connected_nc_f32(in, out, k, nullptr, min, max, flags, &op);
    EXPECT_EQ(op, nullptr) << "op_out must be cleared on error";
    return s;
  };
  EXPECT_EQ(create(0, 4, w.data(), -1, 1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 0, w.data(), -1, 1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 4, nullptr, -1, 1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 4, w.data(), 1, -1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 4, w.data(), NAN, 1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 4, w.data(), -1, NAN, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 4, w.data(), -1, 1, PNN_FLAG_TRANSPOSE_A), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 4, w.data(), -1, 1, PNN_FLAG_TRANSPOSE_B), pnn_status_invalid_parameter);
  EXPECT_EQ(create(4, 4, w.data(), -1, 1, 0x80000000u), pnn_status_invalid_parameter);
  // Sizes whose products overflow a size_t (the weights are never read).
  EXPECT_EQ(create(SIZE_MAX / 2, 3, w.data(), -1, 1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(SIZE_MAX, 1, w.data(), -1, 1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(1, SIZE_MAX, w.data(), -1, 1, 0), pnn_status_invalid_parameter);
  EXPECT_EQ(create(size_t(1) << 31, size_t(1) << 31, w.data(), -1, 1, 0),
            pnn_status_invalid_parameter);  // 2^62 floats: the byte count overflows
  EXPECT_EQ(pnn_create_fully_connected_nc_f32(4, 4, w.data(), nullptr, -1, 1, 0, nullptr),
            pnn_status_invalid_parameter);
  // Equal bounds and infinite bounds are valid.
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_fully_connected_nc_f32(4, 4, w.data(), nullptr, 2, 2, 0, &op),
            pnn_status_success);
  pnn_delete_operator(op);
}

TEST(FullyConnectedErrors, CreateOutOfMemory) {
  // 2^23 x 2^23 weights pack into 2^46 floats = 256 TiB: more than a 47-bit user address space
  // holds, so the allocation fails before the (small) weight buffer is read.
  const std::vector<float> w(16, 0.5f);
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_fully_connected_nc_f32(size_t(1) << 23, size_t(1) << 23, w.data(), nullptr,
                                              -INFINITY, INFINITY, 0, &op),
            pnn_status_out_of_memory);
  EXPECT_EQ(op, nullptr);
}

TEST(FullyConnectedErrors, ReshapeInvalidParameter) {
  Layer l = Sized(8, 8);
  pnn_operator_t op = Create(l);
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(nullptr, 1, nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(op, 0, nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(op, SIZE_MAX / 4, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(op, SIZE_MAX / 8 / sizeof(float) + 1, nullptr),
            pnn_status_invalid_parameter);  // the element count fits, the byte count does not
  EXPECT_STREQ(pnn_operator_kernel_name(op), "none");
  // An operator of another type.
  pnn_operator_t bmm = nullptr;
  ASSERT_EQ(pnn_create_batch_matmul_f32(0, &bmm), pnn_status_success);
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(bmm, 1, nullptr), pnn_status_invalid_parameter);
  pnn_delete_operator(bmm);
  pnn_delete_operator(op);
}

TEST(FullyConnectedErrors, LifecycleInvalidState) {
  Layer l = Sized(5, 6);
  pnn_operator_t op = Create(l);
  const std::vector<float> x = RandomVector(3 * l.in, 1);
  GuardedBuffer y(3 * l.out);
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y.data()), pnn_status_invalid_state);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, 3, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  ASSERT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y.data()), pnn_status_success);
  // A new reshape invalidates the setup.
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, 2, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
}

// Input [3][5] and output [3][6] may not share memory (an output row is written while later
// input rows are still unread); disjoint neighbours in one buffer are accepted.
TEST(FullyConnectedErrors, SetupRejectsOverlap) {
  Layer l = Sized(5, 6);
  pnn_operator_t op = Create(l);
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, 3, nullptr), pnn_status_success);
  GuardedBuffer both(3 * l.in + 3 * l.out);
  for (const size_t at : {size_t{0}, size_t{4}, 3 * l.in - 1}) {
    EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, both.data(), both.data() + at),
              pnn_status_invalid_parameter)
        << "output at input + " << at;
  }
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, both.data() + 3 * l.out - 1, both.data()),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(both.Untouched());
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, both.data(), both.data() + 3 * l.in),
            pnn_status_success);
  pnn_delete_operator(op);
}

TEST(FullyConnectedErrors, SetupInvalidParameter) {
  Layer l = Sized(5, 6);
  pnn_operator_t op = Create(l);
  const std::vector<float> x = RandomVector(3 * l.in, 1);
  GuardedBuffer y(3 * l.out);
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, 3, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, nullptr, y.data()), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), nullptr), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(nullptr, x.data(), y.data()),
            pnn_status_invalid_parameter);
  pnn_operator_t bmm = nullptr;
  ASSERT_EQ(pnn_create_batch_matmul_f32(0, &bmm), pnn_status_success);
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(bmm, x.data(), y.data()),
            pnn_status_invalid_parameter);
  pnn_delete_operator(bmm);
  // None of the failed setups made the operator runnable.
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(op);
}

}  // namespace
