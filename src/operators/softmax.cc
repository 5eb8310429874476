// Softmax over the channels of [batch][channels]: per row, the maximum, then exp(x - max)
// stored while summing, then a scale by 1/sum (kernels/ukernels-softmax.h). Rows are
// independent and each is computed whole by one thread, so the result does not depend on the
// number of threads. Rows may be strided (each row is its own kernel calls anyway).
#include <cstdint>

#include "checks.h"
#include "configs/softmax-config.h"
#include "nc-operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// Elements per parallel task: rows are grouped until a task has about this many, enough to
// amortize dispatch while still splitting a small batch of long rows across 2 threads.
constexpr size_t kSoftmaxTaskElements = 4096;

// In place (the same rows) is supported, a shifted overlap is not: a row would read elements
// another row has already overwritten.
struct SoftmaxOperator final : NcOperator<OpType::kSoftmax, /*in_place=*/true> {
  const SoftmaxConfig* config = nullptr;
  size_t channels = 0;
  size_t batch = 0;
  size_t rows_per_task = 1;

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

  pnn_status reshape(const NcStrides& strides, size_t batch_size) {
    const NcRows r = {"batch_size", batch_size, "channels", channels};
    const pnn_status s = plan_nc_rows(r, r, strides, &rows);
    if (s != pnn_status_success) return s;
    batch = batch_size;
    rows_per_task = max_size(1, kSoftmaxTaskElements / channels);
    kernel_name = config->raddstoreexpminusmax_name;
    return pnn_status_success;
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_softmax_nc_f32(size_t channels, uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check_channels(channels);
  if (s == pnn_status_success) s = check_flags(flags, 0, "none");
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
  return reshape_operator<SoftmaxOperator>(op, NcStrides::dense(), batch_size);
}

pnn_status pnn_reshape_softmax_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                              size_t input_stride, size_t output_stride,
                                              pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_operator<SoftmaxOperator>(op, NcStrides::of(input_stride, output_stride),
                                           batch_size);
}

pnn_status pnn_setup_softmax_nc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  return setup_nc<SoftmaxOperator>(op, input, output);
}

}  // extern "C"
