// Global average pooling over the W axis of [N][W][C]: one gavgpool kernel call per
// (image, channel block). Each output element is summed over w in order by one call, so the
// result does not depend on the thread count or on the channel blocking.
#include <cstdint>

#include "configs/pooling-config.h"
#include "operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// Channels per parallel task: enough work per task to amortize dispatch when W is small, and
// still several tasks for one wide image. (Any split gives the same bits: each output element
// is summed by one kernel call, over w in order.)
constexpr size_t kChannelsPerTask = 256;

// Below this many input floats the whole reduction runs on the caller's thread: waking the pool
// costs more than it saves (global_avg_7, 7x7x1024 = 50K floats: 1.6 us on one AVX-512 thread,
// slower with 2 threads through the pool).
constexpr size_t kMinParallelElements = size_t{1} << 17;

struct GlobalAveragePoolingOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kGlobalAveragePooling;
  GlobalAveragePoolingOperator() : pnn_operator(kType) {}

  const GAvgPoolConfig* config = nullptr;
  size_t channels = 0;
  float output_min = 0.0f, output_max = 0.0f;
  pnn_f32_gavgpool_params params{};  // scale set at reshape
  size_t batch = 0, width = 0;
  const float* input = nullptr;
  float* output = nullptr;

  static void task(void* ctx, size_t n, size_t c, size_t, size_t count) {
    auto* op = static_cast<GlobalAveragePoolingOperator*>(ctx);
    op->config->fn(op->width, count, op->input + n * op->width * op->channels + c, op->channels,
                   op->output + n * op->channels + c, &op->params);
  }

  void run(pnn_threadpool_t pool) override {
    // Blocks stay multiples of the kernel's channel tile so that SIMD kernels see full vectors.
    const size_t tile = round_up(kChannelsPerTask, config->channel_tile);
    if (batch * width * channels < kMinParallelElements) pool = nullptr;
    parallelize_2d_tile(pool, task, this, batch, channels, 1, tile);
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_global_average_pooling_nwc_f32(size_t channels, float output_min,
                                                     float output_max, uint32_t flags,
                                                     pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (channels == 0 || channels > SIZE_MAX / sizeof(float)) return pnn_status_invalid_parameter;
  if (!valid_clamp(output_min, output_max)) return pnn_status_invalid_parameter;
  if (flags != 0) return pnn_status_invalid_parameter;
  const GAvgPoolConfig* config = get_gavgpool_config();
  if (config->fn == nullptr) return pnn_status_unsupported_hardware;

  auto* op = new_operator<GlobalAveragePoolingOperator>();
  if (op == nullptr) return pnn_status_out_of_memory;
  op->config = config;
  op->channels = channels;
  op->output_min = output_min;
  op->output_max = output_max;
  op->kernel_name = config->name;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_global_average_pooling_nwc_f32(pnn_operator_t op, size_t batch, size_t width,
                                                      pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* g = operator_cast<GlobalAveragePoolingOperator>(op);
  if (g == nullptr || batch == 0 || width == 0) return pnn_status_invalid_parameter;
  size_t elements;
  if (!checked_mul(batch, width, &elements) || !checked_mul(elements, g->channels, &elements) ||
      elements > SIZE_MAX / sizeof(float)) {
    return pnn_status_invalid_parameter;
  }
  g->batch = batch;
  g->width = width;
  // Rounded once from double: the closest float to 1/width.
  g->params = pnn_f32_gavgpool_params{static_cast<float>(1.0 / static_cast<double>(width)),
                                      g->output_min, g->output_max};
  g->state = OpState::kNeedsSetup;
  return pnn_status_success;
}

pnn_status pnn_setup_global_average_pooling_nwc_f32(pnn_operator_t op, const float* input,
                                                    float* output) {
  PNN_API_SCOPE();
  GlobalAveragePoolingOperator* g;
  pnn_status s = check_setup(op, &g, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  // Products checked at reshape.
  if (ranges_overlap(input, g->batch * g->width * g->channels, output, g->batch * g->channels)) {
    return pnn_status_invalid_parameter;
  }
  g->input = input;
  g->output = output;
  g->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
