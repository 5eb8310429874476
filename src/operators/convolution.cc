// 2-D convolution, NHWC. The path is chosen once, at create, from the parameters:
//  - depthwise (group_input_channels == 1 and group_output_channels == 1): a dwconv kernel per
//    output row over an indirection buffer of input-row pointers (kernels/ukernels-dwconv.h);
//  - 1x1 kernel, stride 1, no padding: the GEMM kernel straight on the input, each pixel a row;
//  - everything else: the IGEMM kernel over an indirection buffer of MR-pixel tiles
//    (kernels/ukernels.h).
// Weights are packed at create. Reshape sizes the indirection buffer and plans the tiles; setup
// fills the indirection buffer with pointers into the bound input (skipped when the same input is
// bound again), so run allocates nothing and computes no addresses beyond the kernels' own.
//
// The indirection buffers cover one image and one group: the batch index and the group's
// channel offset are added through the kernels' input offset, which leaves the padding row
// (`zero`) undisplaced.
#include <cstring>

#include "allocator.h"
#include "configs/configs.h"
#include "configs/dwconv-config.h"
#include "gemm-tiling.h"
#include "operator.h"
#include "packing.h"
#include "parallel.h"

namespace {

using namespace pnn;

enum class ConvPath { kDepthwise, kGemm, kIgemm };

// Depthwise: channels per task (rounded up to the kernel's channel tile). 128 channels of 3
// input rows fit L1 many times over, and keep 4+ tasks per row on the 512- and 1024-channel
// layers for 2 threads; measured on one thread against whole rows: dw_14 17.5 -> 16.3 us, dw_7
// 8.8 -> 8.6 (AVX-512, 9p32c).
constexpr size_t kDepthwiseChannelBlock = 128;

// Bytes of a buffer of `count` floats fit in size_t.
inline bool float_count_ok(size_t count) { return count <= SIZE_MAX / sizeof(float); }

struct ConvolutionOperator final : pnn_operator {
  static constexpr OpType kType = OpType::kConvolution2d;
  ConvolutionOperator() : pnn_operator(kType) {}

  // --- create ---
  ConvPath path = ConvPath::kIgemm;
  size_t kh = 0, kw = 0, sh = 0, sw = 0, dh = 0, dw = 0;
  size_t extent_h = 0, extent_w = 0;  // dilated kernel size: dilation * (kernel - 1) + 1
  size_t pad_top = 0, pad_right = 0, pad_bottom = 0, pad_left = 0;  // explicit padding
  bool same_padding = false;
  size_t groups = 0, gic = 0, goc = 0, cin = 0, cout = 0;
  size_t ks = 0;  // taps: kh * kw
  pnn_f32_minmax_params params{};
  const GemmConfig* gemm = nullptr;      // GEMM and IGEMM paths
  const DwconvConfig* dwconv = nullptr;  // depthwise path
  AlignedBuffer<float> packed;
  size_t group_packed_size = 0;  // floats of one group's packed weights (GEMM/IGEMM)
  AlignedBuffer<float> zero;     // the padding row

  // --- reshape ---
  size_t batch = 0, ih = 0, iw = 0, oh = 0, ow = 0;
  size_t ptop = 0, pleft = 0;  // effective leading padding (explicit or SAME)
  size_t input_count = 0, output_count = 0;
  size_t nc_tile = 0;          // output channels per task, a multiple of NR (GEMM/IGEMM)
  size_t m_tile = 0;           // output pixels per task, a multiple of MR (GEMM/IGEMM)
  size_t dw_shift = 0;         // depthwise: input columns between neighbouring output pixels
  size_t dw_row_pointers = 0;  // depthwise: pointers per output row
  AlignedBuffer<const float*> indirection;
  const float* indirection_input = nullptr;  // the input the indirection holds; NULL: stale

  // --- setup ---
  const float* input = nullptr;
  float* output = nullptr;

  size_t output_pixels() const { return oh * ow; }
  size_t input_image_stride() const { return ih * iw * cin; }

  // Pointer to input pixel (padded coordinates y, x), or the padding row when outside the image.
  const float* pixel(const float* in, size_t y, size_t x) const {
    if (y < ptop || y - ptop >= ih || x < pleft || x - pleft >= iw) return zero.data();
    return in + ((y - ptop) * iw + (x - pleft)) * cin;
  }

  // Depthwise: per output row, pixel ox's taps start at ox * dw_shift * kh; tap t = kx * kh + ky
  // (column-major) so that pixels sharing input columns share their pointers.
  void build_depthwise_indirection(const float* in) {
    const float** ind = indirection.data();
    for (size_t oy = 0; oy < oh; oy++) {
      const float** row = ind + oy * dw_row_pointers;
      for (size_t ox = 0; ox < ow; ox++) {
        // Columns before kw - dw_shift were written by the previous pixel.
        for (size_t kx = ox == 0 ? 0 : kw - dw_shift; kx < kw; kx++) {
          const size_t x = ox * sw + kx * dw;
          const float** col = row + (ox * dw_shift + kx) * kh;
          for (size_t ky = 0; ky < kh; ky++) col[ky] = pixel(in, oy * sh + ky * dh, x);
        }
      }
    }
  }

  // IGEMM: per tile of MR output pixels, ks groups of MR pointers (tap p = ky * kw + kx, the
  // weights' [kh][kw] order). The last tile repeats its last pixel so every slot is valid.
  void build_igemm_indirection(const float* in) {
    const size_t mr = gemm->mr;
    const size_t pixels = output_pixels();
    const float** ind = indirection.data();
    for (size_t p0 = 0; p0 < pixels; p0 += mr) {
      const float** tile = ind + p0 * ks;
      for (size_t i = 0; i < mr; i++) {
        const size_t p = min_size(p0 + i, pixels - 1);
        const size_t oy = p / ow, ox = p % ow;
        for (size_t ky = 0; ky < kh; ky++) {
          for (size_t kx = 0; kx < kw; kx++) {
            tile[(ky * kw + kx) * mr + i] = pixel(in, oy * sh + ky * dh, ox * sw + kx * dw);
          }
        }
      }
    }
  }

  // Depthwise: range (channels, batch * oh), tiles of kDepthwiseChannelBlock channels by one row.
  // The channel blocks are the outer range, so one thread walks all rows of a block in order and
  // the block's input rows stay in L1 from one output row to the next (each input row serves kh
  // output rows). A block starts at a multiple of the kernel's channel tile: its packed weights
  // start at c0 * (1 + ks), and the channel offset goes through input_offset (the padding row,
  // not displaced, is read from its start). Each output element is still computed by one kernel
  // call in the same order, so the results do not depend on the blocking or the thread count.
  static void depthwise_task(void* ctx, size_t c0, size_t r, size_t cc, size_t) {
    auto* op = static_cast<ConvolutionOperator*>(ctx);
    const size_t n = r / op->oh, oy = r % op->oh;
    op->dwconv->fn(cc, op->ow, op->ks, op->indirection.data() + oy * op->dw_row_pointers,
                   op->packed.data() + c0 * (1 + op->ks), op->output + r * op->ow * op->cout + c0,
                   op->dw_shift * op->kh, op->cout, n * op->input_image_stride() + c0,
                   op->zero.data(), &op->params);
  }

  // GEMM: range (groups, GOC, batch * pixels); a task walks its rows MR at a time over one panel
  // of packed weights (src/gemm-tiling.h).
  static void gemm_task(void* ctx, size_t g, size_t n0, size_t m0, size_t nc, size_t mc) {
    auto* op = static_cast<ConvolutionOperator*>(ctx);
    const size_t mr = op->gemm->mr, nr = op->gemm->nr;
    const float* w = op->packed.data() + g * op->group_packed_size + n0 * (1 + op->gic);
    for (size_t m = m0; m < m0 + mc; m += mr) {
      op->gemm->gemm(min_size(mr, m0 + mc - m), nc, op->gic, op->input + m * op->cin + g * op->gic,
                     op->cin, w, op->output + m * op->cout + g * op->goc + n0, op->cout, nr,
                     &op->params);
    }
  }

  // IGEMM: range (batch * groups, GOC, pixels); m0 is a multiple of MR (the indirection buffer
  // holds MR-pixel tiles), so only a task's last kernel call may have fewer rows.
  static void igemm_task(void* ctx, size_t bg, size_t n0, size_t m0, size_t nc, size_t mc) {
    auto* op = static_cast<ConvolutionOperator*>(ctx);
    const size_t n = bg / op->groups, g = bg % op->groups;
    const size_t mr = op->gemm->mr, nr = op->gemm->nr;
    const float* w = op->packed.data() + g * op->group_packed_size + n0 * (1 + op->ks * op->gic);
    for (size_t m = m0; m < m0 + mc; m += mr) {
      op->gemm->igemm(
          min_size(mr, m0 + mc - m), nc, op->gic, op->ks, op->indirection.data() + m * op->ks, w,
          op->output + (n * op->output_pixels() + m) * op->cout + g * op->goc + n0, op->cout, nr,
          n * op->input_image_stride() + g * op->gic, op->zero.data(), &op->params);
    }
  }

  void run(pnn_threadpool_t pool) override {
    switch (path) {
      case ConvPath::kDepthwise:
        // Channel blocks pay on one thread only: with two, whole-channel row tasks measured
        // dw_14 8.9 vs 15.0 us and dw_7 6.1 vs 13.0 us (AVX-512, 9p32c; one thread 15.1 / 9.0 us
        // with blocks, 16.8 / 9.7 without). Same kernel call per output element either way.
        parallelize_2d_tile(pool, depthwise_task, this, cin, batch * oh,
                            threads_count(pool) > 1
                                ? cin
                                : round_up(kDepthwiseChannelBlock, dwconv->channel_tile),
                            1);
        break;
      case ConvPath::kGemm:
        parallelize_3d_tile_2d(pool, gemm_task, this, groups, goc, batch * output_pixels(), nc_tile,
                               m_tile);
        break;
      case ConvPath::kIgemm:
        parallelize_3d_tile_2d(pool, igemm_task, this, batch * groups, goc, output_pixels(),
                               nc_tile, m_tile);
        break;
    }
  }
};

// Depthwise packing (kernels/ukernels-dwconv.h): per tile of CT channels, CT biases then, for
// each tap t = kx * kh + ky, the CT weights. Padding lanes stay zero (the buffer is zeroed).
void pack_dwconv(size_t channels, size_t kh, size_t kw, size_t ct, const float* kernel,
                 const float* bias, float* packed) {
  const size_t ks = kh * kw;
  for (size_t c0 = 0; c0 < channels; c0 += ct) {
    const size_t cb = min_size(ct, channels - c0);
    for (size_t j = 0; j < cb; j++) packed[j] = bias != nullptr ? bias[c0 + j] : 0.0f;
    packed += ct;
    for (size_t kx = 0; kx < kw; kx++) {
      for (size_t ky = 0; ky < kh; ky++) {
        for (size_t j = 0; j < cb; j++) packed[j] = kernel[(c0 + j) * ks + ky * kw + kx];
        packed += ct;
      }
    }
  }
}

// Output size and leading padding of one spatial axis. False when the output would be empty or
// a size overflows.
bool plan_axis(size_t in, size_t extent, size_t stride, size_t pad_before, size_t pad_after,
               bool same, size_t* out, size_t* before) {
  if (same) {
    // TensorFlow: out = ceil(in / stride); total padding = max(span - in, 0), extra pixel after.
    const size_t o = (in - 1) / stride + 1;
    size_t span;
    if (!checked_add((o - 1) * stride, extent, &span)) return false;
    *out = o;
    *before = span > in ? (span - in) / 2 : 0;
    return true;
  }
  size_t padded;
  if (!checked_add(in, pad_before, &padded) || !checked_add(padded, pad_after, &padded))
    return false;
  if (padded < extent) return false;
  *out = (padded - extent) / stride + 1;
  *before = pad_before;
  return true;
}

// extent = dilation * (kernel - 1) + 1, checked.
bool dilated_extent(size_t kernel, size_t dilation, size_t* extent) {
  size_t e;
  if (!checked_mul(dilation, kernel - 1, &e) || !checked_add(e, 1, &e)) return false;
  *extent = e;
  return true;
}

pnn_status create_convolution(const pnn_convolution2d_params* p, const float* kernel,
                              const float* bias, pnn_operator_t* op_out) {
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (p == nullptr || kernel == nullptr) return pnn_status_invalid_parameter;
  if ((p->flags & ~PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0) return pnn_status_invalid_parameter;
  if (p->kernel_height == 0 || p->kernel_width == 0 || p->stride_height == 0 ||
      p->stride_width == 0 || p->dilation_height == 0 || p->dilation_width == 0 || p->groups == 0 ||
      p->group_input_channels == 0 || p->group_output_channels == 0)
    return pnn_status_invalid_parameter;
  const bool same = (p->flags & PNN_FLAG_TENSORFLOW_SAME_PADDING) != 0;
  const bool explicit_padding =
      (p->padding_top | p->padding_right | p->padding_bottom | p->padding_left) != 0;
  if (same && explicit_padding) return pnn_status_invalid_parameter;
  if (!valid_clamp(p->output_min, p->output_max)) return pnn_status_invalid_parameter;

  const size_t kh = p->kernel_height, kw = p->kernel_width, groups = p->groups;
  const size_t gic = p->group_input_channels, goc = p->group_output_channels;
  size_t cin, cout, ks, kc, weights, extent_h, extent_w;
  if (!checked_mul(groups, gic, &cin) || !checked_mul(groups, goc, &cout) ||
      !checked_mul(kh, kw, &ks) || !checked_mul(ks, gic, &kc) || !checked_mul(cout, kc, &weights) ||
      !float_count_ok(weights) || !dilated_extent(kh, p->dilation_height, &extent_h) ||
      !dilated_extent(kw, p->dilation_width, &extent_w))
    return pnn_status_invalid_parameter;

  ConvPath path;
  if (gic == 1 && goc == 1) {
    path = ConvPath::kDepthwise;
  } else if (kh == 1 && kw == 1 && p->stride_height == 1 && p->stride_width == 1 &&
             !explicit_padding) {
    // SAME padding of a 1x1 stride-1 kernel is always zero.
    path = ConvPath::kGemm;
  } else {
    path = ConvPath::kIgemm;
  }

  const GemmConfig* gemm = nullptr;
  const DwconvConfig* dwconv = nullptr;
  size_t packed_count, group_packed = 0, zero_count = 0;
  if (path == ConvPath::kDepthwise) {
    dwconv = get_dwconv_config(ks);
    if (dwconv == nullptr) return pnn_status_unsupported_parameter;
    const size_t ct = dwconv->channel_tile;
    size_t tiles, taps1;
    if (!checked_add(cin, ct - 1, &tiles) || !checked_add(ks, 1, &taps1) ||
        !checked_mul(tiles / ct * ct, taps1, &packed_count) || !float_count_ok(packed_count))
      return pnn_status_invalid_parameter;
    zero_count = tiles / ct * ct;  // kernels may read a whole channel tile of the padding row
  } else {
    gemm = get_gemm_config();
    if (gemm->gemm == nullptr || gemm->igemm == nullptr) return pnn_status_unsupported_parameter;
    const size_t nr = gemm->nr;
    size_t cols, kc1;
    if (!checked_add(goc, nr - 1, &cols) || !checked_add(kc, 1, &kc1) ||
        !checked_mul(cols / nr * nr, kc1, &group_packed) ||
        !checked_mul(group_packed, groups, &packed_count) || !float_count_ok(packed_count))
      return pnn_status_invalid_parameter;
    if (path == ConvPath::kIgemm) zero_count = gic;
  }

  auto* op = new_operator<ConvolutionOperator>();
  if (op == nullptr) return pnn_status_out_of_memory;
  if (!op->packed.allocate(packed_count) || (zero_count != 0 && !op->zero.allocate(zero_count))) {
    delete op;
    return pnn_status_out_of_memory;
  }
  op->path = path;
  op->kh = kh;
  op->kw = kw;
  op->sh = p->stride_height;
  op->sw = p->stride_width;
  op->dh = p->dilation_height;
  op->dw = p->dilation_width;
  op->extent_h = extent_h;
  op->extent_w = extent_w;
  op->pad_top = p->padding_top;
  op->pad_right = p->padding_right;
  op->pad_bottom = p->padding_bottom;
  op->pad_left = p->padding_left;
  op->same_padding = same;
  op->groups = groups;
  op->gic = gic;
  op->goc = goc;
  op->cin = cin;
  op->cout = cout;
  op->ks = ks;
  op->params = pnn_f32_minmax_params{p->output_min, p->output_max};
  op->gemm = gemm;
  op->dwconv = dwconv;
  op->group_packed_size = group_packed;
  if (path == ConvPath::kDepthwise) {
    pack_dwconv(cin, kh, kw, dwconv->channel_tile, kernel, bias, op->packed.data());
    // Neighbouring output pixels share input columns when the stride is a whole number of
    // dilation steps no larger than the kernel; otherwise each pixel has columns of its own.
    op->dw_shift = op->sw % op->dw == 0 && op->sw / op->dw <= kw ? op->sw / op->dw : kw;
  } else {
    for (size_t g = 0; g < groups; g++) {
      pack_gemm(goc, kc, gemm->nr, kernel + g * goc * kc,
                bias != nullptr ? bias + g * goc : nullptr,
                /*transposed=*/false, op->packed.data() + g * group_packed);
    }
  }
  *op_out = op;
  return pnn_status_success;
}

pnn_status reshape_convolution(pnn_operator_t op, size_t batch, size_t ih, size_t iw,
                               size_t* output_height, size_t* output_width, pnn_threadpool_t pool) {
  auto* c = operator_cast<ConvolutionOperator>(op);
  if (c == nullptr || batch == 0 || ih == 0 || iw == 0) return pnn_status_invalid_parameter;

  size_t oh, ow, ptop, pleft;
  if (!plan_axis(ih, c->extent_h, c->sh, c->pad_top, c->pad_bottom, c->same_padding, &oh, &ptop) ||
      !plan_axis(iw, c->extent_w, c->sw, c->pad_left, c->pad_right, c->same_padding, &ow, &pleft))
    return pnn_status_invalid_parameter;

  size_t pixels, input_count, output_count;
  if (!checked_mul(oh, ow, &pixels) || !checked_mul(ih, iw, &input_count) ||
      !checked_mul(input_count, c->cin, &input_count) ||
      !checked_mul(input_count, batch, &input_count) || !float_count_ok(input_count) ||
      !checked_mul(pixels, c->cout, &output_count) ||
      !checked_mul(output_count, batch, &output_count) || !float_count_ok(output_count))
    return pnn_status_invalid_parameter;

  // Indirection pointers for one image.
  size_t pointers = 0, dw_row_pointers = 0;
  if (c->path == ConvPath::kDepthwise) {
    size_t cols;
    if (!checked_mul(ow - 1, c->dw_shift, &cols) || !checked_add(cols, c->kw, &cols) ||
        !checked_mul(cols, c->kh, &dw_row_pointers) || !checked_mul(dw_row_pointers, oh, &pointers))
      return pnn_status_invalid_parameter;
  } else if (c->path == ConvPath::kIgemm) {
    const size_t mr = c->gemm->mr;
    size_t padded_pixels;
    if (!checked_add(pixels, mr - 1, &padded_pixels) ||
        !checked_mul(padded_pixels / mr * mr, c->ks, &pointers) ||
        pointers > SIZE_MAX / sizeof(const float*))
      return pnn_status_invalid_parameter;
  }
  if (pointers != 0 && !c->indirection.reserve(pointers)) return pnn_status_out_of_memory;

  // Tasks: pixel tiles (multiples of MR) by output-channel tiles (multiples of NR), planned as
  // for a GEMM (src/gemm-tiling.h). Each output value is computed the same way whatever the
  // tiling, so the results do not depend on the thread count.
  size_t nc_tile = 0, m_tile = 0;
  if (c->path != ConvPath::kDepthwise) {
    const GemmTiles tiles = c->path == ConvPath::kGemm
                                ? plan_gemm_tiles(c->groups, batch * pixels, c->goc, c->gic,
                                                  c->gemm->mr, c->gemm->nr, threads_count(pool))
                                : plan_gemm_tiles(batch * c->groups, pixels, c->goc, c->ks * c->gic,
                                                  c->gemm->mr, c->gemm->nr, threads_count(pool));
    nc_tile = tiles.column_tile;
    m_tile = tiles.row_tile;
  }

  c->batch = batch;
  c->ih = ih;
  c->iw = iw;
  c->oh = oh;
  c->ow = ow;
  c->ptop = ptop;
  c->pleft = pleft;
  c->input_count = input_count;
  c->output_count = output_count;
  c->dw_row_pointers = dw_row_pointers;
  c->nc_tile = nc_tile;
  c->m_tile = m_tile;
  c->indirection_input = nullptr;
  switch (c->path) {
    case ConvPath::kDepthwise:
      c->kernel_name = c->dwconv->name;
      break;
    case ConvPath::kGemm:
      c->kernel_name = c->gemm->gemm_name;
      break;
    case ConvPath::kIgemm:
      c->kernel_name = c->gemm->igemm_name;
      break;
  }
  c->state = OpState::kNeedsSetup;
  set_if(output_height, oh);
  set_if(output_width, ow);
  return pnn_status_success;
}

pnn_status setup_convolution(pnn_operator_t op, const float* input, float* output) {
  ConvolutionOperator* c;
  pnn_status s = check_setup(op, &c, {"input", input}, {"output", output});
  if (s != pnn_status_success) return s;
  // The kernels read the input while writing the output: overlapping buffers would corrupt it.
  if (ranges_overlap(input, c->input_count, output, c->output_count))
    return pnn_status_invalid_parameter;
  if (c->indirection_input != input) {
    if (c->path == ConvPath::kDepthwise) c->build_depthwise_indirection(input);
    if (c->path == ConvPath::kIgemm) c->build_igemm_indirection(input);
    c->indirection_input = input;
  }
  c->input = input;
  c->output = output;
  c->state = OpState::kReady;
  return pnn_status_success;
}

}  // namespace

extern "C" {

pnn_status pnn_create_convolution2d_nhwc_f32(const pnn_convolution2d_params* params,
                                             const float* kernel, const float* bias,
                                             pnn_operator_t* op_out) {
  PNN_API_SCOPE();
  return create_convolution(params, kernel, bias, op_out);
}

pnn_status pnn_reshape_convolution2d_nhwc_f32(pnn_operator_t op, size_t batch, size_t input_height,
                                              size_t input_width, size_t* output_height,
                                              size_t* output_width, pnn_threadpool_t threadpool) {
  PNN_API_SCOPE();
  return reshape_convolution(op, batch, input_height, input_width, output_height, output_width,
                             threadpool);
}

pnn_status pnn_setup_convolution2d_nhwc_f32(pnn_operator_t op, const float* input, float* output) {
  PNN_API_SCOPE();
  return setup_convolution(op, input, output);
}

}  // extern "C"
