// Reduce (sum, mean, max, min) over any set of axes of an N-D tensor. Reshape folds the shape
// with src/shape.h (normalize_reduction: size-1 dims dropped, adjacent reduced / kept dims
// merged), so the folded dims alternate kinds, and the innermost one decides the loop:
//  - innermost reduced (a row of n contiguous elements per step): each output element is the
//    combination, in order, of one rreduce kernel call (kernels/ukernels-norm.h) per row it
//    gathers; output elements are spread across threads;
//  - innermost kept (a row of c contiguous output elements): a sum or mean over a single reduced
//    dim (global pooling, a reduction over the batch) is one gavgpool kernel call per output row
//    (kernels/ukernels-pooling.h: the rows summed in order in registers, times 1 or 1/count);
//    otherwise each output row starts as a copy of the first input row it gathers, then
//    accumulates the others with the vbinary add / max / min kernel (y = y op x, elementwise).
//    Output rows, and column tiles of long ones, are spread across threads.
// Either way each output element is computed by one task in a fixed order, so the result does
// not depend on the thread count. Mean divides the sum by the reduced element count at the end
// (the gavgpool path multiplies by its reciprocal, rounded once).
#include <algorithm>
#include <cstring>

#include "checks.h"
#include "configs/norm-config.h"
#include "configs/pooling-config.h"
#include "configs/vbinary-config.h"
#include "operator.h"
#include "parallel.h"
#include "shape.h"

namespace {

using namespace pnn;

// Input elements per parallel task.
constexpr size_t kReduceTaskElements = 16384;
// Columns per task of the gavgpool path (rounded up to the kernel's channel tile).
constexpr size_t kPooledChannelsPerTask = 256;
// Column tiles of long kept rows are rounded to this many elements (64 bytes).
constexpr size_t kTileAlign = 16;

// Folded dims of one kind, outermost first, as a mixed-radix index space over input offsets.
struct DimSet {
  size_t count = 0;
  size_t size[PNN_MAX_DIMS] = {};
  size_t stride[PNN_MAX_DIMS] = {};
  size_t product = 1;

  // The input offset of the index-th combination (row-major over the dims).
  size_t offset(size_t index) const {
    size_t off = 0;
    for (size_t d = count; d-- > 0;) {
      off += index % size[d] * stride[d];
      index /= size[d];
    }
    return off;
  }
  void add(size_t s, size_t st) {
    size[count] = s;
    stride[count] = st;
    count++;
    product *= s;
  }
};

struct ReduceOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kReduce;
  ReduceOperator() : pnn_operator(kType) {}

  pnn_reduce_op op = pnn_reduce_sum;
  size_t num_axes = 0;
  int32_t axes[PNN_MAX_DIMS] = {};
  bool keep_dims = false;
  NormKernel<pnn_f32_rreduce_ukernel_fn> rreduce{};
  const VBinaryKernel* accumulate = nullptr;  // vop form of add / max / min
  const VBinaryKernel* divide = nullptr;      // vopc form of divide (mean)
  const GAvgPoolConfig* gavgpool = nullptr;   // sum / mean over one strided reduced dim
  pnn_f32_minmax_params no_clamp{-INFINITY, INFINITY};

  // Plan, from reshape.
  bool inner_reduced = false;
  size_t inner = 1;  // length of the innermost folded dim
  DimSet kept, reduced;  // the outer folded dims of each kind
  float divisor = 1.0f;  // mean: the reduced element count; otherwise 1
  bool pooled = false;   // innermost kept, one reduced dim, sum or mean: gavgpool
  pnn_f32_gavgpool_params pool_params{};
  size_t count_in = 0, count_out = 0;
  size_t tile_rows = 1, tile_cols = 1;

  const float* input = nullptr;
  float* output = nullptr;

  float combine(float a, float b) const {
    return op == pnn_reduce_max ? (a < b ? b : a) : op == pnn_reduce_min ? (b < a ? b : a) : a + b;
  }

  // Innermost dim reduced: output elements [start, start + count).
  static void rows_task(void* ctx, size_t start, size_t count) {
    const auto* t = static_cast<const ReduceOperator*>(ctx);
    for (size_t o = start; o < start + count; o++) {
      const float* base = t->input + t->kept.offset(o);
      float acc;
      t->rreduce.fn(t->inner, base + t->reduced.offset(0), &acc);
      for (size_t r = 1; r < t->reduced.product; r++) {
        float v;
        t->rreduce.fn(t->inner, base + t->reduced.offset(r), &v);
        acc = t->combine(acc, v);
      }
      t->output[o] = t->op == pnn_reduce_mean ? acc / t->divisor : acc;
    }
  }

  // Innermost dim kept: output rows [row, row + nrows), columns [col, col + ncols).
  static void columns_task(void* ctx, size_t row, size_t col, size_t nrows, size_t ncols) {
    const auto* t = static_cast<const ReduceOperator*>(ctx);
    for (size_t o = row; o < row + nrows; o++) {
      const float* base = t->input + t->kept.offset(o) + col;
      float* y = t->output + o * t->inner + col;
      if (t->pooled) {
        t->gavgpool->fn(t->reduced.size[0], ncols, base, t->reduced.stride[0], y, &t->pool_params);
        continue;
      }
      std::memcpy(y, base + t->reduced.offset(0), ncols * sizeof(float));
      for (size_t r = 1; r < t->reduced.product; r++) {
        t->accumulate->fn(ncols, y, base + t->reduced.offset(r), y, &t->no_clamp);
      }
      if (t->op == pnn_reduce_mean && t->divisor != 1.0f) {
        t->divide->fn(ncols, y, &t->divisor, y, &t->no_clamp);
      }
    }
  }

  void run(pnn_threadpool_t pool) override {
    if (inner_reduced) {
      parallelize_1d_tile(pool, rows_task, this, kept.product, tile_rows);
    } else {
      parallelize_2d_tile(pool, columns_task, this, kept.product, inner, tile_rows, tile_cols);
    }
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_reduce_nd_f32(pnn_reduce_op op_type, size_t num_axes, const int32_t* axes,
                                    uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  const int op = enum_value(op_type);
  if (op < pnn_reduce_sum || op > pnn_reduce_min) {
    return fail(pnn_status_invalid_parameter,
                "op_type is %d; it must be a pnn_reduce_op (pnn_reduce_sum to pnn_reduce_min)",
                op);
  }
  if (num_axes > PNN_MAX_DIMS) {
    return fail(pnn_status_invalid_parameter, "num_axes is %zu; it must be 0 to %d", num_axes,
                PNN_MAX_DIMS);
  }
  if (num_axes > 0 && axes == nullptr) {
    return fail(pnn_status_invalid_parameter, "axes is NULL with num_axes = %zu", num_axes);
  }
  for (size_t i = 0; i < num_axes; i++) {
    if (axes[i] < -PNN_MAX_DIMS || axes[i] >= PNN_MAX_DIMS) {
      return fail(pnn_status_invalid_parameter, "axes[%zu] is %d; it must be in [-%d, %d)", i,
                  static_cast<int>(axes[i]), PNN_MAX_DIMS, PNN_MAX_DIMS);
    }
  }
  s = check_flags(flags, PNN_FLAG_KEEP_DIMS, "PNN_FLAG_KEEP_DIMS");
  if (s != pnn_status_success) return s;
  const NormConfig* norm = get_norm_config();
  const int kernel_op = op == pnn_reduce_max   ? pnn_rreduce_max
                        : op == pnn_reduce_min ? pnn_rreduce_min
                                               : pnn_rreduce_sum;
  const pnn_binary_op binary = op == pnn_reduce_max   ? pnn_binary_maximum
                               : op == pnn_reduce_min ? pnn_binary_minimum
                                                      : pnn_binary_add;
  const VBinaryConfig* accumulate = get_vbinary_config(binary);
  const VBinaryConfig* divide = get_vbinary_config(pnn_binary_divide);
  if (norm->rreduce[kernel_op].fn == nullptr || accumulate->op.fn == nullptr ||
      divide->opc.fn == nullptr) {
    return fail(pnn_status_unsupported_hardware, "no reduce kernel runs on this CPU in this build");
  }

  auto* r = new_operator<ReduceOperator>();
  if (r == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  r->op = static_cast<pnn_reduce_op>(op);
  r->num_axes = num_axes;
  for (size_t i = 0; i < num_axes; i++) r->axes[i] = axes[i];
  r->keep_dims = (flags & PNN_FLAG_KEEP_DIMS) != 0;
  r->rreduce = norm->rreduce[kernel_op];
  r->accumulate = &accumulate->op;
  r->divide = &divide->opc;
  r->gavgpool = get_gavgpool_config();
  *op_out = r;
  return pnn_status_success;
}

pnn_status pnn_reshape_reduce_nd_f32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                     size_t* num_output_dims, size_t* output_shape,
                                     pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<ReduceOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  Reduction red;
  const pnn_status s = normalize_reduction({"num_dims", "shape", num_dims, shape}, t->num_axes,
                                           t->axes, t->keep_dims, &red);
  if (s != pnn_status_success) return s;

  // Commit the plan (nothing above touched the operator).
  const size_t last = red.num_dims - 1;
  t->inner_reduced = red.reduced[last];
  t->inner = red.size[last];
  t->kept = DimSet{};
  t->reduced = DimSet{};
  for (size_t d = 0; d < last; d++) {
    (red.reduced[d] ? t->reduced : t->kept).add(red.size[d], red.stride[d]);
  }
  t->divisor = static_cast<float>(red.reduced_count);
  t->pooled = !t->inner_reduced && t->reduced.count == 1 && t->op != pnn_reduce_max &&
              t->op != pnn_reduce_min && t->gavgpool->fn != nullptr;
  // Rounded once from double: the closest float to 1/count.
  t->pool_params = {t->op == pnn_reduce_mean
                        ? static_cast<float>(1.0 / static_cast<double>(red.reduced_count))
                        : 1.0f,
                    -INFINITY, INFINITY};
  t->count_out = red.count_out;
  t->count_in = red.count_out * red.reduced_count;
  // Work per output element (rows) or per output row (columns), in input elements.
  const size_t per_row = t->inner_reduced ? red.reduced_count : t->reduced.product * t->inner;
  t->tile_rows = max_size(1, kReduceTaskElements / per_row);
  t->tile_cols = t->inner;
  if (t->pooled) {
    // Whole kernel tiles of channels per task, as global average pooling splits them.
    t->tile_cols = min_size(t->inner, round_up(kPooledChannelsPerTask, t->gavgpool->channel_tile));
  } else if (!t->inner_reduced && per_row > kReduceTaskElements) {
    t->tile_cols = min_size(
        t->inner, round_up(max_size(1, kReduceTaskElements / t->reduced.product), kTileAlign));
  }
  t->kernel_name = t->inner_reduced ? t->rreduce.name
                  : t->pooled       ? t->gavgpool->name
                                    : t->accumulate->name;
  t->input = nullptr;
  t->output = nullptr;
  t->state = OpState::kNeedsSetup;
  set_if(num_output_dims, red.num_output_dims);
  if (output_shape != nullptr) {
    std::copy(red.output_shape, red.output_shape + red.num_output_dims, output_shape);
  }
  return pnn_status_success;
}

pnn_status pnn_setup_reduce_nd_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  ReduceOperator* t;
  const pnn_status s = check_setup(op, &t, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  if (ranges_overlap(input, t->count_in, output, t->count_out)) {
    return fail(pnn_status_invalid_parameter,
                "input and output overlap; their spans (%zu and %zu floats) must not share memory",
                t->count_in, t->count_out);
  }
  t->input = input;
  t->output = output;
  t->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
