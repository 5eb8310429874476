// Batched matrix multiplication of two activations. Both operands arrive at setup, so each run
// works in up to three parallel passes over workspaces sized at reshape (run allocates nothing):
//   1. with PNN_FLAG_TRANSPOSE_A, transpose every A batch ([K][M]) into row-major A^T ([M][K]),
//      the layout the GEMM kernel reads (the x32 transpose kernel, src/configs/x32-config.h);
//   2. pack every B batch once (a broadcast B batch is shared by many output batches) with
//      pack_gemm, whose x32 pad / transpose kernels move whole rows at the selected ISA level;
//   3. GEMM over output batch x column tiles (multiples of NR) x row tiles (multiples of MR).
// Each output element is computed by one kernel call in a fixed order, so results do not
// depend on the thread count.
#include <cstdint>

#include "allocator.h"
#include "checks.h"
#include "configs/configs.h"
#include "configs/x32-config.h"
#include "gemm-tiling.h"
#include "operator.h"
#include "packing.h"
#include "parallel.h"
#include "shape.h"

namespace {

using namespace pnn;

// Rows of A^T per transpose task: each task reads this many contiguous floats per K row.
constexpr size_t kTransposeRows = 16;

struct BatchMatmulOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kBatchMatmul;
  BatchMatmulOperator() : pnn_operator(kType) {}

  const GemmConfig* config = nullptr;
  bool transpose_a = false;
  bool transpose_b = false;

  // Set at reshape. Batch dim d of the output maps to A (B) batch index offset
  // coord * a_batch_stride[d] (b_batch_stride[d]); the stride is 0 along a broadcast dim.
  size_t num_batch_dims = 0;
  size_t output_dims[PNN_MAX_DIMS] = {};
  size_t a_batch_stride[PNN_MAX_DIMS] = {};
  size_t b_batch_stride[PNN_MAX_DIMS] = {};
  size_t batch_a = 0, batch_b = 0, batch_out = 0;
  size_t m = 0, k = 0, n = 0;
  size_t packed_b_stride = 0;  // floats per packed B batch
  size_t row_tile = 0;         // a multiple of mr, or all of m
  size_t column_tile = 0;      // a multiple of nr, or all of n
  // Workspaces: they only grow, so a failed reshape leaves the previous shape runnable.
  AlignedBuffer<float> packed_b;
  AlignedBuffer<float> a_transposed;
  pnn_f32_minmax_params params{-INFINITY, INFINITY};

  // Set at setup.
  const float* a = nullptr;
  const float* b = nullptr;
  float* output = nullptr;

  // A^T[batch][rows r0..r0+count) = A[batch][:][r] for A given as [K][M]: one x32 transpose of
  // the K x count block.
  static void transpose_task(void* ctx, size_t batch, size_t r0, size_t, size_t count) {
    auto* op = static_cast<BatchMatmulOperator*>(ctx);
    const size_t m = op->m, k = op->k;
    get_x32_config()->transpose.fn(k, count, op->a + batch * m * k + r0, m,
                                   op->a_transposed.data() + batch * m * k + r0 * k, k);
  }

  static void pack_task(void* ctx, size_t batch, size_t count) {
    auto* op = static_cast<BatchMatmulOperator*>(ctx);
    const size_t kn = op->k * op->n;
    for (size_t i = batch; i < batch + count; i++) {
      // B is [K][N] (pack_gemm's transposed layout) unless PNN_FLAG_TRANSPOSE_B gave [N][K].
      pack_gemm(op->n, op->k, op->config->nr, op->b + i * kn, nullptr, !op->transpose_b,
                op->packed_b.data() + i * op->packed_b_stride);
    }
  }

  // Columns [col, col + cols) of rows [row, row + rows) of one output batch, MR rows per kernel
  // call (the task's panel of packed B stays in cache while it walks the rows).
  static void gemm_task(void* ctx, size_t batch, size_t col, size_t row, size_t cols, size_t rows) {
    auto* op = static_cast<BatchMatmulOperator*>(ctx);
    size_t index_a = 0, index_b = 0;
    for (size_t d = op->num_batch_dims, rest = batch; d-- > 0;) {
      const size_t coord = rest % op->output_dims[d];
      rest /= op->output_dims[d];
      index_a += coord * op->a_batch_stride[d];
      index_b += coord * op->b_batch_stride[d];
    }
    const size_t m = op->m, k = op->k, n = op->n, mr = op->config->mr;
    const float* a = (op->transpose_a ? op->a_transposed.data() : op->a) + index_a * m * k;
    // col is a multiple of nr: the packed blocks before it hold col * (1 + k) floats.
    const float* w = op->packed_b.data() + index_b * op->packed_b_stride + col * (1 + k);
    for (size_t r = row, rc; r < row + rows; r += rc) {
      rc = gemm_call_rows(row + rows - r, mr);
      op->config->gemm(rc, cols, k, a + r * k, k, w,
                       op->output + (batch * m + r) * n + col, n, op->config->nr, &op->params);
    }
  }

  void run(pnn_threadpool_t pool) override {
    if (transpose_a) {
      parallelize_2d_tile(pool, transpose_task, this, batch_a, m, 1, kTransposeRows);
    }
    parallelize_1d_tile(pool, pack_task, this, batch_b, 1);
    parallelize_3d_tile_2d(pool, gemm_task, this, batch_out, n, m, column_tile, row_tile);
  }
};

// *out = a * b * c, false on overflow.
bool checked_mul3(size_t a, size_t b, size_t c, size_t* out) {
  size_t ab;
  return checked_mul(a, b, &ab) && checked_mul(ab, c, out);
}

}  // namespace

extern "C" {

pnn_status pnn_create_batch_matmul_f32(uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  s = check_flags(flags, PNN_FLAG_TRANSPOSE_A | PNN_FLAG_TRANSPOSE_B,
                  "PNN_FLAG_TRANSPOSE_A, PNN_FLAG_TRANSPOSE_B");
  if (s != pnn_status_success) return s;
  const GemmConfig* config = get_gemm_config();
  if (config->gemm == nullptr) {
    return fail(pnn_status_unsupported_hardware, "no GEMM kernel runs on this CPU in this build");
  }
  auto* op = new_operator<BatchMatmulOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  op->config = config;
  op->transpose_a = (flags & PNN_FLAG_TRANSPOSE_A) != 0;
  op->transpose_b = (flags & PNN_FLAG_TRANSPOSE_B) != 0;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_batch_matmul_f32(pnn_operator_t op, size_t num_batch_dims,
                                        const size_t* batch_dims_a, const size_t* batch_dims_b,
                                        size_t m, size_t k, size_t n, size_t* output_batch_dims,
                                        pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  auto* bm = operator_cast<BatchMatmulOperator>(op);
  if (bm == nullptr) return pnn_status_invalid_parameter;
  Broadcast bc;
  pnn_status s =
      broadcast_shapes({"num_batch_dims", "batch_dims_a", num_batch_dims, batch_dims_a},
                       {"num_batch_dims", "batch_dims_b", num_batch_dims, batch_dims_b}, 0, &bc);
  if (s != pnn_status_success) return s;
  if (m == 0 || k == 0 || n == 0) {
    const char* zero = m == 0 ? "m" : k == 0 ? "k" : "n";
    return fail(pnn_status_invalid_parameter, "%s is 0; m, k and n must be >= 1", zero);
  }
  const size_t batch_a = bc.count_a, batch_b = bc.count_b, batch_out = bc.count_out;
  // Every operand and workspace, in floats and in bytes, must fit a size_t.
  const size_t nr = bm->config->nr;
  size_t size_a, size_b, size_out, padded_n, packed_stride, packed_size, bytes;
  const char* too_big = nullptr;
  if (!checked_mul3(batch_a, m, k, &size_a) || !checked_mul(size_a, sizeof(float), &bytes)) {
    too_big = "A (batch * m * k floats)";
  } else if (!checked_mul3(batch_b, k, n, &size_b) || !checked_mul(size_b, sizeof(float), &bytes)) {
    too_big = "B (batch * k * n floats)";
  } else if (!checked_mul3(batch_out, m, n, &size_out) ||
             !checked_mul(size_out, sizeof(float), &bytes)) {
    too_big = "the output (batch * m * n floats)";
  } else if (!checked_add(n, nr - 1, &padded_n) ||  // k <= size_a below: k + 1 is safe
             !checked_mul(padded_n / nr * nr, k + 1, &packed_stride) ||
             !checked_mul(batch_b, packed_stride, &packed_size) ||
             !checked_mul(packed_size, sizeof(float), &bytes)) {
    too_big = "the packed B workspace";
  }
  if (too_big != nullptr) {
    return fail(pnn_status_invalid_parameter, "the size in bytes of %s overflows size_t", too_big);
  }
  if (!bm->packed_b.reserve(packed_size)) {
    return fail(pnn_status_out_of_memory, "no memory for the packed B workspace (%zu floats)",
                packed_size);
  }
  if (bm->transpose_a && !bm->a_transposed.reserve(size_a)) {
    return fail(pnn_status_out_of_memory, "no memory for the A^T workspace (%zu floats)", size_a);
  }

  // The batch loop runs over the folded broadcast (fewest dims; strides in batches).
  const FoldedBroadcast f = fold_broadcast(bc);
  for (size_t d = 0; d < f.num_dims; d++) {
    bm->output_dims[d] = f.size[d];
    bm->a_batch_stride[d] = f.stride_a[d];
    bm->b_batch_stride[d] = f.stride_b[d];
  }
  bm->num_batch_dims = f.num_dims;
  bm->batch_a = batch_a;
  bm->batch_b = batch_b;
  bm->batch_out = batch_out;
  bm->m = m;
  bm->k = k;
  bm->n = n;
  bm->packed_b_stride = packed_stride;
  const size_t mr = bm->config->mr;
  const GemmTiles tiles = plan_gemm_tiles(batch_out, m, n, k, mr, nr, threads_count(threadpool));
  bm->row_tile = tiles.row_tile;
  bm->column_tile = tiles.column_tile;
  bm->kernel_name = bm->config->gemm_name;
  bm->state = OpState::kNeedsSetup;
  if (output_batch_dims != nullptr) {
    for (size_t d = 0; d < num_batch_dims; d++) output_batch_dims[d] = bc.out[d];
  }
  return pnn_status_success;
}

pnn_status pnn_setup_batch_matmul_f32(pnn_operator_t op, const float* a, const float* b,
                                      float* output) {
  PNN_API_SCOPE();
  BatchMatmulOperator* bm;
  pnn_status s = check_setup(op, &bm, {"a", a}, {"b", b}, {"output", output});
  if (s != pnn_status_success) return s;
  const size_t size_out = bm->batch_out * bm->m * bm->n;
  const char* overlapped = ranges_overlap(output, size_out, a, bm->batch_a * bm->m * bm->k) ? "a"
                           : ranges_overlap(output, size_out, b, bm->batch_b * bm->k * bm->n)
                               ? "b"
                               : nullptr;
  if (overlapped != nullptr) {
    return fail(pnn_status_invalid_parameter,
                "output and %s overlap; batch matmul writes its output while it still reads A and "
                "B, so the output must not share memory with either",
                overlapped);
  }
  bm->a = a;
  bm->b = b;
  bm->output = output;
  bm->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
