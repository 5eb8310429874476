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
  struct Geometry {
    WindowSpec spec_y, spec_x;
    uint32_t adjustment_y, adjustment_x;
    size_t kh, kw, ks;  // ks: taps
    size_t groups, gic, goc, cin, cout;
  } geometry{};
  pnn_f32_minmax_params params{};
  const GemmConfig* gemm = nullptr;
  AlignedBuffer<float> packed;
  size_t block_packed =
      0;  // floats per packed matrix: one group (IGEMM), one group's tap (upsample)
  AlignedBuffer<float> zero;
  size_t zero_count = 0;

  // --- reshape ---
  struct Planned {
    size_t batch, ih, iw, oh, ow;
    size_t nc_tile, m_tile;  // output channels (a multiple of NR) by rows (of MR) per task
  } planned{};
  size_t input_count = 0, output_count = 0;  // floats, for the overlap check
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
    const size_t t = b % op->geometry.ks, g = b / op->geometry.ks % op->geometry.groups,
                 row = b / op->geometry.ks / op->geometry.groups;
    const size_t ky = t / op->geometry.kw, kx = t % op->geometry.kw;
    const float* w = op->packed.data() + (g * op->geometry.ks + t) * op->block_packed +
                     n0 * (1 + op->geometry.gic);
    const float* a = op->input + row * op->planned.iw * op->geometry.cin + g * op->geometry.gic;
    float* c = op->output +
               ((row * op->geometry.kh + ky) * op->planned.ow + kx) * op->geometry.cout +
               g * op->geometry.goc + n0;
    const size_t mr = op->gemm->mr, c_row = op->geometry.kw * op->geometry.cout;
    for (size_t m = m0; m < m0 + mc; m += mr) {
      op->gemm->gemm(min_size(mr, m0 + mc - m), nc, op->geometry.gic, a + m * op->geometry.cin,
                     op->geometry.cin, w, c + m * c_row, c_row, op->gemm->nr, &op->params);
    }
  }

  // Indirect GEMM: range (batch * groups, GOC, output pixels), m0 a multiple of MR (the buffer
  // holds MR-pixel tiles); the batch and group offsets go through the kernels' input offset.
  static void igemm_task(void* ctx, size_t ng, size_t n0, size_t m0, size_t nc, size_t mc) {
    auto* op = static_cast<DeconvolutionOperator*>(ctx);
    const size_t g = ng % op->geometry.groups, n = ng / op->geometry.groups;
    const size_t mr = op->gemm->mr, pixels = op->planned.oh * op->planned.ow;
    const size_t offset = op->input_offset +
                          n * op->planned.ih * op->planned.iw * op->geometry.cin +
                          g * op->geometry.gic;
    const float* w =
        op->packed.data() + g * op->block_packed + n0 * (1 + op->geometry.ks * op->geometry.gic);
    float* c = op->output + n * pixels * op->geometry.cout + g * op->geometry.goc + n0;
    for (size_t m = m0; m < m0 + mc; m += mr) {
      op->gemm->igemm(min_size(mr, m0 + mc - m), nc, op->geometry.gic, op->geometry.ks,
                      op->indirection.pointers.data() + m * op->geometry.ks, w,
                      c + m * op->geometry.cout, op->geometry.cout, op->gemm->nr, offset,
                      op->zero.data(), &op->params);
    }
  }

  void run(pnn_threadpool_t pool) override {
    const Geometry& g = geometry;
    const Planned& s = planned;
    if (upsample) {
      parallelize_3d_tile_2d(pool, upsample_task, this, s.batch * s.ih * g.groups * g.ks, g.goc,
                             s.iw, s.nc_tile, s.m_tile);
    } else {
      parallelize_3d_tile_2d(pool, igemm_task, this, s.batch * g.groups, g.goc, s.oh * s.ow,
                             s.nc_tile, s.m_tile);
    }
  }
};

const WindowNames kHeightNames = {"height",          "kernel_height", "stride_height",
                                  "dilation_height", "padding_top",   "padding_bottom"};
const WindowNames kWidthNames = {"width",          "kernel_width", "stride_width",
                                 "dilation_width", "padding_left", "padding_right"};

}  // namespace

extern "C" pnn_status pnn_create_deconvolution2d_nhwc_f32(const pnn_deconvolution2d_params* p,
                                                          const float* kernel, const float* bias,
                                                          pnn_operator_t* op_out) {
  PNN_API_SCOPE();
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
  op->geometry = {sy,  sx,  p->adjustment_height, p->adjustment_width, kh, kw, ks, groups, gic, goc,
                  cin, cout};
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

extern "C" pnn_status pnn_reshape_deconvolution2d_nhwc_f32(pnn_operator_t op, size_t batch,
                                                           size_t ih, size_t iw,
                                                           size_t* output_height,
                                                           size_t* output_width,
                                                           pnn_threadpool_t pool) {
  PNN_API_SCOPE();
  auto* d = operator_cast<DeconvolutionOperator>(op);
  if (d == nullptr) return pnn_status_invalid_parameter;
  if (batch == 0) return fail(pnn_status_invalid_parameter, "batch is 0; it must be >= 1");
  WindowAxis ay, ax;
  pnn_status s = resolve_transposed_window(ih, d->geometry.spec_y, d->geometry.adjustment_y,
                                           kHeightNames, &ay);
  if (s == pnn_status_success) {
    s = resolve_transposed_window(iw, d->geometry.spec_x, d->geometry.adjustment_x, kWidthNames,
                                  &ax);
  }
  if (s != pnn_status_success) return s;
  const size_t oh = static_cast<size_t>(ay.out), ow = static_cast<size_t>(ax.out);
  // One image must fit with the zero row (the indirection anchor rule, src/indirection.h).
  size_t image = 0, input_count = 0, output_count = 0;
  s = nhwc_floats("input", 1, ih, iw, d->geometry.cin, d->zero_count, &image);
  if (s == pnn_status_success)
    s = nhwc_floats("input", batch, ih, iw, d->geometry.cin, 0, &input_count);
  if (s == pnn_status_success)
    s = nhwc_floats("output", batch, oh, ow, d->geometry.cout, 0, &output_count);
  if (s != pnn_status_success) return s;
  const size_t pixels = oh * ow;
  const size_t mr = d->gemm->mr, nr = d->gemm->nr, threads = threads_count(pool);
  IndirectionPlan plan;
  GemmTiles tiles;
  if (d->upsample) {
    tiles = plan_gemm_tiles(batch * ih * d->geometry.groups * d->geometry.ks, iw, d->geometry.goc,
                            d->geometry.gic, mr, nr, threads);
  } else {
    plan.layout = IndirectionLayout::kIgemm;
    plan.y = ay;
    plan.x = ax;
    plan.input_width = iw;
    plan.pixel_stride = d->geometry.cin;
    plan.padding_tap = PaddingTap::kZeroRow;
    plan.mr = mr;
    plan.image_floats = image;
    size_t pointers;
    if (!plan.count_pointers(&pointers)) {
      return fail(pnn_status_invalid_parameter,
                  "the indirection buffer (%zu x %zu output pixels x %zu taps) overflows size_t",
                  oh, ow, d->geometry.ks);
    }
    if (!d->indirection.pointers.reserve(pointers)) {
      return fail(pnn_status_out_of_memory, "out of memory for %zu indirection pointers", pointers);
    }
    tiles = plan_gemm_tiles(batch * d->geometry.groups, pixels, d->geometry.goc,
                            d->geometry.ks * d->geometry.gic, mr, nr, threads);
    d->indirection.build(plan, d->zero.data(), d->zero_count);
  }
  d->planned = {batch, ih, iw, oh, ow, tiles.column_tile, tiles.row_tile};
  d->input_count = input_count;
  d->output_count = output_count;
  d->state = OpState::kNeedsSetup;
  set_if(output_height, oh);
  set_if(output_width, ow);
  return pnn_status_success;
}

extern "C" pnn_status pnn_setup_deconvolution2d_nhwc_f32(pnn_operator_t op, const float* input,
                                                         float* output) {
  PNN_API_SCOPE();
  DeconvolutionOperator* d;
  const pnn_status s = setup_disjoint(op, &d, input, output);
  if (s == pnn_status_success && !d->upsample) d->input_offset = d->indirection.bind(input);
  return s;
}
