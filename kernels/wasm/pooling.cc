// WebAssembly SIMD128 pooling microkernels: instantiations of kernels/simd/pooling-template.h.
// Max pooling comes in both min/max flavors (see kernels/simd/vec-wasm128.h): its inner loop is
// one max per vector, where the flavor matters most.
#include "simd/pooling-template.h"
#include "simd/vec-wasm128.h"

using pnn::simd::Wasm128;
using pnn::simd::Wasm128Arm;

#define PNN_WASM_MAXPOOL(fn, W, channel_tile)                                                      \
  extern "C" void fn(size_t output_pixels, size_t kernel_size, size_t channels,                    \
                     const float** input, size_t input_offset, size_t input_increment,             \
                     float* output, size_t output_stride, const pnn_f32_minmax_params* params) {   \
    pnn::simd::maxpool<W, channel_tile>(output_pixels, kernel_size, channels, input, input_offset, \
                                        input_increment, output, output_stride, params);           \
  }
PNN_WASM_MAXPOOL(pnn_f32_maxpool_minmax_ukernel__wasmsimd_x86_c16, Wasm128, 16)
PNN_WASM_MAXPOOL(pnn_f32_maxpool_minmax_ukernel__wasmsimd_arm_c16, Wasm128Arm, 16)
#undef PNN_WASM_MAXPOOL

extern "C" void pnn_f32_avgpool_minmax_ukernel__wasmsimd_c16(
    size_t output_pixels, size_t kernel_size, size_t channels, const float** input,
    size_t input_offset, size_t input_increment, const float* zero, const float* multiplier,
    float* output, size_t output_stride, const pnn_f32_minmax_params* params) {
  pnn::simd::avgpool<Wasm128, 16>(output_pixels, kernel_size, channels, input, input_offset,
                                  input_increment, zero, multiplier, output, output_stride, params);
}

extern "C" void pnn_f32_gavgpool_minmax_ukernel__wasmsimd_c16(
    size_t rows, size_t channels, const float* x, size_t x_stride, float* y,
    const pnn_f32_gavgpool_params* params) {
  pnn::simd::gavgpool<Wasm128, 16>(rows, channels, x, x_stride, y, params);
}
