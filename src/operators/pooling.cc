// 2-D max and average pooling, NHWC. Both run an indirection-based kernel from their config:
// reshape resolves the padding, builds one indirection buffer for a single image (kernel_size
// row pointers per output pixel, relative to an anchor) and, for average pooling, the per-pixel
// reciprocal counts; setup turns the input pointer into an offset from the anchor; run walks
// batch x output rows, one kernel call per row, so results do not depend on the thread count.
#include <cstdint>

#include "allocator.h"
#include "configs/pooling-config.h"
#include "operator.h"
#include "parallel.h"

namespace {

using namespace pnn;

// dilation * (kernel - 1) + 1, exact in 64 bits for 32-bit operands.
uint64_t effective_extent(uint32_t kernel, uint32_t dilation) {
  return uint64_t{dilation} * (kernel - 1) + 1;
}

// One spatial axis, resolved for one input size.
struct Axis {
  uint64_t in = 0, out = 0;
  uint64_t kernel = 0, stride = 0, dilation = 0;
  uint64_t pad_before = 0;
};

// Resolves out and pad_before of an axis. False when the output would be empty, a size
// overflows, or a window would hold no input position. Positions y in window o are
// o*stride - pad_before + k*dilation; the code works with raw = o*stride + k*dilation
// (unsigned, no negatives) and maps raw to input row raw - pad_before when in range.
// On success every raw position fits in 64 bits.
bool resolve_axis(uint64_t in, uint32_t kernel, uint32_t stride, uint32_t dilation,
                  uint32_t pad_before, uint32_t pad_after, bool same, Axis* axis) {
  const uint64_t extent = effective_extent(kernel, dilation);
  uint64_t out, before;
  if (same) {
    // TensorFlow: out = ceil(in / stride); the total padding makes the last window end at the
    // padded edge, and the odd pixel goes after.
    out = in / stride + (in % stride != 0 ? 1 : 0);
    uint64_t needed;  // (out - 1) * stride < in, so only the addition can overflow
    if (__builtin_add_overflow((out - 1) * stride, extent, &needed)) return false;
    const uint64_t total = needed > in ? needed - in : 0;
    before = total / 2;
  } else {
    uint64_t padded;
    if (__builtin_add_overflow(in, uint64_t{pad_before}, &padded) ||
        __builtin_add_overflow(padded, uint64_t{pad_after}, &padded) || padded < extent) {
      return false;
    }
    out = (padded - extent) / stride + 1;
    before = pad_before;
  }
  // A window that starts inside the input holds its first tap. One that starts in the leading
  // padding (o*stride < before) reaches the input (before < extent), but with dilation its taps
  // may step over a short input: its first tap at or past the edge must land before `in`.
  if (in < dilation) {
    for (uint64_t o = 0; o < out && o * stride < before; o++) {
      const uint64_t start = o * stride;
      const uint64_t gap = before - start;  // distance from tap 0 to the input
      const uint64_t first = (dilation - gap % dilation) % dilation;  // first tap's input row
      if (first >= in) return false;
    }
  }
  axis->in = in;
  axis->out = out;
  axis->kernel = kernel;
  axis->stride = stride;
  axis->dilation = dilation;
  axis->pad_before = before;
  return true;
}

// Shared state and reshape/setup of both pooling operators.
struct Pooling2dBase : pnn_operator {
  explicit Pooling2dBase(OpType t) : pnn_operator(t) {}

  pnn_pooling2d_params params{};
  pnn_f32_minmax_params clamp{};
  size_t kernel_size = 0;  // pooling_height * pooling_width
  bool count_include_pad = false;
  bool is_average = false;

  // A row of `channels` zeros: average pooling reads it for padded taps. Both operators also
  // use the address just past it as the anchor of the indirection pointers, which therefore
  // never equal the zero row (see reshape).
  AlignedBuffer<float> zero;
  AlignedBuffer<const float*> indirection;  // [out_h][out_w][kernel_size], for one image
  AlignedBuffer<float> multipliers;         // average: [out_h][out_w] reciprocal counts
  uintptr_t anchor = 0;

  size_t batch = 0, out_h = 0, out_w = 0;
  size_t image_elements = 0;  // in_h * in_w * channels
  size_t input_offset = 0;    // elements from the anchor to the input (modular)
  float* output = nullptr;

  pnn_status reshape(size_t n, size_t in_h, size_t in_w, size_t* oh_out, size_t* ow_out);
  void setup(const float* input, float* out);
};

// A rejected shape leaves the operator as it was (like the other operators' reshapes); only a
// failed allocation, which may already have replaced a buffer, forces a new reshape.
pnn_status Pooling2dBase::reshape(size_t n, size_t in_h, size_t in_w, size_t* oh_out,
                                  size_t* ow_out) {
  if (n == 0 || in_h == 0 || in_w == 0) return pnn_status_invalid_parameter;
  const pnn_pooling2d_params& p = params;
  const bool same = (p.flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  Axis ay, ax;
  if (!resolve_axis(in_h, p.pooling_height, p.stride_height, p.dilation_height, p.padding_top,
                    p.padding_bottom, same, &ay) ||
      !resolve_axis(in_w, p.pooling_width, p.stride_width, p.dilation_width, p.padding_left,
                    p.padding_right, same, &ax)) {
    return pnn_status_invalid_parameter;
  }
  if (ay.out > SIZE_MAX || ax.out > SIZE_MAX) return pnn_status_invalid_parameter;
  const size_t oh = static_cast<size_t>(ay.out), ow = static_cast<size_t>(ax.out);
  const size_t channels = p.channels;

  // Every buffer the caller passes must be addressable in bytes; the anchor argument needs
  // (image + one row) bytes to fit as well.
  size_t image, input_total, pixels, output_total, indirection_count, span;
  if (!checked_mul(in_h, in_w, &image) || !checked_mul(image, channels, &image) ||
      !checked_mul(image, n, &input_total) || input_total > SIZE_MAX / sizeof(float) ||
      !checked_add(image, channels, &span) || span > SIZE_MAX / sizeof(float) ||
      !checked_mul(oh, ow, &pixels) || !checked_mul(pixels, channels, &output_total) ||
      !checked_mul(output_total, n, &output_total) || output_total > SIZE_MAX / sizeof(float) ||
      !checked_mul(pixels, kernel_size, &indirection_count)) {
    return pnn_status_invalid_parameter;
  }

  // Grow into fresh buffers and swap only once both exist, so that running out of memory leaves
  // the operator exactly as it was (its previous shape and setup still run).
  AlignedBuffer<const float*> new_indirection;
  AlignedBuffer<float> new_multipliers;
  const bool grow_indirection = !indirection.holds(indirection_count);
  const bool grow_multipliers = is_average && !multipliers.holds(pixels);
  if ((grow_indirection && !new_indirection.allocate(indirection_count)) ||
      (grow_multipliers && !new_multipliers.allocate(pixels))) {
    return pnn_status_out_of_memory;
  }
  if (grow_indirection) indirection.swap(new_indirection);
  if (grow_multipliers) multipliers.swap(new_multipliers);

  // Pointers are anchor + element index * sizeof(float), formed in integer arithmetic. The
  // anchor is one row past the zero row and every index is below `image`, so with
  // (image + channels) * sizeof(float) representable no pointer can wrap onto the zero row.
  const float* zero_row = zero.data();
  anchor = reinterpret_cast<uintptr_t>(zero_row) + channels * sizeof(float);
  const size_t kw = static_cast<size_t>(ax.kernel);
  const float** ind = indirection.data();
  float* mult = multipliers.data();
  for (size_t oy = 0; oy < oh; oy++) {
    for (size_t ox = 0; ox < ow; ox++) {
      const float* first_valid = nullptr;
      size_t valid = 0;
      for (uint64_t ky = 0; ky < ay.kernel; ky++) {
        const uint64_t ry = oy * ay.stride + ky * ay.dilation;
        const bool vy = ry >= ay.pad_before && ry - ay.pad_before < ay.in;
        for (uint64_t kx = 0; kx < ax.kernel; kx++) {
          const uint64_t rx = ox * ax.stride + kx * ax.dilation;
          const bool vx = rx >= ax.pad_before && rx - ax.pad_before < ax.in;
          const float* ptr = zero_row;
          if (vy && vx) {
            const size_t pixel = static_cast<size_t>(ry - ay.pad_before) * in_w +
                                 static_cast<size_t>(rx - ax.pad_before);
            ptr = reinterpret_cast<const float*>(anchor + pixel * channels * sizeof(float));
            if (first_valid == nullptr) first_valid = ptr;
            valid++;
          }
          ind[static_cast<size_t>(ky) * kw + static_cast<size_t>(kx)] = ptr;
        }
      }
      // resolve_axis guarantees valid >= 1.
      if (is_average) {
        const size_t count = count_include_pad ? kernel_size : valid;
        *mult++ = static_cast<float>(1.0 / static_cast<double>(count));
      } else {
        // Max pooling has no padding row: a padded tap repeats a valid tap of its window.
        for (size_t k = 0; k < kernel_size; k++) {
          if (ind[k] == zero_row) ind[k] = first_valid;
        }
      }
      ind += kernel_size;
    }
  }

  batch = n;
  out_h = oh;
  out_w = ow;
  image_elements = image;
  set_if(oh_out, oh);
  set_if(ow_out, ow);
  state = OpState::kNeedsSetup;
  return pnn_status_success;
}

void Pooling2dBase::setup(const float* input, float* out) {
  // Modular distance in elements; floats are 4-byte aligned, as is the anchor, so the division
  // is exact even when the difference wraps.
  input_offset = (reinterpret_cast<uintptr_t>(input) - anchor) / sizeof(float);
  output = out;
  state = OpState::kReady;
}

struct MaxPooling2dOperator final : Pooling2dBase {
  static constexpr OpType kType = OpType::kMaxPooling2d;
  MaxPooling2dOperator() : Pooling2dBase(kType) {}
  const MaxPoolConfig* config = nullptr;

  static void task(void* ctx, size_t n, size_t oy, size_t, size_t) {
    auto* op = static_cast<MaxPooling2dOperator*>(ctx);
    const size_t c = op->params.channels;
    op->config->fn(op->out_w, op->kernel_size, c,
                   op->indirection.data() + oy * op->out_w * op->kernel_size,
                   op->input_offset + n * op->image_elements, op->kernel_size,
                   op->output + (n * op->out_h + oy) * op->out_w * c, c, &op->clamp);
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_2d_tile(pool, task, this, batch, out_h, 1, 1);
  }
};

struct AveragePooling2dOperator final : Pooling2dBase {
  static constexpr OpType kType = OpType::kAveragePooling2d;
  AveragePooling2dOperator() : Pooling2dBase(kType) {}
  const AvgPoolConfig* config = nullptr;

  static void task(void* ctx, size_t n, size_t oy, size_t, size_t) {
    auto* op = static_cast<AveragePooling2dOperator*>(ctx);
    const size_t c = op->params.channels;
    op->config->fn(op->out_w, op->kernel_size, c,
                   op->indirection.data() + oy * op->out_w * op->kernel_size,
                   op->input_offset + n * op->image_elements, op->kernel_size, op->zero.data(),
                   op->multipliers.data() + oy * op->out_w,
                   op->output + (n * op->out_h + oy) * op->out_w * c, c, &op->clamp);
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_2d_tile(pool, task, this, batch, out_h, 1, 1);
  }
};

// Create-time checks common to both operators; `allowed_flags` differs between them.
pnn_status validate_params(const pnn_pooling2d_params* p, uint32_t allowed_flags) {
  if (p == nullptr) return pnn_status_invalid_parameter;
  if (p->pooling_height == 0 || p->pooling_width == 0 || p->stride_height == 0 ||
      p->stride_width == 0 || p->dilation_height == 0 || p->dilation_width == 0 ||
      p->channels == 0 || p->channels > SIZE_MAX / sizeof(float)) {
    return pnn_status_invalid_parameter;
  }
  if (!valid_clamp(p->output_min, p->output_max)) return pnn_status_invalid_parameter;
  if ((p->flags & ~allowed_flags) != 0) return pnn_status_invalid_parameter;
  const bool any_padding =
      (p->padding_top | p->padding_right | p->padding_bottom | p->padding_left) != 0;
  if ((p->flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0 && any_padding)
    return pnn_status_invalid_parameter;
  // A window lying entirely in padding has no defined maximum or average.
  const uint64_t eh = effective_extent(p->pooling_height, p->dilation_height);
  const uint64_t ew = effective_extent(p->pooling_width, p->dilation_width);
  if (p->padding_top >= eh || p->padding_bottom >= eh || p->padding_left >= ew ||
      p->padding_right >= ew) {
    return pnn_status_invalid_parameter;
  }
  size_t ks;
  if (!checked_mul(p->pooling_height, p->pooling_width, &ks)) return pnn_status_invalid_parameter;
  return pnn_status_success;
}

// Fills the shared fields and the zero row of a freshly allocated operator.
pnn_status init_base(Pooling2dBase* op, const pnn_pooling2d_params* p, bool is_average) {
  op->params = *p;
  op->clamp = pnn_f32_minmax_params{p->output_min, p->output_max};
  op->kernel_size = size_t{p->pooling_height} * p->pooling_width;
  op->is_average = is_average;
  op->count_include_pad = is_average && (p->flags & PNN_FLAG_COUNT_INCLUDE_PAD) != 0;
  if (!op->zero.allocate(p->channels)) return pnn_status_out_of_memory;  // zero-filled
  return pnn_status_success;
}

template <typename Op>
pnn_status reshape_pooling(pnn_operator_t op, size_t batch, size_t in_h, size_t in_w,
                           size_t* oh_out, size_t* ow_out) {
  Op* p = operator_cast<Op>(op);
  if (p == nullptr) return pnn_status_invalid_parameter;
  return p->reshape(batch, in_h, in_w, oh_out, ow_out);
}

template <typename Op>
pnn_status setup_pooling(pnn_operator_t op, const float* input, float* output) {
  Op* p;
  pnn_status s = check_setup(op, &p, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  // Products checked at reshape; the kernels read the input while writing the output.
  if (ranges_overlap(input, p->batch * p->image_elements, output,
                     p->batch * p->out_h * p->out_w * p->params.channels)) {
    return pnn_status_invalid_parameter;
  }
  p->setup(input, output);
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_max_pooling2d_nhwc_f32(const pnn_pooling2d_params* params,
                                             pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  s = validate_params(params, PNN_FLAG_TENSORFLOW_SAME_PADDING);
  if (s != pnn_status_success) return s;
  const MaxPoolConfig* config = get_maxpool_config();
  if (config->fn == nullptr) return pnn_status_unsupported_hardware;

  auto* op = new_operator<MaxPooling2dOperator>();
  if (op == nullptr) return pnn_status_out_of_memory;
  s = init_base(op, params, /*is_average=*/false);
  if (s != pnn_status_success) {
    delete op;
    return s;
  }
  op->config = config;
  op->kernel_name = config->name;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_max_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch, size_t input_height,
                                              size_t input_width, size_t* output_height,
                                              size_t* output_width, pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_pooling<MaxPooling2dOperator>(op, batch, input_height, input_width, output_height,
                                               output_width);
}

pnn_status pnn_setup_max_pooling2d_nhwc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  return setup_pooling<MaxPooling2dOperator>(op, input, output);
}

pnn_status pnn_create_average_pooling2d_nhwc_f32(const pnn_pooling2d_params* params,
                                                 pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  s = validate_params(params, PNN_FLAG_TENSORFLOW_SAME_PADDING | PNN_FLAG_COUNT_INCLUDE_PAD);
  if (s != pnn_status_success) return s;
  // Valid in general, but the average kernels assume contiguous windows (no dilation).
  if (params->dilation_height != 1 || params->dilation_width != 1)
    return pnn_status_unsupported_parameter;
  const AvgPoolConfig* config = get_avgpool_config();
  if (config->fn == nullptr) return pnn_status_unsupported_hardware;

  auto* op = new_operator<AveragePooling2dOperator>();
  if (op == nullptr) return pnn_status_out_of_memory;
  s = init_base(op, params, /*is_average=*/true);
  if (s != pnn_status_success) {
    delete op;
    return s;
  }
  op->config = config;
  op->kernel_name = config->name;
  *op_out = op;
  return pnn_status_success;
}

pnn_status pnn_reshape_average_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                  size_t input_height, size_t input_width,
                                                  size_t* output_height, size_t* output_width,
                                                  pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_pooling<AveragePooling2dOperator>(op, batch, input_height, input_width,
                                                   output_height, output_width);
}

pnn_status pnn_setup_average_pooling2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                float* output) {
  PNN_API_SCOPE();
  return setup_pooling<AveragePooling2dOperator>(op, input, output);
}

}  // extern "C"
