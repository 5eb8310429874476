// 2-D resize, NHWC: nearest and bilinear (ONNX Resize over H and W).
//
// Bilinear interpolation is separable in its sources: which two input rows and with which
// weight depends on the output row only, which two input columns on the output column only. So
// reshape precomputes one table per axis, O(output_height + output_width) work and memory
// whatever the image size: per output row its two input rows and alpha_y, per output column its
// two column offsets and alpha_x (nearest: one source per row and column). Coordinates are
// evaluated in double from the exact ratio in / out, so ties of the nearest modes (x.5) are
// seen exactly. Run walks output rows (times batch) by column tiles; each tile is one call of
// the bilinear kernel family (kernels/ukernels-ibilinear.h), or one copy of `channels` floats
// per pixel for nearest. A pixel is computed the same way whatever the tiling, so results do
// not depend on the thread count.
#include <cmath>
#include <cstring>

#include "allocator.h"
#include "configs/ibilinear-config.h"
#include "operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// Floats per task: long enough to amortize a task, short enough for two threads on small images.
constexpr size_t kResizeTaskFloats = 4096;

// The input coordinate of output position o on an axis of `in` -> `out` positions.
double source_coordinate(int mode, size_t o, size_t in, size_t out) {
  const double x = static_cast<double>(o), i = static_cast<double>(in);
  const double n = static_cast<double>(out);
  switch (mode) {
    case pnn_resize_pytorch_half_pixel:
      if (out == 1) return 0.0;
      return (x + 0.5) * i / n - 0.5;
    case pnn_resize_align_corners:
      return out == 1 ? 0.0 : x * (i - 1.0) / (n - 1.0);
    case pnn_resize_asymmetric:
      return x * i / n;
    default:  // pnn_resize_half_pixel
      return (x + 0.5) * i / n - 0.5;
  }
}

// The pixel a coordinate rounds to, clamped to [0, in - 1].
size_t nearest_index(int nearest_mode, double c, size_t in) {
  double r;
  switch (nearest_mode) {
    case pnn_resize_round_prefer_ceil:
      r = std::floor(c + 0.5);
      break;
    case pnn_resize_floor:
      r = std::floor(c);
      break;
    case pnn_resize_ceil:
      r = std::ceil(c);
      break;
    default:  // pnn_resize_round_prefer_floor
      r = std::ceil(c - 0.5);
      break;
  }
  const double last = static_cast<double>(in - 1);
  if (!(r > 0.0)) return 0;
  return r >= last ? in - 1 : static_cast<size_t>(r);
}

// One axis's sources: first[o] (and, bilinear, second[o] and the weight alpha[o] of second).
struct AxisTable {
  AlignedBuffer<size_t> index;  // nearest: 1 per output, bilinear: 2 per output
  AlignedBuffer<float> alpha;   // bilinear only
  void swap(AxisTable& other) {
    index.swap(other.index);
    alpha.swap(other.alpha);
  }
};

// Fills `t` for `out` outputs; `scale` multiplies the indices (columns: channels). False when
// out of memory.
bool build_axis(AxisTable* t, bool bilinear, int coordinate_mode, int nearest_mode, size_t in,
                size_t out, size_t scale) {
  if (!t->index.reserve(bilinear ? 2 * out : out) || (bilinear && !t->alpha.reserve(out))) {
    return false;
  }
  const double last = static_cast<double>(in - 1);
  for (size_t o = 0; o < out; o++) {
    const double c = source_coordinate(coordinate_mode, o, in, out);
    if (!bilinear) {
      t->index.data()[o] = nearest_index(nearest_mode, c, in) * scale;
      continue;
    }
    const double clamped = c > 0.0 ? (c < last ? c : last) : 0.0;
    const size_t i0 = static_cast<size_t>(clamped);
    t->index.data()[2 * o] = i0 * scale;
    t->index.data()[2 * o + 1] = (i0 + 1 < in ? i0 + 1 : i0) * scale;
    t->alpha.data()[o] = static_cast<float>(clamped - static_cast<double>(i0));
  }
  return true;
}

struct ResizeOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kResize2d;
  ResizeOperator() : pnn_operator(kType) {}

  // --- create ---
  size_t channels = 0;
  bool bilinear = false;
  int coordinate_mode = 0, nearest_mode = 0;
  const IbilinearConfig* ibilinear = nullptr;

  // --- reshape ---
  size_t batch = 0, ih = 0, iw = 0, oh = 0, ow = 0;
  size_t input_count = 0, output_count = 0, column_tile = 0;
  AxisTable rows, columns;

  // --- setup ---
  const float* input = nullptr;
  float* output = nullptr;

  // Range (batch * oh, ow): output row r, columns [x0, x0 + count).
  static void task(void* ctx, size_t r, size_t x0, size_t, size_t count) {
    auto* op = static_cast<ResizeOperator*>(ctx);
    const size_t n = r / op->oh, oy = r % op->oh, c = op->channels;
    const float* image = op->input + n * op->ih * op->iw * c;
    const size_t row_floats = op->iw * c;
    float* y = op->output + (r * op->ow + x0) * c;
    if (op->bilinear) {
      const size_t* ry = op->rows.index.data() + 2 * oy;
      op->ibilinear->fn(count, c, image + ry[0] * row_floats, image + ry[1] * row_floats,
                        op->columns.index.data() + 2 * x0, op->columns.alpha.data() + x0,
                        op->rows.alpha.data()[oy], y);
      return;
    }
    const float* row = image + op->rows.index.data()[oy] * row_floats;
    const size_t* cols = op->columns.index.data() + x0;
    for (size_t x = 0; x < count; x++) std::memcpy(y + x * c, row + cols[x], c * sizeof(float));
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_2d_tile(pool, task, this, batch * oh, ow, 1, column_tile);
  }
};

}  // namespace

extern "C" pnn_status pnn_create_resize2d_nhwc_f32(const pnn_resize2d_params* p,
                                                   pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (p == nullptr) return fail(pnn_status_invalid_parameter, "params is NULL");
  if (p->channels == 0) return fail(pnn_status_invalid_parameter, "channels is 0; it must be >= 1");
  const int mode = enum_value(p->mode), coordinates = enum_value(p->coordinate_mode);
  const int nearest = enum_value(p->nearest_mode);
  if (mode != pnn_resize_nearest && mode != pnn_resize_bilinear) {
    return fail(pnn_status_invalid_parameter,
                "mode is %d; it must be pnn_resize_nearest (0) or pnn_resize_bilinear (1)", mode);
  }
  if (coordinates < pnn_resize_half_pixel || coordinates > pnn_resize_asymmetric) {
    return fail(pnn_status_invalid_parameter,
                "coordinate_mode is %d; it must be a pnn_resize_coordinate_mode (0 to 3)",
                coordinates);
  }
  if (nearest < pnn_resize_round_prefer_floor || nearest > pnn_resize_ceil) {
    return fail(pnn_status_invalid_parameter,
                "nearest_mode is %d; it must be a pnn_resize_nearest_mode (0 to 3)", nearest);
  }
  if (p->flags != 0) {
    return fail(pnn_status_invalid_parameter, "flags is %u; resize takes no flags (it must be 0)",
                p->flags);
  }
  const IbilinearConfig* ibilinear = get_ibilinear_config();
  if (mode == pnn_resize_bilinear && ibilinear->fn == nullptr) {
    return fail(pnn_status_unsupported_parameter,
                "no bilinear kernel is available at this ISA level");
  }
  auto* op = new_operator<ResizeOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "out of memory for the operator");
  op->channels = p->channels;
  op->bilinear = mode == pnn_resize_bilinear;
  op->coordinate_mode = coordinates;
  op->nearest_mode = nearest;
  op->ibilinear = ibilinear;
  op->kernel_name = op->bilinear ? ibilinear->name : "memcpy";
  *op_out = op;
  return pnn_status_success;
}

extern "C" pnn_status pnn_reshape_resize2d_nhwc_f32(pnn_operator_t op, size_t batch, size_t ih,
                                                    size_t iw, size_t oh, size_t ow,
                                                    pnn_threadpool_t) {
  PNN_API_SCOPE();
  auto* r = operator_cast<ResizeOperator>(op);
  if (r == nullptr) return pnn_status_invalid_parameter;
  const struct {
    const char* name;
    size_t value;
  } dims[] = {{"batch", batch},
              {"input_height", ih},
              {"input_width", iw},
              {"output_height", oh},
              {"output_width", ow}};
  for (const auto& d : dims) {
    if (d.value == 0) return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1", d.name);
  }
  const size_t c = r->channels;
  size_t in = 0, out = 0;
  pnn_status s = nhwc_floats("input", batch, ih, iw, c, 0, &in);
  if (s == pnn_status_success) s = nhwc_floats("output", batch, oh, ow, c, 0, &out);
  if (s != pnn_status_success) return s;
  // Built aside and swapped in on success: a failed reshape leaves the operator as it was. The
  // entry counts (2 * oh, 2 * ow <= 2 * out) fit size_t; allocate() checks their bytes.
  AxisTable rows, columns;
  if (!build_axis(&rows, r->bilinear, r->coordinate_mode, r->nearest_mode, ih, oh, 1) ||
      !build_axis(&columns, r->bilinear, r->coordinate_mode, r->nearest_mode, iw, ow, c)) {
    return fail(pnn_status_out_of_memory, "out of memory for the %zu + %zu entry source tables", oh,
                ow);
  }
  r->rows.swap(rows);
  r->columns.swap(columns);
  r->batch = batch;
  r->ih = ih;
  r->iw = iw;
  r->oh = oh;
  r->ow = ow;
  r->input_count = in;
  r->output_count = out;
  r->column_tile = max_size(1, kResizeTaskFloats / c);
  r->state = OpState::kNeedsSetup;
  return pnn_status_success;
}

extern "C" pnn_status pnn_setup_resize2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                  float* output) {
  PNN_API_SCOPE();
  ResizeOperator* r;
  return setup_disjoint(op, &r, input, output);
}
