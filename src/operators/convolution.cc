// 2-D convolution, NHWC. The path is chosen once, at create, from the parameters:
//  - depthwise (group_input_channels == 1 and group_output_channels == 1): a dwconv kernel per
//    output row over an indirection buffer of input-row pointers (kernels/ukernels-dwconv.h);
//  - 1x1 kernel, stride 1, no padding: the GEMM kernel straight on the input, each pixel a row;
//  - 3x3, stride 1, dilation 1, one group, at least kWinogradMinChannels input and output
//    channels: Winograd F(2x2, 3x3) (src/winograd.h), 2.25x fewer multiply-adds, run as 16 GEMMs
//    per block of 2x2-pixel tiles on the same GEMM kernel;
//  - everything else: the IGEMM kernel over an indirection buffer of MR-pixel tiles
//    (kernels/ukernels.h); when many of the tiles read only padding through some taps (a
//    dilated convolution on a small map: DeepLab's atrous rate 12 on a 14x14 map), each tile
//    runs with only the taps that read the input for one of its pixels (tap-sparse IGEMM below).
// Weights are packed at create. Reshape resolves both axes (src/window.h), plans the tiles and
// builds the indirection buffer with anchor-relative pointers (src/indirection.h, the convention
// pooling shares); setup only turns the input pointer into the kernels' input offset, so run
// allocates nothing and computes no addresses beyond the kernels' own.
//
// The indirection buffers cover one image and one group: the batch index and the group's
// channel offset are added through the kernels' input offset, which leaves the padding row
// (`zero`) undisplaced. Every failure returns through pnn::fail with a reason naming the
// argument and the rule.
#include <cmath>
#include <cstring>
#include <string>
#include <utility>

#include "allocator.h"
#include "configs/configs.h"
#include "configs/dwconv-config.h"
#include "epilogue.h"
#include "gemm-tiling.h"
#include "indirection.h"
#include "operator.h"
#include "packing.h"
#include "parallel.h"
#include "window.h"
#include "winograd.h"

namespace {

using namespace pnn;

enum class ConvPath { kDepthwise, kGemm, kIgemm, kWinograd };

// Winograd: channels below which the transforms cost more than the multiply-adds they save
// (measured with portnn-bench on 3x3 56x56 convolutions, AVX-512, one thread).
constexpr size_t kWinogradMinChannels = 32;
// Bytes of transformed inputs and GEMM results (V and M, src/winograd.h) of one block of tiles:
// at least kWinogradBlockBytes (under half of a 1 MB L2, leaving room for a point's packed
// weights), and as many as the transformed weights, up to kWinogradMaxBlockBytes: every block
// streams all of the weights (16 x GIC x GOC floats), so small blocks of a wide layer re-read
// megabytes of weights for a few tiles (3x3 14x14 256 -> 256: 7 blocks of 7 tiles read 28 MB).
constexpr size_t kWinogradBlockBytes = 384 * 1024;
constexpr size_t kWinogradMaxBlockBytes = 4 * 1024 * 1024;

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
  WindowSpec spec_y, spec_x;
  size_t kh = 0, kw = 0;
  size_t groups = 0, gic = 0, goc = 0, cin = 0, cout = 0;
  size_t ks = 0;  // taps: kh * kw
  pnn_f32_minmax_params params{};
  const GemmConfig* gemm = nullptr;      // GEMM and IGEMM paths
  const DwconvConfig* dwconv = nullptr;  // depthwise path
  AlignedBuffer<float> packed;
  size_t packed_weight_bytes() const override {
    return (packed.size() + (sparse ? sparse_packed.size() : 0)) * sizeof(float);
  }
  size_t group_packed_size = 0;  // floats of one group's packed weights (GEMM/IGEMM)
  AlignedBuffer<float> zero;     // the padding row
  size_t zero_count = 0;
  size_t dw_shift = 0;  // depthwise: input columns between neighbouring output pixels
  Epilogue epilogue;    // a fused unary node's kernel (src/epilogue.h), applied per output block
  AlignedBuffer<float> bias;  // Winograd: GOC biases (its packed weights have none)
  size_t point_packed = 0;    // Winograd: floats of one point's packed weights
  std::string winograd_name;  // Winograd: kernel_name

  // --- reshape ---
  size_t batch = 0, ih = 0, iw = 0, oh = 0, ow = 0;
  size_t input_count = 0, output_count = 0;
  size_t nc_tile = 0;          // output channels per task, a multiple of NR (GEMM/IGEMM)
  size_t m_tile = 0;           // output pixels per task, a multiple of MR (GEMM/IGEMM)
  size_t dw_row_pointers = 0;  // depthwise: pointers per output row
  Indirection indirection;
  // Tap-sparse IGEMM (plan_sparse_taps): per MR-pixel tile of one image, the taps it runs.
  static constexpr size_t kMaxSparseTaps = 64;
  struct SparseTile {
    uint64_t taps_mask = 0;  // bit t: tap t reads the input for one of the tile's pixels
    size_t taps = 0;         // the ranks it runs: 0 .. taps - 1
    size_t pointers = 0;     // first of its taps * MR pointers in sparse_pointers
  };
  bool sparse = false;
  size_t tap_order[kMaxSparseTaps] = {};  // tap of each rank
  AlignedBuffer<SparseTile> sparse_tiles;
  AlignedBuffer<const float*> sparse_pointers;
  AlignedBuffer<float> sparse_packed;
  uintptr_t sparse_anchor = 0;  // the indirection's anchor when sparse_pointers were copied
  // Winograd: tiles of 2x2 output pixels, blocks of block_tiles tiles, and
  // one workspace per slot (a task of the parallel loop; slot s runs blocks s, s + slots, ...).
  size_t pad_top = 0, pad_left = 0, tiles_y = 0, tiles_x = 0, tiles = 0;
  size_t block_tiles = 0, blocks = 0, slots = 0, slot_floats = 0;
  AlignedBuffer<float> workspace;

  // --- setup ---
  const float* input = nullptr;
  size_t input_offset = 0;  // floats from the indirection's anchor to the input
  float* output = nullptr;

  size_t output_pixels() const { return oh * ow; }
  size_t input_image_stride() const { return ih * iw * cin; }

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
    op->dwconv->fn(cc, op->ow, op->ks, op->indirection.pointers.data() + oy * op->dw_row_pointers,
                   op->packed.data() + c0 * (1 + op->ks), op->output + r * op->ow * op->cout + c0,
                   op->dw_shift * op->kh, op->cout,
                   op->input_offset + n * op->input_image_stride() + c0, op->zero.data(),
                   &op->params);
    if (op->epilogue) {
      op->epilogue.apply_rows(op->output + r * op->ow * op->cout + c0, op->ow, cc, op->cout);
    }
  }

  // GEMM: range (groups, GOC, batch * pixels); a task walks its rows MR at a time over one panel
  // of packed weights (src/gemm-tiling.h).
  static void gemm_task(void* ctx, size_t g, size_t n0, size_t m0, size_t nc, size_t mc) {
    auto* op = static_cast<ConvolutionOperator*>(ctx);
    const size_t mr = op->gemm->mr, nr = op->gemm->nr;
    const float* w = op->packed.data() + g * op->group_packed_size + n0 * (1 + op->gic);
    for (size_t m = m0, rows; m < m0 + mc; m += rows) {
      rows = gemm_call_rows(m0 + mc - m, mr);
      float* y = op->output + m * op->cout + g * op->goc + n0;
      op->gemm->gemm(rows, nc, op->gic, op->input + m * op->cin + g * op->gic, op->cin, w, y,
                     op->cout, nr, &op->params);
      if (op->epilogue) op->epilogue.apply_rows(y, rows, nc, op->cout);
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
      const size_t rows = min_size(mr, m0 + mc - m);
      float* y = op->output + (n * op->output_pixels() + m) * op->cout + g * op->goc + n0;
      const size_t offset = op->input_offset + n * op->input_image_stride() + g * op->gic;
      if (!op->sparse) {
        op->gemm->igemm(rows, nc, op->gic, op->ks, op->indirection.pointers.data() + m * op->ks,
                        w, y, op->cout, nr, offset, op->zero.data(), &op->params);
      } else {
        // The kernel walks NR-column blocks of `taps` taps each, while the blocks here are
        // packed with all ks: one call per block.
        const SparseTile& t = op->sparse_tiles.data()[m / mr];
        const float* block = op->sparse_packed.data() + g * op->group_packed_size +
                             n0 * (1 + op->ks * op->gic);
        for (size_t j = 0; j < nc; j += nr) {
          op->gemm->igemm(rows, min_size(nr, nc - j), op->gic, t.taps,
                          op->sparse_pointers.data() + t.pointers, block, y + j, op->cout, nr,
                          offset, op->zero.data(), &op->params);
          block += nr * (1 + op->ks * op->gic);
        }
      }
      if (op->epilogue) op->epilogue.apply_rows(y, rows, nc, op->cout);
    }
  }

  // Winograd: one block of tc tiles from tile t0: input transform into V, 16 GEMMs into M,
  // output transform (bias, clamp) into the output. Each output pixel is computed the same way
  // whatever the block or slot, so the results do not depend on the thread count.
  void winograd_block(size_t t0, size_t tc, float* v, float* m) const {
    const size_t vps = block_tiles * gic, mps = block_tiles * goc;
    const size_t image_tiles = tiles_y * tiles_x;
    for (size_t j = 0; j < tc; j++) {
      const size_t t = t0 + j, n = t / image_tiles, ty = t % image_tiles / tiles_x,
                   tx = t % tiles_x;
      const float* rows[kWinogradPoints];
      for (size_t i = 0; i < 4; i++) {
        const size_t py = 2 * ty + i;  // padded input row
        const bool row_in = py >= pad_top && py - pad_top < ih;
        for (size_t k = 0; k < 4; k++) {
          const size_t px = 2 * tx + k;
          rows[i * 4 + k] = row_in && px >= pad_left && px - pad_left < iw
                                ? input + ((n * ih + py - pad_top) * iw + px - pad_left) * cin
                                : zero.data();
        }
      }
      gemm->winograd_input(gic, rows, v + j * gic, vps);
    }
    const pnn_f32_minmax_params unclamped{-INFINITY, INFINITY};
    const size_t mr = gemm->mr;
    for (size_t e = 0; e < kWinogradPoints; e++) {
      for (size_t r = 0, rows; r < tc; r += rows) {
        rows = gemm_call_rows(tc - r, mr);
        gemm->gemm(rows, goc, gic, v + e * vps + r * gic, gic,
                   packed.data() + e * point_packed, m + e * mps + r * goc, goc, gemm->nr,
                   &unclamped);
      }
    }
    for (size_t j = 0; j < tc; j++) {
      const size_t t = t0 + j, n = t / image_tiles, ty = t % image_tiles / tiles_x,
                   tx = t % tiles_x;
      float* out[4];
      for (size_t i = 0; i < 2; i++) {
        for (size_t k = 0; k < 2; k++) {
          const size_t oy = 2 * ty + i, ox = 2 * tx + k;
          out[i * 2 + k] = oy < oh && ox < ow ? output + ((n * oh + oy) * ow + ox) * cout : nullptr;
        }
      }
      gemm->winograd_output(goc, m + j * goc, mps, bias.data(), out, &params);
      if (epilogue) {
        for (float* pixel : out) {
          if (pixel != nullptr) epilogue.apply_rows(pixel, 1, goc, cout);
        }
      }
    }
  }

  static void winograd_task(void* ctx, size_t slot, size_t) {
    auto* op = static_cast<ConvolutionOperator*>(ctx);
    float* v = op->workspace.data() + slot * op->slot_floats;
    float* m = v + kWinogradPoints * op->block_tiles * op->gic;
    for (size_t b = slot; b < op->blocks; b += op->slots) {
      const size_t t0 = b * op->block_tiles;
      op->winograd_block(t0, min_size(op->block_tiles, op->tiles - t0), v, m);
    }
  }

  void run(pnn_threadpool_t pool) override {
    switch (path) {
      case ConvPath::kDepthwise:
        // Channel blocks pay on one thread only: with two, whole-channel row tasks measured
        // dw_14 8.9 vs 15.0 us and dw_7 6.1 vs 13.0 us (AVX-512, 9p32c; one thread 15.1 / 9.0 us
        // with blocks, 16.8 / 9.7 without). Same kernel call per output element either way.
        parallelize_2d_tile(
            pool, depthwise_task, this, cin, batch * oh,
            threads_count(pool) > 1 ? cin : round_up(kDepthwiseChannelBlock, dwconv->channel_tile),
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
      case ConvPath::kWinograd:
        parallelize_1d_tile(pool, winograd_task, this, slots, 1);
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

const WindowNames kHeightNames = {"height",          "kernel_height", "stride_height",
                                  "dilation_height", "padding_top",   "padding_bottom"};
const WindowNames kWidthNames = {"width",          "kernel_width", "stride_width",
                                 "dilation_width", "padding_left", "padding_right"};

pnn_status create_convolution(const pnn_convolution2d_params* p, const float* kernel,
                              const float* bias, pnn_operator_t* op_out) {
  pnn_status s = begin_create(op_out);
  if (s != pnn_status_success) return s;
  if (p == nullptr) return fail(pnn_status_invalid_parameter, "params is NULL");
  if (kernel == nullptr) return fail(pnn_status_invalid_parameter, "kernel is NULL");
  s = check_flags(p->flags, kPaddingFlags,
                  "PNN_FLAG_TENSORFLOW_SAME_PADDING or PNN_FLAG_SAME_LOWER_PADDING");
  if (s != pnn_status_success) return s;
  const Padding padding = padding_from_flags(p->flags);
  const WindowSpec sy = {p->kernel_height, p->stride_height,  p->dilation_height,
                         p->padding_top,   p->padding_bottom, padding};
  const WindowSpec sx = {p->kernel_width, p->stride_width,  p->dilation_width,
                         p->padding_left, p->padding_right, padding};
  s = check_window(sy, kHeightNames);
  if (s == pnn_status_success) s = check_window(sx, kWidthNames);
  if (s != pnn_status_success) return s;
  // Convolution plans its windows in size_t (32 bits on wasm32): the extent must fit.
  for (const auto& axis : {std::make_pair(&sy, &kHeightNames), std::make_pair(&sx, &kWidthNames)}) {
    if (axis.first->extent() > SIZE_MAX) {
      return fail(pnn_status_invalid_parameter,
                  "%s %u with %s %u gives a dilated kernel extent of %llu, which overflows size_t",
                  axis.second->kernel, axis.first->kernel, axis.second->dilation,
                  axis.first->dilation, static_cast<unsigned long long>(axis.first->extent()));
    }
  }
  if (p->groups == 0) return fail(pnn_status_invalid_parameter, "groups is 0; it must be >= 1");
  if (p->group_input_channels == 0) {
    return fail(pnn_status_invalid_parameter, "group_input_channels is 0; it must be >= 1");
  }
  if (p->group_output_channels == 0) {
    return fail(pnn_status_invalid_parameter, "group_output_channels is 0; it must be >= 1");
  }
  if (!valid_clamp(p->output_min, p->output_max)) {
    return fail(pnn_status_invalid_parameter,
                "output_min %g and output_max %g: neither may be NaN and output_min must be <= "
                "output_max",
                p->output_min, p->output_max);
  }
  const bool explicit_padding =
      (p->padding_top | p->padding_right | p->padding_bottom | p->padding_left) != 0;

  const size_t kh = p->kernel_height, kw = p->kernel_width, groups = p->groups;
  const size_t gic = p->group_input_channels, goc = p->group_output_channels;
  size_t cin, cout, ks, kc, weights;
  if (!checked_mul(groups, gic, &cin) || !checked_mul(groups, goc, &cout) ||
      !checked_mul(kh, kw, &ks) || !checked_mul(ks, gic, &kc) || !checked_mul(cout, kc, &weights) ||
      !float_count_ok(weights)) {
    return fail(pnn_status_invalid_parameter,
                "the weights (groups %zu x group_output_channels %zu x kernel %zux%zu x "
                "group_input_channels %zu floats) overflow size_t",
                groups, goc, kh, kw, gic);
  }

  ConvPath path;
  if (gic == 1 && goc == 1) {
    path = ConvPath::kDepthwise;
  } else if (kh == 1 && kw == 1 && p->stride_height == 1 && p->stride_width == 1 &&
             !explicit_padding) {
    // SAME padding of a 1x1 stride-1 kernel is always zero.
    path = ConvPath::kGemm;
  } else if (kh == 3 && kw == 3 && p->stride_height == 1 && p->stride_width == 1 &&
             p->dilation_height == 1 && p->dilation_width == 1 && groups == 1 &&
             gic >= kWinogradMinChannels && goc >= kWinogradMinChannels) {
    path = ConvPath::kWinograd;
  } else {
    path = ConvPath::kIgemm;
  }

  const GemmConfig* gemm = nullptr;
  const DwconvConfig* dwconv = nullptr;
  size_t packed_count, group_packed = 0, zero_count = 0;
  if (path == ConvPath::kDepthwise) {
    dwconv = get_dwconv_config(ks);
    if (dwconv == nullptr) {
      return fail(pnn_status_unsupported_parameter,
                  "no depthwise kernel is available for %zu taps at this ISA level", ks);
    }
    const size_t ct = dwconv->channel_tile;
    size_t tiles, taps1;
    if (!checked_add(cin, ct - 1, &tiles) || !checked_add(ks, 1, &taps1) ||
        !checked_mul(tiles / ct * ct, taps1, &packed_count) || !float_count_ok(packed_count)) {
      return fail(pnn_status_invalid_parameter,
                  "the packed depthwise weights (%zu channels x %zu taps) overflow size_t", cin,
                  ks);
    }
    zero_count = tiles / ct * ct;  // kernels may read a whole channel tile of the padding row
  } else {
    gemm = get_gemm_config();
    if (gemm->gemm == nullptr || gemm->igemm == nullptr) {
      return fail(pnn_status_unsupported_parameter,
                  "no GEMM kernel is available at this ISA level");
    }
    const size_t nr = gemm->nr;
    size_t cols, kc1;
    // Winograd: 16 points of GOC x GIC weights, each packed with its own (zero) biases.
    const bool wino = path == ConvPath::kWinograd;
    if (!checked_add(goc, nr - 1, &cols) || !checked_add(wino ? gic : kc, 1, &kc1) ||
        !checked_mul(cols / nr * nr, kc1, &group_packed) ||
        (wino && !checked_mul(group_packed, kWinogradPoints, &group_packed)) ||
        !checked_mul(group_packed, groups, &packed_count) || !float_count_ok(packed_count)) {
      return fail(pnn_status_invalid_parameter,
                  "the packed weights (groups %zu x group_output_channels %zu x %zu taps x "
                  "group_input_channels %zu, padded) overflow size_t",
                  groups, goc, ks, gic);
    }
    if (path != ConvPath::kGemm) zero_count = gic;
  }

  auto* op = new_operator<ConvolutionOperator>();
  if (op == nullptr) return fail(pnn_status_out_of_memory, "out of memory for the operator");
  if (!op->packed.allocate(packed_count) || (zero_count != 0 && !op->zero.allocate(zero_count)) ||
      (path == ConvPath::kWinograd && !op->bias.allocate(goc))) {
    delete op;
    return fail(pnn_status_out_of_memory, "out of memory for %zu floats of packed weights",
                packed_count);
  }
  op->path = path;
  op->spec_y = sy;
  op->spec_x = sx;
  op->kh = kh;
  op->kw = kw;
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
  op->zero_count = zero_count;
  if (path == ConvPath::kDepthwise) {
    pack_dwconv(cin, kh, kw, dwconv->channel_tile, kernel, bias, op->packed.data());
    // Neighbouring output pixels share input columns when the stride is a whole number of
    // dilation steps no larger than the kernel; otherwise each pixel has columns of its own.
    const size_t sw = p->stride_width, dw = p->dilation_width;
    op->dw_shift = sw % dw == 0 && sw / dw <= kw ? sw / dw : kw;
  } else if (path == ConvPath::kWinograd) {
    // The transformed weights of one point at a time, so the scratch is GOC x GIC floats.
    AlignedBuffer<float> u;
    if (!u.allocate(kWinogradPoints * goc * gic)) {
      delete op;
      return fail(pnn_status_out_of_memory, "out of memory for %zu floats of Winograd weights",
                  kWinogradPoints * goc * gic);
    }
    winograd_transform_weights(goc, gic, kernel, u.data());
    op->point_packed = group_packed / kWinogradPoints;
    for (size_t e = 0; e < kWinogradPoints; e++) {
      pack_gemm(goc, gic, gemm->nr, u.data() + e * goc * gic, nullptr, /*transposed=*/false,
                op->packed.data() + e * op->point_packed);
    }
    for (size_t o = 0; o < goc; o++) op->bias.data()[o] = bias != nullptr ? bias[o] : 0.0f;
    op->winograd_name = std::string("winograd_2x2_3x3/") + gemm->gemm_name;
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

// Tap-sparse IGEMM. A tap whose MR pointers of a tile are all the padding row adds weight x 0
// to each of the tile's outputs: running the tile without it gives the same sums up to the sign
// of a zero sum (for finite weights, as the importer's tap pruning). The taps are ranked by the
// number of tiles that read the input through them (ties: tap order), the weights are packed
// once more in that order (per NR block: the bias row, then the taps' rows by rank), and each
// tile runs the first `taps` ranks, enough to cover every tap it reads through: a tap of lower
// rank it does not read holds the padding row in all its pointers, so it adds zeros. The tiles'
// pointers are copied from the dense indirection buffer in rank order (again after a bind that
// moves its anchor). The plan is made at reshape, when the dense buffer is built, and taken only
// when it skips at least a quarter of the taps the dense path runs; its sums run in another tap
// order than the dense path's, the same at every thread count.
void fill_sparse_pointers(ConvolutionOperator* c) {
  const size_t mr = c->gemm->mr, ks = c->ks;
  const size_t tiles = divide_round_up(c->output_pixels(), mr);
  const float** dense = c->indirection.pointers.data();
  const float** out = c->sparse_pointers.data();
  for (size_t i = 0; i < tiles; i++) {
    const ConvolutionOperator::SparseTile& t = c->sparse_tiles.data()[i];
    for (size_t r = 0; r < t.taps; r++) {
      std::memcpy(out + t.pointers + r * mr, dense + (i * ks + c->tap_order[r]) * mr,
                  mr * sizeof(const float*));
    }
  }
  c->sparse_anchor = c->indirection.anchor();
}

void plan_sparse_taps(ConvolutionOperator* c) {
  c->sparse = false;
  const size_t mr = c->gemm->mr, nr = c->gemm->nr, ks = c->ks, gic = c->gic;
  if (ks < 2 || ks > ConvolutionOperator::kMaxSparseTaps) return;
  const size_t tiles = divide_round_up(c->output_pixels(), mr);
  if (!c->sparse_tiles.reserve(tiles)) return;
  ConvolutionOperator::SparseTile* info = c->sparse_tiles.data();
  const float** dense = c->indirection.pointers.data();
  const float* zero = c->zero.data();
  size_t readers[ConvolutionOperator::kMaxSparseTaps] = {};
  for (size_t i = 0; i < tiles; i++) {
    uint64_t mask = 0;
    for (size_t tap = 0; tap < ks; tap++) {
      const float** p = dense + (i * ks + tap) * mr;
      for (size_t r = 0; r < mr; r++) {
        if (p[r] != zero) {
          mask |= uint64_t{1} << tap;
          readers[tap]++;
          break;
        }
      }
    }
    info[i] = ConvolutionOperator::SparseTile{};
    info[i].taps_mask = mask;
  }
  // Ranks: most-read taps first (a stable insertion sort of at most 64 taps).
  size_t rank_of[ConvolutionOperator::kMaxSparseTaps];
  for (size_t t = 0; t < ks; t++) {
    size_t j = t;
    while (j > 0 && readers[c->tap_order[j - 1]] < readers[t]) {
      c->tap_order[j] = c->tap_order[j - 1];
      j--;
    }
    c->tap_order[j] = t;
  }
  for (size_t r = 0; r < ks; r++) rank_of[c->tap_order[r]] = r;
  size_t used = 0, pointer_count = 0;
  for (size_t i = 0; i < tiles; i++) {
    size_t taps = 1;  // a tile wholly in padding still runs one (zero) tap: the bias
    for (size_t t = 0; t < ks; t++) {
      if ((info[i].taps_mask >> t & 1) != 0 && rank_of[t] + 1 > taps) taps = rank_of[t] + 1;
    }
    info[i].taps = taps;
    info[i].pointers = pointer_count;
    pointer_count += taps * mr;
    used += taps;
  }
  if (used * 4 > tiles * ks * 3) return;
  if (!c->sparse_pointers.reserve(pointer_count) || !c->sparse_packed.reserve(c->packed.size())) {
    return;
  }
  const size_t blocks = divide_round_up(c->goc, nr);
  for (size_t g = 0; g < c->groups; g++) {
    const float* src = c->packed.data() + g * c->group_packed_size;
    float* dst = c->sparse_packed.data() + g * c->group_packed_size;
    for (size_t b = 0; b < blocks; b++) {
      const float* block = src + b * nr * (1 + ks * gic);
      std::memcpy(dst, block, nr * sizeof(float));  // bias row
      dst += nr;
      for (size_t r = 0; r < ks; r++) {
        std::memcpy(dst, block + nr + c->tap_order[r] * gic * nr, gic * nr * sizeof(float));
        dst += gic * nr;
      }
    }
  }
  fill_sparse_pointers(c);
  c->sparse = true;
}

pnn_status reshape_convolution(pnn_operator_t op, size_t batch, size_t ih, size_t iw,
                               size_t* output_height, size_t* output_width, pnn_threadpool_t pool) {
  auto* c = operator_cast<ConvolutionOperator>(op);
  if (c == nullptr) return pnn_status_invalid_parameter;
  if (batch == 0) return fail(pnn_status_invalid_parameter, "batch is 0; it must be >= 1");
  WindowAxis ay, ax;
  pnn_status s = resolve_window(ih, c->spec_y, kHeightNames, &ay);
  if (s == pnn_status_success) s = resolve_window(iw, c->spec_x, kWidthNames, &ax);
  if (s != pnn_status_success) return s;
  // As the extent (see create), the padded input must fit in size_t.
  for (const auto& axis : {std::make_pair(&ay, "height"), std::make_pair(&ax, "width")}) {
    const uint64_t padded = axis.first->pad_before + axis.first->in + axis.first->pad_after;
    if (padded > SIZE_MAX) {
      return fail(pnn_status_invalid_parameter, "the padded input %s %llu overflows size_t",
                  axis.second, static_cast<unsigned long long>(padded));
    }
  }
  const size_t oh = static_cast<size_t>(ay.out), ow = static_cast<size_t>(ax.out);

  size_t pixels, image, input_count, output_count, anchored;
  if (!checked_mul(ih, iw, &image) || !checked_mul(image, c->cin, &image) ||
      !checked_mul(image, batch, &input_count) || !float_count_ok(input_count) ||
      !checked_add(image, c->zero_count, &anchored) || !float_count_ok(anchored)) {
    return fail(pnn_status_invalid_parameter,
                "the input (batch %zu x %zu x %zu x %zu channels) overflows size_t", batch, ih, iw,
                c->cin);
  }
  if (!checked_mul(oh, ow, &pixels) || !checked_mul(pixels, c->cout, &output_count) ||
      !checked_mul(output_count, batch, &output_count) || !float_count_ok(output_count)) {
    return fail(pnn_status_invalid_parameter,
                "the output (batch %zu x %zu x %zu x %zu channels) overflows size_t", batch, oh, ow,
                c->cout);
  }

  // Indirection pointers for one image.
  IndirectionPlan plan;
  size_t pointers = 0;
  const bool indirect = c->path == ConvPath::kDepthwise || c->path == ConvPath::kIgemm;
  if (indirect) {
    plan.layout =
        c->path == ConvPath::kDepthwise ? IndirectionLayout::kDwconv : IndirectionLayout::kIgemm;
    plan.y = ay;
    plan.x = ax;
    plan.input_width = iw;
    plan.pixel_stride = c->cin;
    plan.padding_tap = PaddingTap::kZeroRow;
    plan.mr = c->gemm != nullptr ? c->gemm->mr : 1;
    plan.shift = c->dw_shift;
    plan.image_floats = image;
    if (!plan.count_pointers(&pointers)) {
      return fail(pnn_status_invalid_parameter,
                  "the indirection buffer (%zu x %zu output pixels x %zu taps) overflows size_t",
                  oh, ow, c->ks);
    }
    if (!c->indirection.pointers.reserve(pointers)) {
      return fail(pnn_status_out_of_memory, "out of memory for %zu indirection pointers", pointers);
    }
  }

  // Tasks: pixel tiles (multiples of MR) by output-channel tiles (multiples of NR), planned as
  // for a GEMM (src/gemm-tiling.h). Each output value is computed the same way whatever the
  // tiling, so the results do not depend on the thread count.
  size_t nc_tile = 0, m_tile = 0;
  if (c->path == ConvPath::kGemm || c->path == ConvPath::kIgemm) {
    const GemmTiles tiles = c->path == ConvPath::kGemm
                                ? plan_gemm_tiles(c->groups, batch * pixels, c->goc, c->gic,
                                                  c->gemm->mr, c->gemm->nr, threads_count(pool))
                                : plan_gemm_tiles(batch * c->groups, pixels, c->goc, c->ks * c->gic,
                                                  c->gemm->mr, c->gemm->nr, threads_count(pool));
    nc_tile = tiles.column_tile;
    m_tile = tiles.row_tile;
  }
  if (indirect) c->indirection.build(plan, c->zero.data(), c->zero_count);
  c->sparse = false;

  // Winograd: blocks of 2x2-pixel tiles within the block budget (see kWinogradBlockBytes), at
  // least one per planned thread and at least two, as for the GEMM tiles (a pool passed only at
  // run time still finds two tasks), evened out (a block's GEMM calls even out its rows,
  // gemm_call_rows); a workspace per slot. Every size here is bounded by the output's, checked
  // above, times 16 (points) or by the block budget.
  if (c->path == ConvPath::kWinograd) {
    const size_t mr = c->gemm->mr;
    const size_t tiles_y = divide_round_up(oh, 2), tiles_x = divide_round_up(ow, 2);
    const size_t tiles = batch * tiles_y * tiles_x;
    const size_t tile_bytes = kWinogradPoints * (c->gic + c->goc) * sizeof(float);
    const size_t weight_bytes = c->packed.size() * sizeof(float);
    const size_t budget =
        min_size(max_size(kWinogradBlockBytes, weight_bytes), kWinogradMaxBlockBytes);
    const size_t budget_tiles = max_size(mr, budget / tile_bytes / mr * mr);
    const size_t planned = max_size(threads_count(pool), kGemmMinPlannedThreads);
    const size_t blocks = max_size(divide_round_up(tiles, budget_tiles), min_size(tiles, planned));
    const size_t block_tiles = divide_round_up(tiles, blocks);
    const size_t slots = min_size(blocks, planned);
    size_t slot_floats, workspace;
    if (!checked_mul(block_tiles, kWinogradPoints * (c->gic + c->goc), &slot_floats) ||
        !checked_mul(slot_floats, slots, &workspace) || !float_count_ok(workspace)) {
      return fail(pnn_status_invalid_parameter,
                  "the Winograd workspace (%zu slots x %zu tiles x 16 x %zu channels) overflows "
                  "size_t",
                  slots, block_tiles, c->gic + c->goc);
    }
    if (!c->workspace.reserve(workspace)) {
      return fail(pnn_status_out_of_memory, "out of memory for %zu floats of Winograd workspace",
                  workspace);
    }
    c->pad_top = static_cast<size_t>(ay.pad_before);
    c->pad_left = static_cast<size_t>(ax.pad_before);
    c->tiles_y = tiles_y;
    c->tiles_x = tiles_x;
    c->tiles = tiles;
    c->block_tiles = block_tiles;
    c->blocks = blocks;
    c->slots = slots;
    c->slot_floats = slot_floats;
  }

  c->batch = batch;
  c->ih = ih;
  c->iw = iw;
  c->oh = oh;
  c->ow = ow;
  c->input_count = input_count;
  c->output_count = output_count;
  c->dw_row_pointers = plan.row_pointers;
  c->nc_tile = nc_tile;
  c->m_tile = m_tile;
  if (c->path == ConvPath::kIgemm) plan_sparse_taps(c);
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
    case ConvPath::kWinograd:
      c->kernel_name = c->winograd_name.c_str();
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
  if (ranges_overlap(input, c->input_count, output, c->output_count)) {
    return fail(pnn_status_invalid_parameter,
                "input and output overlap; the convolution reads the input while it writes the "
                "output");
  }
  if (c->path == ConvPath::kDepthwise || c->path == ConvPath::kIgemm) {
    c->input_offset = c->indirection.bind(input);
  }
  if (c->sparse && c->indirection.anchor() != c->sparse_anchor) fill_sparse_pointers(c);
  c->input = input;
  c->output = output;
  c->state = OpState::kReady;
  return pnn_status_success;
}

}  // namespace

namespace pnn {

bool set_convolution_epilogue(pnn_operator_t op, const Epilogue& e) {
  if (op == nullptr || op->type != ConvolutionOperator::kType) return false;
  static_cast<ConvolutionOperator*>(op)->epilogue = e;
  return true;
}

}  // namespace pnn

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
