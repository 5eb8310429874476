// x86 AVX-512F depthwise-convolution microkernels: instantiations of
// kernels/simd/dwconv-template.h over kernels/simd/vec-avx512.h. The unrolled ones (4, 9, 25 taps)
// are tile-major (dwconv_tile_major: a channel tile's weights held in registers across a block
// of 16 pixels, P pixels at a time sharing their row loads at stride 1); the generic one
// is the shared pixel-major template. Measurements: kernels/f32-dwconv.inc.
#include "simd/dwconv-template.h"
#include "simd/vec-avx512.h"
#include "ukernels-dwconv.h"
#include "x86/instances.h"

using pnn::simd::Avx512;

// 32 registers: 9p32c holds 20 weight vectors, 4 pixels x 2 accumulators and 2 inputs; 25p16c
// 26 weight vectors, 2 accumulators and one input.
PNN_X86_DWCONV(Avx512, pnn_f32_dwconv_minmax_ukernel_4p32c__avx512f, 4, 32, 4)
PNN_X86_DWCONV(Avx512, pnn_f32_dwconv_minmax_ukernel_9p32c__avx512f, 9, 32, 4)
PNN_X86_DWCONV(Avx512, pnn_f32_dwconv_minmax_ukernel_25p16c__avx512f, 25, 16, 2)
PNN_X86_DWCONV_ANY(Avx512, pnn_f32_dwconv_minmax_ukernel_anyp32c__avx512f, 32)
