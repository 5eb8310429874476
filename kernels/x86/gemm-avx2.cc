// AVX2 + FMA3 GEMM / IGEMM microkernels: instantiations of kernels/simd/gemm-template.h over
// kernels/simd/vec-avx2.h. The registry (kernels/f32-gemm.inc) orders them and records the
// measurements behind the choice.
#include "simd/gemm-template.h"
#include "simd/vec-avx2.h"
#include "ukernels.h"
#include "x86/instances.h"

using pnn::simd::Avx2;
using pnn::simd::GemmLoad;

// 6 x 16: 12 ymm accumulators, 2 weight vectors and a broadcast: 15 of the 16 ymm registers.
PNN_X86_GEMM(Avx2, pnn_f32_gemm_minmax_ukernel_6x16__avx2_loadsplat,
             pnn_f32_igemm_minmax_ukernel_6x16__avx2_loadsplat, 6, 16, GemmLoad::kLoadSplat)
PNN_X86_GEMM_1ROW(Avx2, pnn_f32_gemm_minmax_ukernel_1x16__avx2_loadsplat_x4,
                  pnn_f32_igemm_minmax_ukernel_1x16__avx2_loadsplat, 16, 4, GemmLoad::kLoadSplat)
