// Fuzz family: 2-D deconvolution (NHWC, groups, dilation, explicit padding, adjustment, fused
// clamp). The model of pnn_create_deconvolution2d_nhwc_f32: every size >= 1, an adjustment
// below its stride or its dilation, no flags, a valid clamp, no product overflowing size_t
// (channels, weights' bytes). Shapes follow the header's transposed output-size rule
// (fuzz::model_transposed_axis through WindowShape); input and output must not overlap.
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {
constexpr u128 kMaxWeights = u128{1} << 14;  // weights a target can hand to create
// The allocation cap (fuzz-driver.cc): packed weights beyond it cannot be allocated.
constexpr u128 kUnallocatableWeights = (u128{1} << 30) / sizeof(float);
}  // namespace

bool CreateDeconvolution(Reader& r, Family* family) {
  pnn_deconvolution2d_params p{};
  p.kernel_height = r.u32param();
  p.kernel_width = r.u32param();
  p.stride_height = r.u32param();
  p.stride_width = r.u32param();
  p.dilation_height = r.u32param();
  p.dilation_width = r.u32param();
  if (r.u8() < 128) {
    p.padding_top = r.u32param();
    p.padding_right = r.u32param();
    p.padding_bottom = r.u32param();
    p.padding_left = r.u32param();
  }
  if (r.u8() < 128) {
    p.adjustment_height = r.u32param();
    p.adjustment_width = r.u32param();
  }
  p.groups = static_cast<uint32_t>(r.u8() < 200 ? 1 + r.u8() % 4 : r.u32param());
  p.group_input_channels = r.dim();
  p.group_output_channels = r.dim();
  r.clamp(&p.output_min, &p.output_max);
  p.flags = r.u8() < 240 ? 0 : r.u32();

  const u128 cin = u128{p.groups} * p.group_input_channels;
  const u128 cout = u128{p.groups} * p.group_output_channels;
  const u128 weights = prod({cout, p.kernel_height, p.kernel_width, p.group_input_channels});
  const bool zero = p.kernel_height == 0 || p.kernel_width == 0 || p.stride_height == 0 ||
                    p.stride_width == 0 || p.dilation_height == 0 || p.dilation_width == 0 ||
                    p.groups == 0 || p.group_input_channels == 0 || p.group_output_channels == 0;
  const bool bad_adjustment =
      (p.adjustment_height >= p.stride_height && p.adjustment_height >= p.dilation_height) ||
      (p.adjustment_width >= p.stride_width && p.adjustment_width >= p.dilation_width);
  const bool forbidden = zero || bad_adjustment || p.flags != 0 ||
                         !valid_clamp(p.output_min, p.output_max) || cin > kSizeMax ||
                         cout > kSizeMax || !fits_bytes(weights);
  const bool small = !forbidden && weights <= kMaxWeights;
  if (!forbidden && !small && weights <= kUnallocatableWeights) return false;  // cannot supply
  const std::vector<float> kernel = values(small ? static_cast<size_t>(weights) : 1, 7);
  const std::vector<float> bias = values(small ? static_cast<size_t>(cout) : 1, 8);
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_deconvolution2d_nhwc_f32(
      &p, kernel.data(), small && r.flag() ? bias.data() : nullptr, &op);
  // Weights whose bytes fit but cannot be allocated: out_of_memory, or invalid_parameter when
  // the packed layout (NR-padded columns, one bias row per packed matrix) overflows.
  ExpectCreate(st, op, small, forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory,
               "pnn_create_deconvolution2d_nhwc_f32", pnn_status_invalid_parameter);
  if (st != pnn_status_success) return false;

  // Work per output element: every tap of the indirect path (upsampling does less).
  Window w = WindowOf(p, p.kernel_height, p.kernel_width, false, static_cast<size_t>(cin),
                      static_cast<size_t>(cout),
                      prod({p.kernel_height, p.kernel_width, p.group_input_channels}),
                      PNN_FUZZ_CALL(pnn_reshape_deconvolution2d_nhwc_f32));
  w.transposed = true;
  w.adjustment_height = p.adjustment_height;
  w.adjustment_width = p.adjustment_width;
  family->Bind(kDeconvolution, op, PNN_FUZZ_CALL(pnn_setup_deconvolution2d_nhwc_f32));
  family->next_shape = [w](Reader& rr) { return WindowShape(rr, w); };
  return true;
}

int FuzzDeconvolution(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateDeconvolution, data, size);
}

}  // namespace fuzz
