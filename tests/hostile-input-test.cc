// Hostile input against every public entry point: NULL pointers, zero sizes, sizes whose products
// overflow size_t (chosen so that they overflow a 32-bit size_t as well, for wasm32), padding
// larger than the input, dilation that pushes the window past the padded input, shapes that do
// not broadcast, min > max, NaN and infinite parameters, calls out of lifecycle order and
// operators of the wrong type. Every case asserts the specific status, that the call recorded a
// reason ("<function>: <reason>" from pnn_last_error_message(); an empty message after a
// success), that nothing was written to the caller's out-parameters or output buffers, and that
// the operator involved still runs exactly as before the rejected call (the header: a failed
// reshape leaves the operator as it was). Leaks and aborts are the sanitizer build's job
// (scripts/test-sanitizers.sh).
//
// The second half pins the NaN / infinity behaviour of every operator (include/portnn.h): each
// test compares against the IEEE evaluation of the header's formula in double precision,
// classifying results as NaN, +inf, -inf or finite; where the header leaves a result
// unspecified (NaN through min/max, max pooling, a finite fused clamp) the test accepts exactly
// the documented alternatives.
//
// Cases are counted per entry point and the counts printed when the binary ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "test-utils.h"

using pnn_test::GuardedBuffer;
using pnn_test::RandomVector;

// Allocations of 2^48 bytes and more must come back as pnn_status_out_of_memory, not as a
// sanitizer abort. (Under plain builds this function is never called.)
#if defined(__SANITIZE_ADDRESS__)
#define PNN_HOSTILE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PNN_HOSTILE_ASAN 1
#endif
#endif
#ifdef PNN_HOSTILE_ASAN
extern "C" const char* __asan_default_options() { return "allocator_may_return_null=1"; }
#endif

namespace {

// ---------------------------------------------------------------------------------------------
// Shared vocabulary.

// The largest value a 32-bit size_t holds: the huge dims below are built from it so that the
// same cases are meaningful on wasm32, where a dim cannot exceed it.
constexpr size_t kHuge = 0xFFFFFFFFu;
// Sentinel for size_t out-parameters: a rejected call must leave it.
constexpr size_t kUnset = 0x5A5A5A5Au;
// What op_out holds before a create: a failed create must overwrite it with NULL.
pnn_operator_t BogusOp() { return reinterpret_cast<pnn_operator_t>(uintptr_t{0x1230}); }
constexpr bool k64 = sizeof(size_t) == 8;

const float kNaN = std::numeric_limits<float>::quiet_NaN();
const float kInf = std::numeric_limits<float>::infinity();

std::map<std::string, int>& Counts() {
  static std::map<std::string, int> counts;
  return counts;
}
void Count(const std::string& entry) { Counts()[entry]++; }

// Right after a call of `entry` that returned `got`: a failure recorded "<entry>: <reason>", a
// success left the message empty. (Call it before any other portnn call: each call clears it.)
void ExpectReason(const std::string& entry, pnn_status got, const std::string& what) {
  if (got == pnn_status_success) {
    EXPECT_TRUE(pnn_test::HasNoReason()) << entry << ": " << what;
    return;
  }
  EXPECT_TRUE(pnn_test::HasReason(entry)) << what;
}

class HostileEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ASSERT_EQ(pnn_initialize(), pnn_status_success); }
  void TearDown() override {
    int total = 0;
    std::printf("hostile cases per entry point:\n");
    for (const auto& kv : Counts()) {
      std::printf("  %-48s %4d\n", kv.first.c_str(), kv.second);
      total += kv.second;
    }
    std::printf("  %-48s %4d\n", "total", total);
  }
};
[[maybe_unused]] const auto* const g_env =
    ::testing::AddGlobalTestEnvironment(new HostileEnvironment);

// Factors that must each fit a 32-bit size_t while their product does not: documents (and
// checks) that a case overflows on wasm32 too, not only on a 64-bit host.
void ExpectOverflows32(const std::string& what, std::initializer_list<uint64_t> factors) {
  unsigned __int128 product = 1;
  for (uint64_t f : factors) {
    EXPECT_LE(f, uint64_t{UINT32_MAX}) << what << ": a factor does not fit 32 bits";
    product *= f;
  }
  EXPECT_GT(product, (unsigned __int128)UINT32_MAX) << what << ": no 32-bit overflow";
}

bool SameBits(const float* a, const float* b, size_t n) {
  return std::memcmp(a, b, n * sizeof(float)) == 0;
}

// ---------------------------------------------------------------------------------------------
// Drivers: one valid configuration of an operator (create, a base shape, another shape, setup)
// with uniform signatures, so that lifecycle and wrong-type cases run over every op type.

struct Driver {
  std::string name;
  std::string create_name, reshape_name, setup_name;
  std::function<pnn_status(pnn_operator_t*)> create;
  std::function<pnn_status(pnn_operator_t)> reshape;        // the base shape
  std::function<pnn_status(pnn_operator_t)> reshape_other;  // another valid shape
  // Unary-input ops ignore `b`.
  std::function<pnn_status(pnn_operator_t, const float* a, const float* b, float* y)> setup;
  size_t in0 = 0, in1 = 0, out = 0;  // element counts of the base shape
};

// Explicit-padding or SAME output size of one axis; 0 when empty. 64-bit arithmetic: the
// drivers use small shapes.
size_t OutSize(size_t in, uint32_t k, uint32_t s, uint32_t d, uint32_t pb, uint32_t pa, bool same) {
  if (same) return (in + s - 1) / s;
  const uint64_t extent = uint64_t{d} * (k - 1) + 1;
  const uint64_t padded = uint64_t{in} + pb + pa;
  return padded < extent ? 0 : static_cast<size_t>((padded - extent) / s + 1);
}

pnn_convolution2d_params ConvParams(uint32_t k, uint32_t pad, size_t gic, size_t goc,
                                    uint32_t groups = 1) {
  pnn_convolution2d_params p{};
  p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = pad;
  p.kernel_height = p.kernel_width = k;
  p.stride_height = p.stride_width = 1;
  p.dilation_height = p.dilation_width = 1;
  p.groups = groups;
  p.group_input_channels = gic;
  p.group_output_channels = goc;
  p.output_min = -kInf;
  p.output_max = kInf;
  return p;
}

Driver ConvDriver(const pnn_convolution2d_params& p, size_t n, size_t h, size_t w) {
  const size_t cin = p.groups * p.group_input_channels;
  const size_t cout = p.groups * p.group_output_channels;
  const std::vector<float> kernel =
      RandomVector(cout * p.kernel_height * p.kernel_width * p.group_input_channels, 11);
  const std::vector<float> bias = RandomVector(cout, 12);
  const bool same = (p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  const size_t oh = OutSize(h, p.kernel_height, p.stride_height, p.dilation_height, p.padding_top,
                            p.padding_bottom, same);
  const size_t ow = OutSize(w, p.kernel_width, p.stride_width, p.dilation_width, p.padding_left,
                            p.padding_right, same);
  Driver d;
  d.name = "convolution2d";
  d.create_name = "pnn_create_convolution2d_nhwc_f32";
  d.reshape_name = "pnn_reshape_convolution2d_nhwc_f32";
  d.setup_name = "pnn_setup_convolution2d_nhwc_f32";
  d.create = [=](pnn_operator_t* op) {
    return pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), bias.data(), op);
  };
  d.reshape = [=](pnn_operator_t op) {
    return pnn_reshape_convolution2d_nhwc_f32(op, n, h, w, nullptr, nullptr, nullptr);
  };
  d.reshape_other = [=](pnn_operator_t op) {
    return pnn_reshape_convolution2d_nhwc_f32(op, n + 1, h + 1, w + 2, nullptr, nullptr, nullptr);
  };
  d.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_convolution2d_nhwc_f32(op, a, y);
  };
  d.in0 = n * h * w * cin;
  d.out = n * oh * ow * cout;
  return d;
}

Driver FcDriver(size_t ic, size_t oc, size_t batch, uint32_t flags = 0) {
  const std::vector<float> kernel = RandomVector(ic * oc, 21);
  const std::vector<float> bias = RandomVector(oc, 22);
  Driver d;
  d.name = "fully_connected";
  d.create_name = "pnn_create_fully_connected_nc_f32";
  d.reshape_name = "pnn_reshape_fully_connected_nc_f32";
  d.setup_name = "pnn_setup_fully_connected_nc_f32";
  d.create = [=](pnn_operator_t* op) {
    return pnn_create_fully_connected_nc_f32(ic, oc, kernel.data(), bias.data(), -kInf, kInf, flags,
                                             op);
  };
  d.reshape = [=](pnn_operator_t op) {
    return pnn_reshape_fully_connected_nc_f32(op, batch, nullptr);
  };
  d.reshape_other = [=](pnn_operator_t op) {
    return pnn_reshape_fully_connected_nc_f32(op, batch + 3, nullptr);
  };
  d.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_fully_connected_nc_f32(op, a, y);
  };
  d.in0 = batch * ic;
  d.out = batch * oc;
  return d;
}

Driver BmmDriver(uint32_t flags, std::vector<size_t> da, std::vector<size_t> db, size_t m, size_t k,
                 size_t n) {
  size_t ba = 1, bb = 1, bo = 1;
  for (size_t i = 0; i < da.size(); i++) {
    ba *= da[i];
    bb *= db[i];
    bo *= std::max(da[i], db[i]);
  }
  Driver d;
  d.name = "batch_matmul";
  d.create_name = "pnn_create_batch_matmul_f32";
  d.reshape_name = "pnn_reshape_batch_matmul_f32";
  d.setup_name = "pnn_setup_batch_matmul_f32";
  d.create = [=](pnn_operator_t* op) { return pnn_create_batch_matmul_f32(flags, op); };
  d.reshape = [=](pnn_operator_t op) {
    return pnn_reshape_batch_matmul_f32(op, da.size(), da.data(), db.data(), m, k, n, nullptr,
                                        nullptr);
  };
  d.reshape_other = [=](pnn_operator_t op) {
    return pnn_reshape_batch_matmul_f32(op, da.size(), da.data(), db.data(), m + 1, k + 2, n + 3,
                                        nullptr, nullptr);
  };
  d.setup = [](pnn_operator_t op, const float* a, const float* b, float* y) {
    return pnn_setup_batch_matmul_f32(op, a, b, y);
  };
  d.in0 = ba * m * k;
  d.in1 = bb * k * n;
  d.out = bo * m * n;
  return d;
}

enum class PoolKind { kMax, kAverage, kArgmax };

pnn_pooling2d_params PoolParams(uint32_t k, uint32_t stride, uint32_t pad, size_t channels) {
  pnn_pooling2d_params p{};
  p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = pad;
  p.pooling_height = p.pooling_width = k;
  p.stride_height = p.stride_width = stride;
  p.dilation_height = p.dilation_width = 1;
  p.channels = channels;
  p.output_min = -kInf;
  p.output_max = kInf;
  return p;
}

pnn_status CreatePool(PoolKind kind, const pnn_pooling2d_params* p, pnn_operator_t* op) {
  return kind == PoolKind::kMax      ? pnn_create_max_pooling2d_nhwc_f32(p, op)
         : kind == PoolKind::kArgmax ? pnn_create_argmax_pooling2d_nhwc_f32(p, op)
                                     : pnn_create_average_pooling2d_nhwc_f32(p, op);
}
pnn_status ReshapePool(PoolKind kind, pnn_operator_t op, size_t n, size_t h, size_t w, size_t* oh,
                       size_t* ow) {
  return kind == PoolKind::kMax ? pnn_reshape_max_pooling2d_nhwc_f32(op, n, h, w, oh, ow, nullptr)
         : kind == PoolKind::kArgmax
             ? pnn_reshape_argmax_pooling2d_nhwc_f32(op, n, h, w, oh, ow, nullptr)
             : pnn_reshape_average_pooling2d_nhwc_f32(op, n, h, w, oh, ow, nullptr);
}
// Argmax pooling writes its indices into `index` (room for the output's elements).
pnn_status SetupPool(PoolKind kind, pnn_operator_t op, const float* x, float* y,
                     uint32_t* index) {
  return kind == PoolKind::kMax      ? pnn_setup_max_pooling2d_nhwc_f32(op, x, y)
         : kind == PoolKind::kArgmax ? pnn_setup_argmax_pooling2d_nhwc_f32(op, x, y, index)
                                     : pnn_setup_average_pooling2d_nhwc_f32(op, x, y);
}
std::string PoolPrefix(PoolKind kind) {
  return kind == PoolKind::kMax      ? "max_pooling2d_nhwc_f32"
         : kind == PoolKind::kArgmax ? "argmax_pooling2d_nhwc_f32"
                                     : "average_pooling2d_nhwc_f32";
}

Driver PoolDriver(PoolKind kind, const pnn_pooling2d_params& p, size_t n, size_t h, size_t w) {
  const bool same = (p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  const size_t oh = OutSize(h, p.pooling_height, p.stride_height, p.dilation_height, p.padding_top,
                            p.padding_bottom, same);
  const size_t ow = OutSize(w, p.pooling_width, p.stride_width, p.dilation_width, p.padding_left,
                            p.padding_right, same);
  Driver d;
  d.name = PoolPrefix(kind).substr(0, PoolPrefix(kind).size() - 9);  // without "_nhwc_f32"
  d.create_name = "pnn_create_" + PoolPrefix(kind);
  d.reshape_name = "pnn_reshape_" + PoolPrefix(kind);
  d.setup_name = "pnn_setup_" + PoolPrefix(kind);
  d.create = [=](pnn_operator_t* op) { return CreatePool(kind, &p, op); };
  d.reshape = [=](pnn_operator_t op) { return ReshapePool(kind, op, n, h, w, nullptr, nullptr); };
  d.reshape_other = [=](pnn_operator_t op) {
    return ReshapePool(kind, op, n + 1, h + 3, w + 1, nullptr, nullptr);
  };
  d.in0 = n * h * w * p.channels;
  d.out = n * oh * ow * p.channels;
  // Argmax indices: room for the output of either shape (reshape_other's is larger).
  const size_t other = (n + 1) *
                       OutSize(h + 3, p.pooling_height, p.stride_height, p.dilation_height,
                               p.padding_top, p.padding_bottom, same) *
                       OutSize(w + 1, p.pooling_width, p.stride_width, p.dilation_width,
                               p.padding_left, p.padding_right, same) *
                       p.channels;
  auto index = std::make_shared<std::vector<uint32_t>>(std::max(d.out, other));
  d.setup = [kind, index](pnn_operator_t op, const float* a, const float*, float* y) {
    return SetupPool(kind, op, a, y, index->data());
  };
  return d;
}

Driver GavgDriver(size_t channels, size_t batch, size_t width) {
  Driver d;
  d.name = "global_average_pooling";
  d.create_name = "pnn_create_global_average_pooling_nwc_f32";
  d.reshape_name = "pnn_reshape_global_average_pooling_nwc_f32";
  d.setup_name = "pnn_setup_global_average_pooling_nwc_f32";
  d.create = [=](pnn_operator_t* op) {
    return pnn_create_global_average_pooling_nwc_f32(channels, -kInf, kInf, 0, op);
  };
  d.reshape = [=](pnn_operator_t op) {
    return pnn_reshape_global_average_pooling_nwc_f32(op, batch, width, nullptr);
  };
  d.reshape_other = [=](pnn_operator_t op) {
    return pnn_reshape_global_average_pooling_nwc_f32(op, batch + 2, width + 5, nullptr);
  };
  d.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_global_average_pooling_nwc_f32(op, a, y);
  };
  d.in0 = batch * width * channels;
  d.out = batch * channels;
  return d;
}

Driver UnaryDriver(pnn_unary_op type, pnn_unary_params params, size_t batch, size_t channels) {
  Driver d;
  d.name = "unary_elementwise";
  d.create_name = "pnn_create_unary_elementwise_nc_f32";
  d.reshape_name = "pnn_reshape_unary_elementwise_nc_f32";
  d.setup_name = "pnn_setup_unary_elementwise_nc_f32";
  d.create = [=](pnn_operator_t* op) {
    return pnn_create_unary_elementwise_nc_f32(type, &params, 0, op);
  };
  d.reshape = [=](pnn_operator_t op) {
    return pnn_reshape_unary_elementwise_nc_f32(op, batch, channels, nullptr);
  };
  d.reshape_other = [=](pnn_operator_t op) {
    return pnn_reshape_unary_elementwise_nc_f32(op, batch + 1, channels + 7, nullptr);
  };
  d.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_unary_elementwise_nc_f32(op, a, y);
  };
  d.in0 = d.out = batch * channels;
  return d;
}

Driver BinaryDriver(pnn_binary_op type, std::vector<size_t> sa, std::vector<size_t> sb) {
  const size_t nd = std::max(sa.size(), sb.size());
  size_t ca = 1, cb = 1, co = 1;
  for (size_t i = 0; i < nd; i++) {
    const size_t a = i < nd - sa.size() ? 1 : sa[i - (nd - sa.size())];
    const size_t b = i < nd - sb.size() ? 1 : sb[i - (nd - sb.size())];
    ca *= a;
    cb *= b;
    co *= std::max(a, b);
  }
  Driver d;
  d.name = "binary_elementwise";
  d.create_name = "pnn_create_binary_elementwise_nd_f32";
  d.reshape_name = "pnn_reshape_binary_elementwise_nd_f32";
  d.setup_name = "pnn_setup_binary_elementwise_nd_f32";
  d.create = [=](pnn_operator_t* op) {
    return pnn_create_binary_elementwise_nd_f32(type, -kInf, kInf, 0, op);
  };
  d.reshape = [=](pnn_operator_t op) {
    return pnn_reshape_binary_elementwise_nd_f32(op, sa.size(), sa.data(), sb.size(), sb.data(),
                                                 nullptr, nullptr, nullptr);
  };
  d.reshape_other = [=](pnn_operator_t op) {
    const size_t other[2] = {3, 1};
    return pnn_reshape_binary_elementwise_nd_f32(op, 2, other, 1, other, nullptr, nullptr, nullptr);
  };
  d.setup = [](pnn_operator_t op, const float* a, const float* b, float* y) {
    return pnn_setup_binary_elementwise_nd_f32(op, a, b, y);
  };
  d.in0 = ca;
  d.in1 = cb;
  d.out = co;
  return d;
}

Driver SoftmaxDriver(size_t channels, size_t batch) {
  Driver d;
  d.name = "softmax";
  d.create_name = "pnn_create_softmax_nc_f32";
  d.reshape_name = "pnn_reshape_softmax_nc_f32";
  d.setup_name = "pnn_setup_softmax_nc_f32";
  d.create = [=](pnn_operator_t* op) { return pnn_create_softmax_nc_f32(channels, 0, op); };
  d.reshape = [=](pnn_operator_t op) { return pnn_reshape_softmax_nc_f32(op, batch, nullptr); };
  d.reshape_other = [=](pnn_operator_t op) {
    return pnn_reshape_softmax_nc_f32(op, batch + 4, nullptr);
  };
  d.setup = [](pnn_operator_t op, const float* a, const float*, float* y) {
    return pnn_setup_softmax_nc_f32(op, a, y);
  };
  d.in0 = d.out = batch * channels;
  return d;
}

// One small valid configuration per op type (the conv paths: IGEMM, 1x1 GEMM, depthwise).
std::vector<Driver> AllDrivers() {
  pnn_convolution2d_params gemm1x1 = ConvParams(1, 0, 3, 5);
  pnn_convolution2d_params depthwise = ConvParams(3, 1, 1, 1, 4);
  return {
      ConvDriver(ConvParams(3, 1, 3, 4), 1, 5, 6),
      ConvDriver(gemm1x1, 2, 3, 3),
      ConvDriver(depthwise, 1, 4, 5),
      FcDriver(5, 7, 3),
      BmmDriver(0, {2, 1}, {1, 3}, 3, 4, 5),
      PoolDriver(PoolKind::kMax, PoolParams(3, 2, 1, 3), 2, 5, 5),
      PoolDriver(PoolKind::kAverage, PoolParams(3, 2, 1, 3), 2, 5, 5),
      PoolDriver(PoolKind::kArgmax, PoolParams(3, 2, 1, 3), 2, 5, 5),
      GavgDriver(6, 2, 5),
      UnaryDriver(pnn_unary_sigmoid, pnn_unary_params{}, 3, 5),
      BinaryDriver(pnn_binary_add, {2, 1, 4}, {3, 1}),
      SoftmaxDriver(7, 3),
  };
}

// ---------------------------------------------------------------------------------------------
// Subjects: an operator driven to the ready state with its inputs, bound output and the output
// it computes, so that a rejected call can be shown to have changed nothing.

class Subject {
 public:
  explicit Subject(Driver d) : d_(std::move(d)), y_(std::max<size_t>(d_.out, 1)) {
    x0_ = RandomVector(std::max<size_t>(d_.in0, 1), 31, -2.0f, 2.0f);
    x1_ = RandomVector(std::max<size_t>(d_.in1, 1), 32, -2.0f, 2.0f);
  }
  ~Subject() { pnn_delete_operator(op_); }
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  // create -> reshape -> setup -> run, keeping the result; false (with a failure) on error.
  bool MakeReady() {
    pnn_status s = d_.create(&op_);
    if (s != pnn_status_success) return Fail("create", s);
    if ((s = d_.reshape(op_)) != pnn_status_success) return Fail("reshape", s);
    if ((s = d_.setup(op_, x0_.data(), x1_.data(), y_.data())) != pnn_status_success)
      return Fail("setup", s);
    if ((s = pnn_run_operator(op_, nullptr)) != pnn_status_success) return Fail("run", s);
    EXPECT_TRUE(y_.CheckGuards()) << d_.name << ": the base run wrote outside its output";
    expected_.assign(y_.data(), y_.data() + d_.out);
    Refill();
    return true;
  }

  // After a rejected call: the bound output was not written, and the operator still runs with
  // its previous shape and setup, computing the same result.
  void ExpectIntact(const std::string& ctx) {
    EXPECT_TRUE(y_.Untouched()) << ctx << ": the bound output was written";
    const pnn_status s = pnn_run_operator(op_, nullptr);
    EXPECT_EQ(s, pnn_status_success) << ctx << ": the operator no longer runs";
    if (s == pnn_status_success) {
      EXPECT_TRUE(SameBits(y_.data(), expected_.data(), d_.out))
          << ctx << ": the operator computes something else";
      EXPECT_TRUE(y_.CheckGuards()) << ctx;
    }
    Refill();
  }

  pnn_operator_t op() const { return op_; }
  const Driver& driver() const { return d_; }
  float* x0() { return x0_.data(); }
  float* x1() { return x1_.data(); }
  float* y() { return y_.data(); }

 private:
  bool Fail(const char* step, pnn_status s) {
    ADD_FAILURE() << d_.name << ": valid " << step << " failed: " << pnn_status_string(s);
    return false;
  }
  void Refill() {
    for (size_t i = 0; i < d_.out; i++) y_[i] = GuardedBuffer::Sentinel();
  }

  Driver d_;
  pnn_operator_t op_ = nullptr;
  std::vector<float> x0_, x1_;
  GuardedBuffer y_;
  std::vector<float> expected_;
};

std::unique_ptr<Subject> Ready(Driver d) {
  auto s = std::make_unique<Subject>(std::move(d));
  if (!s->MakeReady()) return nullptr;
  return s;
}

// Out-parameters of a reshape, preset to kUnset.
struct Outs {
  size_t h = kUnset, w = kUnset, nd = kUnset;
  size_t dims[PNN_MAX_DIMS + 2];
  Outs() {
    for (size_t& d : dims) d = kUnset;
  }
  bool Untouched() const {
    if (h != kUnset || w != kUnset || nd != kUnset) return false;
    for (size_t d : dims)
      if (d != kUnset) return false;
    return true;
  }
};

// A hostile call on a ready operator and the status it must return.
struct OpCase {
  std::string what;
  pnn_status expect;
  std::function<pnn_status(Subject&, Outs&)> call;
};

void RunOpCases(Subject& s, const std::string& entry, const std::vector<OpCase>& cases) {
  for (const OpCase& c : cases) {
    SCOPED_TRACE(entry + ": " + c.what);
    Outs outs;
    const pnn_status got = c.call(s, outs);
    ExpectReason(entry, got, c.what);
    EXPECT_EQ(pnn_status_string(got), std::string(pnn_status_string(c.expect)));
    if (c.expect != pnn_status_success) {
      EXPECT_TRUE(outs.Untouched()) << "an out-parameter was written";
      s.ExpectIntact(entry + ": " + c.what);
    }
    Count(entry);
  }
}

// A hostile create and the status it must return; a failed create must set *op_out = NULL.
struct CreateCase {
  std::string what;
  pnn_status expect;
  std::function<pnn_status(pnn_operator_t*)> call;
};

void RunCreateCases(const std::string& entry, const std::vector<CreateCase>& cases) {
  for (const CreateCase& c : cases) {
    SCOPED_TRACE(entry + ": " + c.what);
    pnn_operator_t op = BogusOp();
    const pnn_status got = c.call(&op);
    ExpectReason(entry, got, c.what);
    EXPECT_EQ(pnn_status_string(got), std::string(pnn_status_string(c.expect)));
    if (got == pnn_status_success) {
      EXPECT_NE(op, nullptr);
      EXPECT_NE(op, BogusOp());
      pnn_delete_operator(op);
    } else {
      EXPECT_EQ(op, nullptr) << "a failed create must set *op_out to NULL";
    }
    Count(entry);
  }
}

// The same call with op_out == NULL must fail cleanly (nothing to write, no crash).
void ExpectNullOpOut(const std::string& entry,
                     const std::function<pnn_status(pnn_operator_t*)>& f) {
  const pnn_status got = f(nullptr);
  ExpectReason(entry, got, "NULL op_out");
  EXPECT_EQ(got, pnn_status_invalid_parameter) << entry << ": NULL op_out";
  Count(entry);
}

// ---------------------------------------------------------------------------------------------
// Library-level entry points.

TEST(Library, StatusStringOfUnknownValues) {
  const int values[] = {-1, 7, 8, 12345, INT_MAX, INT_MIN};
  for (int v : values) {
    const char* s = pnn_status_string(static_cast<pnn_status>(v));
    ASSERT_NE(s, nullptr);
    EXPECT_STREQ(s, "unknown status") << v;
    Count("pnn_status_string");
  }
}

TEST(Library, InitializeIsIdempotent) {
  const std::string isa = pnn_isa_name();
  for (int i = 0; i < 3; i++) {
    EXPECT_EQ(pnn_initialize(), pnn_status_success);
    EXPECT_EQ(isa, pnn_isa_name());
    Count("pnn_initialize");
  }
  EXPECT_NE(pnn_version_string(), nullptr);
  Count("pnn_version_string");
}

// Every create before initialization (or after deinitialize) returns uninitialized and clears
// *op_out; existing operators keep working.
TEST(Library, CreateWhileUninitialized) {
  auto live = Ready(UnaryDriver(pnn_unary_tanh, pnn_unary_params{}, 2, 9));
  ASSERT_NE(live, nullptr);
  ASSERT_EQ(pnn_deinitialize(), pnn_status_success);
  EXPECT_EQ(pnn_deinitialize(), pnn_status_success);  // twice is fine
  Count("pnn_deinitialize");
  EXPECT_STREQ(pnn_isa_name(), "uninitialized");
  Count("pnn_isa_name");
  for (const Driver& d : AllDrivers()) {
    pnn_operator_t op = BogusOp();
    const pnn_status got = d.create(&op);
    ExpectReason(d.create_name, got, "uninitialized");
    EXPECT_EQ(got, pnn_status_uninitialized) << d.create_name;
    EXPECT_EQ(op, nullptr) << d.create_name;
    Count(d.create_name);
  }
  live->ExpectIntact("after pnn_deinitialize");
  ASSERT_EQ(pnn_initialize(), pnn_status_success);
  EXPECT_STRNE(pnn_isa_name(), "uninitialized");
}

TEST(Library, ThreadPoolArguments) {
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_threadpool_create(2, nullptr));
  Count("pnn_threadpool_create");

  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_threadpool_threads_count(nullptr, nullptr));
  pnn_threadpool_t pool = nullptr;
  ASSERT_EQ(pnn_threadpool_create(2, &pool), pnn_status_success);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_threadpool_threads_count(pool, nullptr));
  size_t threads = kUnset;
  EXPECT_EQ(pnn_threadpool_threads_count(nullptr, &threads), pnn_status_success);
  EXPECT_EQ(threads, 1u);  // a NULL pool is the caller's thread
  Count("pnn_threadpool_threads_count");
  Count("pnn_threadpool_threads_count");
  Count("pnn_threadpool_threads_count");

  EXPECT_EQ(pnn_threadpool_destroy(pool), pnn_status_success);
  EXPECT_EQ(pnn_threadpool_destroy(nullptr), pnn_status_success);
  Count("pnn_threadpool_destroy");
}

// Counts past PNN_MAX_THREADS are rejected: pthreadpool's allocation size would wrap near
// SIZE_MAX / 64, and it ignores pthread_create failures (it would wait forever).
TEST(Library, ThreadPoolHugeThreadCount) {
  const size_t counts[] = {SIZE_MAX, SIZE_MAX / 64 + 2, SIZE_MAX / 2, PNN_MAX_THREADS + 1};
  for (size_t n : counts) {
    pnn_threadpool_t pool = reinterpret_cast<pnn_threadpool_t>(uintptr_t{0x40});
    const pnn_status s = pnn_threadpool_create(n, &pool);
    EXPECT_TRUE(pnn_test::HasReason("pnn_threadpool_create")) << n;
    EXPECT_TRUE(s == pnn_status_invalid_parameter || s == pnn_status_out_of_memory)
        << n << ": " << pnn_status_string(s);
    EXPECT_EQ(pool, reinterpret_cast<pnn_threadpool_t>(uintptr_t{0x40}));
    Count("pnn_threadpool_create");
  }
}

TEST(Library, RunDeleteAndKernelNameOfNull) {
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter, pnn_run_operator(nullptr, nullptr));
  Count("pnn_run_operator");
  EXPECT_EQ(pnn_delete_operator(nullptr), pnn_status_success);
  Count("pnn_delete_operator");
  EXPECT_STREQ(pnn_operator_kernel_name(nullptr), "none");
  Count("pnn_operator_kernel_name");
}

// ---------------------------------------------------------------------------------------------
// Lifecycle order and wrong operator types, over every op type.

TEST(Lifecycle, OutOfOrderCallsAreInvalidState) {
  for (const Driver& d : AllDrivers()) {
    SCOPED_TRACE(d.name);
    GuardedBuffer y(std::max<size_t>(d.out, 1) + 64);
    const std::vector<float> x0 = RandomVector(std::max<size_t>(d.in0, 1) + 64, 41);
    const std::vector<float> x1 = RandomVector(std::max<size_t>(d.in1, 1) + 64, 42);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(d.create(&op), pnn_status_success);

    // Freshly created: neither setup nor run.
    const pnn_status got = d.setup(op, x0.data(), x1.data(), y.data());
    ExpectReason(d.setup_name, got, "setup before reshape");
    EXPECT_EQ(got, pnn_status_invalid_state);
    Count(d.setup_name);
    EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
    Count("pnn_run_operator");
    // Reshaped but not set up.
    ASSERT_EQ(d.reshape(op), pnn_status_success);
    EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
    Count("pnn_run_operator");
    // Set up, then reshaped again: the setup is gone.
    ASSERT_EQ(d.setup(op, x0.data(), x1.data(), y.data()), pnn_status_success);
    ASSERT_EQ(d.reshape_other(op), pnn_status_success);
    EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
    Count("pnn_run_operator");
    EXPECT_TRUE(y.Untouched());
    pnn_delete_operator(op);
  }
}

// A reshape that fails on a never-reshaped operator leaves it un-shaped: setup still refuses.
TEST(Lifecycle, SetupAfterOnlyAFailedReshape) {
  struct Bad {
    Driver d;
    std::function<pnn_status(pnn_operator_t)> reshape_bad;
  };
  const std::vector<Bad> bads = {
      {ConvDriver(ConvParams(3, 0, 2, 2), 1, 4, 4),
       [](pnn_operator_t op) {
         return pnn_reshape_convolution2d_nhwc_f32(op, 1, 2, 4, nullptr, nullptr, nullptr);
       }},
      {FcDriver(3, 3, 2),
       [](pnn_operator_t op) { return pnn_reshape_fully_connected_nc_f32(op, 0, nullptr); }},
      {BmmDriver(0, {}, {}, 2, 2, 2),
       [](pnn_operator_t op) {
         return pnn_reshape_batch_matmul_f32(op, 0, nullptr, nullptr, 0, 2, 2, nullptr, nullptr);
       }},
      {PoolDriver(PoolKind::kMax, PoolParams(2, 1, 0, 2), 1, 3, 3),
       [](pnn_operator_t op) {
         return pnn_reshape_max_pooling2d_nhwc_f32(op, 1, 1, 3, nullptr, nullptr, nullptr);
       }},
      {PoolDriver(PoolKind::kAverage, PoolParams(2, 1, 0, 2), 1, 3, 3),
       [](pnn_operator_t op) {
         return pnn_reshape_average_pooling2d_nhwc_f32(op, 1, 3, 1, nullptr, nullptr, nullptr);
       }},
      {GavgDriver(2, 1, 3),
       [](pnn_operator_t op) {
         return pnn_reshape_global_average_pooling_nwc_f32(op, 1, 0, nullptr);
       }},
      {UnaryDriver(pnn_unary_abs, {}, 2, 2),
       [](pnn_operator_t op) { return pnn_reshape_unary_elementwise_nc_f32(op, 0, 2, nullptr); }},
      {BinaryDriver(pnn_binary_add, {2}, {2}),
       [](pnn_operator_t op) {
         const size_t a[1] = {2}, b[1] = {3};
         return pnn_reshape_binary_elementwise_nd_f32(op, 1, a, 1, b, nullptr, nullptr, nullptr);
       }},
      {SoftmaxDriver(3, 2),
       [](pnn_operator_t op) { return pnn_reshape_softmax_nc_f32(op, 0, nullptr); }},
  };
  for (const Bad& b : bads) {
    SCOPED_TRACE(b.d.name);
    pnn_operator_t op = nullptr;
    ASSERT_EQ(b.d.create(&op), pnn_status_success);
    pnn_status got = b.reshape_bad(op);
    ExpectReason(b.d.reshape_name, got, "bad first reshape");
    EXPECT_EQ(got, pnn_status_invalid_parameter);
    Count(b.d.reshape_name);
    float x[64] = {}, x1[64] = {};
    GuardedBuffer y(64);
    got = b.d.setup(op, x, x1, y.data());
    ExpectReason(b.d.setup_name, got, "setup after only a failed reshape");
    EXPECT_EQ(got, pnn_status_invalid_state);
    Count(b.d.setup_name);
    EXPECT_FAILS_WITH(pnn_status_invalid_state, pnn_run_operator(op, nullptr));
    EXPECT_TRUE(y.Untouched());
    pnn_delete_operator(op);
  }
}

// Every reshape and setup given an operator of another type: invalid_parameter, and neither
// operator changes.
TEST(Lifecycle, WrongOperatorType) {
  const std::vector<Driver> drivers = AllDrivers();
  std::vector<std::unique_ptr<Subject>> subjects;
  for (const Driver& d : drivers) {
    subjects.push_back(Ready(d));
    ASSERT_NE(subjects.back(), nullptr);
  }
  for (size_t i = 0; i < drivers.size(); i++) {
    // An operator of a different type (the next driver of another name).
    size_t j = (i + 1) % drivers.size();
    while (drivers[j].name == drivers[i].name) j = (j + 1) % drivers.size();
    Subject& other = *subjects[j];
    SCOPED_TRACE(drivers[i].name + " given a " + drivers[j].name);
    pnn_status got = drivers[i].reshape(other.op());
    ExpectReason(drivers[i].reshape_name, got, "wrong operator type");
    EXPECT_EQ(got, pnn_status_invalid_parameter);
    Count(drivers[i].reshape_name);
    GuardedBuffer y(std::max<size_t>(drivers[i].out, 1));
    got = drivers[i].setup(other.op(), subjects[i]->x0(), subjects[i]->x1(), y.data());
    ExpectReason(drivers[i].setup_name, got, "wrong operator type");
    EXPECT_EQ(got, pnn_status_invalid_parameter);
    Count(drivers[i].setup_name);
    EXPECT_TRUE(y.Untouched());
    other.ExpectIntact("wrong type");
    subjects[i]->ExpectIntact("wrong type (own)");
  }
}

// Setup with NULL pointers, for every op type (one case per pointer argument).
TEST(Lifecycle, SetupNullPointers) {
  for (const Driver& d : AllDrivers()) {
    auto s = Ready(d);
    ASSERT_NE(s, nullptr);
    std::vector<OpCase> setup_cases = {
        {"NULL input", pnn_status_invalid_parameter,
         [](Subject& s, Outs&) { return s.driver().setup(s.op(), nullptr, s.x1(), s.y()); }},
        {"NULL output", pnn_status_invalid_parameter,
         [](Subject& s, Outs&) { return s.driver().setup(s.op(), s.x0(), s.x1(), nullptr); }},
        {"NULL op", pnn_status_invalid_parameter,
         [](Subject& s, Outs&) { return s.driver().setup(nullptr, s.x0(), s.x1(), s.y()); }},
    };
    if (d.in1 != 0) {
      setup_cases.push_back(
          {"NULL second input", pnn_status_invalid_parameter,
           [](Subject& s, Outs&) { return s.driver().setup(s.op(), s.x0(), nullptr, s.y()); }});
    }
    RunOpCases(*s, d.setup_name, setup_cases);
    // A reshape of NULL: invalid_parameter (like pnn_run_operator(NULL); a failed create leaves
    // NULL, so this is also "reshape before create succeeded").
    RunOpCases(*s, d.reshape_name,
               {{"NULL op", pnn_status_invalid_parameter,
                 [](Subject& s, Outs&) { return s.driver().reshape(nullptr); }}});
  }
}

// ---------------------------------------------------------------------------------------------
// Convolution.

TEST(Convolution, CreateHostileParameters) {
  const std::vector<float> kernel = RandomVector(1024, 51);
  auto with = [&](std::function<void(pnn_convolution2d_params&)> mutate) {
    return [&kernel, mutate](pnn_operator_t* op) {
      pnn_convolution2d_params p = ConvParams(3, 1, 2, 3);
      mutate(p);
      return pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), nullptr, op);
    };
  };
  using P = pnn_convolution2d_params;
  const pnn_status bad = pnn_status_invalid_parameter;
  ExpectOverflows32("kh*kw", {kHuge, kHuge});
  ExpectOverflows32("groups*gic", {kHuge, kHuge});
  RunCreateCases(
      "pnn_create_convolution2d_nhwc_f32",
      {
          {"NULL params", bad,
           [&](pnn_operator_t* op) {
             return pnn_create_convolution2d_nhwc_f32(nullptr, kernel.data(), nullptr, op);
           }},
          {"NULL kernel", bad,
           [](pnn_operator_t* op) {
             const P p = ConvParams(3, 1, 2, 3);
             return pnn_create_convolution2d_nhwc_f32(&p, nullptr, nullptr, op);
           }},
          {"kernel_height 0", bad, with([](P& p) { p.kernel_height = 0; })},
          {"kernel_width 0", bad, with([](P& p) { p.kernel_width = 0; })},
          {"stride_height 0", bad, with([](P& p) { p.stride_height = 0; })},
          {"stride_width 0", bad, with([](P& p) { p.stride_width = 0; })},
          {"dilation_height 0", bad, with([](P& p) { p.dilation_height = 0; })},
          {"dilation_width 0", bad, with([](P& p) { p.dilation_width = 0; })},
          {"groups 0", bad, with([](P& p) { p.groups = 0; })},
          {"group_input_channels 0", bad, with([](P& p) { p.group_input_channels = 0; })},
          {"group_output_channels 0", bad, with([](P& p) { p.group_output_channels = 0; })},
          {"output_min NaN", bad, with([](P& p) { p.output_min = kNaN; })},
          {"output_max NaN", bad, with([](P& p) { p.output_max = kNaN; })},
          {"output_min > output_max", bad, with([](P& p) {
             p.output_min = 1.0f;
             p.output_max = 0.0f;
           })},
          {"output_min +inf > output_max -inf", bad, with([](P& p) {
             p.output_min = kInf;
             p.output_max = -kInf;
           })},
          {"unknown flag bit", bad, with([](P& p) { p.flags = 0x80000000u; })},
          {"another op's flag", bad, with([](P& p) { p.flags = PNN_FLAG_TRANSPOSE_WEIGHTS; })},
          {"SAME padding with explicit padding", bad,
           with([](P& p) { p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING; })},
          {"kh*kw overflows (kernel 2^32-1 square)", bad, with([](P& p) {
             p.kernel_height = p.kernel_width = UINT32_MAX;
             p.group_input_channels = p.group_output_channels = 1;
           })},
          {"groups*gic overflows", bad, with([](P& p) {
             p.groups = UINT32_MAX;
             p.group_input_channels = kHuge;
             p.group_output_channels = 1;
           })},
          {"gic*taps overflows (gic SIZE_MAX)", bad,
           with([](P& p) { p.group_input_channels = SIZE_MAX; })},
          {"goc*weights overflows (goc SIZE_MAX/2)", bad,
           with([](P& p) { p.group_output_channels = SIZE_MAX / 2; })},
          {"depthwise channels overflow the packing (groups 2^32-1, kernel 2^16 square)", bad,
           with([](P& p) {
             p.groups = UINT32_MAX;
             p.group_input_channels = p.group_output_channels = 1;
             p.kernel_height = p.kernel_width = 1u << 16;
           })},
          // 2^24 x 2^24 1x1 weights: 2^50 bytes of packing, beyond any address space.
          {"weights beyond memory (2^24 x 2^24 channels)", k64 ? pnn_status_out_of_memory : bad,
           with([](P& p) {
             p.kernel_height = p.kernel_width = 1;
             p.padding_top = p.padding_right = p.padding_bottom = p.padding_left = 0;
             p.group_input_channels = p.group_output_channels = size_t{1} << (k64 ? 24 : 16);
           })},
      });
  ExpectNullOpOut("pnn_create_convolution2d_nhwc_f32", with([](P&) {}));
}

TEST(Convolution, ReshapeHostileShapes) {
  const std::string entry = "pnn_reshape_convolution2d_nhwc_f32";
  auto reshape = [](size_t n, size_t h, size_t w) {
    return [=](Subject& s, Outs& o) {
      return pnn_reshape_convolution2d_nhwc_f32(s.op(), n, h, w, &o.h, &o.w, nullptr);
    };
  };
  const pnn_status bad = pnn_status_invalid_parameter;
  {
    // 3x3, padding 1, 3 -> 4 channels (IGEMM path).
    auto s = Ready(ConvDriver(ConvParams(3, 1, 3, 4), 1, 5, 6));
    ASSERT_NE(s, nullptr);
    ExpectOverflows32("n*h*w", {kHuge, kHuge, kHuge});
    ExpectOverflows32("h*w*channels", {kHuge, kHuge, 3});
    RunOpCases(
        *s, entry,
        {
            {"batch 0", bad, reshape(0, 5, 6)},
            {"height 0", bad, reshape(1, 0, 6)},
            {"width 0", bad, reshape(1, 5, 0)},
            {"n*h*w overflows", bad, reshape(kHuge, kHuge, kHuge)},
            {"h*w*channels overflows", bad, reshape(1, kHuge, kHuge)},
            {"height SIZE_MAX (padding addition overflows)", bad, reshape(1, SIZE_MAX, 1)},
            {"width SIZE_MAX - 1", bad, reshape(1, 1, SIZE_MAX - 1)},
            // Indirection of ~9 * 2^44 pointers (2^50 bytes) on 64-bit; overflow on 32-bit.
            {"indirection beyond memory (2^22 x 2^22 image)", k64 ? pnn_status_out_of_memory : bad,
             reshape(1, size_t{1} << (k64 ? 22 : 16), size_t{1} << (k64 ? 22 : 16))},
        });
  }
  {
    // No padding: an input smaller than the kernel gives an empty output.
    auto s = Ready(ConvDriver(ConvParams(3, 0, 2, 2), 1, 3, 3));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, entry,
               {
                   {"height below the kernel", bad, reshape(1, 2, 3)},
                   {"width below the kernel", bad, reshape(1, 3, 1)},
               });
  }
  {
    // Dilation 4 makes the 3x3 window 9 wide; padding 1 leaves inputs below 7 too small.
    pnn_convolution2d_params p = ConvParams(3, 1, 2, 2);
    p.dilation_height = p.dilation_width = 4;
    auto s = Ready(ConvDriver(p, 1, 7, 7));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, entry,
               {
                   {"dilation past the padded height", bad, reshape(1, 6, 7)},
                   {"dilation past the padded width", bad, reshape(1, 7, 6)},
               });
  }
  {
    // Depthwise path, dilation 3 on a 2x2 window (extent 4).
    pnn_convolution2d_params p = ConvParams(2, 0, 1, 1, 3);
    p.dilation_height = p.dilation_width = 3;
    auto s = Ready(ConvDriver(p, 1, 4, 4));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, entry,
               {
                   {"depthwise: dilation past the input", bad, reshape(1, 3, 4)},
                   {"depthwise: n*h*w overflows", bad, reshape(kHuge, kHuge, kHuge)},
               });
  }
}

// Huge explicit padding is valid at create (the output size depends on the input) but every
// reshape whose output does not fit is rejected.
TEST(Convolution, HugePaddingReshape) {
  pnn_convolution2d_params p = ConvParams(1, UINT32_MAX, 1, 1);
  std::vector<float> kernel = {1.0f};
  pnn_operator_t op = BogusOp();
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), nullptr, &op), pnn_status_success);
  size_t oh = kUnset, ow = kUnset;
  // 1 + 2 * (2^32 - 1) padded rows and columns: the padded size overflows a 32-bit size_t, and
  // on 64-bit the (2^33 - 1)^2 output pixels overflow.
  const pnn_status got = pnn_reshape_convolution2d_nhwc_f32(op, kHuge, 1, 1, &oh, &ow, nullptr);
  ExpectReason("pnn_reshape_convolution2d_nhwc_f32", got, "huge padding");
  EXPECT_EQ(got, pnn_status_invalid_parameter);
  EXPECT_EQ(oh, kUnset);
  EXPECT_EQ(ow, kUnset);
  Count("pnn_reshape_convolution2d_nhwc_f32");
  pnn_delete_operator(op);
}

TEST(Convolution, SetupHostilePointers) {
  auto s = Ready(ConvDriver(ConvParams(3, 1, 3, 4), 1, 5, 6));
  ASSERT_NE(s, nullptr);
  const size_t in = s->driver().in0;
  std::vector<float> shared(in + s->driver().out + 8);
  RunOpCases(
      *s, "pnn_setup_convolution2d_nhwc_f32",
      {
          {"output == input", pnn_status_invalid_parameter,
           [&](Subject& s, Outs&) {
             return pnn_setup_convolution2d_nhwc_f32(s.op(), shared.data(), shared.data());
           }},
          {"output overlaps the input's tail", pnn_status_invalid_parameter,
           [&](Subject& s, Outs&) {
             return pnn_setup_convolution2d_nhwc_f32(s.op(), shared.data(), shared.data() + in - 1);
           }},
          {"input overlaps the output's tail", pnn_status_invalid_parameter,
           [&](Subject& s, Outs&) {
             return pnn_setup_convolution2d_nhwc_f32(s.op(), shared.data() + 4, shared.data());
           }},
      });
}

// Padding larger than the input is valid for convolution: windows that miss the input read
// zeros. A 1x1 image of value v, 3x3 ones, padding 4: output 7x7, v where the window covers it.
TEST(Convolution, PaddingLargerThanInputComputesZeros) {
  const pnn_convolution2d_params p = ConvParams(3, 4, 1, 1);
  const std::vector<float> kernel(9, 1.0f);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, kernel.data(), nullptr, &op), pnn_status_success);
  size_t oh = 0, ow = 0;
  ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, 1, 1, 1, &oh, &ow, nullptr), pnn_status_success);
  ASSERT_EQ(oh, 7u);
  ASSERT_EQ(ow, 7u);
  const float x = 2.5f;
  GuardedBuffer y(49);
  ASSERT_EQ(pnn_setup_convolution2d_nhwc_f32(op, &x, y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  for (size_t oy = 0; oy < 7; oy++) {
    for (size_t ox = 0; ox < 7; ox++) {
      const bool covers = oy >= 2 && oy <= 4 && ox >= 2 && ox <= 4;
      EXPECT_EQ(y[oy * 7 + ox], covers ? x : 0.0f) << oy << "," << ox;
    }
  }
  EXPECT_TRUE(y.CheckGuards());
  Count("pnn_reshape_convolution2d_nhwc_f32");
  pnn_delete_operator(op);
}

// SAME padding with a stride beyond the input: one output pixel, and the reshape reports it.
TEST(Convolution, SamePaddingHugeStride) {
  pnn_convolution2d_params p = ConvParams(3, 0, 1, 1);
  p.stride_height = p.stride_width = UINT32_MAX;
  p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING;
  auto s = Ready(ConvDriver(p, 1, 5, 4));
  ASSERT_NE(s, nullptr);
  size_t oh = kUnset, ow = kUnset;
  EXPECT_EQ(pnn_reshape_convolution2d_nhwc_f32(s->op(), 1, 5, 4, &oh, &ow, nullptr),
            pnn_status_success);
  EXPECT_EQ(oh, 1u);
  EXPECT_EQ(ow, 1u);
  Count("pnn_reshape_convolution2d_nhwc_f32");
}

// ---------------------------------------------------------------------------------------------
// Fully connected.

TEST(FullyConnected, CreateHostileParameters) {
  const std::vector<float> kernel = RandomVector(64, 61);
  auto make = [&](size_t ic, size_t oc, float mn, float mx, uint32_t flags, bool null_kernel) {
    return [=, &kernel](pnn_operator_t* op) {
      return pnn_create_fully_connected_nc_f32(ic, oc, null_kernel ? nullptr : kernel.data(),
                                               nullptr, mn, mx, flags, op);
    };
  };
  const pnn_status bad = pnn_status_invalid_parameter;
  ExpectOverflows32("ic*oc", {kHuge, kHuge});
  RunCreateCases(
      "pnn_create_fully_connected_nc_f32",
      {
          {"input_channels 0", bad, make(0, 4, -kInf, kInf, 0, false)},
          {"output_channels 0", bad, make(4, 0, -kInf, kInf, 0, false)},
          {"NULL kernel", bad, make(4, 4, -kInf, kInf, 0, true)},
          {"output_min NaN", bad, make(4, 4, kNaN, kInf, 0, false)},
          {"output_max NaN", bad, make(4, 4, -kInf, kNaN, 0, false)},
          {"output_min > output_max", bad, make(4, 4, 2.0f, 1.0f, 0, false)},
          {"+inf > -inf bounds", bad, make(4, 4, kInf, -kInf, 0, false)},
          {"unknown flag bit", bad, make(4, 4, -kInf, kInf, 0x40000000u, false)},
          {"another op's flag", bad, make(4, 4, -kInf, kInf, PNN_FLAG_TRANSPOSE_A, false)},
          {"ic*oc overflows", bad, make(kHuge, kHuge, -kInf, kInf, 0, false)},
          {"ic SIZE_MAX (bias row overflows)", bad, make(SIZE_MAX, 1, -kInf, kInf, 0, false)},
          {"oc SIZE_MAX (NR rounding overflows)", bad, make(1, SIZE_MAX, -kInf, kInf, 0, false)},
          {"packed bytes overflow (oc SIZE_MAX/8)", bad,
           make(1, SIZE_MAX / 8, -kInf, kInf, 0, false)},
          {"weights beyond memory (2^24 x 2^24)", k64 ? pnn_status_out_of_memory : bad,
           make(size_t{1} << (k64 ? 24 : 16), size_t{1} << (k64 ? 24 : 16), -kInf, kInf, 0, false)},
      });
  ExpectNullOpOut("pnn_create_fully_connected_nc_f32", make(4, 4, -kInf, kInf, 0, false));
}

TEST(FullyConnected, ReshapeHostileShapes) {
  auto s = Ready(FcDriver(5, 7, 3));
  ASSERT_NE(s, nullptr);
  auto reshape = [](size_t batch) {
    return [=](Subject& s, Outs&) {
      return pnn_reshape_fully_connected_nc_f32(s.op(), batch, nullptr);
    };
  };
  // The channels are fixed at create, so the batch alone must overflow: SIZE_MAX-relative.
  RunOpCases(*s, "pnn_reshape_fully_connected_nc_f32",
             {
                 {"batch 0", pnn_status_invalid_parameter, reshape(0)},
                 {"batch*input_channels overflows", pnn_status_invalid_parameter,
                  reshape(SIZE_MAX / 5 + 1)},
                 {"input bytes overflow", pnn_status_invalid_parameter, reshape(SIZE_MAX / 20 + 1)},
                 {"batch*output_channels bytes overflow", pnn_status_invalid_parameter,
                  reshape(SIZE_MAX / 28 + 1)},
             });
}

// ---------------------------------------------------------------------------------------------
// Batch matmul.

TEST(BatchMatmul, CreateHostileParameters) {
  auto make = [](uint32_t flags) {
    return [=](pnn_operator_t* op) { return pnn_create_batch_matmul_f32(flags, op); };
  };
  RunCreateCases(
      "pnn_create_batch_matmul_f32",
      {
          {"unknown flag bit", pnn_status_invalid_parameter, make(0x100u)},
          {"another op's flag", pnn_status_invalid_parameter, make(PNN_FLAG_TRANSPOSE_WEIGHTS)},
          {"SAME padding flag", pnn_status_invalid_parameter,
           make(PNN_FLAG_TENSORFLOW_SAME_PADDING)},
      });
  ExpectNullOpOut("pnn_create_batch_matmul_f32", make(0));
}

TEST(BatchMatmul, ReshapeHostileShapes) {
  auto s = Ready(BmmDriver(PNN_FLAG_TRANSPOSE_A, {2, 1}, {1, 3}, 3, 4, 5));
  ASSERT_NE(s, nullptr);
  auto reshape = [](std::vector<size_t> da, std::vector<size_t> db, size_t m, size_t k, size_t n,
                    size_t nd = SIZE_MAX) {
    return [=](Subject& s, Outs& o) {
      return pnn_reshape_batch_matmul_f32(
          s.op(), nd == SIZE_MAX ? da.size() : nd, da.empty() ? nullptr : da.data(),
          db.empty() ? nullptr : db.data(), m, k, n, o.dims, nullptr);
    };
  };
  const pnn_status bad = pnn_status_invalid_parameter;
  const std::vector<size_t> seven(7, 1);
  ExpectOverflows32("batch*m*k", {kHuge, kHuge, 1, 1});
  ExpectOverflows32("m*k", {kHuge, kHuge});
  const size_t big = size_t{1} << (k64 ? 23 : 12);
  RunOpCases(*s, "pnn_reshape_batch_matmul_f32",
             {
                 {"7 batch dims", bad, reshape(seven, seven, 2, 2, 2)},
                 {"SIZE_MAX batch dims", bad, reshape({1}, {1}, 2, 2, 2, SIZE_MAX - 1)},
                 {"NULL batch_dims_a", bad, reshape({}, {2}, 2, 2, 2, 1)},
                 {"NULL batch_dims_b", bad, reshape({2}, {}, 2, 2, 2, 1)},
                 {"m 0", bad, reshape({2}, {2}, 0, 2, 2)},
                 {"k 0", bad, reshape({2}, {2}, 2, 0, 2)},
                 {"n 0", bad, reshape({2}, {2}, 2, 2, 0)},
                 {"batch dim 0 in A", bad, reshape({0}, {1}, 2, 2, 2)},
                 {"batch dim 0 in B", bad, reshape({3, 1}, {3, 0}, 2, 2, 2)},
                 {"batch dims do not broadcast", bad, reshape({2, 3}, {3, 3}, 2, 2, 2)},
                 {"batch dims transposed", bad, reshape({2, 3}, {3, 2}, 2, 2, 2)},
                 {"batch*m*k overflows", bad, reshape({kHuge, kHuge}, {1, 1}, 1, 1, 1)},
                 {"m*k overflows", bad, reshape({1}, {1}, kHuge, kHuge, 1)},
                 {"k*n overflows", bad, reshape({1}, {1}, 1, kHuge, kHuge)},
                 {"broadcast output overflows", bad, reshape({kHuge, 1}, {1, kHuge}, 1, 1, 1)},
                 {"m, k, n SIZE_MAX", bad, reshape({}, {}, SIZE_MAX, SIZE_MAX, SIZE_MAX)},
                 {"n SIZE_MAX (NR rounding overflows)", bad, reshape({}, {}, 1, 1, SIZE_MAX)},
                 // 2^23-cubed operands: 2^48 bytes of packing on 64-bit; on 32-bit an overflow.
                 {"workspaces beyond memory", k64 ? pnn_status_out_of_memory : bad,
                  reshape({}, {}, big, big, big)},
             });
}

TEST(BatchMatmul, SetupOverlaps) {
  auto s = Ready(BmmDriver(0, {2}, {2}, 3, 4, 5));
  ASSERT_NE(s, nullptr);
  std::vector<float> shared(256);
  RunOpCases(*s, "pnn_setup_batch_matmul_f32",
             {
                 {"output == A", pnn_status_invalid_parameter,
                  [&](Subject& s, Outs&) {
                    return pnn_setup_batch_matmul_f32(s.op(), shared.data(), s.x1(), shared.data());
                  }},
                 {"output overlaps B", pnn_status_invalid_parameter,
                  [&](Subject& s, Outs&) {
                    return pnn_setup_batch_matmul_f32(s.op(), s.x0(), shared.data(),
                                                      shared.data() + 10);
                  }},
             });
}

// ---------------------------------------------------------------------------------------------
// Pooling.

void PoolCreateCases(PoolKind kind) {
  auto with = [kind](std::function<void(pnn_pooling2d_params&)> mutate) {
    return [kind, mutate](pnn_operator_t* op) {
      pnn_pooling2d_params p = PoolParams(3, 2, 1, 4);
      mutate(p);
      return CreatePool(kind, &p, op);
    };
  };
  using P = pnn_pooling2d_params;
  const pnn_status bad = pnn_status_invalid_parameter;
  std::vector<CreateCase> cases = {
      {"NULL params", bad, [kind](pnn_operator_t* op) { return CreatePool(kind, nullptr, op); }},
      {"pooling_height 0", bad, with([](P& p) { p.pooling_height = 0; })},
      {"pooling_width 0", bad, with([](P& p) { p.pooling_width = 0; })},
      {"stride_height 0", bad, with([](P& p) { p.stride_height = 0; })},
      {"stride_width 0", bad, with([](P& p) { p.stride_width = 0; })},
      {"dilation_height 0", bad, with([](P& p) { p.dilation_height = 0; })},
      {"dilation_width 0", bad, with([](P& p) { p.dilation_width = 0; })},
      {"channels 0", bad, with([](P& p) { p.channels = 0; })},
      {"channels SIZE_MAX", bad, with([](P& p) { p.channels = SIZE_MAX; })},
      {"channel bytes overflow (SIZE_MAX/4 + 1)", bad,
       with([](P& p) { p.channels = SIZE_MAX / 4 + 1; })},
      {"output_min NaN", bad, with([](P& p) { p.output_min = kNaN; })},
      {"output_max NaN", bad, with([](P& p) { p.output_max = kNaN; })},
      {"output_min > output_max", bad, with([](P& p) {
         p.output_min = 0.5f;
         p.output_max = -0.5f;
       })},
      {"unknown flag bit", bad, with([](P& p) { p.flags = 0x1000u; })},
      {"SAME padding with explicit padding", bad,
       with([](P& p) { p.flags = PNN_FLAG_TENSORFLOW_SAME_PADDING; })},
      {"padding_top = window", bad, with([](P& p) { p.padding_top = 3; })},
      {"padding_right > window", bad, with([](P& p) { p.padding_right = 7; })},
      {"padding_bottom UINT32_MAX", bad, with([](P& p) { p.padding_bottom = UINT32_MAX; })},
      {"padding_left = window", bad, with([](P& p) { p.padding_left = 3; })},
      {"1x1 window with padding", bad, with([](P& p) { p.pooling_height = p.pooling_width = 1; })},
  };
  if (kind != PoolKind::kAverage) {
    cases.push_back({"count-include-pad flag on max pooling", bad,
                     with([](P& p) { p.flags = PNN_FLAG_COUNT_INCLUDE_PAD; })});
    // Dilation 3 on a 2-tap window: extent 4, so padding 3 is allowed and padding 4 is not.
    cases.push_back({"padding = dilated window", bad, with([](P& p) {
                       p.pooling_height = 2;
                       p.dilation_height = 3;
                       p.padding_top = 4;
                     })});
    cases.push_back({"padding just inside the dilated window", pnn_status_success, with([](P& p) {
                       p.pooling_height = 2;
                       p.dilation_height = 3;
                       p.padding_top = 3;
                     })});
    // (2^32-1)^2 taps: fits a 64-bit size_t (valid, nothing allocated yet), not a 32-bit one.
    cases.push_back({"window of (2^32-1)^2 taps", k64 ? pnn_status_success : bad,
                     with([](P& p) { p.pooling_height = p.pooling_width = UINT32_MAX; })});
  } else {
    cases.push_back({"dilation (unsupported by average pooling)", pnn_status_unsupported_parameter,
                     with([](P& p) { p.dilation_width = 2; })});
    cases.push_back({"dilation with padding beyond it: padding checked first", bad, with([](P& p) {
                       p.dilation_width = 2;
                       p.padding_left = 6;
                     })});
  }
  RunCreateCases("pnn_create_" + PoolPrefix(kind), cases);
  ExpectNullOpOut("pnn_create_" + PoolPrefix(kind), with([](P&) {}));
}

TEST(Pooling, CreateHostileParameters) {
  PoolCreateCases(PoolKind::kMax);
  PoolCreateCases(PoolKind::kAverage);
  PoolCreateCases(PoolKind::kArgmax);
}

void PoolReshapeCases(PoolKind kind) {
  const std::string entry = "pnn_reshape_" + PoolPrefix(kind);
  auto reshape = [kind](size_t n, size_t h, size_t w) {
    return [=](Subject& s, Outs& o) { return ReshapePool(kind, s.op(), n, h, w, &o.h, &o.w); };
  };
  const pnn_status bad = pnn_status_invalid_parameter;
  {
    auto s = Ready(PoolDriver(kind, PoolParams(3, 2, 0, 2), 1, 5, 5));
    ASSERT_NE(s, nullptr);
    ExpectOverflows32("n*h*w", {kHuge, kHuge, kHuge});
    RunOpCases(*s, entry,
               {
                   {"batch 0", bad, reshape(0, 5, 5)},
                   {"height 0", bad, reshape(1, 0, 5)},
                   {"width 0", bad, reshape(1, 5, 0)},
                   {"height below the window", bad, reshape(1, 2, 5)},
                   {"width below the window", bad, reshape(1, 5, 2)},
                   {"n*h*w overflows", bad, reshape(kHuge, kHuge, kHuge)},
                   {"h*w*channels overflows", bad, reshape(1, kHuge, kHuge)},
                   {"height SIZE_MAX", bad, reshape(1, SIZE_MAX, 3)},
               });
  }
  if (kind == PoolKind::kArgmax) {
    auto s = Ready(PoolDriver(kind, PoolParams(1, 1, 0, 1), 1, 3, 3));
    ASSERT_NE(s, nullptr);
    // Indices are uint32 (iy * W + ix): planes past 2^32 pixels are rejected before anything is
    // sized, whatever memory there is. (A 32-bit size_t overflows the product first.)
    RunOpCases(*s, entry,
               {
                   {"plane of 65537^2 = 2^32 + 2^17 + 1 pixels", bad, reshape(1, 65537, 65537)},
                   {"plane product overflows", bad, reshape(1, SIZE_MAX / 2, 3)},
               });
  }
  if (kind != PoolKind::kAverage) {
    // 2-tap window, dilation 3, padding 1 on each side: the window spans 4 padded rows. With
    // 2 input rows both taps (padded rows 0 and 3) fall in the padding: no input in the window.
    pnn_pooling2d_params p = PoolParams(2, 1, 1, 2);
    p.dilation_height = p.dilation_width = 3;
    auto s = Ready(PoolDriver(kind, p, 1, 3, 3));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, entry,
               {
                   {"dilated window entirely in padding (height)", bad, reshape(1, 2, 3)},
                   {"dilated window entirely in padding (width)", bad, reshape(1, 3, 2)},
                   {"dilation past the padded input", bad, reshape(1, 1, 3)},
               });
  }
}

TEST(Pooling, ReshapeHostileShapes) {
  PoolReshapeCases(PoolKind::kMax);
  PoolReshapeCases(PoolKind::kAverage);
  PoolReshapeCases(PoolKind::kArgmax);
}

// A reshape whose workspace cannot be allocated returns out_of_memory without touching the
// out-parameters or the bound output.
TEST(Pooling, ReshapeOutOfMemoryStatus) {
  for (PoolKind kind : {PoolKind::kMax, PoolKind::kAverage}) {
    auto s = Ready(PoolDriver(kind, PoolParams(1, 1, 0, 1), 1, 3, 3));
    ASSERT_NE(s, nullptr);
    // 2^23 x 2^23 pixels, one indirection pointer each: 2^49 bytes. (32-bit: overflow.)
    const size_t side = size_t{1} << (k64 ? 23 : 16);
    size_t oh = kUnset, ow = kUnset;
    const pnn_status got = ReshapePool(kind, s->op(), 1, side, side, &oh, &ow);
    ExpectReason("pnn_reshape_" + PoolPrefix(kind), got, "workspace beyond memory");
    EXPECT_EQ(got, k64 ? pnn_status_out_of_memory : pnn_status_invalid_parameter);
    EXPECT_EQ(oh, kUnset);
    EXPECT_EQ(ow, kUnset);
    EXPECT_TRUE(GuardedBuffer::IsSentinel(s->y()[0]));
    Count("pnn_reshape_" + PoolPrefix(kind));
  }
}

// A reshape that runs out of memory leaves the operator as it was: the previous shape and setup
// still run (reshape grows into spare buffers before replacing the plan).
TEST(Pooling, ReshapeOutOfMemoryKeepsPreviousShape) {
  for (PoolKind kind : {PoolKind::kMax, PoolKind::kAverage}) {
    auto s = Ready(PoolDriver(kind, PoolParams(1, 1, 0, 1), 1, 3, 3));
    ASSERT_NE(s, nullptr);
    const size_t side = size_t{1} << (k64 ? 23 : 16);
    const pnn_status got = ReshapePool(kind, s->op(), 1, side, side, nullptr, nullptr);
    ExpectReason("pnn_reshape_" + PoolPrefix(kind), got, "workspace beyond memory");
    EXPECT_NE(got, pnn_status_success);
    s->ExpectIntact("pooling reshape out of memory");
  }
}

TEST(GlobalAveragePooling, HostileParameters) {
  const pnn_status bad = pnn_status_invalid_parameter;
  auto make = [](size_t c, float mn, float mx, uint32_t flags) {
    return [=](pnn_operator_t* op) {
      return pnn_create_global_average_pooling_nwc_f32(c, mn, mx, flags, op);
    };
  };
  RunCreateCases("pnn_create_global_average_pooling_nwc_f32",
                 {
                     {"channels 0", bad, make(0, -kInf, kInf, 0)},
                     {"channels SIZE_MAX", bad, make(SIZE_MAX, -kInf, kInf, 0)},
                     {"output_min NaN", bad, make(4, kNaN, kInf, 0)},
                     {"output_max NaN", bad, make(4, -kInf, kNaN, 0)},
                     {"output_min > output_max", bad, make(4, 3.0f, -3.0f, 0)},
                     {"flags", bad, make(4, -kInf, kInf, PNN_FLAG_COUNT_INCLUDE_PAD)},
                 });
  ExpectNullOpOut("pnn_create_global_average_pooling_nwc_f32", make(4, -kInf, kInf, 0));

  auto s = Ready(GavgDriver(3, 2, 5));
  ASSERT_NE(s, nullptr);
  auto reshape = [](size_t n, size_t w) {
    return [=](Subject& s, Outs&) {
      return pnn_reshape_global_average_pooling_nwc_f32(s.op(), n, w, nullptr);
    };
  };
  ExpectOverflows32("n*w*c", {kHuge, kHuge, 3});
  RunOpCases(*s, "pnn_reshape_global_average_pooling_nwc_f32",
             {
                 {"batch 0", bad, reshape(0, 5)},
                 {"width 0", bad, reshape(2, 0)},
                 {"n*w*channels overflows", bad, reshape(kHuge, kHuge)},
                 {"width SIZE_MAX", bad, reshape(1, SIZE_MAX)},
             });
}

// ---------------------------------------------------------------------------------------------
// Unary.

TEST(Unary, CreateHostileParameters) {
  auto make = [](int type, std::function<void(pnn_unary_params&)> mutate, uint32_t flags,
                 bool null_params = false) {
    return [=](pnn_operator_t* op) {
      pnn_unary_params p{-1.0f, 1.0f, 0.01f, 1.0f};
      mutate(p);
      return pnn_create_unary_elementwise_nc_f32(static_cast<pnn_unary_op>(type),
                                                 null_params ? nullptr : &p, flags, op);
    };
  };
  auto none = [](pnn_unary_params&) {};
  using U = pnn_unary_params;
  const pnn_status bad = pnn_status_invalid_parameter;
  auto hard_sigmoid = [&](std::function<void(U&)> mutate) {
    return make(pnn_unary_hard_sigmoid, mutate, 0);
  };
  RunCreateCases(
      "pnn_create_unary_elementwise_nc_f32",
      {
          {"op -1", bad, make(-1, none, 0)},
          {"op one past the last", bad, make(pnn_unary_softplus + 1, none, 0)},
          {"op INT_MAX", bad, make(INT_MAX, none, 0)},
          {"op INT_MIN", bad, make(INT_MIN, none, 0)},
          {"clamp without params", bad, make(pnn_unary_clamp, none, 0, true)},
          {"clamp min NaN", bad,
           make(
               pnn_unary_clamp, [](U& p) { p.min = kNaN; }, 0)},
          {"clamp max NaN", bad,
           make(
               pnn_unary_clamp, [](U& p) { p.max = kNaN; }, 0)},
          {"clamp min > max", bad,
           make(
               pnn_unary_clamp, [](U& p) { p.min = 2.0f; }, 0)},
          {"clamp +inf > -inf", bad,
           make(
               pnn_unary_clamp,
               [](U& p) {
                 p.min = kInf;
                 p.max = -kInf;
               },
               0)},
          {"clamp [+inf, +inf] (valid)", pnn_status_success,
           make(
               pnn_unary_clamp,
               [](U& p) {
                 p.min = kInf;
                 p.max = kInf;
               },
               0)},
          {"leaky relu without params", bad, make(pnn_unary_leaky_relu, none, 0, true)},
          {"leaky relu slope NaN", bad,
           make(
               pnn_unary_leaky_relu, [](U& p) { p.negative_slope = kNaN; }, 0)},
          {"leaky relu slope +inf", bad,
           make(
               pnn_unary_leaky_relu, [](U& p) { p.negative_slope = kInf; }, 0)},
          {"leaky relu slope -inf", bad,
           make(
               pnn_unary_leaky_relu, [](U& p) { p.negative_slope = -kInf; }, 0)},
          {"elu without params", bad, make(pnn_unary_elu, none, 0, true)},
          {"elu alpha NaN", bad,
           make(
               pnn_unary_elu, [](U& p) { p.alpha = kNaN; }, 0)},
          {"elu alpha +inf", bad,
           make(
               pnn_unary_elu, [](U& p) { p.alpha = kInf; }, 0)},
          {"hard sigmoid without params", bad, make(pnn_unary_hard_sigmoid, none, 0, true)},
          {"hard sigmoid alpha NaN", bad, hard_sigmoid([](U& p) { p.alpha = kNaN; })},
          {"hard sigmoid beta -inf", bad, hard_sigmoid([](U& p) { p.beta = -kInf; })},
          {"hard sigmoid beta NaN", bad, hard_sigmoid([](U& p) { p.beta = kNaN; })},
          {"GELU flag on sigmoid", bad,
           make(pnn_unary_sigmoid, none, PNN_FLAG_GELU_TANH_APPROXIMATION)},
          {"unknown flag on GELU", bad,
           make(pnn_unary_gelu, none, PNN_FLAG_GELU_TANH_APPROXIMATION | 0x10000u)},
          {"another op's flag on exp", bad, make(pnn_unary_exp, none, PNN_FLAG_TRANSPOSE_B)},
          {"params NULL where unused (valid)", pnn_status_success,
           make(pnn_unary_tanh, none, 0, true)},
      });
  ExpectNullOpOut("pnn_create_unary_elementwise_nc_f32", make(pnn_unary_abs, none, 0));
}

TEST(Unary, ReshapeAndSetupHostile) {
  auto s = Ready(UnaryDriver(pnn_unary_square, pnn_unary_params{}, 3, 5));
  ASSERT_NE(s, nullptr);
  auto reshape = [](size_t n, size_t c) {
    return [=](Subject& s, Outs&) {
      return pnn_reshape_unary_elementwise_nc_f32(s.op(), n, c, nullptr);
    };
  };
  const pnn_status bad = pnn_status_invalid_parameter;
  ExpectOverflows32("batch*channels", {kHuge, kHuge});
  RunOpCases(*s, "pnn_reshape_unary_elementwise_nc_f32",
             {
                 {"batch 0", bad, reshape(0, 5)},
                 {"channels 0", bad, reshape(3, 0)},
                 {"batch*channels overflows", bad, reshape(kHuge, kHuge)},
                 {"channels SIZE_MAX", bad, reshape(1, SIZE_MAX)},
                 {"bytes overflow (SIZE_MAX/4 + 1)", bad, reshape(1, SIZE_MAX / 4 + 1)},
             });
}

// Unary input and output may be the same buffer but must not partially overlap.
TEST(Unary, SetupPartialOverlap) {
  auto s = Ready(UnaryDriver(pnn_unary_square, pnn_unary_params{}, 3, 5));
  ASSERT_NE(s, nullptr);
  std::vector<float> shared(64);
  RunOpCases(*s, "pnn_setup_unary_elementwise_nc_f32",
             {
                 {"output = input + 1", pnn_status_invalid_parameter,
                  [&](Subject& s, Outs&) {
                    return pnn_setup_unary_elementwise_nc_f32(s.op(), shared.data(),
                                                              shared.data() + 1);
                  }},
             });
}

// ---------------------------------------------------------------------------------------------
// Binary.

TEST(Binary, CreateHostileParameters) {
  auto make = [](int type, float mn, float mx, uint32_t flags) {
    return [=](pnn_operator_t* op) {
      return pnn_create_binary_elementwise_nd_f32(static_cast<pnn_binary_op>(type), mn, mx, flags,
                                                  op);
    };
  };
  const pnn_status bad = pnn_status_invalid_parameter;
  RunCreateCases(
      "pnn_create_binary_elementwise_nd_f32",
      {
          {"op -1", bad, make(-1, -kInf, kInf, 0)},
          {"op one past the last", bad, make(pnn_binary_pow + 1, -kInf, kInf, 0)},
          {"op INT_MAX", bad, make(INT_MAX, -kInf, kInf, 0)},
          {"output_min NaN", bad, make(pnn_binary_add, kNaN, kInf, 0)},
          {"output_max NaN", bad, make(pnn_binary_add, -kInf, kNaN, 0)},
          {"both bounds NaN", bad, make(pnn_binary_add, kNaN, kNaN, 0)},
          {"output_min > output_max", bad, make(pnn_binary_divide, 1.0f, -1.0f, 0)},
          {"flags", bad, make(pnn_binary_add, -kInf, kInf, 1)},
      });
  ExpectNullOpOut("pnn_create_binary_elementwise_nd_f32", make(pnn_binary_add, -kInf, kInf, 0));
}

TEST(Binary, ReshapeHostileShapes) {
  auto s = Ready(BinaryDriver(pnn_binary_multiply, {2, 1, 4}, {3, 1}));
  ASSERT_NE(s, nullptr);
  auto reshape = [](std::vector<size_t> a, std::vector<size_t> b, size_t na = SIZE_MAX,
                    size_t nb = SIZE_MAX) {
    return [=](Subject& s, Outs& o) {
      return pnn_reshape_binary_elementwise_nd_f32(
          s.op(), na == SIZE_MAX ? a.size() : na, a.empty() ? nullptr : a.data(),
          nb == SIZE_MAX ? b.size() : nb, b.empty() ? nullptr : b.data(), &o.nd, o.dims, nullptr);
    };
  };
  const pnn_status bad = pnn_status_invalid_parameter;
  const std::vector<size_t> seven(7, 1);
  const size_t q = size_t{1} << 22;
  ExpectOverflows32("a*b broadcast", {kHuge, kHuge});
  ExpectOverflows32("2^22 cubed", {q, q, q});
  RunOpCases(*s, "pnn_reshape_binary_elementwise_nd_f32",
             {
                 {"A with 0 dims", bad, reshape({}, {2}, 0)},
                 {"B with 0 dims", bad, reshape({2}, {}, 1, 0)},
                 {"A with 7 dims", bad, reshape(seven, {1})},
                 {"B with 7 dims", bad, reshape({1}, seven)},
                 {"A with SIZE_MAX dims", bad, reshape({1}, {1}, SIZE_MAX - 1)},
                 {"NULL shape_a", bad, reshape({}, {2}, 1)},
                 {"NULL shape_b", bad, reshape({2}, {}, 1, 1)},
                 {"zero dim in A", bad, reshape({2, 0}, {2, 1})},
                 {"zero dim in B", bad, reshape({2, 3}, {0, 3})},
                 {"zero dim where the other is 1", bad, reshape({0}, {1})},
                 {"3 vs 4", bad, reshape({4}, {3})},
                 {"[2,3] vs [3,2]", bad, reshape({2, 3}, {3, 2})},
                 {"leading dims differ", bad, reshape({2, 1, 3}, {3, 1, 3})},
                 {"mismatch behind a broadcast", bad, reshape({5, 1, 2}, {1, 4, 3})},
                 {"output overflows (2^32-1 squared, both full)", bad,
                  reshape({kHuge, kHuge}, {kHuge, kHuge})},
                 {"broadcast output overflows", bad, reshape({kHuge, 1}, {1, kHuge})},
                 {"2^22 cubed overflows", bad, reshape({q, q, q}, {1})},
                 {"SIZE_MAX dim", bad, reshape({SIZE_MAX}, {1})},
                 {"output bytes overflow", bad, reshape({SIZE_MAX / 4 + 1}, {1})},
             });
}

TEST(Binary, SetupHostileAliasing) {
  // A [2,1,4], B [3,1] broadcast to [2,3,4].
  auto s = Ready(BinaryDriver(pnn_binary_subtract, {2, 1, 4}, {3, 1}));
  ASSERT_NE(s, nullptr);
  std::vector<float> shared(128);
  RunOpCases(*s, "pnn_setup_binary_elementwise_nd_f32",
             {
                 {"output == A, A broadcast", pnn_status_invalid_parameter,
                  [&](Subject& s, Outs&) {
                    return pnn_setup_binary_elementwise_nd_f32(s.op(), shared.data(), s.x1(),
                                                               shared.data());
                  }},
                 {"output == B, B broadcast", pnn_status_invalid_parameter,
                  [&](Subject& s, Outs&) {
                    return pnn_setup_binary_elementwise_nd_f32(s.op(), s.x0(), shared.data(),
                                                               shared.data());
                  }},
                 {"output overlaps A shifted", pnn_status_invalid_parameter,
                  [&](Subject& s, Outs&) {
                    return pnn_setup_binary_elementwise_nd_f32(s.op(), shared.data() + 3, s.x1(),
                                                               shared.data());
                  }},
             });
}

// ---------------------------------------------------------------------------------------------
// Softmax.

TEST(Softmax, HostileParameters) {
  const pnn_status bad = pnn_status_invalid_parameter;
  auto make = [](size_t c, uint32_t flags) {
    return [=](pnn_operator_t* op) { return pnn_create_softmax_nc_f32(c, flags, op); };
  };
  RunCreateCases("pnn_create_softmax_nc_f32",
                 {
                     {"channels 0", bad, make(0, 0)},
                     {"channels SIZE_MAX", bad, make(SIZE_MAX, 0)},
                     {"channel bytes overflow", bad, make(SIZE_MAX / 4 + 1, 0)},
                     {"flags", bad, make(8, 1)},
                 });
  ExpectNullOpOut("pnn_create_softmax_nc_f32", make(8, 0));

  auto s = Ready(SoftmaxDriver(7, 3));
  ASSERT_NE(s, nullptr);
  std::vector<float> shared(64);
  RunOpCases(*s, "pnn_reshape_softmax_nc_f32",
             {
                 {"batch 0", bad,
                  [](Subject& s, Outs&) { return pnn_reshape_softmax_nc_f32(s.op(), 0, nullptr); }},
                 {"batch*channels bytes overflow", bad,
                  [](Subject& s, Outs&) {
                    return pnn_reshape_softmax_nc_f32(s.op(), SIZE_MAX / 28 + 1, nullptr);
                  }},
             });
  RunOpCases(*s, "pnn_setup_softmax_nc_f32",
             {
                 {"output overlaps the input shifted", bad,
                  [&](Subject& s, Outs&) {
                    return pnn_setup_softmax_nc_f32(s.op(), shared.data(), shared.data() + 5);
                  }},
             });

  // Channels of 2^32-1 are valid at create (nothing is allocated); a batch of 2^32-1 then
  // overflows on every size_t width.
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(kHuge, 0, &op), pnn_status_success);
  ExpectOverflows32("batch*channels", {kHuge, kHuge});
  EXPECT_FAILS_WITH(bad, pnn_reshape_softmax_nc_f32(op, kHuge, nullptr));
  Count("pnn_reshape_softmax_nc_f32");
  pnn_delete_operator(op);
}

// ---------------------------------------------------------------------------------------------
// Row strides of the NC operators (the _strided reshapes) and the setups they change: strides
// below the row length, spans whose bytes overflow, overlap judged on the strided spans, and
// in place only with equal strides.

// Strided reshape cases shared by the four operators: `reshape(rows, in_stride, out_stride)`
// on an operator whose input rows hold `in_len` and output rows `out_len` floats.
std::vector<OpCase> StrideReshapeCases(
    size_t in_len, size_t out_len,
    std::function<pnn_status(pnn_operator_t, size_t, size_t, size_t)> reshape) {
  const pnn_status bad = pnn_status_invalid_parameter;
  auto call = [reshape](size_t rows, size_t in_stride, size_t out_stride) {
    return [=](Subject& s, Outs&) { return reshape(s.op(), rows, in_stride, out_stride); };
  };
  return {
      {"rows 0", bad, call(0, in_len, out_len)},
      {"input_stride < input row", bad, call(2, in_len - 1, out_len)},
      {"output_stride < output row", bad, call(2, in_len, out_len - 1)},
      {"input_stride 0", bad, call(2, 0, out_len)},
      {"input span overflows (stride SIZE_MAX, 2 rows)", bad, call(2, SIZE_MAX, out_len)},
      {"output span overflows (stride SIZE_MAX/4, 5 rows)", bad, call(5, in_len, SIZE_MAX / 4)},
      {"rows * stride overflows (2^32-1 each)", bad, call(kHuge, kHuge, out_len)},
  };
}

TEST(Strides, ReshapeHostileStrides) {
  {
    auto s = Ready(FcDriver(5, 7, 3));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, "pnn_reshape_fully_connected_nc_f32_strided",
               StrideReshapeCases(5, 7, [](pnn_operator_t op, size_t n, size_t is, size_t os) {
                 return pnn_reshape_fully_connected_nc_f32_strided(op, n, is, os, nullptr);
               }));
  }
  {
    auto s = Ready(UnaryDriver(pnn_unary_square, pnn_unary_params{}, 3, 5));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, "pnn_reshape_unary_elementwise_nc_f32_strided",
               StrideReshapeCases(5, 5, [](pnn_operator_t op, size_t n, size_t is, size_t os) {
                 return pnn_reshape_unary_elementwise_nc_f32_strided(op, n, 5, is, os, nullptr);
               }));
    RunOpCases(*s, "pnn_reshape_unary_elementwise_nc_f32_strided",
               {{"channels 0", pnn_status_invalid_parameter, [](Subject& s, Outs&) {
                   return pnn_reshape_unary_elementwise_nc_f32_strided(s.op(), 2, 0, 5, 5, nullptr);
                 }}});
  }
  {
    auto s = Ready(SoftmaxDriver(7, 3));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, "pnn_reshape_softmax_nc_f32_strided",
               StrideReshapeCases(7, 7, [](pnn_operator_t op, size_t n, size_t is, size_t os) {
                 return pnn_reshape_softmax_nc_f32_strided(op, n, is, os, nullptr);
               }));
  }
  {
    // Global average pooling: the input rows are pixels (batch * width of them).
    auto s = Ready(GavgDriver(6, 2, 5));
    ASSERT_NE(s, nullptr);
    RunOpCases(*s, "pnn_reshape_global_average_pooling_nwc_f32_strided",
               StrideReshapeCases(6, 6, [](pnn_operator_t op, size_t n, size_t is, size_t os) {
                 return pnn_reshape_global_average_pooling_nwc_f32_strided(op, n, 3, is, os,
                                                                           nullptr);
               }));
    RunOpCases(*s, "pnn_reshape_global_average_pooling_nwc_f32_strided",
               {{"width 0", pnn_status_invalid_parameter,
                 [](Subject& s, Outs&) {
                   return pnn_reshape_global_average_pooling_nwc_f32_strided(s.op(), 2, 0, 6, 6,
                                                                             nullptr);
                 }},
                {"batch * width overflows", pnn_status_invalid_parameter, [](Subject& s, Outs&) {
                   return pnn_reshape_global_average_pooling_nwc_f32_strided(s.op(), kHuge, kHuge,
                                                                             6, 6, nullptr);
                 }}});
  }
  // One row with huge strides is valid (a stride is never taken); checked last on an operator
  // of its own since it reshapes.
  {
    auto s = Ready(SoftmaxDriver(7, 3));
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(pnn_reshape_softmax_nc_f32_strided(s->op(), 1, SIZE_MAX, SIZE_MAX, nullptr),
              pnn_status_success);
    EXPECT_TRUE(pnn_test::HasNoReason());
    Count("pnn_reshape_softmax_nc_f32_strided");
  }
  // The strided reshapes check the operator like every other call.
  auto other = Ready(SoftmaxDriver(7, 3));
  ASSERT_NE(other, nullptr);
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_fully_connected_nc_f32_strided(other->op(), 1, 9, 9, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_unary_elementwise_nc_f32_strided(nullptr, 1, 9, 9, 9, nullptr));
  EXPECT_FAILS_WITH(pnn_status_invalid_parameter,
                    pnn_reshape_softmax_nc_f32_strided(nullptr, 1, 9, 9, nullptr));
  EXPECT_FAILS_WITH(
      pnn_status_invalid_parameter,
      pnn_reshape_global_average_pooling_nwc_f32_strided(other->op(), 1, 1, 9, 9, nullptr));
  for (int i = 0; i < 4; i++) Count("strided reshapes: wrong or NULL op");
}

// With strides, overlap is judged on the spans; in place needs the same pointer and stride.
TEST(Strides, SetupOverlapWithStrides) {
  const pnn_status bad = pnn_status_invalid_parameter;
  std::vector<float> shared(256);
  float* base = shared.data();
  {
    // Unary, 3 rows of 5: input stride 8 (span 21), output stride 6 (span 17).
    auto s = Ready(UnaryDriver(pnn_unary_square, pnn_unary_params{}, 3, 5));
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32_strided(s->op(), 3, 5, 8, 6, nullptr),
              pnn_status_success);
    // The Subject's bound output is gone with the reshape; only status and reason are checked.
    auto setup = [&](const float* x, float* y) {
      const pnn_status got = pnn_setup_unary_elementwise_nc_f32(s->op(), x, y);
      ExpectReason("pnn_setup_unary_elementwise_nc_f32", got, "strided setup");
      Count("pnn_setup_unary_elementwise_nc_f32");
      return got;
    };
    EXPECT_EQ(setup(base, base), bad) << "same pointer, different strides";
    EXPECT_EQ(setup(base, base + 5), bad) << "output interleaved in the input's gaps";
    EXPECT_EQ(setup(base + 16, base), bad) << "input's first row on the output's last element";
    EXPECT_EQ(setup(base, base + 21), pnn_status_success) << "spans touching end to start";
    ASSERT_EQ(pnn_reshape_unary_elementwise_nc_f32_strided(s->op(), 3, 5, 8, 8, nullptr),
              pnn_status_success);
    EXPECT_EQ(setup(base, base), pnn_status_success) << "in place, equal strides";
    EXPECT_EQ(setup(base, base + 1), bad) << "shifted by one";
  }
  {
    auto s = Ready(SoftmaxDriver(7, 3));
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(pnn_reshape_softmax_nc_f32_strided(s->op(), 3, 9, 7, nullptr), pnn_status_success);
    auto setup = [&](const float* x, float* y) {
      const pnn_status got = pnn_setup_softmax_nc_f32(s->op(), x, y);
      ExpectReason("pnn_setup_softmax_nc_f32", got, "strided setup");
      Count("pnn_setup_softmax_nc_f32");
      return got;
    };
    EXPECT_EQ(setup(base, base), bad) << "same pointer, different strides";
    EXPECT_EQ(setup(base, base + 7), bad) << "output in the input's gaps";
    EXPECT_EQ(setup(base, base + 25), pnn_status_success) << "after the input span";
  }
  {
    // Fully connected 5 -> 7, 3 rows: input stride 6 (span 17), output stride 9 (span 25).
    auto s = Ready(FcDriver(5, 7, 3));
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(pnn_reshape_fully_connected_nc_f32_strided(s->op(), 3, 6, 9, nullptr),
              pnn_status_success);
    auto setup = [&](const float* x, float* y) {
      const pnn_status got = pnn_setup_fully_connected_nc_f32(s->op(), x, y);
      ExpectReason("pnn_setup_fully_connected_nc_f32", got, "strided setup");
      Count("pnn_setup_fully_connected_nc_f32");
      return got;
    };
    EXPECT_EQ(setup(base, base + 5), bad) << "output starts in the input's first gap";
    EXPECT_EQ(setup(base + 24, base), bad) << "input starts on the output's last element";
    EXPECT_EQ(setup(base, base + 17), pnn_status_success);
    EXPECT_EQ(setup(base + 25, base), pnn_status_success);
  }
  {
    // Global average pooling, 2 images of 3 pixels of 6 channels: input stride 7 (span 41),
    // output stride 8 (span 14).
    auto s = Ready(GavgDriver(6, 2, 3));
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32_strided(s->op(), 2, 3, 7, 8, nullptr),
              pnn_status_success);
    auto setup = [&](const float* x, float* y) {
      const pnn_status got = pnn_setup_global_average_pooling_nwc_f32(s->op(), x, y);
      ExpectReason("pnn_setup_global_average_pooling_nwc_f32", got, "strided setup");
      Count("pnn_setup_global_average_pooling_nwc_f32");
      return got;
    };
    EXPECT_EQ(setup(base, base + 40), bad) << "output starts on the input's last element";
    EXPECT_EQ(setup(base, base + 41), pnn_status_success);
  }
}

// ---------------------------------------------------------------------------------------------
// NaN and infinity behaviour (include/portnn.h, conventions). Each count goes to "nan-inf: <op>".

// How a value compares with the IEEE evaluation of the formula.
enum class Cls { kNaN, kPosInf, kNegInf, kFinite };
Cls Classify(double v) {
  if (std::isnan(v)) return Cls::kNaN;
  if (std::isinf(v)) return v > 0 ? Cls::kPosInf : Cls::kNegInf;
  return Cls::kFinite;
}
const char* ClsName(Cls c) {
  switch (c) {
    case Cls::kNaN:
      return "NaN";
    case Cls::kPosInf:
      return "+inf";
    case Cls::kNegInf:
      return "-inf";
    case Cls::kFinite:
      return "finite";
  }
  return "?";
}

// Every output is classified as the double reference is (the inputs are small enough that no
// finite sum overflows, so the class does not depend on the summation order).
void ExpectSameClasses(const float* got, const std::vector<double>& ref, const std::string& what) {
  size_t mismatches = 0;
  for (size_t i = 0; i < ref.size(); i++) {
    if (Classify(got[i]) != Classify(ref[i]) && mismatches++ < 8) {
      ADD_FAILURE() << what << " [" << i << "]: got " << got[i] << " (" << ClsName(Classify(got[i]))
                    << "), the formula gives " << ClsName(Classify(ref[i]));
    }
  }
  EXPECT_EQ(mismatches, 0u) << what;
}

// Naive double convolution, padded taps multiplying their weight by 0 as the formula says.
std::vector<double> ConvRef(const pnn_convolution2d_params& p, size_t n, size_t h, size_t w,
                            const std::vector<float>& x, const std::vector<float>& k,
                            const std::vector<float>& b, size_t* oh_out, size_t* ow_out) {
  const size_t oh = OutSize(h, p.kernel_height, p.stride_height, p.dilation_height, p.padding_top,
                            p.padding_bottom, false);
  const size_t ow = OutSize(w, p.kernel_width, p.stride_width, p.dilation_width, p.padding_left,
                            p.padding_right, false);
  const size_t G = p.groups, gic = p.group_input_channels, goc = p.group_output_channels;
  const size_t cin = G * gic, cout = G * goc, kh = p.kernel_height, kw = p.kernel_width;
  std::vector<double> y(n * oh * ow * cout);
  for (size_t b0 = 0; b0 < n; b0++)
    for (size_t oy = 0; oy < oh; oy++)
      for (size_t ox = 0; ox < ow; ox++)
        for (size_t g = 0; g < G; g++)
          for (size_t oc = 0; oc < goc; oc++) {
            const size_t o = g * goc + oc;
            double acc = b[o];
            for (size_t ky = 0; ky < kh; ky++)
              for (size_t kx = 0; kx < kw; kx++)
                for (size_t ic = 0; ic < gic; ic++) {
                  const int64_t iy = int64_t(oy * p.stride_height + ky * p.dilation_height) -
                                     int64_t(p.padding_top);
                  const int64_t ix = int64_t(ox * p.stride_width + kx * p.dilation_width) -
                                     int64_t(p.padding_left);
                  const bool inside = iy >= 0 && iy < int64_t(h) && ix >= 0 && ix < int64_t(w);
                  const double xv =
                      inside ? x[((b0 * h + size_t(iy)) * w + size_t(ix)) * cin + g * gic + ic]
                             : 0.0;
                  acc += xv * double(k[((o * kh + ky) * kw + kx) * gic + ic]);
                }
            y[((b0 * oh + oy) * ow + ox) * cout + o] = acc;
          }
  *oh_out = oh;
  *ow_out = ow;
  return y;
}

// Positive random values in [0.25, 1): a sum of finite terms never cancels to hide an infinity.
std::vector<float> Positive(size_t n, uint32_t seed) { return RandomVector(n, seed, 0.25f, 1.0f); }

void ConvNanInf(const pnn_convolution2d_params& p, const std::string& path) {
  const size_t n = 2, h = 5, w = 6;
  const size_t cin = p.groups * p.group_input_channels, cout = p.groups * p.group_output_channels;
  std::vector<float> x = Positive(n * h * w * cin, 71);
  std::vector<float> k =
      Positive(cout * p.kernel_height * p.kernel_width * p.group_input_channels, 72);
  std::vector<float> b = Positive(cout, 73);
  // Input specials: NaN, +inf, -inf in image 0, +inf next to -inf in image 1 (their windows
  // overlap: inf - inf = NaN).
  x[(1 * w + 1) * cin + 0] = kNaN;
  x[(3 * w + 4) * cin + (cin - 1)] = kInf;
  x[(0 * w + 5) * cin + 0] = -kInf;
  x[h * w * cin + (2 * w + 2) * cin] = kInf;
  x[h * w * cin + (2 * w + 3) * cin] = -kInf;
  // A zero weight against an infinite input is NaN (0 * inf); an infinite weight meets the
  // padding's zeros the same way.
  k[0] = 0.0f;
  if (k.size() > 3) k[3] = kInf;
  size_t oh, ow;
  const std::vector<double> ref = ConvRef(p, n, h, w, x, k, b, &oh, &ow);
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_convolution2d_nhwc_f32(&p, k.data(), b.data(), &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_convolution2d_nhwc_f32(op, n, h, w, nullptr, nullptr, nullptr),
            pnn_status_success);
  GuardedBuffer y(ref.size());
  ASSERT_EQ(pnn_setup_convolution2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  ExpectSameClasses(y.data(), ref, "convolution (" + path + ")");
  size_t nans = 0;
  for (double v : ref) nans += std::isnan(v);
  EXPECT_GT(nans, 0u) << "the case must exercise NaN";
  pnn_delete_operator(op);
  Count("nan-inf: convolution");
}

TEST(NanInf, Convolution) {
  ConvNanInf(ConvParams(3, 1, 2, 3), "igemm, padding 1");
  ConvNanInf(ConvParams(1, 0, 3, 4), "1x1 gemm");
  ConvNanInf(ConvParams(3, 1, 1, 1, 3), "depthwise");
  ConvNanInf(ConvParams(2, 2, 1, 2, 3), "grouped, padding beyond the kernel");
}

TEST(NanInf, FullyConnectedAndBatchMatmul) {
  const size_t batch = 4, ic = 6, oc = 5;
  std::vector<float> x = Positive(batch * ic, 81), wt = Positive(oc * ic, 82),
                     bias = Positive(oc, 83);
  x[0 * ic + 2] = kNaN;   // row 0: NaN everywhere
  x[1 * ic + 1] = kInf;   // row 1: +inf, except where its weight is 0
  wt[3 * ic + 1] = 0.0f;  //   -> row 1, output 3: 0 * inf = NaN
  x[2 * ic + 0] = kInf;   // row 2: +inf and -inf: NaN
  x[2 * ic + 5] = -kInf;
  wt[4 * ic + 4] = -kInf;  // column 4: -inf, except row 0 (NaN) and row 2 (NaN)
  std::vector<double> ref(batch * oc);
  for (size_t r = 0; r < batch; r++)
    for (size_t o = 0; o < oc; o++) {
      double acc = bias[o];
      for (size_t i = 0; i < ic; i++) acc += double(x[r * ic + i]) * double(wt[o * ic + i]);
      ref[r * oc + o] = acc;
    }
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(ic, oc, wt.data(), bias.data(), -kInf, kInf, 0, &op),
            pnn_status_success);
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, batch, nullptr), pnn_status_success);
  GuardedBuffer y(batch * oc);
  ASSERT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  ExpectSameClasses(y.data(), ref, "fully connected");
  pnn_delete_operator(op);
  Count("nan-inf: fully connected");

  // Batch matmul of the same product: A = x [batch][ic], B = wt^T given as [N][K] (transpose B);
  // no bias.
  for (double& v : ref) v = 0;
  for (size_t r = 0; r < batch; r++)
    for (size_t o = 0; o < oc; o++) {
      double acc = 0;
      for (size_t i = 0; i < ic; i++) acc += double(x[r * ic + i]) * double(wt[o * ic + i]);
      ref[r * oc + o] = acc;
    }
  ASSERT_EQ(pnn_create_batch_matmul_f32(PNN_FLAG_TRANSPOSE_B, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_batch_matmul_f32(op, 0, nullptr, nullptr, batch, ic, oc, nullptr, nullptr),
            pnn_status_success);
  GuardedBuffer z(batch * oc);
  ASSERT_EQ(pnn_setup_batch_matmul_f32(op, x.data(), wt.data(), z.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  ExpectSameClasses(z.data(), ref, "batch matmul");
  pnn_delete_operator(op);
  Count("nan-inf: batch matmul");
}

// With a finite fused clamp the header leaves a NaN result unspecified: NaN or a bound.
TEST(NanInf, FiniteFusedClampGivesNaNOrABound) {
  const size_t ic = 3, oc = 2;
  const std::vector<float> wt = Positive(ic * oc, 91);
  const std::vector<float> x = {kNaN, 1.0f, 1.0f, kInf, 1.0f, 1.0f, -kInf, 0.5f, 0.5f};
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_fully_connected_nc_f32(ic, oc, wt.data(), nullptr, -1.0f, 1.0f, 0, &op),
            pnn_status_success);
  ASSERT_EQ(pnn_reshape_fully_connected_nc_f32(op, 3, nullptr), pnn_status_success);
  GuardedBuffer y(3 * oc);
  ASSERT_EQ(pnn_setup_fully_connected_nc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  for (size_t o = 0; o < oc; o++) {
    EXPECT_TRUE(std::isnan(y[o]) || y[o] == -1.0f || y[o] == 1.0f) << y[o];  // NaN row
    EXPECT_EQ(y[oc + o], 1.0f);       // +inf clamps to the max
    EXPECT_EQ(y[2 * oc + o], -1.0f);  // -inf clamps to the min
  }
  pnn_delete_operator(op);
  Count("nan-inf: fused clamp");
}

TEST(NanInf, MaxPooling) {
  // 3x3 windows, stride 1, padding 1 on a 4x4 image, 2 channels.
  const size_t h = 4, w = 4, c = 2;
  pnn_pooling2d_params p = PoolParams(3, 1, 1, c);
  std::vector<float> x = RandomVector(h * w * c, 101);
  x[(0 * w + 0) * c + 0] = kNaN;
  x[(3 * w + 3) * c + 0] = kInf;
  // Channel 1 is all -inf: padding never wins, so every output is -inf, not 0.
  for (size_t i = 0; i < h * w; i++) x[i * c + 1] = -kInf;
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_max_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_max_pooling2d_nhwc_f32(op, 1, h, w, nullptr, nullptr, nullptr),
            pnn_status_success);
  GuardedBuffer y(h * w * c);
  ASSERT_EQ(pnn_setup_max_pooling2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  for (size_t oy = 0; oy < h; oy++)
    for (size_t ox = 0; ox < w; ox++) {
      bool has_nan = false, has_inf = false;
      double mx = -INFINITY;
      std::vector<float> window;
      for (size_t iy = oy == 0 ? 0 : oy - 1; iy <= std::min(oy + 1, h - 1); iy++)
        for (size_t ix = ox == 0 ? 0 : ox - 1; ix <= std::min(ox + 1, w - 1); ix++) {
          const float v = x[(iy * w + ix) * c];
          window.push_back(v);
          has_nan |= std::isnan(v);
          has_inf |= v == kInf;
          if (!std::isnan(v)) mx = std::max<double>(mx, v);
        }
      const float got = y[(oy * w + ox) * c];
      if (has_nan) {
        // Unspecified: NaN, or the maximum of some of the window's values.
        EXPECT_TRUE(std::isnan(got) || std::find(window.begin(), window.end(), got) != window.end())
            << got;
      } else if (has_inf) {
        EXPECT_EQ(got, kInf);
      } else {
        EXPECT_EQ(got, float(mx));
      }
      EXPECT_EQ(y[(oy * w + ox) * c + 1], -kInf) << "padding won a max over -inf";
    }
  pnn_delete_operator(op);
  Count("nan-inf: max pooling");
}

TEST(NanInf, AverageAndGlobalAveragePooling) {
  const size_t h = 4, w = 4, c = 3;
  std::vector<float> x = Positive(h * w * c, 111);
  x[(1 * w + 1) * c + 0] = kNaN;
  x[(3 * w + 0) * c + 1] = kInf;
  x[(0 * w + 3) * c + 2] = kInf;
  x[(1 * w + 3) * c + 2] = -kInf;  // +inf and -inf in the same windows: NaN
  for (bool include_pad : {false, true}) {
    pnn_pooling2d_params p = PoolParams(2, 1, 1, c);
    if (include_pad) p.flags = PNN_FLAG_COUNT_INCLUDE_PAD;
    const size_t oh = h + 1, ow = w + 1;
    std::vector<double> ref(oh * ow * c);
    for (size_t oy = 0; oy < oh; oy++)
      for (size_t ox = 0; ox < ow; ox++)
        for (size_t ch = 0; ch < c; ch++) {
          double sum = 0;
          for (size_t ky = 0; ky < 2; ky++)
            for (size_t kx = 0; kx < 2; kx++) {
              const int64_t iy = int64_t(oy + ky) - 1, ix = int64_t(ox + kx) - 1;
              if (iy >= 0 && iy < int64_t(h) && ix >= 0 && ix < int64_t(w))
                sum += x[(size_t(iy) * w + size_t(ix)) * c + ch];
            }
          ref[(oy * ow + ox) * c + ch] = sum / 4;  // the divisor does not change the class
        }
    pnn_operator_t op = nullptr;
    ASSERT_EQ(pnn_create_average_pooling2d_nhwc_f32(&p, &op), pnn_status_success);
    ASSERT_EQ(pnn_reshape_average_pooling2d_nhwc_f32(op, 1, h, w, nullptr, nullptr, nullptr),
              pnn_status_success);
    GuardedBuffer y(ref.size());
    ASSERT_EQ(pnn_setup_average_pooling2d_nhwc_f32(op, x.data(), y.data()), pnn_status_success);
    ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
    ExpectSameClasses(y.data(), ref,
                      include_pad ? "average pooling (include pad)" : "average pooling");
    pnn_delete_operator(op);
    Count("nan-inf: average pooling");
  }

  // Global: the image as W = h*w.
  std::vector<double> ref(c, 0.0);
  for (size_t i = 0; i < h * w; i++)
    for (size_t ch = 0; ch < c; ch++) ref[ch] += x[i * c + ch];
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_global_average_pooling_nwc_f32(c, -kInf, kInf, 0, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_global_average_pooling_nwc_f32(op, 1, h * w, nullptr), pnn_status_success);
  GuardedBuffer y(c);
  ASSERT_EQ(pnn_setup_global_average_pooling_nwc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  ExpectSameClasses(y.data(), ref, "global average pooling");
  EXPECT_TRUE(std::isnan(y[0]));
  EXPECT_EQ(y[1], kInf);
  EXPECT_TRUE(std::isnan(y[2]));
  pnn_delete_operator(op);
  Count("nan-inf: global average pooling");
}

// Runs a unary op on xs and returns the outputs.
std::vector<float> RunUnary(pnn_unary_op type, const pnn_unary_params* params, uint32_t flags,
                            const std::vector<float>& xs) {
  pnn_operator_t op = nullptr;
  EXPECT_EQ(pnn_create_unary_elementwise_nc_f32(type, params, flags, &op), pnn_status_success);
  if (op == nullptr) return {};
  EXPECT_EQ(pnn_reshape_unary_elementwise_nc_f32(op, 1, xs.size(), nullptr), pnn_status_success);
  std::vector<float> y(xs.size(), 12345.0f);
  EXPECT_EQ(pnn_setup_unary_elementwise_nc_f32(op, xs.data(), y.data()), pnn_status_success);
  EXPECT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  pnn_delete_operator(op);
  return y;
}

// Exact match, NaN matching any NaN, and the sign of a zero significant.
bool SameValue(float got, float want) {
  if (std::isnan(want)) return std::isnan(got);
  return got == want && std::signbit(got) == std::signbit(want);
}

TEST(NanInf, Unary) {
  struct Row {
    const char* name;
    pnn_unary_op op;
    pnn_unary_params params;
    uint32_t flags;
    float at_nan, at_pos_inf, at_neg_inf;
  };
  const float nan = kNaN, inf = kInf;
  const Row rows[] = {
      {"leaky relu (slope 0.1)", pnn_unary_leaky_relu, {0, 0, 0.1f, 0}, 0, nan, inf, -inf},
      {"leaky relu (slope -0.5)", pnn_unary_leaky_relu, {0, 0, -0.5f, 0}, 0, nan, inf, inf},
      // IEEE: -inf * 0 is NaN (the formula is x * slope below 0).
      {"leaky relu (slope 0)", pnn_unary_leaky_relu, {0, 0, 0.0f, 0}, 0, nan, inf, nan},
      {"elu (alpha 1.5)", pnn_unary_elu, {0, 0, 0, 1.5f}, 0, nan, inf, -1.5f},
      {"sigmoid", pnn_unary_sigmoid, {}, 0, nan, 1.0f, 0.0f},
      {"tanh", pnn_unary_tanh, {}, 0, nan, 1.0f, -1.0f},
      {"hardswish", pnn_unary_hardswish, {}, 0, nan, inf, -0.0f},
      {"gelu", pnn_unary_gelu, {}, 0, nan, inf, -0.0f},
      {"gelu (tanh)", pnn_unary_gelu, {}, PNN_FLAG_GELU_TANH_APPROXIMATION, nan, inf, -0.0f},
      {"silu", pnn_unary_silu, {}, 0, nan, inf, -0.0f},
      {"abs", pnn_unary_abs, {}, 0, nan, inf, inf},
      {"negate", pnn_unary_negate, {}, 0, nan, -inf, inf},
      {"square", pnn_unary_square, {}, 0, nan, inf, inf},
      {"sqrt", pnn_unary_sqrt, {}, 0, nan, inf, nan},
      {"exp", pnn_unary_exp, {}, 0, nan, inf, 0.0f},
      {"hard sigmoid (0.2, 0.5)", pnn_unary_hard_sigmoid, {0, 0, 0, 0.2f, 0.5f}, 0, nan, 1.0f, 0.0f},
      {"hard sigmoid (-1, 0.5)", pnn_unary_hard_sigmoid, {0, 0, 0, -1.0f, 0.5f}, 0, nan, 0.0f, 1.0f},
      // IEEE: 0 * inf is NaN.
      {"hard sigmoid (0, 0.5)", pnn_unary_hard_sigmoid, {0, 0, 0, 0.0f, 0.5f}, 0, nan, nan, nan},
      {"erf", pnn_unary_erf, {}, 0, nan, 1.0f, -1.0f},
      {"log", pnn_unary_log, {}, 0, nan, inf, nan},
      {"reciprocal", pnn_unary_reciprocal, {}, 0, nan, 0.0f, -0.0f},
      {"rsqrt", pnn_unary_rsqrt, {}, 0, nan, 0.0f, nan},
      {"floor", pnn_unary_floor, {}, 0, nan, inf, -inf},
      {"ceil", pnn_unary_ceil, {}, 0, nan, inf, -inf},
      {"round", pnn_unary_round, {}, 0, nan, inf, -inf},
      {"sin", pnn_unary_sin, {}, 0, nan, nan, nan},
      {"cos", pnn_unary_cos, {}, 0, nan, nan, nan},
      {"softplus", pnn_unary_softplus, {}, 0, nan, inf, 0.0f},
  };
  for (const Row& r : rows) {
    // Specials at every position of a 4-wide block and in the remainder.
    const std::vector<float> xs = {kNaN, kInf, -kInf, 0.5f, 0.25f, kNaN, kInf, -kInf, 1.0f};
    const std::vector<float> y = RunUnary(r.op, &r.params, r.flags, xs);
    ASSERT_EQ(y.size(), xs.size()) << r.name;
    for (size_t i = 0; i < xs.size(); i++) {
      if (!std::isnan(xs[i]) && !std::isinf(xs[i])) continue;
      const float want = std::isnan(xs[i]) ? r.at_nan : xs[i] > 0 ? r.at_pos_inf : r.at_neg_inf;
      EXPECT_TRUE(SameValue(y[i], want))
          << r.name << "(" << xs[i] << ") = " << y[i] << ", documented " << want;
    }
    Count("nan-inf: unary");
  }
  // sqrt of a negative number is NaN, and of -0 is -0; abs clears the sign of NaN too.
  const std::vector<float> sq = RunUnary(pnn_unary_sqrt, nullptr, 0, {-1.0f, -0.0f, -FLT_MIN});
  ASSERT_EQ(sq.size(), 3u);
  EXPECT_TRUE(std::isnan(sq[0]));
  EXPECT_TRUE(SameValue(sq[1], -0.0f));
  EXPECT_TRUE(std::isnan(sq[2]));
  Count("nan-inf: unary");
  const std::vector<float> ab = RunUnary(pnn_unary_abs, nullptr, 0, {-kNaN});
  ASSERT_EQ(ab.size(), 1u);
  EXPECT_TRUE(std::isnan(ab[0]));
  EXPECT_FALSE(std::signbit(ab[0]));
  Count("nan-inf: unary");

  // Clamp: infinities go to the bounds; NaN is unspecified (NaN or a bound).
  const pnn_unary_params cp{-2.0f, 3.0f, 0, 0};
  const std::vector<float> cl = RunUnary(pnn_unary_clamp, &cp, 0, {kInf, -kInf, kNaN, 1.0f});
  ASSERT_EQ(cl.size(), 4u);
  EXPECT_EQ(cl[0], 3.0f);
  EXPECT_EQ(cl[1], -2.0f);
  EXPECT_TRUE(std::isnan(cl[2]) || cl[2] == -2.0f || cl[2] == 3.0f) << cl[2];
  EXPECT_EQ(cl[3], 1.0f);
  Count("nan-inf: unary");
}

TEST(NanInf, Binary) {
  const float specials[] = {kNaN, kInf, -kInf, 0.0f, -0.0f, 1.0f, -2.5f, FLT_MAX, FLT_MIN / 4};
  const size_t ns = sizeof specials / sizeof specials[0];
  std::vector<float> a(ns * ns), b(ns * ns);
  for (size_t i = 0; i < ns; i++)
    for (size_t j = 0; j < ns; j++) {
      a[i * ns + j] = specials[i];
      b[i * ns + j] = specials[j];
    }
  const pnn_binary_op ops[] = {
      pnn_binary_add,     pnn_binary_subtract, pnn_binary_multiply,          pnn_binary_divide,
      pnn_binary_minimum, pnn_binary_maximum,  pnn_binary_squared_difference};
  for (pnn_binary_op type : ops) {
    // Full shapes and a broadcast B (each row of A against a scalar) use different kernels.
    for (bool broadcast : {false, true}) {
      pnn_operator_t op = nullptr;
      ASSERT_EQ(pnn_create_binary_elementwise_nd_f32(type, -kInf, kInf, 0, &op),
                pnn_status_success);
      const size_t shape[2] = {ns, ns}, bshape[2] = {ns, 1};
      ASSERT_EQ(pnn_reshape_binary_elementwise_nd_f32(op, 2, shape, 2, broadcast ? bshape : shape,
                                                      nullptr, nullptr, nullptr),
                pnn_status_success);
      std::vector<float> bb = b;
      if (broadcast)
        for (size_t i = 0; i < ns; i++) bb[i] = specials[i];  // B[i][0] = specials[i]
      GuardedBuffer y(ns * ns);
      ASSERT_EQ(pnn_setup_binary_elementwise_nd_f32(op, a.data(), bb.data(), y.data()),
                pnn_status_success);
      ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
      for (size_t i = 0; i < ns; i++)
        for (size_t j = 0; j < ns; j++) {
          const float x = specials[i];
          const float z = broadcast ? specials[i] : specials[j];
          const float got = y[i * ns + j];
          float want;
          switch (type) {
            case pnn_binary_add:
              want = x + z;
              break;
            case pnn_binary_subtract:
              want = x - z;
              break;
            case pnn_binary_multiply:
              want = x * z;
              break;
            case pnn_binary_divide:
              want = x / z;
              break;
            case pnn_binary_squared_difference:
              want = (x - z) * (x - z);
              break;
            default:
              want = 0;
              break;
          }
          if (type == pnn_binary_minimum || type == pnn_binary_maximum) {
            const bool is_min = type == pnn_binary_minimum;
            if (std::isnan(x) || std::isnan(z)) {
              // Unspecified: NaN or one of the operands.
              EXPECT_TRUE(std::isnan(got) || got == x || got == z) << x << "," << z;
            } else if (x == z) {
              EXPECT_EQ(got, x);  // the sign of a zero from +0 vs -0 is unspecified
            } else {
              EXPECT_EQ(got, is_min ? std::min(x, z) : std::max(x, z)) << x << "," << z;
            }
          } else {
            EXPECT_TRUE(SameValue(got, want))
                << "op " << type << ": " << x << ", " << z << " gave " << got << ", IEEE " << want;
          }
        }
      EXPECT_TRUE(y.CheckGuards());
      pnn_delete_operator(op);
      Count("nan-inf: binary");
    }
  }
}

TEST(NanInf, Softmax) {
  const float big = 1e30f;
  struct Row {
    const char* what;
    std::vector<float> x;
    std::vector<float> want;  // NaN: the whole row is NaN
  };
  const float nan = kNaN;
  const std::vector<Row> rows = {
      {"a NaN makes the row NaN", {1.0f, nan, 2.0f, 0.5f, 3.0f}, {nan, nan, nan, nan, nan}},
      {"NaN first", {nan, 1.0f, 2.0f, 0.5f, 3.0f}, {nan, nan, nan, nan, nan}},
      {"+inf makes the row NaN (inf - inf)",
       {1.0f, kInf, 2.0f, 0.5f, 3.0f},
       {nan, nan, nan, nan, nan}},
      {"all -inf: NaN", {-kInf, -kInf, -kInf, -kInf, -kInf}, {nan, nan, nan, nan, nan}},
      {"-inf entries are exact zeros",
       {-kInf, 0.0f, -kInf, 0.0f, -kInf},
       {0.0f, 0.5f, 0.0f, 0.5f, 0.0f}},
      {"large values do not overflow",
       {big, big, -big, big, big},
       {0.25f, 0.25f, 0.0f, 0.25f, 0.25f}},
      {"FLT_MAX vs -FLT_MAX",
       {FLT_MAX, -FLT_MAX, -FLT_MAX, -FLT_MAX, -FLT_MAX},
       {1.0f, 0.0f, 0.0f, 0.0f, 0.0f}},
  };
  const size_t c = 5;
  std::vector<float> x;
  for (const Row& r : rows) x.insert(x.end(), r.x.begin(), r.x.end());
  pnn_operator_t op = nullptr;
  ASSERT_EQ(pnn_create_softmax_nc_f32(c, 0, &op), pnn_status_success);
  ASSERT_EQ(pnn_reshape_softmax_nc_f32(op, rows.size(), nullptr), pnn_status_success);
  GuardedBuffer y(x.size());
  ASSERT_EQ(pnn_setup_softmax_nc_f32(op, x.data(), y.data()), pnn_status_success);
  ASSERT_EQ(pnn_run_operator(op, nullptr), pnn_status_success);
  for (size_t r = 0; r < rows.size(); r++) {
    for (size_t i = 0; i < c; i++) {
      const float got = y[r * c + i], want = rows[r].want[i];
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(got)) << rows[r].what << " [" << i << "] = " << got;
      } else {
        EXPECT_NEAR(got, want, 1e-6f) << rows[r].what << " [" << i << "]";
        if (want == 0.0f) {
          EXPECT_EQ(got, 0.0f) << rows[r].what;
        }
      }
    }
    Count("nan-inf: softmax");
  }
  EXPECT_TRUE(y.CheckGuards());
  pnn_delete_operator(op);
}

}  // namespace
