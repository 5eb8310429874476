// Shape arithmetic that more than one operator needs, written once: NumPy broadcasting of two
// shapes, folding a broadcast into the fewest loops, permutation normalization (transpose) and
// slice normalization (ONNX Slice), with overflow-checked element counts and the span of rows
// with a stride (the NC operators' strided rows).
//
// Why it is shaped so:
//  - Every function validates what it is given and records a reason through pnn::fail naming
//    the caller's argument ("shape_a[2] = 3 and shape_b[1] = 4 do not broadcast; ..."), so an
//    operator's reshape is "call the module, return its status" and the JS layer never has to
//    copy the rules to explain a failure. Argument names are passed in because the same rule
//    reads "shape_a" in binary and "batch_dims_a" in batch matmul.
//  - Results are plain fixed-size structs (at most PNN_MAX_DIMS dims): nothing allocates, and a
//    failed call leaves the caller's operator untouched because nothing is written to it until
//    the whole shape is known to be valid.
//  - Folding is separate from validation: operators that loop over a shape (binary, batch
//    matmul's batch, transpose) want the fewest, longest loops, and the rule "merge adjacent
//    dims that are contiguous in every operand, drop dims of size 1" is the same for all.
//  - Element counts are in floats and must also fit a size_t of bytes, the one bound every
//    operator needs before it computes an address.
#pragma once

#include <cstddef>
#include <cstdint>

#include "portnn.h"

namespace pnn {

// True when the product of dims[0..num_dims) fits a size_t and that many floats fit a size_t of
// bytes; *count = the product then (1 for num_dims == 0). *count is untouched on false.
bool element_count(const size_t* dims, size_t num_dims, size_t* count);

// A shape argument: rank in [min_rank, PNN_MAX_DIMS], dims not NULL when the rank is not 0,
// every dim >= 1; invalid_parameter with a reason naming rank_name / dims_name otherwise.
pnn_status check_shape(const char* rank_name, const char* dims_name, size_t num_dims,
                       const size_t* dims, size_t min_rank);
// element_count, or invalid_parameter with a reason naming `what` ("shape", "the output
// shape") when the count in bytes overflows size_t.
pnn_status check_element_count(const char* what, const size_t* dims, size_t num_dims,
                               size_t* count);

// Rows of an NC operand: `rows` rows of `length` floats placed `stride` floats apart, with the
// caller's names for each (used in reasons).
struct RowsArg {
  const char* rows_name;
  size_t rows;
  const char* length_name;
  size_t length;
  const char* stride_name;
  size_t stride;
};

// The elements the rows span, (rows - 1) * stride + length. invalid_parameter with a reason
// when rows or length is 0, stride < length or the span's size in bytes overflows size_t; *span
// is written only on success.
pnn_status row_span(const RowsArg& r, size_t* span);

// An NC operator's input and output rows, planned at reshape.
struct RowLayout {
  size_t input_stride = 0, output_stride = 0;  // floats between rows
  size_t input_span = 0, output_span = 0;      // floats from the first row to the last's end
};
// row_span of both; *out is written only on success. The stride of a single row is recorded
// as its length (it is never taken).
pnn_status plan_rows(const RowsArg& input, const RowsArg& output, RowLayout* out);
// The setup check of NC buffers: invalid_parameter with a reason when the input and output
// spans share memory, unless `in_place_ok` and they are the same rows (same pointer and
// stride). Spans are compared, so rows of one buffer that interleave count as overlapping.
pnn_status check_rows_overlap(const float* input, const float* output, const RowLayout& rows,
                              bool in_place_ok);

// A shape argument of a public call, named as the caller's parameters are named.
struct ShapeArg {
  const char* rank_name;  // e.g. "num_dims_a"
  const char* dims_name;  // e.g. "shape_a"
  size_t num_dims;
  const size_t* dims;  // may be NULL only when num_dims == 0
};

// Two shapes aligned at their last dim, missing leading dims counted as 1.
struct Broadcast {
  size_t num_dims = 0;  // max of the two ranks
  size_t a[PNN_MAX_DIMS] = {};
  size_t b[PNN_MAX_DIMS] = {};
  size_t out[PNN_MAX_DIMS] = {};
  size_t count_a = 0, count_b = 0, count_out = 0;  // elements (1 for rank 0)
};

// NumPy broadcasting: each rank in [min_rank, PNN_MAX_DIMS], every dim >= 1, each aligned pair
// equal or one of them 1, the output's element count (and so both operands') within
// element_count's bound. invalid_parameter with a reason otherwise; *out is written only on
// success.
pnn_status broadcast_shapes(const ShapeArg& a, const ShapeArg& b, size_t min_rank, Broadcast* out);

// A broadcast folded into the fewest loops, outermost first: output dims of size 1 are dropped,
// and adjacent dims are merged when each operand either runs along both or is broadcast along
// both (then the merged dim is contiguous in every operand that runs along it). Strides are in
// elements of each operand (0 where it is broadcast). At least one dim: a single element folds
// to one dim of size 1.
struct FoldedBroadcast {
  size_t num_dims = 0;
  size_t size[PNN_MAX_DIMS] = {};
  size_t stride_a[PNN_MAX_DIMS] = {};
  size_t stride_b[PNN_MAX_DIMS] = {};
};
FoldedBroadcast fold_broadcast(const Broadcast& bc);

// A transpose: output dim j is input dim perm[j]. Normalized: input dims of size 1 dropped, and
// input dims i, i + 1 merged when they stay adjacent and in order in the output, so the same
// data movement is described with the fewest dims (at least one).
struct Permutation {
  size_t num_dims = 0;
  size_t shape[PNN_MAX_DIMS] = {};  // folded input shape
  size_t perm[PNN_MAX_DIMS] = {};   // folded permutation
  size_t count = 0;                 // elements
};
// num_dims in [1, PNN_MAX_DIMS]; shape and perm not NULL; every dim >= 1; perm a permutation
// of 0..num_dims-1 (no entry out of range, none repeated); element count within bound.
pnn_status normalize_permutation(size_t num_dims, const size_t* shape, const size_t* perm,
                                 Permutation* out);

// A slice with ONNX semantics, step >= 1: per dim, a negative begin or end counts from the end
// (adds dim), then both are clamped to [0, dim]; the slice takes begin, begin + step, ... below
// end. Values of any magnitude are accepted (INT64_MIN / INT64_MAX mean "from the start" / "to
// the end").
struct Slice {
  size_t num_dims = 0;
  size_t offset[PNN_MAX_DIMS] = {};  // first element taken, per dim
  size_t size[PNN_MAX_DIMS] = {};    // elements taken, per dim (>= 1)
  size_t step[PNN_MAX_DIMS] = {};    // clamped to the dim (a larger step takes one element)
};
// num_dims in [1, PNN_MAX_DIMS]; shape, begins and ends not NULL; steps NULL (all 1) or each
// >= 1; every dim >= 1; element count within bound; every dim must keep at least one element
// (the library has no empty tensors).
pnn_status normalize_slice(size_t num_dims, const size_t* shape, const int64_t* begins,
                           const int64_t* ends, const int64_t* steps, Slice* out);

// A data movement over strided dims, outermost first in the output's order: element
// (i_0, ..., i_{n-1}) is read at sum i_d * in_stride[d] and written at sum i_d * out_stride[d]
// (strides in elements). Slice, concatenate and split describe their copies so; transpose
// after normalize_permutation.
struct StridedDims {
  size_t num_dims = 0;
  size_t size[PNN_MAX_DIMS] = {}, in_stride[PNN_MAX_DIMS] = {}, out_stride[PNN_MAX_DIMS] = {};
};
// The same movement with the fewest dims: dims of size 1 dropped, and dims d, d + 1 merged
// when d steps over exactly all of d + 1 in both the input and the output. At least one dim
// (a single element folds to one dim of size 1, strides 1).
StridedDims fold_strided(const StridedDims& dims);

}  // namespace pnn

namespace pnn {

// An axis argument that may count from the end (ONNX): axis in [-num_dims, num_dims), a
// negative one adding num_dims. invalid_parameter naming `name` otherwise; *out written only on
// success.
pnn_status normalize_axis(const char* name, int32_t axis, size_t num_dims, size_t* out);

// A reduction of a shape over a set of axes, folded for the loops that run it: dims of size 1
// dropped, adjacent dims of the same kind (reduced or kept) merged, so the folded dims alternate
// kinds (at most PNN_MAX_DIMS, at least one: a single element folds to one kept dim of size 1).
struct Reduction {
  size_t num_output_dims = 0;
  size_t output_shape[PNN_MAX_DIMS] = {};  // keep_dims: reduced dims as 1; else dropped
  size_t count_out = 0;                    // output elements
  size_t reduced_count = 0;                // input elements per output element (the mean's divisor)
  size_t num_dims = 0;                     // folded, outermost first
  size_t size[PNN_MAX_DIMS] = {};
  size_t stride[PNN_MAX_DIMS] = {};  // input elements between neighbours along the folded dim
  bool reduced[PNN_MAX_DIMS] = {};
};
// shape: rank 0 to PNN_MAX_DIMS, every dim >= 1, element count within element_count's bound;
// axes (`num_axes` of them, NULL only when 0) each in [-rank, rank), none naming a dim twice.
// No axes: nothing is reduced (each output element is its input element). invalid_parameter
// with a reason otherwise; *out is written only on success.
pnn_status normalize_reduction(const ShapeArg& shape, size_t num_axes, const int32_t* axes,
                               bool keep_dims, Reduction* out);

}  // namespace pnn

namespace pnn {

// A dense shape split at one axis into [outer][dim][inner]: outer the product of the dims
// before it, inner of those after it.
struct AxisSplit {
  size_t axis = 0;  // resolved (non-negative)
  size_t outer = 1, dim = 1, inner = 1;
};
// shape: rank 1 to PNN_MAX_DIMS, every dim >= 1, element count within element_count's bound;
// `axis` (named "axis" in reasons) in [-rank, rank). invalid_parameter with a reason otherwise;
// *out written only on success.
pnn_status split_at_axis(const ShapeArg& shape, int32_t axis, AxisSplit* out);

}  // namespace pnn
