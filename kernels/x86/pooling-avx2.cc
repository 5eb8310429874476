// x86 AVX2 pooling microkernels (max, average, global average): instantiations of
// kernels/simd/pooling-template.h over kernels/simd/vec-avx2.h. Max pooling is vmaxps with swapped
// operands, exactly std::max, so every level gives the scalar kernels' bits; the adds of the
// average kernels are in the scalar order too. Measurements: kernels/f32-*pool.inc.
#include "simd/pooling-template.h"
#include "simd/vec-avx2.h"
#include "ukernels-pooling.h"
#include "x86/instances.h"

using pnn::simd::Avx2;

PNN_X86_MAXPOOL(Avx2, pnn_f32_maxpool_minmax_ukernel__avx2_c32, 32)
PNN_X86_AVGPOOL(Avx2, pnn_f32_avgpool_minmax_ukernel__avx2_c32, 32)
PNN_X86_GAVGPOOL(Avx2, pnn_f32_gavgpool_minmax_ukernel__avx2_c64, 64)
