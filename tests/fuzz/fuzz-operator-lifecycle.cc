// Fuzz target: the order of calls across operators. Each input is a program of up to 32 steps
// over at most four live operators of any family (fuzz-families.h), interleaving:
//  - create, reshape, setup, run (on any pool), a whole reshape-setup-run cycle, delete;
//  - calls of another operator type's reshape or setup on a live operator, and of every
//    reshape and setup on NULL: invalid_parameter with a reason, nothing written, and the
//    operator unchanged (its setup still computes the same, bit for bit);
//  - pnn_deinitialize() / pnn_initialize(): creates then fail with uninitialized while the
//    operators already made keep working;
//  - pool swapping: a pool is destroyed and recreated with 1 or 2 threads between calls, so an
//    operator reshaped with a pool runs on others after that pool is gone (AddressSanitizer
//    catches an operator that kept it), and runs on the new pools must equal earlier ones.
// Every per-operator check of fuzz::Subject applies at each step.
#include <memory>
#include <utility>
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {

constexpr size_t kMaxLive = 4;

// One reshape or setup call of an operator type, with harmless arguments. `out` has 16 floats.
struct TypedCall {
  Kind kind;
  const char* function;
  pnn_status (*call)(pnn_operator_t op, float* out);
};

size_t g_dims[PNN_MAX_DIMS + 1];
const size_t g_shape[1] = {4};
const float g_in[64] = {};
uint32_t g_index[64];

// `fn(op, ARGS...)` as a TypedCall (`y` is the output buffer the setups take).
#define TYPED(kind, fn, ...) \
  { kind, #fn, [](pnn_operator_t op, float* y) { return (void)y, fn(op, __VA_ARGS__); } }
const TypedCall kTypedCalls[] = {
    TYPED(kConvolution, pnn_reshape_convolution2d_nhwc_f32, 1, 2, 2, g_dims, g_dims + 1, nullptr),
    TYPED(kConvolution, pnn_setup_convolution2d_nhwc_f32, g_in, y),
    TYPED(kFullyConnected, pnn_reshape_fully_connected_nc_f32, 1, nullptr),
    TYPED(kFullyConnected, pnn_reshape_fully_connected_nc_f32_strided, 2, 64, 64, nullptr),
    TYPED(kFullyConnected, pnn_setup_fully_connected_nc_f32, g_in, y),
    TYPED(kBatchMatmul, pnn_reshape_batch_matmul_f32, 0, nullptr, nullptr, 1, 1, 1, g_dims, nullptr),
    TYPED(kBatchMatmul, pnn_setup_batch_matmul_f32, g_in, g_in, y),
    TYPED(kMaxPooling, pnn_reshape_max_pooling2d_nhwc_f32, 1, 2, 2, g_dims, g_dims + 1, nullptr),
    TYPED(kMaxPooling, pnn_setup_max_pooling2d_nhwc_f32, g_in, y),
    TYPED(kArgmaxPooling, pnn_reshape_argmax_pooling2d_nhwc_f32, 1, 2, 2, g_dims, g_dims + 1,
          nullptr),
    TYPED(kArgmaxPooling, pnn_setup_argmax_pooling2d_nhwc_f32, g_in, y, g_index),
    TYPED(kAveragePooling, pnn_reshape_average_pooling2d_nhwc_f32, 1, 2, 2, g_dims, g_dims + 1,
          nullptr),
    TYPED(kAveragePooling, pnn_setup_average_pooling2d_nhwc_f32, g_in, y),
    TYPED(kGlobalAveragePooling, pnn_reshape_global_average_pooling_nwc_f32, 1, 2, nullptr),
    TYPED(kGlobalAveragePooling, pnn_reshape_global_average_pooling_nwc_f32_strided, 1, 2, 8, 8,
          nullptr),
    TYPED(kGlobalAveragePooling, pnn_setup_global_average_pooling_nwc_f32, g_in, y),
    TYPED(kUnary, pnn_reshape_unary_elementwise_nc_f32, 1, 4, nullptr),
    TYPED(kUnary, pnn_reshape_unary_elementwise_nc_f32_strided, 2, 4, 8, 8, nullptr),
    TYPED(kUnary, pnn_setup_unary_elementwise_nc_f32, g_in, y),
    TYPED(kBinary, pnn_reshape_binary_elementwise_nd_f32, 1, g_shape, 1, g_shape, g_dims,
          g_dims + 1, nullptr),
    TYPED(kBinary, pnn_setup_binary_elementwise_nd_f32, g_in, g_in, y),
    TYPED(kSoftmax, pnn_reshape_softmax_nc_f32, 1, nullptr),
    TYPED(kSoftmax, pnn_reshape_softmax_nc_f32_strided, 2, 64, 64, nullptr),
    TYPED(kSoftmax, pnn_setup_softmax_nc_f32, g_in, y),
    TYPED(kDeconvolution, pnn_reshape_deconvolution2d_nhwc_f32, 1, 2, 2, g_dims, g_dims + 1,
          nullptr),
    TYPED(kDeconvolution, pnn_setup_deconvolution2d_nhwc_f32, g_in, y),
    TYPED(kResize, pnn_reshape_resize2d_nhwc_f32, 1, 2, 2, 2, 2, nullptr),
    TYPED(kResize, pnn_setup_resize2d_nhwc_f32, g_in, y),
};
#undef TYPED
constexpr size_t kTypedCallCount = sizeof(kTypedCalls) / sizeof(kTypedCalls[0]);

// A typed call on `op` (NULL, or an operator of another type): rejected, nothing written.
void ExpectForeignRejected(const TypedCall& c, pnn_operator_t op) {
  std::vector<float> y(16, 0.5f);
  for (size_t& d : g_dims) d = 0xABCD;
  ExpectFailure(c.call(op, y.data()), pnn_status_invalid_parameter, c.function);
  for (float v : y) FUZZ_CHECK(v == 0.5f, "a rejected %s wrote to its output", c.function);
  for (size_t d : g_dims) FUZZ_CHECK(d == 0xABCD, "a rejected %s wrote its out-parameters",
                                     c.function);
}

void SwapPool(Reader& r) {
  const size_t slot = 1 + r.u8() % (kPools - 1);
  const size_t threads = 1 + r.u8() % 2;  // more spin on two cores for nothing new
  ExpectSuccess(pnn_threadpool_destroy(pool(slot)), "pnn_threadpool_destroy");
  pnn_threadpool_t p = nullptr;
  ExpectSuccess(pnn_threadpool_create(threads, &p), "pnn_threadpool_create");
  size_t count = 0;
  ExpectSuccess(pnn_threadpool_threads_count(p, &count), "pnn_threadpool_threads_count");
  FUZZ_CHECK(count == threads, "a pool of %zu threads counts %zu", threads, count);
  set_pool(slot, p);
}

void SetInitialized(bool on) {
  if (on) {
    ExpectSuccess(pnn_initialize(), "pnn_initialize");
  } else {
    ExpectSuccess(pnn_deinitialize(), "pnn_deinitialize");
  }
  g_initialized = on;
}

}  // namespace

int FuzzOperatorLifecycle(const uint8_t* data, size_t size) {
  Reader r(data, size);
  std::vector<std::unique_ptr<Subject>> live;
  const int steps = 1 + r.u8() % 32;
  for (int step = 0; step < steps && !r.empty(); step++) {
    const uint8_t action = r.u8() % 12;
    const size_t pick = r.u8();
    Subject* s = live.empty() ? nullptr : live[pick % live.size()].get();
    if (action <= 1) {
      if (live.size() >= kMaxLive) continue;
      Family family;
      if (kFamilies[r.u8() % kKinds](r, &family))
        live.push_back(std::make_unique<Subject>(std::move(family)));
    } else if (action == 2 && s != nullptr) {
      s->Reshape(r);
    } else if (action == 3 && s != nullptr) {
      s->Setup(r);
    } else if (action == 4 && s != nullptr) {
      s->Run(r.u8());
    } else if (action == 5 && s != nullptr) {
      s->Cycle(r);
    } else if (action == 6 && s != nullptr) {
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(pick % live.size()));
    } else if (action == 7) {
      const TypedCall& c = kTypedCalls[r.u8() % kTypedCallCount];
      ExpectForeignRejected(c, nullptr);
      if (s != nullptr && s->kind() != c.kind) {
        ExpectForeignRejected(c, s->op());
        s->ExpectIntact();
      }
    } else if (action == 8) {
      SetInitialized(!g_initialized);
    } else if (action == 9) {
      SwapPool(r);
    } else if (action == 10) {
      const size_t p = r.u8();
      for (auto& each : live) each->Run(p);
    } else if (action == 11) {
      ExpectFailure(pnn_run_operator(nullptr, pool(pick)), pnn_status_invalid_parameter,
                    "pnn_run_operator");
      ExpectSuccess(pnn_delete_operator(nullptr), "pnn_delete_operator");
    }
  }
  live.clear();
  if (!g_initialized) SetInitialized(true);  // the next input starts initialized
  return 0;
}

}  // namespace fuzz
