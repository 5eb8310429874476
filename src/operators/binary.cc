// Binary elementwise operator with NumPy broadcasting. Reshape folds the two shapes into the
// fewest loops that cover the broadcast: dims of output size 1 are dropped and adjacent dims
// that broadcast the same way are merged, so the innermost loop is as long as possible and is
// one kernel call: vop when both operands run along it, vopc/vropc when one of them is a scalar
// along it. The outer loops and tiles of long rows are spread across threads.
#include <cstdint>

#include "configs/vbinary-config.h"
#include "operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// Elements per parallel task: big enough to amortize dispatch, small enough to balance 2 threads
// (a 1M-element row makes 64 tasks).
constexpr size_t kBinaryTile = 16384;
// Row tiles are rounded to this many elements so tiles start on 64-byte boundaries.
constexpr size_t kTileAlign = 16;
// At most PNN_MAX_DIMS merged dims: the innermost is the kernel's row, the others loop.
constexpr size_t kMaxOuter = PNN_MAX_DIMS - 1;

// How one output dim (of size > 1) reads the operands.
enum class Bcast { kNone, kA, kB };  // kA: A has size 1 there (broadcast); kB: B has.

struct BinaryOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kBinary;
  BinaryOperator() : pnn_operator(kType) {}

  const VBinaryConfig* config = nullptr;
  pnn_f32_minmax_params params{};

  // Plan, from reshape. Outer loops outermost first, padded in front with size-1 dims.
  size_t outer_size[kMaxOuter] = {};
  size_t outer_stride_a[kMaxOuter] = {};  // elements; 0 where A is broadcast
  size_t outer_stride_b[kMaxOuter] = {};
  size_t rows = 0;     // product of outer_size
  size_t row_len = 0;  // innermost merged dim
  size_t count_a = 0, count_b = 0, count_out = 0;
  pnn_f32_vbinary_ukernel_fn kernel = nullptr;
  bool first_is_b = false;     // the row operand is B (vropc: A is the scalar along the row)
  bool second_is_row = false;  // vop: the second operand runs along the row as well
  size_t tile_rows = 1, tile_cols = 1;

  // Bound at setup.
  const float* a = nullptr;
  const float* b = nullptr;
  float* output = nullptr;

  static void task(void* ctx, size_t row, size_t col, size_t nrows, size_t ncols) {
    const auto* op = static_cast<const BinaryOperator*>(ctx);
    // Decompose the first row into outer indices, then step them like an odometer, moving the
    // operand offsets along (size_t wrap-around on a carry cancels out exactly).
    size_t idx[kMaxOuter];
    size_t off_a = 0, off_b = 0;
    size_t r = row;
    for (size_t d = kMaxOuter; d-- > 0;) {
      idx[d] = r % op->outer_size[d];
      r /= op->outer_size[d];
      off_a += idx[d] * op->outer_stride_a[d];
      off_b += idx[d] * op->outer_stride_b[d];
    }
    float* y = op->output + row * op->row_len + col;
    for (size_t i = 0; i < nrows; i++) {
      const float* pa = op->a + off_a;
      const float* pb = op->b + off_b;
      const float* first = op->first_is_b ? pb : pa;
      const float* second = op->first_is_b ? pa : pb;
      op->kernel(ncols, first + col, op->second_is_row ? second + col : second, y, &op->params);
      y += op->row_len;
      for (size_t d = kMaxOuter; d-- > 0;) {
        off_a += op->outer_stride_a[d];
        off_b += op->outer_stride_b[d];
        if (++idx[d] < op->outer_size[d]) break;
        off_a -= op->outer_size[d] * op->outer_stride_a[d];
        off_b -= op->outer_size[d] * op->outer_stride_b[d];
        idx[d] = 0;
      }
    }
  }

  void run(pnn_threadpool_t pool) override {
    // One thread: the whole output in one task (whole rows per kernel call); elements are
    // independent, so the results are those of the tiled run.
    if (threads_count(pool) <= 1) {
      task(this, 0, 0, rows, row_len);
      return;
    }
    parallelize_2d_tile(pool, task, this, rows, row_len, tile_rows, tile_cols);
  }
};

// The output may alias an input only exactly, and only an input of the output's shape (then
// every element is read before it is overwritten, by the same index).
bool valid_alias(const float* in, size_t in_count, const float* out, size_t out_count) {
  if (!ranges_overlap(in, in_count, out, out_count)) return true;
  return in == out && in_count == out_count;
}

}  // namespace

extern "C" {

pnn_status pnn_create_binary_elementwise_nd_f32(pnn_binary_op op_type, float output_min,
                                                float output_max, uint32_t flags,
                                                pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  const VBinaryConfig* config = get_vbinary_config(enum_value(op_type));
  if (config == nullptr || !valid_clamp(output_min, output_max) || flags != 0)
    return pnn_status_invalid_parameter;
  if (config->op.fn == nullptr || config->opc.fn == nullptr || config->ropc.fn == nullptr)
    return pnn_status_unsupported_parameter;

  auto* op = new_operator<BinaryOperator>();
  if (op == nullptr) return pnn_status_out_of_memory;
  op->config = config;
  op->params = pnn_f32_minmax_params{output_min, output_max};
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_binary_elementwise_nd_f32(pnn_operator_t op, size_t num_dims_a,
                                                 const size_t* shape_a, size_t num_dims_b,
                                                 const size_t* shape_b, size_t* num_output_dims,
                                                 size_t* output_shape, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* u = operator_cast<BinaryOperator>(op);
  if (u == nullptr || num_dims_a == 0 || num_dims_a > PNN_MAX_DIMS || num_dims_b == 0 ||
      num_dims_b > PNN_MAX_DIMS || shape_a == nullptr || shape_b == nullptr)
    return pnn_status_invalid_parameter;

  // Align at the last dim; missing leading dims are 1.
  const size_t nd = max_size(num_dims_a, num_dims_b);
  size_t da[PNN_MAX_DIMS], db[PNN_MAX_DIMS], dout[PNN_MAX_DIMS];
  for (size_t i = 0; i < nd; i++) {
    da[i] = i < nd - num_dims_a ? 1 : shape_a[i - (nd - num_dims_a)];
    db[i] = i < nd - num_dims_b ? 1 : shape_b[i - (nd - num_dims_b)];
    if (da[i] == 0 || db[i] == 0) return pnn_status_invalid_parameter;
    if (da[i] != db[i] && da[i] != 1 && db[i] != 1) return pnn_status_invalid_parameter;
    dout[i] = max_size(da[i], db[i]);
  }
  // Every output dim is >= the operands' dims, so the output count bounds theirs.
  size_t count_out, count_a = 0, count_b = 0;
  if (!checked_product(dout, nd, &count_out) || count_out > SIZE_MAX / sizeof(float))
    return pnn_status_invalid_parameter;
  checked_product(da, nd, &count_a);
  checked_product(db, nd, &count_b);

  // Merge, innermost first: drop output dims of size 1 (they index nothing) and fold a dim into
  // the previous merged one when both broadcast the same way (then they are contiguous in
  // every operand that runs along them).
  size_t msize[PNN_MAX_DIMS];
  Bcast mkind[PNN_MAX_DIMS];
  size_t m = 0;
  for (size_t i = nd; i-- > 0;) {
    if (dout[i] == 1) continue;
    const Bcast kind = da[i] == 1 ? Bcast::kA : db[i] == 1 ? Bcast::kB : Bcast::kNone;
    if (m > 0 && mkind[m - 1] == kind) {
      msize[m - 1] *= dout[i];  // cannot overflow: bounded by count_out
    } else {
      msize[m] = dout[i];
      mkind[m] = kind;
      m++;
    }
  }
  if (m == 0) {  // a single element
    msize[0] = 1;
    mkind[0] = Bcast::kNone;
    m = 1;
  }

  // Commit the plan (nothing above touched the operator, so a failed reshape keeps the old one).
  const VBinaryConfig* c = u->config;
  const VBinaryKernel& k = mkind[0] == Bcast::kNone ? c->op
                           : mkind[0] == Bcast::kB  ? c->opc
                                                    : c->ropc;
  u->kernel = k.fn;
  u->kernel_name = k.name;
  u->first_is_b = mkind[0] == Bcast::kA;
  u->second_is_row = mkind[0] == Bcast::kNone;
  u->row_len = msize[0];
  size_t stride_a = mkind[0] == Bcast::kA ? 1 : msize[0];
  size_t stride_b = mkind[0] == Bcast::kB ? 1 : msize[0];
  u->rows = 1;
  for (size_t d = 0; d < kMaxOuter; d++) {
    // Outer merged dim j (1 = the one just outside the row) sits at kMaxOuter - j.
    const size_t j = kMaxOuter - d;
    if (j >= m) {
      u->outer_size[d] = 1;
      u->outer_stride_a[d] = 0;
      u->outer_stride_b[d] = 0;
    }
  }
  for (size_t j = 1; j < m; j++) {
    const size_t d = kMaxOuter - j;
    u->outer_size[d] = msize[j];
    u->outer_stride_a[d] = mkind[j] == Bcast::kA ? 0 : stride_a;
    u->outer_stride_b[d] = mkind[j] == Bcast::kB ? 0 : stride_b;
    if (mkind[j] != Bcast::kA) stride_a *= msize[j];
    if (mkind[j] != Bcast::kB) stride_b *= msize[j];
    u->rows *= msize[j];
  }
  // Long rows are cut into near-equal tiles (so a single 1M-element row still feeds every
  // thread); short rows are grouped so that a task holds about kBinaryTile elements.
  const size_t row_tiles = divide_round_up(u->row_len, kBinaryTile);
  if (row_tiles > 1) {
    u->tile_cols =
        min_size(round_up(divide_round_up(u->row_len, row_tiles), kTileAlign), u->row_len);
    u->tile_rows = 1;
  } else {
    u->tile_cols = u->row_len;
    u->tile_rows = max_size(1, kBinaryTile / u->row_len);
  }
  u->count_a = count_a;
  u->count_b = count_b;
  u->count_out = count_out;
  u->a = nullptr;
  u->b = nullptr;
  u->output = nullptr;
  u->state = OpState::kNeedsSetup;

  set_if(num_output_dims, nd);
  if (output_shape != nullptr) {
    for (size_t i = 0; i < nd; i++) output_shape[i] = dout[i];
  }
  return pnn_status_success;
}

pnn_status pnn_setup_binary_elementwise_nd_f32(pnn_operator_t op, const float* a, const float* b,
                                               float* output) {
  PNN_API_SCOPE();
  BinaryOperator* u;
  pnn_status s = check_setup(op, &u, {"a", a}, {"b", b}, {"output", output});
  if (s != pnn_status_success) return s;
  if (!valid_alias(a, u->count_a, output, u->count_out) ||
      !valid_alias(b, u->count_b, output, u->count_out))
    return pnn_status_invalid_parameter;
  u->a = a;
  u->b = b;
  u->output = output;
  u->state = OpState::kReady;
  return pnn_status_success;
}

}  // extern "C"
