// Concatenate and split along one axis. Both are the same movement in opposite directions:
// with the shapes seen as [outer][axis dim * inner] (outer = the dims before the axis, inner
// = those after it), part k is `outer` rows of part_k * inner elements, and the whole tensor
// has rows of the summed length; part k's rows sit in the whole's rows at column
// offset_k = (sum of the parts before it) * inner. Each part is one 2-D copy planned by
// src/data-movement.h (the x32 copy kernel, rows folded: a part with one outer row is a single
// long copy split across threads). The parts run one after the other, each split across the
// pool; every element is written once, so results do not depend on threads.
#include <cstdint>

#include "checks.h"
#include "data-movement.h"
#include "shape.h"

namespace {

using namespace pnn;

template <OpType Type, bool Split>
struct PartsOperator final : pnn_operator {
  static constexpr OpType kType = Type;
  PartsOperator() : pnn_operator(Type) {}

  size_t parts = 0, axis = 0;  // from create
  // Planned at reshape, per part: the copy, where it sits in the whole tensor, its elements.
  MovePlan plan[PNN_MAX_CONCAT_PARTS];
  size_t offset[PNN_MAX_CONCAT_PARTS] = {};
  size_t count[PNN_MAX_CONCAT_PARTS] = {};
  size_t whole_count = 0;
  // Bound at setup: the whole tensor and the parts.
  const void* whole_in = nullptr;
  void* whole_out = nullptr;
  const void* part_in[PNN_MAX_CONCAT_PARTS] = {};
  void* part_out[PNN_MAX_CONCAT_PARTS] = {};

  void run(pnn_threadpool_t pool) override {
    for (size_t k = 0; k < parts; k++) {
      if (Split) {
        run_move(plan[k], static_cast<const float*>(whole_in) + offset[k], part_out[k], pool);
      } else {
        run_move(plan[k], part_in[k], static_cast<float*>(whole_out) + offset[k], pool);
      }
    }
  }

  // Plans the parts from the whole's shape (axis dim = the sum) and each part's axis dim.
  void commit(size_t num_dims, const size_t* whole, const size_t* part_dims, size_t total) {
    size_t outer = 1, inner = 1;
    for (size_t i = 0; i < axis; i++) outer *= whole[i];
    for (size_t i = axis + 1; i < num_dims; i++) inner *= whole[i];
    const size_t row = whole[axis] * inner;
    size_t column = 0;
    for (size_t k = 0; k < parts; k++) {
      const size_t cols = part_dims[k] * inner;
      StridedDims d;
      d.num_dims = 2;
      d.size[0] = outer;
      d.size[1] = cols;
      d.in_stride[0] = Split ? row : cols;
      d.out_stride[0] = Split ? cols : row;
      d.in_stride[1] = d.out_stride[1] = 1;
      plan[k] = plan_move(fold_strided(d));
      offset[k] = column;
      count[k] = outer * cols;
      column += cols;
    }
    whole_count = total;
    kernel_name = plan[0].kernel_name;
    state = OpState::kNeedsSetup;
  }
};

using ConcatenateOperator = PartsOperator<OpType::kConcatenate, false>;
using SplitOperator = PartsOperator<OpType::kSplit, true>;

template <typename T>
pnn_status create_parts(const char* parts_name, size_t parts, size_t axis, uint32_t flags,
                        pnn_operator_t* op_out) {
  return create_move<T>(
      flags, op_out,
      [&] {
        if (parts < 2 || parts > PNN_MAX_CONCAT_PARTS) {
          return fail(pnn_status_invalid_parameter, "%s is %zu; it must be 2 to %zu", parts_name,
                      parts, size_t{PNN_MAX_CONCAT_PARTS});
        }
        if (axis >= PNN_MAX_DIMS) {
          return fail(pnn_status_invalid_parameter,
                      "axis is %zu; it must be < PNN_MAX_DIMS (%zu)", axis, size_t{PNN_MAX_DIMS});
        }
        return pnn_status_success;
      },
      [&](T* op) {
        op->parts = parts;
        op->axis = axis;
      });
}

// The rank, and the axis against it.
pnn_status check_rank(size_t num_dims, size_t axis) {
  if (num_dims < 1 || num_dims > PNN_MAX_DIMS) {
    return fail(pnn_status_invalid_parameter, "num_dims is %zu; it must be 1 to %zu", num_dims,
                size_t{PNN_MAX_DIMS});
  }
  if (axis >= num_dims) {
    return fail(pnn_status_invalid_parameter,
                "axis (%zu, from create) is not below num_dims (%zu)", axis, num_dims);
  }
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_concatenate_nd_x32(size_t num_inputs, size_t axis, uint32_t flags,
                                         pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_parts<ConcatenateOperator>("num_inputs", num_inputs, axis, flags, op_out);
}

pnn_status pnn_reshape_concatenate_nd_x32(pnn_operator_t op, size_t num_dims,
                                          const size_t* input_shapes, size_t* output_shape,
                                          pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<ConcatenateOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  pnn_status s = check_rank(num_dims, t->axis);
  if (s != pnn_status_success) return s;
  if (input_shapes == nullptr) return fail(pnn_status_invalid_parameter, "input_shapes is NULL");
  size_t whole[PNN_MAX_DIMS];
  size_t part_dims[PNN_MAX_CONCAT_PARTS];
  for (size_t i = 0; i < num_dims; i++) whole[i] = input_shapes[i];
  whole[t->axis] = 0;
  for (size_t k = 0; k < t->parts; k++) {
    const size_t* shape = input_shapes + k * num_dims;
    for (size_t i = 0; i < num_dims; i++) {
      if (shape[i] == 0) {
        return fail(pnn_status_invalid_parameter,
                    "input_shapes[%zu] (input %zu, dim %zu) is 0; every dim must be >= 1",
                    k * num_dims + i, k, i);
      }
      if (i != t->axis && shape[i] != whole[i]) {
        return fail(pnn_status_invalid_parameter,
                    "input %zu has dim %zu = %zu but input 0 has %zu; inputs must agree on "
                    "every dim but the axis (%zu)",
                    k, i, shape[i], whole[i], t->axis);
      }
    }
    part_dims[k] = shape[t->axis];
    if (!checked_add(whole[t->axis], part_dims[k], &whole[t->axis])) {
      return fail(pnn_status_invalid_parameter, "the sum of the inputs' axis dims overflows");
    }
  }
  size_t total;
  s = check_element_count("the output shape", whole, num_dims, &total);
  if (s != pnn_status_success) return s;
  t->commit(num_dims, whole, part_dims, total);
  if (output_shape != nullptr) {
    for (size_t i = 0; i < num_dims; i++) output_shape[i] = whole[i];
  }
  return pnn_status_success;
}

pnn_status pnn_setup_concatenate_nd_x32(pnn_operator_t op, const void* const* inputs,
                                        void* output) {
  PNN_API_SCOPE();
  ConcatenateOperator* t;
  pnn_status s = check_setup(op, &t, {"inputs", inputs}, {"output", output});
  if (s != pnn_status_success) return s;
  for (size_t k = 0; k < t->parts; k++) {
    if (inputs[k] == nullptr) return fail(pnn_status_invalid_parameter, "inputs[%zu] is NULL", k);
    s = check_apart("output", output, t->whole_count, "an input", inputs[k], t->count[k]);
    if (s != pnn_status_success) return s;
  }
  for (size_t k = 0; k < t->parts; k++) t->part_in[k] = inputs[k];
  t->whole_out = output;
  t->state = OpState::kReady;
  return pnn_status_success;
}

pnn_status pnn_create_split_nd_x32(size_t num_outputs, size_t axis, uint32_t flags,
                                   pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_parts<SplitOperator>("num_outputs", num_outputs, axis, flags, op_out);
}

pnn_status pnn_reshape_split_nd_x32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                    const size_t* split_sizes, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<SplitOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  size_t total;
  pnn_status s = check_shape("num_dims", "shape", num_dims, shape, 1);
  if (s == pnn_status_success) s = check_rank(num_dims, t->axis);
  if (s == pnn_status_success) s = check_element_count("shape", shape, num_dims, &total);
  if (s != pnn_status_success) return s;
  if (split_sizes == nullptr) return fail(pnn_status_invalid_parameter, "split_sizes is NULL");
  size_t sum = 0;
  for (size_t k = 0; k < t->parts; k++) {
    if (split_sizes[k] == 0) {
      return fail(pnn_status_invalid_parameter, "split_sizes[%zu] is 0; each must be >= 1", k);
    }
    if (!checked_add(sum, split_sizes[k], &sum) || sum > shape[t->axis]) {
      return fail(pnn_status_invalid_parameter,
                  "split_sizes[0..%zu] sum past shape[axis] (%zu); they must sum to it exactly",
                  k, shape[t->axis]);
    }
  }
  if (sum != shape[t->axis]) {
    return fail(pnn_status_invalid_parameter,
                "split_sizes sum to %zu but shape[axis] is %zu; they must sum to it exactly", sum,
                shape[t->axis]);
  }
  t->commit(num_dims, shape, split_sizes, total);
  return pnn_status_success;
}

pnn_status pnn_setup_split_nd_x32(pnn_operator_t op, const void* input, void* const* outputs) {
  PNN_API_SCOPE();
  SplitOperator* t;
  pnn_status s = check_setup(op, &t, {"input", input}, {"outputs", outputs});
  if (s != pnn_status_success) return s;
  for (size_t k = 0; k < t->parts; k++) {
    if (outputs[k] == nullptr) {
      return fail(pnn_status_invalid_parameter, "outputs[%zu] is NULL", k);
    }
    s = check_apart("input", input, t->whole_count, "an output", outputs[k], t->count[k]);
    for (size_t j = 0; s == pnn_status_success && j < k; j++) {
      s = check_apart("two outputs", outputs[j], t->count[j], "another", outputs[k], t->count[k]);
    }
    if (s != pnn_status_success) return s;
  }
  for (size_t k = 0; k < t->parts; k++) t->part_out[k] = outputs[k];
  t->whole_in = input;
  t->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
