// Max, average and global average pooling operators against the double references in
// tests/reference/pooling-reference.h (tolerances derived there), plus threading, reuse and
// every error status.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "reference/pooling-reference.h"
#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

namespace {

PNN_TEST_INIT_LIBRARY();

using pnn_test::Padded;
using pnn_test::PoolingParams;

enum class Kind { kMax, kAverage };

const char* KindName(Kind k) { return k == Kind::kMax ? "max" : "average"; }

pnn_status CreatePool(Kind k, const pnn_pooling2d_params* p, pnn_operator_t* op) {
  return k == Kind::kMax ? pnn_create_max_pooling2d_nhwc_f32(p, op)
                         : pnn_create_average_pooling2d_nhwc_f32(p, op);
}

pnn_status ReshapePool(Kind k, pnn_operator_t op, size_t n, size_t ih, size_t iw, size_t* oh,
                       size_t* ow, pnn_threadpool_t pool = nullptr) {
  return k == Kind::kMax ? pnn_reshape_max_pooling2d_nhwc_f32(op, n, ih, iw, oh, ow, pool)
                         : pnn_reshape_average_pooling2d_nhwc_f32(op, n, ih, iw, oh, ow, pool);
}

pnn_status SetupPool(Kind k, pnn_operator_t op, const float* x, float* y) {
  return k == Kind::kMax ? pnn_setup_max_pooling2d_nhwc_f32(op, x, y)
                         : pnn_setup_average_pooling2d_nhwc_f32(op, x, y);
}

// Reshapes, sets up and runs `op` over x = [n][ih][iw][c]; returns the output (guards checked)
// and checks the reported output size against the reference's.
std::vector<float> RunPool(Kind k, pnn_operator_t op, const pnn_pooling2d_params& p,
                           const std::vector<float>& x, size_t n, size_t ih, size_t iw,
                           pnn_threadpool_t pool) {
  const pnn_ref::PoolShape s = pnn_ref::pool_shape(p, ih, iw);
  EXPECT_TRUE(s.ok);
  size_t oh = 0, ow = 0;
  EXPECT_EQ(ReshapePool(k, op, n, ih, iw, &oh, &ow, pool), pnn_status_success);
  EXPECT_EQ(oh, s.oh);
  EXPECT_EQ(ow, s.ow);
  GuardedBuffer y(n * s.oh * s.ow * p.channels);
  // The input sits between NaN guards, so a read outside it (e.g. a displaced zero row) shows.
  GuardedBuffer in(x.size());
  std::copy(x.begin(), x.end(), in.data());
  EXPECT_EQ(SetupPool(k, op, in.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, pool), pnn_status_success);
  EXPECT_TRUE(y.CheckGuards());
  return std::vector<float>(y.data(), y.data() + y.size());
}

// Compares with the reference: max results exactly, averages within the derived tolerance.
void ExpectMatches(Kind k, const pnn_pooling2d_params& p, const std::vector<float>& x,
                   const std::vector<float>& y, size_t n, size_t ih, size_t iw) {
  const pnn_ref::PoolResult r = pnn_ref::pooling2d(k == Kind::kMax, p, x.data(), n, ih, iw);
  ASSERT_EQ(y.size(), r.y.size());
  ASSERT_LE(size_t{p.pooling_height} * p.pooling_width, pnn_ref::kMaxToleratedCount);
  for (size_t i = 0; i < y.size(); i++) {
    if (k == Kind::kMax) {
      ASSERT_EQ(y[i], static_cast<float>(r.y[i])) << "max, element " << i;
    } else {
      ASSERT_NEAR(y[i], r.y[i], r.tolerance[i]) << "average, element " << i;
    }
  }
}

// Creates, runs and checks one configuration for every (n, ih, iw) in `shapes`, reusing one
// operator across the shapes.
void CheckPooling(Kind k, const pnn_pooling2d_params& p,
                  std::initializer_list<std::array<size_t, 3>> shapes, uint32_t seed) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(CreatePool(k, &p, &op), pnn_status_success) << KindName(k);
  for (const auto& sh : shapes) {
    const size_t n = sh[0], ih = sh[1], iw = sh[2];
    auto x = RandomVector(n * ih * iw * p.channels, seed++, -4.0f, 4.0f);
    auto y = RunPool(k, op, p, x, n, ih, iw, nullptr);
    SCOPED_TRACE(std::string(KindName(k)) + " n=" + std::to_string(n) +
                 " ih=" + std::to_string(ih) + " iw=" + std::to_string(iw) +
                 " c=" + std::to_string(p.channels));
    ExpectMatches(k, p, x, y, n, ih, iw);
  }
  pnn_delete_operator(op);
}

const Kind kKinds[] = {Kind::kMax, Kind::kAverage};
const size_t kChannelCounts[] = {1, 3, 4, 5, 17, 32};

TEST(Pooling, TwoByTwoStrideTwo) {
  for (Kind k : kKinds)
    for (size_t c : kChannelCounts)
      CheckPooling(k, PoolingParams(2, 2, 2, 2, c), {{1, 8, 8}, {2, 7, 9}, {1, 2, 2}, {2, 3, 5}}, 10);
}

TEST(Pooling, ThreeByThreeStrideTwoPaddingOne) {
  for (Kind k : kKinds)
    for (size_t c : kChannelCounts) {
      auto p = Padded(PoolingParams(3, 3, 2, 2, c), 1, 1, 1, 1);
      CheckPooling(k, p, {{1, 9, 9}, {2, 8, 11}, {1, 1, 1}, {2, 2, 3}}, 20);
      p.flags = k == Kind::kAverage ? PNN_FLAG_COUNT_INCLUDE_PAD : 0;
      CheckPooling(k, p, {{2, 9, 10}, {1, 1, 2}}, 25);
    }
}

TEST(Pooling, ThreeByThreeSame) {
  for (Kind k : kKinds)
    for (size_t c : {1, 5, 19}) {
      auto p = PoolingParams(3, 3, 1, 1, c);
      p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
      CheckPooling(k, p, {{1, 6, 7}, {2, 1, 1}, {1, 2, 9}}, 30);
      // Stride 2 with an even total padding and with an odd one (extra pixel after).
      p.stride_height = p.stride_width = 2;
      CheckPooling(k, p, {{2, 8, 7}, {1, 5, 6}}, 35);
      if (k == Kind::kAverage) {
        p.flags |= PNN_FLAG_COUNT_INCLUDE_PAD;
        CheckPooling(k, p, {{2, 8, 7}, {1, 5, 6}}, 37);
      }
    }
}

TEST(Pooling, MaxDilationTwo) {
  auto p = Padded(PoolingParams(3, 2, 1, 2, 7), 2, 1, 1, 0);
  p.dilation_height = p.dilation_width = 2;
  CheckPooling(Kind::kMax, p, {{1, 9, 9}, {2, 5, 6}, {1, 3, 3}}, 40);
  auto same = PoolingParams(3, 3, 2, 1, 3);
  same.dilation_height = same.dilation_width = 2;
  same.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
  CheckPooling(Kind::kMax, same, {{1, 7, 8}, {2, 4, 1}}, 45);
}

// Dilation 3 with a 3-row input: the first window's only valid tap is its second one, found by
// stepping over the gap (see the ih = 1 case in ReshapeRejectsBadShapes).
TEST(Pooling, MaxDilationWindowStepsOverGap) {
  auto p = Padded(PoolingParams(2, 1, 1, 1, 3), 1, 0, 2, 0);
  p.dilation_height = 3;
  CheckPooling(Kind::kMax, p, {{1, 3, 4}, {2, 5, 2}}, 47);
}

TEST(Pooling, AsymmetricPadding) {
  for (Kind k : kKinds)
    for (uint32_t flags : {0u, PNN_FLAG_COUNT_INCLUDE_PAD}) {
      if (k == Kind::kMax && flags != 0) continue;
      auto p = Padded(PoolingParams(3, 2, 2, 1, 5), 0, 1, 2, 0);
      p.flags = flags;
      CheckPooling(k, p, {{1, 7, 6}, {2, 4, 3}}, 50);
      auto q = Padded(PoolingParams(4, 3, 3, 2, 3), 3, 0, 1, 2);
      q.flags = flags;
      CheckPooling(k, q, {{2, 10, 9}, {1, 2, 2}}, 55);
    }
}

TEST(Pooling, ClampBothSides) {
  for (Kind k : kKinds) {
    auto p = Padded(PoolingParams(3, 3, 2, 2, 9), 1, 1, 1, 1);
    p.output_min = -0.3f;
    p.output_max = 0.4f;
    CheckPooling(k, p, {{2, 9, 8}}, 60);
    p.output_min = p.output_max = 0.25f;  // degenerate range: every output is 0.25
    CheckPooling(k, p, {{1, 5, 5}}, 61);
  }
}

// All inputs negative with padding: a padded position read as 0 would win every border max.
TEST(Pooling, MaxPaddingNeverWins) {
  auto p = Padded(PoolingParams(3, 3, 1, 1, 3), 1, 1, 1, 1);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  auto x = RandomVector(2 * 4 * 5 * 3, 70, -2.0f, -1.0f);
  auto y = RunPool(Kind::kMax, op, p, x, 2, 4, 5, nullptr);
  for (float v : y) ASSERT_LT(v, -0.5f);
  ExpectMatches(Kind::kMax, p, x, y, 2, 4, 5);
  pnn_delete_operator(op);
}

// Constant input: every window averages to 1 when padding is excluded; a corner 3x3 window
// with padding 1 averages to 4/9 when it is included.
TEST(Pooling, AverageCountIncludePadChangesTheDivisor) {
  auto p = Padded(PoolingParams(3, 3, 1, 1, 2), 1, 1, 1, 1);
  std::vector<float> x(1 * 4 * 4 * 2, 1.0f);
  for (uint32_t flags : {0u, PNN_FLAG_COUNT_INCLUDE_PAD}) {
    p.flags = flags;
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_average_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
    auto y = RunPool(Kind::kAverage, op, p, x, 1, 4, 4, nullptr);
    if (flags == 0) {
      for (float v : y) ASSERT_FLOAT_EQ(v, 1.0f);
    } else {
      EXPECT_FLOAT_EQ(y[0], 4.0f / 9.0f);         // corner
      EXPECT_FLOAT_EQ(y[1 * 2], 6.0f / 9.0f);     // edge
      EXPECT_FLOAT_EQ(y[(1 * 4 + 1) * 2], 1.0f);  // interior
    }
    pnn_delete_operator(op);
  }
}

TEST(Pooling, KernelNames) {
  auto p = PoolingParams(2, 2, 2, 2, 3);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  EXPECT_EQ(std::string(pnn_operator_kernel_name(op)).rfind("pnn_f32_maxpool_", 0), 0u);
  pnn_delete_operator(op);
  ASSERT_EQ(pnn_create_average_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  EXPECT_EQ(std::string(pnn_operator_kernel_name(op)).rfind("pnn_f32_avgpool_", 0), 0u);
  pnn_delete_operator(op);
  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(3, -INFINITY, INFINITY, 0, &op),
            pnn_status_success);
  EXPECT_EQ(std::string(pnn_operator_kernel_name(op)).rfind("pnn_f32_gavgpool_", 0), 0u);
  pnn_delete_operator(op);
}

TEST(Pooling, OneAndTwoThreadsAgree) {
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  for (Kind k : kKinds) {
    auto p = Padded(PoolingParams(3, 3, 2, 2, 19), 1, 0, 1, 1);
    p.flags = k == Kind::kAverage ? PNN_FLAG_COUNT_INCLUDE_PAD : 0;
    pnn_operator_t op = nullptr;
    ASSERT_EQ(CreatePool(k, &p, &op), pnn_status_success);
    auto x = RandomVector(2 * 41 * 37 * 19, 80, -3.0f, 3.0f);
    auto y1 = RunPool(k, op, p, x, 2, 41, 37, nullptr);
    auto y2 = RunPool(k, op, p, x, 2, 41, 37, pool);
    ASSERT_EQ(std::memcmp(y1.data(), y2.data(), y1.size() * sizeof(float)), 0) << KindName(k);
    ExpectMatches(k, p, x, y2, 2, 41, 37);
    pnn_delete_operator(op);
  }
  pnn_operator_t gap = nullptr;
  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(1000, -INFINITY, INFINITY, 0, &gap),
            pnn_status_success);
  auto x = RandomVector(3 * 49 * 1000, 81);
  std::vector<float> out[2];
  for (int t = 0; t < 2; t++) {
    pnn_threadpool_t tp = t == 0 ? nullptr : pool;
    GuardedBuffer y(3 * 1000);
    ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32(gap, 3, 49, tp), pnn_status_success);
    ASSERT_EQ(pnn_setup_global_average_pooling_nwc_f32(gap, x.data(), y.data()),
              pnn_status_success);
    ASSERT_EQ(pnn_run_operator(gap, tp), pnn_status_success);
    ASSERT_TRUE(y.CheckGuards());
    out[t].assign(y.data(), y.data() + y.size());
  }
  EXPECT_EQ(std::memcmp(out[0].data(), out[1].data(), out[0].size() * sizeof(float)), 0);
  pnn_delete_operator(gap);
  pnn_threadpool_destroy(pool);
}

// One operator, many shapes: growing and shrinking buffers, SAME padding recomputed per shape.
TEST(Pooling, CreateOnceReshapeMany) {
  for (Kind k : kKinds) {
    auto p = Padded(PoolingParams(3, 3, 2, 2, 5), 1, 1, 1, 1);
    CheckPooling(k, p, {{1, 5, 5}, {2, 17, 13}, {1, 1, 1}, {3, 9, 4}, {1, 33, 2}, {1, 6, 6}}, 90);
    auto same = PoolingParams(2, 3, 2, 1, 3);
    same.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
    CheckPooling(k, same, {{1, 4, 4}, {2, 7, 3}, {1, 1, 8}, {1, 12, 12}}, 95);
  }
}

// Large windows (up to 11x11 = 121 taps, within the tolerance's validity).
TEST(Pooling, LargeWindows) {
  for (Kind k : kKinds) {
    CheckPooling(k, PoolingParams(11, 11, 1, 1, 3), {{1, 13, 12}}, 100);
    CheckPooling(k, Padded(PoolingParams(7, 5, 3, 2, 6), 3, 2, 3, 2), {{2, 14, 9}}, 101);
  }
}

// ----- global average pooling -----

void CheckGlobalAverage(size_t n, size_t w, size_t c, float lo, float hi, uint32_t seed) {
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(c, lo, hi, 0, &op), pnn_status_success);
  auto x = RandomVector(n * w * c, seed, -5.0f, 5.0f);
  GuardedBuffer y(n * c);
  ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, n, w, nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  ASSERT_TRUE(y.CheckGuards());
  ASSERT_LE(w, pnn_ref::kMaxToleratedCount);
  auto r = pnn_ref::global_average_pooling(x.data(), n, w, c, lo, hi);
  for (size_t i = 0; i < n * c; i++)
    ASSERT_NEAR(y[i], r.y[i], r.tolerance[i])
        << "n=" << n << " w=" << w << " c=" << c << " i=" << i;
  pnn_delete_operator(op);
}

TEST(GlobalAveragePooling, WidthsAndBatch) {
  for (size_t w : {1, 7, 49})
    for (size_t c : {1, 3, 4, 17, 261})
      for (size_t n : {1, 3}) CheckGlobalAverage(n, w, c, -INFINITY, INFINITY, 200 + w + c + n);
}

TEST(GlobalAveragePooling, Clamp) {
  CheckGlobalAverage(3, 7, 19, -0.2f, 0.3f, 210);
  CheckGlobalAverage(2, 1, 5, 0.0f, 0.0f, 211);
}

TEST(GlobalAveragePooling, CreateOnceReshapeMany) {
  pnn_operator_t op = nullptr;
  const size_t c = 13;
  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(c, -1.0f, 1.0f, 0, &op), pnn_status_success);
  uint32_t seed = 220;
  const std::array<size_t, 2> shapes[] = {{3, 49}, {1, 1}, {2, 7}, {5, 100}, {1, 49}};
  for (const auto& nw : shapes) {
    const size_t n = nw[0], w = nw[1];
    auto x = RandomVector(n * w * c, seed++, -3.0f, 3.0f);
    GuardedBuffer y(n * c);
    ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, n, w, nullptr), pnn_status_success);
    ASSERT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, x.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    ASSERT_TRUE(y.CheckGuards());
    auto r = pnn_ref::global_average_pooling(x.data(), n, w, c, -1.0f, 1.0f);
    for (size_t i = 0; i < n * c; i++) ASSERT_NEAR(y[i], r.y[i], r.tolerance[i]) << "w=" << w;
  }
  pnn_delete_operator(op);
}

// ----- errors: every status the entry points return, with outputs left untouched -----

TEST(PoolingErrors, CreateRejectsInvalidParameters) {
  for (Kind k : kKinds) {
    SCOPED_TRACE(KindName(k));
    const auto good = Padded(PoolingParams(3, 3, 2, 2, 4), 1, 1, 1, 1);
    pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(CreatePool(k, nullptr, &op), pnn_status_invalid_parameter);
    EXPECT_EQ(op, nullptr);
    EXPECT_EQ(CreatePool(k, &good, nullptr), pnn_status_invalid_parameter);
    auto expect_invalid = [&](pnn_pooling2d_params p, const char* what) {
      pnn_operator_t o = reinterpret_cast<pnn_operator_t>(0x1);
      EXPECT_EQ(CreatePool(k, &p, &o), pnn_status_invalid_parameter) << what;
      EXPECT_EQ(o, nullptr) << what;
    };
    // One rule broken at a time.
    using Mutation = void (*)(pnn_pooling2d_params&);
    const std::pair<Mutation, const char*> broken[] = {
        {[](pnn_pooling2d_params& q) { q.pooling_height = 0; }, "pooling_height 0"},
        {[](pnn_pooling2d_params& q) { q.pooling_width = 0; }, "pooling_width 0"},
        {[](pnn_pooling2d_params& q) { q.stride_height = 0; }, "stride_height 0"},
        {[](pnn_pooling2d_params& q) { q.stride_width = 0; }, "stride_width 0"},
        {[](pnn_pooling2d_params& q) { q.dilation_height = 0; }, "dilation_height 0"},
        {[](pnn_pooling2d_params& q) { q.dilation_width = 0; }, "dilation_width 0"},
        {[](pnn_pooling2d_params& q) { q.channels = 0; }, "channels 0"},
        {[](pnn_pooling2d_params& q) { q.channels = SIZE_MAX / 2; }, "channels overflow bytes"},
        {[](pnn_pooling2d_params& q) { q.output_min = NAN; }, "min NaN"},
        {[](pnn_pooling2d_params& q) { q.output_max = NAN; }, "max NaN"},
        {[](pnn_pooling2d_params& q) { q.output_min = 1.0f, q.output_max = 0.0f; }, "min > max"},
        {[](pnn_pooling2d_params& q) { q.flags = 0x100; }, "unknown flag"},
        {[](pnn_pooling2d_params& q) { q.flags = PNN_FLAG_TRANSPOSE_WEIGHTS; },
         "flag of another operator"},
    };
    for (const auto& [mutate, what] : broken) {
      auto q = good;
      mutate(q);
      expect_invalid(q, what);
    }
    auto p = good;
    if (k == Kind::kMax) {
      p = good;
      p.flags = PNN_FLAG_COUNT_INCLUDE_PAD;
      expect_invalid(p, "count-include-pad on max pooling");
    }
    for (int side = 0; side < 4; side++) {
      p = PoolingParams(3, 3, 1, 1, 4);
      p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
      (side == 0   ? p.padding_top
       : side == 1 ? p.padding_right
       : side == 2 ? p.padding_bottom
                   : p.padding_left) = 1;
      expect_invalid(p, "SAME with explicit padding");
      // Padding as large as the window: the first or last window would lie in padding only.
      p = PoolingParams(3, 2, 1, 1, 4);
      (side == 0   ? p.padding_top
       : side == 1 ? p.padding_right
       : side == 2 ? p.padding_bottom
                   : p.padding_left) = side % 2 == 0 ? 3 : 2;
      expect_invalid(p, "padding >= kernel extent");
    }
  }
  // With dilation the extent grows: padding 4 < 2*(3-1)+1 = 5 is valid for max pooling...
  auto d = Padded(PoolingParams(3, 3, 1, 1, 2), 4, 4, 4, 4);
  d.dilation_height = d.dilation_width = 2;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&d, &op), pnn_status_success);
  pnn_delete_operator(op);
  // ...and 5 is not.
  d.padding_left = 5;
  EXPECT_EQ(pnn_create_max_pooling2d_nhwc_f32(&d, &op), pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
}

TEST(PoolingErrors, AverageWithDilationIsUnsupported) {
  for (int axis = 0; axis < 2; axis++) {
    auto p = PoolingParams(3, 3, 1, 1, 4);
    (axis == 0 ? p.dilation_height : p.dilation_width) = 2;
    pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(pnn_create_average_pooling2d_nhwc_f32(&p, &op), pnn_status_unsupported_parameter);
    EXPECT_EQ(op, nullptr);
    // An invalid parameter still reports invalid, not unsupported.
    p.channels = 0;
    EXPECT_EQ(pnn_create_average_pooling2d_nhwc_f32(&p, &op), pnn_status_invalid_parameter);
  }
}

TEST(PoolingErrors, CreateBeforeInitialize) {
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  const auto p = PoolingParams(2, 2, 2, 2, 3);
  for (Kind k : kKinds) {
    pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(CreatePool(k, &p, &op), pnn_status_uninitialized) << KindName(k);
    EXPECT_EQ(op, nullptr);
  }
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(3, -INFINITY, INFINITY, 0, &op),
            pnn_status_uninitialized);
  EXPECT_EQ(op, nullptr);
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
}

TEST(PoolingErrors, OutOfMemory) {
  // Create: the zero row of 2^56 channels (2^58 bytes) cannot be allocated.
  for (Kind k : kKinds) {
    auto p = PoolingParams(2, 2, 2, 2, size_t{1} << 56);
    pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
    EXPECT_EQ(CreatePool(k, &p, &op), pnn_status_out_of_memory) << KindName(k);
    EXPECT_EQ(op, nullptr);
  }
  // Reshape: 2^18 x 2^17 output pixels x 4096 taps = 2^47 pointers = 2^50 bytes, beyond any
  // 64-bit address space, so the allocation fails even where memory is overcommitted.
  for (Kind k : kKinds) {
    auto p = PoolingParams(4096, 1, 1, 1, 1);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(CreatePool(k, &p, &op), pnn_status_success);
    size_t oh = 777, ow = 777;
    EXPECT_EQ(ReshapePool(k, op, 1, (size_t{1} << 18) + 4095, size_t{1} << 17, &oh, &ow),
              pnn_status_out_of_memory);
    EXPECT_EQ(oh, 777u);
    EXPECT_EQ(ow, 777u);
    // The failed reshape leaves the operator needing a reshape; a small one works again.
    GuardedBuffer y(1);
    std::vector<float> x(4096, 0.5f);
    EXPECT_EQ(SetupPool(k, op, x.data(), y.data()), pnn_status_invalid_state);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    EXPECT_TRUE(y.Untouched());
    ASSERT_EQ(ReshapePool(k, op, 1, 4096, 1, &oh, &ow), pnn_status_success);
    EXPECT_EQ(oh, 1u);
    EXPECT_EQ(ow, 1u);
    ASSERT_EQ(SetupPool(k, op, x.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    EXPECT_EQ(y[0], 0.5f);
    EXPECT_TRUE(y.CheckGuards());
    pnn_delete_operator(op);
  }
}

TEST(PoolingErrors, LifecycleOrder) {
  for (Kind k : kKinds) {
    SCOPED_TRACE(KindName(k));
    const auto p = PoolingParams(2, 2, 2, 2, 3);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(CreatePool(k, &p, &op), pnn_status_success);
    std::vector<float> x(4 * 4 * 3, 1.0f);
    GuardedBuffer y(2 * 2 * 3);
    EXPECT_EQ(SetupPool(k, op, x.data(), y.data()), pnn_status_invalid_state);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    ASSERT_EQ(ReshapePool(k, op, 1, 4, 4, nullptr, nullptr), pnn_status_success);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    EXPECT_EQ(SetupPool(k, op, nullptr, y.data()), pnn_status_invalid_parameter);
    EXPECT_EQ(SetupPool(k, op, x.data(), nullptr), pnn_status_invalid_parameter);
    EXPECT_EQ(SetupPool(k, nullptr, x.data(), y.data()), pnn_status_invalid_parameter);
    EXPECT_TRUE(y.Untouched());
    ASSERT_EQ(SetupPool(k, op, x.data(), y.data()), pnn_status_success);
    // A successful reshape invalidates the setup.
    ASSERT_EQ(ReshapePool(k, op, 1, 4, 4, nullptr, nullptr), pnn_status_success);
    EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
    EXPECT_TRUE(y.Untouched());
    pnn_delete_operator(op);
  }
}

// Input and output may not share memory: the kernels read windows of the input while writing
// the output. A buffer holding both (output inside, at the start, or straddling the input's end)
// is rejected and nothing is written; disjoint neighbours in one buffer are accepted.
TEST(PoolingErrors, SetupRejectsOverlap) {
  for (Kind k : kKinds) {
    SCOPED_TRACE(KindName(k));
    const auto p = PoolingParams(2, 2, 2, 2, 3);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(CreatePool(k, &p, &op), pnn_status_success);
    ASSERT_EQ(ReshapePool(k, op, 1, 4, 4, nullptr, nullptr), pnn_status_success);
    const size_t in = 4 * 4 * 3, out = 2 * 2 * 3;
    GuardedBuffer both(in + out);
    for (const size_t at : {size_t{0}, size_t{5}, in - 1}) {
      EXPECT_EQ(SetupPool(k, op, both.data(), both.data() + at), pnn_status_invalid_parameter)
          << "output at input + " << at;
    }
    EXPECT_TRUE(both.Untouched());
    EXPECT_EQ(SetupPool(k, op, both.data(), both.data() + in), pnn_status_success);
    pnn_delete_operator(op);
  }
  pnn_operator_t g = nullptr;
  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(4, -INFINITY, INFINITY, 0, &g),
            pnn_status_success);
  ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32(g, 2, 3, nullptr), pnn_status_success);
  GuardedBuffer both(2 * 3 * 4 + 2 * 4);
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(g, both.data(), both.data() + 20),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(g, both.data() + 7, both.data()),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(both.Untouched());
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(g, both.data(), both.data() + 24),
            pnn_status_success);
  pnn_delete_operator(g);
}

TEST(PoolingErrors, ReshapeRejectsBadShapes) {
  for (Kind k : kKinds) {
    SCOPED_TRACE(KindName(k));
    const auto p = Padded(PoolingParams(3, 3, 2, 2, 3), 1, 0, 0, 1);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(CreatePool(k, &p, &op), pnn_status_success);
    size_t oh = 777, ow = 777;
    EXPECT_EQ(ReshapePool(k, nullptr, 1, 4, 4, &oh, &ow), pnn_status_invalid_parameter);
    EXPECT_EQ(ReshapePool(k, op, 0, 4, 4, &oh, &ow), pnn_status_invalid_parameter);
    EXPECT_EQ(ReshapePool(k, op, 1, 0, 4, &oh, &ow), pnn_status_invalid_parameter);
    EXPECT_EQ(ReshapePool(k, op, 1, 4, 0, &oh, &ow), pnn_status_invalid_parameter);
    // Output would be empty: 1 + 1 (top) + 0 (bottom) < 3.
    EXPECT_EQ(ReshapePool(k, op, 1, 1, 4, &oh, &ow), pnn_status_invalid_parameter);
    EXPECT_EQ(ReshapePool(k, op, 1, 4, 1, &oh, &ow), pnn_status_invalid_parameter);
    // Sizes whose byte counts overflow.
    EXPECT_EQ(ReshapePool(k, op, SIZE_MAX / 8, 4, 4, &oh, &ow), pnn_status_invalid_parameter);
    EXPECT_EQ(ReshapePool(k, op, 1, SIZE_MAX / 2, 4, &oh, &ow), pnn_status_invalid_parameter);
    EXPECT_EQ(ReshapePool(k, op, 1, size_t{1} << 31, size_t{1} << 31, &oh, &ow),
              pnn_status_invalid_parameter);
    EXPECT_EQ(oh, 777u);
    EXPECT_EQ(ow, 777u);
    // The operator of the other kind, and global average pooling, are not this operator.
    pnn_operator_t other = nullptr;
    ASSERT_EQ(CreatePool(k == Kind::kMax ? Kind::kAverage : Kind::kMax, &p, &other),
              pnn_status_success);
    EXPECT_EQ(ReshapePool(k, other, 1, 4, 4, &oh, &ow), pnn_status_invalid_parameter);
    ASSERT_EQ(ReshapePool(k == Kind::kMax ? Kind::kAverage : Kind::kMax, other, 1, 4, 4, nullptr,
                          nullptr),
              pnn_status_success);
    std::vector<float> x(4 * 4 * 3, 1.0f);
    GuardedBuffer y(2 * 2 * 3);
    EXPECT_EQ(SetupPool(k, other, x.data(), y.data()), pnn_status_invalid_parameter);
    pnn_operator_t gap = nullptr;
    ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(3, -INFINITY, INFINITY, 0, &gap),
              pnn_status_success);
    EXPECT_EQ(ReshapePool(k, gap, 1, 4, 4, &oh, &ow), pnn_status_invalid_parameter);
    EXPECT_EQ(oh, 777u);
    EXPECT_EQ(ow, 777u);
    EXPECT_TRUE(y.Untouched());
    pnn_delete_operator(gap);
    pnn_delete_operator(other);
    pnn_delete_operator(op);
  }
  // Dilation 3 over a 1-row input: the only window has taps at rows -1 and 2, both outside the
  // input although neither padding reaches the extent (4). Rejected at reshape.
  auto d = Padded(PoolingParams(2, 1, 1, 1, 3), 1, 0, 2, 0);
  d.dilation_height = 3;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&d, &op), pnn_status_success);
  size_t oh = 777, ow = 777;
  EXPECT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 1, 4, &oh, &ow, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(oh, 777u);
  ASSERT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 3, 4, &oh, &ow, nullptr), pnn_status_success);
  EXPECT_EQ(oh, 3u);
  pnn_delete_operator(op);
}

TEST(GlobalAveragePoolingErrors, EveryStatus) {
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(0, -INFINITY, INFINITY, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  op = reinterpret_cast<pnn_operator_t>(0x1);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(SIZE_MAX / 2, -INFINITY, INFINITY, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(4, 1.0f, 0.0f, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(4, NAN, 0.0f, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(4, 0.0f, NAN, 0, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(4, -INFINITY, INFINITY,
                                                      PNN_FLAG_COUNT_INCLUDE_PAD, &op),
            pnn_status_invalid_parameter);
  EXPECT_EQ(op, nullptr);
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(4, -INFINITY, INFINITY, 0, nullptr),
            pnn_status_invalid_parameter);

  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(4, -INFINITY, INFINITY, 0, &op),
            pnn_status_success);
  std::vector<float> x(3 * 4, 1.0f);
  GuardedBuffer y(4);
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, x.data(), y.data()),
            pnn_status_invalid_state);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_EQ(pnn_reshape_global_average_pooling_nwc_f32(nullptr, 1, 3, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, 0, 3, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, 1, 0, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, SIZE_MAX / 4, 3, nullptr),
            pnn_status_invalid_parameter);
  ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, 1, 3, nullptr), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_invalid_state);
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, nullptr, y.data()),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, x.data(), nullptr),
            pnn_status_invalid_parameter);
  // A pooling operator of another kind is not a global average pooling.
  auto p = PoolingParams(2, 2, 2, 2, 4);
  pnn_operator_t maxp = nullptr;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &maxp), pnn_status_success);
  EXPECT_EQ(pnn_reshape_global_average_pooling_nwc_f32(maxp, 1, 3, nullptr),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(maxp, x.data(), y.data()),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(y.Untouched());
  pnn_delete_operator(maxp);
  pnn_delete_operator(op);
}

}  // namespace
