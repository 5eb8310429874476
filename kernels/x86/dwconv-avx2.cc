// x86 AVX2+FMA3 depthwise-convolution microkernels: instantiations of
// kernels/simd/dwconv-template.h over kernels/simd/vec-avx2.h. The unrolled ones (4, 9, 25 taps)
// are tile-major (dwconv_tile_major: a channel tile's weights held in registers across a block
// of 16 pixels, P pixels at a time sharing their row loads at stride 1); the generic one
// is the shared pixel-major template. Measurements: kernels/f32-dwconv.inc.
#include "simd/dwconv-template.h"
#include "simd/vec-avx2.h"
#include "ukernels-dwconv.h"

using pnn::simd::Avx2;

// PNN_X86_DWCONV(name, taps, channel tile, pixels per group P)
#define PNN_X86_DWCONV(fn, taps, channel_tile, pixels)                                      \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,  \
                     const float* weights, float* output, size_t input_increment,           \
                     size_t output_stride, size_t input_offset, const float* zero,          \
                     const pnn_f32_minmax_params* params) {                                 \
    pnn::simd::dwconv_tile_major<Avx2, taps, channel_tile, 16, pixels>(                     \
        channels, output_width, ks, input, weights, output, input_increment, output_stride, \
        input_offset, zero, params);                                                        \
  }
#define PNN_X86_DWCONV_ANY(fn, channel_tile)                                                     \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,       \
                     const float* weights, float* output, size_t input_increment,                \
                     size_t output_stride, size_t input_offset, const float* zero,               \
                     const pnn_f32_minmax_params* params) {                                      \
    pnn::simd::dwconv<Avx2, 0, channel_tile>(channels, output_width, ks, input, weights, output, \
                                             input_increment, output_stride, input_offset, zero, \
                                             params);                                            \
  }

// 16 registers: 9p8c holds its 10 weight vectors, 4 accumulators and one input (9p16c, 2 pixels
// at a time with spilled weights, measured slower on 3 of the 4 suite shapes).
PNN_X86_DWCONV(pnn_f32_dwconv_minmax_ukernel_4p16c__avx2, 4, 16, 2)
PNN_X86_DWCONV(pnn_f32_dwconv_minmax_ukernel_9p8c__avx2, 9, 8, 4)
PNN_X86_DWCONV(pnn_f32_dwconv_minmax_ukernel_25p8c__avx2, 25, 8, 2)
PNN_X86_DWCONV_ANY(pnn_f32_dwconv_minmax_ukernel_anyp16c__avx2, 16)
#undef PNN_X86_DWCONV
#undef PNN_X86_DWCONV_ANY
