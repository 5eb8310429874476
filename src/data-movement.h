// The one executor of the data-movement operators (transpose, depth-to-space, space-to-depth,
// slice, concatenate, split): each describes what it moves as strided dims (src/shape.h
// StridedDims, folded), and plan_move turns that into outer loops around one 2-D x32 kernel
// call (kernels/ukernels-x32.h) over the two dims that matter:
//
//   copy       one dim is contiguous in both the input and the output: rows of it, the row
//              dim being the innermost other dim of the output (its strides may be anything);
//   transpose  the dim contiguous in the output is another than the one contiguous in the
//              input: the x32 transpose kernel over those two (the output's as its rows, the
//              input's as its columns). With no input-contiguous dim (a slice with a step in
//              every kept dim) it is a gather of one column, rows[i * x_stride] into y[i];
//              with no output-contiguous dim (a one-column part of a concatenate) a scatter
//              of one row.
//
// The outer dims (up to PNN_MAX_DIMS - 1) are an odometer. Work is split into tiles of
// (outer index, rows, cols), so a single long row or a single big 2-D block still feeds every
// thread; every element is written by exactly one tile, so results do not depend on threads.
// Planning happens at reshape (nothing allocates), running at run.
#pragma once

#include <cstddef>

#include "checks.h"
#include "operator.h"
#include "portnn.h"
#include "shape.h"
#include "ukernels-x32.h"

namespace pnn {

struct MovePlan {
  static constexpr size_t kMaxOuter = PNN_MAX_DIMS - 1;
  bool transpose = false;  // the transpose kernel (transpose, gather); the copy kernel otherwise
  pnn_x32_copy_ukernel_fn copy = nullptr;
  pnn_x32_transpose_ukernel_fn transpose_fn = nullptr;
  const char* kernel_name = "none";
  // Outer dims, outermost first (strides in elements).
  size_t outer_dims = 0;
  size_t outer_size[kMaxOuter] = {};
  size_t outer_in[kMaxOuter] = {};
  size_t outer_out[kMaxOuter] = {};
  size_t outer_count = 1;
  // The kernel's 2-D block: copy y[r * y_stride + c] = x[r * x_stride + c]; transpose
  // y[c * y_stride + r] = x[r * x_stride + c].
  size_t rows = 1, cols = 1, x_stride = 1, y_stride = 1;
  size_t tile_rows = 1, tile_cols = 1;
};

// Plans the movement of `dims` (folded: at most one dim of stride 1 per side) with the x32
// kernels selected for this process.
MovePlan plan_move(const StridedDims& dims);

// Moves the elements: x and y point at element (0, ..., 0) of the input and the output.
void run_move(const MovePlan& plan, const void* x, void* y, pnn_threadpool_t pool);

// The elements a dense row-major shape holds, and its strides (in elements, innermost 1).
void dense_strides(size_t num_dims, const size_t* shape, size_t* strides);

// Setup's overlap rule of the data-movement operators: invalid_parameter with a reason naming
// both buffers when [a, a + a_count) and [b, b + b_count) (elements) share memory.
pnn_status check_apart(const char* a_name, const void* a, size_t a_count, const char* b_name,
                       const void* b, size_t b_count);

// setup_move also serves pad, which has the same buffer fields.
// The base of the operators that are one MovePlan from one input to one output (transpose,
// depth-to-space, space-to-depth, slice): reshape commits a plan, setup binds the buffers
// (setup_move), run runs the plan.
template <OpType Type>
struct MoveOperator : pnn_operator {
  static constexpr OpType kType = Type;
  MoveOperator() : pnn_operator(Type) {}

  MovePlan plan;
  size_t input_count = 0, output_count = 0;  // elements each buffer spans
  size_t input_offset = 0;                   // elements before the first one read (slice)
  const void* input = nullptr;
  void* output = nullptr;

  // Takes a plan made by a successful reshape (the last step of every reshape).
  void commit(const MovePlan& p, size_t in_count, size_t out_count, size_t offset = 0) {
    plan = p;
    input_count = in_count;
    output_count = out_count;
    input_offset = offset;
    kernel_name = p.kernel_name;
    input = nullptr;
    output = nullptr;
  }

  void run(pnn_threadpool_t pool) override {
    run_move(plan, static_cast<const float*>(input) + input_offset, output, pool);
  }
};

// The body of pnn_setup_* of a MoveOperator type T.
template <typename T>
pnn_status setup_move(pnn_operator_t op, const void* input, void* output) {
  T* t;
  pnn_status s = check_setup(op, &t, {"input", input}, {"output", output});
  if (s == pnn_status_success) {
    s = check_apart("input", input, t->input_count, "output", output, t->output_count);
  }
  if (s != pnn_status_success) return s;
  t->input = input;
  t->output = output;
  t->state = OpState::kReady;
  return pnn_status_success;
}

// The body of a data-movement create call: op_out and initialization (begin_create), then
// `check()` (the operator's own parameters; a status), then flags (these operators take none),
// then a new T given to `init(T*)`.
template <typename T, typename Check, typename Init>
pnn_status create_move(uint32_t flags, pnn_operator_t* op_out, Check check, Init init) {
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check();
  if (s == pnn_status_success) s = check_flags(flags, 0, "none");
  if (s != pnn_status_success) return s;
  T* op = new_operator<T>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  init(op);
  *op_out = op;
  return pnn_status_success;
}
inline pnn_status no_check() { return pnn_status_success; }
template <typename T>
void no_init(T*) {}

// Plans a dense transpose of a normalized permutation (src/shape.h normalize_permutation).
MovePlan plan_transpose(const Permutation& p);

}  // namespace pnn
