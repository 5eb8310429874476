// WebAssembly SIMD128 GEMM / IGEMM microkernels: instantiations of kernels/simd/gemm-template.h.
// Both A-feeding styles are registered (see the template for when each wins); the registry
// (kernels/f32-gemm.inc) orders them.
#include "simd/gemm-template.h"
#include "simd/vec-wasm128.h"
#include "ukernels.h"

using pnn::simd::GemmLoad;
using pnn::simd::Wasm128;

#define PNN_WASM_GEMM(gemm_fn, igemm_fn, mr, nr, load)                                         \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,     \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,        \
                          const pnn_f32_minmax_params* params) {                               \
    pnn::simd::gemm<Wasm128, mr, nr, load>(m, nc, kc, a, a_stride, w, c, cm_stride, cn_stride, \
                                           params);                                            \
  }                                                                                            \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,         \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,       \
                           size_t a_offset, const float* zero,                                 \
                           const pnn_f32_minmax_params* params) {                              \
    pnn::simd::igemm<Wasm128, mr, nr, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride,      \
                                            a_offset, zero, params);                           \
  }

PNN_WASM_GEMM(pnn_f32_gemm_minmax_ukernel_4x8__wasmsimd_loadsplat,
              pnn_f32_igemm_minmax_ukernel_4x8__wasmsimd_loadsplat, 4, 8, GemmLoad::kLoadSplat)
PNN_WASM_GEMM(pnn_f32_gemm_minmax_ukernel_6x8__wasmsimd_loadsplat,
              pnn_f32_igemm_minmax_ukernel_6x8__wasmsimd_loadsplat, 6, 8, GemmLoad::kLoadSplat)
PNN_WASM_GEMM(pnn_f32_gemm_minmax_ukernel_4x8__wasmsimd_splat,
              pnn_f32_igemm_minmax_ukernel_4x8__wasmsimd_splat, 4, 8, GemmLoad::kSplat)
#undef PNN_WASM_GEMM

// One-row kernels for a batch-1 fully connected layer (GemmConfig::gemm1): `blocks` packed
// 8-column blocks interleaved (see gemm_1row in the template). Their IGEMM twins are the plain
// 1 x 8 tile, which no operator picks today but every registry line must provide.
#define PNN_WASM_GEMM_1ROW(gemm_fn, igemm_fn, blocks, load)                                    \
  extern "C" void gemm_fn(size_t m, size_t nc, size_t kc, const float* a, size_t a_stride,     \
                          const float* w, float* c, size_t cm_stride, size_t cn_stride,        \
                          const pnn_f32_minmax_params* params) {                               \
    pnn::simd::gemm_1row<Wasm128, 8, blocks, load>(m, nc, kc, a, a_stride, w, c, cm_stride,    \
                                                   cn_stride, params);                         \
  }                                                                                            \
  extern "C" void igemm_fn(size_t m, size_t nc, size_t kc, size_t ks, const float** a,         \
                           const float* w, float* c, size_t cm_stride, size_t cn_stride,       \
                           size_t a_offset, const float* zero,                                 \
                           const pnn_f32_minmax_params* params) {                              \
    pnn::simd::igemm<Wasm128, 1, 8, load>(m, nc, kc, ks, a, w, c, cm_stride, cn_stride,        \
                                          a_offset, zero, params);                             \
  }

PNN_WASM_GEMM_1ROW(pnn_f32_gemm_minmax_ukernel_1x8__wasmsimd_splat_x4,
                   pnn_f32_igemm_minmax_ukernel_1x8__wasmsimd_splat, 4, GemmLoad::kSplat)
PNN_WASM_GEMM_1ROW(pnn_f32_gemm_minmax_ukernel_1x8__wasmsimd_loadsplat_x4,
                   pnn_f32_igemm_minmax_ukernel_1x8__wasmsimd_loadsplat, 4, GemmLoad::kLoadSplat)
#undef PNN_WASM_GEMM_1ROW
