// Slice N-D with steps (ONNX Slice, steps >= 1). Reshape normalizes the bounds with src/shape.h
// normalize_slice (negative bounds from the end, clamping), then describes the slice as a
// strided movement (input stride of dim d = its dense stride times its step, starting at the
// first element taken), folds it (dims taken whole merge with the dim outside them) and plans
// it with src/data-movement.h: rows copied by the x32 copy kernel when the innermost kept dim
// has step 1, a gather otherwise.
#include <cstdint>

#include "checks.h"
#include "data-movement.h"
#include "shape.h"

using pnn::OpType;
using SliceOperator = pnn::MoveOperator<OpType::kSlice>;

extern "C" {

pnn_status pnn_create_slice_nd_x32(uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return pnn::create_move<SliceOperator>(flags, op_out, pnn::no_check, pnn::no_init<SliceOperator>);
}

pnn_status pnn_reshape_slice_nd_x32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                    const int64_t* begins, const int64_t* ends,
                                    const int64_t* steps, size_t* output_shape, pnn_threadpool_t) {
  PNN_API_SCOPE();
  using namespace pnn;
  auto* t = operator_cast<SliceOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  Slice sl;
  const pnn_status s = normalize_slice(num_dims, shape, begins, ends, steps, &sl);
  if (s != pnn_status_success) return s;
  size_t in_stride[PNN_MAX_DIMS];
  dense_strides(num_dims, shape, in_stride);
  StridedDims d;
  d.num_dims = num_dims;
  size_t offset = 0;
  for (size_t i = 0; i < num_dims; i++) {
    d.size[i] = sl.size[i];
    d.in_stride[i] = in_stride[i] * sl.step[i];  // within the input's span: step <= dim
    offset += sl.offset[i] * in_stride[i];
  }
  dense_strides(num_dims, d.size, d.out_stride);
  size_t in_count, out_count;
  element_count(shape, num_dims, &in_count);
  element_count(d.size, num_dims, &out_count);
  // The input span bound at setup is the whole input (the slice reads inside it).
  t->commit(plan_move(fold_strided(d)), in_count, out_count, offset);
  t->state = OpState::kNeedsSetup;
  if (output_shape != nullptr) {
    for (size_t i = 0; i < num_dims; i++) output_shape[i] = sl.size[i];
  }
  return pnn_status_success;
}

pnn_status pnn_setup_slice_nd_x32(pnn_operator_t op, const void* input, void* output) {
  PNN_API_SCOPE();
  return pnn::setup_move<SliceOperator>(op, input, output);
}

}  // extern "C"
