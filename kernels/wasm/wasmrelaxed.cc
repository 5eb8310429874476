// The WebAssembly relaxed-SIMD level (the relaxed-simd .wasm variants' -mrelaxed-simd): the
// registry lines of kArchWasmRelaxed, defined by kernels/instances.h over Wasm128Relaxed
// (kernels/simd/vec-wasm128.h: wasmsimd's wrapper with f32x4.relaxed_madd as its multiply-add).
// Only the families whose inner loops are multiply-adds have such lines (GEMM / IGEMM, depthwise
// convolution, the transcendental unary ops, softmax's exp); every other family runs its
// wasmsimd lines, which the same .wasm holds. Without -mrelaxed-simd this file is empty.
#if defined(__wasm_relaxed_simd__)
#define PNN_REGISTRY_INSTANTIATE PNN_LEVEL_WASMRELAXED
#include "hardware-config.h"
#include "simd/vec-wasm128.h"

#define PNN_WRAPPER(arch) pnn::simd::Wasm128Relaxed
// GEMM: the plain MR-row tile for the row tail too, as in kernels/wasm/wasmsimd.cc.
#define PNN_GEMM_TEMPLATE gemm
#define PNN_IGEMM_TEMPLATE igemm
#include "instances.h"
#endif
