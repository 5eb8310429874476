// Scalar depthwise-convolution microkernels (contract in kernels/ukernels-dwconv.h), written once
// as a template over the tap count (0: any, taken at run time) and the channel tile.
#include <algorithm>

#include "ukernels.h"

namespace {

template <size_t TAPS, size_t CT>
void dwconv(size_t channels, size_t output_width, size_t ks, const float** input,
            const float* weights, float* output, size_t input_increment, size_t output_stride,
            size_t input_offset, const float* zero, const pnn_f32_minmax_params* params) {
  // A fixed tap count lets the compiler unroll the tap loop and keep the rows in registers.
  const size_t taps = TAPS != 0 ? TAPS : ks;
  const float vmin = params->min, vmax = params->max;
  do {
    // Resolve the pixel's rows once: the padding row is used as is, real rows are displaced.
    // The generic kernel cannot size a local array, so it resolves them per channel tile.
    const float* fixed_rows[TAPS != 0 ? TAPS : 1];
    if constexpr (TAPS != 0) {
      for (size_t t = 0; t < TAPS; t++) {
        const float* r = input[t];
        fixed_rows[t] = r == zero ? r : r + input_offset;
      }
    }
    auto row = [&](size_t t) -> const float* {
      if constexpr (TAPS != 0) {
        return fixed_rows[t];
      } else {
        const float* r = input[t];
        return r == zero ? r : r + input_offset;
      }
    };

    const float* w = weights;
    float* out = output;
    size_t c = 0;
    for (; c + CT <= channels; c += CT) {
      float acc[CT];
      for (size_t j = 0; j < CT; j++) acc[j] = w[j];
      w += CT;
      for (size_t t = 0; t < taps; t++) {
        const float* r = row(t) + c;
        for (size_t j = 0; j < CT; j++) acc[j] += r[j] * w[j];
        w += CT;
      }
      for (size_t j = 0; j < CT; j++) out[j] = std::min(std::max(acc[j], vmin), vmax);
      out += CT;
    }
    if (c < channels) {
      // Channel remainder: the packed tile is padded, but the caller's rows end at `channels`.
      const size_t cb = channels - c;
      float acc[CT];
      for (size_t j = 0; j < cb; j++) acc[j] = w[j];
      w += CT;
      for (size_t t = 0; t < taps; t++) {
        const float* r = row(t) + c;
        for (size_t j = 0; j < cb; j++) acc[j] += r[j] * w[j];
        w += CT;
      }
      for (size_t j = 0; j < cb; j++) out[j] = std::min(std::max(acc[j], vmin), vmax);
    }
    input += input_increment;
    output += output_stride;
  } while (--output_width != 0);
}

}  // namespace

// The scalar kernels. Not generated from the registry: lines of other ISA levels are defined in
// their own folders.
#define PNN_DEFINE_DWCONV(fn, taps_, channel_tile)                                           \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,   \
                     const float* weights, float* output, size_t input_increment,            \
                     size_t output_stride, size_t input_offset, const float* zero,           \
                     const pnn_f32_minmax_params* params) {                                  \
    dwconv<taps_, channel_tile>(channels, output_width, ks, input, weights, output,          \
                                input_increment, output_stride, input_offset, zero, params); \
  }

PNN_DEFINE_DWCONV(pnn_f32_dwconv_minmax_ukernel_4p4c__scalar, 4, 4)
PNN_DEFINE_DWCONV(pnn_f32_dwconv_minmax_ukernel_9p4c__scalar, 9, 4)
PNN_DEFINE_DWCONV(pnn_f32_dwconv_minmax_ukernel_25p4c__scalar, 25, 4)
PNN_DEFINE_DWCONV(pnn_f32_dwconv_minmax_ukernel_anyp4c__scalar, 0, 4)
#undef PNN_DEFINE_DWCONV
