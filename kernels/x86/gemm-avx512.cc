// AVX-512F GEMM / IGEMM microkernels: instantiations of kernels/simd/gemm-template.h over
// kernels/simd/vec-avx512.h. The registry (kernels/f32-gemm.inc) orders them and records the
// measurements behind the choice.
#include "simd/gemm-template.h"
#include "simd/vec-avx512.h"
#include "ukernels.h"
#include "x86/instances.h"

using pnn::simd::Avx512;
using pnn::simd::GemmLoad;

// 8 x 32: 16 zmm accumulators (8 rows x 2 vectors), 2 weight vectors and a broadcast (loadsplat:
// vbroadcastss from memory is a pure load), 19 of the 32 zmm registers. Per k: 2 weight loads,
// 8 broadcasts, 16 FMAs, enough independent chains for 2 FMA pipes of latency 4.
PNN_X86_GEMM(Avx512, pnn_f32_gemm_minmax_ukernel_8x32__avx512f_loadsplat,
             pnn_f32_igemm_minmax_ukernel_8x32__avx512f_loadsplat, 8, 32, GemmLoad::kLoadSplat)
// 4 blocks of 32 columns: 8 accumulator chains for one row.
PNN_X86_GEMM_1ROW(Avx512, pnn_f32_gemm_minmax_ukernel_1x32__avx512f_loadsplat_x4,
                  pnn_f32_igemm_minmax_ukernel_1x32__avx512f_loadsplat, 32, 4, GemmLoad::kLoadSplat)
