// SSE2 GEMM / IGEMM microkernels: instantiations of kernels/simd/gemm-template.h over
// kernels/simd/vec-sse2.h. The registry (kernels/f32-gemm.inc) orders them and records the
// measurements behind the choice.
#include "simd/gemm-template.h"
#include "simd/vec-sse2.h"
#include "ukernels.h"
#include "x86/instances.h"

using pnn::simd::Sse2;
using pnn::simd::GemmLoad;

// 4 x 8: 8 xmm accumulators, 2 weight vectors, a splat and the product: 12 of the 16 xmm
// registers (SSE2 has no FMA: mul then add, rounded twice as in the scalar kernels).
PNN_X86_GEMM(Sse2, pnn_f32_gemm_minmax_ukernel_4x8__sse2_loadsplat,
             pnn_f32_igemm_minmax_ukernel_4x8__sse2_loadsplat, 4, 8, GemmLoad::kLoadSplat)
PNN_X86_GEMM(Sse2, pnn_f32_gemm_minmax_ukernel_4x8__sse2_splat,
             pnn_f32_igemm_minmax_ukernel_4x8__sse2_splat, 4, 8, GemmLoad::kSplat)
PNN_X86_GEMM_1ROW(Sse2, pnn_f32_gemm_minmax_ukernel_1x8__sse2_splat_x4,
                  pnn_f32_igemm_minmax_ukernel_1x8__sse2_splat, 8, 4, GemmLoad::kSplat)
