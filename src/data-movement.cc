// The data-movement executor (see data-movement.h).
#include "data-movement.h"

#include "common.h"
#include "configs/x32-config.h"
#include "error.h"
#include "parallel.h"

namespace pnn {
namespace {

// Elements per parallel task: enough to amortize dispatch, small enough to split a few
// megabytes across 2 threads.
constexpr size_t kTaskElements = 16384;
// Transpose tiles: 64 x 64 elements (16 KB read, 16 KB written, in L1), so that a task writes
// whole 64-byte lines of each output row it touches; square tiles measured fastest with the
// 4 x 4 kernels (portnn-data-bench, transpose/nchw-to-nhwc: 64 x 256 gave 38 GB/s, 64 x 64 60).
constexpr size_t kTransposeTile = 64;

struct MoveRun {
  const MovePlan* plan;
  const float* x;
  float* y;
};

void move_task(void* ctx, size_t outer, size_t r0, size_t c0, size_t nr, size_t nc) {
  const MoveRun* run = static_cast<const MoveRun*>(ctx);
  const MovePlan& p = *run->plan;
  size_t in = 0, out = 0;
  for (size_t d = p.outer_dims; d-- > 0;) {
    const size_t i = outer % p.outer_size[d];
    outer /= p.outer_size[d];
    in += i * p.outer_in[d];
    out += i * p.outer_out[d];
  }
  const float* x = run->x + in + r0 * p.x_stride + c0;
  if (p.transpose) {
    p.transpose_fn(nr, nc, x, p.x_stride, run->y + out + c0 * p.y_stride + r0, p.y_stride);
  } else {
    p.copy(nr, nc, x, p.x_stride, run->y + out + r0 * p.y_stride + c0, p.y_stride);
  }
}

}  // namespace

void dense_strides(size_t num_dims, const size_t* shape, size_t* strides) {
  size_t s = 1;
  for (size_t d = num_dims; d-- > 0;) {
    strides[d] = s;
    s *= shape[d];
  }
}

MovePlan plan_move(const StridedDims& dims) {
  const X32Config* config = get_x32_config();
  MovePlan p;
  const size_t n = dims.num_dims;
  // The dims contiguous in the output (a) and in the input (b), if any (after folding, at most
  // one each; a part of one column of a concatenate has none in the output).
  size_t a = SIZE_MAX, b = SIZE_MAX;
  for (size_t d = 0; d < n; d++) {
    if (dims.out_stride[d] == 1) a = d;
    if (dims.in_stride[d] == 1) b = d;
  }
  size_t second = SIZE_MAX;  // the kernel's other dim
  if (a != SIZE_MAX && a == b) {
    // Copy rows of dim a, the row dim being the innermost other dim of the output.
    p.copy = config->copy.fn;
    p.kernel_name = config->copy.name;
    p.cols = dims.size[a];
    for (size_t d = 0; d < n; d++) {
      if (d != a) second = d;
    }
    if (second != SIZE_MAX) {
      p.rows = dims.size[second];
      p.x_stride = dims.in_stride[second];
      p.y_stride = dims.out_stride[second];
    }
    const RowTiles t = plan_row_tiles(p.cols, kTaskElements, 16);
    p.tile_rows = t.rows;
    p.tile_cols = t.cols;
  } else {
    // Transpose: the kernel's rows run along a (contiguous in the output), its columns along b
    // (contiguous in the input); either may be missing (one row: a scatter; one column: a
    // gather).
    p.transpose = true;
    p.transpose_fn = config->transpose.fn;
    p.kernel_name = config->transpose.name;
    if (a != SIZE_MAX) {
      p.rows = dims.size[a];
      p.x_stride = dims.in_stride[a];
    }
    if (b != SIZE_MAX) {
      p.cols = dims.size[b];
      p.y_stride = dims.out_stride[b];
    }
    second = b;
    // A gather or scatter takes long runs; a transpose square-ish blocks.
    p.tile_rows = min_size(p.rows, p.cols == 1 ? kTaskElements : kTransposeTile);
    p.tile_cols = min_size(p.cols, p.rows == 1 ? kTaskElements : kTransposeTile);
  }
  for (size_t d = 0; d < n; d++) {
    if (d == a || d == second) continue;
    p.outer_size[p.outer_dims] = dims.size[d];
    p.outer_in[p.outer_dims] = dims.in_stride[d];
    p.outer_out[p.outer_dims] = dims.out_stride[d];
    p.outer_count *= dims.size[d];
    p.outer_dims++;
  }
  return p;
}

void run_move(const MovePlan& plan, const void* x, void* y, pnn_threadpool_t pool) {
  MoveRun run{&plan, static_cast<const float*>(x), static_cast<float*>(y)};
  parallelize_3d_tile_2d(pool, move_task, &run, plan.outer_count, plan.rows, plan.cols,
                         plan.tile_rows, plan.tile_cols);
}

MovePlan plan_transpose(const Permutation& p) {
  size_t in_stride[PNN_MAX_DIMS];
  dense_strides(p.num_dims, p.shape, in_stride);
  StridedDims d;
  d.num_dims = p.num_dims;
  for (size_t j = 0; j < p.num_dims; j++) {
    d.size[j] = p.shape[p.perm[j]];
    d.in_stride[j] = in_stride[p.perm[j]];
  }
  dense_strides(d.num_dims, d.size, d.out_stride);
  return plan_move(fold_strided(d));
}

pnn_status check_apart(const char* a_name, const void* a, size_t a_count, const char* b_name,
                       const void* b, size_t b_count) {
  if (!ranges_overlap(static_cast<const float*>(a), a_count, static_cast<const float*>(b),
                      b_count)) {
    return pnn_status_success;
  }
  return fail(pnn_status_invalid_parameter,
              "%s and %s overlap; their spans (%zu and %zu elements) must not share memory",
              a_name, b_name, a_count, b_count);
}

}  // namespace pnn
