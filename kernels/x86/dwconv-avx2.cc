// x86 AVX2+FMA3 depthwise-convolution microkernels: instantiations of
// kernels/simd/dwconv-template.h over kernels/simd/vec-avx2.h. The unrolled ones (4, 9, 25 taps)
// are tile-major (dwconv_tile_major: a channel tile's weights held in registers across a block
// of 16 pixels, P pixels at a time sharing their row loads at stride 1); the generic one
// is the shared pixel-major template. Measurements: kernels/f32-dwconv.inc.
#include "simd/dwconv-template.h"
#include "simd/vec-avx2.h"
#include "ukernels-dwconv.h"
#include "x86/instances.h"

using pnn::simd::Avx2;

// 16 registers: 9p8c holds its 10 weight vectors, 4 accumulators and one input (9p16c, 2 pixels
// at a time with spilled weights, measured slower on 3 of the 4 suite shapes).
PNN_X86_DWCONV(Avx2, pnn_f32_dwconv_minmax_ukernel_4p16c__avx2, 4, 16, 2)
PNN_X86_DWCONV(Avx2, pnn_f32_dwconv_minmax_ukernel_9p8c__avx2, 9, 8, 4)
PNN_X86_DWCONV(Avx2, pnn_f32_dwconv_minmax_ukernel_25p8c__avx2, 25, 8, 2)
PNN_X86_DWCONV_ANY(Avx2, pnn_f32_dwconv_minmax_ukernel_anyp16c__avx2, 16)
