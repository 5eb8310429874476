// Fuzz family: 2-D max and average pooling (NHWC). The model of the create calls: every size
// >= 1, channels whose bytes fit, a valid clamp, only the flags the operator knows (SAME modes,
// ceil mode, and count_include_pad for average), at most one SAME mode and neither explicit
// padding nor ceil mode with it, each padding below the window's extent, and for average
// pooling dilation 1 (unsupported_parameter otherwise). Shapes follow the header's output-size
// rule (ceil mode included) and reject any shape where a window covers only padding
// (fuzz::WindowShape). Input and output must not overlap.
#include "fuzz-families.h"

namespace fuzz {

namespace {

constexpr u128 kUnallocatableChannels = (u128{1} << 30) / sizeof(float);

bool CreatePooling(Reader& r, Family* family, bool max) {
  pnn_pooling2d_params p{};
  p.pooling_height = r.u32param();
  p.pooling_width = r.u32param();
  p.stride_height = r.u32param();
  p.stride_width = r.u32param();
  const bool dilate = r.u8() >= 192;
  p.dilation_height = dilate ? r.u32param() : 1;
  p.dilation_width = dilate ? r.u32param() : 1;
  if (r.u8() < 128) {
    p.padding_top = r.u32param();
    p.padding_right = r.u32param();
    p.padding_bottom = r.u32param();
    p.padding_left = r.u32param();
  }
  p.channels = r.dim();
  r.clamp(&p.output_min, &p.output_max);
  const uint8_t f = r.u8();
  // Bytes 96..239 pick flags by their low bits (SAME, SAME_LOWER, ceil, count_include_pad).
  p.flags = f < 96    ? 0
            : f < 240 ? ((f & 1) != 0 ? PNN_FLAG_TENSORFLOW_SAME_PADDING : 0u) |
                            ((f & 2) != 0 ? PNN_FLAG_SAME_LOWER_PADDING : 0u) |
                            ((f & 4) != 0 ? PNN_FLAG_CEIL_MODE : 0u) |
                            ((f & 8) != 0 ? PNN_FLAG_COUNT_INCLUDE_PAD : 0u)
                      : r.u32();
  const bool same = (p.flags & kSamePadding) != 0;
  const bool ceil = (p.flags & PNN_FLAG_CEIL_MODE) != 0;
  const bool padded = (p.padding_top | p.padding_right | p.padding_bottom | p.padding_left) != 0;
  const uint32_t allowed =
      kSamePadding | PNN_FLAG_CEIL_MODE | (max ? 0u : uint32_t{PNN_FLAG_COUNT_INCLUDE_PAD});
  const u128 eh = u128{p.dilation_height} * (u128{p.pooling_height} - 1) + 1;
  const u128 ew = u128{p.dilation_width} * (u128{p.pooling_width} - 1) + 1;
  const bool zero = p.pooling_height == 0 || p.pooling_width == 0 || p.stride_height == 0 ||
                    p.stride_width == 0 || p.dilation_height == 0 || p.dilation_width == 0 ||
                    p.channels == 0;
  const bool forbidden = zero || !fits_bytes(p.channels) ||
                         !valid_clamp(p.output_min, p.output_max) || (p.flags & ~allowed) != 0 ||
                         (p.flags & kSamePadding) == kSamePadding || (same && (padded || ceil)) ||
                         p.padding_top >= eh || p.padding_bottom >= eh || p.padding_left >= ew ||
                         p.padding_right >= ew;
  const bool unsupported = !forbidden && !max && (p.dilation_height != 1 || p.dilation_width != 1);
  // Pooling keeps a row of `channels` floats: past the 1 GiB cap create runs out of memory;
  // between 4 MiB and the cap it is not tried (too slow to allocate on every input).
  const bool oom = !forbidden && !unsupported && u128{p.channels} > kUnallocatableChannels;
  if (!forbidden && !unsupported && !oom && p.channels > (size_t{1} << 20)) return false;
  pnn_operator_t op = Poison();
  const char* create = max ? "pnn_create_max_pooling2d_nhwc_f32"
                           : "pnn_create_average_pooling2d_nhwc_f32";
  const pnn_status st = max ? pnn_create_max_pooling2d_nhwc_f32(&p, &op)
                            : pnn_create_average_pooling2d_nhwc_f32(&p, &op);
  ExpectCreate(st, op, !forbidden && !unsupported && !oom,
               forbidden     ? pnn_status_invalid_parameter
               : unsupported ? pnn_status_unsupported_parameter
                             : pnn_status_out_of_memory,
               create);
  if (st != pnn_status_success) return false;

  const Window w =
      WindowOf(p, p.pooling_height, p.pooling_width, true, p.channels, p.channels,
               mul(p.pooling_height, p.pooling_width),
               max ? pnn_reshape_max_pooling2d_nhwc_f32 : pnn_reshape_average_pooling2d_nhwc_f32,
               max ? "pnn_reshape_max_pooling2d_nhwc_f32"
                   : "pnn_reshape_average_pooling2d_nhwc_f32");
  if (max) {
    family->Bind(kMaxPooling, op, PNN_FUZZ_CALL(pnn_setup_max_pooling2d_nhwc_f32));
  } else {
    family->Bind(kAveragePooling, op, PNN_FUZZ_CALL(pnn_setup_average_pooling2d_nhwc_f32));
  }
  family->next_shape = [w](Reader& rr) { return WindowShape(rr, w); };
  return true;
}

}  // namespace

bool CreateMaxPooling(Reader& r, Family* family) { return CreatePooling(r, family, true); }
bool CreateAveragePooling(Reader& r, Family* family) { return CreatePooling(r, family, false); }

int FuzzPooling(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  return FuzzFamily((data[0] & 1) != 0 ? CreateMaxPooling : CreateAveragePooling, data + 1,
                    size - 1);
}

}  // namespace fuzz
