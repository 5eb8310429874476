// Fully connected operator (NC): out = clamp(in * W^T + bias) through the selected GEMM
// microkernel, over weights packed once at create. Input and output rows may be strided (the
// GEMM kernels take row strides, so a strided view costs nothing). The output is split into tasks
// of a multiple of MR rows by a multiple of NR columns (src/gemm-tiling.h); every output element is
// computed by one kernel call in the same order whatever the tiling, so results do not depend on
// the thread count.
#include <cstdint>

#include "allocator.h"
#include "checks.h"
#include "configs/configs.h"
#include "gemm-tiling.h"
#include "nc-operator.h"
#include "packing.h"
#include "parallel.h"

namespace {

using namespace pnn;

// An output row is written while later input rows are unread.
struct FullyConnectedOperator final : NcOperator<OpType::kFullyConnected, /*in_place=*/false> {
  const GemmConfig* config = nullptr;
  size_t input_channels = 0;
  size_t output_channels = 0;
  AlignedBuffer<float> packed_weights;
  size_t packed_weight_bytes() const override {
    return packed_weights.size() * sizeof(float);
  }
  pnn_f32_minmax_params params{};

  // Set at reshape.
  size_t batch_size = 0;
  size_t row_tile = 0;                     // a multiple of mr, or all rows
  size_t column_tile = 0;                  // a multiple of nr, or all columns
  pnn_f32_gemm_ukernel_fn gemm = nullptr;  // config->gemm1 for a single row, else config->gemm

  // One task: columns [col, col + cols) of rows [row, row + rows), MR rows per kernel call, so
  // the task's panel of packed weights stays in cache while it walks the rows.
  static void task(void* ctx, size_t col, size_t row, size_t cols, size_t rows) {
    auto* op = static_cast<FullyConnectedOperator*>(ctx);
    const size_t k = op->input_channels;
    const size_t a_stride = op->rows.input_stride, c_stride = op->rows.output_stride;
    const size_t mr = op->config->mr;
    // col is a multiple of nr: the packed blocks before it hold col * (1 + k) floats.
    const float* w = op->packed_weights.data() + col * (1 + k);
    for (size_t r = row, rc; r < row + rows; r += rc) {
      rc = gemm_call_rows(row + rows - r, mr);
      op->gemm(rc, cols, k, op->input + r * a_stride, a_stride, w,
               op->output + r * c_stride + col, c_stride, op->config->nr, &op->params);
    }
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_2d_tile(pool, task, this, output_channels, batch_size, column_tile, row_tile);
  }

  pnn_status reshape(const NcStrides& strides, size_t batch, pnn_threadpool_t threadpool) {
    const pnn_status s =
        plan_nc_rows({"batch_size", batch, "input_channels", input_channels},
                     {"batch_size", batch, "output_channels", output_channels}, strides, &rows);
    if (s != pnn_status_success) return s;
    const size_t mr = config->mr, nr = config->nr;
    batch_size = batch;
    // A single row reads each weight once: no panels, and columns in groups of the one-row
    // kernels' interleave (4 blocks, kernels/simd/gemm-template.h gemm_1row).
    const GemmTiles tiles = batch == 1
                                ? plan_gemm_tiles(1, 1, output_channels, input_channels, 1, 4 * nr,
                                                  threads_count(threadpool), SIZE_MAX)
                                : plan_gemm_tiles(1, batch, output_channels, input_channels, mr, nr,
                                                  threads_count(threadpool));
    row_tile = tiles.row_tile;
    column_tile = tiles.column_tile;
    // One row: the one-row kernel, which keeps the MR-row tile's results bit for bit.
    gemm = batch == 1 ? config->gemm1 : config->gemm;
    kernel_name = batch == 1 ? config->gemm1_name : config->gemm_name;
    return pnn_status_success;
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_fully_connected_nc_f32(size_t input_channels, size_t output_channels,
                                             const float* kernel, const float* bias,
                                             float output_min, float output_max, uint32_t flags,
                                             pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (input_channels == 0 || output_channels == 0) {
    return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1",
                input_channels == 0 ? "input_channels" : "output_channels");
  }
  if (kernel == nullptr) return fail(pnn_status_invalid_parameter, "kernel is NULL");
  s = check_clamp("output_min", output_min, "output_max", output_max);
  if (s == pnn_status_success) {
    s = check_flags(flags, PNN_FLAG_TRANSPOSE_WEIGHTS, "PNN_FLAG_TRANSPOSE_WEIGHTS");
  }
  if (s != pnn_status_success) return s;
  const GemmConfig* config = get_gemm_config();
  if (config->gemm == nullptr) {
    return fail(pnn_status_unsupported_hardware, "no GEMM kernel runs on this CPU in this build");
  }
  const size_t nr = config->nr;

  // The caller's weights hold input_channels * output_channels floats; the packing rounds the
  // columns up to nr and adds a bias row. Every product must fit a size_t of bytes.
  size_t weights, padded_n, rows, packed_size, bytes;
  if (!checked_mul(input_channels, output_channels, &weights)) {
    return fail(pnn_status_invalid_parameter,
                "input_channels * output_channels (%zu * %zu) overflows size_t", input_channels,
                output_channels);
  }
  if (!checked_add(output_channels, nr - 1, &padded_n) || !checked_add(input_channels, 1, &rows) ||
      !checked_mul(padded_n / nr * nr, rows, &packed_size) ||
      !checked_mul(packed_size, sizeof(float), &bytes)) {
    return fail(pnn_status_invalid_parameter,
                "the packed weights of %zu x %zu channels overflow size_t bytes", input_channels,
                output_channels);
  }

  auto* op = new_operator<FullyConnectedOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  if (!op->packed_weights.allocate(packed_size)) {
    delete op;
    return fail(pnn_status_out_of_memory, "no memory for the packed weights (%zu floats)",
                packed_size);
  }
  pack_gemm(output_channels, input_channels, nr, kernel, bias,
            (flags & PNN_FLAG_TRANSPOSE_WEIGHTS) != 0, op->packed_weights.data());
  op->config = config;
  op->input_channels = input_channels;
  op->output_channels = output_channels;
  op->params.min = output_min;
  op->params.max = output_max;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_fully_connected_nc_f32(pnn_operator_t op, size_t batch_size,
                                              pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  return reshape_operator<FullyConnectedOperator>(op, NcStrides::dense(), batch_size, threadpool);
}

pnn_status pnn_reshape_fully_connected_nc_f32_strided(pnn_operator_t op, size_t batch_size,
                                                      size_t input_stride, size_t output_stride,
                                                      pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  return reshape_operator<FullyConnectedOperator>(op, NcStrides::of(input_stride, output_stride),
                                                  batch_size, threadpool);
}

pnn_status pnn_setup_fully_connected_nc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  return setup_nc<FullyConnectedOperator>(op, input, output);
}

}  // extern "C"
