// Graph runtime (include/portnn-graph.h): results equal the same operators called by hand, bit
// for bit (fused or not, across reshapes and thread counts); the arena plan never lets two live
// tensors share bytes; hostile graphs fail with the node named and nothing leaked (ASan).
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "graph-test-utils.h"
#include "graph/memory-plan.h"
#include "portnn-graph.h"
#include "test-utils.h"

PNN_TEST_INIT_LIBRARY();

namespace {

using pnn_test::RandomVector;

constexpr float kInf = INFINITY;

using pnn_test::Create;
using pnn_test::GraphPtr;
using pnn_test::Input;
using pnn_test::Internal;
using pnn_test::NewGraph;
using pnn_test::OpPtr;
using pnn_test::Output;
using pnn_test::RuntimePtr;
using pnn_test::Shape;
using pnn_test::Value;

using pnn_test::ConvolutionParams;

pnn_unary_params ClampParams(float lo, float hi) {
  pnn_unary_params u{};
  u.min = lo;
  u.max = hi;
  return u;
}

void SetupAndInvoke(pnn_runtime_t rt, std::vector<pnn_external_value> ext, pnn_threadpool_t pool = nullptr) {
  ASSERT_EQ(pnn_setup_runtime(rt, ext.size(), ext.data()), pnn_status_success)
      << pnn_last_error_message();
  ASSERT_EQ(pnn_invoke_runtime(rt, pool), pnn_status_success) << pnn_last_error_message();
}

// --- the same computations by hand -----------------------------------------------------------

std::vector<float> ConvByHand(const pnn_convolution2d_params& p, const std::vector<float>& w,
                              const std::vector<float>& b, const std::vector<float>& x, size_t n,
                              size_t h, size_t wd, size_t* oh, size_t* ow) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_convolution2d_nhwc_f32(&p, w.data(), b.empty() ? nullptr : b.data(), &op),
            pnn_status_success);
  OpPtr hold(op);
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, n, h, wd, oh, ow, nullptr), pnn_status_success);
  std::vector<float> y(n * *oh * *ow * p.groups * p.group_output_channels);
  EXPECT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  return y;
}

std::vector<float> FcByHand(size_t ic, size_t oc, const std::vector<float>& w,
                            const std::vector<float>& b, float lo, float hi,
                            const std::vector<float>& x) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_fully_connected_nc_f32(ic, oc, w.data(), b.data(), lo, hi, 0, &op),
            pnn_status_success);
  OpPtr hold(op);
  const size_t rows = x.size() / ic;
  EXPECT_EQ(pnn_reshape_fully_connected_nc_f32(op, rows, nullptr), pnn_status_success);
  std::vector<float> y(rows * oc);
  EXPECT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  return y;
}

std::vector<float> SoftmaxByHand(size_t channels, const std::vector<float>& x) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_softmax_nc_f32(channels, 0, &op), pnn_status_success);
  OpPtr hold(op);
  EXPECT_EQ(pnn_reshape_softmax_nc_f32(op, x.size() / channels, nullptr), pnn_status_success);
  std::vector<float> y(x.size());
  EXPECT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  return y;
}

std::vector<float> AddByHand(const std::vector<float>& a, const std::vector<float>& b, float lo,
                             float hi) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_binary_elementwise_nd_f32(pnn_binary_add, lo, hi, 0, &op),
            pnn_status_success);
  OpPtr hold(op);
  const size_t na = a.size(), nb = b.size();
  EXPECT_EQ(pnn_reshape_binary_elementwise_nd_f32(op, 1, &na, 1, &nb, nullptr, nullptr, nullptr),
            pnn_status_success);
  std::vector<float> y(std::max(na, nb));
  EXPECT_EQ(pnn_setup_binary_elementwise_nd_f32(op, a.data(), b.data(), y.data()),
            pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  return y;
}

std::vector<float> GapByHand(size_t n, size_t pixels, size_t c, const std::vector<float>& x) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_global_average_pooling_nwc_f32(c, -kInf, kInf, 0, &op), pnn_status_success);
  OpPtr hold(op);
  EXPECT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, n, pixels, nullptr), pnn_status_success);
  std::vector<float> y(n * c);
  EXPECT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, x.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  return y;
}

void ExpectBitEqual(const std::vector<float>& a, const std::vector<float>& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
}

// --- a small residual CNN: conv -> relu6 -> depthwise -> (+ skip) -> GAP -> FC -> softmax ------

struct SmallNet {
  static constexpr size_t kC = 3, kM = 8, kClasses = 5;
  std::vector<float> w1 = RandomVector(kM * 3 * 3 * kC, 1), b1 = RandomVector(kM, 2);
  std::vector<float> w2 = RandomVector(kM * 3 * 3, 3), b2 = RandomVector(kM, 4);
  std::vector<float> w3 = RandomVector(kClasses * kM, 5), b3 = RandomVector(kClasses, 6);
  GraphPtr g = NewGraph();
  uint32_t x, y, relu_node;

  SmallNet(size_t h, size_t w) {
    pnn_graph_t gr = g.get();
    x = Input(gr, {1, h, w, kC});
    const uint32_t vw1 = Value(gr, {kM, 3, 3, kC}, w1.data());
    const uint32_t vb1 = Value(gr, {kM}, b1.data());
    const uint32_t vw2 = Value(gr, {kM, 3, 3, 1}, w2.data(), PNN_VALUE_FLAG_BORROW_DATA);
    const uint32_t vb2 = Value(gr, {kM}, b2.data());
    const uint32_t vw3 = Value(gr, {kClasses, kM}, w3.data());
    const uint32_t vb3 = Value(gr, {kClasses}, b3.data());
    const uint32_t c1 = Internal(gr), r1 = Internal(gr), c2 = Internal(gr), sum = Internal(gr);
    const uint32_t gap = Internal(gr), logits = Internal(gr);
    y = Output(gr);
    // Defined out of order on purpose: the runtime orders by dependencies.
    const auto p2 = ConvolutionParams(3, 1, 1, kM, 1, 1);
    EXPECT_EQ(pnn_define_convolution2d(gr, &p2, r1, vw2, vb2, c2), pnn_status_success);
    const auto p1 = ConvolutionParams(3, 1, 1, 1, kC, kM);
    EXPECT_EQ(pnn_define_convolution2d(gr, &p1, x, vw1, vb1, c1), pnn_status_success);
    const pnn_unary_params relu6 = ClampParams(0.0f, 6.0f);
    EXPECT_EQ(pnn_define_unary(gr, pnn_unary_clamp, &relu6, c1, r1, 0), pnn_status_success);
    relu_node = 2;
    EXPECT_EQ(pnn_set_node_name(gr, relu_node, "relu6"), pnn_status_success);
    EXPECT_EQ(pnn_define_binary(gr, pnn_binary_add, -kInf, kInf, c2, r1, sum, 0), pnn_status_success);
    EXPECT_EQ(pnn_define_global_average_pooling2d(gr, -kInf, kInf, sum, gap, 0), pnn_status_success);
    EXPECT_EQ(pnn_define_fully_connected(gr, -kInf, kInf, gap, vw3, vb3, logits, 0),
              pnn_status_success);
    EXPECT_EQ(pnn_define_softmax(gr, logits, y, 0), pnn_status_success);
  }

  std::vector<float> ByHand(const std::vector<float>& in, size_t h, size_t w) const {
    size_t oh, ow;
    const std::vector<float> c1 = ConvByHand(ConvolutionParams(3, 1, 1, 1, kC, kM, 0.0f, 6.0f), w1, b1, in, 1,
                                             h, w, &oh, &ow);
    const std::vector<float> c2 = ConvByHand(ConvolutionParams(3, 1, 1, kM, 1, 1), w2, b2, c1, 1, oh, ow, &oh, &ow);
    const std::vector<float> sum = AddByHand(c2, c1, -kInf, kInf);
    const std::vector<float> gap = GapByHand(1, oh * ow, kM, sum);
    return SoftmaxByHand(kClasses, FcByHand(kM, kClasses, w3, b3, -kInf, kInf, gap));
  }
};

TEST(GraphRuntime, SmallNetEqualsOperatorsByHand) {
  SmallNet net(9, 7);
  for (uint32_t flags : {0u, unsigned{PNN_RUNTIME_FLAG_NO_FUSION}}) {
    RuntimePtr rt = Create(net.g.get(), flags);
    ASSERT_TRUE(rt);
    EXPECT_EQ(Shape(rt.get(), net.y), (std::vector<size_t>{1, SmallNet::kClasses}));
    const std::vector<float> in = RandomVector(9 * 7 * SmallNet::kC, 7);
    std::vector<float> out(SmallNet::kClasses, -1.0f);
    SetupAndInvoke(rt.get(), {{net.x, const_cast<float*>(in.data())}, {net.y, out.data()}});
    ExpectBitEqual(out, net.ByHand(in, 9, 7));
    pnn_node_info info{};
    ASSERT_EQ(pnn_get_runtime_node_info(rt.get(), net.relu_node, &info), pnn_status_success);
    EXPECT_STREQ(info.name, "relu6");
    // The relu6 folds into the first convolution (node 1) unless fusion is off.
    EXPECT_EQ(info.fused_into, flags == 0 ? 1 : -1);
  }
}

TEST(GraphRuntime, GraphMayBeDeletedAndRuntimeReshaped) {
  auto net = std::make_unique<SmallNet>(9, 7);
  RuntimePtr rt = Create(net->g.get());
  ASSERT_TRUE(rt);
  const uint32_t x = net->x, y = net->y;
  SmallNet reference(5, 5);  // same weights (same seeds)
  net->g.reset();            // the runtime keeps what it needs
  const size_t dims[] = {1, 12, 10, SmallNet::kC};
  ASSERT_EQ(pnn_reshape_external_value(rt.get(), x, 4, dims), pnn_status_success);
  // Invoke needs the reshape and a setup first.
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_invoke_runtime(rt.get(), nullptr));
  ASSERT_EQ(pnn_reshape_runtime(rt.get(), nullptr), pnn_status_success);
  const std::vector<float> in = RandomVector(12 * 10 * SmallNet::kC, 8);
  std::vector<float> out(SmallNet::kClasses);
  SetupAndInvoke(rt.get(), {{x, const_cast<float*>(in.data())}, {y, out.data()}});
  ExpectBitEqual(out, reference.ByHand(in, 12, 10));
}

TEST(GraphRuntime, SameBitsOnTwoThreads) {
  SmallNet net(16, 16);
  RuntimePtr rt = Create(net.g.get());
  ASSERT_TRUE(rt);
  const std::vector<float> in = RandomVector(16 * 16 * SmallNet::kC, 9);
  std::vector<float> one(SmallNet::kClasses), two(SmallNet::kClasses);
  SetupAndInvoke(rt.get(), {{net.x, const_cast<float*>(in.data())}, {net.y, one.data()}});
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  SetupAndInvoke(rt.get(), {{net.x, const_cast<float*>(in.data())}, {net.y, two.data()}}, pool);
  pnn_threadpool_destroy(pool);
  ExpectBitEqual(one, two);
}

TEST(GraphRuntime, ProfileAndMemory) {
  SmallNet net(20, 20);
  RuntimePtr rt = Create(net.g.get(), PNN_RUNTIME_FLAG_PROFILE);
  ASSERT_TRUE(rt);
  const std::vector<float> in = RandomVector(20 * 20 * SmallNet::kC, 10);
  std::vector<float> out(SmallNet::kClasses);
  SetupAndInvoke(rt.get(), {{net.x, const_cast<float*>(in.data())}, {net.y, out.data()}});
  uint32_t count = 0;
  ASSERT_EQ(pnn_get_runtime_node_count(rt.get(), &count), pnn_status_success);
  ASSERT_EQ(count, 7u);
  uint64_t total = 0;
  for (uint32_t i = 0; i < count; i++) {
    pnn_node_info info{};
    ASSERT_EQ(pnn_get_runtime_node_info(rt.get(), i, &info), pnn_status_success);
    total += info.time_ns;
    if (i == 1) {
      EXPECT_STREQ(info.operator_name, "convolution2d");
      EXPECT_NE(std::string(info.kernel_name), "none");
      EXPECT_EQ(std::string(info.name), "node 1 (convolution2d)");
    }
  }
  EXPECT_GT(total, 0u);
  size_t arena = 0, packed = 0;
  ASSERT_EQ(pnn_get_runtime_memory(rt.get(), &arena, &packed), pnn_status_success);
  // Packed weights hold at least the weights and biases of both convolutions and the FC.
  const size_t weights = (net.w1.size() + net.b1.size() + net.w2.size() + net.b2.size() +
                          net.w3.size() + net.b3.size()) * sizeof(float);
  EXPECT_GE(packed, weights);
  // Live at once at most: conv1's output, conv2's output (the add writes over one of them).
  const size_t act = 20 * 20 * SmallNet::kM * sizeof(float);
  EXPECT_GE(arena, 2 * act);
  EXPECT_LE(arena, 2 * act + 4 * 64 + 2 * SmallNet::kM * sizeof(float) + 256);
}

TEST(GraphRuntime, ReshapeViewsAndCopies) {
  GraphPtr g = NewGraph();
  const std::vector<float> w = RandomVector(6 * 4, 11), b = RandomVector(6, 12);
  const uint32_t x = Input(g.get(), {2, 1, 1, 4});
  const uint32_t flat = Internal(g.get()), fc = Internal(g.get());
  const uint32_t y = Output(g.get()), copy_out = Output(g.get());
  const uint32_t vw = Value(g.get(), {6, 4}, w.data()), vb = Value(g.get(), {6}, b.data());
  const size_t to2d[] = {0, 4};
  ASSERT_EQ(pnn_define_reshape(g.get(), 2, to2d, x, flat), pnn_status_success);
  ASSERT_EQ(pnn_define_fully_connected(g.get(), -kInf, kInf, flat, vw, vb, fc, 0),
            pnn_status_success);
  const size_t to4d[] = {2, 3, 2};
  ASSERT_EQ(pnn_define_reshape(g.get(), 3, to4d, fc, y), pnn_status_success);  // redirected
  const size_t same[] = {8};
  ASSERT_EQ(pnn_define_reshape(g.get(), 1, same, x, copy_out), pnn_status_success);  // a copy
  RuntimePtr rt = Create(g.get());
  ASSERT_TRUE(rt);
  EXPECT_EQ(Shape(rt.get(), flat), (std::vector<size_t>{2, 4}));
  EXPECT_EQ(Shape(rt.get(), y), (std::vector<size_t>{2, 3, 2}));
  const std::vector<float> in = RandomVector(8, 13);
  std::vector<float> out(12), copied(8);
  SetupAndInvoke(rt.get(), {{x, const_cast<float*>(in.data())}, {y, out.data()}, {copy_out, copied.data()}});
  ExpectBitEqual(out, FcByHand(4, 6, w, b, -kInf, kInf, in));
  ExpectBitEqual(copied, in);
  size_t arena = 1;
  ASSERT_EQ(pnn_get_runtime_memory(rt.get(), &arena, nullptr), pnn_status_success);
  EXPECT_EQ(arena, 0u);  // every tensor is a view of an external buffer
  pnn_node_info info{};
  ASSERT_EQ(pnn_get_runtime_node_info(rt.get(), 3, &info), pnn_status_success);
  EXPECT_STREQ(info.kernel_name, "memcpy");
}

// A decoder step: deconvolution 2x2 s2 (relu fused) then a bilinear x2 resize by scales,
// against the two operators by hand; a reshape doubles the resolution.
TEST(GraphRuntime, DeconvolutionAndResizeNodes) {
  const size_t c = 6, m = 4;
  const std::vector<float> w = RandomVector(m * 2 * 2 * c, 21), b = RandomVector(m, 22);
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {1, 5, 7, c}), d = Internal(g.get()), r = Internal(g.get());
  const uint32_t y = Output(g.get());
  const pnn_deconvolution2d_params dp = pnn_test::UpsamplingDeconvParams(c, m);
  ASSERT_EQ(pnn_define_deconvolution2d(g.get(), &dp, x, Value(g.get(), {m, 2, 2, c}, w.data()),
                                       Value(g.get(), {m}, b.data()), d),
            pnn_status_success);
  const pnn_unary_params relu = ClampParams(0.0f, kInf);
  ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_clamp, &relu, d, r, 0), pnn_status_success);
  pnn_resize2d_params rp{};
  rp.channels = m;
  rp.mode = pnn_resize_bilinear;
  rp.coordinate_mode = pnn_resize_half_pixel;
  ASSERT_EQ(pnn_define_resize2d(g.get(), &rp, 0, 0, 2.0f, 2.0f, r, y), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_resize2d(g.get(), &rp, 0, 0, 0.0f, 2.0f, r, y));
  RuntimePtr rt = Create(g.get());
  ASSERT_TRUE(rt);
  for (size_t scale : {1, 2}) {
    const size_t h = 5 * scale, wd = 7 * scale;
    if (scale == 2) {
      const size_t dims[] = {1, h, wd, c};
      ASSERT_EQ(pnn_reshape_external_value(rt.get(), x, 4, dims), pnn_status_success);
      ASSERT_EQ(pnn_reshape_runtime(rt.get(), nullptr), pnn_status_success);
    }
    EXPECT_EQ(Shape(rt.get(), y), (std::vector<size_t>{1, 4 * h, 4 * wd, m}));
    const std::vector<float> in = RandomVector(h * wd * c, 23);
    std::vector<float> out(16 * h * wd * m);
    SetupAndInvoke(rt.get(), {{x, const_cast<float*>(in.data())}, {y, out.data()}});
    // By hand.
    pnn_deconvolution2d_params fused = dp;
    fused.output_min = 0.0f;
    pnn_operator_t dop = nullptr, rop = nullptr;
    ASSERT_EQ(pnn_create_deconvolution2d_nhwc_f32(&fused, w.data(), b.data(), &dop), pnn_status_success);
    ASSERT_EQ(pnn_create_resize2d_nhwc_f32(&rp, &rop), pnn_status_success);
    OpPtr hold1(dop), hold2(rop);
    size_t oh = 0, ow = 0;
    ASSERT_EQ(pnn_reshape_deconvolution2d_nhwc_f32(dop, 1, h, wd, &oh, &ow, nullptr), pnn_status_success);
    std::vector<float> mid(oh * ow * m), want(out.size());
    ASSERT_EQ(pnn_setup_deconvolution2d_nhwc_f32(dop, in.data(), mid.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(dop, nullptr), pnn_status_success);
    ASSERT_EQ(pnn_reshape_resize2d_nhwc_f32(rop, 1, oh, ow, 2 * oh, 2 * ow, nullptr), pnn_status_success);
    ASSERT_EQ(pnn_setup_resize2d_nhwc_f32(rop, mid.data(), want.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(rop, nullptr), pnn_status_success);
    ExpectBitEqual(out, want);
  }
  pnn_node_info info{};
  ASSERT_EQ(pnn_get_runtime_node_info(rt.get(), 1, &info), pnn_status_success);
  EXPECT_EQ(info.fused_into, 0);
}

// --- the arena planner --------------------------------------------------------------------------

TEST(ArenaPlan, LiveBlocksNeverShareBytes) {
  std::mt19937 rng(14);
  for (int trial = 0; trial < 200; trial++) {
    const size_t n = 1 + rng() % 40;
    std::vector<pnn::graph::ArenaBlock> blocks(n);
    size_t peak_live = 0;
    for (auto& b : blocks) {
      b.bytes = rng() % 5000;
      b.first = rng() % 30;
      b.last = b.first + rng() % 10;
    }
    for (uint32_t step = 0; step < 40; step++) {
      size_t live = 0;
      for (auto& b : blocks) live += b.first <= step && step <= b.last ? b.bytes : 0;
      peak_live = std::max(peak_live, live);
    }
    size_t arena = 0;
    ASSERT_TRUE(pnn::graph::plan_arena(blocks.data(), n, &arena));
    size_t sum = 0;
    for (size_t i = 0; i < n; i++) {
      EXPECT_EQ(blocks[i].offset % 64, 0u);
      EXPECT_LE(blocks[i].offset + blocks[i].bytes, arena);
      sum += (blocks[i].bytes + 64) / 64 * 64;
      for (size_t j = 0; j < i; j++) {
        const auto &a = blocks[i], &b = blocks[j];
        if (a.first > b.last || b.first > a.last || a.bytes == 0 || b.bytes == 0) continue;
        EXPECT_TRUE(a.offset + a.bytes <= b.offset || b.offset + b.bytes <= a.offset)
            << "blocks " << i << " and " << j << " are alive together and overlap";
      }
    }
    EXPECT_GE(arena, peak_live);
    EXPECT_LE(arena, sum);
  }
}

// --- hostile graphs ----------------------------------------------------------------------------

std::string Reason() { return pnn_last_error_message(); }

TEST(GraphHostile, CycleSelfReadDanglingAndUnproduced) {
  {
    GraphPtr g = NewGraph();
    const uint32_t a = Internal(g.get()), b = Internal(g.get()), y = Output(g.get());
    const pnn_unary_params r = ClampParams(0, 1);
    ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_clamp, &r, a, b, 0), pnn_status_success);
    ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_abs, nullptr, b, a, 0), pnn_status_success);
    ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_abs, nullptr, b, y, 0), pnn_status_success);
    pnn_runtime_t rt = nullptr;
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g.get(), 0, &rt));
    EXPECT_NE(Reason().find("cycle"), std::string::npos) << Reason();
    EXPECT_NE(Reason().find("node 0 (unary)"), std::string::npos) << Reason();
    EXPECT_EQ(rt, nullptr);
  }
  {
    GraphPtr g = NewGraph();
    const uint32_t a = Internal(g.get());
    ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_abs, nullptr, a, a, 0), pnn_status_success);
    ASSERT_EQ(pnn_set_node_name(g.get(), 0, "loop"), pnn_status_success);
    pnn_runtime_t rt = nullptr;
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g.get(), 0, &rt));
    EXPECT_NE(Reason().find("node \"loop\" reads its own output"), std::string::npos) << Reason();
  }
  {
    GraphPtr g = NewGraph();
    const uint32_t dangling = Internal(g.get()), y = Output(g.get());
    ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_abs, nullptr, dangling, y, 0), pnn_status_success);
    pnn_runtime_t rt = nullptr;
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g.get(), 0, &rt));
    EXPECT_NE(Reason().find("no node produces"), std::string::npos) << Reason();
  }
  {
    GraphPtr g = NewGraph();
    const uint32_t x = Input(g.get(), {4}), y = Output(g.get()), z = Output(g.get());
    ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_abs, nullptr, x, y, 0), pnn_status_success);
    pnn_runtime_t rt = nullptr;
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g.get(), 0, &rt));
    EXPECT_NE(Reason().find("external output value " + std::to_string(z) + " is never produced"),
              std::string::npos)
        << Reason();
    ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_negate, nullptr, x, y, 0), pnn_status_success);
    EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g.get(), 0, &rt));
    EXPECT_NE(Reason().find("also writes"), std::string::npos) << Reason();
  }
}

TEST(GraphHostile, WrongKindsAndIds) {
  GraphPtr g = NewGraph();
  const std::vector<float> w(8, 1.0f);
  const uint32_t x = Input(g.get(), {1, 4}), s = Value(g.get(), {2, 4}, w.data());
  const uint32_t act = Internal(g.get()), y = Output(g.get());
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_fully_connected(g.get(), -kInf, kInf, x, act, PNN_INVALID_VALUE_ID, y, 0));
  EXPECT_NE(Reason().find("not a static value"), std::string::npos) << Reason();
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_unary(g.get(), pnn_unary_abs, nullptr, x, s, 0));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_unary(g.get(), pnn_unary_abs, nullptr, x, x, 0));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_unary(g.get(), pnn_unary_abs, nullptr, 12345, y, 0));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_unary(nullptr, pnn_unary_abs, nullptr, x, y, 0));
  uint32_t count = 99;
  ASSERT_EQ(pnn_graph_node_count(g.get(), &count), pnn_status_success);
  EXPECT_EQ(count, 0u);  // nothing was recorded
  // Value definitions.
  uint32_t id = 77;
  const size_t huge[] = {size_t{1} << 40, size_t{1} << 40};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_tensor_value(g.get(), 2, huge, nullptr, 0, &id));
  const size_t zero[] = {3, 0};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_tensor_value(g.get(), 2, zero, nullptr, 0, &id));
  const size_t seven[] = {1, 1, 1, 1, 1, 1, 1};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_tensor_value(g.get(), 7, seven, nullptr, 0, &id));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_tensor_value(g.get(), 1, seven, w.data(),
                                            PNN_VALUE_FLAG_EXTERNAL_INPUT, &id));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_define_tensor_value(g.get(), 0, nullptr, nullptr,
                                            PNN_VALUE_FLAG_EXTERNAL_INPUT, &id));
  EXPECT_EQ(id, 77u);
}

TEST(GraphHostile, ShapeErrorsNameTheNode) {
  GraphPtr g = NewGraph();
  const std::vector<float> w(8 * 3 * 3 * 4, 0.5f);
  const uint32_t x = Input(g.get(), {1, 8, 8, 3});  // 3 channels; the filter wants 4
  const uint32_t vw = Value(g.get(), {8, 3, 3, 4}, w.data());
  const uint32_t y = Value(g.get(), {1, 8, 8, 8}, nullptr, PNN_VALUE_FLAG_EXTERNAL_OUTPUT);
  const auto p = ConvolutionParams(3, 1, 1, 1, 4, 8);
  ASSERT_EQ(pnn_define_convolution2d(g.get(), &p, x, vw, PNN_INVALID_VALUE_ID, y), pnn_status_success);
  ASSERT_EQ(pnn_set_node_name(g.get(), 0, "stem"), pnn_status_success);
  pnn_runtime_t rt = nullptr;
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g.get(), 0, &rt));
  EXPECT_NE(Reason().find("node \"stem\""), std::string::npos) << Reason();
  EXPECT_NE(Reason().find("4 channels"), std::string::npos) << Reason();
  // An operator's own rule keeps its reason, prefixed by the node.
  GraphPtr g2 = NewGraph();
  const uint32_t x2 = Input(g2.get(), {1, 8, 8, 4}), y2 = Output(g2.get());
  const uint32_t vw2 = Value(g2.get(), {8, 3, 3, 4}, w.data());
  auto bad = ConvolutionParams(3, 0, 1, 1, 4, 8);  // stride 0
  ASSERT_EQ(pnn_define_convolution2d(g2.get(), &bad, x2, vw2, PNN_INVALID_VALUE_ID, y2),
            pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g2.get(), 0, &rt));
  EXPECT_NE(Reason().find("node 0 (convolution2d): pnn_create_convolution2d_nhwc_f32: stride"),
            std::string::npos)
      << Reason();
  // A declared output shape that disagrees with the inference.
  GraphPtr g3 = NewGraph();
  const uint32_t x3 = Input(g3.get(), {1, 8, 8, 4});
  const uint32_t y3 = Value(g3.get(), {1, 9, 8, 8}, nullptr, PNN_VALUE_FLAG_EXTERNAL_OUTPUT);
  const auto ok = ConvolutionParams(3, 1, 1, 1, 4, 8);
  ASSERT_EQ(pnn_define_convolution2d(g3.get(), &ok, x3,
                                     Value(g3.get(), {8, 3, 3, 4}, w.data()),
                                     PNN_INVALID_VALUE_ID, y3),
            pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_create_runtime(g3.get(), 0, &rt));
  EXPECT_NE(Reason().find("declared [1x9x8x8] but the node produces [1x8x8x8]"), std::string::npos)
      << Reason();
  EXPECT_EQ(rt, nullptr);
}

TEST(GraphHostile, SetupAndReshapeErrors) {
  SmallNet net(6, 6);
  RuntimePtr rt = Create(net.g.get());
  ASSERT_TRUE(rt);
  std::vector<float> in(6 * 6 * 3), out(SmallNet::kClasses);
  const pnn_external_value missing[] = {{net.x, in.data()}};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_runtime(rt.get(), 1, missing));
  const pnn_external_value twice[] = {{net.x, in.data()}, {net.x, in.data()}};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_runtime(rt.get(), 2, twice));
  const pnn_external_value null_data[] = {{net.x, in.data()}, {net.y, nullptr}};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_runtime(rt.get(), 2, null_data));
  const pnn_external_value internal[] = {{net.x, in.data()}, {net.y + 100, out.data()}};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_runtime(rt.get(), 2, internal));
  const pnn_external_value overlap[] = {{net.x, in.data()}, {net.y, in.data() + 1}};
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_setup_runtime(rt.get(), 2, overlap));
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_invoke_runtime(rt.get(), nullptr));
  // A shape the network cannot take (2 channels) fails naming the node; setup is refused until
  // a reshape succeeds.
  const size_t bad[] = {1, 6, 6, 2};
  ASSERT_EQ(pnn_reshape_external_value(rt.get(), net.x, 4, bad), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_reshape_runtime(rt.get(), nullptr));
  EXPECT_NE(Reason().find("node 1 (convolution2d)"), std::string::npos) << Reason();
  const pnn_external_value good[] = {{net.x, in.data()}, {net.y, out.data()}};
  EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_setup_runtime(rt.get(), 2, good));
  const size_t fine[] = {1, 6, 6, 3};
  ASSERT_EQ(pnn_reshape_external_value(rt.get(), net.x, 4, fine), pnn_status_success);
  ASSERT_EQ(pnn_reshape_runtime(rt.get(), nullptr), pnn_status_success);
  ASSERT_EQ(pnn_setup_runtime(rt.get(), 2, good), pnn_status_success);
  EXPECT_EQ(pnn_invoke_runtime(rt.get(), nullptr), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_external_value(rt.get(), net.y, 4, fine));
}

}  // namespace
