// Unit tests of the shape module (src/shape.h): element counts and row spans, broadcasting,
// broadcast folding, permutation and slice normalization. Each function is checked against a
// brute-force reference on small shapes (every index of the result maps to the same element)
// and against hostile values: SIZE_MAX dims, rank 0 and rank > PNN_MAX_DIMS, NULL pointers,
// permutations with repeated or out-of-range entries, negative, huge and empty slice bounds.
// A failure must record a reason naming the argument, and leave the result untouched.
#include "shape.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "error.h"

namespace {

using pnn::Broadcast;
using pnn::FoldedBroadcast;
using pnn::Permutation;
using pnn::Slice;

constexpr size_t kHuge = 0xFFFFFFFFu;  // fits a 32-bit size_t; its square does not

// Runs `call` inside an API scope named "shape_test" and returns the recorded message.
template <typename F>
std::string ReasonOf(F call, pnn_status expect = pnn_status_invalid_parameter) {
  pnn::ApiScope scope("shape_test");
  const pnn_status s = call();
  EXPECT_EQ(s, expect);
  return pnn_last_error_message();
}

// The message starts with the scope's name and contains `text`.
void ExpectReason(const std::string& message, const std::string& text) {
  EXPECT_EQ(message.rfind("shape_test: ", 0), 0u) << message;
  EXPECT_NE(message.find(text), std::string::npos)
      << "\"" << message << "\" lacks \"" << text << "\"";
}

// ---------------------------------------------------------------------------------------------
// element_count, row_span

TEST(ElementCount, Values) {
  size_t n = 7;
  EXPECT_TRUE(pnn::element_count(nullptr, 0, &n));
  EXPECT_EQ(n, 1u);  // rank 0: one element
  const size_t dims[] = {2, 3, 4};
  EXPECT_TRUE(pnn::element_count(dims, 3, &n));
  EXPECT_EQ(n, 24u);
  const size_t at_bound[] = {SIZE_MAX / sizeof(float)};
  EXPECT_TRUE(pnn::element_count(at_bound, 1, &n));
  EXPECT_EQ(n, SIZE_MAX / sizeof(float));
}

TEST(ElementCount, Hostile) {
  const std::vector<std::vector<size_t>> bad = {
      {SIZE_MAX}, {SIZE_MAX / sizeof(float) + 1}, {kHuge, kHuge, kHuge}, {2, SIZE_MAX / 2 + 1}};
  for (const auto& dims : bad) {
    size_t n = 7;
    EXPECT_FALSE(pnn::element_count(dims.data(), dims.size(), &n)) << dims[0];
    EXPECT_EQ(n, 7u);
  }
}

TEST(RowSpan, Values) {
  size_t span = 0;
  pnn::ApiScope scope("shape_test");
  EXPECT_EQ(pnn::row_span({"rows", 3, "len", 5, "stride", 7}, &span), pnn_status_success);
  EXPECT_EQ(span, 2u * 7 + 5);
  // One row never reaches the second: a huge stride is fine.
  EXPECT_EQ(pnn::row_span({"rows", 1, "len", 5, "stride", SIZE_MAX}, &span), pnn_status_success);
  EXPECT_EQ(span, 5u);
}

TEST(RowSpan, Hostile) {
  size_t span = 99;
  ExpectReason(ReasonOf([&] {
                 return pnn::row_span({"rows", 3, "len", 5, "stride", 4}, &span);
               }),
               "stride is 4; it must be >= len (5)");
  ExpectReason(ReasonOf([&] {
                 return pnn::row_span({"batch_size", kHuge, "len", 5, "st", kHuge}, &span);
               }),
               "batch_size (4294967295) rows of st (4294967295) floats overflow size_t bytes");
  ExpectReason(ReasonOf([&] {
                 return pnn::row_span({"r", 2, "len", 1, "s", SIZE_MAX}, &span);
               }),
               "overflow");
  ExpectReason(
      ReasonOf([&] {
        return pnn::row_span({"r", 1, "len", SIZE_MAX / 4 + 1, "s", SIZE_MAX / 4 + 1}, &span);
      }),
      "overflow");
  EXPECT_EQ(span, 99u);
}

TEST(RowLayout, PlanAndOverlap) {
  pnn::ApiScope scope("shape_test");
  pnn::RowLayout rows;
  ASSERT_EQ(
      pnn::plan_rows({"n", 3, "c", 5, "in_stride", 8}, {"n", 3, "c", 5, "out_stride", 6}, &rows),
      pnn_status_success);
  EXPECT_EQ(rows.input_span, 21u);
  EXPECT_EQ(rows.output_span, 17u);
  float buf[64];
  EXPECT_EQ(pnn::check_rows_overlap(buf, buf + 21, rows, false), pnn_status_success);
  EXPECT_EQ(pnn::check_rows_overlap(buf + 17, buf, rows, false), pnn_status_success);
  ExpectReason(ReasonOf([&] { return pnn::check_rows_overlap(buf, buf + 5, rows, false); }),
               "input and output overlap; ");
  // Same pointer, different strides: not in place.
  ExpectReason(ReasonOf([&] { return pnn::check_rows_overlap(buf, buf, rows, true); }),
               "are not the same rows");
  ASSERT_EQ(pnn::plan_rows({"n", 3, "c", 5, "s", 8}, {"n", 3, "c", 5, "s", 8}, &rows),
            pnn_status_success);
  EXPECT_EQ(pnn::check_rows_overlap(buf, buf, rows, true), pnn_status_success);
  ExpectReason(ReasonOf([&] { return pnn::check_rows_overlap(buf, buf, rows, false); }),
               "must not share memory");
  // One row never takes its stride: it counts as dense, and in place with any strides.
  ASSERT_EQ(pnn::plan_rows({"n", 1, "c", 5, "s", 8}, {"n", 1, "c", 5, "s", SIZE_MAX}, &rows),
            pnn_status_success);
  EXPECT_EQ(rows.input_stride, 5u);
  EXPECT_EQ(rows.output_stride, 5u);
  EXPECT_EQ(pnn::check_rows_overlap(buf, buf, rows, true), pnn_status_success);
  ASSERT_EQ(pnn::plan_rows({"n", 3, "c", 5, "s", 8}, {"n", 3, "c", 5, "s", 8}, &rows),
            pnn_status_success);
  // A failed plan leaves the layout.
  ExpectReason(ReasonOf([&] {
                 return pnn::plan_rows({"n", 3, "c", 5, "s", 8}, {"n", 3, "c", 5, "t", 4}, &rows);
               }),
               "t is 4; it must be >= c (5)");
  EXPECT_EQ(rows.input_stride, 8u);
  EXPECT_EQ(rows.output_stride, 8u);
}

// ---------------------------------------------------------------------------------------------
// broadcast_shapes

pnn_status BroadcastOf(const std::vector<size_t>& a, const std::vector<size_t>& b, Broadcast* out,
                       size_t min_rank = 1) {
  return pnn::broadcast_shapes({"num_dims_a", "shape_a", a.size(), a.empty() ? nullptr : a.data()},
                               {"num_dims_b", "shape_b", b.size(), b.empty() ? nullptr : b.data()},
                               min_rank, out);
}

TEST(BroadcastShapes, NumpyRules) {
  Broadcast bc;
  pnn::ApiScope scope("shape_test");
  ASSERT_EQ(BroadcastOf({2, 1, 4}, {3, 1}, &bc), pnn_status_success);
  EXPECT_EQ(bc.num_dims, 3u);
  EXPECT_EQ(std::vector<size_t>(bc.out, bc.out + 3), (std::vector<size_t>{2, 3, 4}));
  EXPECT_EQ(std::vector<size_t>(bc.b, bc.b + 3), (std::vector<size_t>{1, 3, 1}));
  EXPECT_EQ(bc.count_a, 8u);
  EXPECT_EQ(bc.count_b, 3u);
  EXPECT_EQ(bc.count_out, 24u);
  ASSERT_EQ(BroadcastOf({5}, {7, 1, 5}, &bc), pnn_status_success);
  EXPECT_EQ(std::vector<size_t>(bc.out, bc.out + 3), (std::vector<size_t>{7, 1, 5}));
  // Rank 0 where allowed (batch matmul's batch shape): one element.
  ASSERT_EQ(BroadcastOf({}, {}, &bc, 0), pnn_status_success);
  EXPECT_EQ(bc.num_dims, 0u);
  EXPECT_EQ(bc.count_out, 1u);
  EXPECT_STREQ(pnn_last_error_message(), "");
}

TEST(BroadcastShapes, Hostile) {
  Broadcast bc;
  bc.num_dims = 77;
  const std::vector<size_t> seven(7, 1);
  ExpectReason(ReasonOf([&] {
                 return BroadcastOf({2, 1, 3}, {1, 4}, &bc);
               }),
               "shape_a[2] = 3 and shape_b[1] = 4 do not broadcast; each pair of dims");
  ExpectReason(ReasonOf([&] {
                 return BroadcastOf({2, 3}, {3, 2}, &bc);
               }),
               "shape_a[0] = 2 and shape_b[0] = 3 do not broadcast");
  ExpectReason(ReasonOf([&] {
                 return BroadcastOf({5, 1, 2}, {1, 4, 3}, &bc);
               }),
               "shape_a[2] = 2 and shape_b[2] = 3");
  ExpectReason(ReasonOf([&] { return BroadcastOf({}, {2}, &bc); }),
               "num_dims_a is 0; it must be 1 to 6");
  ExpectReason(ReasonOf([&] { return BroadcastOf({2}, seven, &bc); }),
               "num_dims_b is 7; it must be 1 to 6");
  ExpectReason(ReasonOf([&] {
                 return pnn::broadcast_shapes({"num_dims_a", "shape_a", SIZE_MAX, nullptr},
                                              {"num_dims_b", "shape_b", 1, seven.data()}, 1, &bc);
               }),
               "num_dims_a is ");
  ExpectReason(ReasonOf([&] {
                 return pnn::broadcast_shapes({"num_dims_a", "shape_a", 2, nullptr},
                                              {"num_dims_b", "shape_b", 1, seven.data()}, 1, &bc);
               }),
               "shape_a is NULL with num_dims_a = 2");
  ExpectReason(ReasonOf([&] {
                 return BroadcastOf({2, 0}, {2, 1}, &bc);
               }),
               "shape_a[1] is 0; every dim must be >= 1");
  ExpectReason(ReasonOf([&] { return BroadcastOf({1}, {0}, &bc); }), "shape_b[0] is 0");
  ExpectReason(ReasonOf([&] { return BroadcastOf({SIZE_MAX}, {1}, &bc); }),
               "the broadcast output shape has too many elements");
  ExpectReason(ReasonOf([&] {
                 return BroadcastOf({kHuge, 1}, {1, kHuge}, &bc);
               }),
               "too many elements");
  ExpectReason(ReasonOf([&] { return BroadcastOf({SIZE_MAX / 4 + 1}, {1}, &bc); }),
               "too many elements");
  EXPECT_EQ(bc.num_dims, 77u) << "a failed broadcast wrote its result";
}

// ---------------------------------------------------------------------------------------------
// fold_broadcast: every output index reads the same A and B elements through the folded loops
// as through the full shapes.

std::vector<size_t> Offsets(const size_t* dims, const size_t* strides, size_t n) {
  size_t total = 1;
  for (size_t i = 0; i < n; i++) total *= dims[i];
  std::vector<size_t> out(total);
  for (size_t flat = 0; flat < total; flat++) {
    size_t rest = flat, off = 0;
    for (size_t d = n; d-- > 0;) {
      off += (rest % dims[d]) * strides[d];
      rest /= dims[d];
    }
    out[flat] = off;
  }
  return out;
}

// Element strides of a dense shape, 0 along dims of size 1 (where the operand is broadcast).
std::vector<size_t> BroadcastStrides(const size_t* dims, size_t n) {
  std::vector<size_t> s(n);
  size_t stride = 1;
  for (size_t d = n; d-- > 0;) {
    s[d] = dims[d] == 1 ? 0 : stride;
    stride *= dims[d];
  }
  return s;
}

TEST(FoldBroadcast, MatchesBruteForce) {
  std::mt19937 rng(5);
  for (int trial = 0; trial < 2000; trial++) {
    const size_t rank = 1 + rng() % PNN_MAX_DIMS;
    std::vector<size_t> a(rank), b(rank);
    for (size_t i = 0; i < rank; i++) {
      const size_t d = 1 + rng() % 3;
      const int kind = rng() % 4;  // equal, A broadcast, B broadcast, both 1
      a[i] = kind == 1 || kind == 3 ? 1 : d;
      b[i] = kind == 2 || kind == 3 ? 1 : d;
    }
    // Drop some leading dims of one operand (numpy alignment).
    const size_t drop = rng() % rank;
    std::vector<size_t> b_short(b.begin() + drop, b.end());
    for (size_t i = 0; i < drop; i++) b[i] = 1;
    Broadcast bc;
    pnn::ApiScope scope("shape_test");
    ASSERT_EQ(BroadcastOf(a, b_short, &bc), pnn_status_success);
    const FoldedBroadcast f = pnn::fold_broadcast(bc);
    ASSERT_GE(f.num_dims, 1u);
    ASSERT_LE(f.num_dims, rank);
    // Adjacent folded dims never broadcast the same way (else they would have merged), and no
    // folded dim of size 1 remains unless the output is a single element.
    for (size_t d = 0; d < f.num_dims; d++) {
      if (f.num_dims > 1) EXPECT_GT(f.size[d], 1u);
      if (d > 0) {
        EXPECT_FALSE((f.stride_a[d] == 0) == (f.stride_a[d - 1] == 0) &&
                     (f.stride_b[d] == 0) == (f.stride_b[d - 1] == 0))
            << "trial " << trial << ": dims " << d - 1 << " and " << d << " should have merged";
      }
    }
    const std::vector<size_t> sa = BroadcastStrides(bc.a, rank), sb = BroadcastStrides(bc.b, rank);
    EXPECT_EQ(Offsets(f.size, f.stride_a, f.num_dims), Offsets(bc.out, sa.data(), rank))
        << "trial " << trial;
    EXPECT_EQ(Offsets(f.size, f.stride_b, f.num_dims), Offsets(bc.out, sb.data(), rank))
        << "trial " << trial;
  }
}

TEST(FoldBroadcast, Shapes) {
  Broadcast bc;
  pnn::ApiScope scope("shape_test");
  // Same shapes fold to one row.
  ASSERT_EQ(BroadcastOf({2, 3, 4}, {2, 3, 4}, &bc), pnn_status_success);
  FoldedBroadcast f = pnn::fold_broadcast(bc);
  EXPECT_EQ(f.num_dims, 1u);
  EXPECT_EQ(f.size[0], 24u);
  // A bias over the last dim: [6][4] + [4] is a row of 4 (both run) under a loop of 6 where B
  // is broadcast.
  ASSERT_EQ(BroadcastOf({2, 3, 4}, {4}, &bc), pnn_status_success);
  f = pnn::fold_broadcast(bc);
  ASSERT_EQ(f.num_dims, 2u);
  EXPECT_EQ(f.size[0], 6u);
  EXPECT_EQ(f.stride_b[0], 0u);
  EXPECT_EQ(f.stride_a[0], 4u);
  // A single element.
  ASSERT_EQ(BroadcastOf({1, 1}, {1}, &bc), pnn_status_success);
  f = pnn::fold_broadcast(bc);
  EXPECT_EQ(f.num_dims, 1u);
  EXPECT_EQ(f.size[0], 1u);
}

// ---------------------------------------------------------------------------------------------
// normalize_permutation

// The input offset read by each output element of a transpose, in output order.
std::vector<size_t> TransposeSources(const std::vector<size_t>& shape,
                                     const std::vector<size_t>& perm) {
  const size_t n = shape.size();
  std::vector<size_t> in_strides(n);
  size_t s = 1;
  for (size_t d = n; d-- > 0;) {
    in_strides[d] = s;
    s *= shape[d];
  }
  std::vector<size_t> out_dims(n), out_strides(n);
  for (size_t j = 0; j < n; j++) {
    out_dims[j] = shape[perm[j]];
    out_strides[j] = in_strides[perm[j]];
  }
  return Offsets(out_dims.data(), out_strides.data(), n);
}

TEST(NormalizePermutation, MatchesBruteForce) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 2000; trial++) {
    const size_t rank = 1 + rng() % PNN_MAX_DIMS;
    std::vector<size_t> shape(rank), perm(rank);
    for (size_t i = 0; i < rank; i++) {
      shape[i] = 1 + rng() % 3;
      perm[i] = i;
    }
    std::shuffle(perm.begin(), perm.end(), rng);
    Permutation p;
    pnn::ApiScope scope("shape_test");
    ASSERT_EQ(pnn::normalize_permutation(rank, shape.data(), perm.data(), &p), pnn_status_success);
    ASSERT_GE(p.num_dims, 1u);
    ASSERT_LE(p.num_dims, rank);
    const std::vector<size_t> folded_shape(p.shape, p.shape + p.num_dims);
    const std::vector<size_t> folded_perm(p.perm, p.perm + p.num_dims);
    EXPECT_EQ(TransposeSources(folded_shape, folded_perm), TransposeSources(shape, perm))
        << "trial " << trial;
    size_t count = 1;
    for (size_t d : shape) count *= d;
    EXPECT_EQ(p.count, count);
    // Fully folded: no two output-adjacent dims are input-adjacent, no size-1 dims left.
    for (size_t j = 1; j < p.num_dims; j++) EXPECT_NE(p.perm[j], p.perm[j - 1] + 1);
    if (p.num_dims > 1) {
      for (size_t d = 0; d < p.num_dims; d++) EXPECT_GT(p.shape[d], 1u);
    }
  }
}

TEST(NormalizePermutation, Folds) {
  Permutation p;
  pnn::ApiScope scope("shape_test");
  const size_t shape[] = {2, 3, 4};
  const size_t identity[] = {0, 1, 2};
  ASSERT_EQ(pnn::normalize_permutation(3, shape, identity, &p), pnn_status_success);
  EXPECT_EQ(p.num_dims, 1u);
  EXPECT_EQ(p.shape[0], 24u);
  const size_t rotate[] = {1, 2, 0};  // [2][3][4] -> [3][4][2]: a 2 x 12 transpose
  ASSERT_EQ(pnn::normalize_permutation(3, shape, rotate, &p), pnn_status_success);
  ASSERT_EQ(p.num_dims, 2u);
  EXPECT_EQ(p.shape[0], 2u);
  EXPECT_EQ(p.shape[1], 12u);
  EXPECT_EQ(p.perm[0], 1u);
  EXPECT_EQ(p.perm[1], 0u);
  const size_t with_ones[] = {1, 5, 1, 6};
  const size_t swap[] = {3, 2, 1, 0};
  ASSERT_EQ(pnn::normalize_permutation(4, with_ones, swap, &p), pnn_status_success);
  ASSERT_EQ(p.num_dims, 2u);
  EXPECT_EQ(p.shape[0], 5u);
  EXPECT_EQ(p.shape[1], 6u);
}

TEST(NormalizePermutation, Hostile) {
  Permutation p;
  p.num_dims = 77;
  const size_t shape[] = {2, 3, 4, 5, 6, 7, 8};
  const size_t ok[] = {0, 1, 2, 3, 4, 5, 6};
  auto reason = [&](size_t n, const size_t* s, const size_t* perm) {
    return ReasonOf([&] { return pnn::normalize_permutation(n, s, perm, &p); });
  };
  ExpectReason(reason(0, shape, ok), "num_dims is 0; it must be 1 to 6");
  ExpectReason(reason(7, shape, ok), "num_dims is 7; it must be 1 to 6");
  ExpectReason(reason(SIZE_MAX, shape, ok), "num_dims is ");
  ExpectReason(reason(3, nullptr, ok), "shape is NULL");
  ExpectReason(reason(3, shape, nullptr), "perm is NULL");
  const size_t repeat[] = {0, 2, 0};
  ExpectReason(reason(3, shape, repeat),
               "perm[2] = 0 repeats perm[0]; perm must hold each of 0 to 2 once");
  const size_t out_of_range[] = {0, 3, 1};
  ExpectReason(reason(3, shape, out_of_range),
               "perm[1] = 3 is out of range; entries must be < num_dims (3)");
  const size_t huge_entry[] = {SIZE_MAX, 0, 1};
  ExpectReason(reason(3, shape, huge_entry), "is out of range");
  const size_t zero_dim[] = {2, 0, 4};
  ExpectReason(reason(3, zero_dim, ok), "shape[1] is 0; every dim must be >= 1");
  const size_t max_dims[] = {SIZE_MAX, 1};
  ExpectReason(reason(2, max_dims, ok), "shape has too many elements");
  const size_t huge3[] = {kHuge, kHuge, kHuge};
  ExpectReason(reason(3, huge3, ok), "too many elements");
  EXPECT_EQ(p.num_dims, 77u) << "a failed normalization wrote its result";
}

// ---------------------------------------------------------------------------------------------
// normalize_slice

// ONNX Slice (positive steps) on one dim, by the spec's own steps: the indices taken.
std::vector<size_t> OnnxSliceIndices(int64_t dim, int64_t begin, int64_t end, int64_t step) {
  auto clamp = [dim](int64_t v) {
    if (v < 0) v = v < -dim ? 0 : v + dim;
    return v > dim ? dim : v;
  };
  std::vector<size_t> idx;
  for (int64_t i = clamp(begin); i < clamp(end); i += step) idx.push_back(static_cast<size_t>(i));
  return idx;
}

TEST(NormalizeSlice, MatchesOnnx) {
  pnn::ApiScope scope("shape_test");
  for (int64_t dim = 1; dim <= 6; dim++) {
    for (int64_t begin = -8; begin <= 8; begin++) {
      for (int64_t end = -8; end <= 8; end++) {
        for (int64_t step = 1; step <= 7; step++) {
          const size_t shape[] = {static_cast<size_t>(dim)};
          Slice s;
          const pnn_status st = pnn::normalize_slice(1, shape, &begin, &end, &step, &s);
          const std::vector<size_t> want = OnnxSliceIndices(dim, begin, end, step);
          if (want.empty()) {
            EXPECT_EQ(st, pnn_status_invalid_parameter) << dim << " " << begin << " " << end;
            continue;
          }
          ASSERT_EQ(st, pnn_status_success) << dim << " " << begin << " " << end << " " << step;
          std::vector<size_t> got;
          for (size_t i = 0; i < s.size[0]; i++) got.push_back(s.offset[0] + i * s.step[0]);
          EXPECT_EQ(got, want) << dim << " " << begin << " " << end << " " << step;
        }
      }
    }
  }
}

TEST(NormalizeSlice, ExtremeBounds) {
  pnn::ApiScope scope("shape_test");
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const size_t shape[] = {10, 7};
  Slice s;
  const int64_t begins[] = {kMin, -3};
  const int64_t ends[] = {kMax, kMax};
  const int64_t steps[] = {kMax, 2};
  ASSERT_EQ(pnn::normalize_slice(2, shape, begins, ends, steps, &s), pnn_status_success);
  EXPECT_EQ(s.offset[0], 0u);
  EXPECT_EQ(s.size[0], 1u);  // a step past the end takes one element
  EXPECT_LE(s.step[0], 10u);
  EXPECT_EQ(s.offset[1], 4u);
  EXPECT_EQ(s.size[1], 2u);  // 4, 6
  // NULL steps: all 1. A huge dim.
  const size_t big[] = {SIZE_MAX / 8};
  const int64_t b1[] = {-5}, e1[] = {kMax};
  ASSERT_EQ(pnn::normalize_slice(1, big, b1, e1, nullptr, &s), pnn_status_success);
  EXPECT_EQ(s.offset[0], SIZE_MAX / 8 - 5);
  EXPECT_EQ(s.size[0], 5u);
  EXPECT_EQ(s.step[0], 1u);
}

TEST(NormalizeSlice, Hostile) {
  Slice s;
  s.num_dims = 77;
  const size_t shape[] = {4, 5, 6, 7, 8, 9, 10};
  const int64_t zeros[7] = {}, all[7] = {4, 5, 6, 7, 8, 9, 10};
  auto reason = [&](size_t n, const size_t* sh, const int64_t* b, const int64_t* e,
                    const int64_t* st) {
    return ReasonOf([&] { return pnn::normalize_slice(n, sh, b, e, st, &s); });
  };
  ExpectReason(reason(0, shape, zeros, all, nullptr), "num_dims is 0; it must be 1 to 6");
  ExpectReason(reason(7, shape, zeros, all, nullptr), "num_dims is 7");
  ExpectReason(reason(2, nullptr, zeros, all, nullptr), "shape is NULL");
  ExpectReason(reason(2, shape, nullptr, all, nullptr), "begins is NULL");
  ExpectReason(reason(2, shape, zeros, nullptr, nullptr), "ends is NULL");
  const int64_t step0[] = {1, 0}, step_neg[] = {-1, 1},
                step_min[] = {1, std::numeric_limits<int64_t>::min()};
  ExpectReason(reason(2, shape, zeros, all, step0), "steps[1] is 0; it must be >= 1");
  ExpectReason(reason(2, shape, zeros, all, step_neg),
               "steps[0] is -1; it must be >= 1 (negative steps are not supported)");
  ExpectReason(reason(2, shape, zeros, all, step_min), "steps[1] is -9223372036854775808");
  const int64_t b_after[] = {0, 4}, e_before[] = {4, 2};
  ExpectReason(reason(2, shape, b_after, e_before, nullptr),
               "dim 1 (size 5): begins[1] = 4 and ends[1] = 2 select no element");
  const int64_t b_neg[] = {-100, 0}, e_neg[] = {-100, 5};
  ExpectReason(reason(2, shape, b_neg, e_neg, nullptr), "begins[0] = -100 and ends[0] = -100");
  const size_t zero_dim[] = {4, 0};
  ExpectReason(reason(2, zero_dim, zeros, all, nullptr), "shape[1] is 0");
  const size_t huge[] = {SIZE_MAX, 2};
  ExpectReason(reason(2, huge, zeros, all, nullptr), "shape has too many elements");
  EXPECT_EQ(s.num_dims, 77u) << "a failed normalization wrote its result";
}

}  // namespace
