// Global average pooling over the W axis of [N][W][C]: one gavgpool kernel call per
// (image, channel block). Pixels of the input and rows of the output may be strided (the kernel
// takes the pixel stride). Each output element is summed over w in order by one call, so the
// result does not depend on the thread count or on the channel blocking.
#include <cstdint>

#include "checks.h"
#include "configs/pooling-config.h"
#include "nc-operator.h"
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

// An image's output row and its `width` input rows cannot be the same rows.
struct GlobalAveragePoolingOperator final
    : NcOperator<OpType::kGlobalAveragePooling, /*in_place=*/false> {
  const GAvgPoolConfig* config = nullptr;
  size_t channels = 0;
  float output_min = 0.0f, output_max = 0.0f;
  pnn_f32_gavgpool_params params{};  // scale set at reshape
  size_t batch = 0, width = 0;       // input rows are pixels, width per image

  static void task(void* ctx, size_t n, size_t c, size_t, size_t count) {
    auto* op = static_cast<GlobalAveragePoolingOperator*>(ctx);
    const size_t input_stride = op->rows.input_stride;
    op->config->fn(op->width, count, op->input + n * op->width * input_stride + c, input_stride,
                   op->output + n * op->rows.output_stride + c, &op->params);
  }

  void run(pnn_threadpool_t pool) override {
    // Blocks stay multiples of the kernel's channel tile so that SIMD kernels see full vectors.
    const size_t tile = round_up(kChannelsPerTask, config->channel_tile);
    if (batch * width * channels < kMinParallelElements) pool = nullptr;
    parallelize_2d_tile(pool, task, this, batch, channels, 1, tile);
  }

  pnn_status reshape(const NcStrides& strides, size_t batch_size, size_t image_width) {
    if (batch_size == 0 || image_width == 0) {
      return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1",
                  batch_size == 0 ? "batch" : "width");
    }
    size_t pixels;
    if (!checked_mul(batch_size, image_width, &pixels)) {
      return fail(pnn_status_invalid_parameter, "batch * width (%zu * %zu) overflows size_t",
                  batch_size, image_width);
    }
    const pnn_status s = plan_nc_rows({"batch * width", pixels, "channels", channels},
                                      {"batch", batch_size, "channels", channels}, strides, &rows);
    if (s != pnn_status_success) return s;
    batch = batch_size;
    width = image_width;
    // Rounded once from double: the closest float to 1/width.
    params = pnn_f32_gavgpool_params{static_cast<float>(1.0 / static_cast<double>(image_width)),
                                     output_min, output_max};
    return pnn_status_success;
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_global_average_pooling_nwc_f32(size_t channels, float output_min,
                                                     float output_max, uint32_t flags,
                                                     pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check_channels(channels);
  if (s == pnn_status_success) s = check_clamp("output_min", output_min, "output_max", output_max);
  if (s == pnn_status_success) s = check_flags(flags, 0, "none");
  if (s != pnn_status_success) return s;
  const GAvgPoolConfig* config = get_gavgpool_config();
  if (config->fn == nullptr) {
    return fail(pnn_status_unsupported_hardware,
                "no global average pooling kernel runs on this CPU in this build");
  }

  auto* op = new_operator<GlobalAveragePoolingOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
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
  return reshape_operator<GlobalAveragePoolingOperator>(op, NcStrides::dense(), batch, width);
}

pnn_status pnn_reshape_global_average_pooling_nwc_f32_strided(pnn_operator_t op, size_t batch,
                                                              size_t width, size_t input_stride,
                                                              size_t output_stride,
                                                              pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_operator<GlobalAveragePoolingOperator>(
      op, NcStrides::of(input_stride, output_stride), batch, width);
}

pnn_status pnn_setup_global_average_pooling_nwc_f32(pnn_operator_t op, const float* input,
                                                    float* output) {
  PNN_API_SCOPE();
  return setup_nc<GlobalAveragePoolingOperator>(op, input, output);
}

}  // extern "C"
