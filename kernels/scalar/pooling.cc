// Scalar pooling microkernels (max, average, global average): instantiations of
// kernels/simd/pooling-template.h over the one-lane wrapper kernels/simd/vec-scalar.h, whose max
// is std::max. c4 keeps four channels in registers, c1 one; both reduce taps in the same order,
// so they give the same bits.
#include "simd/pooling-template.h"
#include "simd/vec-scalar.h"
#include "ukernels-pooling.h"

using pnn::simd::Scalar1;

#define PNN_SCALAR_POOLING(maxpool_fn, avgpool_fn, gavgpool_fn, channel_tile)                  \
  extern "C" void maxpool_fn(size_t output_pixels, size_t kernel_size, size_t channels,        \
                             const float** input, size_t input_offset, size_t input_increment, \
                             float* output, size_t output_stride,                              \
                             const pnn_f32_minmax_params* params) {                            \
    pnn::simd::maxpool<Scalar1, channel_tile>(output_pixels, kernel_size, channels, input,     \
                                              input_offset, input_increment, output,           \
                                              output_stride, params);                          \
  }                                                                                            \
  extern "C" void avgpool_fn(size_t output_pixels, size_t kernel_size, size_t channels,        \
                             const float** input, size_t input_offset, size_t input_increment, \
                             const float* zero, const float* multiplier, float* output,        \
                             size_t output_stride, const pnn_f32_minmax_params* params) {      \
    pnn::simd::avgpool<Scalar1, channel_tile>(output_pixels, kernel_size, channels, input,     \
                                              input_offset, input_increment, zero, multiplier, \
                                              output, output_stride, params);                  \
  }                                                                                            \
  extern "C" void gavgpool_fn(size_t rows, size_t channels, const float* x, size_t x_stride,   \
                              float* y, const pnn_f32_gavgpool_params* params) {               \
    pnn::simd::gavgpool<Scalar1, channel_tile>(rows, channels, x, x_stride, y, params);        \
  }

PNN_SCALAR_POOLING(pnn_f32_maxpool_minmax_ukernel__scalar_c4,
                   pnn_f32_avgpool_minmax_ukernel__scalar_c4,
                   pnn_f32_gavgpool_minmax_ukernel__scalar_c4, 4)
PNN_SCALAR_POOLING(pnn_f32_maxpool_minmax_ukernel__scalar_c1,
                   pnn_f32_avgpool_minmax_ukernel__scalar_c1,
                   pnn_f32_gavgpool_minmax_ukernel__scalar_c1, 1)
#undef PNN_SCALAR_POOLING
