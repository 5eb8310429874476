// x86 AVX-512F depthwise-convolution microkernels: instantiations of
// kernels/simd/dwconv-template.h over kernels/simd/vec-avx512.h. The unrolled ones (4, 9, 25 taps)
// are tile-major (dwconv_tile_major: a channel tile's weights held in registers across a block
// of 16 pixels, P pixels at a time sharing their row loads at stride 1); the generic one
// is the shared pixel-major template. Measurements: kernels/f32-dwconv.inc.
#include "simd/dwconv-template.h"
#include "simd/vec-avx512.h"
#include "ukernels-dwconv.h"

using pnn::simd::Avx512;

// PNN_X86_DWCONV(name, taps, channel tile, pixels per group P)
#define PNN_X86_DWCONV(fn, taps, channel_tile, pixels)                                      \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,  \
                     const float* weights, float* output, size_t input_increment,           \
                     size_t output_stride, size_t input_offset, const float* zero,          \
                     const pnn_f32_minmax_params* params) {                                 \
    pnn::simd::dwconv_tile_major<Avx512, taps, channel_tile, 16, pixels>(                   \
        channels, output_width, ks, input, weights, output, input_increment, output_stride, \
        input_offset, zero, params);                                                        \
  }
#define PNN_X86_DWCONV_ANY(fn, channel_tile)                                                       \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,         \
                     const float* weights, float* output, size_t input_increment,                  \
                     size_t output_stride, size_t input_offset, const float* zero,                 \
                     const pnn_f32_minmax_params* params) {                                        \
    pnn::simd::dwconv<Avx512, 0, channel_tile>(channels, output_width, ks, input, weights, output, \
                                               input_increment, output_stride, input_offset, zero, \
                                               params);                                            \
  }

// 32 registers: 9p32c holds 20 weight vectors, 4 pixels x 2 accumulators and 2 inputs; 25p16c
// 26 weight vectors, 2 accumulators and one input.
PNN_X86_DWCONV(pnn_f32_dwconv_minmax_ukernel_4p32c__avx512f, 4, 32, 4)
PNN_X86_DWCONV(pnn_f32_dwconv_minmax_ukernel_9p32c__avx512f, 9, 32, 4)
PNN_X86_DWCONV(pnn_f32_dwconv_minmax_ukernel_25p16c__avx512f, 25, 16, 2)
PNN_X86_DWCONV_ANY(pnn_f32_dwconv_minmax_ukernel_anyp32c__avx512f, 32)
#undef PNN_X86_DWCONV
#undef PNN_X86_DWCONV_ANY
