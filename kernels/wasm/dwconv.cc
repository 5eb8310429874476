// WebAssembly SIMD128 depthwise-convolution microkernels: instantiations of
// kernels/simd/dwconv-template.h.
#include "simd/dwconv-template.h"
#include "simd/vec-wasm128.h"

using pnn::simd::Wasm128;

#define PNN_WASM_DWCONV(fn, taps, channel_tile)                                                \
  extern "C" void fn(size_t channels, size_t output_width, size_t ks, const float** input,     \
                     const float* weights, float* output, size_t input_increment,              \
                     size_t output_stride, size_t input_offset, const float* zero,             \
                     const pnn_f32_minmax_params* params) {                                    \
    pnn::simd::dwconv<Wasm128, taps, channel_tile>(channels, output_width, ks, input, weights, \
                                                   output, input_increment, output_stride,     \
                                                   input_offset, zero, params);                \
  }

PNN_WASM_DWCONV(pnn_f32_dwconv_minmax_ukernel_4p16c__wasmsimd, 4, 16)
PNN_WASM_DWCONV(pnn_f32_dwconv_minmax_ukernel_9p16c__wasmsimd, 9, 16)
PNN_WASM_DWCONV(pnn_f32_dwconv_minmax_ukernel_25p16c__wasmsimd, 25, 16)
PNN_WASM_DWCONV(pnn_f32_dwconv_minmax_ukernel_anyp16c__wasmsimd, 0, 16)
#undef PNN_WASM_DWCONV
