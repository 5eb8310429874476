// Unary elementwise operator: one kernel per op from the unary registry, rows split across
// threads in tiles of whole cache lines.
#include <cstring>

#include "allocator.h"
#include "configs/configs.h"
#include "operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// Elements per parallel task: big enough to amortize dispatch, small enough to balance 2 threads.
constexpr size_t kUnaryTile = 16384;

struct UnaryOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kUnary;
  UnaryOperator() : pnn_operator(kType) {}

  const UnaryConfig* config = nullptr;
  pnn_f32_unary_params params{};
  size_t count = 0;
  const float* input = nullptr;
  float* output = nullptr;

  static void task(void* ctx, size_t start, size_t n) {
    auto* op = static_cast<UnaryOperator*>(ctx);
    op->config->fn(n, op->input + start, op->output + start, &op->params);
  }

  void run(pnn_threadpool_t pool) override {
    // One thread: one kernel call over everything (one stream for the prefetchers, no per-tile
    // calls); elements are independent, so the results are those of the tiled run.
    if (threads_count(pool) <= 1) {
      task(this, 0, count);
      return;
    }
    parallelize_1d_tile(pool, task, this, count, kUnaryTile);
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_unary_elementwise_nc_f32(pnn_unary_op op_type_arg,
                                               const pnn_unary_params* params, uint32_t flags,
                                               pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  const int op_value = enum_value(op_type_arg);
  if (op_value < 0 || op_value > pnn_unary_exp) return pnn_status_invalid_parameter;
  const pnn_unary_op op_type = static_cast<pnn_unary_op>(op_value);
  const bool gelu_tanh = op_type == pnn_unary_gelu && (flags & PNN_FLAG_GELU_TANH_APPROXIMATION);
  const UnaryConfig* config = get_unary_config(gelu_tanh ? kUnaryGeluTanh : op_type);
  const uint32_t allowed = op_type == pnn_unary_gelu ? PNN_FLAG_GELU_TANH_APPROXIMATION : 0;
  if ((flags & ~allowed) != 0) return pnn_status_invalid_parameter;

  pnn_f32_unary_params kp{};
  switch (op_type) {
    case pnn_unary_clamp:
      if (params == nullptr || !valid_clamp(params->min, params->max))
        return pnn_status_invalid_parameter;
      kp.min = params->min;
      kp.max = params->max;
      break;
    case pnn_unary_leaky_relu:
      if (params == nullptr || !std::isfinite(params->negative_slope))
        return pnn_status_invalid_parameter;
      kp.slope = params->negative_slope;
      break;
    case pnn_unary_elu:
      if (params == nullptr || !std::isfinite(params->alpha)) return pnn_status_invalid_parameter;
      kp.alpha = params->alpha;
      break;
    default:
      break;
  }
  if (config->fn == nullptr) return pnn_status_unsupported_parameter;

  auto* op = new_operator<UnaryOperator>();
  if (op == nullptr) return pnn_status_out_of_memory;
  op->config = config;
  op->params = kp;
  op->kernel_name = config->name;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_unary_elementwise_nc_f32(pnn_operator_t op, size_t batch_size,
                                                size_t channels, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* u = operator_cast<UnaryOperator>(op);
  if (u == nullptr || batch_size == 0 || channels == 0) return pnn_status_invalid_parameter;
  size_t count;
  if (!checked_mul(batch_size, channels, &count) || count > SIZE_MAX / sizeof(float))
    return pnn_status_invalid_parameter;
  u->count = count;
  u->state = OpState::kNeedsSetup;
  return pnn_status_success;
}

pnn_status pnn_setup_unary_elementwise_nc_f32(pnn_operator_t op, const float* input,
                                              float* output) {
  PNN_API_SCOPE();
  UnaryOperator* u;
  pnn_status s = check_setup(op, &u, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  // In place is fine; a partial overlap would read elements the kernel already overwrote.
  if (input != output && ranges_overlap(input, u->count, output, u->count))
    return pnn_status_invalid_parameter;
  u->input = input;
  u->output = output;
  u->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
