// AArch64 NEON depthwise-convolution microkernels: instantiations of
// kernels/simd/dwconv-template.h over kernels/simd/vec-neon.h (fused multiply-add).
#include "simd/dwconv-template.h"
#include "simd/vec-neon.h"
#include "ukernels-dwconv.h"

using pnn::simd::Neon;

#define PNN_NEON_DWCONV(fn, taps, channel_tile)                                             \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,  \
                     const float* weights, float* output, size_t input_increment,           \
                     size_t output_stride, size_t input_offset, const float* zero,          \
                     const pnn_f32_minmax_params* params) {                                 \
    pnn::simd::dwconv<Neon, taps, channel_tile>(channels, output_width, ks, input, weights, \
                                                output, input_increment, output_stride,     \
                                                input_offset, zero, params);                \
  }

PNN_NEON_DWCONV(pnn_f32_dwconv_minmax_ukernel_4p16c__neonfma, 4, 16)
PNN_NEON_DWCONV(pnn_f32_dwconv_minmax_ukernel_9p16c__neonfma, 9, 16)
PNN_NEON_DWCONV(pnn_f32_dwconv_minmax_ukernel_25p16c__neonfma, 25, 16)
PNN_NEON_DWCONV(pnn_f32_dwconv_minmax_ukernel_anyp16c__neonfma, 0, 16)
#undef PNN_NEON_DWCONV
