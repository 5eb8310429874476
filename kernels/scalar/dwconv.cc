// Scalar depthwise-convolution microkernels: instantiations of kernels/simd/dwconv-template.h
// over the one-lane wrapper kernels/simd/vec-scalar.h, 4-channel tiles.
#include "simd/dwconv-template.h"
#include "simd/vec-scalar.h"
#include "ukernels-dwconv.h"

using pnn::simd::Scalar1;

#define PNN_SCALAR_DWCONV(fn, taps, channel_tile)                                              \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,     \
                     const float* weights, float* output, size_t input_increment,              \
                     size_t output_stride, size_t input_offset, const float* zero,             \
                     const pnn_f32_minmax_params* params) {                                    \
    pnn::simd::dwconv<Scalar1, taps, channel_tile>(channels, output_width, ks, input, weights, \
                                                   output, input_increment, output_stride,     \
                                                   input_offset, zero, params);                \
  }

PNN_SCALAR_DWCONV(pnn_f32_dwconv_minmax_ukernel_4p4c__scalar, 4, 4)
PNN_SCALAR_DWCONV(pnn_f32_dwconv_minmax_ukernel_9p4c__scalar, 9, 4)
PNN_SCALAR_DWCONV(pnn_f32_dwconv_minmax_ukernel_25p4c__scalar, 25, 4)
PNN_SCALAR_DWCONV(pnn_f32_dwconv_minmax_ukernel_anyp4c__scalar, 0, 4)
#undef PNN_SCALAR_DWCONV
