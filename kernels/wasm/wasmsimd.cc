// The WebAssembly SIMD128 level (the .wasm variant's -msimd128): every wasm registry line, defined
// by kernels/instances.h over kernels/simd/vec-wasm128.h. A line for ARM hosts
// (kArchWasmArmHost) uses f32x4.min / max, every other line pmin / pmax (see the wrapper).
#define PNN_REGISTRY_INSTANTIATE PNN_LEVEL_WASMSIMD
#include "hardware-config.h"
#include "simd/vec-wasm128.h"

#define PNN_WRAPPER(arch) pnn::simd::Wasm128T<(arch) == pnn::kArchWasmArmHost>
// GEMM: the plain MR-row tile also for the last rows of M (rows past m alias row m - 1), where
// the other levels run a tile of the rows' own height: in Node 20 that row tail measured slower,
// and its extra tile heights would grow the .wasm.
#define PNN_GEMM_TEMPLATE gemm
#define PNN_IGEMM_TEMPLATE igemm
#include "instances.h"
#include "ibilinear-instances.h"

// Reductions and normalizations (kernels/instances-norm.h).
#include "instances-norm.h"
