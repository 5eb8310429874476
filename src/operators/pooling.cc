// 2-D max, argmax and average pooling, NHWC. All run an indirection-based kernel from their
// config:
// reshape resolves both axes (src/window.h: explicit, SAME upper/lower, ceil mode), rejects
// windows that read padding only (closed form, before anything is sized), builds one indirection
// buffer for a single image (src/indirection.h, the convention convolution shares) and, for
// average pooling, the per-pixel reciprocal counts; setup turns the input pointer into the
// kernels' input offset; run walks batch x output rows, one kernel call per row, so results do
// not depend on the thread count. Every failure returns through pnn::fail with a reason.
//
// Argmax pooling is max pooling that also writes, per output element, the index iy * W + ix of
// the input pixel the maximum came from, within its image and channel (the H x W plane: what
// PyTorch's max_pool2d(return_indices) and MaxUnpool use; ONNX MaxPool's Indices add the plane's
// offset (n * C + c) * H * W). The index is per plane, not per tensor, so it does not depend on
// the layout (NHWC here, NCHW in ONNX) and fits uint32 whenever the plane does. Its kernels
// (kernels/f32-argmaxpool.inc) select among indices the operator computes at reshape from the
// indirection pointers themselves, one per tap: a padded tap repeats its window's first valid
// tap, pointer and index alike, so the reported index is the first maximum in the window's
// row-major tap order, the same tap whose value max pooling returns.
#include <cstdint>

#include "allocator.h"
#include "configs/pooling-config.h"
#include "indirection.h"
#include "operator.h"
#include "parallel.h"
#include "window.h"

namespace {

using namespace pnn;

const WindowNames kHeightNames = {"height",          "pooling_height", "stride_height",
                                  "dilation_height", "padding_top",    "padding_bottom"};
const WindowNames kWidthNames = {"width",          "pooling_width", "stride_width",
                                 "dilation_width", "padding_left",  "padding_right"};

// The window of one axis as the parameters give it.
WindowSpec window_spec(const pnn_pooling2d_params& p, bool height) {
  const Padding padding = padding_from_flags(p.flags);
  const bool ceil_mode = (p.flags & PNN_FLAG_CEIL_MODE) != 0;
  return height ? WindowSpec{p.pooling_height, p.stride_height, p.dilation_height, p.padding_top,
                             p.padding_bottom, padding,         ceil_mode}
                : WindowSpec{p.pooling_width, p.stride_width, p.dilation_width, p.padding_left,
                             p.padding_right, padding,        ceil_mode};
}

// Resolves one axis for an input size and rejects windows that read padding only.
pnn_status resolve_pooling_axis(uint64_t in, const WindowSpec& spec, const WindowNames& names,
                                WindowAxis* axis) {
  pnn_status s = resolve_window(in, spec, names, axis);
  if (s != pnn_status_success) return s;
  uint64_t o;
  if (find_padding_only_window(*axis, &o)) {
    return fail(pnn_status_invalid_parameter,
                "pooling window %llu along the %s covers only padding (%s %u, %s %u, leading "
                "padding %llu, input %s %llu); every window must read the input",
                static_cast<unsigned long long>(o), names.axis, names.kernel, spec.kernel,
                names.dilation, spec.dilation, static_cast<unsigned long long>(axis->pad_before),
                names.axis, static_cast<unsigned long long>(in));
  }
  return pnn_status_success;
}

// Shared state and reshape/setup of both pooling operators.
struct Pooling2dBase : pnn_operator {
  explicit Pooling2dBase(OpType t) : pnn_operator(t) {}

  pnn_pooling2d_params params{};
  WindowSpec spec_y, spec_x;
  pnn_f32_minmax_params clamp{};
  size_t kernel_size = 0;  // pooling_height * pooling_width
  bool count_include_pad = false;
  bool is_average = false;
  bool is_argmax = false;

  // A row of `channels` zeros: average pooling reads it for padded taps; both operators anchor
  // their indirection next to it (src/indirection.h).
  AlignedBuffer<float> zero;
  Indirection indirection;           // [out_h][out_w][kernel_size], for one image
  AlignedBuffer<float> multipliers;  // average: [out_h][out_w] reciprocal counts
  AlignedBuffer<uint32_t> tap_index;  // argmax: [out_h][out_w][kernel_size] plane indices

  size_t batch = 0, out_h = 0, out_w = 0;
  size_t image_elements = 0;  // in_h * in_w * channels
  size_t input_offset = 0;    // elements from the anchor to the input
  float* output = nullptr;
  uint32_t* index = nullptr;  // argmax

  pnn_status reshape(size_t n, size_t in_h, size_t in_w, size_t* oh_out, size_t* ow_out);
  void setup(const float* input, float* out, uint32_t* out_index);
};

// Called through reshape_operator (src/operator.h), which sets the state on success. A rejected
// shape or a failed allocation leaves the operator as it was (its previous shape and setup still
// run): everything is validated and allocated before anything is written.
pnn_status Pooling2dBase::reshape(size_t n, size_t in_h, size_t in_w, size_t* oh_out,
                                  size_t* ow_out) {
  if (n == 0) return fail(pnn_status_invalid_parameter, "batch is 0; it must be >= 1");
  WindowAxis ay, ax;
  pnn_status s = resolve_pooling_axis(in_h, spec_y, kHeightNames, &ay);
  if (s == pnn_status_success) s = resolve_pooling_axis(in_w, spec_x, kWidthNames, &ax);
  if (s != pnn_status_success) return s;
  const size_t oh = static_cast<size_t>(ay.out), ow = static_cast<size_t>(ax.out);
  const size_t channels = params.channels;

  // Every buffer the caller passes must be addressable in bytes; the anchor rule needs
  // (image + zero row) bytes to fit as well.
  size_t image, input_total, pixels, output_total, span;
  if (!checked_mul(in_h, in_w, &image) || !checked_mul(image, channels, &image) ||
      !checked_mul(image, n, &input_total) || input_total > SIZE_MAX / sizeof(float) ||
      !checked_add(image, channels, &span) || span > SIZE_MAX / sizeof(float)) {
    return fail(pnn_status_invalid_parameter,
                "the input (batch %zu x %zu x %zu x %zu channels) overflows size_t", n, in_h, in_w,
                channels);
  }
  if (!checked_mul(oh, ow, &pixels) || !checked_mul(pixels, channels, &output_total) ||
      !checked_mul(output_total, n, &output_total) || output_total > SIZE_MAX / sizeof(float)) {
    return fail(pnn_status_invalid_parameter,
                "the output (batch %zu x %zu x %zu x %zu channels) overflows size_t", n, oh, ow,
                channels);
  }
  IndirectionPlan plan;
  plan.layout = IndirectionLayout::kPooling;
  plan.y = ay;
  plan.x = ax;
  plan.input_width = in_w;
  plan.pixel_stride = channels;
  plan.padding_tap = is_average ? PaddingTap::kZeroRow : PaddingTap::kRepeatValidTap;
  plan.image_floats = image;
  size_t indirection_count;
  if (!plan.count_pointers(&indirection_count)) {
    return fail(pnn_status_invalid_parameter,
                "the indirection buffer (%zu x %zu output pixels x %zu taps) overflows size_t", oh,
                ow, kernel_size);
  }

  // Grow into fresh buffers and swap only once both exist, so that running out of memory leaves
  // the operator exactly as it was (its previous shape and setup still run).
  AlignedBuffer<const float*> new_indirection;
  AlignedBuffer<float> new_multipliers;
  AlignedBuffer<uint32_t> new_tap_index;
  const bool grow_indirection = !indirection.pointers.holds(indirection_count);
  const bool grow_multipliers = is_average && !multipliers.holds(pixels);
  const bool grow_tap_index = is_argmax && !tap_index.holds(indirection_count);
  if ((grow_indirection && !new_indirection.allocate(indirection_count)) ||
      (grow_multipliers && !new_multipliers.allocate(pixels)) ||
      (grow_tap_index && !new_tap_index.allocate(indirection_count))) {
    return fail(pnn_status_out_of_memory,
                "out of memory for %zu indirection pointers, %zu multipliers and %zu tap indices",
                indirection_count, is_average ? pixels : size_t{0},
                is_argmax ? indirection_count : size_t{0});
  }
  if (grow_indirection) indirection.pointers.swap(new_indirection);
  if (grow_multipliers) multipliers.swap(new_multipliers);
  if (grow_tap_index) tap_index.swap(new_tap_index);

  indirection.build(plan, zero.data(), channels);
  if (is_argmax) {
    // Each tap's pixel from its pointer (anchor + (iy * in_w + ix) * channels floats), padded
    // taps included: they repeat a valid tap. Relative to the anchor, so a later rebuild against
    // another anchor (bind) leaves them true.
    const float* const* ptrs = indirection.pointers.data();
    const uintptr_t bytes_per_pixel = channels * sizeof(float);
    for (size_t i = 0; i < indirection_count; i++) {
      const uintptr_t offset = reinterpret_cast<uintptr_t>(ptrs[i]) - indirection.anchor();
      tap_index.data()[i] = static_cast<uint32_t>(offset / bytes_per_pixel);
    }
  }
  if (is_average) {
    // Divisor: the taps that read the input, or with count_include_pad those inside the input
    // and its padding (ONNX: not the ceil-mode overhang). Separable per axis; >= 1 since no
    // window reads padding only.
    float* mult = multipliers.data();
    for (size_t oy = 0; oy < oh; oy++) {
      const uint64_t cy = count_include_pad ? ay.padded_taps(oy) : ay.valid_taps(oy);
      for (size_t ox = 0; ox < ow; ox++) {
        const uint64_t cx = count_include_pad ? ax.padded_taps(ox) : ax.valid_taps(ox);
        *mult++ = static_cast<float>(1.0 / static_cast<double>(cy * cx));
      }
    }
  }

  batch = n;
  out_h = oh;
  out_w = ow;
  image_elements = image;
  set_if(oh_out, oh);
  set_if(ow_out, ow);
  return pnn_status_success;
}

void Pooling2dBase::setup(const float* input, float* out, uint32_t* out_index) {
  input_offset = indirection.bind(input);
  output = out;
  index = out_index;
  state = OpState::kReady;
}

// Max, argmax and average pooling differ only in their config and in the kernel's arguments:
// the average kernel also reads the zero row (for padded taps) and the output row's reciprocal
// counts, the argmax kernel the taps' indices and the index output.
template <OpType T, typename Config>
struct Pooling2dOperator final : Pooling2dBase {
  static constexpr OpType kType = T;
  Pooling2dOperator() : Pooling2dBase(kType) {}
  const Config* config = nullptr;

  static void task(void* ctx, size_t n, size_t oy, size_t, size_t) {
    auto* op = static_cast<Pooling2dOperator*>(ctx);
    const size_t c = op->params.channels, ks = op->kernel_size;
    auto* pointers = op->indirection.pointers.data() + oy * op->out_w * ks;
    const size_t input_offset = op->input_offset + n * op->image_elements;
    float* output = op->output + (n * op->out_h + oy) * op->out_w * c;
    if constexpr (T == OpType::kAveragePooling2d) {
      op->config->fn(op->out_w, ks, c, pointers, input_offset, ks, op->zero.data(),
                     op->multipliers.data() + oy * op->out_w, output, c, &op->clamp);
    } else if constexpr (T == OpType::kArgmaxPooling2d) {
      const size_t first = oy * op->out_w * ks;
      op->config->fn(op->out_w, ks, c, pointers, input_offset, ks, op->tap_index.data() + first,
                     output, op->index + (output - op->output), c, &op->clamp);
    } else {
      op->config->fn(op->out_w, ks, c, pointers, input_offset, ks, output, c, &op->clamp);
    }
  }

  void run(pnn_threadpool_t pool) override {
    parallelize_2d_tile(pool, task, this, batch, out_h, 1, 1);
  }
};
using MaxPooling2dOperator = Pooling2dOperator<OpType::kMaxPooling2d, MaxPoolConfig>;
using ArgmaxPooling2dOperator = Pooling2dOperator<OpType::kArgmaxPooling2d, ArgmaxPoolConfig>;
using AveragePooling2dOperator = Pooling2dOperator<OpType::kAveragePooling2d, AvgPoolConfig>;

// Create-time checks common to both operators; `allowed_flags` (named by `accepted`) differs
// between them.
pnn_status validate_params(const pnn_pooling2d_params* p, uint32_t allowed_flags,
                           const char* accepted) {
  if (p == nullptr) return fail(pnn_status_invalid_parameter, "params is NULL");
  pnn_status s = check_flags(p->flags, allowed_flags, accepted);
  if (s == pnn_status_success) s = check_window(window_spec(*p, true), kHeightNames);
  if (s == pnn_status_success) s = check_window(window_spec(*p, false), kWidthNames);
  if (s != pnn_status_success) return s;
  if (p->channels == 0) return fail(pnn_status_invalid_parameter, "channels is 0; it must be >= 1");
  if (p->channels > SIZE_MAX / sizeof(float)) {
    return fail(pnn_status_invalid_parameter, "channels %zu: a row of them overflows size_t bytes",
                p->channels);
  }
  if (!valid_clamp(p->output_min, p->output_max)) {
    return fail(pnn_status_invalid_parameter,
                "output_min %g and output_max %g: neither may be NaN and output_min must be <= "
                "output_max",
                p->output_min, p->output_max);
  }
  // A window lying entirely in padding has no defined maximum or average.
  const uint64_t eh = window_spec(*p, true).extent(), ew = window_spec(*p, false).extent();
  const struct {
    const char* name;
    uint32_t value;
    uint64_t extent;
    const char* axis;
  } paddings[] = {{"padding_top", p->padding_top, eh, "height"},
                  {"padding_bottom", p->padding_bottom, eh, "height"},
                  {"padding_left", p->padding_left, ew, "width"},
                  {"padding_right", p->padding_right, ew, "width"}};
  for (const auto& pad : paddings) {
    if (pad.value >= pad.extent) {
      return fail(pnn_status_invalid_parameter,
                  "%s is %u but the dilated pooling extent along the %s is %llu; padding must be "
                  "smaller, or a window would cover only padding",
                  pad.name, pad.value, pad.axis, static_cast<unsigned long long>(pad.extent));
    }
  }
  size_t ks;
  if (!checked_mul(p->pooling_height, p->pooling_width, &ks)) {
    return fail(pnn_status_invalid_parameter,
                "pooling_height %u x pooling_width %u overflows size_t", p->pooling_height,
                p->pooling_width);
  }
  return pnn_status_success;
}

// Fills the shared fields and the zero row of a freshly allocated operator.
pnn_status init_base(Pooling2dBase* op, const pnn_pooling2d_params* p, bool is_average,
                     bool is_argmax) {
  op->params = *p;
  op->spec_y = window_spec(*p, true);
  op->spec_x = window_spec(*p, false);
  op->clamp = pnn_f32_minmax_params{p->output_min, p->output_max};
  op->kernel_size = size_t{p->pooling_height} * p->pooling_width;
  op->is_average = is_average;
  op->is_argmax = is_argmax;
  op->count_include_pad = is_average && (p->flags & PNN_FLAG_COUNT_INCLUDE_PAD) != 0;
  if (!op->zero.allocate(p->channels)) {  // zero-filled
    return fail(pnn_status_out_of_memory, "out of memory for a row of %zu channels", p->channels);
  }
  return pnn_status_success;
}

// Create of either operator: the average one also rejects dilation (its kernels assume
// contiguous windows), after the checks that report invalid parameters.
template <typename Op, typename Config>
pnn_status create_pooling(const pnn_pooling2d_params* params, const Config* config,
                          pnn_operator_t* op_out) {
  constexpr bool kAverage = Op::kType == OpType::kAveragePooling2d;
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  s = kAverage
          ? validate_params(params, kPaddingFlags | PNN_FLAG_CEIL_MODE | PNN_FLAG_COUNT_INCLUDE_PAD,
                            "PNN_FLAG_TENSORFLOW_SAME_PADDING, PNN_FLAG_SAME_LOWER_PADDING, "
                            "PNN_FLAG_CEIL_MODE and PNN_FLAG_COUNT_INCLUDE_PAD")
          : validate_params(params, kPaddingFlags | PNN_FLAG_CEIL_MODE,
                            "PNN_FLAG_TENSORFLOW_SAME_PADDING, PNN_FLAG_SAME_LOWER_PADDING "
                            "and PNN_FLAG_CEIL_MODE");
  if (s != pnn_status_success) return s;
  if (kAverage && (params->dilation_height != 1 || params->dilation_width != 1)) {
    return fail(pnn_status_unsupported_parameter,
                "dilation_height %u and dilation_width %u: average pooling supports dilation 1 "
                "only",
                params->dilation_height, params->dilation_width);
  }
  if (config->fn == nullptr) {
    return fail(pnn_status_unsupported_hardware, "no %s kernel is available at this ISA level",
                op_type_name(Op::kType));
  }
  auto* op = new_operator<Op>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "out of memory for the operator");
  s = init_base(op, params, kAverage, Op::kType == OpType::kArgmaxPooling2d);
  if (s != pnn_status_success) {
    delete op;
    return s;
  }
  op->config = config;
  op->kernel_name = config->name;
  *op_out = op;
  return pnn_status_success;
}

// `index` only for argmax pooling (NULL for the others).
template <typename Op>
pnn_status setup_pooling(pnn_operator_t op, const float* input, float* output,
                         uint32_t* index = nullptr) {
  Op* p;
  constexpr bool kArgmax = Op::kType == OpType::kArgmaxPooling2d;
  pnn_status s = check_setup(op, &p, {"input", input}, {"output", output},
                             kArgmax ? NamedBuffer{"index", index} : NamedBuffer{nullptr, nullptr});
  if (s != pnn_status_success) return s;
  // Products checked at reshape; the kernels read the input while writing the output (and the
  // indices, 32-bit elements like the floats).
  const size_t in_count = p->batch * p->image_elements;
  const size_t out_count = p->batch * p->out_h * p->out_w * p->params.channels;
  const float* index_floats = reinterpret_cast<const float*>(index);
  if (ranges_overlap(input, in_count, output, out_count) ||
      (kArgmax && (ranges_overlap(input, in_count, index_floats, out_count) ||
                   ranges_overlap(output, out_count, index_floats, out_count)))) {
    return fail(pnn_status_invalid_parameter,
                kArgmax ? "input, output and index overlap; argmax pooling reads the input while "
                          "it writes the output and the indices"
                        : "input and output overlap; pooling reads the input while it writes "
                          "the output");
  }
  p->setup(input, output, index);
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_argmax_pooling2d_nhwc_f32(const pnn_pooling2d_params* params,
                                                pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_pooling<ArgmaxPooling2dOperator>(params, get_argmaxpool_config(), op_out);
}

pnn_status pnn_setup_argmax_pooling2d_nhwc_f32(pnn_operator_t op, const float* input, float* output,
                                               uint32_t* index) {
  PNN_API_SCOPE();
  return setup_pooling<ArgmaxPooling2dOperator>(op, input, output, index);
}

pnn_status pnn_reshape_argmax_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                 size_t input_height, size_t input_width,
                                                 size_t* output_height, size_t* output_width,
                                                 pnn_threadpool_t) {
  PNN_API_SCOPE();
  // The indices are uint32 (iy * input_width + ix): a plane of at most 2^32 pixels. Checked
  // before anything else, whatever the operator, and before anything is sized.
  size_t plane;
  if (!checked_mul(input_height, input_width, &plane) || uint64_t{plane} > uint64_t{1} << 32) {
    return fail(pnn_status_invalid_parameter,
                "an input plane of %zu x %zu pixels has indices past uint32 (argmax pooling "
                "reports iy * input_width + ix)",
                input_height, input_width);
  }
  return reshape_operator<ArgmaxPooling2dOperator>(op, batch, input_height, input_width,
                                                   output_height, output_width);
}

pnn_status pnn_create_max_pooling2d_nhwc_f32(const pnn_pooling2d_params* params,
                                             pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_pooling<MaxPooling2dOperator>(params, get_maxpool_config(), op_out);
}

pnn_status pnn_reshape_max_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch, size_t input_height,
                                              size_t input_width, size_t* output_height,
                                              size_t* output_width, pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_operator<MaxPooling2dOperator>(op, batch, input_height, input_width, output_height,
                                                output_width);
}

pnn_status pnn_setup_max_pooling2d_nhwc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  return setup_pooling<MaxPooling2dOperator>(op, input, output);
}

pnn_status pnn_create_average_pooling2d_nhwc_f32(const pnn_pooling2d_params* params,
                                                 pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_pooling<AveragePooling2dOperator>(params, get_avgpool_config(), op_out);
}

pnn_status pnn_reshape_average_pooling2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                  size_t input_height, size_t input_width,
                                                  size_t* output_height, size_t* output_width,
                                                  pnn_threadpool_t) {
  PNN_API_SCOPE();
  return reshape_operator<AveragePooling2dOperator>(op, batch, input_height, input_width,
                                                    output_height, output_width);
}

pnn_status pnn_setup_average_pooling2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                float* output) {
  PNN_API_SCOPE();
  return setup_pooling<AveragePooling2dOperator>(op, input, output);
}

}  // extern "C"
