// Fuzz family: 2-D convolution (NHWC, groups, dilation, explicit / SAME / SAME_LOWER padding,
// fused clamp). The model of pnn_create_convolution2d_nhwc_f32: every size >= 1, no product
// overflowing size_t (channels, weights' bytes), a valid clamp, known flags, at most one SAME
// mode and no explicit padding with it. Shapes follow the output-size rule of the header
// (fuzz::WindowShape); windows may lie entirely in padding. Input and output must not overlap.
#include <vector>

#include "fuzz-families.h"

namespace fuzz {

namespace {
constexpr u128 kMaxWeights = u128{1} << 14;  // weights a target can hand to create
// 1 GiB is the allocation cap (fuzz-driver.cc): packed weights beyond it cannot be allocated.
constexpr u128 kUnallocatableWeights = (u128{1} << 30) / sizeof(float);
}  // namespace

bool CreateConvolution(Reader& r, Family* family) {
  pnn_convolution2d_params p{};
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
  p.groups = static_cast<uint32_t>(r.u8() < 200 ? 1 + r.u8() % 4 : r.u32param());
  p.group_input_channels = r.dim();
  p.group_output_channels = r.dim();
  r.clamp(&p.output_min, &p.output_max);
  const uint8_t f = r.u8();
  p.flags = f < 160   ? 0
            : f < 200 ? PNN_FLAG_TENSORFLOW_SAME_PADDING
            : f < 240 ? PNN_FLAG_SAME_LOWER_PADDING
                      : r.u32();
  const bool same = (p.flags & kSamePadding) != 0;
  const bool padded = (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left) != 0;

  const u128 cin = u128{p.groups} * p.group_input_channels;
  const u128 cout = u128{p.groups} * p.group_output_channels;
  const u128 weights = prod({cout, p.kernel_height, p.kernel_width, p.group_input_channels});
  const bool zero = p.kernel_height == 0 || p.kernel_width == 0 || p.stride_height == 0 ||
                    p.stride_width == 0 || p.dilation_height == 0 || p.dilation_width == 0 ||
                    p.groups == 0 || p.group_input_channels == 0 || p.group_output_channels == 0;
  const bool forbidden = zero || !valid_clamp(p.output_min, p.output_max) ||
                         (p.flags & ~kSamePadding) != 0 || (p.flags & kSamePadding) == kSamePadding ||
                         (same && padded) || cin > kSizeMax || cout > kSizeMax ||
                         !fits_bytes(weights);
  const bool small = !forbidden && weights <= kMaxWeights;
  if (!forbidden && !small && weights <= kUnallocatableWeights) return false;  // cannot supply
  // Weights the target cannot supply are passed only where create must fail before reading.
  const std::vector<float> kernel = values(small ? static_cast<size_t>(weights) : 1, 7);
  const std::vector<float> bias = values(small ? static_cast<size_t>(cout) : 1, 8);
  pnn_operator_t op = Poison();
  const pnn_status st = pnn_create_convolution2d_nhwc_f32(
      &p, kernel.data(), small && r.flag() ? bias.data() : nullptr, &op);
  // Weights whose bytes fit but that cannot be allocated fail with out_of_memory, or with
  // invalid_parameter when the packed layout (padding the header leaves open) overflows.
  ExpectCreate(st, op, small,
               forbidden ? pnn_status_invalid_parameter : pnn_status_out_of_memory,
               "pnn_create_convolution2d_nhwc_f32", pnn_status_invalid_parameter);
  if (st != pnn_status_success) return false;

  const Window w = WindowOf(p, p.kernel_height, p.kernel_width, false, static_cast<size_t>(cin),
                            static_cast<size_t>(cout),
                            prod({p.kernel_height, p.kernel_width, p.group_input_channels}),
                            PNN_FUZZ_CALL(pnn_reshape_convolution2d_nhwc_f32));
  family->Bind(kConvolution, op, PNN_FUZZ_CALL(pnn_setup_convolution2d_nhwc_f32));
  family->next_shape = [w](Reader& rr) { return WindowShape(rr, w); };
  return true;
}

int FuzzConvolution(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateConvolution, data, size);
}

}  // namespace fuzz
