// Data-movement operators (transpose, depth-to-space, space-to-depth, pad, concatenate, split,
// slice): randomized shapes against the index-by-index references of
// tests/reference/data-reference.h, bit for bit (the inputs are random bit patterns, NaN
// payloads included); 1 and 2 threads identical; every error status with nothing written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "reference/data-reference.h"
#include "test-utils.h"

using pnn_ref::Dims;
using pnn_test::GuardedBuffer;

namespace {

PNN_TEST_INIT_LIBRARY();

// Random 32-bit patterns: every float class, NaNs with payloads, both zeros.
std::vector<float> RandomBits(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<float> v(n);
  for (float& x : v) {
    const uint32_t bits = rng();
    std::memcpy(&x, &bits, sizeof x);
  }
  return v;
}

std::string DimsString(const Dims& s) {
  std::string r = "[";
  for (size_t i = 0; i < s.size(); i++) r += (i ? "," : "") + std::to_string(s[i]);
  return r + "]";
}

// got (a guarded buffer) holds exactly the bits of want, and its guards are intact.
::testing::AssertionResult SameBits(const GuardedBuffer& got, const std::vector<float>& want) {
  if (!got.CheckGuards()) return ::testing::AssertionFailure() << "a guard was overwritten";
  if (got.size() != want.size()) {
    return ::testing::AssertionFailure() << "size " << got.size() << " vs " << want.size();
  }
  for (size_t i = 0; i < want.size(); i++) {
    if (std::memcmp(&got[i], &want[i], sizeof(float)) != 0) {
      return ::testing::AssertionFailure() << "element " << i << " differs";
    }
  }
  return ::testing::AssertionSuccess();
}

// Owns an operator and a 2-thread pool for the scope of a test.
struct Op {
  ~Op() { pnn_delete_operator(op); }
  pnn_operator_t op = nullptr;
};

struct Pool {
  Pool() { EXPECT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success); }
  ~Pool() { pnn_threadpool_destroy(pool); }
  pnn_threadpool_t pool = nullptr;
};

// Runs op (set up on x and y) with 1 and then 2 threads, y checked against want each time.
void RunBothAndCheck(pnn_operator_t op, GuardedBuffer& y, const std::vector<float>& want,
                     const std::string& what) {
  static Pool pool;
  for (pnn_threadpool_t p : {static_cast<pnn_threadpool_t>(nullptr), pool.pool}) {
    for (size_t i = 0; i < y.size(); i++) y[i] = GuardedBuffer::Sentinel();
    ASSERT_EQ(pnn_run_operator(op, p), pnn_status_success) << what;
    ASSERT_TRUE(SameBits(y, want)) << what << (p ? " (2 threads)" : " (1 thread)");
  }
}

Dims RandomShape(std::mt19937& rng, size_t max_dim) {
  Dims s(1 + rng() % PNN_MAX_DIMS);
  for (size_t& d : s) d = rng() % 4 == 0 ? 1 : 1 + rng() % max_dim;
  return s;
}

// ---------------------------------------------------------------------------------------------
// Transpose

void CheckTranspose(const Dims& shape, const Dims& perm, uint32_t seed) {
  const std::string what = "transpose " + DimsString(shape) + " by " + DimsString(perm);
  Op op;
  ASSERT_EQ(pnn_create_transpose_nd_x32(0, &op.op), pnn_status_success);
  Dims out(shape.size(), 0);
  ASSERT_EQ(pnn_reshape_transpose_nd_x32(op.op, shape.size(), shape.data(), perm.data(),
                                         out.data(), nullptr),
            pnn_status_success)
      << what;
  for (size_t j = 0; j < perm.size(); j++) ASSERT_EQ(out[j], shape[perm[j]]) << what;
  const auto x = RandomBits(pnn_ref::Count(shape), seed);
  GuardedBuffer y(x.size());
  ASSERT_EQ(pnn_setup_transpose_nd_x32(op.op, x.data(), y.data()), pnn_status_success);
  RunBothAndCheck(op.op, y, pnn_ref::transpose(shape, perm, x), what);
}

TEST(Transpose, FixedShapes) {
  CheckTranspose({5}, {0}, 1);
  CheckTranspose({3, 4}, {1, 0}, 2);
  CheckTranspose({33, 67}, {1, 0}, 3);
  CheckTranspose({2, 3, 4}, {0, 1, 2}, 4);
  CheckTranspose({2, 3, 4}, {2, 0, 1}, 5);
  CheckTranspose({2, 3, 4}, {1, 0, 2}, 6);
  CheckTranspose({1, 58, 2, 28, 28}, {0, 2, 1, 3, 4}, 7);  // ShuffleNet channel shuffle (NCHW)
  CheckTranspose({1, 784, 2, 58}, {0, 1, 3, 2}, 8);        // the same in NHWC
  CheckTranspose({197, 12, 64}, {1, 0, 2}, 9);             // ViT heads
  CheckTranspose({2, 3, 5, 7, 2, 3}, {5, 4, 3, 2, 1, 0}, 10);
  CheckTranspose({1, 1, 1}, {2, 1, 0}, 11);
  CheckTranspose({300, 1, 257}, {2, 1, 0}, 12);
}

TEST(Transpose, RandomShapesAndPermutations) {
  std::mt19937 rng(31);
  for (int t = 0; t < 300; t++) {
    const Dims shape = RandomShape(rng, 9);
    Dims perm(shape.size());
    for (size_t i = 0; i < perm.size(); i++) perm[i] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    CheckTranspose(shape, perm, 100 + t);
    if (HasFatalFailure()) return;
  }
}

TEST(Transpose, Errors) {
  Op op;
  ASSERT_EQ(pnn_create_transpose_nd_x32(0, &op.op), pnn_status_success);
  const size_t shape[3] = {2, 3, 4}, perm[3] = {2, 0, 1};
  const size_t dup[3] = {2, 0, 2}, range[3] = {0, 3, 1}, zero[3] = {2, 0, 4};
  const size_t huge[3] = {SIZE_MAX / 2, 3, 1};
  size_t out[3] = {7, 7, 7};
  // Each: rank 0 or 7, a repeated or out-of-range perm entry, a zero or overflowing shape, NULLs.
  const struct {
    size_t rank;
    const size_t* shape;
    const size_t* perm;
  } bad[] = {{0, shape, perm}, {7, shape, perm}, {3, shape, dup},      {3, shape, range},
             {3, zero, perm},  {3, huge, perm},  {3, nullptr, perm}, {3, shape, nullptr}};
  for (const auto& b : bad) {
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_reshape_transpose_nd_x32(op.op, b.rank, b.shape, b.perm, out, nullptr));
  }
  EXPECT_EQ(out[0], 7u);
  EXPECT_EQ(out[2], 7u);
  GuardedBuffer x(24), y(24);
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_setup_transpose_nd_x32(op.op, x.data(), y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op.op, nullptr));
  ASSERT_EQ(pnn_reshape_transpose_nd_x32(op.op, 3, shape, perm, nullptr, nullptr),
            pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_setup_transpose_nd_x32(op.op, x.data(), x.data() + 23));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_transpose_nd_x32(op.op, nullptr, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_transpose_nd_x32(op.op, x.data(), nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_transpose_nd_x32(nullptr, x.data(), y.data()));
  EXPECT_TRUE(y.Untouched());
  // A failed reshape keeps the previous shape and setup.
  const auto xv = RandomBits(24, 5);
  ASSERT_EQ(pnn_setup_transpose_nd_x32(op.op, xv.data(), y.data()), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_transpose_nd_x32(op.op, 3, shape, dup, nullptr, nullptr));
  ASSERT_EQ(pnn_run_operator(op.op, nullptr), pnn_status_success);
  EXPECT_TRUE(SameBits(y, pnn_ref::transpose({2, 3, 4}, {2, 0, 1}, xv)));
  // Another type's operator.
  Op other;
  ASSERT_EQ(pnn_create_slice_nd_x32(0, &other.op), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_transpose_nd_x32(other.op, 3, shape, perm, nullptr, nullptr));
}

TEST(Transpose, CreateErrors) {
  pnn_operator_t op = reinterpret_cast<pnn_operator_t>(&op);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_transpose_nd_x32(4, &op));
  EXPECT_EQ(op, nullptr);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_transpose_nd_x32(0, nullptr));
}

// ---------------------------------------------------------------------------------------------
// Depth-to-space, space-to-depth

void CheckDepthToSpace(size_t n, size_t h, size_t w, size_t c, uint32_t b, bool crd,
                       uint32_t seed) {
  const std::string what = "depth-to-space " + DimsString({n, h, w, c}) + " block " +
                           std::to_string(b) + (crd ? " CRD" : " DCR");
  Op op;
  ASSERT_EQ(pnn_create_depth_to_space_nhwc_x32(
                b, crd ? pnn_depth_to_space_crd : pnn_depth_to_space_dcr, 0, &op.op),
            pnn_status_success);
  size_t oh = 0, ow = 0, oc = 0;
  ASSERT_EQ(pnn_reshape_depth_to_space_nhwc_x32(op.op, n, h, w, c, &oh, &ow, &oc, nullptr),
            pnn_status_success)
      << what;
  EXPECT_EQ(oh, h * b);
  EXPECT_EQ(ow, w * b);
  EXPECT_EQ(oc, c / (b * b));
  const auto x = RandomBits(n * h * w * c, seed);
  GuardedBuffer y(x.size());
  ASSERT_EQ(pnn_setup_depth_to_space_nhwc_x32(op.op, x.data(), y.data()), pnn_status_success);
  RunBothAndCheck(op.op, y, pnn_ref::depth_to_space(n, h, w, c, b, crd, x), what);
}

void CheckSpaceToDepth(size_t n, size_t h, size_t w, size_t c, uint32_t b, uint32_t seed) {
  const std::string what =
      "space-to-depth " + DimsString({n, h, w, c}) + " block " + std::to_string(b);
  Op op;
  ASSERT_EQ(pnn_create_space_to_depth_nhwc_x32(b, 0, &op.op), pnn_status_success);
  size_t oh = 0, ow = 0, oc = 0;
  ASSERT_EQ(pnn_reshape_space_to_depth_nhwc_x32(op.op, n, h, w, c, &oh, &ow, &oc, nullptr),
            pnn_status_success)
      << what;
  EXPECT_EQ(oc, c * b * b);
  const auto x = RandomBits(n * h * w * c, seed);
  GuardedBuffer y(x.size());
  ASSERT_EQ(pnn_setup_space_to_depth_nhwc_x32(op.op, x.data(), y.data()), pnn_status_success);
  RunBothAndCheck(op.op, y, pnn_ref::space_to_depth(n, h, w, c, b, x), what);
}

TEST(DepthToSpace, RandomShapes) {
  std::mt19937 rng(41);
  for (int t = 0; t < 120; t++) {
    const uint32_t b = 1 + rng() % 4;
    const size_t n = 1 + rng() % 2, h = 1 + rng() % 7, w = 1 + rng() % 7;
    const size_t c = b * b * (1 + rng() % 9);
    CheckDepthToSpace(n, h, w, c, b, t % 2 == 1, 300 + t);
    if (HasFatalFailure()) return;
  }
  CheckDepthToSpace(1, 56, 56, 64, 2, false, 1);  // a super-resolution head
  CheckDepthToSpace(1, 56, 56, 64, 2, true, 2);
}

TEST(SpaceToDepth, RandomShapes) {
  std::mt19937 rng(43);
  for (int t = 0; t < 120; t++) {
    const uint32_t b = 1 + rng() % 4;
    const size_t n = 1 + rng() % 2, h = b * (1 + rng() % 5), w = b * (1 + rng() % 5);
    CheckSpaceToDepth(n, h, w, 1 + rng() % 9, b, 500 + t);
    if (HasFatalFailure()) return;
  }
}

TEST(DepthToSpace, Errors) {
  pnn_operator_t op = nullptr;
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_depth_to_space_nhwc_x32(0, pnn_depth_to_space_dcr, 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_depth_to_space_nhwc_x32(2, static_cast<pnn_depth_to_space_mode>(2), 0, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_depth_to_space_nhwc_x32(2, pnn_depth_to_space_dcr, 1, &op));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_space_to_depth_nhwc_x32(0, 0, &op));
  EXPECT_EQ(op, nullptr);
  Op d2s, s2d;
  ASSERT_EQ(pnn_create_depth_to_space_nhwc_x32(2, pnn_depth_to_space_crd, 0, &d2s.op),
            pnn_status_success);
  ASSERT_EQ(pnn_create_space_to_depth_nhwc_x32(3, 0, &s2d.op), pnn_status_success);
  size_t oh = 9, ow = 9, oc = 9;
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_depth_to_space_nhwc_x32(d2s.op, 1, 2, 2, 6, &oh, &ow, &oc, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_depth_to_space_nhwc_x32(d2s.op, 0, 2, 2, 8, &oh, &ow, &oc, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_depth_to_space_nhwc_x32(d2s.op, SIZE_MAX / 4, 2, 2, 8, &oh, &ow, &oc, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_space_to_depth_nhwc_x32(s2d.op, 1, 4, 3, 2, &oh, &ow, &oc, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_space_to_depth_nhwc_x32(s2d.op, 1, 3, 4, 2, &oh, &ow, &oc, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_space_to_depth_nhwc_x32(d2s.op, 1, 3, 3, 2, &oh, &ow, &oc, nullptr));
  EXPECT_EQ(oh + ow + oc, 27u);
}

// ---------------------------------------------------------------------------------------------
// Pad

void CheckPad(const Dims& shape, const Dims& pre, const Dims& post, pnn_pad_mode mode,
              float value, uint32_t seed) {
  const std::string what = "pad mode " + std::to_string(mode) + " " + DimsString(shape) +
                           " pre " + DimsString(pre) + " post " + DimsString(post);
  Op op;
  ASSERT_EQ(pnn_create_pad_nd_x32(mode, value, 0, &op.op), pnn_status_success);
  Dims out(shape.size(), 0);
  ASSERT_EQ(pnn_reshape_pad_nd_x32(op.op, shape.size(), shape.data(), pre.data(), post.data(),
                                   out.data(), nullptr),
            pnn_status_success)
      << what;
  for (size_t d = 0; d < shape.size(); d++) ASSERT_EQ(out[d], pre[d] + shape[d] + post[d]);
  const auto x = RandomBits(pnn_ref::Count(shape), seed);
  GuardedBuffer y(pnn_ref::Count(out));
  ASSERT_EQ(pnn_setup_pad_nd_x32(op.op, x.data(), y.data()), pnn_status_success);
  RunBothAndCheck(op.op, y, pnn_ref::pad(shape, pre, post, mode, value, x), what);
}

TEST(Pad, RandomShapesEveryMode) {
  std::mt19937 rng(51);
  for (int t = 0; t < 450; t++) {
    const auto mode = static_cast<pnn_pad_mode>(t % 3);
    const Dims shape = RandomShape(rng, 7);
    Dims pre(shape.size()), post(shape.size());
    for (size_t d = 0; d < shape.size(); d++) {
      const size_t limit = mode == pnn_pad_reflect ? shape[d] : 4;  // reflect: pad < dim
      pre[d] = rng() % 3 == 0 ? 0 : rng() % limit;
      post[d] = rng() % 3 == 0 ? 0 : rng() % limit;
    }
    CheckPad(shape, pre, post, mode, -1.5f, 700 + t);
    if (HasFatalFailure()) return;
  }
  // DenseNet / ResNet stem style: spatial padding of NHWC images.
  CheckPad({1, 56, 56, 64}, {0, 1, 1, 0}, {0, 1, 1, 0}, pnn_pad_constant, 0.0f, 1);
  CheckPad({1, 56, 56, 3}, {0, 3, 3, 0}, {0, 3, 3, 0}, pnn_pad_reflect, 0.0f, 2);
  CheckPad({1, 20, 20, 5}, {0, 9, 0, 0}, {0, 0, 12, 0}, pnn_pad_edge, 0.0f, 3);
}

TEST(Pad, ValueMovedByItsBits) {
  uint32_t bits = 0xFFA51234u;  // a negative NaN with a payload
  float nan;
  std::memcpy(&nan, &bits, sizeof nan);
  CheckPad({3, 5}, {1, 2}, {2, 0}, pnn_pad_constant, nan, 9);
  CheckPad({3, 5}, {1, 2}, {2, 0}, pnn_pad_constant, -0.0f, 10);
  CheckPad({3, 5}, {1, 2}, {2, 0}, pnn_pad_constant, INFINITY, 11);
}

TEST(Pad, Errors) {
  pnn_operator_t bad = nullptr;
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_pad_nd_x32(static_cast<pnn_pad_mode>(3), 0.0f, 0, &bad));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_pad_nd_x32(pnn_pad_edge, 0.0f, 2, &bad));
  Op op;
  ASSERT_EQ(pnn_create_pad_nd_x32(pnn_pad_reflect, 0.0f, 0, &op.op), pnn_status_success);
  const size_t shape[2] = {3, 4}, ok[2] = {1, 3}, big[2] = {3, 0}, zero[2] = {0, 4};
  const size_t huge[2] = {SIZE_MAX - 1, 0};
  size_t out[2] = {7, 7};
  // Reflect paddings >= the dim on either side, a zero dim, rank 0, NULL paddings.
  const struct {
    size_t rank;
    const size_t *shape, *pre, *post;
  } cases[] = {{2, shape, big, ok}, {2, shape, ok, big},     {2, zero, ok, ok},
               {0, shape, ok, ok},  {2, shape, nullptr, ok}, {2, shape, ok, nullptr}};
  for (const auto& b : cases) {
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_reshape_pad_nd_x32(op.op, b.rank, b.shape, b.pre, b.post, out, nullptr));
  }
  Op constant;
  ASSERT_EQ(pnn_create_pad_nd_x32(pnn_pad_constant, 0.0f, 0, &constant.op), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_pad_nd_x32(constant.op, 2, shape, huge, ok, out, nullptr));
  const size_t half[2] = {SIZE_MAX / 8, 0};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_pad_nd_x32(constant.op, 2, shape, half, ok, out, nullptr));
  EXPECT_EQ(out[0] + out[1], 14u);
  ASSERT_EQ(pnn_reshape_pad_nd_x32(op.op, 2, shape, ok, ok, nullptr, nullptr), pnn_status_success);
  GuardedBuffer x(12), y(50);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_pad_nd_x32(op.op, y.data() + 40, y.data()));
  EXPECT_TRUE(y.Untouched());
}

// ---------------------------------------------------------------------------------------------
// Concatenate, split

void CheckConcatenate(const std::vector<Dims>& shapes, size_t axis, uint32_t seed) {
  std::string what = "concatenate axis " + std::to_string(axis);
  for (const Dims& s : shapes) what += " " + DimsString(s);
  Op op;
  ASSERT_EQ(pnn_create_concatenate_nd_x32(shapes.size(), axis, 0, &op.op), pnn_status_success);
  const size_t nd = shapes[0].size();
  Dims flat_shapes;
  std::vector<std::vector<float>> inputs;
  std::vector<const void*> pointers;
  for (const Dims& s : shapes) {
    flat_shapes.insert(flat_shapes.end(), s.begin(), s.end());
    inputs.push_back(RandomBits(pnn_ref::Count(s), seed++));
  }
  for (const auto& v : inputs) pointers.push_back(v.data());
  Dims out(nd, 0);
  ASSERT_EQ(pnn_reshape_concatenate_nd_x32(op.op, nd, flat_shapes.data(), out.data(), nullptr),
            pnn_status_success)
      << what;
  const auto want = pnn_ref::concatenate(shapes, axis, inputs);
  ASSERT_EQ(pnn_ref::Count(out), want.size()) << what;
  GuardedBuffer y(want.size());
  ASSERT_EQ(pnn_setup_concatenate_nd_x32(op.op, pointers.data(), y.data()), pnn_status_success);
  RunBothAndCheck(op.op, y, want, what);
}

void CheckSplit(const Dims& shape, size_t axis, const Dims& sizes, uint32_t seed) {
  const std::string what = "split " + DimsString(shape) + " axis " + std::to_string(axis) +
                           " into " + DimsString(sizes);
  Op op;
  ASSERT_EQ(pnn_create_split_nd_x32(sizes.size(), axis, 0, &op.op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_split_nd_x32(op.op, shape.size(), shape.data(), sizes.data(), nullptr),
            pnn_status_success)
      << what;
  const auto x = RandomBits(pnn_ref::Count(shape), seed);
  const auto want = pnn_ref::split(shape, axis, sizes, x);
  std::vector<GuardedBuffer> ys;
  std::vector<void*> pointers;
  for (const auto& w : want) ys.emplace_back(w.size());
  for (auto& y : ys) pointers.push_back(y.data());
  ASSERT_EQ(pnn_setup_split_nd_x32(op.op, x.data(), pointers.data()), pnn_status_success);
  static Pool pool;
  for (pnn_threadpool_t p : {static_cast<pnn_threadpool_t>(nullptr), pool.pool}) {
    ASSERT_EQ(pnn_run_operator(op.op, p), pnn_status_success);
    for (size_t k = 0; k < ys.size(); k++) ASSERT_TRUE(SameBits(ys[k], want[k])) << what << " part " << k;
  }
}

TEST(Concatenate, RandomShapes) {
  std::mt19937 rng(61);
  for (int t = 0; t < 250; t++) {
    const Dims base = RandomShape(rng, 6);
    const size_t axis = rng() % base.size();
    std::vector<Dims> shapes(2 + rng() % 4, base);
    for (Dims& s : shapes) s[axis] = 1 + rng() % 5;
    CheckConcatenate(shapes, axis, 1000 + 10 * t);
    if (HasFatalFailure()) return;
  }
  CheckConcatenate({{1, 28, 28, 128}, {1, 28, 28, 32}}, 3, 5);  // DenseNet
  CheckConcatenate({{1, 64, 28, 28}, {1, 32, 28, 28}}, 1, 6);  // DenseNet, NCHW
  CheckConcatenate({{300000}, {7}}, 0, 7);
}

TEST(Split, RandomShapes) {
  std::mt19937 rng(71);
  for (int t = 0; t < 250; t++) {
    Dims shape = RandomShape(rng, 6);
    const size_t axis = rng() % shape.size();
    Dims sizes(2 + rng() % 4);
    shape[axis] = 0;
    for (size_t& s : sizes) shape[axis] += (s = 1 + rng() % 5);
    CheckSplit(shape, axis, sizes, 2000 + t);
    if (HasFatalFailure()) return;
  }
  CheckSplit({1, 28, 28, 116}, 3, {58, 58}, 5);  // ShuffleNet's channel split
}

TEST(Concatenate, Errors) {
  pnn_operator_t bad = nullptr;
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_concatenate_nd_x32(1, 0, 0, &bad));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_concatenate_nd_x32(PNN_MAX_CONCAT_PARTS + 1, 0, 0, &bad));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_create_concatenate_nd_x32(2, PNN_MAX_DIMS, 0, &bad));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_split_nd_x32(0, 0, 0, &bad));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_split_nd_x32(2, 0, 8, &bad));
  Op op;
  ASSERT_EQ(pnn_create_concatenate_nd_x32(2, 1, 0, &op.op), pnn_status_success);
  const size_t mismatch[4] = {2, 3, 4, 5}, zero[4] = {2, 0, 2, 5}, ok[4] = {2, 3, 2, 5};
  const size_t huge[4] = {SIZE_MAX / 2, 1, SIZE_MAX / 2, 1};
  size_t out[2] = {7, 7};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_concatenate_nd_x32(op.op, 2, mismatch, out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_concatenate_nd_x32(op.op, 2, zero, out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_concatenate_nd_x32(op.op, 1, ok, out, nullptr));  // axis 1 >= 1
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_concatenate_nd_x32(op.op, 2, huge, out, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_concatenate_nd_x32(op.op, 2, nullptr, out, nullptr));
  EXPECT_EQ(out[0] + out[1], 14u);
  ASSERT_EQ(pnn_reshape_concatenate_nd_x32(op.op, 2, ok, out, nullptr), pnn_status_success);
  EXPECT_EQ(out[1], 8u);
  GuardedBuffer a(6), b(10), y(16);
  const void* inputs[2] = {a.data(), y.data() + 15};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_concatenate_nd_x32(op.op, inputs, y.data()));
  inputs[1] = nullptr;
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_concatenate_nd_x32(op.op, inputs, y.data()));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_concatenate_nd_x32(op.op, nullptr, y.data()));
  EXPECT_TRUE(y.Untouched());

  Op split;
  ASSERT_EQ(pnn_create_split_nd_x32(2, 0, 0, &split.op), pnn_status_success);
  const size_t shape[2] = {5, 3}, sizes_short[2] = {2, 2}, sizes_long[2] = {3, 3};
  const size_t sizes_zero[2] = {0, 5}, sizes_ok[2] = {2, 3};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_split_nd_x32(split.op, 2, shape, sizes_short, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_split_nd_x32(split.op, 2, shape, sizes_long, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_split_nd_x32(split.op, 2, shape, sizes_zero, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_split_nd_x32(split.op, 2, shape, nullptr, nullptr));
  ASSERT_EQ(pnn_reshape_split_nd_x32(split.op, 2, shape, sizes_ok, nullptr), pnn_status_success);
  GuardedBuffer x(15), p0(6), p1(9);
  void* outs[2] = {p0.data(), p0.data() + 3};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_split_nd_x32(split.op, x.data(), outs));
  outs[1] = x.data() + 2;
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_split_nd_x32(split.op, x.data(), outs));
  EXPECT_TRUE(p0.Untouched());
}

// ---------------------------------------------------------------------------------------------
// Slice

void CheckSlice(const Dims& shape, const std::vector<int64_t>& begins,
                const std::vector<int64_t>& ends, const std::vector<int64_t>& steps,
                uint32_t seed) {
  const std::string what = "slice " + DimsString(shape);
  Op op;
  ASSERT_EQ(pnn_create_slice_nd_x32(0, &op.op), pnn_status_success);
  Dims out(shape.size(), 0);
  ASSERT_EQ(pnn_reshape_slice_nd_x32(op.op, shape.size(), shape.data(), begins.data(),
                                     ends.data(), steps.data(), out.data(), nullptr),
            pnn_status_success)
      << what;
  const auto x = RandomBits(pnn_ref::Count(shape), seed);
  Dims want_shape;
  const auto want = pnn_ref::slice(shape, begins, ends, steps, x, &want_shape);
  ASSERT_EQ(out, want_shape) << what;
  GuardedBuffer y(want.size());
  ASSERT_EQ(pnn_setup_slice_nd_x32(op.op, x.data(), y.data()), pnn_status_success);
  RunBothAndCheck(op.op, y, want, what);
}

TEST(Slice, RandomBoundsAndSteps) {
  std::mt19937 rng(81);
  int checked = 0;
  for (int t = 0; checked < 300; t++) {
    const Dims shape = RandomShape(rng, 9);
    std::vector<int64_t> b(shape.size()), e(shape.size()), s(shape.size());
    bool empty = false;
    for (size_t d = 0; d < shape.size(); d++) {
      const int64_t n = static_cast<int64_t>(shape[d]);
      const int kind = rng() % 5;
      b[d] = kind == 0 ? 0 : kind == 1 ? -static_cast<int64_t>(rng() % (n + 3)) : rng() % n;
      e[d] = kind == 2 ? INT64_MAX : kind == 3 ? -static_cast<int64_t>(rng() % n) : 1 + rng() % (n + 2);
      if (kind == 4) e[d] = n, b[d] = INT64_MIN;
      s[d] = rng() % 3 == 0 ? 1 + rng() % 4 : 1;
      Dims tmp;
      pnn_ref::slice({shape[d]}, {b[d]}, {e[d]}, {s[d]}, std::vector<float>(shape[d]), &tmp);
      empty = empty || tmp[0] == 0;
    }
    if (empty) continue;  // the library has no empty tensors (tested in Errors)
    CheckSlice(shape, b, e, s, 3000 + t);
    if (HasFatalFailure()) return;
    checked++;
  }
  CheckSlice({1, 28, 28, 116}, {0, 0, 0, 58}, {1, 28, 28, 116}, {1, 1, 1, 1}, 1);
  CheckSlice({4096, 64}, {0, 0}, {4096, 64}, {1, 2}, 2);  // a gather
  CheckSlice({300000}, {5}, {299999}, {1}, 3);
}

TEST(Slice, Errors) {
  Op op;
  ASSERT_EQ(pnn_create_slice_nd_x32(0, &op.op), pnn_status_success);
  const size_t shape[2] = {3, 4};
  const int64_t b[2] = {0, 0}, e[2] = {3, 4}, empty[2] = {3, 0}, step0[2] = {1, 0};
  const int64_t neg[2] = {1, -1};
  size_t out[2] = {7, 7};
  // {begins, ends, steps} and rank: an empty dim, steps 0 and -1, rank 0, NULL bounds.
  const int64_t* const bad[][3] = {{b, empty, nullptr}, {b, e, step0},       {b, e, neg},
                                   {b, e, nullptr},     {nullptr, e, nullptr}, {b, nullptr, nullptr}};
  const size_t ranks[] = {2, 2, 2, 0, 2, 2};
  for (size_t i = 0; i < 6; i++) {
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                      pnn_reshape_slice_nd_x32(op.op, ranks[i], shape, bad[i][0], bad[i][1],
                                               bad[i][2], out, nullptr));
  }
  EXPECT_EQ(out[0] + out[1], 14u);
  ASSERT_EQ(pnn_reshape_slice_nd_x32(op.op, 2, shape, b, e, nullptr, nullptr, nullptr),
            pnn_status_success);
  GuardedBuffer y(20);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_slice_nd_x32(op.op, y.data() + 8, y.data()));
  EXPECT_TRUE(y.Untouched());
}

}  // namespace
