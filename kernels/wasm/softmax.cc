// WebAssembly SIMD128 softmax microkernels: instantiations of kernels/simd/softmax-template.h.
#include "simd/softmax-template.h"
#include "simd/vec-wasm128.h"
#include "ukernels-softmax.h"

using pnn::simd::Wasm128;

extern "C" void pnn_f32_rmax_ukernel__wasmsimd_u16(size_t n, const float* x, float* max) {
  pnn::simd::rmax<Wasm128, 4>(n, x, max);
}

extern "C" void pnn_f32_raddstoreexpminusmax_ukernel__wasmsimd_u16(size_t n, const float* x,
                                                                   float max, float* y,
                                                                   float* sum) {
  pnn::simd::raddstoreexpminusmax<Wasm128, 4>(n, x, max, y, sum);
}

extern "C" void pnn_f32_vscale_ukernel__wasmsimd_u16(size_t n, const float* x, float scale,
                                                     float* y) {
  pnn::simd::vscale<Wasm128, 4>(n, x, scale, y);
}
