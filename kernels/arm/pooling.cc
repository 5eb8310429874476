// AArch64 NEON pooling microkernels: instantiations of kernels/simd/pooling-template.h over
// kernels/simd/vec-neon.h. Max pooling reduces with FMAX (NaN-propagating, -0 < +0; see
// vec-neon.h), one instruction per vector.
#include "simd/pooling-template.h"
#include "simd/vec-neon.h"
#include "ukernels-pooling.h"

using pnn::simd::Neon;

extern "C" void pnn_f32_maxpool_minmax_ukernel__neon_c16(size_t output_pixels, size_t kernel_size,
                                                         size_t channels, const float** input,
                                                         size_t input_offset,
                                                         size_t input_increment, float* output,
                                                         size_t output_stride,
                                                         const pnn_f32_minmax_params* params) {
  pnn::simd::maxpool<Neon, 16>(output_pixels, kernel_size, channels, input, input_offset,
                               input_increment, output, output_stride, params);
}

extern "C" void pnn_f32_avgpool_minmax_ukernel__neon_c16(
    size_t output_pixels, size_t kernel_size, size_t channels, const float** input,
    size_t input_offset, size_t input_increment, const float* zero, const float* multiplier,
    float* output, size_t output_stride, const pnn_f32_minmax_params* params) {
  pnn::simd::avgpool<Neon, 16>(output_pixels, kernel_size, channels, input, input_offset,
                               input_increment, zero, multiplier, output, output_stride, params);
}

extern "C" void pnn_f32_gavgpool_minmax_ukernel__neon_c16(size_t rows, size_t channels,
                                                          const float* x, size_t x_stride, float* y,
                                                          const pnn_f32_gavgpool_params* params) {
  pnn::simd::gavgpool<Neon, 16>(rows, channels, x, x_stride, y, params);
}
