// x86 AVX-512F pooling microkernels (max, average, global average): instantiations of
// kernels/simd/pooling-template.h over kernels/simd/vec-avx512.h. Max pooling is vmaxps with
// swapped operands, exactly std::max, so every level gives the scalar kernels' bits; the adds of
// the average kernels are in the scalar order too. Measurements: kernels/f32-*pool.inc.
#include "simd/pooling-template.h"
#include "simd/vec-avx512.h"
#include "ukernels-pooling.h"
#include "x86/instances.h"

using pnn::simd::Avx512;

PNN_X86_MAXPOOL(Avx512, pnn_f32_maxpool_minmax_ukernel__avx512f_c64, 64)
PNN_X86_AVGPOOL(Avx512, pnn_f32_avgpool_minmax_ukernel__avx512f_c64, 64)
PNN_X86_GAVGPOOL(Avx512, pnn_f32_gavgpool_minmax_ukernel__avx512f_c256, 256)
