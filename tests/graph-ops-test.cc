// Graph nodes of the data-movement, reduction, normalization, prelu, softmax-axis and copy
// operators (include/portnn-graph.h): each node's result equals its operator called by hand, bit
// for bit, with the shapes the runtime infers, also after pnn_reshape_runtime changes the input
// shapes; a split's several outputs are planned and produced once each; hostile definitions fail
// with the node named. Batch-norm folding: the folded node stays within the rounding bound derived
// below of the unfolded pair (which is bit-identical to the operators by hand), and
// PNN_RUNTIME_FLAG_NO_FUSION keeps the pair apart.
#include <cmath>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "graph-test-utils.h"
#include "portnn-graph.h"
#include "test-utils.h"

PNN_TEST_INIT_LIBRARY();

namespace {

constexpr float kInf = INFINITY;

using namespace pnn_test;  // NOLINT: the graph test helpers (graph-test-utils.h)
using Dims = std::vector<size_t>;
using Floats = std::vector<float>;

size_t Count(const Dims& d) {
  size_t n = 1;
  for (size_t v : d) n *= v;
  return n;
}

// Binds `inputs` (value id, data) and fresh buffers for `outputs` (sized by the runtime's shapes),
// invokes once and returns the outputs.
std::vector<Floats> Invoke(pnn_runtime_t rt, const std::vector<std::pair<uint32_t, const Floats*>>& inputs,
                           const std::vector<uint32_t>& outputs, pnn_threadpool_t pool = nullptr) {
  std::vector<Floats> result;
  std::vector<pnn_external_value> ext;
  for (const auto& in : inputs) ext.push_back({in.first, const_cast<float*>(in.second->data())});
  result.reserve(outputs.size());
  for (uint32_t id : outputs) {
    result.emplace_back(Count(Shape(rt, id)), -12345.0f);
    ext.push_back({id, result.back().data()});
  }
  EXPECT_EQ(pnn_setup_runtime(rt, ext.size(), ext.data()), pnn_status_success)
      << pnn_last_error_message();
  EXPECT_EQ(pnn_invoke_runtime(rt, pool), pnn_status_success) << pnn_last_error_message();
  return result;
}

void ExpectBitEqual(const Floats& a, const Floats& b) {
  ASSERT_EQ(a.size(), b.size());
  EXPECT_EQ(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)), 0);
}

// Runs an operator created by hand whose reshape already happened: setup binds, then one run.
#define PNN_EXPECT_OK(call) EXPECT_EQ((call), pnn_status_success) << pnn_last_error_message()

template <typename In, typename Out>
Floats RunByHand(pnn_operator_t op, size_t out_count, pnn_status (*setup)(pnn_operator_t, In, Out),
                 const Floats& x) {
  Floats y(out_count);
  PNN_EXPECT_OK(setup(op, x.data(), y.data()));
  PNN_EXPECT_OK(pnn_run_operator(op, nullptr));
  return y;
}

// A graph of one node from external input `x` (dims `in`) to external output `y`.
struct OneNode {
  GraphPtr g = NewGraph();
  uint32_t x, y;
  explicit OneNode(const Dims& in) : x(Input(g.get(), in)), y(Output(g.get())) {}
};

// Reshapes external input `x` of `rt` and the runtime.
void ReshapeInput(pnn_runtime_t rt, uint32_t x, const Dims& dims) {
  PNN_EXPECT_OK(pnn_reshape_external_value(rt, x, dims.size(), dims.data()));
  PNN_EXPECT_OK(pnn_reshape_runtime(rt, nullptr));
}

// --- data movement --------------------------------------------------------------------------

Floats TransposeByHand(const Dims& in, const Dims& perm, const Floats& x) {
  pnn_operator_t op = nullptr;
  PNN_EXPECT_OK(pnn_create_transpose_nd_x32(0, &op));
  OpPtr hold(op);
  PNN_EXPECT_OK(pnn_reshape_transpose_nd_x32(op, in.size(), in.data(), perm.data(), nullptr, nullptr));
  return RunByHand(op, x.size(), pnn_setup_transpose_nd_x32, x);
}

TEST(GraphOps, Transpose) {
  const Dims perm = {0, 3, 1, 2};
  OneNode t({2, 3, 4, 5});
  ASSERT_EQ(pnn_define_transpose(t.g.get(), 4, perm.data(), t.x, t.y), pnn_status_success);
  RuntimePtr rt = Create(t.g.get());
  EXPECT_EQ(Shape(rt.get(), t.y), (Dims{2, 5, 3, 4}));
  for (const Dims& in : {Dims{2, 3, 4, 5}, Dims{1, 7, 2, 3}}) {
    if (in[1] != 3) ReshapeInput(rt.get(), t.x, in);
    EXPECT_EQ(Shape(rt.get(), t.y), (Dims{in[0], in[3], in[1], in[2]}));
    const Floats x = RandomVector(Count(in), 11);
    ExpectBitEqual(Invoke(rt.get(), {{t.x, &x}}, {t.y})[0], TransposeByHand(in, perm, x));
  }
}

TEST(GraphOps, DepthToSpaceAndSpaceToDepth) {
  for (pnn_depth_to_space_mode mode : {pnn_depth_to_space_dcr, pnn_depth_to_space_crd}) {
    OneNode t({2, 4, 4, 8});
    const uint32_t y2 = Output(t.g.get());
    ASSERT_EQ(pnn_define_depth_to_space(t.g.get(), 2, mode, t.x, t.y), pnn_status_success);
    ASSERT_EQ(pnn_define_space_to_depth(t.g.get(), 2, t.x, y2), pnn_status_success);
    RuntimePtr rt = Create(t.g.get());
    EXPECT_EQ(Shape(rt.get(), t.y), (Dims{2, 8, 8, 2}));
    EXPECT_EQ(Shape(rt.get(), y2), (Dims{2, 2, 2, 32}));
    ReshapeInput(rt.get(), t.x, {1, 2, 6, 4});
    EXPECT_EQ(Shape(rt.get(), t.y), (Dims{1, 4, 12, 1}));
    const Floats x = RandomVector(48, 12);
    const auto got = Invoke(rt.get(), {{t.x, &x}}, {t.y, y2});
    pnn_operator_t d2s = nullptr, s2d = nullptr;
    PNN_EXPECT_OK(pnn_create_depth_to_space_nhwc_x32(2, mode, 0, &d2s));
    PNN_EXPECT_OK(pnn_create_space_to_depth_nhwc_x32(2, 0, &s2d));
    OpPtr h1(d2s), h2(s2d);
    PNN_EXPECT_OK(pnn_reshape_depth_to_space_nhwc_x32(d2s, 1, 2, 6, 4, nullptr, nullptr, nullptr, nullptr));
    PNN_EXPECT_OK(pnn_reshape_space_to_depth_nhwc_x32(s2d, 1, 2, 6, 4, nullptr, nullptr, nullptr, nullptr));
    ExpectBitEqual(got[0], RunByHand(d2s, 48, pnn_setup_depth_to_space_nhwc_x32, x));
    ExpectBitEqual(got[1], RunByHand(s2d, 48, pnn_setup_space_to_depth_nhwc_x32, x));
    EXPECT_EQ(Shape(rt.get(), y2), (Dims{1, 1, 3, 16}));
  }
}

TEST(GraphOps, Pad) {
  const Dims pre = {0, 1, 2, 0}, post = {1, 2, 0, 3};
  for (pnn_pad_mode mode : {pnn_pad_constant, pnn_pad_reflect, pnn_pad_edge}) {
    OneNode t({2, 4, 5, 4});
    ASSERT_EQ(pnn_define_pad(t.g.get(), mode, 4, pre.data(), post.data(), -7.5f, t.x, t.y),
              pnn_status_success);
    RuntimePtr rt = Create(t.g.get());
    EXPECT_EQ(Shape(rt.get(), t.y), (Dims{3, 7, 7, 7}));
    for (const Dims& in : {Dims{2, 4, 5, 4}, Dims{3, 3, 6, 4}}) {
      if (in[0] != 2) ReshapeInput(rt.get(), t.x, in);
      const Floats x = RandomVector(Count(in), 13);
      pnn_operator_t op = nullptr;
      PNN_EXPECT_OK(pnn_create_pad_nd_x32(mode, -7.5f, 0, &op));
      OpPtr hold(op);
      size_t out[4];
      PNN_EXPECT_OK(pnn_reshape_pad_nd_x32(op, 4, in.data(), pre.data(), post.data(), out, nullptr));
      EXPECT_EQ(Shape(rt.get(), t.y), Dims(out, out + 4));
      ExpectBitEqual(Invoke(rt.get(), {{t.x, &x}}, {t.y})[0],
                     RunByHand(op, Count(Dims(out, out + 4)), pnn_setup_pad_nd_x32, x));
    }
  }
}

// Concatenate (of two inputs and a static value) feeding a split into three: one part external,
// one through an internal unary node, one back through a second concatenate; reshaped.
TEST(GraphOps, ConcatenateAndSplit) {
  GraphPtr g = NewGraph();
  const Floats s = RandomVector(2 * 3 * 2, 20);
  const uint32_t a = Input(g.get(), {2, 3, 4}), b = Input(g.get(), {2, 3, 1});
  const uint32_t sv = Value(g.get(), {2, 3, 2}, s.data());
  const uint32_t cat = Internal(g.get()), p0 = Output(g.get()), p1 = Internal(g.get());
  const uint32_t p2 = Internal(g.get()), abs1 = Output(g.get()), back = Output(g.get());
  const uint32_t in_ids[3] = {a, sv, b};
  ASSERT_EQ(pnn_define_concatenate(g.get(), -1, 3, in_ids, cat), pnn_status_success);
  const size_t sizes[3] = {2, 3, 2};
  const uint32_t out_ids[3] = {p0, p1, p2};
  ASSERT_EQ(pnn_define_split(g.get(), 2, 3, sizes, cat, out_ids), pnn_status_success);
  ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_abs, nullptr, p1, abs1, 0), pnn_status_success);
  const uint32_t back_ids[2] = {p2, p0};
  ASSERT_EQ(pnn_define_concatenate(g.get(), 0, 2, back_ids, back), pnn_status_success);
  RuntimePtr rt = Create(g.get());
  EXPECT_EQ(Shape(rt.get(), cat), (Dims{2, 3, 7}));
  EXPECT_EQ(Shape(rt.get(), p1), (Dims{2, 3, 3}));
  EXPECT_EQ(Shape(rt.get(), back), (Dims{4, 3, 2}));
  // The batch dim changes (the static part then no longer fits: reshape names the node).
  PNN_EXPECT_OK(pnn_reshape_external_value(rt.get(), a, 3, Dims{3, 3, 4}.data()));
  EXPECT_EQ(pnn_reshape_runtime(rt.get(), nullptr), pnn_status_invalid_parameter);
  EXPECT_NE(std::string(pnn_last_error_message()).find("node 0 (concatenate)"), std::string::npos)
      << pnn_last_error_message();
  // Back to shapes that fit: the runtime works again, with the bytes of the operators by hand.
  ReshapeInput(rt.get(), a, {2, 3, 4});
  const Floats xa = RandomVector(24, 21), xb = RandomVector(6, 22);
  const auto got = Invoke(rt.get(), {{a, &xa}, {b, &xb}}, {p0, abs1, back});

  pnn_operator_t c = nullptr, sp = nullptr, u = nullptr, c2 = nullptr;
  PNN_EXPECT_OK(pnn_create_concatenate_nd_x32(3, 2, 0, &c));
  PNN_EXPECT_OK(pnn_create_split_nd_x32(3, 2, 0, &sp));
  PNN_EXPECT_OK(pnn_create_unary_elementwise_nc_f32(pnn_unary_abs, nullptr, 0, &u));
  PNN_EXPECT_OK(pnn_create_concatenate_nd_x32(2, 0, 0, &c2));
  OpPtr h1(c), h2(sp), h3(u), h4(c2);
  const size_t shapes[9] = {2, 3, 4, 2, 3, 2, 2, 3, 1};
  PNN_EXPECT_OK(pnn_reshape_concatenate_nd_x32(c, 3, shapes, nullptr, nullptr));
  Floats whole(42);
  const void* parts_in[3] = {xa.data(), s.data(), xb.data()};
  PNN_EXPECT_OK(pnn_setup_concatenate_nd_x32(c, parts_in, whole.data()));
  PNN_EXPECT_OK(pnn_run_operator(c, nullptr));
  PNN_EXPECT_OK(pnn_reshape_split_nd_x32(sp, 3, Dims{2, 3, 7}.data(), sizes, nullptr));
  Floats q0(12), q1(18), q2(12);
  void* parts_out[3] = {q0.data(), q1.data(), q2.data()};
  PNN_EXPECT_OK(pnn_setup_split_nd_x32(sp, whole.data(), parts_out));
  PNN_EXPECT_OK(pnn_run_operator(sp, nullptr));
  PNN_EXPECT_OK(pnn_reshape_unary_elementwise_nc_f32(u, 1, 18, nullptr));
  const size_t shapes2[6] = {2, 3, 2, 2, 3, 2};
  PNN_EXPECT_OK(pnn_reshape_concatenate_nd_x32(c2, 3, shapes2, nullptr, nullptr));
  Floats joined(24);
  const void* parts2[2] = {q2.data(), q0.data()};
  PNN_EXPECT_OK(pnn_setup_concatenate_nd_x32(c2, parts2, joined.data()));
  PNN_EXPECT_OK(pnn_run_operator(c2, nullptr));
  ExpectBitEqual(got[0], q0);
  ExpectBitEqual(got[1], RunByHand(u, 18, pnn_setup_unary_elementwise_nc_f32, q1));
  ExpectBitEqual(got[2], joined);
}

// An even split (NULL sizes) follows the axis dim at reshape; the parts land back in place.
TEST(GraphOps, EvenSplitRoundTrip) {
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {4, 6});
  uint32_t parts[3], y = Output(g.get());
  for (uint32_t& p : parts) p = Internal(g.get());
  ASSERT_EQ(pnn_define_split(g.get(), -1, 3, nullptr, x, parts), pnn_status_success);
  ASSERT_EQ(pnn_define_concatenate(g.get(), 1, 3, parts, y), pnn_status_success);
  RuntimePtr rt = Create(g.get());
  EXPECT_EQ(Shape(rt.get(), parts[2]), (Dims{4, 2}));
  size_t arena = 0;
  PNN_EXPECT_OK(pnn_get_runtime_memory(rt.get(), &arena, nullptr));
  EXPECT_GE(arena, 3 * 4 * 2 * sizeof(float));  // three parts alive together
  for (const Dims& in : {Dims{4, 6}, Dims{5, 9}}) {
    if (in[0] != 4) ReshapeInput(rt.get(), x, in);
    EXPECT_EQ(Shape(rt.get(), parts[1]), (Dims{in[0], in[1] / 3}));
    const Floats v = RandomVector(Count(in), 23);
    ExpectBitEqual(Invoke(rt.get(), {{x, &v}}, {y})[0], v);
  }
  PNN_EXPECT_OK(pnn_reshape_external_value(rt.get(), x, 2, Dims{5, 10}.data()));
  EXPECT_EQ(pnn_reshape_runtime(rt.get(), nullptr), pnn_status_invalid_parameter);
  EXPECT_NE(std::string(pnn_last_error_message()).find("node 0 (split)"), std::string::npos)
      << pnn_last_error_message();
}

TEST(GraphOps, Slice) {
  const int64_t begins[3] = {0, -3, 1}, ends[3] = {INT64_MAX, 100, -1}, steps[3] = {1, 2, 3};
  OneNode t({2, 7, 9});
  ASSERT_EQ(pnn_define_slice(t.g.get(), 3, begins, ends, steps, t.x, t.y), pnn_status_success);
  RuntimePtr rt = Create(t.g.get());
  for (const Dims& in : {Dims{2, 7, 9}, Dims{3, 4, 11}}) {
    if (in[0] != 2) ReshapeInput(rt.get(), t.x, in);
    pnn_operator_t op = nullptr;
    PNN_EXPECT_OK(pnn_create_slice_nd_x32(0, &op));
    OpPtr hold(op);
    size_t out[3];
    PNN_EXPECT_OK(pnn_reshape_slice_nd_x32(op, 3, in.data(), begins, ends, steps, out, nullptr));
    EXPECT_EQ(Shape(rt.get(), t.y), Dims(out, out + 3));
    const Floats x = RandomVector(Count(in), 24);
    ExpectBitEqual(Invoke(rt.get(), {{t.x, &x}}, {t.y})[0],
                   RunByHand(op, Count(Dims(out, out + 3)), pnn_setup_slice_nd_x32, x));
  }
  EXPECT_EQ(Shape(rt.get(), t.y), (Dims{3, 2, 3}));
}

// --- reductions, normalizations, prelu, softmax ------------------------------------------------

TEST(GraphOps, Reduce) {
  const int32_t axes[2] = {1, -2};
  for (uint32_t flags : {0u, static_cast<uint32_t>(PNN_FLAG_KEEP_DIMS)}) {
    for (pnn_reduce_op op_type : {pnn_reduce_sum, pnn_reduce_mean, pnn_reduce_max, pnn_reduce_min}) {
      OneNode t({2, 5, 6, 3});
      ASSERT_EQ(pnn_define_reduce(t.g.get(), op_type, 2, axes, t.x, t.y, flags), pnn_status_success);
      RuntimePtr rt = Create(t.g.get());
      EXPECT_EQ(Shape(rt.get(), t.y), flags != 0 ? (Dims{2, 1, 1, 3}) : (Dims{2, 3}));
      const Dims in = {1, 4, 7, 5};
      ReshapeInput(rt.get(), t.x, in);
      pnn_operator_t op = nullptr;
      PNN_EXPECT_OK(pnn_create_reduce_nd_f32(op_type, 2, axes, flags, &op));
      OpPtr hold(op);
      size_t rank = 0, out[PNN_MAX_DIMS];
      PNN_EXPECT_OK(pnn_reshape_reduce_nd_f32(op, 4, in.data(), &rank, out, nullptr));
      EXPECT_EQ(Shape(rt.get(), t.y), Dims(out, out + rank));
      const Floats x = RandomVector(Count(in), 25);
      ExpectBitEqual(Invoke(rt.get(), {{t.x, &x}}, {t.y})[0],
                     RunByHand(op, 5, pnn_setup_reduce_nd_f32, x));
    }
  }
}

// x -> abs -> layer norm (axis -2, gamma [4, 6], beta) -> RMS norm (axis -1) -> y: both norms
// run in place over the abs node's value, so the arena holds one tensor.
TEST(GraphOps, LayerNormAndRmsNormInPlace) {
  const Floats gamma = RandomVector(24, 30), beta = RandomVector(24, 31), g2 = RandomVector(6, 32);
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {3, 4, 6}), y = Output(g.get());
  const uint32_t vg = Value(g.get(), {4, 6}, gamma.data()), vb = Value(g.get(), {24}, beta.data());
  const uint32_t vg2 = Value(g.get(), {6}, g2.data());
  const uint32_t a = Internal(g.get()), ln = Internal(g.get());
  ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_abs, nullptr, x, a, 0), pnn_status_success);
  ASSERT_EQ(pnn_define_layer_norm(g.get(), -2, 1e-5f, vg, vb, a, ln), pnn_status_success);
  ASSERT_EQ(pnn_define_rms_norm(g.get(), -1, 1e-6f, vg2, ln, y), pnn_status_success);
  RuntimePtr rt = Create(g.get());
  size_t arena = 0;
  PNN_EXPECT_OK(pnn_get_runtime_memory(rt.get(), &arena, nullptr));
  EXPECT_EQ(arena, 3 * 24 * sizeof(float) + 32);  // one tensor of 288 bytes, 64-byte aligned
  ReshapeInput(rt.get(), x, {5, 4, 6});
  const Floats xv = RandomVector(120, 33);

  pnn_operator_t u = nullptr, l = nullptr, r = nullptr;
  PNN_EXPECT_OK(pnn_create_unary_elementwise_nc_f32(pnn_unary_abs, nullptr, 0, &u));
  PNN_EXPECT_OK(pnn_create_layer_norm_nd_f32(24, gamma.data(), beta.data(), 1e-5f, 0, &l));
  PNN_EXPECT_OK(pnn_create_rms_norm_nd_f32(6, g2.data(), 1e-6f, 0, &r));
  OpPtr h1(u), h2(l), h3(r);
  const Dims in = {5, 4, 6};
  PNN_EXPECT_OK(pnn_reshape_unary_elementwise_nc_f32(u, 1, 120, nullptr));
  PNN_EXPECT_OK(pnn_reshape_layer_norm_nd_f32(l, 3, in.data(), -2, nullptr));
  PNN_EXPECT_OK(pnn_reshape_rms_norm_nd_f32(r, 3, in.data(), -1, nullptr));
  const Floats by_hand = RunByHand(r, 120, pnn_setup_rms_norm_nd_f32,
                                    RunByHand(l, 120, pnn_setup_layer_norm_nd_f32,
                                               RunByHand(u, 120, pnn_setup_unary_elementwise_nc_f32, xv)));
  ExpectBitEqual(Invoke(rt.get(), {{x, &xv}}, {y})[0], by_hand);
}

// x -> batch norm -> prelu (slope [1, C]) -> prelu (one slope for all) -> y, unfused (the batch
// norm reads an external input).
TEST(GraphOps, BatchNormAndPrelu) {
  constexpr size_t kC = 5;
  const Floats mean = RandomVector(kC, 40), var = RandomVector(kC, 41, 0.1f, 2.0f);
  const Floats gm = RandomVector(kC, 42), bt = RandomVector(kC, 43), slope = RandomVector(kC, 44);
  const Floats one = {0.25f};
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {2, 3, kC}), y = Output(g.get());
  const uint32_t vm = Value(g.get(), {kC}, mean.data()), vv = Value(g.get(), {kC}, var.data());
  const uint32_t vg = Value(g.get(), {kC}, gm.data()), vb = Value(g.get(), {kC}, bt.data());
  const uint32_t vs = Value(g.get(), {1, kC}, slope.data()), v1 = Value(g.get(), {1, 1}, one.data());
  const uint32_t b = Internal(g.get()), p = Internal(g.get());
  ASSERT_EQ(pnn_define_batch_norm(g.get(), 1e-3f, vm, vv, vg, vb, x, b), pnn_status_success);
  ASSERT_EQ(pnn_define_prelu(g.get(), vs, b, p), pnn_status_success);
  ASSERT_EQ(pnn_define_prelu(g.get(), v1, p, y), pnn_status_success);
  RuntimePtr rt = Create(g.get());
  ReshapeInput(rt.get(), x, {7, kC});
  const Floats xv = RandomVector(7 * kC, 45, -3.0f, 3.0f);
  pnn_operator_t bn = nullptr, p1 = nullptr, p2 = nullptr;
  PNN_EXPECT_OK(pnn_create_batch_norm_nc_f32(kC, mean.data(), var.data(), gm.data(), bt.data(),
                                             1e-3f, 0, &bn));
  PNN_EXPECT_OK(pnn_create_prelu_nc_f32(kC, slope.data(), 0, &p1));
  const Floats quarter(kC, 0.25f);
  PNN_EXPECT_OK(pnn_create_prelu_nc_f32(kC, quarter.data(), 0, &p2));
  OpPtr h1(bn), h2(p1), h3(p2);
  PNN_EXPECT_OK(pnn_reshape_batch_norm_nc_f32(bn, 7, nullptr));
  PNN_EXPECT_OK(pnn_reshape_prelu_nc_f32(p1, 7, nullptr));
  PNN_EXPECT_OK(pnn_reshape_prelu_nc_f32(p2, 7, nullptr));
  const Floats by_hand =
      RunByHand(p2, 7 * kC, pnn_setup_prelu_nc_f32,
                 RunByHand(p1, 7 * kC, pnn_setup_prelu_nc_f32,
                            RunByHand(bn, 7 * kC, pnn_setup_batch_norm_nc_f32, xv)));
  ExpectBitEqual(Invoke(rt.get(), {{x, &xv}}, {y})[0], by_hand);
  uint32_t count = 0;
  PNN_EXPECT_OK(pnn_get_runtime_node_count(rt.get(), &count));
  ASSERT_EQ(count, 3u);
  pnn_node_info info;
  PNN_EXPECT_OK(pnn_get_runtime_node_info(rt.get(), 0, &info));
  EXPECT_STREQ(info.operator_name, "batch_norm");
  EXPECT_EQ(info.fused_into, -1);
}

// Softmax along axis 1, and log-softmax through the old call (last axis) with the flag.
TEST(GraphOps, SoftmaxAnyAxisAndLogSoftmax) {
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {2, 5, 3}), y1 = Output(g.get()), y2 = Output(g.get());
  ASSERT_EQ(pnn_define_softmax_axis(g.get(), 1, x, y1, 0), pnn_status_success);
  ASSERT_EQ(pnn_define_softmax(g.get(), x, y2, PNN_FLAG_LOG_SOFTMAX), pnn_status_success);
  RuntimePtr rt = Create(g.get());
  for (const Dims& in : {Dims{2, 5, 3}, Dims{3, 4, 6}}) {
    if (in[0] != 2) ReshapeInput(rt.get(), x, in);
    const Floats xv = RandomVector(Count(in), 50, -4.0f, 4.0f);
    const auto got = Invoke(rt.get(), {{x, &xv}}, {y1, y2});
    pnn_operator_t s1 = nullptr, s2 = nullptr;
    PNN_EXPECT_OK(pnn_create_softmax_nc_f32(in[1], 0, &s1));
    PNN_EXPECT_OK(pnn_create_softmax_nc_f32(in[2], PNN_FLAG_LOG_SOFTMAX, &s2));
    OpPtr h1(s1), h2(s2);
    PNN_EXPECT_OK(pnn_reshape_softmax_nd_f32(s1, 3, in.data(), 1, nullptr));
    PNN_EXPECT_OK(pnn_reshape_softmax_nc_f32(s2, in[0] * in[1], nullptr));
    ExpectBitEqual(got[0], RunByHand(s1, xv.size(), pnn_setup_softmax_nc_f32, xv));
    ExpectBitEqual(got[1], RunByHand(s2, xv.size(), pnn_setup_softmax_nc_f32, xv));
  }
}

// A copy between two external buffers copies; an internal one is a view (no arena).
TEST(GraphOps, Copy) {
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {3, 4}), y = Output(g.get()), v = Internal(g.get());
  const uint32_t z = Output(g.get());
  ASSERT_EQ(pnn_define_copy(g.get(), x, y), pnn_status_success);
  ASSERT_EQ(pnn_define_copy(g.get(), x, v), pnn_status_success);
  ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_negate, nullptr, v, z, 0), pnn_status_success);
  RuntimePtr rt = Create(g.get());
  size_t arena = 1;
  PNN_EXPECT_OK(pnn_get_runtime_memory(rt.get(), &arena, nullptr));
  EXPECT_EQ(arena, 0u);
  const Floats xv = RandomVector(12, 60);
  const auto got = Invoke(rt.get(), {{x, &xv}}, {y, z});
  ExpectBitEqual(got[0], xv);
  for (size_t i = 0; i < 12; i++) EXPECT_EQ(got[1][i], -xv[i]);
  pnn_node_info info;
  PNN_EXPECT_OK(pnn_get_runtime_node_info(rt.get(), 0, &info));
  EXPECT_STREQ(info.operator_name, "copy");
  EXPECT_STREQ(info.kernel_name, "memcpy");
  PNN_EXPECT_OK(pnn_get_runtime_node_info(rt.get(), 1, &info));
  EXPECT_STREQ(info.kernel_name, "none");
}

// Two threads give the bits of one (each operator's own guarantee, kept by the runtime).
TEST(GraphOps, ThreadsAgree) {
  const Dims perm = {1, 0, 2};
  const int32_t axes[1] = {0};
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {64, 33, 9}), t = Internal(g.get()), y = Output(g.get());
  ASSERT_EQ(pnn_define_transpose(g.get(), 3, perm.data(), x, t), pnn_status_success);
  ASSERT_EQ(pnn_define_reduce(g.get(), pnn_reduce_mean, 1, axes, t, y, 0), pnn_status_success);
  RuntimePtr rt = Create(g.get());
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  const Floats xv = RandomVector(64 * 33 * 9, 61);
  const Floats one = Invoke(rt.get(), {{x, &xv}}, {y})[0];
  PNN_EXPECT_OK(pnn_reshape_runtime(rt.get(), pool));
  ExpectBitEqual(Invoke(rt.get(), {{x, &xv}}, {y}, pool)[0], one);
  pnn_threadpool_destroy(pool);
}

// --- hostile definitions ----------------------------------------------------------------------

// pnn_create_runtime fails and its reason names node "bad".
void ExpectCreateFailsNaming(pnn_graph_t g, uint32_t node) {
  ASSERT_EQ(pnn_set_node_name(g, node, "bad"), pnn_status_success);
  pnn_runtime_t rt = nullptr;
  EXPECT_EQ(pnn_create_runtime(g, 0, &rt), pnn_status_invalid_parameter);
  EXPECT_EQ(rt, nullptr);
  EXPECT_TRUE(pnn_test::HasReason("pnn_create_runtime"));
  EXPECT_NE(std::string(pnn_last_error_message()).find("node \"bad\""), std::string::npos)
      << pnn_last_error_message();
}

TEST(GraphOpsHostile, DefineCallsRejectBadParameters) {
  GraphPtr g = NewGraph();
  const Floats w = RandomVector(4, 70);
  const uint32_t x = Input(g.get(), {2, 4}), y = Output(g.get()), y2 = Output(g.get());
  const uint32_t st = Value(g.get(), {4}, w.data());
  const size_t bad_perm[2] = {1, 1}, big_perm[2] = {0, 2};
  EXPECT_EQ(pnn_define_transpose(g.get(), 2, bad_perm, x, y), pnn_status_invalid_parameter);
  EXPECT_TRUE(pnn_test::HasReason("pnn_define_transpose"));
  EXPECT_EQ(pnn_define_transpose(g.get(), 2, big_perm, x, y), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_transpose(g.get(), 0, big_perm, x, y), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_transpose(g.get(), 2, nullptr, x, y), pnn_status_invalid_parameter);
  const int64_t b[2] = {0, 0}, e[2] = {1, 1}, zero_step[2] = {1, 0};
  EXPECT_EQ(pnn_define_slice(g.get(), 2, b, e, zero_step, x, y), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_slice(g.get(), 2, b, nullptr, nullptr, x, y), pnn_status_invalid_parameter);
  const uint32_t one_input[1] = {x}, same_outputs[2] = {y, y};
  EXPECT_EQ(pnn_define_concatenate(g.get(), 0, 1, one_input, y), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_split(g.get(), 0, 2, nullptr, x, same_outputs), pnn_status_invalid_parameter);
  EXPECT_TRUE(pnn_test::HasReason("pnn_define_split"));
  const uint32_t to_static[2] = {y, st};
  EXPECT_EQ(pnn_define_split(g.get(), 0, 2, nullptr, x, to_static), pnn_status_invalid_parameter);
  const size_t zero_part[2] = {4, 0};
  const uint32_t outs[2] = {y, y2};
  EXPECT_EQ(pnn_define_split(g.get(), 0, 2, zero_part, x, outs), pnn_status_invalid_parameter);
  const int32_t axes[1] = {0};
  EXPECT_EQ(pnn_define_reduce(g.get(), pnn_reduce_sum, 1, nullptr, x, y, 0),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_reduce(g.get(), pnn_reduce_sum, 7, axes, x, y, 0),
            pnn_status_invalid_parameter);
  // Weights must be static: an external input as gamma, mean or slope.
  EXPECT_EQ(pnn_define_layer_norm(g.get(), -1, 1e-5f, x, PNN_INVALID_VALUE_ID, x, y),
            pnn_status_invalid_parameter);
  EXPECT_TRUE(pnn_test::HasReason("pnn_define_layer_norm"));
  EXPECT_EQ(pnn_define_rms_norm(g.get(), -1, 1e-5f, x, x, y), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_batch_norm(g.get(), 1e-5f, x, st, st, st, x, y),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_batch_norm(g.get(), 1e-5f, st, st, st, PNN_INVALID_VALUE_ID, x, y),
            pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_prelu(g.get(), x, x, y), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_copy(g.get(), x, st), pnn_status_invalid_parameter);
  EXPECT_EQ(pnn_define_copy(g.get(), x, 999), pnn_status_invalid_parameter);
  uint32_t nodes = 1;
  EXPECT_EQ(pnn_graph_node_count(g.get(), &nodes), pnn_status_success);
  EXPECT_EQ(nodes, 0u);  // nothing was recorded
}

TEST(GraphOpsHostile, CreateNamesTheNode) {
  const Floats w = RandomVector(12, 71);
  struct Case {
    const char* what;
    void (*define)(pnn_graph_t, uint32_t x, uint32_t st3, uint32_t st4, uint32_t y);
  };
  const Case cases[] = {
      {"concatenate axis out of range",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         const uint32_t ids[2] = {x, x};
         pnn_define_concatenate(g, 3, 2, ids, y);
       }},
      {"concatenate of different ranks",
       [](pnn_graph_t g, uint32_t x, uint32_t st3, uint32_t, uint32_t y) {
         const uint32_t ids[2] = {x, st3};
         pnn_define_concatenate(g, 0, 2, ids, y);
       }},
      {"split sizes not summing to the dim",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         const size_t sizes[2] = {1, 2};
         uint32_t ids[2] = {y, PNN_INVALID_VALUE_ID};
         pnn_define_tensor_value(g, 0, nullptr, nullptr, 0, &ids[1]);
         pnn_define_split(g, 1, 2, sizes, x, ids);
       }},
      {"split axis out of range",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         uint32_t ids[2] = {y, PNN_INVALID_VALUE_ID};
         pnn_define_tensor_value(g, 0, nullptr, nullptr, 0, &ids[1]);
         pnn_define_split(g, -4, 2, nullptr, x, ids);
       }},
      {"transpose of the wrong rank",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         const size_t perm[3] = {2, 0, 1};
         pnn_define_transpose(g, 3, perm, x, y);
       }},
      {"pad of the wrong rank",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         const size_t pads[1] = {1};
         pnn_define_pad(g, pnn_pad_constant, 1, pads, pads, 0.0f, x, y);
       }},
      {"reflect pad as large as the dim",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         const size_t pre[2] = {0, 4}, post[2] = {0, 0};
         pnn_define_pad(g, pnn_pad_reflect, 2, pre, post, 0.0f, x, y);
       }},
      {"slice keeping nothing",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         const int64_t b[2] = {0, 3}, e[2] = {2, 1};
         pnn_define_slice(g, 2, b, e, nullptr, x, y);
       }},
      {"reduce axis out of range",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         const int32_t axes[1] = {2};
         pnn_define_reduce(g, pnn_reduce_max, 1, axes, x, y, 0);
       }},
      {"softmax axis out of range",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         pnn_define_softmax_axis(g, -3, x, y, 0);
       }},
      {"softmax with an unknown flag",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         pnn_define_softmax_axis(g, 0, x, y, 0x40000000u);
       }},
      {"layer norm gamma not matching the normalized dims",
       [](pnn_graph_t g, uint32_t x, uint32_t st3, uint32_t, uint32_t y) {
         pnn_define_layer_norm(g, -1, 1e-5f, st3, PNN_INVALID_VALUE_ID, x, y);
       }},
      {"layer norm beta of another size than gamma",
       [](pnn_graph_t g, uint32_t x, uint32_t st3, uint32_t st4, uint32_t y) {
         pnn_define_layer_norm(g, -1, 1e-5f, st4, st3, x, y);
       }},
      {"layer norm with a NaN epsilon",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t st4, uint32_t y) {
         pnn_define_layer_norm(g, -1, NAN, st4, PNN_INVALID_VALUE_ID, x, y);
       }},
      {"batch norm of the wrong channel count",
       [](pnn_graph_t g, uint32_t x, uint32_t st3, uint32_t, uint32_t y) {
         pnn_define_batch_norm(g, 1e-5f, st3, st3, st3, st3, x, y);
       }},
      {"batch norm parameters of different sizes",
       [](pnn_graph_t g, uint32_t x, uint32_t st3, uint32_t st4, uint32_t y) {
         pnn_define_batch_norm(g, 1e-5f, st4, st4, st3, st4, x, y);
       }},
      {"batch norm with a negative epsilon",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t st4, uint32_t y) {
         pnn_define_batch_norm(g, -1.0f, st4, st4, st4, st4, x, y);
       }},
      {"prelu slope of another channel count",
       [](pnn_graph_t g, uint32_t x, uint32_t st3, uint32_t, uint32_t y) {
         pnn_define_prelu(g, st3, x, y);
       }},
      {"depth-to-space of a 2-D value",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         pnn_define_depth_to_space(g, 2, pnn_depth_to_space_dcr, x, y);
       }},
      {"space-to-depth with block 0",
       [](pnn_graph_t g, uint32_t x, uint32_t, uint32_t, uint32_t y) {
         pnn_define_space_to_depth(g, 0, x, y);
       }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    GraphPtr g = NewGraph();
    const uint32_t x = Input(g.get(), {3, 4});
    const uint32_t st3 = Value(g.get(), {3}, w.data()), st4 = Value(g.get(), {4}, w.data());
    const uint32_t y = Output(g.get());
    c.define(g.get(), x, st3, st4, y);
    uint32_t nodes = 0;
    ASSERT_EQ(pnn_graph_node_count(g.get(), &nodes), pnn_status_success);
    ASSERT_EQ(nodes, 1u) << pnn_last_error_message();
    ExpectCreateFailsNaming(g.get(), 0);
  }
}

// A value written by a split and by another node; a split output read by the split itself.
TEST(GraphOpsHostile, SplitOutputsProducedOnce) {
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {4, 2}), a = Output(g.get()), b = Output(g.get());
  const uint32_t ids[2] = {a, b};
  ASSERT_EQ(pnn_define_split(g.get(), 0, 2, nullptr, x, ids), pnn_status_success);
  ASSERT_EQ(pnn_define_copy(g.get(), x, b), pnn_status_success);
  ExpectCreateFailsNaming(g.get(), 1);

  GraphPtr g2 = NewGraph();
  const uint32_t x2 = Input(g2.get(), {4, 2}), c = Internal(g2.get()), d = Output(g2.get());
  const uint32_t ids2[2] = {c, d};
  ASSERT_EQ(pnn_define_split(g2.get(), 0, 2, nullptr, c, ids2), pnn_status_success);
  (void)x2;
  ExpectCreateFailsNaming(g2.get(), 0);
}

// --- batch-norm folding -----------------------------------------------------------------------
//
// Bound. With u = 2^-24, gamma_n = n u / (1 - n u), an output element of a node with K products
// plus the bias, S = sum |w_i x_i| + |b| and the batch norm's exact s = gamma / sqrt(var + eps),
// t = beta - mean * s:
//  - unfolded: the node's float result y_f is within gamma_{K+1} S of y (any summation order);
//    the batch norm rounds s and t once each (u |s|, u |t|) and its multiply-add once or twice
//    (2u of |y_f s| + |t|): within (gamma_{K+1} + 3u) |s| S + 3u |t| of z = s y + t;
//  - folded: weights w_i s and bias s b + t rounded once each (u (|s| S + |t|)), then the sum
//    within gamma_{K+1} (1 + u) (|s| S + |t|) of that;
// so |folded - unfolded| <= (2 gamma_{K+1} + 5u)(|s| S + |t|), with the second-order terms (order
// K u^2) inside the spare u. S is taken from the same node run on |x|, |w|, |b| (all terms
// positive, so its float result is within gamma_{K+1} S of S) and divided by 1 - gamma_{K+1}.

double Gamma(size_t n) {
  const double u = std::ldexp(1.0, -24);
  return n * u / (1.0 - n * u);
}

struct BnParams {
  Floats mean, var, gamma, beta;
  explicit BnParams(size_t c, uint32_t seed)
      : mean(RandomVector(c, seed)), var(RandomVector(c, seed + 1, 0.05f, 3.0f)),
        gamma(RandomVector(c, seed + 2, -2.0f, 2.0f)), beta(RandomVector(c, seed + 3)) {}
  uint32_t Define(pnn_graph_t g, uint32_t in, uint32_t out) const {
    const size_t c = mean.size();
    const uint32_t m = Value(g, {c}, mean.data()), v = Value(g, {c}, var.data());
    const uint32_t ga = Value(g, {c}, gamma.data()), b = Value(g, {c}, beta.data());
    uint32_t index = 0;
    EXPECT_EQ(pnn_graph_node_count(g, &index), pnn_status_success);
    EXPECT_EQ(pnn_define_batch_norm(g, 1e-3f, m, v, ga, b, in, out), pnn_status_success);
    return index;
  }
  double S(size_t c) const { return gamma[c] / std::sqrt(static_cast<double>(var[c]) + 1e-3); }
  double T(size_t c) const { return beta[c] - mean[c] * S(c); }
};

Floats Abs(Floats v) {
  for (float& f : v) f = std::fabs(f);
  return v;
}

// Checks `folded` against `unfolded` (channels last, `c` channels) with the bound above, `abs_sum`
// the node run on absolute values, K products per output.
void ExpectWithinFoldBound(const Floats& folded, const Floats& unfolded, const Floats& abs_sum,
                           const BnParams& bn, size_t c, size_t k, float lo, float hi) {
  const double u = std::ldexp(1.0, -24), g = Gamma(k + 1);
  ASSERT_EQ(folded.size(), unfolded.size());
  size_t differ = 0;
  for (size_t i = 0; i < folded.size(); i++) {
    const size_t ch = i % c;
    const double s = abs_sum[i] / (1.0 - g);
    const double bound = (2.0 * g + 5.0 * u) * (std::fabs(bn.S(ch)) * s + std::fabs(bn.T(ch)));
    // A clamp after both only shrinks the difference.
    EXPECT_LE(std::fabs(static_cast<double>(folded[i]) - unfolded[i]), bound) << "at " << i;
    EXPECT_GE(folded[i], lo);
    EXPECT_LE(folded[i], hi);
    differ += folded[i] != unfolded[i];
  }
  EXPECT_GT(differ, 0u) << "folding changed no bit: was the batch norm folded?";
}

// The convolution of `x` with `w` and `b` by hand, at the clamp given.
Floats ConvByHand(const pnn_convolution2d_params& p, const Floats& w, const Floats& b,
                  const Floats& x, size_t n, size_t h, size_t wd) {
  pnn_operator_t op = nullptr;
  PNN_EXPECT_OK(pnn_create_convolution2d_nhwc_f32(&p, w.data(), b.data(), &op));
  OpPtr hold(op);
  size_t oh = 0, ow = 0;
  PNN_EXPECT_OK(pnn_reshape_convolution2d_nhwc_f32(op, n, h, wd, &oh, &ow, nullptr));
  return RunByHand(op, n * oh * ow * p.groups * p.group_output_channels,
                    pnn_setup_convolution2d_nhwc_f32, x);
}

// conv -> batch norm -> relu6: the batch norm and the clamp fold into the convolution (3x3, pad 1,
// `groups` groups of gic -> goc channels); without fusion the three nodes run as the operators
// by hand.
void CheckConvolutionBatchNormRelu6(uint32_t groups, size_t gic, size_t goc, uint32_t seed) {
  const size_t cin = groups * gic, cout = groups * goc, k = 3 * 3 * gic;
  constexpr size_t kH = 6, kW = 5;
  const Floats w = RandomVector(cout * 3 * 3 * gic, seed), b = RandomVector(cout, seed + 1);
  const BnParams bn(cout, seed + 2);
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {1, kH, kW, cin}), y = Output(g.get());
  const uint32_t vw = Value(g.get(), {cout, 3, 3, gic}, w.data()), vb = Value(g.get(), {cout}, b.data());
  const uint32_t c = Internal(g.get()), n = Internal(g.get());
  const auto p = pnn_test::ConvolutionParams(3, 1, 1, groups, gic, goc);
  ASSERT_EQ(pnn_define_convolution2d(g.get(), &p, x, vw, vb, c), pnn_status_success);
  const uint32_t bn_node = bn.Define(g.get(), c, n);
  pnn_unary_params relu6{};
  relu6.min = 0.0f;
  relu6.max = 6.0f;
  ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_clamp, &relu6, n, y, 0), pnn_status_success);
  RuntimePtr fused = Create(g.get()), apart = Create(g.get(), PNN_RUNTIME_FLAG_NO_FUSION);
  pnn_node_info info;
  PNN_EXPECT_OK(pnn_get_runtime_node_info(fused.get(), bn_node, &info));
  EXPECT_EQ(info.fused_into, 0);
  PNN_EXPECT_OK(pnn_get_runtime_node_info(fused.get(), 2, &info));
  EXPECT_EQ(info.fused_into, 0);
  PNN_EXPECT_OK(pnn_get_runtime_node_info(apart.get(), bn_node, &info));
  EXPECT_EQ(info.fused_into, -1);

  const Floats xv = RandomVector(kH * kW * cin, seed + 3, -2.0f, 2.0f);
  const Floats f = Invoke(fused.get(), {{x, &xv}}, {y})[0];
  const Floats a = Invoke(apart.get(), {{x, &xv}}, {y})[0];
  // Unfused: exactly conv, batch norm, clamp by hand.
  const Floats conv = ConvByHand(p, w, b, xv, 1, kH, kW);
  pnn_operator_t bop = nullptr, cl = nullptr;
  PNN_EXPECT_OK(pnn_create_batch_norm_nc_f32(cout, bn.mean.data(), bn.var.data(), bn.gamma.data(),
                                             bn.beta.data(), 1e-3f, 0, &bop));
  PNN_EXPECT_OK(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &relu6, 0, &cl));
  OpPtr h1(bop), h2(cl);
  PNN_EXPECT_OK(pnn_reshape_batch_norm_nc_f32(bop, kH * kW, nullptr));
  PNN_EXPECT_OK(pnn_reshape_unary_elementwise_nc_f32(cl, 1, conv.size(), nullptr));
  ExpectBitEqual(a, RunByHand(cl, conv.size(), pnn_setup_unary_elementwise_nc_f32,
                               RunByHand(bop, conv.size(), pnn_setup_batch_norm_nc_f32, conv)));
  const Floats abs_sum = ConvByHand(p, Abs(w), Abs(b), Abs(xv), 1, kH, kW);
  ExpectWithinFoldBound(f, a, abs_sum, bn, cout, k, 0.0f, 6.0f);
  // After a reshape the folded weights still apply.
  ReshapeInput(fused.get(), x, {2, 4, 4, cin});
  ReshapeInput(apart.get(), x, {2, 4, 4, cin});
  const Floats x2 = RandomVector(2 * 16 * cin, seed + 4, -2.0f, 2.0f);
  ExpectWithinFoldBound(Invoke(fused.get(), {{x, &x2}}, {y})[0],
                        Invoke(apart.get(), {{x, &x2}}, {y})[0],
                        ConvByHand(p, Abs(w), Abs(b), Abs(x2), 2, 4, 4), bn, cout, k, 0.0f, 6.0f);
}

TEST(GraphBatchNormFusion, ConvolutionThenRelu6) { CheckConvolutionBatchNormRelu6(1, 3, 8, 80); }

TEST(GraphBatchNormFusion, DepthwiseConvolutionThenRelu6) {
  CheckConvolutionBatchNormRelu6(12, 1, 1, 85);
}

// Fully connected (weights transposed, no bias) and deconvolution, each followed by a batch norm.
TEST(GraphBatchNormFusion, FullyConnectedAndDeconvolution) {
  constexpr size_t kIn = 7, kOut = 6;
  const Floats w = RandomVector(kIn * kOut, 90);
  const BnParams bn(kOut, 91);
  GraphPtr g = NewGraph();
  const uint32_t x = Input(g.get(), {4, kIn}), y = Output(g.get()), f = Internal(g.get());
  const uint32_t vw = Value(g.get(), {kIn, kOut}, w.data());
  ASSERT_EQ(pnn_define_fully_connected(g.get(), -kInf, kInf, x, vw, PNN_INVALID_VALUE_ID, f,
                                       PNN_FLAG_TRANSPOSE_WEIGHTS),
            pnn_status_success);
  bn.Define(g.get(), f, y);
  RuntimePtr fused = Create(g.get()), apart = Create(g.get(), PNN_RUNTIME_FLAG_NO_FUSION);
  const Floats xv = RandomVector(4 * kIn, 92);
  const Floats zero(kOut, 0.0f);
  auto fc = [&](const Floats& wt, const Floats& in) {
    pnn_operator_t op = nullptr;
    PNN_EXPECT_OK(pnn_create_fully_connected_nc_f32(kIn, kOut, wt.data(), zero.data(), -kInf, kInf,
                                                    PNN_FLAG_TRANSPOSE_WEIGHTS, &op));
    OpPtr hold(op);
    PNN_EXPECT_OK(pnn_reshape_fully_connected_nc_f32(op, 4, nullptr));
    return RunByHand(op, 4 * kOut, pnn_setup_fully_connected_nc_f32, in);
  };
  ExpectWithinFoldBound(Invoke(fused.get(), {{x, &xv}}, {y})[0],
                        Invoke(apart.get(), {{x, &xv}}, {y})[0], fc(Abs(w), Abs(xv)), bn, kOut,
                        kIn, -kInf, kInf);

  // Deconvolution 2x2 stride 2 (upsampling path) with bias.
  constexpr size_t kC = 4, kM = 5;
  const Floats dw = RandomVector(kM * 2 * 2 * kC, 93), db = RandomVector(kM, 94);
  const BnParams bn2(kM, 95);
  const pnn_deconvolution2d_params dp = pnn_test::UpsamplingDeconvParams(kC, kM);
  GraphPtr g2 = NewGraph();
  const uint32_t x2 = Input(g2.get(), {1, 3, 3, kC}), y2 = Output(g2.get()), d = Internal(g2.get());
  const uint32_t vdw = Value(g2.get(), {kM, 2, 2, kC}, dw.data()), vdb = Value(g2.get(), {kM}, db.data());
  ASSERT_EQ(pnn_define_deconvolution2d(g2.get(), &dp, x2, vdw, vdb, d), pnn_status_success);
  bn2.Define(g2.get(), d, y2);
  RuntimePtr fused2 = Create(g2.get()), apart2 = Create(g2.get(), PNN_RUNTIME_FLAG_NO_FUSION);
  const Floats xv2 = RandomVector(9 * kC, 96);
  auto deconv = [&](const Floats& wt, const Floats& bias, const Floats& in) {
    pnn_operator_t op = nullptr;
    PNN_EXPECT_OK(pnn_create_deconvolution2d_nhwc_f32(&dp, wt.data(), bias.data(), &op));
    OpPtr hold(op);
    size_t oh = 0, ow = 0;
    PNN_EXPECT_OK(pnn_reshape_deconvolution2d_nhwc_f32(op, 1, 3, 3, &oh, &ow, nullptr));
    return RunByHand(op, oh * ow * kM, pnn_setup_deconvolution2d_nhwc_f32, in);
  };
  ExpectWithinFoldBound(Invoke(fused2.get(), {{x2, &xv2}}, {y2})[0],
                        Invoke(apart2.get(), {{x2, &xv2}}, {y2})[0], deconv(Abs(dw), Abs(db), Abs(xv2)),
                        bn2, kM, 2 * 2 * kC, -kInf, kInf);
}

// No folding when the convolution's output has another reader, or the convolution has a clamp
// of its own (a clamp before the batch norm is not one after it).
TEST(GraphBatchNormFusion, NotFoldedWhenUnsound) {
  constexpr size_t kC = 2, kM = 3;
  const Floats w = RandomVector(kM * kC, 100), b = RandomVector(kM, 101);
  const BnParams bn(kM, 102);
  for (int variant = 0; variant < 2; variant++) {
    SCOPED_TRACE(variant == 0 ? "second reader" : "clamped convolution");
    GraphPtr g = NewGraph();
    const uint32_t x = Input(g.get(), {1, 2, 2, kC}), y = Output(g.get()), c = Internal(g.get());
    const uint32_t vw = Value(g.get(), {kM, 1, 1, kC}, w.data()), vb = Value(g.get(), {kM}, b.data());
    const auto p = pnn_test::ConvolutionParams(1, 1, 0, 1, kC, kM, variant == 0 ? -kInf : 0.0f, kInf);
    ASSERT_EQ(pnn_define_convolution2d(g.get(), &p, x, vw, vb, c), pnn_status_success);
    const uint32_t bn_node = bn.Define(g.get(), c, y);
    uint32_t y2 = PNN_INVALID_VALUE_ID;
    if (variant == 0) {
      y2 = Output(g.get());
      ASSERT_EQ(pnn_define_copy(g.get(), c, y2), pnn_status_success);
    }
    RuntimePtr rt = Create(g.get());
    pnn_node_info info;
    PNN_EXPECT_OK(pnn_get_runtime_node_info(rt.get(), bn_node, &info));
    EXPECT_EQ(info.fused_into, -1);
    const Floats xv = RandomVector(4 * kC, 103);
    const Floats conv = ConvByHand(p, w, b, xv, 1, 2, 2);
    pnn_operator_t bop = nullptr;
    PNN_EXPECT_OK(pnn_create_batch_norm_nc_f32(kM, bn.mean.data(), bn.var.data(), bn.gamma.data(),
                                               bn.beta.data(), 1e-3f, 0, &bop));
    OpPtr hold(bop);
    PNN_EXPECT_OK(pnn_reshape_batch_norm_nc_f32(bop, 4, nullptr));
    std::vector<uint32_t> outs = {y};
    if (variant == 0) outs.push_back(y2);
    const auto got = Invoke(rt.get(), {{x, &xv}}, outs);
    ExpectBitEqual(got[0], RunByHand(bop, conv.size(), pnn_setup_batch_norm_nc_f32, conv));
    if (variant == 0) ExpectBitEqual(got[1], conv);
  }
}

// conv -> unary: the unary node runs as the convolution's epilogue (src/epilogue.h), bit for bit
// the two nodes apart, on every convolution path (1x1 GEMM, 3x3 IGEMM, depthwise 3x3 and 5x5
// stride 2), 1 and 2 threads, before and after a reshape; a clamp after the unary node stays a
// node of its own (the convolution's clamp comes before the epilogue), and a convolution whose
// output has a second reader keeps its unary node apart.
struct EpilogueCase {
  const char* name;
  uint32_t k, stride, pad, groups;
  size_t gic, goc;
  pnn_unary_op op;
  float lo, hi;  // the convolution's own clamp
};

void CheckConvolutionEpilogue(const EpilogueCase& c, uint32_t seed) {
  SCOPED_TRACE(c.name);
  const size_t cin = c.groups * c.gic, cout = c.groups * c.goc;
  const Floats w = RandomVector(cout * c.k * c.k * c.gic, seed), b = RandomVector(cout, seed + 1);
  for (int variant = 0; variant < 3; variant++) {
    SCOPED_TRACE(variant == 0 ? "conv -> unary" : variant == 1 ? "conv -> unary -> clamp"
                                                               : "second reader");
    GraphPtr g = NewGraph();
    const uint32_t x = Input(g.get(), {1, 9, 11, cin}), y = Output(g.get()), cv = Internal(g.get());
    const uint32_t vw = Value(g.get(), {cout, c.k, c.k, c.gic}, w.data());
    const uint32_t vb = Value(g.get(), {cout}, b.data());
    const auto p = pnn_test::ConvolutionParams(c.k, c.stride, c.pad, c.groups, c.gic, c.goc, c.lo, c.hi);
    ASSERT_EQ(pnn_define_convolution2d(g.get(), &p, x, vw, vb, cv), pnn_status_success);
    const uint32_t u = variant == 1 ? Internal(g.get()) : y;
    ASSERT_EQ(pnn_define_unary(g.get(), c.op, nullptr, cv, u, 0), pnn_status_success);
    pnn_unary_params clamp{};
    clamp.min = -0.25f;
    clamp.max = 0.5f;
    if (variant == 1) {
      ASSERT_EQ(pnn_define_unary(g.get(), pnn_unary_clamp, &clamp, u, y, 0), pnn_status_success);
    }
    uint32_t y2 = PNN_INVALID_VALUE_ID;
    if (variant == 2) {
      y2 = Output(g.get());
      ASSERT_EQ(pnn_define_copy(g.get(), cv, y2), pnn_status_success);
    }
    RuntimePtr fused = Create(g.get()), apart = Create(g.get(), PNN_RUNTIME_FLAG_NO_FUSION);
    pnn_node_info info;
    PNN_EXPECT_OK(pnn_get_runtime_node_info(fused.get(), 1, &info));
    EXPECT_EQ(info.fused_into, variant == 2 ? -1 : 0);
    if (variant == 1) {
      PNN_EXPECT_OK(pnn_get_runtime_node_info(fused.get(), 2, &info));
      EXPECT_EQ(info.fused_into, -1);
    }
    std::vector<uint32_t> outs = {y};
    if (variant == 2) outs.push_back(y2);
    pnn_threadpool_t pool = nullptr;
    ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
    for (const auto& dims : {Dims{1, 9, 11, cin}, Dims{2, 6, 5, cin}}) {
      ReshapeInput(fused.get(), x, dims);
      ReshapeInput(apart.get(), x, dims);
      const Floats xv = RandomVector(Count(dims), seed + 2, -4.0f, 4.0f);
      // By hand: the convolution, then the unary operator, then the clamp.
      const Floats conv = ConvByHand(p, w, b, xv, dims[0], dims[1], dims[2]);
      pnn_operator_t uop = nullptr, cop = nullptr;
      PNN_EXPECT_OK(pnn_create_unary_elementwise_nc_f32(c.op, nullptr, 0, &uop));
      PNN_EXPECT_OK(pnn_create_unary_elementwise_nc_f32(pnn_unary_clamp, &clamp, 0, &cop));
      OpPtr h1(uop), h2(cop);
      PNN_EXPECT_OK(pnn_reshape_unary_elementwise_nc_f32(uop, 1, conv.size(), nullptr));
      PNN_EXPECT_OK(pnn_reshape_unary_elementwise_nc_f32(cop, 1, conv.size(), nullptr));
      Floats want = RunByHand(uop, conv.size(), pnn_setup_unary_elementwise_nc_f32, conv);
      if (variant == 1) want = RunByHand(cop, conv.size(), pnn_setup_unary_elementwise_nc_f32, want);
      for (pnn_threadpool_t tp : {static_cast<pnn_threadpool_t>(nullptr), pool}) {
        const auto got = Invoke(fused.get(), {{x, &xv}}, outs, tp);
        ExpectBitEqual(got[0], want);
        if (variant == 2) ExpectBitEqual(got[1], conv);
        ExpectBitEqual(Invoke(apart.get(), {{x, &xv}}, outs, tp)[0], want);
      }
    }
    pnn_threadpool_destroy(pool);
  }
}

TEST(GraphConvolutionEpilogue, AllPaths) {
  const EpilogueCase cases[] = {
      {"1x1 gemm, silu", 1, 1, 0, 1, 24, 40, pnn_unary_silu, -kInf, kInf},
      {"3x3 igemm, hardswish, clamped", 3, 1, 1, 1, 5, 33, pnn_unary_hardswish, -1.0f, 3.0f},
      {"3x3 winograd, silu", 3, 1, 1, 1, 32, 40, pnn_unary_silu, -kInf, kInf},
      {"depthwise 3x3, sigmoid", 3, 1, 1, 150, 1, 1, pnn_unary_sigmoid, -kInf, kInf},
      {"depthwise 5x5 stride 2, silu", 5, 2, 2, 37, 1, 1, pnn_unary_silu, -kInf, kInf},
      {"grouped 3x3 stride 2, gelu", 3, 2, 1, 3, 4, 6, pnn_unary_gelu, -kInf, kInf},
  };
  uint32_t seed = 200;
  for (const auto& c : cases) CheckConvolutionEpilogue(c, seed += 10);
}

}  // namespace
