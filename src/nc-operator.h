// The lifecycle the NC operators share: fully connected, unary elementwise, softmax and global
// average pooling. Each reads `rows` input rows and writes output rows, a row being a run of
// floats and consecutive rows a stride apart, and differs from the others only in its
// parameters, its task split and its run(). So, as XNNPACK's elementwise operators share one
// create/reshape/setup helper each, the steps around the kernels are written once here:
//
//   create   check_channels: the channel count's two rules (>= 1, a row of them fits size_t
//            bytes) with one wording, for the operators that take channels at create.
//   reshape  each operator has a plain and a strided reshape. Both public calls are one line,
//            reshape_operator<T>(op, strides, args...) (src/operator.h): the type check, then
//            T::reshape(strides, args...), then the state. T::reshape states its rows (names and
//            counts, as its reasons name them) and calls plan_nc_rows, which checks counts,
//            lengths and strides and plans the spans (src/shape.h plan_rows) before the operator
//            plans its tasks; nothing is written to the operator until the whole shape is valid.
//            The plain reshape passes NcStrides::dense(): each stride is its row length, and a
//            reason names the length ("channels is 0"), where the strided one names the stride
//            argument ("input_stride is 3; it must be >= channels (4)").
//   setup    setup_nc<T>: the buffers checked (type, reshaped, not NULL, spans apart unless T
//            runs in place: T::kInPlace) and bound to NcOperator's input and output.
//
// The helpers run at reshape and setup only; run() reads the planned fields directly.
#pragma once

#include <cstddef>

#include "operator.h"
#include "shape.h"

namespace pnn {

// The row strides a reshape call gives: the strided call's arguments, or dense rows (the plain
// call; each stride is its row length).
struct NcStrides {
  bool given = false;
  size_t input = 0, output = 0;  // floats between rows, when given

  static NcStrides dense() { return NcStrides{}; }
  static NcStrides of(size_t input_stride, size_t output_stride) {
    return NcStrides{true, input_stride, output_stride};
  }
};

// One operand's rows as a reshape names them: `rows` rows of `length` floats.
struct NcRows {
  const char* rows_name;
  size_t rows;
  const char* length_name;
  size_t length;
};

// Plans an NC operator's rows from the input and output rows and the strides of a reshape:
// invalid_parameter with a reason when a count or a length is 0, a stride is below its row
// length, or a span's bytes overflow size_t (then *layout is untouched).
pnn_status plan_nc_rows(const NcRows& input, const NcRows& output, const NcStrides& strides,
                        RowLayout* layout);

// The base of NC operator types: its OpType, whether setup accepts the output in place of the
// input (the same rows; any other overlap is rejected), and the rows and buffers.
template <OpType Type, bool InPlace>
struct NcOperator : pnn_operator {
  static constexpr OpType kType = Type;
  static constexpr bool kInPlace = InPlace;
  NcOperator() : pnn_operator(Type) {}

  RowLayout rows;                // set at reshape
  const float* input = nullptr;  // set at setup
  float* output = nullptr;
};

// Create-time rule for an operator that takes its channel count at create.
pnn_status check_channels(size_t channels);

// The body of pnn_setup_* of NC operator T.
template <typename T>
pnn_status setup_nc(pnn_operator_t op, const float* input, float* output) {
  T* t;
  pnn_status s = check_setup(op, &t, {"input", input}, {"output", output});
  if (s == pnn_status_success) s = check_rows_overlap(input, output, t->rows, T::kInPlace);
  if (s != pnn_status_success) return s;
  t->input = input;
  t->output = output;
  t->state = OpState::kReady;
  return pnn_status_success;
}

}  // namespace pnn
