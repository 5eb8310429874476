// Softmax and log-softmax over one axis. The axis splits a dense tensor into [outer][channels]
// [inner]; reshape picks one of two loops:
//  - inner == 1 (the last axis; also every NC reshape, whose rows may be strided): per row, the
//    maximum, then exp(x - max) stored while summing, then a scale by 1/sum
//    (kernels/ukernels-softmax.h). Log-softmax sums the exponentials in blocks of kBlock through a
//    stack buffer (so the input survives in place), then y = (x - max) - log(sum): two
//    subtractions, so the rounding of a large max never swamps log(sum).
//  - inner > 1 (an axis with elements `inner` apart): blocks of up to kBlock columns of one outer
//    index, each column a softmax over `channels` elements. The vbinary kernels (max, subtract,
//    add, divide: elementwise, so any column tiling gives the same bits) and the unary exp kernel
//    run along the contiguous columns: m = max_c x[c]; y[c] = exp(x[c] - m), s += y[c];
//    y[c] /= s (log-softmax: s from a stack buffer, then y[c] = (x[c] - m) - log(s)).
// Each element is computed by one task in a fixed order, so the result does not depend on the
// number of threads. In place (the same buffer) is allowed.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "checks.h"
#include "configs/configs.h"
#include "configs/softmax-config.h"
#include "configs/vbinary-config.h"
#include "nc-operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// Elements per parallel task: rows are grouped until a task has about this many, enough to
// amortize dispatch while still splitting a small batch of long rows across 2 threads.
constexpr size_t kSoftmaxTaskElements = 4096;
// Floats of a stack buffer: exponentials summed but not kept, and the columns of the axis loop.
constexpr size_t kBlock = 256;

const pnn_f32_minmax_params kNoClamp = {-INFINITY, INFINITY};

// In place (the same rows) is supported, a shifted overlap is not: a row would read elements
// another row has already overwritten.
struct SoftmaxOperator final : NcOperator<OpType::kSoftmax, /*in_place=*/true> {
  const SoftmaxConfig* config = nullptr;
  bool log = false;
  const UnaryConfig* exp = nullptr;  // the axis loop's kernels
  pnn_f32_vbinary_ukernel_fn vmax = nullptr, vsub = nullptr, vadd = nullptr, vdiv = nullptr;
  pnn_f32_vbinary_ukernel_fn vsubc = nullptr;
  size_t channels = 0;
  size_t batch = 0;  // rows, or outer blocks when inner > 1
  size_t inner = 1;  // elements between neighbours along the axis
  size_t rows_per_task = 1;

  // Log-softmax of one row of c: y = (x - max) - log(sum exp(x - max)).
  void log_row(const float* x, float* y, float max) const {
    const size_t c = channels;
    float sum = 0.0f;
    float block[kBlock];
    for (size_t i = 0; i < c; i += kBlock) {
      float s;
      config->raddstoreexpminusmax(min_size(kBlock, c - i), x + i, max, block, &s);
      sum += s;
    }
    const float log_sum = std::log(sum);
    vsubc(c, x, &max, y, &kNoClamp);
    vsubc(c, y, &log_sum, y, &kNoClamp);
  }

  static void rows_task(void* ctx, size_t start, size_t rows) {
    const auto* op = static_cast<const SoftmaxOperator*>(ctx);
    const SoftmaxConfig* k = op->config;
    const size_t c = op->channels;
    for (size_t r = start; r < start + rows; r++) {
      const float* x = op->input + r * op->rows.input_stride;
      float* y = op->output + r * op->rows.output_stride;
      float max;
      k->rmax(c, x, &max);
      if (op->log) {
        op->log_row(x, y, max);
        continue;
      }
      float sum;
      k->raddstoreexpminusmax(c, x, max, y, &sum);
      // One division per row; the kernel then multiplies.
      k->vscale(c, y, 1.0f / sum, y);
    }
  }

  // Columns [col, col + n) (n <= kBlock) of outer block `o`.
  static void axis_task(void* ctx, size_t o, size_t col, size_t, size_t n) {
    const auto* op = static_cast<const SoftmaxOperator*>(ctx);
    const size_t c = op->channels, inner = op->inner;
    const float* x = op->input + o * c * inner + col;
    float* y = op->output + o * c * inner + col;
    const pnn_f32_unary_params none{};
    float m[kBlock], s[kBlock], t[kBlock];
    std::memcpy(m, x, n * sizeof(float));
    for (size_t i = 1; i < c; i++) op->vmax(n, m, x + i * inner, m, &kNoClamp);
    std::memset(s, 0, n * sizeof(float));
    for (size_t i = 0; i < c; i++) {
      // Log-softmax keeps x (it is read again below), so its exponentials go to t.
      float* e = op->log ? t : y + i * inner;
      op->vsub(n, x + i * inner, m, e, &kNoClamp);
      op->exp->fn(n, e, e, &none);
      op->vadd(n, s, e, s, &kNoClamp);
    }
    if (!op->log) {
      for (size_t i = 0; i < c; i++) op->vdiv(n, y + i * inner, s, y + i * inner, &kNoClamp);
      return;
    }
    for (size_t j = 0; j < n; j++) s[j] = std::log(s[j]);
    for (size_t i = 0; i < c; i++) {
      op->vsub(n, x + i * inner, m, y + i * inner, &kNoClamp);
      op->vsub(n, y + i * inner, s, y + i * inner, &kNoClamp);
    }
  }

  void run(pnn_threadpool_t pool) override {
    if (inner == 1) {
      parallelize_1d_tile(pool, rows_task, this, batch, rows_per_task);
    } else {
      parallelize_2d_tile(pool, axis_task, this, batch, inner, 1, kBlock);
    }
  }

  pnn_status reshape(const NcStrides& strides, size_t batch_size) {
    const NcRows r = {"batch_size", batch_size, "channels", channels};
    const pnn_status s = plan_nc_rows(r, r, strides, &rows);
    if (s != pnn_status_success) return s;
    batch = batch_size;
    inner = 1;
    rows_per_task = max_size(1, kSoftmaxTaskElements / channels);
    kernel_name = config->raddstoreexpminusmax_name;
    return pnn_status_success;
  }

  // A dense N-D tensor, softmax along `axis` (whose dim must be `channels`).
  pnn_status reshape_nd(size_t num_dims, const size_t* shape, int32_t axis) {
    AxisSplit split;
    pnn_status s = split_at_axis({"num_dims", "shape", num_dims, shape}, axis, &split);
    if (s != pnn_status_success) return s;
    if (split.dim != channels) {
      return fail(pnn_status_invalid_parameter,
                  "shape[%zu] (axis %d) is %zu; it must equal channels (%zu)", split.axis,
                  static_cast<int>(axis), split.dim, channels);
    }
    const size_t outer = split.outer, after = split.inner;
    if (after == 1) return reshape(NcStrides::dense(), outer);
    // Each outer block is one dense "row" of channels * inner floats (for the overlap check).
    const NcRows r = {"the dims before axis", outer, "the elements from axis on", channels * after};
    s = plan_nc_rows(r, r, NcStrides::dense(), &rows);
    if (s != pnn_status_success) return s;
    batch = outer;
    inner = after;
    kernel_name = exp->name;
    return pnn_status_success;
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_softmax_nc_f32(size_t channels, uint32_t flags, pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s == pnn_status_success) s = check_channels(channels);
  if (s == pnn_status_success) s = check_flags(flags, PNN_FLAG_LOG_SOFTMAX, "PNN_FLAG_LOG_SOFTMAX");
  if (s != pnn_status_success) return s;
  const SoftmaxConfig* config = get_softmax_config();
  const UnaryConfig* exp = get_unary_config(pnn_unary_exp);
  const VBinaryConfig* vmax = get_vbinary_config(pnn_binary_maximum);
  const VBinaryConfig* vsub = get_vbinary_config(pnn_binary_subtract);
  const VBinaryConfig* vadd = get_vbinary_config(pnn_binary_add);
  const VBinaryConfig* vdiv = get_vbinary_config(pnn_binary_divide);
  if (config->rmax == nullptr || config->raddstoreexpminusmax == nullptr ||
      config->vscale == nullptr || exp->fn == nullptr || vmax->op.fn == nullptr ||
      vsub->op.fn == nullptr || vsub->opc.fn == nullptr || vadd->op.fn == nullptr ||
      vdiv->op.fn == nullptr) {
    return fail(pnn_status_unsupported_parameter, "softmax has no kernels in this build");
  }

  auto* op = new_operator<SoftmaxOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "no memory for the operator");
  op->config = config;
  op->log = (flags & PNN_FLAG_LOG_SOFTMAX) != 0;
  op->exp = exp;
  op->vmax = vmax->op.fn;
  op->vsub = vsub->op.fn;
  op->vsubc = vsub->opc.fn;
  op->vadd = vadd->op.fn;
  op->vdiv = vdiv->op.fn;
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

pnn_status pnn_reshape_softmax_nd_f32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                      int32_t axis, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<SoftmaxOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  const pnn_status s = t->reshape_nd(num_dims, shape, axis);
  if (s == pnn_status_success) t->state = OpState::kNeedsSetup;
  return s;
}

pnn_status pnn_setup_softmax_nc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  return setup_nc<SoftmaxOperator>(op, input, output);
}

}  // extern "C"
