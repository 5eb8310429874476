// Which blocks of the registries (kernels/*.inc) a file sees. Every registry includes this header
// and guards each ISA level's lines with `#if PNN_REGISTRY_<LEVEL>`:
//  - a consumer (configs, declarations, tests, benchmarks) sees every level compiled into this
//    build: PNN_ENABLE_<LEVEL> (set by CMake), __wasm_simd128__ (the .wasm's -msimd128), scalar
//    always;
//  - a level's instantiation file (kernels/<isa>/*.cc) defines PNN_REGISTRY_INSTANTIATE to its
//    PNN_LEVEL_* id before including kernels/instances.h, and sees its own lines only, so the
//    registry line is the kernel's definition too (kernels/instances.h).
// PNN_REGISTRY_ALTERNATIVES guards lines that no configuration of the build can select, kept to
// measure and test them against the selected ones (e.g. a second WebAssembly GEMM tile: the
// first usable line of a level always wins there). CMake defines PNN_REGISTRY_NO_ALTERNATIVES for
// the .wasm library builds, so those kernels are neither declared, nor instantiated, nor linked
// there; native builds and the wasm kernel tests keep them.
#pragma once

#define PNN_LEVEL_SCALAR 1
#define PNN_LEVEL_SSE2 2
#define PNN_LEVEL_AVX2 3
#define PNN_LEVEL_AVX512 4
#define PNN_LEVEL_NEON 5
#define PNN_LEVEL_WASMSIMD 6
#define PNN_LEVEL_WASMRELAXED 7

#if defined(PNN_REGISTRY_INSTANTIATE)
#define PNN_REGISTRY_SCALAR (PNN_REGISTRY_INSTANTIATE == PNN_LEVEL_SCALAR)
#define PNN_REGISTRY_SSE2 (PNN_REGISTRY_INSTANTIATE == PNN_LEVEL_SSE2)
#define PNN_REGISTRY_AVX2 (PNN_REGISTRY_INSTANTIATE == PNN_LEVEL_AVX2)
#define PNN_REGISTRY_AVX512 (PNN_REGISTRY_INSTANTIATE == PNN_LEVEL_AVX512)
#define PNN_REGISTRY_NEON (PNN_REGISTRY_INSTANTIATE == PNN_LEVEL_NEON)
#define PNN_REGISTRY_WASMSIMD (PNN_REGISTRY_INSTANTIATE == PNN_LEVEL_WASMSIMD)
#define PNN_REGISTRY_WASMRELAXED (PNN_REGISTRY_INSTANTIATE == PNN_LEVEL_WASMRELAXED)
#else
#define PNN_REGISTRY_SCALAR 1
#if defined(PNN_ENABLE_SSE2)
#define PNN_REGISTRY_SSE2 1
#else
#define PNN_REGISTRY_SSE2 0
#endif
#if defined(PNN_ENABLE_AVX2)
#define PNN_REGISTRY_AVX2 1
#else
#define PNN_REGISTRY_AVX2 0
#endif
#if defined(PNN_ENABLE_AVX512)
#define PNN_REGISTRY_AVX512 1
#else
#define PNN_REGISTRY_AVX512 0
#endif
#if defined(PNN_ENABLE_NEON)
#define PNN_REGISTRY_NEON 1
#else
#define PNN_REGISTRY_NEON 0
#endif
#if defined(__wasm_simd128__)
#define PNN_REGISTRY_WASMSIMD 1
#else
#define PNN_REGISTRY_WASMSIMD 0
#endif
// Relaxed SIMD (-mrelaxed-simd, the relaxed-simd .wasm variants and the wasm kernel tests).
#if defined(__wasm_relaxed_simd__)
#define PNN_REGISTRY_WASMRELAXED 1
#else
#define PNN_REGISTRY_WASMRELAXED 0
#endif
#endif

#if defined(PNN_REGISTRY_NO_ALTERNATIVES)
#define PNN_REGISTRY_ALTERNATIVES 0
#else
#define PNN_REGISTRY_ALTERNATIVES 1
#endif

// A SIMD .wasm runs only where the engine validated SIMD128, so its wasm lines are always usable
// and, as every family has one (the always-usable kWasmSIMD line or both host variants), its
// scalar lines can never be selected: the .wasm library neither declares nor instantiates them
// (the wasm kernel tests keep them). A family added without a wasm line must add one, or its
// configs find no kernel.
#if defined(PNN_REGISTRY_NO_ALTERNATIVES) && defined(__wasm_simd128__)
#undef PNN_REGISTRY_SCALAR
#define PNN_REGISTRY_SCALAR 0
#endif
