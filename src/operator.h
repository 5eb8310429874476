// The operator base: type tag, lifecycle state and the run hook every operator implements.
#pragma once

#include <new>

#include "common.h"
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

  const pnn::OpType type;
  pnn::OpState state = pnn::OpState::kNeedsReshape;
  const char* kernel_name = "none";
};

namespace pnn {

// Common create-time checks: library initialized, op_out not NULL (and cleared).
inline pnn_status begin_create(pnn_operator_t* op_out) {
  if (op_out == nullptr) return pnn_status_invalid_parameter;
  *op_out = nullptr;
  if (!is_initialized()) return pnn_status_uninitialized;
  return pnn_status_success;
}

// Allocates an operator without throwing; NULL when out of memory.
template <typename T, typename... Args>
T* new_operator(Args&&... args) {
  return new (std::nothrow) T(static_cast<Args&&>(args)...);
}

// Downcast with a type check: NULL for a NULL op or an op of another type.
template <typename T>
T* operator_cast(pnn_operator_t op) {
  return op != nullptr && op->type == T::kType ? static_cast<T*>(op) : nullptr;
}

// Shared checks for pnn_setup_*: right type, reshaped, non-NULL pointers.
template <typename T>
pnn_status check_setup(pnn_operator_t op, T** out, const void* p0, const void* p1,
                       const void* p2 = reinterpret_cast<const void*>(1)) {
  T* t = operator_cast<T>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  if (op->state == OpState::kNeedsReshape) return pnn_status_invalid_state;
  if (p0 == nullptr || p1 == nullptr || p2 == nullptr) return pnn_status_invalid_parameter;
  *out = t;
  return pnn_status_success;
}

// Writes an optional out-parameter.
template <typename T>
inline void set_if(T* p, T v) {
  if (p != nullptr) *p = v;
}

}  // namespace pnn


