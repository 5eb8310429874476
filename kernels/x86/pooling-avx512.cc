// x86 AVX-512F pooling microkernels (max, average, global average): instantiations of
// kernels/simd/pooling-template.h over kernels/simd/vec-avx512.h. Max pooling is vmaxps with
// swapped operands, exactly std::max, so every level gives the scalar kernels' bits; the adds of
// the average kernels are in the scalar order too. Measurements: kernels/f32-*pool.inc.
#include "simd/pooling-template.h"
#include "simd/vec-avx512.h"
#include "ukernels-pooling.h"

using pnn::simd::Avx512;

#define PNN_X86_MAXPOOL(fn, channel_tile)                                                          \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                    \
                     const float** input, size_t input_offset, size_t input_increment,             \
                     float* output, size_t output_stride, const pnn_f32_minmax_params* params) {   \
    pnn::simd::maxpool<Avx512, channel_tile>(output_pixels, kernel_size, channels, input,          \
                                             input_offset, input_increment, output, output_stride, \
                                             params);                                              \
  }
#define PNN_X86_AVGPOOL(fn, channel_tile)                                                          \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                    \
                     const float** input, size_t input_offset, size_t input_increment,             \
                     const float* zero, const float* multiplier, float* output,                    \
                     size_t output_stride, const pnn_f32_minmax_params* params) {                  \
    pnn::simd::avgpool_unrolled<Avx512, channel_tile>(output_pixels, kernel_size, channels, input, \
                                                      input_offset, input_increment, zero,         \
                                                      multiplier, output, output_stride, params);  \
  }
#define PNN_X86_GAVGPOOL(fn, channel_tile)                                                    \
  extern "C" void fn(size_t rows, size_t channels, const float* x, size_t x_stride, float* y, \
                     const pnn_f32_gavgpool_params* params) {                                 \
    pnn::simd::gavgpool<Avx512, channel_tile>(rows, channels, x, x_stride, y, params);        \
  }

PNN_X86_MAXPOOL(pnn_f32_maxpool_minmax_ukernel__avx512f_c64, 64)
PNN_X86_AVGPOOL(pnn_f32_avgpool_minmax_ukernel__avx512f_c64, 64)
PNN_X86_GAVGPOOL(pnn_f32_gavgpool_minmax_ukernel__avx512f_c256, 256)
#undef PNN_X86_MAXPOOL
#undef PNN_X86_AVGPOOL
#undef PNN_X86_GAVGPOOL
