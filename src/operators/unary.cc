// Unary elementwise operator: one kernel per op from the unary registry. The kernels work on
// contiguous runs, so a dense tensor (row strides equal to the channel count) is one run, split
// across threads in tiles of whole cache lines, while strided rows are one run each: rows are
// grouped, and long rows cut, into tiles of about the same size.
#include <cstring>

#include "allocator.h"
#include "checks.h"
#include "configs/configs.h"
#include "epilogue.h"
#include "nc-operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// Elements per parallel task: big enough to amortize dispatch, small enough to balance 2 threads.
constexpr size_t kUnaryTile = 16384;
// Column tiles of long strided rows are rounded to this many elements (64 bytes).
constexpr size_t kTileAlign = 16;

// In place is fine (the same rows); a partial overlap would read elements the kernel already
// overwrote.
struct UnaryOperator final : NcOperator<OpType::kUnary, /*in_place=*/true> {
  const UnaryConfig* config = nullptr;
  pnn_f32_unary_params params{};
  // Set at reshape. Dense: the whole tensor is one run of `count` elements.
  bool dense = true;
  size_t count = 0;
  size_t batch = 0, channels = 0;
  RowTiles tiles = {1, 1};  // strided rows

  static void task(void* ctx, size_t start, size_t n) {
    auto* op = static_cast<UnaryOperator*>(ctx);
    op->config->fn(n, op->input + start, op->output + start, &op->params);
  }

  static void strided_task(void* ctx, size_t row, size_t col, size_t rows, size_t cols) {
    auto* op = static_cast<UnaryOperator*>(ctx);
    const size_t input_stride = op->rows.input_stride, output_stride = op->rows.output_stride;
    const float* x = op->input + row * input_stride + col;
    float* y = op->output + row * output_stride + col;
    for (size_t r = 0; r < rows; r++) {
      op->config->fn(cols, x, y, &op->params);
      x += input_stride;
      y += output_stride;
    }
  }

  void run(pnn_threadpool_t pool) override {
    // One thread: one task over everything (for a dense tensor one kernel call: one stream for
    // the prefetchers, no per-tile calls); elements are independent, so the results are those
    // of the tiled run.
    if (threads_count(pool) <= 1) {
      if (dense) {
        task(this, 0, count);
      } else {
        strided_task(this, 0, 0, batch, channels);
      }
      return;
    }
    if (dense) {
      parallelize_1d_tile(pool, task, this, count, kUnaryTile);
    } else {
      parallelize_2d_tile(pool, strided_task, this, batch, channels, tiles.rows, tiles.cols);
    }
  }

  pnn_status reshape(const NcStrides& strides, size_t batch_size, size_t row_length) {
    const NcRows r = {"batch_size", batch_size, "channels", row_length};
    const pnn_status s = plan_nc_rows(r, r, strides, &rows);
    if (s != pnn_status_success) return s;
    dense = rows.input_stride == row_length && rows.output_stride == row_length;
    count = batch_size * row_length;  // bounded by the spans
    batch = batch_size;
    channels = row_length;
    tiles = plan_row_tiles(row_length, kUnaryTile, kTileAlign);  // for strided rows
    return pnn_status_success;
  }
};

}  // namespace

namespace pnn {

bool unary_epilogue(pnn_operator_t op, Epilogue* out) {
  if (op == nullptr || op->type != UnaryOperator::kType) return false;
  const auto* u = static_cast<const UnaryOperator*>(op);
  out->fn = u->config->fn;
  out->params = u->params;
  return true;
}

}  // namespace pnn

extern "C" {

pnn_status pnn_create_unary_elementwise_nc_f32(pnn_unary_op op_type_arg,
                                               const pnn_unary_params* params, uint32_t flags,
                                               pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  const int op_value = enum_value(op_type_arg);
  if (op_value < 0 || op_value > kUnaryLastOp) {
    return fail(pnn_status_invalid_parameter,
                "op_type is %d; it must be a pnn_unary_op (pnn_unary_clamp to pnn_unary_softplus)",
                op_value);
  }
  const pnn_unary_op op_type = static_cast<pnn_unary_op>(op_value);
  const bool gelu_tanh = op_type == pnn_unary_gelu && (flags & PNN_FLAG_GELU_TANH_APPROXIMATION);
  const UnaryConfig* config = get_unary_config(gelu_tanh ? kUnaryGeluTanh : op_type);
  s = op_type == pnn_unary_gelu
          ? check_flags(flags, PNN_FLAG_GELU_TANH_APPROXIMATION, "PNN_FLAG_GELU_TANH_APPROXIMATION")
          : check_flags(flags, 0, "none; PNN_FLAG_GELU_TANH_APPROXIMATION is for gelu only");
  if (s != pnn_status_success) return s;

  pnn_f32_unary_params kp{};
  const bool needs_params = op_type == pnn_unary_clamp || op_type == pnn_unary_leaky_relu ||
                            op_type == pnn_unary_elu || op_type == pnn_unary_hard_sigmoid;
  if (needs_params && params == nullptr) {
    return fail(pnn_status_invalid_parameter,
                "params is NULL; clamp, leaky relu, elu and hard sigmoid take their parameters "
                "from it");
  }
  switch (op_type) {
    case pnn_unary_clamp:
      s = check_clamp("params->min", params->min, "params->max", params->max);
      if (s != pnn_status_success) return s;
      kp.min = params->min;
      kp.max = params->max;
      break;
    case pnn_unary_leaky_relu:
      s = check_finite("params->negative_slope", params->negative_slope);
      if (s != pnn_status_success) return s;
      kp.slope = params->negative_slope;
      break;
    case pnn_unary_elu:
      s = check_finite("params->alpha", params->alpha);
      if (s != pnn_status_success) return s;
      kp.alpha = params->alpha;
      break;
    case pnn_unary_hard_sigmoid:
      s = check_finite("params->alpha", params->alpha);
      if (s == pnn_status_success) s = check_finite("params->beta", params->beta);
      if (s != pnn_status_success) return s;
      kp.alpha = params->alpha;
      kp.beta = params->beta;
      break;
    default:
      break;
  }
  if (config->fn == nullptr) {
    return fail(pnn_status_unsupported_parameter, "op_type %d has no kernel in this build",
                op_value);
  }

  auto* op = new_operator<UnaryOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  op->config = config;
  op->params = kp;
  op->kernel_name = config->name;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_unary_elementwise_nc_f32(pnn_operator_t op, size_t batch_size,
                                                size_t channels, pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_operator<UnaryOperator>(op, NcStrides::dense(), batch_size, channels);
}

pnn_status pnn_reshape_unary_elementwise_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                                        size_t channels, size_t input_stride,
                                                        size_t output_stride, pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_operator<UnaryOperator>(op, NcStrides::of(input_stride, output_stride), batch_size,
                                         channels);
}

pnn_status pnn_setup_unary_elementwise_nc_f32(pnn_operator_t op, const float* input,
                                              float* output) {
  PNN_API_SCOPE();
  return setup_nc<UnaryOperator>(op, input, output);
}

}  // extern "C"
