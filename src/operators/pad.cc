// Pad N-D: constant (the x32 pad kernel), reflect and edge (ONNX Pad modes).
//
// Reshape folds the dims first: input dims of size 1 without padding are dropped, and a dim
// without padding merges into the dim outside it (in constant mode the outer dim's paddings
// then count whole inner blocks: pad p of dim d is p * size(d + 1) elements of the merged dim;
// in reflect and edge mode only when the outer dim has no padding either, since mirroring a
// merged index is not mirroring the outer one). The output is then rows of the innermost
// folded dim (pre + input + post elements), one per index of the outer dims; each row is
//   constant: all padding_value when an outer index falls in padding (the x32 fill kernel),
//             else pre values, the input row, post values (the x32 pad kernel);
//   reflect / edge: the input row the outer indices map to, copied (the x32 copy kernel), with
//             its mirrored or repeated edge elements on either side.
// Rows are independent and split across threads in runs of whole rows, so results do not
// depend on threads.
#include <cstdint>
#include <cstring>

#include "checks.h"
#include "configs/x32-config.h"
#include "data-movement.h"
#include "parallel.h"
#include "shape.h"

namespace {

using namespace pnn;

// Rows are grouped into tasks of about kTaskElements output elements.
struct PadOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kPad;
  static constexpr size_t kTaskElements = 16384;
  PadOperator() : pnn_operator(kType) {}

  int mode = pnn_pad_constant;  // from create
  uint32_t value = 0;           // bits of padding_value
  const X32Config* config = nullptr;

  // Folded dims (outermost first) and their input strides, from reshape.
  size_t num_dims = 0;
  size_t in[PNN_MAX_DIMS] = {}, pre[PNN_MAX_DIMS] = {}, out[PNN_MAX_DIMS] = {};
  size_t in_stride[PNN_MAX_DIMS] = {};
  size_t rows = 1, rows_per_task = 1;
  size_t input_count = 0, output_count = 0;

  const void* input = nullptr;  // bound at setup (setup_move)
  void* output = nullptr;

  // The input index an output index o of dim d reads; false when it is padding (constant).
  bool source(size_t d, size_t o, size_t* i) const {
    const size_t n = in[d];
    if (o >= pre[d] && o - pre[d] < n) {
      *i = o - pre[d];
      return true;
    }
    if (mode == pnn_pad_constant) return false;
    const bool before = o < pre[d];
    if (mode == pnn_pad_edge) {
      *i = before ? 0 : n - 1;
    } else {  // reflect: pre, post < n, so the mirror lands inside
      *i = before ? pre[d] - o : 2 * (n - 1) - (o - pre[d]);
    }
    return true;
  }

  void pad_row(size_t r, uint32_t* y) const {
    const size_t last = num_dims - 1;
    const size_t len = out[last];
    size_t offset = 0;
    for (size_t d = last; d-- > 0;) {
      const size_t o = r % out[d];
      r /= out[d];
      size_t i;
      if (!source(d, o, &i)) {
        config->fill.fn(1, len, value, y, len);
        return;
      }
      offset += i * in_stride[d];
    }
    const uint32_t* x = static_cast<const uint32_t*>(input) + offset;
    const size_t n = in[last], left = pre[last], right = len - left - n;
    if (mode == pnn_pad_constant) {
      config->pad.fn(1, left, n, right, x, n, value, y, len);
      return;
    }
    config->copy.fn(1, n, x, n, y + left, len);
    size_t i = 0;
    for (size_t j = 0; j < left; j++) {
      source(last, j, &i);
      y[j] = x[i];
    }
    for (size_t j = left + n; j < len; j++) {
      source(last, j, &i);
      y[j] = x[i];
    }
  }

  static void task(void* ctx, size_t start, size_t count) {
    const auto* op = static_cast<const PadOperator*>(ctx);
    const size_t len = op->out[op->num_dims - 1];
    uint32_t* y = static_cast<uint32_t*>(op->output);
    for (size_t r = start; r < start + count; r++) op->pad_row(r, y + r * len);
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_1d_tile(pool, task, this, rows, rows_per_task);
  }
};

}  // namespace

extern "C" {

pnn_status pnn_create_pad_nd_x32(pnn_pad_mode mode, float padding_value, uint32_t flags,
                                 pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  const int m = enum_value(mode);
  return create_move<PadOperator>(
      flags, op_out,
      [m] {
        if (m == pnn_pad_constant || m == pnn_pad_reflect || m == pnn_pad_edge) {
          return pnn_status_success;
        }
        return fail(pnn_status_invalid_parameter,
                    "mode is %d; it must be pnn_pad_constant (0), pnn_pad_reflect (1) or "
                    "pnn_pad_edge (2)",
                    m);
      },
      [&](PadOperator* op) {
        op->mode = m;
        std::memcpy(&op->value, &padding_value, sizeof op->value);
        op->config = get_x32_config();
      });
}

pnn_status pnn_reshape_pad_nd_x32(pnn_operator_t op, size_t num_dims, const size_t* shape,
                                  const size_t* pre_paddings, const size_t* post_paddings,
                                  size_t* output_shape, pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* t = operator_cast<PadOperator>(op);
  if (t == nullptr) return pnn_status_invalid_parameter;
  size_t in_count, out_count;
  pnn_status s = check_shape("num_dims", "shape", num_dims, shape, 1);
  if (s == pnn_status_success) s = check_element_count("shape", shape, num_dims, &in_count);
  if (s != pnn_status_success) return s;
  if (pre_paddings == nullptr) return fail(pnn_status_invalid_parameter, "pre_paddings is NULL");
  if (post_paddings == nullptr) {
    return fail(pnn_status_invalid_parameter, "post_paddings is NULL");
  }
  size_t out_shape[PNN_MAX_DIMS];
  for (size_t i = 0; i < num_dims; i++) {
    const size_t pad = max_size(pre_paddings[i], post_paddings[i]);
    if (t->mode == pnn_pad_reflect && pad >= shape[i]) {
      return fail(pnn_status_invalid_parameter,
                  "%s[%zu] is %zu; in reflect mode each padding must be < shape[%zu] (%zu)",
                  pre_paddings[i] >= shape[i] ? "pre_paddings" : "post_paddings", i, pad, i,
                  shape[i]);
    }
    if (!checked_add(shape[i], pre_paddings[i], &out_shape[i]) ||
        !checked_add(out_shape[i], post_paddings[i], &out_shape[i])) {
      return fail(pnn_status_invalid_parameter,
                  "pre_paddings[%zu] + shape[%zu] + post_paddings[%zu] overflows size_t", i, i,
                  i);
    }
  }
  s = check_element_count("the output shape", out_shape, num_dims, &out_count);
  if (s != pnn_status_success) return s;

  // Fold (see the top of the file); counts stay within out_count, so nothing overflows.
  const bool constant = t->mode == pnn_pad_constant;
  size_t n = 0;
  size_t in[PNN_MAX_DIMS], pre[PNN_MAX_DIMS], out[PNN_MAX_DIMS];
  for (size_t i = 0; i < num_dims; i++) {
    const bool padded = out_shape[i] != shape[i];
    if (!padded && shape[i] == 1) continue;
    if (!padded && n > 0 && (constant || out[n - 1] == in[n - 1])) {
      in[n - 1] *= shape[i];
      pre[n - 1] *= shape[i];
      out[n - 1] *= shape[i];
      continue;
    }
    in[n] = shape[i];
    pre[n] = pre_paddings[i];
    out[n] = out_shape[i];
    n++;
  }
  if (n == 0) {
    in[0] = out[0] = 1;
    pre[0] = 0;
    n = 1;
  }
  t->num_dims = n;
  t->rows = 1;
  for (size_t d = 0; d < n; d++) {
    t->in[d] = in[d];
    t->pre[d] = pre[d];
    t->out[d] = out[d];
    if (d + 1 < n) t->rows *= out[d];
  }
  dense_strides(n, in, t->in_stride);
  t->rows_per_task = max_size(1, PadOperator::kTaskElements / out[n - 1]);
  t->input_count = in_count;
  t->output_count = out_count;
  t->kernel_name = constant ? t->config->pad.name : t->config->copy.name;
  t->input = nullptr;
  t->output = nullptr;
  t->state = OpState::kNeedsSetup;
  if (output_shape != nullptr) {
    for (size_t i = 0; i < num_dims; i++) output_shape[i] = out_shape[i];
  }
  return pnn_status_success;
}

pnn_status pnn_setup_pad_nd_x32(pnn_operator_t op, const void* input, void* output) {
  PNN_API_SCOPE();
  return setup_move<PadOperator>(op, input, output);
}

}  // extern "C"
