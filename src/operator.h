// The operator base: type tag, lifecycle state and the run hook every operator implements.
#pragma once

#include <new>

#include "common.h"
#include "error.h"
#include "hardware-config.h"
#include "portnn.h"

namespace pnn {

enum class OpType {
  kConvolution2d,
  kFullyConnected,
  kBatchMatmul,
  kMaxPooling2d,
  kAveragePooling2d,
  kGlobalAveragePooling,
  kUnary,
  kBinary,
  kSoftmax,
  kDeconvolution2d,
  kResize2d,
  kTranspose,
  kDepthToSpace,
  kSpaceToDepth,
  kPad,
  kConcatenate,
  kSplit,
  kSlice,
  kReduce,
  kLayerNorm,
  kRmsNorm,
  kBatchNorm,
  kPRelu,
  kArgmaxPooling2d,
};

// created -> (reshape) -> needs_setup -> (setup) -> ready; reshape again -> needs_setup.
enum class OpState { kNeedsReshape, kNeedsSetup, kReady };

}  // namespace pnn

struct pnn_operator {
  explicit pnn_operator(pnn::OpType t) : type(t) {}
  virtual ~pnn_operator() = default;
  pnn_operator(const pnn_operator&) = delete;
  pnn_operator& operator=(const pnn_operator&) = delete;

  // Computes with the shapes of the last reshape and the pointers of the last setup.
  virtual void run(pnn_threadpool_t threadpool) = 0;
  // Bytes of weights packed at create (the graph runtime's profile reports their sum).
  virtual size_t packed_weight_bytes() const { return 0; }

  const pnn::OpType type;
  pnn::OpState state = pnn::OpState::kNeedsReshape;
  const char* kernel_name = "none";
};

namespace pnn {

// A short name of an operator type for error reasons ("convolution", "max pooling", ...).
const char* op_type_name(OpType type);

// Common create-time checks: op_out not NULL (and cleared), library initialized.
inline pnn_status begin_create(pnn_operator_t* op_out) {
  if (op_out == nullptr) return fail(pnn_status_invalid_parameter, "op_out is NULL");
  *op_out = nullptr;
  if (!is_initialized()) {
    return fail(pnn_status_uninitialized,
                "the library is not initialized; call pnn_initialize() first");
  }
  return pnn_status_success;
}

// Allocates an operator without throwing; NULL when out of memory.
template <typename T, typename... Args>
T* new_operator(Args&&... args) {
  return new (std::nothrow) T(static_cast<Args&&>(args)...);
}

// Downcast with a type check: NULL for a NULL op or an op of another type, with the reason
// recorded (callers return pnn_status_invalid_parameter).
template <typename T>
T* operator_cast(pnn_operator_t op) {
  if (op == nullptr) {
    fail(pnn_status_invalid_parameter, "op is NULL");
    return nullptr;
  }
  if (op->type != T::kType) {
    fail(pnn_status_invalid_parameter, "op is a %s operator, not a %s operator",
         op_type_name(op->type), op_type_name(T::kType));
    return nullptr;
  }
  return static_cast<T*>(op);
}

// The body of a public reshape call: the type check, then T::reshape(args...), which validates
// everything before it writes anything; on success the operator needs a setup.
template <typename T, typename... Args>
pnn_status reshape_operator(pnn_operator_t op, Args... args) {
  T* t = operator_cast<T>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  const pnn_status s = t->reshape(args...);
  if (s == pnn_status_success) t->state = OpState::kNeedsSetup;
  return s;
}

// A buffer argument of a setup call, by name, for check_setup.
struct NamedBuffer {
  const char* name;
  const void* pointer;
};

// Shared checks for pnn_setup_*: right type, reshaped, non-NULL buffers.
template <typename T>
pnn_status check_setup(pnn_operator_t op, T** out, NamedBuffer b0, NamedBuffer b1,
                       NamedBuffer b2 = {nullptr, nullptr}) {
  *out = nullptr;
  T* t = operator_cast<T>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  if (op->state == OpState::kNeedsReshape) {
    return fail(pnn_status_invalid_state, "op has no shape yet: call its reshape before setup");
  }
  const NamedBuffer* missing = b0.pointer == nullptr                         ? &b0
                               : b1.pointer == nullptr                       ? &b1
                               : b2.name != nullptr && b2.pointer == nullptr ? &b2
                                                                             : nullptr;
  if (missing != nullptr) return fail(pnn_status_invalid_parameter, "%s is NULL", missing->name);
  *out = t;
  return pnn_status_success;
}

// Writes an optional out-parameter.
template <typename T>
inline void set_if(T* p, T v) {
  if (p != nullptr) *p = v;
}

// Floats of the NHWC tensor `what` ("input", "output"): [batch][height][width][channels] plus
// `extra` (an operator's zero row, when its image and that row must fit together). Fails with
// invalid_parameter and a reason when the count's bytes overflow size_t.
inline pnn_status nhwc_floats(const char* what, size_t batch, size_t height, size_t width,
                              size_t channels, size_t extra, size_t* floats) {
  size_t n = 0;
  const bool ok = checked_mul(batch, height, &n) && checked_mul(n, width, &n) &&
                  checked_mul(n, channels, &n) && checked_add(n, extra, &n) &&
                  n <= SIZE_MAX / sizeof(float);
  if (!ok) {
    return fail(pnn_status_invalid_parameter,
                "the %s (batch %zu x %zu x %zu x %zu channels) overflows size_t", what, batch,
                height, width, channels);
  }
  *floats = n - extra;
  return pnn_status_success;
}

// The setup of an operator that reads its input while it writes its output: check_setup, then
// the buffers must not overlap (T has input_count and output_count, in floats); on success binds
// them (T's input and output) and the operator is ready.
template <typename T>
pnn_status setup_disjoint(pnn_operator_t op, T** out, const float* input, float* output) {
  const pnn_status s = check_setup(op, out, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  if (ranges_overlap(input, (*out)->input_count, output, (*out)->output_count)) {
    *out = nullptr;
    return fail(pnn_status_invalid_parameter,
                "input and output overlap; the %s reads the input while it writes the output",
                op_type_name(T::kType));
  }
  (*out)->input = input;
  (*out)->output = output;
  (*out)->state = OpState::kReady;
  return pnn_status_success;
}

}  // namespace pnn
