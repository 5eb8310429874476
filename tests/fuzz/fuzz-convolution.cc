// Fuzz family: 2-D convolution (NHWC, groups, dilation, explicit / SAME / SAME_LOWER padding,
// fused clamp). The model of pnn_create_convolution2d_nhwc_f32: every size >= 1, no product
// overflowing size_t (channels, weights' bytes), a valid clamp, known flags, at most one SAME
// mode and no explicit padding with it. Shapes follow the output-size rule of the header
// (fuzz::WindowShape); windows may lie entirely in padding. Input and output must not overlap.
#include "fuzz-families.h"

namespace fuzz {

bool CreateConvolution(Reader& r, Family* family) {
  pnn_convolution2d_params p{};
  ReadWindowFields(r, &p);
  const ConvSizes z = ReadChannels(r, &p);
  const uint8_t f = r.u8();
  p.flags = f < 160   ? 0
            : f < 200 ? PNN_FLAG_TENSORFLOW_SAME_PADDING
            : f < 240 ? PNN_FLAG_SAME_LOWER_PADDING
                      : r.u32();
  const bool same = (p.flags & kSamePadding) != 0;
  const bool padded = (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left) != 0;
  const bool forbidden = z.invalid || (p.flags & ~kSamePadding) != 0 ||
                         (p.flags & kSamePadding) == kSamePadding || (same && padded);
  pnn_operator_t op =
      CreateWeighted(r, p, forbidden, z, PNN_FUZZ_CALL(pnn_create_convolution2d_nhwc_f32));
  if (op == nullptr) return false;
  BindConvWindow(family, kConvolution, op, p, z, PNN_FUZZ_CALL(pnn_reshape_convolution2d_nhwc_f32),
                 PNN_FUZZ_CALL(pnn_setup_convolution2d_nhwc_f32));
  return true;
}

int FuzzConvolution(const uint8_t* data, size_t size) {
  return FuzzFamily(CreateConvolution, data, size);
}

}  // namespace fuzz
