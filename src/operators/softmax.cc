// Softmax over the channels of [batch][channels]: per row, the maximum, then exp(x - max)
// stored while summing, then a scale by 1/sum (kernels/ukernels-softmax.h). Rows are
// independent and each is computed whole by one thread, so the result does not depend on the
// number of threads. Rows may be strided (each row is its own kernel calls anyway).
#include <cstdint>

#include "checks.h"
#include "configs/softmax-config.h"
#include "operator.h"
#include "parallel.h"
#include "shape.h"

namespace {

using namespace pnn;

// Elements per parallel task: rows are grouped until a task has about this many, enough to
// amortize dispatch while still splitting a small batch of long rows across 2 threads.
constexpr size_t kSoftmaxTaskElements = 4096;

struct SoftmaxOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kSoftmax;
  SoftmaxOperator() : pnn_operator(kType) {}

  const SoftmaxConfig* config = nullptr;
  size_t channels = 0;
  size_t batch = 0;
  RowLayout rows;
  size_t rows_per_task = 1;
  const float* input = nullptr;
  float* output = nullptr;

  static void task(void* ctx, size_t start, size_t rows) {
    const auto* op = static_cast<const SoftmaxOperator*>(ctx);
    const SoftmaxConfig* k = op->config;
    const size_t c = op->channels;
    for (size_t r = start; r < start + rows; r++) {
      const float* x = op->input + r * op->rows.input_stride;
      float* y = op->output + r * op->rows.output_stride;
      float max;
      k->rmax(c, x, &max);
      float sum;
      k->raddstoreexpminusmax(c, x, max, y, &sum);
      // One division per row; the kernel then multiplies.
      k->vscale(c, y, 1.0f / sum, y);
    }
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_1d_tile(pool, task, this, batch, rows_per_task);
  }
};

// Both reshapes: the plain one passes the channel count as strides (named as such in reasons).
pnn_status reshape(SoftmaxOperator* sm, size_t batch_size, size_t input_stride,
                   const char* input_stride_name, size_t output_stride,
                   const char* output_stride_name) {
  if (batch_size == 0) {
    return fail(pnn_status_invalid_parameter, "batch_size is 0; it must be >= 1");
  }
  const pnn_status s = plan_rows(
      {"batch_size", batch_size, "channels", sm->channels, input_stride_name, input_stride},
      {"batch_size", batch_size, "channels", sm->channels, output_stride_name, output_stride},
      &sm->rows);
  if (s != pnn_status_success) return s;
  sm->batch = batch_size;
  sm->rows_per_task = max_size(1, kSoftmaxTaskElements / sm->channels);
  sm->kernel_name = sm->config->raddstoreexpminusmax_name;
  sm->state = OpState::kNeedsSetup;
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_softmax_nc_f32(size_t channels, uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (channels == 0) return fail(pnn_status_invalid_parameter, "channels is 0; it must be >= 1");
  if (channels > SIZE_MAX / sizeof(float)) {
    return fail(pnn_status_invalid_parameter, "channels (%zu) floats overflow size_t bytes",
                channels);
  }
  s = check_flags(flags, 0, "none");
  if (s != pnn_status_success) return s;
  const SoftmaxConfig* config = get_softmax_config();
  if (config->rmax == nullptr || config->raddstoreexpminusmax == nullptr ||
      config->vscale == nullptr) {
    return fail(pnn_status_unsupported_parameter, "softmax has no kernels in this build");
  }

  auto* op = new_operator<SoftmaxOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  op->config = config;
  op->channels = channels;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_softmax_nc_f32(pnn_operator_t op, size_t batch_size, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* sm = operator_cast<SoftmaxOperator>(op);
  if (sm == nullptr) return pnn_status_invalid_parameter;
  return reshape(sm, batch_size, sm->channels, "channels", sm->channels, "channels");
}

pnn_status pnn_reshape_softmax_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                              size_t input_stride, size_t output_stride,
                                              pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* sm = operator_cast<SoftmaxOperator>(op);
  if (sm == nullptr) return pnn_status_invalid_parameter;
  return reshape(sm, batch_size, input_stride, "input_stride", output_stride, "output_stride");
}

pnn_status pnn_setup_softmax_nc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  SoftmaxOperator* sm;
  pnn_status s = check_setup(op, &sm, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  // In place (the same rows) is supported, a shifted overlap is not: a row would read elements
  // another row has already overwritten.
  s = check_rows_overlap(input, output, sm->rows, true);
  if (s != pnn_status_success) return s;
  sm->input = input;
  sm->output = output;
  sm->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
