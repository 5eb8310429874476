// Binary elementwise operator with NumPy broadcasting. Reshape broadcasts and folds the two
// shapes with src/shape.h into the fewest loops that cover the broadcast (dims of output size 1
// dropped, adjacent dims that broadcast the same way merged), so the innermost loop is as long as
// possible and is one kernel call: vop when both operands run along it, vopc/vropc when one of them
// is a scalar along it. The outer loops and tiles of long rows are spread across threads.
#include <cstdint>

#include "checks.h"
#include "configs/vbinary-config.h"
#include "operator.h"
#include "parallel.h"
#include "shape.h"

namespace {

using namespace pnn;

// Elements per parallel task: big enough to amortize dispatch, small enough to balance 2 threads
// (a 1M-element row makes 64 tasks).
constexpr size_t kBinaryTile = 16384;
// Row tiles are rounded to this many elements so tiles start on 64-byte boundaries.
constexpr size_t kTileAlign = 16;
// At most PNN_MAX_DIMS merged dims: the innermost is the kernel's row, the others loop.
constexpr size_t kMaxOuter = PNN_MAX_DIMS - 1;

struct BinaryOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kBinary;
  BinaryOperator() : pnn_operator(kType) {}

  const VBinaryConfig* config = nullptr;
  pnn_f32_minmax_params params{};

  // Plan, from reshape. Outer loops outermost first, padded in front with size-1 dims.
  size_t outer_size[kMaxOuter] = {};
  size_t outer_stride_a[kMaxOuter] = {};  // elements; 0 where A is broadcast
  size_t outer_stride_b[kMaxOuter] = {};
  size_t rows = 0;     // product of outer_size
  size_t row_len = 0;  // innermost merged dim
  size_t count_a = 0, count_b = 0, count_out = 0;
  pnn_f32_vbinary_ukernel_fn kernel = nullptr;
  bool first_is_b = false;     // the row operand is B (vropc: A is the scalar along the row)
  bool second_is_row = false;  // vop: the second operand runs along the row as well
  RowTiles tiles = {1, 1};

  // Bound at setup.
  const float* a = nullptr;
  const float* b = nullptr;
  float* output = nullptr;

  static void task(void* ctx, size_t row, size_t col, size_t nrows, size_t ncols) {
    const auto* op = static_cast<const BinaryOperator*>(ctx);
    // Decompose the first row into outer indices, then step them like an odometer, moving the
    // operand offsets along (size_t wrap-around on a carry cancels out exactly).
    size_t idx[kMaxOuter];
    size_t off_a = 0, off_b = 0;
    size_t r = row;
    for (size_t d = kMaxOuter; d-- > 0;) {
      idx[d] = r % op->outer_size[d];
      r /= op->outer_size[d];
      off_a += idx[d] * op->outer_stride_a[d];
      off_b += idx[d] * op->outer_stride_b[d];
    }
    float* y = op->output + row * op->row_len + col;
    for (size_t i = 0; i < nrows; i++) {
      const float* pa = op->a + off_a;
      const float* pb = op->b + off_b;
      const float* first = op->first_is_b ? pb : pa;
      const float* second = op->first_is_b ? pa : pb;
      op->kernel(ncols, first + col, op->second_is_row ? second + col : second, y, &op->params);
      y += op->row_len;
      for (size_t d = kMaxOuter; d-- > 0;) {
        off_a += op->outer_stride_a[d];
        off_b += op->outer_stride_b[d];
        if (++idx[d] < op->outer_size[d]) break;
        off_a -= op->outer_size[d] * op->outer_stride_a[d];
        off_b -= op->outer_size[d] * op->outer_stride_b[d];
        idx[d] = 0;
      }
    }
  }

  void run(pnn_threadpool_t pool) override {
    // One thread: the whole output in one task (whole rows per kernel call); elements are
    // independent, so the results are those of the tiled run.
    if (threads_count(pool) <= 1) {
      task(this, 0, 0, rows, row_len);
      return;
    }
    parallelize_2d_tile(pool, task, this, rows, row_len, tiles.rows, tiles.cols);
  }
};

// The output may alias an input only exactly, and only an input of the output's shape (then
// every element is read before it is overwritten, by the same index).
pnn_status check_alias(const char* name, const float* in, size_t in_count, const float* out,
                       size_t out_count) {
  if (!ranges_overlap(in, in_count, out, out_count) || (in == out && in_count == out_count)) {
    return pnn_status_success;
  }
  return fail(pnn_status_invalid_parameter,
              "output overlaps %s; the output may only be %s itself, and only when %s has the "
              "output's shape (%zu elements; %s has %zu)",
              name, name, name, out_count, name, in_count);
}

}  // namespace

extern "C" {

pnn_status pnn_create_binary_elementwise_nd_f32(pnn_binary_op op_type, float output_min,
                                                float output_max, uint32_t flags,
                                                pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  const VBinaryConfig* config = get_vbinary_config(enum_value(op_type));
  if (config == nullptr) {
    return fail(pnn_status_invalid_parameter,
                "op_type is %d; it must be a pnn_binary_op (pnn_binary_add to pnn_binary_pow)",
                enum_value(op_type));
  }
  s = check_clamp("output_min", output_min, "output_max", output_max);
  if (s == pnn_status_success) s = check_flags(flags, 0, "none");
  if (s != pnn_status_success) return s;
  if (config->op.fn == nullptr || config->opc.fn == nullptr || config->ropc.fn == nullptr) {
    return fail(pnn_status_unsupported_parameter, "op_type %d has no kernel in this build",
                enum_value(op_type));
  }

  auto* op = new_operator<BinaryOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  op->config = config;
  op->params = pnn_f32_minmax_params{output_min, output_max};
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_binary_elementwise_nd_f32(pnn_operator_t op, size_t num_dims_a,
                                                 const size_t* shape_a, size_t num_dims_b,
                                                 const size_t* shape_b, size_t* num_output_dims,
                                                 size_t* output_shape, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* u = operator_cast<BinaryOperator>(op);
  if (u == nullptr) return pnn_status_invalid_parameter;
  Broadcast bc;
  const pnn_status s = broadcast_shapes({"num_dims_a", "shape_a", num_dims_a, shape_a},
                                        {"num_dims_b", "shape_b", num_dims_b, shape_b}, 1, &bc);
  if (s != pnn_status_success) return s;
  // The innermost folded dim is the kernel's row; the others loop (PNN_MAX_DIMS - 1 at most).
  const FoldedBroadcast f = fold_broadcast(bc);
  const size_t inner = f.num_dims - 1;

  // Commit the plan (nothing above touched the operator, so a failed reshape keeps the old one).
  const bool row_a = f.stride_a[inner] != 0, row_b = f.stride_b[inner] != 0;
  const VBinaryConfig* c = u->config;
  const VBinaryKernel& k = row_a && row_b ? c->op : row_a ? c->opc : c->ropc;
  u->kernel = k.fn;
  u->kernel_name = k.name;
  u->first_is_b = !row_a;
  u->second_is_row = row_a && row_b;
  u->row_len = f.size[inner];
  u->rows = 1;
  // Outer folded dims, right-aligned in the odometer, padded in front with size-1 dims.
  for (size_t d = 0; d < kMaxOuter; d++) {
    const size_t pad = kMaxOuter - inner;
    u->outer_size[d] = d < pad ? 1 : f.size[d - pad];
    u->outer_stride_a[d] = d < pad ? 0 : f.stride_a[d - pad];
    u->outer_stride_b[d] = d < pad ? 0 : f.stride_b[d - pad];
    u->rows *= u->outer_size[d];
  }
  u->tiles = plan_row_tiles(u->row_len, kBinaryTile, kTileAlign);
  u->count_a = bc.count_a;
  u->count_b = bc.count_b;
  u->count_out = bc.count_out;
  u->a = nullptr;
  u->b = nullptr;
  u->output = nullptr;
  u->state = OpState::kNeedsSetup;

  set_if(num_output_dims, bc.num_dims);
  if (output_shape != nullptr) {
    for (size_t i = 0; i < bc.num_dims; i++) output_shape[i] = bc.out[i];
  }
  return pnn_status_success;
}

pnn_status pnn_setup_binary_elementwise_nd_f32(pnn_operator_t op, const float* a, const float* b,
                                               float* output) {
  PNN_API_SCOPE();
  BinaryOperator* u;
  pnn_status s = check_setup(op, &u, {"a", a}, {"b", b}, {"output", output});
  if (s != pnn_status_success) return s;
  s = check_alias("a", a, u->count_a, output, u->count_out);
  if (s == pnn_status_success) s = check_alias("b", b, u->count_b, output, u->count_out);
  if (s != pnn_status_success) return s;
  u->a = a;
  u->b = b;
  u->output = output;
  u->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
