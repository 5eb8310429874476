// Fuzz family: 2-D deconvolution (NHWC, groups, dilation, explicit padding, adjustment, fused
// clamp). The model of pnn_create_deconvolution2d_nhwc_f32: every size >= 1, an adjustment
// below its stride or its dilation, no flags, a valid clamp, no product overflowing size_t
// (channels, weights' bytes). Shapes follow the header's transposed output-size rule
// (fuzz::model_transposed_axis through WindowShape); input and output must not overlap.
#include "fuzz-families.h"

namespace fuzz {

bool CreateDeconvolution(Reader& r, Family* family) {
  pnn_deconvolution2d_params p{};
  ReadWindowFields(r, &p);
  const ConvSizes z = ReadChannels(r, &p);
  if (r.u8() < 128) {
    p.adjustment_height = r.u32param();
    p.adjustment_width = r.u32param();
  }
  p.flags = r.u8() < 240 ? 0 : r.u32();
  const bool bad_adjustment =
      (p.adjustment_height >= p.stride_height && p.adjustment_height >= p.dilation_height) ||
      (p.adjustment_width >= p.stride_width && p.adjustment_width >= p.dilation_width);
  const bool forbidden = z.invalid || bad_adjustment || p.flags != 0;
  pnn_operator_t op =
      CreateWeighted(r, p, forbidden, z, PNN_FUZZ_CALL(pnn_create_deconvolution2d_nhwc_f32));
  if (op == nullptr) return false;
  BindConvWindow(family, kDeconvolution, op, p, z,
                 PNN_FUZZ_CALL(pnn_reshape_deconvolution2d_nhwc_f32),
                 PNN_FUZZ_CALL(pnn_setup_deconvolution2d_nhwc_f32),
                 /*transposed=*/true, p.adjustment_height, p.adjustment_width);
  return true;
}

int FuzzDeconvolution(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateDeconvolution, data, size);
}

}  // namespace fuzz
