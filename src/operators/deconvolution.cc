// 2-D deconvolution (transposed convolution), NHWC. Two paths, chosen at create:
//  - upsampling (stride == kernel, dilation 1 or kernel 1, no padding, no adjustment): every
//    output pixel receives exactly one tap of one input pixel, so the operator is one GEMM per
//    kernel tap. The weights are packed per (group, tap) as GOC x GIC matrices; a task runs the
//    GEMM kernel over a run of input pixels of one input row and writes straight into the output
//    rows the tap lands on (row stride kw * channels), so there is no scatter pass and no
//    workspace, and each output element is written once (bias included).
//  - everything else: an indirect GEMM over the output, exactly convolution's IGEMM path. The
//    axes are "transposed" windows (src/window.h: tap k of output o reads input i when o +
//    pad_before - k * dilation == i * stride), so the shared indirection module builds the
//    buffer unchanged (src/indirection.h), and taps that fall between input pixels read the zero
//    row. With stride s that multiplies zeros on (s^2 - 1) / s^2 of the taps of a large kernel;
//    a per-phase subconvolution would skip them and is the next step for strided decoders.
// Both paths reuse the GEMM kernels and their packing (src/packing.h); no kernel of its own.
// Every failure returns through pnn::fail with a reason naming the argument and the rule, before
// anything is written.
#include <algorithm>

#include "allocator.h"
#include "configs/configs.h"
#include "gemm-tiling.h"
#include "indirection.h"
#include "operator.h"
#include "packing.h"
#include "parallel.h"
#include "window.h"

namespace {

using namespace pnn;

inline bool fits_floats(size_t count) { return count <= SIZE_MAX / sizeof(float); }

struct DeconvolutionOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kDeconvolution2d;
  DeconvolutionOperator() : pnn_operator(kType) {}

  // --- create ---
  bool upsample = false;  // the one-GEMM-per-tap path
  WindowSpec spec_y, spec_x;
  uint32_t adjustment_y = 0, adjustment_x = 0;
  size_t kh = 0, kw = 0, ks = 0;
  size_t groups = 0, gic = 0, goc = 0, cin = 0, cout = 0;
  pnn_f32_minmax_params params{};
  const GemmConfig* gemm = nullptr;
  AlignedBuffer<float> packed;
  size_t block_packed = 0;  // floats per packed matrix: one group (IGEMM), one group's tap (upsample)
  AlignedBuffer<float> zero;
  size_t zero_count = 0;

  // --- reshape ---
  size_t batch = 0, ih = 0, iw = 0, oh = 0, ow = 0;
  size_t input_count = 0, output_count = 0;
  size_t nc_tile = 0, m_tile = 0;
  Indirection indirection;

  // --- setup ---
  const float* input = nullptr;
  size_t input_offset = 0;
  float* output = nullptr;

  // Upsampling: range (batch * ih * groups * ks, GOC, iw). b = ((row * groups) + g) * ks + t for
  // input row `row` (= n * ih + iy) and tap t = ky * kw + kx, whose outputs are output row
  // row * kh + ky (oh = ih * kh), columns ix * kw + kx.
  static void upsample_task(void* ctx, size_t b, size_t n0, size_t m0, size_t nc, size_t mc) {
    auto* op = static_cast<DeconvolutionOperator*>(ctx);
    const size_t t = b % op->ks, g = b / op->ks % op->groups, row = b / op->ks / op->groups;
    const size_t ky = t / op->kw, kx = t % op->kw;
    const float* w = op->packed.data() + (g * op->ks + t) * op->block_packed + n0 * (1 + op->gic);
    const float* a = op->input + row * op->iw * op->cin + g * op->gic;
    float* c = op->output + ((row * op->kh + ky) * op->ow + kx) * op->cout + g * op->goc + n0;
    const size_t mr = op->gemm->mr, c_row = op->kw * op->cout;
    for (size_t m = m0; m < m0 + mc; m += mr) {
      op->gemm->gemm(min_size(mr, m0 + mc - m), nc, op->gic, a + m * op->cin, op->cin, w,
                     c + m * c_row, c_row, op->gemm->nr, &op->params);
    }
  }

  // Indirect GEMM: range (batch * groups, GOC, output pixels), m0 a multiple of MR (the buffer
  // holds MR-pixel tiles); the batch and group offsets go through the kernels' input offset.
  static void igemm_task(void* ctx, size_t ng, size_t n0, size_t m0, size_t nc, size_t mc) {
    auto* op = static_cast<DeconvolutionOperator*>(ctx);
    const size_t g = ng % op->groups, n = ng / op->groups;
    const size_t mr = op->gemm->mr, pixels = op->oh * op->ow;
    const size_t offset = op->input_offset + n * op->ih * op->iw * op->cin + g * op->gic;
    const float* w = op->packed.data() + g * op->block_packed + n0 * (1 + op->ks * op->gic);
    float* c = op->output + n * pixels * op->cout + g * op->goc + n0;
    for (size_t m = m0; m < m0 + mc; m += mr) {
      op->gemm->igemm(min_size(mr, m0 + mc - m), nc, op->gic, op->ks,
                      op->indirection.pointers.data() + m * op->ks, w, c + m * op->cout, op->cout,
                      op->gemm->nr, offset, op->zero.data(), &op->params);
    }
  }

  void run(pnn_threadpool_t pool) override {
    if (upsample) {
      parallelize_3d_tile_2d(pool, upsample_task, this, batch * ih * groups * ks, goc, iw, nc_tile,
                             m_tile);
    } else {
      parallelize_3d_tile_2d(pool, igemm_task, this, batch * groups, goc, oh * ow, nc_tile,
                             m_tile);
    }
  }
};

const WindowNames kHeightNames = {"height",          "kernel_height", "stride_height",
                                  "dilation_height", "padding_top",   "padding_bottom"};
const WindowNames kWidthNames = {"width",          "kernel_width", "stride_width",
                                 "dilation_width", "padding_left", "padding_right"};

pnn_status create_deconvolution(const pnn_deconvolution2d_params* p, const float* kernel,
                                const float* bias, pnn_operator_t* op_out) {
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (p == nullptr) return fail(pnn_status_invalid_parameter, "params is NULL");
  if (kernel == nullptr) return fail(pnn_status_invalid_parameter, "kernel is NULL");
  if (p->flags != 0) {
    return fail(pnn_status_invalid_parameter,
                "flags is %u; deconvolution takes no flags (it must be 0)", p->flags);
  }
  const WindowSpec sy = {p->kernel_height, p->stride_height,  p->dilation_height,
                         p->padding_top,   p->padding_bottom, Padding::kExplicit};
  const WindowSpec sx = {p->kernel_width, p->stride_width,  p->dilation_width,
                         p->padding_left, p->padding_right, Padding::kExplicit};
  s = check_transposed_window(sy, p->adjustment_height, "adjustment_height", kHeightNames);
  if (s == pnn_status_success) {
    s = check_transposed_window(sx, p->adjustment_width, "adjustment_width", kWidthNames);
  }
  if (s != pnn_status_success) return s;
  const struct {
    const char* name;
    size_t value;
  } counts[] = {{"groups", p->groups},
                {"group_input_channels", p->group_input_channels},
                {"group_output_channels", p->group_output_channels}};
  for (const auto& v : counts) {
    if (v.value == 0) return fail(pnn_status_invalid_parameter, "%s is 0; it must be >= 1", v.name);
  }
  if (!valid_clamp(p->output_min, p->output_max)) {
    return fail(pnn_status_invalid_parameter,
                "output_min %g and output_max %g: neither may be NaN and output_min must be <= "
                "output_max",
                p->output_min, p->output_max);
  }

  const size_t kh = p->kernel_height, kw = p->kernel_width, groups = p->groups;
  const size_t gic = p->group_input_channels, goc = p->group_output_channels;
  const bool upsample = p->stride_height == kh && p->stride_width == kw &&
                        (kh == 1 || p->dilation_height == 1) &&
                        (kw == 1 || p->dilation_width == 1) &&
                        (p->padding_top | p->padding_right | p->padding_bottom | p->padding_left |
                         p->adjustment_height | p->adjustment_width) == 0;
  const GemmConfig* gemm = get_gemm_config();
  if (gemm->gemm == nullptr || gemm->igemm == nullptr) {
    return fail(pnn_status_unsupported_parameter, "no GEMM kernel is available at this ISA level");
  }
  const size_t nr = gemm->nr;
  // IGEMM: one [GOC][ks * GIC] matrix per group; upsampling: one [GOC][GIC] matrix per group and
  // tap. Either way groups * ks * GOC * GIC weights, padded to NR columns plus a bias row.
  size_t cin, cout, ks, kc, weights, cols, block = 0, blocks, packed_count = 0;
  if (!checked_mul(groups, gic, &cin) || !checked_mul(groups, goc, &cout) ||
      !checked_mul(kh, kw, &ks) || !checked_mul(ks, gic, &kc) || !checked_mul(cout, kc, &weights) ||
      !fits_floats(weights) || !checked_add(goc, nr - 1, &cols) ||
      !checked_mul(cols / nr * nr, (upsample ? gic : kc) + 1, &block) ||
      !checked_mul(groups, upsample ? ks : 1, &blocks) ||
      !checked_mul(blocks, block, &packed_count) || !fits_floats(packed_count)) {
    return fail(pnn_status_invalid_parameter,
                "the weights (groups %zu x group_output_channels %zu x kernel %zux%zu x "
                "group_input_channels %zu floats, padded) overflow size_t",
                groups, goc, kh, kw, gic);
  }

  auto* op = new_operator<DeconvolutionOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "out of memory for the operator");
  AlignedBuffer<float> tap;  // upsampling: one tap's [GOC][GIC] weights, gathered for packing
  if (!op->packed.allocate(packed_count) || (!upsample && !op->zero.allocate(gic)) ||
      (upsample && !tap.allocate(goc * gic))) {
    delete op;
    return fail(pnn_status_out_of_memory, "out of memory for %zu floats of packed weights",
                packed_count);
  }
  op->upsample = upsample;
  op->spec_y = sy;
  op->spec_x = sx;
  op->adjustment_y = p->adjustment_height;
  op->adjustment_x = p->adjustment_width;
  op->kh = kh;
  op->kw = kw;
  op->ks = ks;
  op->groups = groups;
  op->gic = gic;
  op->goc = goc;
  op->cin = cin;
  op->cout = cout;
  op->params = pnn_f32_minmax_params{p->output_min, p->output_max};
  op->gemm = gemm;
  op->block_packed = block;
  op->zero_count = upsample ? 0 : gic;
  op->kernel_name = upsample ? gemm->gemm_name : gemm->igemm_name;
  for (size_t g = 0; g < groups; g++) {
    const float* group_kernel = kernel + g * goc * kc;
    const float* group_bias = bias != nullptr ? bias + g * goc : nullptr;
    if (!upsample) {
      pack_gemm(goc, kc, nr, group_kernel, group_bias, /*transposed=*/false,
                op->packed.data() + g * block);
      continue;
    }
    for (size_t t = 0; t < ks; t++) {
      for (size_t oc = 0; oc < goc; oc++) {
        const float* src = group_kernel + oc * kc + t * gic;
        std::copy(src, src + gic, tap.data() + oc * gic);
      }
      pack_gemm(goc, gic, nr, tap.data(), group_bias, /*transposed=*/false,
                op->packed.data() + (g * ks + t) * block);
    }
  }
  *op_out = op;
  return pnn_status_success;
}

pnn_status reshape_deconvolution(pnn_operator_t op, size_t batch, size_t ih, size_t iw,
                                 size_t* output_height, size_t* output_width,
                                 pnn_threadpool_t pool) {
  auto* d = operator_cast<DeconvolutionOperator>(op);
  if (d == nullptr) return pnn_status_invalid_parameter;
  if (batch == 0) return fail(pnn_status_invalid_parameter, "batch is 0; it must be >= 1");
  WindowAxis ay, ax;
  pnn_status s = resolve_transposed_window(ih, d->spec_y, d->adjustment_y, kHeightNames, &ay);
  if (s == pnn_status_success) {
    s = resolve_transposed_window(iw, d->spec_x, d->adjustment_x, kWidthNames, &ax);
  }
  if (s != pnn_status_success) return s;
  const size_t oh = static_cast<size_t>(ay.out), ow = static_cast<size_t>(ax.out);
  size_t image, input_count, anchored, pixels, output_count;
  if (!checked_mul(ih, iw, &image) || !checked_mul(image, d->cin, &image) ||
      !checked_mul(image, batch, &input_count) || !fits_floats(input_count) ||
      !checked_add(image, d->zero_count, &anchored) || !fits_floats(anchored)) {
    return fail(pnn_status_invalid_parameter,
                "the input (batch %zu x %zu x %zu x %zu channels) overflows size_t", batch, ih, iw,
                d->cin);
  }
  if (!checked_mul(oh, ow, &pixels) || !checked_mul(pixels, d->cout, &output_count) ||
      !checked_mul(output_count, batch, &output_count) || !fits_floats(output_count)) {
    return fail(pnn_status_invalid_parameter,
                "the output (batch %zu x %zu x %zu x %zu channels) overflows size_t", batch, oh, ow,
                d->cout);
  }
  const size_t mr = d->gemm->mr, nr = d->gemm->nr, threads = threads_count(pool);
  IndirectionPlan plan;
  GemmTiles tiles;
  if (d->upsample) {
    tiles = plan_gemm_tiles(batch * ih * d->groups * d->ks, iw, d->goc, d->gic, mr, nr, threads);
  } else {
    plan.layout = IndirectionLayout::kIgemm;
    plan.y = ay;
    plan.x = ax;
    plan.input_width = iw;
    plan.pixel_stride = d->cin;
    plan.padding_tap = PaddingTap::kZeroRow;
    plan.mr = mr;
    plan.image_floats = image;
    size_t pointers;
    if (!plan.count_pointers(&pointers)) {
      return fail(pnn_status_invalid_parameter,
                  "the indirection buffer (%zu x %zu output pixels x %zu taps) overflows size_t",
                  oh, ow, d->ks);
    }
    if (!d->indirection.pointers.reserve(pointers)) {
      return fail(pnn_status_out_of_memory, "out of memory for %zu indirection pointers", pointers);
    }
    tiles = plan_gemm_tiles(batch * d->groups, pixels, d->goc, d->ks * d->gic, mr, nr, threads);
    d->indirection.build(plan, d->zero.data(), d->zero_count);
  }
  d->batch = batch;
  d->ih = ih;
  d->iw = iw;
  d->oh = oh;
  d->ow = ow;
  d->input_count = input_count;
  d->output_count = output_count;
  d->nc_tile = tiles.column_tile;
  d->m_tile = tiles.row_tile;
  d->state = OpState::kNeedsSetup;
  set_if(output_height, oh);
  set_if(output_width, ow);
  return pnn_status_success;
}

pnn_status setup_deconvolution(pnn_operator_t op, const float* input, float* output) {
  DeconvolutionOperator* d;
  pnn_status s = check_setup(op, &d, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  if (ranges_overlap(input, d->input_count, output, d->output_count)) {
    return fail(pnn_status_invalid_parameter,
                "input and output overlap; the deconvolution reads the input while it writes the "
                "output");
  }
  if (!d->upsample) d->input_offset = d->indirection.bind(input);
  d->input = input;
  d->output = output;
  d->state = OpState::kReady;
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_deconvolution2d_nhwc_f32(const pnn_deconvolution2d_params* params,
                                               const float* kernel, const float* bias,
                                               pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_deconvolution(params, kernel, bias, op_out);
}

pnn_status pnn_reshape_deconvolution2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                size_t input_height, size_t input_width,
                                                size_t* output_height, size_t* output_width,
                                                pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  return reshape_deconvolution(op, batch, input_height, input_width, output_height, output_width,
                               threadpool);
}

pnn_status pnn_setup_deconvolution2d_nhwc_f32(pnn_operator_t op, const float* input,
                                              float* output) {
  PNN_API_SCOPE();
  return setup_deconvolution(op, input, output);
}

}  // extern "C"
