// Softmax over the channels of [batch][channels]: per row, the maximum, then exp(x - max)
// stored while summing, then a scale by 1/sum (kernels/ukernels-softmax.h). Rows are
// independent and each is computed whole by one thread, so the result does not depend on the
// number of threads.
#include <cstdint>

#include "configs/softmax-config.h"
#include "operator.h"
#include "parallel.h"

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
  size_t rows_per_task = 1;
  const float* input = nullptr;
  float* output = nullptr;

  static void task(void* ctx, size_t start, size_t rows) {
    const auto* op = static_cast<const SoftmaxOperator*>(ctx);
    const SoftmaxConfig* k = op->config;
    const size_t c = op->channels;
    for (size_t r = start; r < start + rows; r++) {
      const float* x = op->input + r * c;
      float* y = op->output + r * c;
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

}  // namespace

extern "C" {

pnn_status pnn_create_softmax_nc_f32(size_t channels, uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (channels == 0 || channels > SIZE_MAX / sizeof(float) || flags != 0)
    return pnn_status_invalid_parameter;
  const SoftmaxConfig* config = get_softmax_config();
  if (config->rmax == nullptr || config->raddstoreexpminusmax == nullptr ||
      config->vscale == nullptr)
    return pnn_status_unsupported_parameter;

  auto* op = new_operator<SoftmaxOperator>();
  if (op == nullptr) return pnn_status_out_of_memory;
  op->config = config;
  op->channels = channels;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_softmax_nc_f32(pnn_operator_t op, size_t batch_size, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* sm = operator_cast<SoftmaxOperator>(op);
  if (sm == nullptr || batch_size == 0) return pnn_status_invalid_parameter;
  size_t count;
  if (!checked_mul(batch_size, sm->channels, &count) || count > SIZE_MAX / sizeof(float))
    return pnn_status_invalid_parameter;
  sm->batch = batch_size;
  sm->rows_per_task = max_size(1, kSoftmaxTaskElements / sm->channels);
  sm->kernel_name = sm->config->raddstoreexpminusmax_name;
  sm->state = OpState::kNeedsSetup;
  return pnn_status_success;
}

pnn_status pnn_setup_softmax_nc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  SoftmaxOperator* sm;
  pnn_status s = check_setup(op, &sm, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  // In place (the same buffer) is supported, a shifted overlap is not: a row would read
  // elements another row has already overwritten.
  const size_t count = sm->batch * sm->channels;
  if (input != output && ranges_overlap(input, count, output, count))
    return pnn_status_invalid_parameter;
  sm->input = input;
  sm->output = output;
  sm->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
